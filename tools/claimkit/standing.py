"""A claim's standing: consistent (with the most specific value all agree with) or contested
(groups of incompatible values, with the sources behind each). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from . import types
from .compare import BROADENED, CHANGED, OVERLAPPING, REFINED, SAME

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


def _relation(value_type, old, new) -> str:
    """The relation of `new` to `old`, values of one type as its prepare() gave them (an
    unknown type: by equality). Every comparison standing makes goes through here."""
    if value_type is None:
        return SAME if old == new else CHANGED
    return value_type.relation_prepared(old, new)


def _value_key(value):
    """What makes two values the same value to compare: their types and contents, all the way
    down (True is not 1, 1 is not 1.0, -0.0 is not 0.0). None for a value without one (NaN,
    anything YAML does not give), which is then compared as itself only."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return (kind, value)
    if kind is float:
        return None if value != value else (kind, repr(value))
    if kind is list:
        if all(type(item) is str for item in value):  # the common case, without recursion
            return (kind, tuple((str, item) for item in value))
        items = tuple(_value_key(item) for item in value)
        return None if None in items else (kind, items)
    if kind is dict:
        pairs = tuple((_value_key(k), _value_key(v)) for k, v in value.items())
        return None if any(None in pair for pair in pairs) else (kind, pairs)
    return None


class _Statements:
    """The stated values of a story, each distinct (value, type) numbered once, with the
    relations between them worked out once a pair.

    A long story states the same few values again and again: comparing every statement with
    every other costs the square of the story's length (and grows with history), comparing
    the distinct values the square of their number. A comparison depends on the two values
    only, so the answers are the same."""

    def __init__(self, stated: list[tuple[object, str, str]]):
        self.stated = stated
        self.number: list[int] = []  # per statement: its distinct value
        self.values: list[tuple[object, str]] = []  # per distinct value: (value, type)
        self.first: list[int] = []
        self.last: list[int] = []
        self.count: list[int] = []
        seen: dict = {}
        for position, (value, kind, _) in enumerate(stated):
            key = _value_key(value)
            found = seen.get((kind, key)) if key is not None else None
            if found is None:
                found = len(self.values)
                if key is not None:
                    seen[(kind, key)] = found
                self.values.append((value, kind))
                self.first.append(position)
                self.last.append(position)
                self.count.append(0)
            self.last[found] = position
            self.count[found] += 1
            self.number.append(found)
        # The relation of each pair of distinct values, by old then new, once worked out.
        self._known: list[list[str | None]] = [[None] * len(self.values) for _ in self.values]
        # Per distinct value: its type, and the value as that type compares it.
        self.types = [types.get(kind) for _, kind in self.values]
        self.prepared = [
            value if value_type is None else value_type.prepare(value)
            for (value, _), value_type in zip(self.values, self.types, strict=True)
        ]

    def relation(self, old: int, new: int) -> str:
        """The relation of distinct value `new` to `old`, compared as `old`'s type."""
        known = self._known[old]
        found = known[new]
        if found is None:
            value_type, new_value = self.types[old], self.prepared[new]
            if self.values[old][1] != self.values[new][1]:  # prepared as its own type
                new_value = self.values[new][0]
                if value_type is not None:
                    new_value = value_type.prepare(new_value)
            found = known[new] = _relation(value_type, self.prepared[old], new_value)
        return found

    def same_kind(self, a: int, b: int) -> bool:
        return self.values[a][1] == self.values[b][1]

    def all_pairs(self, accepted: tuple[str, ...]) -> bool:
        """Whether every statement relates to every later one in an `accepted` way."""
        distinct = range(len(self.values))
        relation, count, last = self.relation, self.count, self.last
        for a in distinct:
            if count[a] > 1 and relation(a, a) not in accepted:
                return False
            first = self.first[a]
            for b in distinct:
                # Some statement of a precedes some statement of b.
                if a != b and first < last[b] and relation(a, b) not in accepted:
                    return False
        return True


def standing_of(versions: list) -> Standing:
    """Consistent when no two stated values contradict each other and no reading contradicts
    itself (`also`), with the value that refines or equals all others if one does;
    contested otherwise, with one group per most specific value and the sources behind it."""
    said = [statements(v) for v in versions]
    stated = [
        (value, kind, v.source_id or "?")
        for v, its in zip(versions, said, strict=True)
        for value, kind in its
    ]
    if not stated:
        return Standing("")
    kinds = {kind for _, kind, _ in stated}
    # A reading with `also` contradicts itself: the claim is contested whatever the rest says.
    self_contradictory = any(len(its) > 1 for its in said)
    found = _Statements(stated)
    if len(kinds) == 1 and not self_contradictory:
        kind = next(iter(kinds))
        if found.all_pairs(COMPATIBLE):
            distinct = range(len(found.values))
            # The last stated value that refines or equals every stated value.
            best = next(
                (
                    stated[found.last[candidate]][0]
                    for candidate in sorted(distinct, key=lambda d: -found.last[d])
                    if all(found.relation(other, candidate) in (SAME, REFINED)
                           for other in distinct)
                ),
                None,
            )  # fmt: skip
            sources = tuple(dict.fromkeys(s for _, _, s in stated))
            return Standing(CONSISTENT, kind, best, (Group(best, kind, sources),))
    return Standing(CONTESTED, stated[-1][1], None, _groups(found))


def _groups(found: _Statements) -> tuple[Group, ...]:
    """One group per most specific value (one no compatible value refines), holding every
    source with a statement that value equals or refines and that agrees with no other group;
    largest groups first."""
    distinct = range(len(found.values))
    refined = [
        any(found.same_kind(a, b) and found.relation(a, b) == REFINED for b in distinct)
        for a in distinct
    ]
    leaves: list[int] = []
    for number in found.number:
        if refined[number]:
            continue
        if any(
            found.same_kind(number, leaf) and found.relation(number, leaf) == SAME
            for leaf in leaves
        ):
            continue
        leaves.append(number)
    # Each statement (a version's value, or what it also says) backs the groups whose value
    # equals or refines it. One that backs several groups is vaguer than the dispute and takes
    # no side; a source is on a side when one of its statements backs that side alone, so an
    # article that contradicts itself can stand on both.
    backing = [
        [
            i
            for i, leaf in enumerate(leaves)
            if found.same_kind(number, leaf) and found.relation(number, leaf) in (SAME, REFINED)
        ]
        for number in distinct
    ]
    backs = [backing[number] for number in found.number]
    groups = []
    for i, leaf in enumerate(leaves):
        sided = tuple(
            dict.fromkeys(
                source
                for (_, _, source), backed in zip(found.stated, backs, strict=True)
                if backed == [i]
            )
        )
        value, kind = found.values[leaf]
        groups.append(Group(value, kind, sided))
    groups.sort(key=lambda g: -len(g.sources))
    return tuple(groups)
