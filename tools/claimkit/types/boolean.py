"""boolean: true or false; different values contradict (e.g. "a ceasefire was agreed")."""

from __future__ import annotations

from .base import CONTRADICTED, SAME, Comparison, ValueType


class Boolean(ValueType):
    name = "boolean"
    description = "true or false."
    schema = {"description": "true or false.", "type": "boolean"}

    def from_words(self, words):
        word = super().from_words(words)
        if word.lower() not in ("true", "false"):
            raise ValueError(f"--value {word!r}: use true or false")
        return word.lower() == "true"

    def compare(self, old, new) -> Comparison:
        return Comparison(SAME if old == new else CONTRADICTED)


TYPE = Boolean()
