"""Typed values: reading them from command-line words, and showing them as one line.

Facades over the value-type registry in types/.
"""

from __future__ import annotations

from typing import Any

from . import types
from .errors import UsageError


def value_from_words(kind: str, words: tuple[str, ...] | list[str]) -> Any:
    """The value of a claim of type `kind` from command-line words (lists take one word per item)."""
    value_type = types.get(kind)
    if value_type is None:
        raise UsageError(f"unknown type {kind!r}; one of {', '.join(types.NAMES)}")
    try:
        return value_type.from_words([w.strip() for w in words])
    except ValueError as err:
        raise UsageError(str(err)) from None


def value_text(value: Any, kind: str | None = None) -> str:
    """One line for any value, as its type shows it (lists joined with commas without one)."""
    value_type = types.get(kind)
    if value_type is not None:
        return value_type.text(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return types.text.TYPE.text(value)


def value_text_with_bounds(value: Any, kind: str | None = None) -> str:
    """value_text, with the bounds a type derives from the words (a quantity's) after them."""
    value_type = types.get(kind)
    return value_type.text_with_bounds(value) if value_type else value_text(value, kind)
