"""A claim's versions, read from git, in the two clocks: published (story) and recorded (commits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .compare import change_between
from .dates import DateRange
from .errors import DataError
from .files import MAX_FILE_BYTES, decode_utf8
from .gitio import FileRevision, GitHistory
from .model import Claim, Source
from .repo import CLAIMS_DIR, ClaimsRepo, claim_from_document
from .yamlio import parse_mapping

UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Version:
    """A claim file as of one commit, with its source's metadata from the working tree."""

    claim_id: str
    commit: str
    recorded: str
    path: str
    blob: str
    order: int  # commit order: 0 is the oldest version of this claim
    claim: Claim | None  # None where the file at that commit does not parse
    error: str | None = None
    source: Source | None = None
    change: str = ""
    detail: str = ""
    out_of_order: bool = False

    @property
    def published(self) -> DateRange | None:
        return self.source.published_range if self.source else None

    def published_key(self) -> dt.date:
        return self.source.published_key() if self.source else dt.date.max


class SourceCache:
    """Source metadata by id, read from the working tree once each."""

    def __init__(self, repo: ClaimsRepo):
        self.repo = repo
        self._found: dict[str, Source | None] = {}

    def get(self, source_id: str | None) -> Source | None:
        if not isinstance(source_id, str):
            return None
        if source_id not in self._found:
            try:
                self._found[source_id] = self.repo.load_source(source_id)
            except Exception:  # a missing or broken source shows as unknown; check names it
                self._found[source_id] = None
        return self._found[source_id]


def parse_claim(data: bytes, display: str) -> Claim:
    """A claim from a file's bytes, with the same limits as a file on disk; DataError if not."""
    if len(data) > MAX_FILE_BYTES:
        raise DataError(
            display,
            1,
            1,
            f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit",
            "file-size",
        )
    return claim_from_document(parse_mapping(decode_utf8(data, display), display, positions=False))


def parse_claim_blob(data: bytes, display: str) -> tuple[Claim | None, str | None]:
    """Like parse_claim, but a version that does not parse is returned as its error."""
    try:
        return parse_claim(data, display), None
    except DataError as err:
        return None, str(err)


def claim_id_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def build_versions(
    claim_id: str, revisions: Iterable[FileRevision], blobs: dict[str, bytes], sources: SourceCache
) -> list[Version]:
    """Versions in commit order (oldest first) from revisions newest first; deletions dropped."""
    versions = []
    for order, rev in enumerate(r for r in reversed(list(revisions)) if r.blob):
        claim, error = parse_claim_blob(blobs[rev.blob], f"{rev.path}@{rev.commit[:12]}")
        source = sources.get(claim.source if claim else None)
        versions.append(
            Version(
                claim_id, rev.commit, rev.recorded, rev.path, rev.blob, order, claim, error, source
            )
        )
    return versions


def claim_versions(
    repo: ClaimsRepo, git: GitHistory, claim_id: str, sources: SourceCache | None = None
) -> list[Version]:
    """One claim's versions in commit order: one path-limited log, blobs read in one batch."""
    path = repo.relative(repo.claim_path(claim_id))
    revisions = git.file_log(path)
    blobs = git.read_blobs(r.blob for r in revisions if r.blob)
    return build_versions(claim_id, revisions, blobs, sources or SourceCache(repo))


def all_versions(
    repo: ClaimsRepo, git: GitHistory, sources: SourceCache | None = None
) -> dict[str, list[Version]]:
    """Every claim's versions in commit order, from one pass of `git log --raw -- claims/`
    and one batch read of the blobs it names."""
    by_claim: dict[str, list[FileRevision]] = {}
    for rev in git.tree_log(CLAIMS_DIR):
        if rev.path.endswith(".yaml") and rev.path.count("/") == 1:
            by_claim.setdefault(claim_id_of(rev.path), []).append(rev)
    blobs = git.read_blobs(r.blob for revisions in by_claim.values() for r in revisions if r.blob)
    sources = sources or SourceCache(repo)
    return {
        claim_id: build_versions(claim_id, revisions, blobs, sources)
        for claim_id, revisions in sorted(by_claim.items())
    }


def _evolve(version: Version, **changes) -> Version:
    """`dataclasses.replace` for a Version, without re-running its checks and field lookups:
    annotating a long history makes one per version, and replace costs ten times as much."""
    evolved = object.__new__(Version)
    evolved.__dict__.update(version.__dict__, **changes)
    return evolved


def annotate(versions: list[Version], late: list[bool] | None = None) -> list[Version]:
    """Change kind of each version against the previous readable one, in the order given;
    with `late`, each version's recorded-out-of-order mark too."""
    annotated, previous = [], None
    for position, version in enumerate(versions):
        extra = {} if late is None else {"out_of_order": late[position]}
        if version.claim is None:
            annotated.append(
                _evolve(version, change=UNREADABLE, detail=version.error or "", **extra)
            )
            continue
        change = change_between(previous, version.claim)
        annotated.append(_evolve(version, change=change.kind, detail=change.detail, **extra))
        previous = version.claim
    return annotated


def story_order(versions: list[Version]) -> list[Version]:
    """Versions by their source's published date (lower bound; ties by commit order)."""
    return sorted(versions, key=lambda v: (v.published_key(), v.order))


def recorded_late(story: list[Version]) -> list[bool]:
    """For each version in story order: whether a version from a later-published source was
    recorded (committed) before it."""
    late = [False] * len(story)
    earliest_later = len(story)
    for position in range(len(story) - 1, -1, -1):
        late[position] = story[position].order > earliest_later
        earliest_later = min(earliest_later, story[position].order)
    return late


def chronological(versions: list[Version]) -> list[Version]:
    """Versions by their source's published date (lower bound; ties by commit order), annotated.

    A version is recorded out of order when a version from a later-published source was
    recorded (committed) before it.
    """
    story = story_order(versions)
    return annotate(story, recorded_late(story))


def as_of(versions: list[Version], date: dt.date) -> Version | None:
    """The latest version, in story order, whose source may have been published by `date`."""
    chosen = None
    for version in story_order(versions):
        published = version.published
        if version.claim is not None and published and published.sort_key() <= date:
            chosen = version
    return chosen


def ordered(versions: list[Version], by: str = "published") -> list[Version]:
    """The story order (by published date) or the record order (by commit), annotated.

    Out-of-order marks always come from the story order: they say a version was recorded late.
    """
    story = story_order(versions)
    late = recorded_late(story)
    if by == "published":
        return annotate(story, late)
    late_by_order = {v.order: flag for v, flag in zip(story, late, strict=True)}
    return annotate(versions, [late_by_order[v.order] for v in versions])


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
