"""A story read at a date: the version the press had by then, the versions published in a span,
and whether the claim is retired. Pure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .story import Version


def is_retired(versions: list[Version]) -> bool:
    """Whether the claim's latest record retires it (`superseded_by`): the file as last
    committed says so, whatever the story's order by publication."""
    latest = max(versions, key=lambda v: v.order, default=None)
    return bool(latest and latest.claim and latest.claim.retired)


def as_of(versions: list[Version], date: dt.date) -> Version | None:
    """The latest readable version, in story order, whose source may have been published by
    `date` (by the earliest possible day of its publication)."""
    chosen = None
    for version in versions:
        published = version.published
        if version.claim is not None and published and published.sort_key() <= date:
            chosen = version
    return chosen


def published_between(
    versions: list[Version], first: dt.date | None, last: dt.date | None
) -> list[Version]:
    return [
        v
        for v in versions
        if v.published
        and (first is None or v.published_key() >= first)
        and (last is None or v.published_key() <= last)
    ]
