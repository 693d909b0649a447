"""The change kinds of a version against the one before it in the story: one table.

Each kind has its name, what it means, its terminal colour (a click colour name) and its
colour on the timeline (Okabe-Ito, told apart by most colour-blind readers; the marks' shapes
tell them apart in grey print too). Everything that names, colours or explains a change kind
reads it from here.
"""

from __future__ import annotations

from typing import NamedTuple


class Kind(NamedTuple):
    name: str
    meaning: str
    terminal: str
    page: str


FIRST_REPORT = "first-report"
CORROBORATED = "corroborated"
REFINED = "refined"
BROADENED = "broadened"
CONTRADICTED = "contradicted"
CHANGED = "changed"
EDITED = "edited"
UNREADABLE = "unreadable"

TABLE = (
    Kind(FIRST_REPORT, "first report of the claim", "cyan", "#0072B2"),
    Kind(CORROBORATED, "same value, from a new source", "blue", "#56B4E9"),
    Kind(REFINED, "a narrower value inside the previous one", "green", "#009E73"),
    Kind(BROADENED, "a wider value around the previous one", "yellow", "#E69F00"),
    Kind(CONTRADICTED, "a value incompatible with the previous one", "red", "#D40000"),
    Kind(CHANGED, "a different value (text, people)", "magenta", "#CC79A7"),
    Kind(EDITED, "a correction of the record, same source", "bright_black", "#767676"),
    Kind(UNREADABLE, "the file at that commit does not parse", "red", "#000000"),
)
BY_NAME = {kind.name: kind for kind in TABLE}
# The kinds a readable version can have (unreadable is the absence of one).
CHANGE_KINDS = tuple(kind.name for kind in TABLE if kind.name != UNREADABLE)
