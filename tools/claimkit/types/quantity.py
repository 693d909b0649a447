"""quantity: an amount as the article words it, with the bounds those words allow.

    value: {text: nearly three hours, amount: 3, lower: 2.5, upper: 3, unit: hour}

`text` keeps the article's words; `lower` and `upper` are derived from them by the table in
APPROXIMATIONS (documented in docs/format.md); a bound left out is open. `unit` is a time
unit (second, minute, hour, day, week), converted when compared; counts have no unit.
Two quantities compare by their bounds, as dates do.
"""

from __future__ import annotations

import re
from math import isfinite
from typing import TYPE_CHECKING, Any

from .base import CHANGED, SAME, Comparison, ValueType
from .date import compare_ranges

if TYPE_CHECKING:
    from fractions import Fraction

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
UNIT_WORDS = {
    **{name: name for name in UNITS},
    **{name + "s": name for name in UNITS},
    "sec": "second", "secs": "second", "min": "minute", "mins": "minute",
    "hr": "hour", "hrs": "hour", "h": "hour",
}  # fmt: skip

# The approximation words: the phrase, then how the bounds follow from the amount x and the
# margin d = max(x / 10, half the step the amount is stated to: 1, 1/2, 0.1 ...).
APPROXIMATIONS = (
    ("about around roughly approximately some circa an estimated estimated ~", "x - d", "x + d"),
    ("nearly almost close to just under", "x - d", "x"),
    ("just over a little over a little more than", "x", "x + d"),
    ("more than over upwards of in excess of at least no fewer than no less than", "x", "open"),
    ("fewer than less than under below up to at most no more than as many as", "0", "x"),
)
QUALIFIERS = {
    "about": "approx", "around": "approx", "roughly": "approx", "approximately": "approx",
    "some": "approx", "circa": "approx", "an estimated": "approx", "estimated": "approx",
    "~": "approx",
    "nearly": "below", "almost": "below", "close to": "below", "just under": "below",
    "just over": "above", "a little over": "above", "a little more than": "above",
    "more than": "min", "over": "min", "upwards of": "min", "in excess of": "min",
    "at least": "min", "no fewer than": "min", "no less than": "min",
    "fewer than": "max", "less than": "max", "under": "max", "below": "max", "up to": "max",
    "at most": "max", "no more than": "max", "as many as": "max",
}  # fmt: skip
SUFFIXES = {"or more": "min", "or so": "approx", "or fewer": "max", "or less": "max"}
# Plurals of magnitudes. A bare plural states a lower bound only: "thousands" is at least two
# thousand, and not false of fifty thousand (the press writes "thousands killed" of a count
# that runs into the tens of thousands). Named multiples keep both bounds: "tens of thousands"
# is twenty thousand to fewer than a hundred thousand. None is an open upper bound.
MAGNITUDES = {
    "dozens": (24, None), "scores": (40, None), "hundreds": (200, None),
    "thousands": (2000, None), "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999), "millions": (2000000, None),
    "tens of millions": (20000000, 99999999),
}  # fmt: skip
# Vague counts: "a few" is two to five; before a scale word they multiply it ("several
# hundred": 300 to 900).
VAGUE = {"a couple of": (2, 3), "a couple": (2, 3), "a few": (2, 5), "several": (3, 9)}
ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = {
    w: 10 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if w != "_"
}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1000000, "billion": 1000000000}
WORD_NUMBERS = {**{w: i for i, w in enumerate(ONES)}, **TENS, "a": 1, "an": 1}
# Fraction characters, as (numerator, denominator): fractions loads only to parse words.
FRACTIONS = {"½": (1, 2), "¼": (1, 4), "¾": (3, 4), "⅓": (1, 3)}

NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
FRACTION = re.compile(r"^(\d+)/(\d+)$")


def _tokens(text: str) -> list[str]:
    for mark, _ in FRACTIONS.items():
        text = text.replace(mark, f" {mark}")
    text = re.sub(r"(?<=\d)(?=[a-z])", " ", text.lower())  # 90min -> 90 min
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # twenty-five -> twenty five
    text = re.sub(r"(?<=\d)\s*(?:-|–|to)\s*(?=\d)", " to ", text)  # 2-3 -> 2 to 3
    return text.replace("~", " ~ ").split()


def _number(tokens: list[str], at: int) -> tuple[Fraction, Fraction, int] | None:
    """A number at tokens[at]: (value, step it is stated to, next index), or None."""
    from fractions import Fraction

    value = None
    step = Fraction(1)
    i = at
    if tokens[i : i + 2] in (["a", "half"], ["an", "half"]):  # a half hour
        i += 1
    if i < len(tokens) and (m := NUMBER.match(tokens[i])):
        value = Fraction(m.group(1).replace(",", ""))
        if m.group(2):
            value += Fraction(int(m.group(2)), 10 ** len(m.group(2)))
            step = Fraction(1, 10 ** len(m.group(2)))
        i += 1
        if i < len(tokens) and (f := FRACTION.match(tokens[i])) and int(f.group(2)):
            value += Fraction(int(f.group(1)), int(f.group(2)))
            step = Fraction(1, int(f.group(2)))
            i += 1
        elif i < len(tokens) and tokens[i] in FRACTIONS:
            value += Fraction(*FRACTIONS[tokens[i]])
            step = Fraction(1, FRACTIONS[tokens[i]][1])
            i += 1
    elif i < len(tokens) and (f := FRACTION.match(tokens[i])) and int(f.group(2)):
        value, step, i = (
            Fraction(int(f.group(1)), int(f.group(2))),
            Fraction(1, int(f.group(2))),
            i + 1,
        )
    elif i < len(tokens) and tokens[i] in FRACTIONS:
        value, step, i = (
            Fraction(*FRACTIONS[tokens[i]]),
            Fraction(1, FRACTIONS[tokens[i]][1]),
            i + 1,
        )
    elif i < len(tokens) and tokens[i] == "half":
        value, step, i = Fraction(1, 2), Fraction(1, 2), i + 1
        if tokens[i : i + 1] in (["a"], ["an"]):  # half an hour
            i += 1
    else:
        total, current, seen = Fraction(0), Fraction(0), False
        while i < len(tokens):
            word = tokens[i]
            if word in WORD_NUMBERS and not (word in ("a", "an") and seen):
                if word in ("a", "an") and not (
                    i + 1 < len(tokens) and (tokens[i + 1] in SCALES or tokens[i + 1] in UNIT_WORDS)
                ):
                    break
                current += WORD_NUMBERS[word]
            elif word in SCALES and seen:
                current = (current or 1) * SCALES[word]
                if SCALES[word] >= 1000:
                    total, current = total + current, Fraction(0)
            elif word == "and" and seen and i + 1 < len(tokens) and tokens[i + 1] not in ("a",):
                i += 1
                continue
            else:
                break
            seen = True
            i += 1
        if not seen:
            return None
        value = total + current
    # "3 million", "1.2 million"
    while i < len(tokens) and tokens[i] in SCALES and value is not None:
        value *= SCALES[tokens[i]]
        step *= SCALES[tokens[i]]
        i += 1
    # "two and a half", "2 and a half"
    if tokens[i : i + 3] == ["and", "a", "half"]:
        value += Fraction(1, 2)
        step = Fraction(1, 2)
        i += 3
    return value, step, i


def _phrase(tokens: list[str], at: int, table) -> tuple[str, int] | None:
    for phrase in sorted(table, key=lambda p: -len(p.split())):
        words = phrase.split()
        if tokens[at : at + len(words)] == words:
            return phrase, at + len(words)
    return None


def _plain(number: Fraction) -> int | float:
    return int(number) if number.denominator == 1 else round(float(number), 6)


def parse_quantity(text: str) -> dict[str, Any]:
    """The recorded form of a quantity from the article's words; ValueError with a hint if not."""
    from fractions import Fraction

    words = " ".join(text.split())
    tokens = _tokens(words)
    if not tokens:
        raise ValueError("a quantity needs words, e.g. 'about 2 1/2 hours' or 'more than 100'")
    i, shape = 0, "exact"
    if found := _phrase(tokens, 0, QUALIFIERS):
        shape, i = QUALIFIERS[found[0]], found[1]
    amount = lower = upper = None
    if tokens[i : i + 1] == ["between"] or tokens[i : i + 1] == ["from"]:
        first = _number(tokens, i + 1)
        if first and tokens[first[2] : first[2] + 1] in (["and"], ["to"]):
            second = _number(tokens, first[2] + 1)
            if second:
                lower, upper, i, shape = first[0], second[0], second[2], "range"
    if shape != "range" and (found := _phrase(tokens, i, MAGNITUDES)):
        low, high = MAGNITUDES[found[0]]
        lower, upper, i = Fraction(low), None if high is None else Fraction(high), found[1]
        if shape == "min":
            upper = None
        elif shape == "max":  # "fewer than thousands": below the magnitude's least amount
            lower, upper = Fraction(0), upper if high is not None else Fraction(low)
        shape = "magnitude"
    if shape not in ("range", "magnitude") and (found := _phrase(tokens, i, VAGUE)):
        low, high = VAGUE[found[0]]
        i = found[1]
        scale = 1
        while i < len(tokens) and tokens[i] in SCALES:  # several hundred thousand
            scale, i = scale * SCALES[tokens[i]], i + 1
        lower, upper = Fraction(low * scale), Fraction(high * scale)
        if shape == "min":
            upper = None
        elif shape == "max":
            lower = Fraction(0)
        shape = "magnitude"
    if shape not in ("range", "magnitude"):
        number = _number(tokens, i)
        if number is None:
            raise ValueError(
                f"cannot read a number in {words!r}; write e.g. 'about 2 1/2 hours', "
                "'more than 100', 'tens of thousands' or '90 minutes'"
            )
        amount, step, i = number
        if tokens[i : i + 1] == ["to"] and (second := _number(tokens, i + 1)):
            lower, upper, amount, i, shape = amount, second[0], None, second[2], "range"
    unit = None
    if i < len(tokens) and tokens[i] in UNIT_WORDS:
        unit, i = UNIT_WORDS[tokens[i]], i + 1
        if tokens[i : i + 3] == ["and", "a", "half"] and amount is not None:
            amount, step, i = amount + Fraction(1, 2), Fraction(1, 2), i + 3
    if (found := _phrase(tokens, i, SUFFIXES)) and shape == "exact":
        shape, i = SUFFIXES[found[0]], found[1]
    rest = tokens[i:]
    if any(not re.fullmatch(r"[a-z'’.]+", word) for word in rest):
        raise ValueError(f"cannot read {' '.join(rest)!r} in {words!r}; one amount a value")
    if amount is not None:
        margin = max(amount / 10, step / 2)
        lower, upper = {
            "exact": (amount, amount),
            "approx": (amount - margin, amount + margin),
            "below": (amount - margin, amount),
            "above": (amount, amount + margin),
            "min": (amount, None),
            "max": (Fraction(0), amount),
        }[shape]
        lower = max(lower, Fraction(0)) if lower is not None else None
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(f"{words!r}: the range runs backwards")
    value: dict[str, Any] = {"text": words}
    for name, number in (("amount", amount), ("lower", lower), ("upper", upper)):
        if number is not None:
            value[name] = _plain(number)
    if unit:
        value["unit"] = unit
    return value


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _unit(value: dict) -> str | None:
    """The value's time unit; None for a count (or a unit the tool does not know)."""
    unit = value.get("unit")
    return unit if isinstance(unit, str) and unit in UNITS else None


def _in_base(value: dict) -> tuple[float, float]:
    """The bounds in seconds (time) or as counted; an open bound is infinite."""
    scale = UNITS[unit] if (unit := _unit(value)) else 1
    lower, upper = value.get("lower"), value.get("upper")
    return (
        lower * scale if _num(lower) else float("-inf"),
        upper * scale if _num(upper) else float("inf"),
    )


def _span(value: dict) -> str:
    lower, upper, unit = value.get("lower"), value.get("upper"), _unit(value)
    suffix = f" {unit}s" if unit else ""
    if lower == upper:
        return f"{lower}{suffix}"
    if upper is None:
        return f"{lower} or more{suffix}"
    return f"{lower if lower is not None else '…'}–{upper}{suffix}"


class Quantity(ValueType):
    name = "quantity"
    description = "An amount in the article's words, with bounds and a time unit or none."
    schema = {
        "description": "An amount as the article words it, with the bounds derived from the words (a bound left out is open): {text: nearly three hours, amount: 3, lower: 2.5, upper: 3, unit: hour}. claims record --value derives them.",
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "minLength": 1},
            "amount": {"type": "number"},
            "lower": {"type": "number"},
            "upper": {"type": "number"},
            "unit": {"enum": list(UNITS)},
        },
    }
    empty = ""

    def from_words(self, words):
        return parse_quantity(super().from_words(words))

    def problems(self, value):
        if not isinstance(value, dict):
            return []
        lower, upper, amount = value.get("lower"), value.get("upper"), value.get("amount")
        if not _num(lower) and not _num(upper):
            try:
                derived = parse_quantity(str(value.get("text", "")))
                hint = (
                    f"; the words give lower {derived.get('lower')}, upper {derived.get('upper')}"
                )
            except ValueError:
                hint = ""
            return [f"quantity needs a lower and/or an upper bound{hint}"]
        if _num(lower) and _num(upper) and lower > upper:
            return [f"quantity's lower bound {lower} is above its upper bound {upper}"]
        low, high = _in_base({**value, "unit": None})  # in the stated unit, as amount is
        if _num(amount) and not low <= amount <= high:
            return [f"quantity's amount {amount} lies outside its bounds"]
        return []

    def text(self, value):
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            return value["text"]
        return super().text(value)

    def text_with_bounds(self, value):
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            return f"{value['text']} ({_span(value)})"
        return self.text(value)

    def compare(self, old, new):
        """By bounds, as dates are; amounts of time and counts do not compare."""
        if not (isinstance(old, dict) and isinstance(new, dict)):
            return super().compare(old, new)
        if (_unit(old) is None) != (_unit(new) is None):
            return Comparison(CHANGED, note="a time against a count")
        relation = compare_ranges(*_in_base(old), *_in_base(new))
        return Comparison(relation)

    def describe(self, old, new, comparison):
        if comparison.relation == SAME:
            return ""
        if isinstance(old, dict) and isinstance(new, dict):
            return f"{self.text(old)} -> {self.text(new)}: {_span(old)} vs {_span(new)}"
        return super().describe(old, new, comparison)

    def columns(self, value):
        if not isinstance(value, dict):
            return {}
        lower, upper = value.get("lower"), value.get("upper")
        return {  # NaN and infinities have no place in JSON or a number column
            "amount_lower": lower if _num(lower) and isfinite(lower) else None,
            "amount_upper": upper if _num(upper) and isfinite(upper) else None,
            "value_unit": _unit(value),
        }


TYPE = Quantity()
