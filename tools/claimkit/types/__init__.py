"""Value types as plug-ins: one module a type, each supplying parsing from the article's words,
validation, display text, comparison, its JSON-Schema fragment and its export columns.

A new type is one module here and one line in REGISTRY (then its docs and tests).
"""

from __future__ import annotations

from . import boolean, category, date, number, people, place, quantity, text
from .base import Comparison, ValueType

REGISTRY: dict[str, ValueType] = {
    t.name: t
    for t in (
        date.TYPE,
        place.TYPE,
        people.TYPE,
        text.TYPE,
        number.TYPE,
        boolean.TYPE,
        quantity.TYPE,
        category.TYPE,
    )
}
NAMES = tuple(REGISTRY)


def get(name: str) -> ValueType | None:
    return REGISTRY.get(name) if isinstance(name, str) else None


__all__ = ["REGISTRY", "NAMES", "Comparison", "ValueType", "get"]


def schema_rules() -> list[dict]:
    """The claim schema's `allOf`: for each type, the shape its value must have."""
    return [
        {
            "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
            "then": {"properties": {"value": value_type.schema}},
        }
        for name, value_type in REGISTRY.items()
    ]
