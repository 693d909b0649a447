"""time-sense (warning): a date that cannot have been past, or still planned, when the article appeared.

A finding about the article, never a fault in the record: the record stays as the article put it.
"""

from __future__ import annotations

from ..dates import DateRange, parse_date_or_none
from ..errors import DataError
from ..findings import CLAIMS, WARNING, Item, rule


def finding(modality: str, value: DateRange, published: DateRange, source_id: str) -> str | None:
    """What is wrong with the article's sense of time, in words; None when nothing is."""
    if modality == "asserted" and value.lower and published.upper and value.lower > published.upper:
        return (
            f"source {source_id} published by {published.upper}, "
            f"reports as past an event on {value.describe()}"
        )
    if (
        modality == "scheduled"
        and value.upper
        and published.lower
        and value.upper < published.lower
    ):
        return (
            f"source {source_id} published no earlier than {published.lower}, "
            f"reports as still planned an event on {value.describe()}"
        )
    return None


@rule("time-sense", WARNING, CLAIMS)
def time_sense(context, item: Item):
    """A date reported as past (`asserted`) that lies wholly after the source's latest possible
    publication day, or reported as still planned (`scheduled`) wholly before its earliest."""
    data = item.doc.data
    if data.get("type") != "date" or data.get("modality") not in ("asserted", "scheduled"):
        return []
    source_id = data.get("source")
    doc = context.source_doc(source_id) if isinstance(source_id, str) else None
    if doc is None or isinstance(doc, DataError):
        return []
    # Anything but an EDTF string (a list, a number) is reported by schema and value-parses.
    value = parse_date_or_none(data.get("value"))
    published = parse_date_or_none(doc.data.get("published"))
    if value is None or published is None:
        return []
    message = finding(data["modality"], value, published, source_id)
    if message is None:
        return []
    return [item.problem(("value",), message, "time-sense", WARNING)]


def version_finding(version) -> str | None:
    """The finding about one story version's article, in words; None without one. The same
    rule as for a claim file, for the versions no file on disk holds any more."""
    claim, published = version.claim, version.published
    if claim is None or claim.type != "date" or published is None:
        return None
    value = parse_date_or_none(claim.value)
    if value is None:
        return None
    return finding(claim.modality, value, published, claim.source)
