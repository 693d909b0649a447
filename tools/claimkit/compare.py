"""Typed comparison of two values, and the change kind between two versions of a claim. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .dates import DateRange, parse_date
from .kinds import (  # noqa: F401  (re-exported: the kinds are named here too)
    BROADENED,
    CHANGE_KINDS,
    CHANGED,
    CONTRADICTED,
    CORROBORATED,
    EDITED,
    FIRST_REPORT,
    REFINED,
)
from .model import Claim
from .quotes import normalise
from .values import value_text


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    """A name or place as compared: normalised and case-folded. The same few names recur in
    every version of a claim, so each is worked out once."""
    return normalise(text).casefold()


# Relations between two values; refined, broadened, contradicted and changed double as kinds.
SAME = "same"
OVERLAPPING = "overlapping"


@dataclass(frozen=True)
class Comparison:
    relation: str  # same, refined, broadened, contradicted, overlapping or changed
    added: tuple[str, ...] = ()  # people only
    removed: tuple[str, ...] = ()


def _bounds(value: DateRange) -> tuple[dt.date, dt.date]:
    return value.lower or dt.date.min, value.upper or dt.date.max


def compare_dates(old: DateRange, new: DateRange) -> Comparison:
    """By EDTF bounds: inside is refined, around is broadened, apart is contradicted."""
    (old_lo, old_hi), (new_lo, new_hi) = _bounds(old), _bounds(new)
    if (old_lo, old_hi) == (new_lo, new_hi):
        if old.uncertain == new.uncertain:
            return Comparison(SAME)
        return Comparison(REFINED if old.uncertain else BROADENED)
    if new_hi < old_lo or new_lo > old_hi:
        return Comparison(CONTRADICTED)
    if old_lo <= new_lo and new_hi <= old_hi:
        return Comparison(REFINED)
    if new_lo <= old_lo and old_hi <= new_hi:
        return Comparison(BROADENED)
    return Comparison(OVERLAPPING)


def _place(value: list) -> list[str]:
    return [_key(str(part)) for part in value]


def compare_places(old: list, new: list) -> Comparison:
    """Places run broad to narrow: a longer path that starts with the old one refines it."""
    old_path, new_path = _place(old), _place(new)
    if old_path == new_path:
        return Comparison(SAME)
    if new_path[: len(old_path)] == old_path:
        return Comparison(REFINED)
    if old_path[: len(new_path)] == new_path:
        return Comparison(BROADENED)
    return Comparison(CONTRADICTED)


def compare_people(old: list, new: list) -> Comparison:
    """People are a set: say who was added and who removed."""
    old_names = {_key(str(n)): str(n) for n in old}
    new_names = {_key(str(n)): str(n) for n in new}
    if old_names.keys() == new_names.keys():
        return Comparison(SAME)
    added = tuple(sorted(new_names[k] for k in new_names.keys() - old_names.keys()))
    removed = tuple(sorted(old_names[k] for k in old_names.keys() - new_names.keys()))
    return Comparison(CHANGED, added, removed)


def compare_values(kind: str, old: Any, new: Any) -> Comparison:
    """Compare two values of one claim type; values that do not parse compare as text."""
    try:
        if kind == "date":
            return compare_dates(parse_date(old), parse_date(new))
        if kind == "place" and isinstance(old, list) and isinstance(new, list):
            return compare_places(old, new)
        if kind == "people" and isinstance(old, list) and isinstance(new, list):
            return compare_people(old, new)
    except ValueError:
        pass
    if kind == "text" and isinstance(old, str) and isinstance(new, str):
        return Comparison(SAME if normalise(old) == normalise(new) else CHANGED)
    if kind == "boolean" and old != new:
        return Comparison(CONTRADICTED)
    return Comparison(SAME if old == new else CHANGED)


def contradicts(kind: str, old: Any, new: Any) -> bool:
    return compare_values(kind, old, new).relation == CONTRADICTED


@dataclass(frozen=True)
class Change:
    kind: str  # one of CHANGE_KINDS
    detail: str  # what differs, in words


def describe_change(old: Any, new: Any, kind: str, comparison: Comparison) -> str:
    if comparison.relation == SAME:
        return ""
    if comparison.added or comparison.removed:
        parts = []
        if comparison.added:
            parts.append("added " + ", ".join(comparison.added))
        if comparison.removed:
            parts.append("removed " + ", ".join(comparison.removed))
        return "; ".join(parts)
    return f"{value_text(old, kind)} -> {value_text(new, kind)}"


def change_between(previous: Claim | None, current: Claim) -> Change:
    """The change kind of `current` against the chronologically previous version."""
    if previous is None:
        return Change(FIRST_REPORT, "")
    notes = []
    if previous.type != current.type:
        detail = f"type {previous.type} -> {current.type}"
        return Change(EDITED if previous.source == current.source else CHANGED, detail)
    comparison = compare_values(current.type, previous.value, current.value)
    value_detail = describe_change(previous.value, current.value, current.type, comparison)
    if comparison.relation == OVERLAPPING:
        value_detail += " (overlapping)"
    if value_detail:
        notes.append(value_detail)
    if previous.modality != current.modality:
        notes.append(f"modality {previous.modality} -> {current.modality}")
    detail = "; ".join(notes)
    if previous.source == current.source:
        return Change(EDITED, detail)
    if comparison.relation == SAME:
        return Change(CORROBORATED, detail)
    if comparison.relation == OVERLAPPING:
        return Change(CHANGED, detail)
    return Change(comparison.relation, detail)
