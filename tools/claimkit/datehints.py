"""What to write instead of a date that is not EDTF: the forms accepted, and the one closest to
what was typed ("August 15, 2025" -> 2025-08-15, "15/08/2025" -> 2025-08-15)."""

from __future__ import annotations

import datetime as dt
import re

FORMS = (
    "EDTF forms: 2025-08-15 (a day), 2025-08 (a month), 2025 (a year), 2025-08-15? (uncertain), "
    "2025-08-15~ (approximate), 2025-08-11/2025-08-17 (an interval)"
)
_NUMERIC = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
_RELATIVE = re.compile(
    r"\b(next|last|this|following|coming|previous|ago|yesterday|today|tomorrow|in \w+ (day|week|month|year)s?)\b",
    re.IGNORECASE,
)


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(text: str) -> list[str]:
    """Candidates for an all-digit date: 2025/08/15, 15/08/2025, 08.15.2025, ..."""
    match = _NUMERIC.fullmatch(text)
    if not match:
        return []
    a, b, c = (int(g) for g in match.groups())
    if len(match.group(1)) == 4:  # year first: 2025/08/15
        return [d for d in [_day(a, b, c)] if d]
    if len(match.group(3)) != 4:
        return []
    # Day first where the first number cannot be a month, month first where the second cannot;
    # both where either could, the day-first reading first (as most of the world writes it).
    readings = [_day(c, b, a), _day(c, a, b)] if a != b else [_day(c, b, a)]
    return list(dict.fromkeys(d for d in readings if d))


def _words(text: str) -> list[str]:
    """Candidates for a date in words ('August 15, 2025', '15 Aug 2025', 'August 2025')."""
    from dateutil import parser

    found = []
    try:
        # Parsed twice with different defaults: the parts that change were not in the text.
        first = parser.parse(text, default=dt.datetime(1904, 1, 1))
        second = parser.parse(text, default=dt.datetime(1908, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return []
    has_year, has_month, has_day = (
        first.year == second.year, first.month == second.month, first.day == second.day
    )  # fmt: skip
    if not has_year:
        return []
    if has_month and has_day:
        found.append(first.date().isoformat())
    elif has_month:
        found.append(f"{first.year:04d}-{first.month:02d}")
    elif not has_day:
        found.append(f"{first.year:04d}")
    return found


def suggestions(text: str) -> list[str]:
    """The EDTF dates closest to `text`, most likely first; none where no reading is sure."""
    text = " ".join(str(text).split())
    if not text:
        return []
    return _numeric(text) or _words(text)


def hint(text: str) -> str:
    """The rest of an invalid-date message: a close EDTF form if there is one, and the forms."""
    close = suggestions(text)
    if close:
        return f"write it as {' or '.join(close)} ({FORMS})"
    if isinstance(text, str) and _RELATIVE.search(text):
        return (
            f"a relative phrase goes in --time-expression, resolved against the article ({FORMS})"
        )
    return FORMS
