"""value-parses, superseded-exists, published-parses: values mean something for their type."""

from __future__ import annotations

from .. import types
from ..dates import parse_date
from ..findings import CLAIMS, ERROR, SOURCES, Item, rule
from ..types import vocabulary
from ..types.category import term_problems


def _value_problems(kind: str, value, prop) -> list[str]:
    value_type = types.get(kind)
    if value_type is None:
        return []
    found = value_type.problems(value)
    if kind == "category" and isinstance(prop, str):
        found += term_problems(value, prop, vocabulary.current())
    return found


@rule("value-parses", ERROR, CLAIMS)
def value_parses(context, item: Item):
    """The value (and each `also` value) means something for its type: an EDTF date, no person
    named twice (aliases included), a place as a list with no level holding `>` (nor one
    holding `,` alone), a quantity with ordered bounds, a category term of its property's
    vocabulary."""
    data = item.doc.data
    kind, prop = data.get("type"), data.get("property")
    problems = [
        item.problem(("value",), message, "value-parses")
        for message in _value_problems(kind, data.get("value"), prop)
    ]
    also = data.get("also")
    for index, entry in enumerate(also if isinstance(also, list) else []):
        if isinstance(entry, dict) and "value" in entry:
            problems += [
                item.problem(("also", index, "value"), f"also: {message}", "value-parses")
                for message in _value_problems(kind, entry["value"], prop)
            ]
    return problems


@rule("superseded-exists", ERROR, CLAIMS)
def superseded_exists(context, item: Item):
    """Each id in `superseded_by` is another claim in `claims/`."""
    data = item.doc.data
    replacing = data.get("superseded_by")
    if not isinstance(replacing, list):
        return []
    known = context.claim_ids()
    problems = []
    for index, claim_id in enumerate(replacing):
        if not isinstance(claim_id, str):
            continue
        if claim_id == data.get("id"):
            message = "superseded_by names the claim itself"
        elif claim_id not in known:
            message = f"superseded_by names '{claim_id}', which is not a claim in claims/"
        else:
            continue
        problems.append(item.problem(("superseded_by", index), message, "superseded-exists"))
    return problems


@rule("published-parses", ERROR, SOURCES)
def published_parses(context, item: Item):
    """`published` is an EDTF date."""
    value = item.doc.data.get("published")
    if isinstance(value, str):
        try:
            parse_date(value)
        except ValueError as err:
            return [
                item.problem(
                    ("published",),
                    f"published '{value}' is not a valid EDTF date: {err}",
                    "published-parses",
                )
            ]
    return []
