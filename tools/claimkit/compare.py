"""Typed comparison of two values, and the change kind between two versions of a claim. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import types
from .model import Claim
from .types import base
from .types import date as date_type
from .values import value_text

# Comparison and the relations live with the value types; they are named here too.
SAME, REFINED, BROADENED, CONTRADICTED, OVERLAPPING, CHANGED = (
    base.SAME, base.REFINED, base.BROADENED, base.CONTRADICTED, base.OVERLAPPING, base.CHANGED
)  # fmt: skip
Comparison = base.Comparison
compare_dates = date_type.compare_dates

# Change kinds of a version against the one before it in the story: one table, in kinds.py.
from .kinds import CHANGE_KINDS, CORROBORATED, EDITED, FIRST_REPORT  # noqa: E402,F401


def compare_values(kind: str, old: Any, new: Any) -> Comparison:
    """Compare two values of one claim type; an unknown type compares by equality."""
    value_type = types.get(kind)
    if value_type is None:
        return Comparison(SAME if old == new else CHANGED)
    return value_type.compare(old, new)


@dataclass(frozen=True)
class Change:
    kind: str  # one of CHANGE_KINDS
    detail: str  # what differs, in words


def describe_change(old: Any, new: Any, kind: str, comparison: Comparison) -> str:
    value_type = types.get(kind)
    if value_type is not None:
        return value_type.describe(old, new, comparison)
    if comparison.relation == SAME:
        return ""
    return f"{value_text(old, kind)} -> {value_text(new, kind)}"


def also_said(claim: Claim) -> str:
    """'the article also says X' for a self-contradictory reading; empty otherwise."""
    others = [
        value_text(entry.get("value"), claim.type)
        for entry in (claim.also or [])
        if isinstance(entry, dict)
    ]
    return f"the article also says: {'; '.join(others)}" if others else ""


def change_between(previous: Claim | None, current: Claim) -> Change:
    """The change kind of `current` against the chronologically previous version."""
    if previous is None:
        return Change(FIRST_REPORT, also_said(current))
    notes = []
    if previous.type != current.type:
        detail = f"type {previous.type} -> {current.type}"
        return Change(EDITED if previous.source == current.source else CHANGED, detail)
    kind, old, new = current.type, previous.value, current.value
    value_type = types.get(kind)  # compare_values and describe_change, with one look-up
    if value_type is None:
        comparison = compare_values(kind, old, new)
        value_detail = describe_change(old, new, kind, comparison)
    else:
        comparison = value_type.compare(old, new)
        value_detail = value_type.describe(old, new, comparison)
    relation = comparison.relation
    if relation == OVERLAPPING:
        value_detail += " (overlapping)"
    if value_detail:
        notes.append(value_detail)
    if previous.modality != current.modality:
        notes.append(f"modality {previous.modality} -> {current.modality}")
    if current.also and (also := also_said(current)):
        notes.append(also)
    detail = "; ".join(notes)
    if previous.source == current.source:
        return Change(EDITED, detail)
    if relation == SAME:
        return Change(CORROBORATED, detail)
    if relation == OVERLAPPING:
        return Change(CHANGED, detail)
    return Change(relation, detail)
