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
    return version.published_key(), version.published_upper()


def story_order(versions: list[Version]) -> list[Version]:
    """Versions by publication: earliest possible day, latest possible day, the `after`
    order the sources state, then the order each article was first recorded."""
    ranked = sorted(versions, key=lambda v: (*_interval_key(v), v.first_recorded))
    ordered: list[Version] = []
    position = 0
    while position < len(ranked):  # ties on both bounds: `after` decides, where it says
        end = position
        while end + 1 < len(ranked) and _interval_key(ranked[end + 1]) == _interval_key(
            ranked[position]
        ):
            end += 1
        ordered.extend(_by_after(ranked[position : end + 1]))
        position = end + 1
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
    versions); only versions whose publication intervals overlap, or that are open-ended,
    or that name each other in `after`, can be unknown against each other, so only those
    are looked at: the intervals sorted by their first day, each version looks among those
    that start no earlier than its own first day minus the longest interval."""
    import bisect

    facts = []  # per version: (source id, after, lower, upper) or None where undated
    for version in story:
        published = version.published
        if published is None:
            facts.append(None)
        else:
            facts.append((version.source_id, _after(version), published.lower, published.upper))
    bounded = sorted(
        (f[2], index)
        for index, f in enumerate(facts)
        if f and f[2] is not None and f[3] is not None
    )
    starts = [lower for lower, _ in bounded]
    longest = max((facts[i][3] - facts[i][2] for _, i in bounded), default=dt.timedelta(0))
    open_ended = [i for i, f in enumerate(facts) if f and (f[2] is None or f[3] is None)]
    naming = [i for i, f in enumerate(facts) if f and f[1]]

    def unknown(a, b) -> bool:  # not ordered_before either way, from the facts
        a_id, a_after, a_lower, a_upper = a
        b_id, b_after, b_lower, b_upper = b
        a_names_b, b_names_a = b_id in a_after, a_id in b_after
        if a_names_b or b_names_a:
            return a_names_b and b_names_a  # one naming the other orders them
        a_first = a_upper is not None and b_lower is not None and a_upper < b_lower
        b_first = b_upper is not None and a_lower is not None and b_upper < a_lower
        return not a_first and not b_first

    found = []
    for index, mine in enumerate(facts):
        if mine is None:
            found.append(())
            continue
        candidates = set(open_ended) | set(naming)
        if mine[2] is None or mine[3] is None:
            candidates.update(i for _, i in bounded)
        else:
            try:
                start = bisect.bisect_left(starts, mine[2] - longest)
            except OverflowError:  # before the first representable day
                start = 0
            end = bisect.bisect_right(starts, mine[3])
            candidates.update(i for _, i in bounded[start:end])
        if mine[1]:
            candidates.update(i for i, f in enumerate(facts) if f)
        others = [
            facts[other][0] or "?"
            for other in sorted(candidates)
            if other != index
            and facts[other] is not None
            and facts[other][0] != mine[0]
            and unknown(mine, facts[other])
        ]
        found.append(tuple(dict.fromkeys(others)))
    return found


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
