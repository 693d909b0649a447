"""A claim's story: its readings put in publication order, one version per article. Pure.

Two clocks run through a claim's history. Git holds every *reading* (a claim file's content as
committed, attributed to its `source`) in the order it was recorded. The *story* takes, for
each source, that source's latest reading (a second reading of one article is an edit of its
version, never a second version) and orders the versions by publication: the earliest
possible day, then the latest possible day, then the order the sources' `after` fields state,
then the order the articles were first recorded. Change kinds, the current value, the
standing and as-of all come from the story, never from the order of commits.

Readings that do not parse cannot be attributed to an article: each stays a version of its
own, with no publication date, so it sorts last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .compare import (
    CONTRADICTED,
    change_between,
    compare_values,
)
from .dates import DateRange
from .kinds import UNREADABLE
from .model import Claim, Source
from .ordering import recorded_late, story_order, uncertain_neighbours
from .standing import CONSISTENT, CONTESTED, Standing, standing_of  # noqa: F401


@dataclass(frozen=True)
class Version:
    """A claim file as of one commit (a reading), with its source's metadata.

    In a story, `change` is the kind against the story predecessor, `edits` the source's
    earlier readings (commit order), `out_of_order` whether a later-published article was
    first recorded before this one, `uncertain` the sources whose publication interval
    overlaps this one's (so their order is not known).
    """

    claim_id: str
    commit: str
    recorded: str
    path: str
    blob: str
    order: int  # commit order: 0 is the oldest reading of this claim
    claim: Claim | None  # None where the file at that commit does not parse
    error: str | None = None
    source: Source | None = None
    change: str = ""
    detail: str = ""
    out_of_order: bool = False
    edits: tuple[Version, ...] = ()
    first_order: int = -1  # commit order of the source's first reading (-1: this one's)
    uncertain: tuple[str, ...] = ()

    @property
    def published(self) -> DateRange | None:
        return self.source.published_range if self.source else None

    def published_key(self) -> dt.date:
        return self.source.published_key() if self.source else dt.date.max

    def published_upper(self) -> dt.date:
        published = self.published
        if published is None:
            return dt.date.max
        return published.upper or dt.date.max

    @property
    def first_recorded(self) -> int:
        return self.order if self.first_order < 0 else self.first_order

    @property
    def source_id(self) -> str | None:
        return self.claim.source if self.claim else None


def evolve(version: Version, **changes) -> Version:
    """`dataclasses.replace` for a Version, without re-running its checks and field lookups:
    annotating a long history makes one per version, and replace costs ten times as much."""
    evolved = object.__new__(Version)
    evolved.__dict__.update(version.__dict__, **changes)
    return evolved


# Which readings make the story ----------------------------------------------------------------


def latest_readings(readings: list[Version]) -> list[Version]:
    """For each source its latest reading, carrying the earlier ones as `edits`; each
    unreadable reading on its own. `readings` in commit order; the answer too (by the
    source's first reading)."""
    by_source: dict[str, list[Version]] = {}
    slots: list = []  # a source id (its group) or an unreadable Version, in first-seen order
    for reading in readings:
        source_id = reading.source_id
        if source_id is None:
            slots.append(reading)
            continue
        if source_id not in by_source:
            by_source[source_id] = []
            slots.append(source_id)
        by_source[source_id].append(reading)
    chosen = []
    for slot in slots:
        if isinstance(slot, Version):
            chosen.append(slot)
            continue
        group = by_source[slot]
        latest = group[-1]
        if len(group) > 1:
            latest = evolve(latest, edits=tuple(group[:-1]), first_order=group[0].order)
        chosen.append(latest)
    return chosen


def annotate(versions: list[Version], late: list[bool] | None = None, **per) -> list[Version]:
    """Change kind of each version against the previous readable one, in the order given;
    with `late`, each version's out-of-order mark too; `per` gives other fields by position."""
    annotated, previous = [], None
    columns = list(per.items())
    for position, version in enumerate(versions):
        extra = {name: values[position] for name, values in columns}
        if late is not None:
            extra["out_of_order"] = late[position]
        claim = version.claim
        if claim is None:
            extra["change"], extra["detail"] = UNREADABLE, version.error or ""
        else:
            change = change_between(previous, claim)
            extra["change"], extra["detail"] = change.kind, change.detail
            previous = claim
        annotated.append(evolve(version, **extra))
    return annotated


# The story ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One claim's story: its versions in story order (annotated) and every reading."""

    claim_id: str
    versions: list[Version]
    readings: list[Version] = field(default_factory=list)  # commit order
    standing: Standing = Standing("")

    @property
    def current(self) -> Version | None:
        """The story's last readable version: the claim's value now."""
        return next((v for v in reversed(self.versions) if v.claim is not None), None)

    def version_of(self, reading: Version) -> Version | None:
        """The story version a reading belongs to (itself, or the one it is an edit of)."""
        for version in self.versions:
            if version.commit == reading.commit and version.order == reading.order:
                return version
            if any(edit.order == reading.order for edit in version.edits):
                return version
        return None

    def position(self, source_id: str) -> int | None:
        for position, version in enumerate(self.versions):
            if version.source_id == source_id:
                return position
        return None

    def all_readings(self) -> list[Version]:
        """Every reading at its version's place in the story: a source's first reading with
        its kind against the story predecessor, each later one `edited` against the one
        before it."""
        listed, previous = [], None
        for version in self.versions:
            chain = [*version.edits, version]
            for number, reading in enumerate(chain):
                if reading.claim is None:
                    listed.append(version)
                    continue
                if number == 0:
                    change = change_between(previous, reading.claim)
                else:
                    change = change_between(chain[number - 1].claim, reading.claim)
                    change = type(change)("edited", change.detail)
                listed.append(
                    evolve(
                        reading, change=change.kind, detail=change.detail, edits=(),
                        out_of_order=version.out_of_order, uncertain=version.uncertain,
                    )
                )  # fmt: skip
            if version.claim is not None:
                previous = version.claim
        return listed


def build_story(claim_id: str, readings: list[Version]) -> Story:
    """The story from every reading of a claim, in commit order."""
    chosen = latest_readings(readings)
    story = story_order(chosen)
    annotated = annotate(story, recorded_late(story), uncertain=uncertain_neighbours(story))
    return Story(claim_id, annotated, list(readings), standing_of(annotated))


# Contradictions ----------------------------------------------------------------------------------


def contradicted_by(story: Story, claim: Claim) -> list[Version]:
    """Story versions whose value `claim` contradicts (one per source), in story order."""
    return [
        v
        for v in story.versions
        if v.claim is not None
        and v.claim.type == claim.type
        and v.claim.source != claim.source
        and compare_values(claim.type, v.claim.value, claim.value).relation == CONTRADICTED
    ]


# A new reading's place in the story -----------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where one source's reading lands in a story, and what it changes there."""

    version: Version | None  # the source's version in the story after
    predecessor: Version | None  # the version before it in that story
    successor: Version | None  # the version after it in that story
    successor_was: str | None  # the successor's change kind before the reading
    current_before: Version | None
    current_after: Version | None
    edit: bool  # the source already had a version: this reading edits it

    @property
    def out_of_order(self) -> bool:
        """The reading is not the story's end: a later-published article stays current."""
        return self.version is not None and self.current_after is not self.version


def place(before: Story, after: Story, source_id: str | None) -> Placement:
    """The placement of `source_id`'s version in `after`, against the story `before`."""
    position = after.position(source_id) if source_id is not None else None
    version = after.versions[position] if position is not None else None
    predecessor = successor = None
    if position is not None:
        predecessor = next(
            (v for v in reversed(after.versions[:position]) if v.claim is not None), None
        )
        successor = next((v for v in after.versions[position + 1 :] if v.claim is not None), None)
    successor_was = None
    if successor is not None:
        was = before.position(successor.source_id)
        successor_was = before.versions[was].change if was is not None else None
    return Placement(
        version,
        predecessor,
        successor,
        successor_was,
        before.current,
        after.current,
        before.position(source_id) is not None if source_id is not None else False,
    )
