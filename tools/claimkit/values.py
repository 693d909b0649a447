"""Typed values: reading them from command-line words, and showing them as one line."""

from __future__ import annotations

import math
from typing import Any

from .dates import parse_date
from .errors import UsageError
from .model import TYPES


def value_from_words(kind: str, words: tuple[str, ...] | list[str]) -> Any:
    """The value of a claim of type `kind` from command-line words (lists take one word per item)."""
    if kind not in TYPES:
        raise UsageError(f"unknown type {kind!r}; one of {', '.join(TYPES)}")
    words = [w.strip() for w in words]
    if kind in ("place", "people"):
        if not words or not all(words):
            raise UsageError(f"a {kind} value needs one or more non-empty --value options")
        return list(words)
    if len(words) != 1:
        raise UsageError(f"a {kind} value takes exactly one --value")
    word = words[0]
    if kind == "date":
        try:
            parse_date(word)
        except ValueError as err:
            raise UsageError(f"--value {word!r}: {err}") from None
        return word
    if kind == "number":
        return number_from_word(word)
    if kind == "boolean":
        if word.lower() not in ("true", "false"):
            raise UsageError(f"--value {word!r}: use true or false")
        return word.lower() == "true"
    if not word:
        raise UsageError("a text value must not be empty")
    return word


def number_from_word(word: str) -> int | float:
    """An int or a finite float; what a claim file could not hold (nan, inf, 1e999, an integer
    of more than 4,300 digits) is refused, as the YAML reader refuses it."""
    from .yamlio import MAX_INT_DIGITS

    if len(word.lstrip("+-")) > MAX_INT_DIGITS:
        raise UsageError(f"--value is a number of more than {MAX_INT_DIGITS} digits")
    try:
        return int(word)
    except ValueError:
        pass
    try:
        number = float(word)
    except ValueError:
        raise UsageError(f"--value {word!r} is not a number") from None
    if not math.isfinite(number):
        raise UsageError(f"--value {word!r} is not a finite number")
    return number


def value_text(value: Any, kind: str | None = None) -> str:
    """One line for any value: places as a path, people as a list, the rest as written."""
    if isinstance(value, list):
        return (" > " if kind == "place" else ", ").join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)
