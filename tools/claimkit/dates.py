"""EDTF dates as bounds. The parsing is the `edtf` library's; this module only reads its bounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class DateRange:
    """An EDTF value reduced to the days it may denote. None is an open end."""

    text: str
    lower: dt.date | None
    upper: dt.date | None
    uncertain: bool = False  # marked '?', '~' or '%'

    def __str__(self) -> str:
        return self.text

    @property
    def exact(self) -> bool:
        return self.lower is not None and self.lower == self.upper

    def describe(self) -> str:
        """The text, with its bounds when it is more than one day."""
        if (self.exact and not self.uncertain) or self.lower is None or self.upper is None:
            return self.text
        return f"{self.text} ({self.lower} to {self.upper})"

    def sort_key(self) -> dt.date:
        return self.lower or dt.date.min


def _bound(value) -> dt.date | None:
    if isinstance(value, float):  # the library's +-inf for an open end
        return None
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)


@lru_cache(maxsize=65536)
def parse_date(text: str) -> DateRange:
    """Parse an EDTF string into a DateRange; ValueError with a short reason if it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("an EDTF date must be a non-empty string")
    from edtf import parse_edtf

    try:
        parsed = parse_edtf(text)
        lower = _bound(parsed.lower_strict())
        upper = _bound(parsed.upper_strict())
    except ValueError as err:
        if "year" in str(err) or "day" in str(err) or "month" in str(err):
            raise ValueError(f"not a real calendar date ({err})") from None
        raise ValueError("not a valid EDTF date") from None
    except Exception:  # the library raises its own parse errors and, on odd input, others
        raise ValueError("not a valid EDTF date") from None
    if lower and upper and upper < lower:
        raise ValueError(f"interval ends ({upper}) before it starts ({lower})")
    return DateRange(text, lower, upper, any(mark in text for mark in "?~%"))


def date_argument(text: str, *, end: bool) -> dt.date:
    """A command-line date (any EDTF) as one day: its last possible day if `end`, else its first."""
    try:
        value = parse_date(text)
    except ValueError as err:
        from .errors import UsageError

        raise UsageError(f"invalid date {text!r}: {err}") from None
    bound = value.upper if end else value.lower
    return bound or (dt.date.max if end else dt.date.min)
