"""A claim's standing worked out over its distinct values gives what comparing every pair of
statements gives."""

from __future__ import annotations

from pathlib import Path

from claimkit.compare import compare_values
from claimkit.model import Claim, Source
from claimkit.standing import (
    COMPATIBLE,
    CONSISTENT,
    CONTESTED,
    REFINED,
    SAME,
    Group,
    Standing,
    standing_of,
    statements,
)
from claimkit.story import Version
from hypothesis import given, settings
from hypothesis import strategies as st


def every_pair(versions: list) -> Standing:
    """The standing by comparing every statement with every other (the definition)."""

    def relation(kind, old, new):
        return compare_values(kind, old, new).relation

    stated = [(value, kind, v.source_id or "?") for v in versions for value, kind in statements(v)]
    if not stated:
        return Standing("")
    kinds = {kind for _, kind, _ in stated}
    if len(kinds) == 1 and not any(len(statements(v)) > 1 for v in versions):
        kind = next(iter(kinds))
        if all(
            relation(kind, a[0], b[0]) in COMPATIBLE
            for i, a in enumerate(stated)
            for b in stated[i + 1 :]
        ):
            best = next(
                (c for c, _, _ in reversed(stated)
                 if all(relation(kind, o, c) in (SAME, REFINED) for o, _, _ in stated)),
                None,
            )  # fmt: skip
            sources = tuple(dict.fromkeys(s for _, _, s in stated))
            return Standing(CONSISTENT, kind, best, (Group(best, kind, sources),))
    leaves = []
    for value, kind, _ in stated:
        if any(k == kind and relation(kind, value, o) == REFINED for o, k, _ in stated):
            continue
        if any(k == kind and relation(kind, value, leaf) == SAME for leaf, k in leaves):
            continue
        leaves.append((value, kind))
    backs = [
        [i for i, (leaf, kind) in enumerate(leaves)
         if k == kind and relation(kind, value, leaf) in (SAME, REFINED)]
        for value, k, _ in stated
    ]  # fmt: skip
    groups = [
        Group(leaf, kind, tuple(dict.fromkeys(
            s for (_, _, s), backed in zip(stated, backs, strict=True) if backed == [i])))
        for i, (leaf, kind) in enumerate(leaves)
    ]  # fmt: skip
    groups.sort(key=lambda g: -len(g.sources))
    return Standing(CONTESTED, stated[-1][1], None, tuple(groups))


DATES = ["2025-08", "2025-08-15", "2025-09-18", "2025-08-11/2025-08-17", "../2025-08-24",
         "2025-08-11/..", "bad", 7, 7.0, True, None]  # fmt: skip
PEOPLE = [["Trump"], ["Trump", "Putin"], ["trump"], {"named": ["Putin"], "absent": ["Trump"]},
          ["Putin"], [], "Trump"]  # fmt: skip
VALUES = {"date": DATES, "people": PEOPLE, "text": ["a", "A", "b", 1, 1.0, float("nan"), -0.0, 0.0]}


@st.composite
def stories(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=2, unique=True))
    versions = []
    for order in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(kinds))
        value = draw(st.sampled_from(VALUES[kind]))
        also = None
        if draw(st.integers(0, 9)) == 0:
            also = [{"value": draw(st.sampled_from(VALUES[kind])), "quote": "q"}]
        source_id = f"s{draw(st.integers(0, 6))}"
        claim = Claim("c", "e", "p", kind, value, "asserted", source_id, "q", also=also)
        source = Source(source_id, "t", None, None, "2025-08-01", "b", "0", Path("s.yaml"))
        versions.append(Version("c", f"{order:040d}", "r", "p", "b", order, claim, None, source))
    return versions


@settings(max_examples=200, deadline=None)
@given(stories())
def test_standing_over_distinct_values_is_the_standing_over_every_pair(versions):
    assert standing_of(versions) == every_pair(versions)


def test_a_long_story_of_few_values_compares_each_pair_of_values_once(monkeypatch):
    import claimkit.standing as standing

    calls = []
    real = standing._relation
    monkeypatch.setattr(standing, "_relation", lambda *a: calls.append(a) or real(*a))
    source = Source("s", "t", None, None, "2025-08-01", "b", "0", Path("s.yaml"))
    values = ["2025-08", "2025-08-15", "2025-09-18"]
    versions = [
        Version("c", f"{n:040d}", "r", "p", "b", n,
                Claim("c", "e", "p", "date", values[n % 3], "asserted", f"s{n}", "q"), None, source)
        for n in range(120)
    ]  # fmt: skip
    assert standing_of(versions) == every_pair(versions)
    assert len(calls) <= 9 + 9 + 9  # pairs of three values: compatibility, best and groups
