"""text: a short statement, compared after normalising whitespace and quotes."""

from __future__ import annotations

from ..quotes import normalise
from .base import AS_CHANGED, AS_SAME, Comparison, ValueType


class Text(ValueType):
    name = "text"
    description = "A short statement."
    schema = {"description": "A short statement.", "type": "string", "minLength": 1}

    def compare(self, old, new) -> Comparison:
        if isinstance(old, str) and isinstance(new, str):
            return AS_SAME if normalise(old) == normalise(new) else AS_CHANGED
        return super().compare(old, new)


TYPE = Text()
