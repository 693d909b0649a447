"""time-sense (warning): a date that cannot have been past, or still planned, when the article appeared.

A finding about the article, never a fault in the record: the record stays as the article put it.
"""

from __future__ import annotations

from ..check import WARNING, Item
from ..dates import parse_date
from ..errors import DataError


def time_sense(context, item: Item):
    data = item.doc.data
    if data.get("type") != "date" or data.get("modality") not in ("asserted", "scheduled"):
        return []
    source_id = data.get("source")
    doc = context.source_doc(source_id) if isinstance(source_id, str) else None
    if doc is None or isinstance(doc, DataError):
        return []
    try:
        value = parse_date(data.get("value"))
        published = parse_date(doc.data.get("published"))
    except ValueError:
        return []  # reported by value-parses / published-parses
    if (
        data["modality"] == "asserted"
        and value.lower
        and published.upper
        and value.lower > published.upper
    ):
        message = (
            f"source {source_id} published by {published.upper}, "
            f"reports as past an event on {value.describe()}"
        )
        return [item.problem(("value",), message, "time-sense", WARNING)]
    if (
        data["modality"] == "scheduled"
        and value.upper
        and published.lower
        and value.upper < published.lower
    ):
        message = (
            f"source {source_id} published no earlier than {published.lower}, "
            f"reports as still planned an event on {value.describe()}"
        )
        return [item.problem(("value",), message, "time-sense", WARNING)]
    return []
