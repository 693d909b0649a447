"""`claims blame`: for each field of a claim, the version that last set it. Pure: it reads the
claim's readings (from the cache or git, see readings.py) and loads no git module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import NotFound
from .model import CLAIM_FIELDS

if TYPE_CHECKING:
    from .story import Version


@dataclass(frozen=True)
class BlameLine:
    field: str
    value: object
    version: Version


def blame(versions: list[Version]) -> list[BlameLine]:
    """For each field of the latest version, the version (in commit order) that last set it."""
    readable = [v for v in versions if v.claim is not None]
    if not readable:
        raise NotFound("no readable version of this claim in history")
    data = [version.claim.to_data() for version in readable]
    latest = data[-1]
    lines = []
    for name in CLAIM_FIELDS:
        if name not in latest:
            continue
        setter = readable[-1]
        for version, fields in zip(reversed(readable), reversed(data), strict=True):
            if fields.get(name) != latest[name]:
                break
            setter = version
        lines.append(BlameLine(name, latest[name], setter))
    return lines
