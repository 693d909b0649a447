"""Relative dates ("next Friday", "in two weeks") resolved against an article's publication date.

The phrases understood are the table below (docs/editing.md shows it); anything else is refused,
never guessed. The arithmetic is python-dateutil's relativedelta. A publication date that is
uncertain or an interval gives a resolved date that is as uncertain, or an interval: the phrase
is resolved against both ends, and the answer spans what it can mean.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import DateRange

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
UNITS = ("day", "week", "month", "year")

# (phrase, what it means), as documented; the patterns below are the same table in code.
PHRASES = (
    ("today", "the publication day"),
    ("yesterday / tomorrow", "the day before / after it"),
    ("the day before yesterday / the day after tomorrow", "two days before / after it"),
    ("next Friday, the following Friday, the coming Friday", "the first Friday after it"),
    ("last Friday, the previous Friday", "the last Friday before it"),
    ("this Friday", "the Friday of its week (Monday to Sunday)"),
    ("this / next / last week", "that week, Monday to Sunday, as an interval"),
    ("this / next / last weekend", "that week's Saturday and Sunday, as an interval"),
    ("this / next / last month", "that month (YYYY-MM)"),
    ("this / next / last year", "that year (YYYY)"),
    ("in 3 days, in two weeks, in a month, in a year", "that long after it (days and weeks to the day)"),
    ("3 days ago, two weeks ago, a month ago", "that long before it"),
    ("3 days later, two weeks earlier", "as 'in 3 days', 'two weeks ago'"),
)  # fmt: skip


class Unresolvable(ValueError):
    """A phrase outside the table, or a publication date it cannot be resolved against."""


@dataclass(frozen=True)
class Resolved:
    """A phrase resolved: the EDTF value, and how it was reached in words (for the note)."""

    value: str
    explanation: str


def _span(day: dt.date, phrase: str) -> tuple[dt.date, dt.date, str]:
    """The first and last day `phrase` means from `day`, and the precision: day, month or year."""
    from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

    weekday_of = dict(zip(WEEKDAYS, (MO, TU, WE, TH, FR, SA, SU), strict=True))
    text = " ".join(phrase.casefold().replace(",", " ").split())
    text = re.sub(r"^(on|by|until|from|since) ", "", text)
    fixed = {
        "today": 0, "yesterday": -1, "tomorrow": 1,
        "the day before yesterday": -2, "the day after tomorrow": 2,
    }  # fmt: skip
    if text in fixed:
        target = day + dt.timedelta(days=fixed[text])
        return target, target, "day"
    match = re.fullmatch(r"(?:the )?(next|following|coming|last|previous|this) (\w+)", text)
    if match:
        which, what = match.groups()
        step = {"next": 1, "following": 1, "coming": 1, "last": -1, "previous": -1, "this": 0}[
            which
        ]
        if what in weekday_of:
            if step > 0:
                target = day + relativedelta(days=1, weekday=weekday_of[what](+1))
            elif step < 0:
                target = day + relativedelta(days=-1, weekday=weekday_of[what](-1))
            else:
                monday = day + relativedelta(weekday=MO(-1))
                target = monday + dt.timedelta(days=WEEKDAYS.index(what))
            return target, target, "day"
        if what in ("week", "weekend") and which not in ("following", "coming", "previous"):
            monday = day + relativedelta(weekday=MO(-1), weeks=step)
            if what == "week":
                return monday, monday + dt.timedelta(days=6), "day"
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "day"
        if what == "month" and which not in ("following", "coming", "previous"):
            first = day.replace(day=1) + relativedelta(months=step)
            return first, first + relativedelta(months=1, days=-1), "month"
        if what == "year" and which not in ("following", "coming", "previous"):
            return dt.date(day.year + step, 1, 1), dt.date(day.year + step, 12, 31), "year"
    match = re.fullmatch(
        r"(?:in (\w+) (day|week|month|year)s?(?: time)?)|(?:(\w+) (day|week|month|year)s? "
        r"(ago|earlier|before|later|after|on))",
        text,
    )
    if match:
        count_text = match.group(1) or match.group(3)
        unit = match.group(2) or match.group(4)
        count = int(count_text) if count_text.isdigit() else NUMBERS.get(count_text)
        if count is not None and count <= 1000:
            sign = -1 if match.group(5) in ("ago", "earlier", "before") else 1
            target = day + relativedelta(**{f"{unit}s": sign * count})
            return target, target, "day"
    raise Unresolvable(
        f"cannot resolve {phrase!r}: the phrases understood are like 'next Friday', 'last "
        "week', 'this month', 'in two weeks', '3 days ago' (see docs/editing.md); give --value"
    )


def _edtf(lower: dt.date, upper: dt.date, precision: str) -> str:
    if precision == "year":
        return str(lower.year) if lower.year == upper.year else f"{lower.year}/{upper.year}"
    if precision == "month":
        first, last = lower.strftime("%Y-%m"), upper.strftime("%Y-%m")
        return first if first == last else f"{first}/{last}"
    return lower.isoformat() if lower == upper else f"{lower.isoformat()}/{upper.isoformat()}"


def resolve(phrase: str, published: DateRange) -> Resolved:
    """The EDTF date `phrase` means in an article published on `published`.

    An exact publication day gives what the table says. An interval or a month gives the span
    of the phrase resolved against its first and its last day; an uncertain day (`?`, `~`)
    gives an uncertain result. An open end cannot be resolved against.
    """
    if published.lower is None or published.upper is None:
        raise Unresolvable(
            f"cannot resolve {phrase!r} against the published date {published.text}: it has an "
            "open end; give --value"
        )
    first = _span(published.lower, phrase)
    if published.lower == published.upper:
        value = _edtf(*first)
        how = f"the published date {published.text} ({published.lower:%A})"
    else:
        last = _span(published.upper, phrase)
        value = _edtf(first[0], last[1], first[2])
        how = f"the published date {published.text} (from {published.lower} to {published.upper})"
    if published.uncertain:  # as uncertain as the date it was resolved against
        value = "/".join(f"{end}?" for end in value.split("/"))
    return Resolved(value, f"'{phrase}' resolved against {how}: {value}.")
