"""number: an exact figure, as a YAML number. For the press's approximate words use quantity."""

from __future__ import annotations

from math import isfinite

from .base import ValueType


class Number(ValueType):
    name = "number"
    description = "An exact figure; quantity holds the press's approximate words."
    schema = {
        "description": "An exact figure, e.g. 9 (for 'about 9' use quantity).",
        "type": "number",
    }

    def from_words(self, words):
        """An int or a finite float; what a claim file could not hold (nan, inf, 1e999, an
        integer of more than 4,300 digits) is refused, as the YAML reader refuses it."""
        from ..yamlio import MAX_INT_DIGITS

        word = super().from_words(words)
        if len(word.lstrip("+-")) > MAX_INT_DIGITS:
            raise ValueError(f"--value is a number of more than {MAX_INT_DIGITS} digits")
        try:
            return int(word)
        except ValueError:
            pass
        try:
            number = float(word)
        except ValueError:
            raise ValueError(
                f"--value {word!r} is not a number (approximate words need type quantity)"
            ) from None
        if not isfinite(number):
            raise ValueError(f"--value {word!r} is not a finite number")
        return number

    def columns(self, value):
        # NaN and infinities have no place in JSON or a number column.
        if isinstance(value, (int, float)) and not isinstance(value, bool) and isfinite(value):
            return {"amount_lower": value, "amount_upper": value}
        return {}


TYPE = Number()
