"""EDTF dates as bounds. The parsing is the `edtf` library's; this module only reads its bounds.

The library parses with a full grammar, at a few milliseconds per string, and takes a tenth of a
second to import. Plain calendar dates (`2025`, `2025-08`, `2025-08-15`, one of them marked `?`,
`~` or `%`, and intervals of them) take a shortcut that gives the library's bounds without it;
anything else, including every string the shortcut does not recognise as a real date, goes to the
library, which stays the authority. A property test checks the shortcut against the library.
Sets of plain dates (`[2025-08-01, 2025-08-03..2025-08-05]`) take a shortcut too: the library's
grammar costs more than linear time in their length.

Limits, so that every command's time stays linear in what it reads (docs/format.md): years from
1 to 9999 (an exponent year such as `Y1E99999` is refused before anything computes it), sets of
at most 50 members, and at most 100 characters for any form the shortcuts do not read.
"""

from __future__ import annotations

import datetime as dt
import re
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


_CALENDAR_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_OPEN = ".."


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS_IN_MONTH[month]


def _calendar_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; None for anything else."""
    match = _CALENDAR_DATE.fullmatch(text)
    if not match:
        return None
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    if year < dt.MINYEAR:
        return None
    if month_text is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(month_text)
    if not 1 <= month <= 12:  # 21-41 are EDTF seasons and quarters: the library's business
        return None
    if day_text is None:
        return dt.date(year, month, 1), dt.date(year, month, _days_in(year, month))
    day = int(day_text)
    if not 1 <= day <= _days_in(year, month):
        return None
    return dt.date(year, month, day), dt.date(year, month, day)


def parse_calendar(text: str) -> DateRange | None:
    """The shortcut: bounds of a plain calendar date or interval, or None to ask the library."""
    start, slash, end = text.partition("/")
    if not slash:
        bounds = _calendar_bounds(text[:-1] if text[-1:] in ("?", "~", "%") else text)
        if bounds is None:
            return None
        return DateRange(text, bounds[0], bounds[1], text[-1] in "?~%")
    if start == _OPEN or "/" in end:
        return None
    first = _calendar_bounds(start)
    if first is None:
        return None
    if end == _OPEN:
        return DateRange(text, first[0], None)
    last = _calendar_bounds(end)
    if last is None or last[1] < first[0]:
        return None  # the library, then the check below, say why
    return DateRange(text, first[0], last[1])


MAX_YEAR = 9999
MAX_SET_MEMBERS = 50
MAX_LIBRARY_CHARS = 100
# A long year (`Y12345`, `Y-170000`), with an exponent (`Y17E7`) and significant digits (`S3`).
_LONG_YEAR = re.compile(r"Y-?([0-9]*)(?:E([0-9]*))?")
_SET = re.compile(r"\[(.*)\]|\{(.*)\}", re.DOTALL)


def _refuse_beyond_limits(text: str) -> None:
    """ValueError for what the library would take unbounded time or memory over: checked in
    one pass over the text, before the library sees it."""
    for match in _LONG_YEAR.finditer(text):
        digits, exponent = match.group(1).lstrip("0"), match.group(2)
        # Compare lengths before any number is made: Y1E99999999999999 is 10**(10**16).
        if exponent is not None and (
            len(exponent.lstrip("0")) > 1 or len(digits) + int(exponent or 0) > 4
        ):
            raise ValueError(f"year beyond {MAX_YEAR} (dates run from year 1 to {MAX_YEAR})")
        if len(digits) > 4:
            raise ValueError(f"year beyond {MAX_YEAR} (dates run from year 1 to {MAX_YEAR})")
    members = text.count(",") + 1
    if text[:1] in "[{" and members > MAX_SET_MEMBERS:
        raise ValueError(f"a set of {members} dates; at most {MAX_SET_MEMBERS} are supported")
    if len(text) > MAX_LIBRARY_CHARS:
        raise ValueError(
            f"{len(text)} characters; dates other than plain dates and sets of them may have "
            f"at most {MAX_LIBRARY_CHARS}"
        )


def parse_set(text: str) -> DateRange | None:
    """The shortcut for a set (`[...]` one of, `{...}` all of) of plain calendar dates and
    ranges `A..B`, `..A`, `A..`: its bounds span every member's. None to ask the library."""
    match = _SET.fullmatch(text)
    if not match:
        return None
    inner = match.group(1) if match.group(1) is not None else match.group(2)
    lowers: list[dt.date | None] = []
    uppers: list[dt.date | None] = []
    for member in inner.split(","):
        member = member.strip()
        start, dots, end = member.partition("..")
        first = _calendar_bounds(start) if start else None
        last = _calendar_bounds(end) if end else None
        if (start and first is None) or (end and last is None) or not (start or end):
            return None
        if dots and first and last and last[1] < first[0]:
            return None  # the library says why
        if not dots:
            last = first
        lowers.append(first[0] if first else None)
        uppers.append(last[1] if last else None)
    if not lowers or len(lowers) > MAX_SET_MEMBERS:
        return None
    lower = None if None in lowers else min(lowers)  # type: ignore[type-var]
    upper = None if None in uppers else max(uppers)  # type: ignore[type-var]
    return DateRange(text, lower, upper)


@lru_cache(maxsize=65536)
def parse_date(text: str) -> DateRange:
    """Parse an EDTF string into a DateRange; ValueError with a short reason if it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("an EDTF date must be a non-empty string")
    found = parse_calendar(text)
    if found is None and text[:1] in "[{":
        found = parse_set(text)
    if found is not None:
        return found
    _refuse_beyond_limits(text)
    return parse_with_library(text)


def parse_with_library(text: str) -> DateRange:
    """The reference parse, by the `edtf` library, of any EDTF string within the limits."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("an EDTF date must be a non-empty string")
    _refuse_beyond_limits(text)
    from edtf import parse_edtf

    try:
        parsed = parse_edtf(text)
        lower = _bound(parsed.lower_strict())
        upper = _bound(parsed.upper_strict())
    except (OverflowError, ValueError) as err:
        if (
            isinstance(err, OverflowError)
            or "year" in str(err)
            or "day" in str(err)
            or "month" in str(err)
        ):
            raise ValueError(f"not a real calendar date ({err})") from None
        raise ValueError(f"not a valid EDTF date; {_hint(text)}") from None
    except Exception:  # the library raises its own parse errors and, on odd input, others
        raise ValueError(f"not a valid EDTF date; {_hint(text)}") from None
    if lower and upper and upper < lower:
        raise ValueError(f"interval ends ({upper}) before it starts ({lower})")
    return DateRange(text, lower, upper, any(mark in text for mark in "?~%"))


def _hint(text: str) -> str:
    from .datehints import hint  # only on the way to an error message

    return hint(text)


def date_argument(text: str, *, end: bool) -> dt.date:
    """A command-line date (any EDTF) as one day: its last possible day if `end`, else its first."""
    try:
        value = parse_date(text)
    except ValueError as err:
        from .errors import UsageError

        raise UsageError(f"invalid date {text!r}: {err}") from None
    bound = value.upper if end else value.lower
    return bound or (dt.date.max if end else dt.date.min)


def parse_date_or_none(value) -> DateRange | None:
    """parse_date, or None for anything that is not an EDTF date (a list, a mapping, garbage)."""
    try:
        return parse_date(value)
    except (ValueError, TypeError):
        return None
