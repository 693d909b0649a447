"""A claim's standing: consistent (with the most specific value all agree with) or contested
(groups of incompatible values, with the sources behind each). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from .compare import BROADENED, CHANGED, OVERLAPPING, REFINED, SAME, compare_values

CONSISTENT = "consistent"
CONTESTED = "contested"
# Only a contradiction sets two values apart: a changed value (a later stage of a progression,
# another wording) is a development of the story, not a dispute.
COMPATIBLE = (SAME, REFINED, BROADENED, OVERLAPPING, CHANGED)


@dataclass(frozen=True)
class Group:
    """Values that agree, and the sources behind them: `value` is the most specific."""

    value: object
    kind: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Standing:
    """consistent (with the most specific value all agree with, None if none refines all)
    or contested (groups of incompatible values, each with its sources)."""

    state: str  # consistent, contested, or "" without a readable version
    kind: str = ""
    value: object = None
    groups: tuple[Group, ...] = ()

    @property
    def contested(self) -> bool:
        return self.state == CONTESTED


def statements(version) -> list[tuple[object, str]]:
    """(value, type) a version states: its value, and any `also` statements it carries."""
    claim = version.claim
    if claim is None:
        return []
    found = [(claim.value, claim.type)]
    also = getattr(claim, "also", None)
    if isinstance(also, list):
        for item in also:
            if isinstance(item, dict) and "value" in item:
                found.append((item["value"], claim.type))
    return found


def _relation(kind: str, old, new) -> str:
    return compare_values(kind, old, new).relation


def standing_of(versions: list) -> Standing:
    """Consistent when no two stated values contradict each other and no reading contradicts
    itself (`also`), with the value that refines or equals all others if one does;
    contested otherwise, with one group per most specific value and the sources behind it."""
    stated = [(value, kind, v.source_id or "?") for v in versions for value, kind in statements(v)]
    if not stated:
        return Standing("")
    kinds = {kind for _, kind, _ in stated}
    # A reading with `also` contradicts itself: the claim is contested whatever the rest says.
    self_contradictory = any(len(statements(v)) > 1 for v in versions)
    if len(kinds) == 1 and not self_contradictory:
        kind = next(iter(kinds))
        compatible = all(
            _relation(kind, a[0], b[0]) in COMPATIBLE
            for i, a in enumerate(stated)
            for b in stated[i + 1 :]
        )
        if compatible:
            best = next(
                (
                    candidate
                    for candidate, _, _ in reversed(stated)
                    if all(_relation(kind, other, candidate) in (SAME, REFINED)
                           for other, _, _ in stated)
                ),
                None,
            )  # fmt: skip
            sources = tuple(dict.fromkeys(s for _, _, s in stated))
            return Standing(CONSISTENT, kind, best, (Group(best, kind, sources),))
    return Standing(CONTESTED, stated[-1][1], None, _groups(stated))


def _groups(stated: list[tuple[object, str, str]]) -> tuple[Group, ...]:
    """One group per most specific value (one no compatible value refines), holding every
    source with a statement that value equals or refines and that agrees with no other group;
    largest groups first."""
    leaves = []
    for value, kind, _ in stated:
        if any(k == kind and _relation(kind, value, other) == REFINED for other, k, _ in stated):
            continue
        if any(k == kind and _relation(kind, value, leaf) == SAME for leaf, k in leaves):
            continue
        leaves.append((value, kind))
    # Each statement (a version's value, or what it also says) backs the groups whose value
    # equals or refines it. One that backs several groups is vaguer than the dispute and takes
    # no side; a source is on a side when one of its statements backs that side alone, so an
    # article that contradicts itself can stand on both.
    backs = [
        [
            i
            for i, (leaf, kind) in enumerate(leaves)
            if k == kind and _relation(kind, value, leaf) in (SAME, REFINED)
        ]
        for value, k, _ in stated
    ]
    groups = []
    for i, (leaf, kind) in enumerate(leaves):
        sided = tuple(
            dict.fromkeys(
                source
                for (_, _, source), backed in zip(stated, backs, strict=True)
                if backed == [i]
            )
        )
        groups.append(Group(leaf, kind, sided))
    groups.sort(key=lambda g: -len(g.sources))
    return tuple(groups)
