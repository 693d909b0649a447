"""A claim's versions, read from git, in the two clocks: published (story) and recorded (commits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .compare import change_between
from .dates import DateRange
from .errors import ClaimsError, DataError
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
            except ClaimsError:  # a missing or broken source shows as unknown; check names it
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
    return claim_from_document(parse_mapping(decode_utf8(data, display), display))


def parse_claim_blob(data: bytes, display: str) -> tuple[Claim | None, str | None]:
    """Like parse_claim, but a version that does not parse is returned as its error."""
    try:
        return parse_claim(data, display), None
    except DataError as err:
        return None, str(err)


def claim_id_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def build_versions(
    claim_id: str, revisions: Iterable[FileRevision], read, sources: SourceCache
) -> list[Version]:
    """Versions in commit order (oldest first) from revisions newest first; deletions dropped."""
    versions = []
    for order, rev in enumerate(r for r in reversed(list(revisions)) if r.blob):
        claim, error = parse_claim_blob(read(rev.blob), f"{rev.path}@{rev.commit[:12]}")
        source = sources.get(claim.source if claim else None)
        versions.append(
            Version(
                claim_id, rev.commit, rev.recorded, rev.path, rev.blob, order, claim, error, source
            )
        )
    return versions


def claim_versions(
    repo: ClaimsRepo,
    git: GitHistory,
    claim_id: str,
    sources: SourceCache | None = None,
    rev: str = "HEAD",
) -> list[Version]:
    """One claim's versions in commit order: one path-limited log, blobs read in one batch process."""
    path = repo.relative(repo.claim_path(claim_id))
    revisions = git.file_log(path, rev)
    return build_versions(claim_id, revisions, git.read_blob, sources or SourceCache(repo))


def all_versions(
    repo: ClaimsRepo, git: GitHistory, sources: SourceCache | None = None
) -> dict[str, list[Version]]:
    """Every claim's versions in commit order, from one pass of `git log --raw -- claims/`."""
    by_claim: dict[str, list[FileRevision]] = {}
    for rev in git.tree_log(CLAIMS_DIR):
        if rev.path.endswith(".yaml") and rev.path.count("/") == 1:
            by_claim.setdefault(claim_id_of(rev.path), []).append(rev)
    sources = sources or SourceCache(repo)
    return {
        claim_id: build_versions(claim_id, revisions, git.read_blob, sources)
        for claim_id, revisions in sorted(by_claim.items())
    }


def annotate(versions: list[Version]) -> list[Version]:
    """Change kind of each version against the previous readable one, in the order given."""
    annotated, previous = [], None
    for version in versions:
        if version.claim is None:
            annotated.append(replace(version, change=UNREADABLE, detail=version.error or ""))
            continue
        change = change_between(previous, version.claim)
        annotated.append(replace(version, change=change.kind, detail=change.detail))
        previous = version.claim
    return annotated


def chronological(versions: list[Version]) -> list[Version]:
    """Versions by their source's published date (lower bound; ties by commit order), annotated.

    A version is recorded out of order when a version from a later-published source was
    recorded (committed) before it.
    """
    ordered = sorted(versions, key=lambda v: (v.published_key(), v.order))
    marked = []
    earliest_later = len(versions)
    for version in reversed(ordered):
        marked.append(replace(version, out_of_order=version.order > earliest_later))
        earliest_later = min(earliest_later, version.order)
    return annotate(marked[::-1])


def as_of(versions: list[Version], date: dt.date) -> Version | None:
    """The latest version, in story order, whose source may have been published by `date`."""
    chosen = None
    for version in chronological(versions):
        published = version.published
        if version.claim is not None and published and published.sort_key() <= date:
            chosen = version
    return chosen


def ordered(versions: list[Version], by: str = "published") -> list[Version]:
    """The story order (by published date) or the record order (by commit), annotated.

    Out-of-order marks always come from the story order: they say a version was recorded late.
    """
    story = chronological(versions)
    if by == "published":
        return story
    late = {v.order: v.out_of_order for v in story}
    return [replace(v, out_of_order=late[v.order]) for v in annotate(versions)]


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
