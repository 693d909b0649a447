"""The order of a story's versions: by publication (the earliest possible day, then the latest),
then by the sources' `after` fields, then by first recording; which neighbours' order is
uncertain; and which versions were recorded out of that order. Pure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .story import Version


def _after(version: Version) -> set[str]:
    """The source ids this version's source says it was published after."""
    stated = getattr(version.source, "after", None) if version.source else None
    if isinstance(stated, str):
        return {stated}
    if isinstance(stated, (list, tuple)):
        return {item for item in stated if isinstance(item, str)}
    return set()


def _interval_key(version: Version) -> tuple[dt.date, dt.date]:
    """The earliest and the latest possible day of publication (the day after every day
    where unknown): version.published_key(), version.published_upper(), read once."""
    published = version.published
    if published is None:
        return dt.date.max, dt.date.max
    return published.lower or dt.date.min, published.upper or dt.date.max


def story_order(versions: list[Version]) -> list[Version]:
    """Versions by publication: earliest possible day, latest possible day, the `after`
    order the sources state, then the order each article was first recorded."""
    # Each version's key worked out once; its position keeps the sort stable.
    ranked = sorted(
        (*_interval_key(v), v.first_recorded, position) for position, v in enumerate(versions)
    )
    ordered: list[Version] = []
    position = 0
    while position < len(ranked):  # ties on both bounds: `after` decides, where it says
        lower, upper = ranked[position][0], ranked[position][1]
        end = position + 1
        while end < len(ranked) and ranked[end][0] == lower and ranked[end][1] == upper:
            end += 1
        tied = [versions[rank[3]] for rank in ranked[position:end]]
        ordered.extend(_by_after(tied) if len(tied) > 1 else tied)
        position = end
    return ordered


def _by_after(tied: list[Version]) -> list[Version]:
    """A stable topological order of tied versions by their sources' `after` fields; a cycle
    falls back to recording order."""
    if len(tied) < 2 or not any(_after(v) for v in tied):
        return tied
    present = {v.source_id for v in tied}
    remaining = list(tied)
    placed: list[Version] = []
    done: set = set()
    while remaining:
        pick = next(
            (v for v in remaining if not ((_after(v) & present) - done - {v.source_id})),
            remaining[0],  # a cycle: recording order
        )
        remaining.remove(pick)
        placed.append(pick)
        done.add(pick.source_id)
    return placed


def ordered_before(earlier: Version, later: Version) -> bool:
    """Whether `earlier` was certainly published before `later` (or said to be)."""
    if later.source_id in _after(earlier):
        return False
    if earlier.source_id in _after(later):
        return True
    earlier_range, later_range = earlier.published, later.published
    if earlier_range is None or later_range is None:
        return False
    upper, lower = earlier_range.upper, later_range.lower
    return upper is not None and lower is not None and upper < lower


def uncertain_neighbours(story: list[Version]) -> list[tuple[str, ...]]:
    """For each version, the other sources whose publication order against it is unknown
    (neither `ordered_before` the other), in story order.

    Comparing every pair costs the square of a long story (a quarter of a second for 150
    versions); only versions whose publication intervals overlap, or that name each other
    in `after`, can be unknown against each other, so only those are looked at: with the
    intervals sorted by their first day, each looks at the ones after it until one starts
    after its last day (an open end looks at all). A version that names others in `after`
    is compared with every version."""
    facts = []  # per version: (source id, after, lower, upper) or None where undated
    for version in story:
        published = version.published
        if published is None:
            facts.append(None)
        else:
            facts.append((version.source_id, _after(version), published.lower, published.upper))

    def unknown(a, b) -> bool:  # not ordered_before either way, from the facts
        a_id, a_after, a_lower, a_upper = a
        b_id, b_after, b_lower, b_upper = b
        a_names_b, b_names_a = b_id in a_after, a_id in b_after
        if a_names_b or b_names_a:
            return a_names_b and b_names_a  # one naming the other orders them
        a_first = a_upper is not None and b_lower is not None and a_upper < b_lower
        b_first = b_upper is not None and a_lower is not None and b_upper < a_lower
        return not a_first and not b_first

    # Unknown both ways or neither: each pair is looked at once, and noted on both sides.
    partners: list[list[int]] = [[] for _ in facts]
    dated = [index for index, f in enumerate(facts) if f]
    naming = [index for index in dated if facts[index][1]]
    plain = sorted(
        (index for index in dated if not facts[index][1]),
        key=lambda index: facts[index][2] or dt.date.min,  # an open start first
    )
    for position, index in enumerate(plain):
        mine = facts[index]
        upper = mine[3]
        for other in plain[position + 1 :]:
            theirs = facts[other]
            if upper is not None and theirs[2] is not None and upper < theirs[2]:
                break  # this one, and every one after it, starts after `mine` ends
            if theirs[0] != mine[0] and unknown(mine, theirs):
                partners[index].append(other)
                partners[other].append(index)
    for position, index in enumerate(naming):
        mine = facts[index]
        for other in plain + naming[position + 1 :]:
            theirs = facts[other]
            if theirs[0] != mine[0] and unknown(mine, theirs):
                partners[index].append(other)
                partners[other].append(index)
    return [
        tuple(dict.fromkeys(facts[other][0] or "?" for other in sorted(found))) if found else ()
        for found in partners
    ]


def recorded_late(story: list[Version]) -> list[bool]:
    """For each version in story order: whether a version from a later-published source was
    first recorded (committed) before it."""
    late = [False] * len(story)
    earliest_later = None
    for position in range(len(story) - 1, -1, -1):
        first = story[position].first_recorded
        late[position] = earliest_later is not None and first > earliest_later
        earliest_later = first if earliest_later is None else min(earliest_later, first)
    return late
