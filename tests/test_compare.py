"""Typed comparison of values and change kinds between versions: pure, no repository."""

from __future__ import annotations

import pytest
from claimkit.compare import change_between, compare_values
from claimkit.model import Claim


@pytest.mark.parametrize(
    "old, new, relation",
    [
        ("2025-08-15", "2025-08-15", "same"),
        ("2025-08", "2025-08-15", "refined"),
        ("2025-08-15", "2025-08", "broadened"),
        ("2025-08-15", "2025-09-18", "contradicted"),
        ("2025-08-11/2025-08-17", "2025-08-15/2025-08-20", "overlapping"),
        ("2025-08-11/2025-08-17", "2025-08-15", "refined"),
        ("2025-08-11/..", "2025-09-18", "refined"),
        ("2025-08-11/..", "2025-08-01", "contradicted"),
        ("../2025-08-11", "2025-08-01", "refined"),
        ("2025-08-15?", "2025-08-15", "refined"),
        ("2025-08-15", "2025-08-15?", "broadened"),
        ("2025-08~", "2025-08-15", "refined"),
        ("2025-08~", "2025-09", "contradicted"),
        ("2025", "2025-08~", "refined"),
    ],
)
def test_dates_by_bounds(old, new, relation):
    assert compare_values("date", old, new).relation == relation


@pytest.mark.parametrize(
    "old, new, relation",
    [
        (["Alaska"], ["Alaska"], "same"),
        (["Alaska"], ["Alaska", "Anchorage"], "refined"),
        (["Alaska", "Anchorage"], ["alaska"], "broadened"),
        (["Alaska", "Anchorage"], ["Alaska", "Juneau"], "contradicted"),
        (["Alaska"], ["Finland", "Helsinki"], "contradicted"),
    ],
)
def test_places_by_path_prefix(old, new, relation):
    assert compare_values("place", old, new).relation == relation


def test_people_as_sets():
    assert compare_values("people", ["A", "B"], ["B", "A"]).relation == "same"
    result = compare_values(
        "people", ["Donald Trump", "Vladimir Putin"], ["Vladimir Putin", "Volodymyr Zelensky"]
    )
    # Named as taking part, at least: one added and one not named again are compatible.
    assert (result.relation, result.added, result.removed) == (
        "overlapping",
        ("Volodymyr Zelensky",),
        ("Donald Trump",),
    )


def test_text_and_others():
    assert compare_values("text", "no  deal", "no deal").relation == "same"
    assert compare_values("text", "no deal", "a deal").relation == "changed"
    assert compare_values("boolean", True, False).relation == "contradicted"
    assert compare_values("number", 3, 3).relation == "same"
    assert compare_values("date", "garbage", "2025-08").relation == "changed"


@pytest.mark.parametrize(
    "old, new",
    [
        ("2025-08", "2025-08-15"),
        ("2025-08-15", "2025-09-18"),
        ("2025-08-11/2025-08-17", "2025-08-15/2025-08-20"),
    ],
)
def test_date_relations_are_inverse_or_symmetric(old, new):
    forward, backward = (
        compare_values("date", old, new).relation,
        compare_values("date", new, old).relation,
    )
    inverse = {
        "refined": "broadened",
        "broadened": "refined",
        "contradicted": "contradicted",
        "overlapping": "overlapping",
        "same": "same",
    }
    assert backward == inverse[forward]


def claim(value, source="s1", modality="scheduled", type="date"):
    return Claim("d", "e", "date", type, value, modality, source, "q")


@pytest.mark.parametrize(
    "previous, current, kind, detail",
    [
        (None, claim("2025-08-15"), "first-report", ""),
        (claim("2025-08-15"), claim("2025-08-15", "s2"), "corroborated", ""),
        (
            claim("2025-08-15"),
            claim("2025-08-15", "s2", "asserted"),
            "corroborated",
            "modality scheduled -> asserted",
        ),
        (claim("2025-08"), claim("2025-08-15", "s2"), "refined", "2025-08 -> 2025-08-15"),
        (claim("2025-08-15"), claim("2025-08", "s2"), "broadened", "2025-08-15 -> 2025-08"),
        (
            claim("2025-08-15"),
            claim("2025-09-18", "s2"),
            "contradicted",
            "2025-08-15 -> 2025-09-18",
        ),
        (
            claim("2025-08-11/2025-08-17"),
            claim("2025-08-15/2025-08-20", "s2"),
            "changed",
            "2025-08-11/2025-08-17 -> 2025-08-15/2025-08-20 (overlapping)",
        ),
        (claim("2025-08-15"), claim("2025-08-16"), "edited", "2025-08-15 -> 2025-08-16"),
        (
            claim(["A", "B"], type="people"),
            claim(["B", "C"], "s2", type="people"),
            "changed",
            "added C; not named again: A (overlapping)",
        ),
        (
            claim(["Alaska"], type="place"),
            claim(["Alaska", "Anchorage"], "s2", type="place"),
            "refined",
            "Alaska -> Alaska > Anchorage",
        ),
    ],
)
def test_change_kinds(previous, current, kind, detail):
    change = change_between(previous, current)
    assert (change.kind, change.detail) == (kind, detail)
