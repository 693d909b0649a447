"""date: an EDTF string, compared by its bounds."""

from __future__ import annotations

import datetime as dt

from ..dates import DateRange, parse_date
from .base import BROADENED, CONTRADICTED, OVERLAPPING, PLAIN, REFINED, SAME, Comparison, ValueType


def compare_ranges(old_lo, old_hi, new_lo, new_hi) -> str:
    """Inside is refined, around is broadened, apart is contradicted, else overlapping."""
    if (old_lo, old_hi) == (new_lo, new_hi):
        return SAME
    if new_hi < old_lo or new_lo > old_hi:
        return CONTRADICTED
    if old_lo <= new_lo and new_hi <= old_hi:
        return REFINED
    if new_lo <= old_lo and old_hi <= new_hi:
        return BROADENED
    return OVERLAPPING


def _bounds(value: DateRange) -> tuple[dt.date, dt.date]:
    return value.lower or dt.date.min, value.upper or dt.date.max


def compare_dates(old: DateRange, new: DateRange) -> Comparison:
    """By EDTF bounds; the same bounds with only the uncertainty mark gone is refined."""
    relation = compare_ranges(*_bounds(old), *_bounds(new))
    if relation == SAME and old.uncertain != new.uncertain:
        relation = REFINED if old.uncertain else BROADENED
    return PLAIN[relation]


class Date(ValueType):
    name = "date"
    description = "An EDTF date, interval or uncertain date."
    schema = {
        "description": "An EDTF string: 2025-08-15, 2025-08, 2025-08-11/2025-08-17, 2025-08-11/.., 2025-08-15?, 2025-08~",
        "type": "string",
        "pattern": "^[-0-9XYSEZT:+.?~%/\\[\\]{}, ]+$",
    }

    def from_words(self, words):
        word = super().from_words(words)
        try:
            parse_date(word)
        except ValueError as err:
            raise ValueError(f"--value {word!r}: {err}") from None
        return word

    def problems(self, value):
        if isinstance(value, str):
            try:
                parse_date(value)
            except ValueError as err:
                return [f"value '{value}' is not a valid EDTF date: {err}"]
        return []

    def compare(self, old, new):
        try:
            return compare_dates(parse_date(old), parse_date(new))
        except (ValueError, TypeError):
            return super().compare(old, new)

    def columns(self, value):
        try:
            date = parse_date(value)
        except (ValueError, TypeError):
            return {}
        return {
            "value_lower": date.lower.isoformat() if date.lower else None,
            "value_upper": date.upper.isoformat() if date.upper else None,
        }


TYPE = Date()
