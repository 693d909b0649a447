"""ordering.uncertain_neighbours looks only at versions that can be unknown against each other;
its answer is the one comparing every pair gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from claimkit.model import Claim, Source
from claimkit.ordering import ordered_before, uncertain_neighbours
from claimkit.story import Version
from hypothesis import given, settings
from hypothesis import strategies as st

DAY = dt.date(2025, 8, 1)


def every_pair(story: list[Version]) -> list[tuple[str, ...]]:
    """The definition: each pair compared both ways."""
    found = []
    for version in story:
        others = []
        if version.published is not None:
            for other in story:
                if (
                    other is not version
                    and other.published is not None
                    and other.source_id != version.source_id
                    and not ordered_before(version, other)
                    and not ordered_before(other, version)
                ):
                    others.append(other.source_id or "?")
        found.append(tuple(dict.fromkeys(others)))
    return found


def published(start: int, length: int | None, shape: str) -> str | None:
    first = DAY + dt.timedelta(days=start)
    if shape == "undated":
        return None
    if shape == "open-end":
        return f"{first.isoformat()}/.."
    if shape == "open-start":
        return f"../{first.isoformat()}"
    if shape == "month":
        return first.strftime("%Y-%m")
    last = first + dt.timedelta(days=length or 0)
    return first.isoformat() if not length else f"{first.isoformat()}/{last.isoformat()}"


VERSION = st.tuples(
    st.integers(0, 6),  # which source
    st.integers(0, 60),  # first day
    st.integers(0, 20),  # length in days
    st.sampled_from(
        ["day", "day", "day", "interval", "month", "open-end", "open-start", "undated"]
    ),
    st.lists(st.integers(0, 6), max_size=2),  # the sources it says it was published after
)


@settings(max_examples=300, deadline=None)
@given(st.lists(VERSION, max_size=14))
def test_the_same_as_comparing_every_pair(drawn):
    story = []
    for order, (source, start, length, shape, after) in enumerate(drawn):
        source_id = f"s{source}"
        when = published(start, length if shape == "interval" else 0, shape)
        meta = Source(source_id, "t", None, None, when, "b", "0", Path(f"{source_id}.yaml"),
                      tuple(f"s{a}" for a in after) or None)  # fmt: skip
        claim = Claim("c", "e", "p", "date", "2025-08-15", "asserted", source_id, "q")
        story.append(Version("c", f"{order:040d}", "r", "p", "b", order, claim, None,
                             meta if when is not None or order % 2 else None))  # fmt: skip
    assert uncertain_neighbours(story) == every_pair(story)
