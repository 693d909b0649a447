"""value-parses, published-parses: values mean something for their type."""

from __future__ import annotations

from ..dates import parse_date
from ..findings import CLAIMS, ERROR, SOURCES, Item, rule
from ..quotes import normalise


@rule("value-parses", ERROR, CLAIMS)
def value_parses(context, item: Item):
    """The value means something for its type (an EDTF date, no person named twice, no blank
    place)."""
    data = item.doc.data
    kind, value = data.get("type"), data.get("value")
    if kind == "date" and isinstance(value, str):
        try:
            parse_date(value)
        except ValueError as err:
            return [
                item.problem(
                    ("value",), f"value '{value}' is not a valid EDTF date: {err}", "value-parses"
                )
            ]
    if kind in ("place", "people") and isinstance(value, list):
        names = [normalise(v) for v in value if isinstance(v, str)]
        if kind == "people" and len({n.casefold() for n in names}) < len(names):
            return [item.problem(("value",), "people lists the same name twice", "value-parses")]
        if any(not n for n in names):
            return [item.problem(("value",), f"{kind} has a blank entry", "value-parses")]
    return []


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
