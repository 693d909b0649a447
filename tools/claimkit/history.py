"""A claim's versions, read from git, in the two clocks: published (story) and recorded (commits)."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .asof import as_of as story_as_of
from .cache import Store
from .cache import enabled as cache_enabled
from .claimfile import claim_id_of, parse_claim, parse_claim_blob  # noqa: F401  (re-exported)
from .gitio import GitSession
from .gitlog import EarlyFileLog, FileRevision
from .history_cache import HistoryIndex, history_index, is_claim_file  # noqa: F401
from .model import Claim, is_source_id
from .repo import SEEDS_DIR, ClaimsRepo, PartialListing, cited_sources, partial_listing
from .sources import SourceCache
from .story import Standing, Story, Version, build_story
from .yamlio import prepare_parser


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
    repo: ClaimsRepo,
    git: GitSession,
    claim_id: str,
    sources: SourceCache | None = None,
    rev: str = "HEAD",
    early: EarlyFileLog | None = None,
) -> list[Version]:
    """One claim's versions in commit order: one path-limited log (perhaps started `early`),
    blobs read in one batch."""
    path = repo.relative(repo.claim_path(claim_id))
    # Made ready before the log is read: while an early log runs, this costs nothing.
    few = sources is None
    if few:  # a few sources, parsed here
        sources = SourceCache(repo, None, False)
    prepare_parser()
    revisions = git.file_log(path, rev, early=early)
    blobs = git.read_blobs(r.blob for r in revisions if r.blob)
    if few:
        list_cited_sources(repo, git, blobs.values(), early)
    versions = build_versions(claim_id, revisions, blobs, sources)
    sources.save()
    return versions


def list_cited_sources(
    repo: ClaimsRepo, git: GitSession, texts: Iterable[bytes], early: EarlyFileLog | None = None
) -> None:
    """Make sure the repository's listing of seeds/ knows the sources these claim files'
    texts cite (see list_source_ids)."""
    if repo._sources is None or isinstance(repo._sources, PartialListing):
        cited = {i for data in texts for i in cited_sources(data.decode("utf-8", "replace"))}
        list_source_ids(repo, git, cited, early)


def list_source_ids(
    repo: ClaimsRepo, git: GitSession, ids: Iterable[str], early: EarlyFileLog | None = None
) -> None:
    """Make sure the repository's listing of seeds/ knows these sources, found by name in
    git's index where the listing is partial or not yet made: a walk of seeds/, or the
    cached listing of it, costs as much as the sources are many."""
    listing = repo._sources
    if listing is not None and not isinstance(listing, PartialListing):
        return
    missing = [
        f"{i}.yaml"
        for i in ids
        if is_source_id(i) and (listing is None or not dict.__contains__(listing, i))
    ]
    if missing:
        named = git.files_named(
            missing, SEEDS_DIR, early.seeds_listing() if early is not None else None
        )
        found = partial_listing(repo, named)
        if listing is None:
            repo.use_source_listing(found, set())
        else:
            listing.update(dict.items(found))


# Every claim's history at once ---------------------------------------------------------------


def _versions(index: HistoryIndex, claim_id: str, sources: SourceCache) -> list[Version]:
    versions = []
    for order, (commit, recorded, path, blob, fields, error) in enumerate(
        index.claim_rows(claim_id)
    ):
        claim = Claim(*fields) if fields is not None else None
        source = sources.get(claim.source) if claim else None
        versions.append(
            Version(claim_id, commit, recorded, path, blob, order, claim, error, source)
        )
    return versions


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a whole history is read.

    Reading builds hundreds of thousands of small objects and no reference cycles (freed, as
    ever, by reference counting), and the collector would scan them all, again and again, as
    they pile up: a tenth of the time of a cold read."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def source_cache(repo: ClaimsRepo, git: GitSession) -> SourceCache:
    """A SourceCache backed by the repository's cache (when there is one to use)."""
    return SourceCache(repo, Store(git.git_dir) if cache_enabled() else None)


def all_versions(
    repo: ClaimsRepo, git: GitSession, sources: SourceCache | None = None
) -> dict[str, list[Version]]:
    """Every claim's versions in commit order, from one pass of `git log --raw -- claims/`
    and one batch read of the blobs it names (or from the cache of that pass)."""
    with collector_paused():
        sources = sources or source_cache(repo, git)
        index = history_index(repo, git, sources)
        histories = {c: _versions(index, c, sources) for c in index.claim_ids()}
        index.close()
        sources.save()
    return histories


def each_history(
    repo: ClaimsRepo, git: GitSession, sources: SourceCache | None = None
) -> Iterator[tuple[str, list[Version]]]:
    """Every claim's versions in commit order, as all_versions reads them, one claim at a time
    in claim id order: each claim's rows are decoded when it comes and let go of, so that a
    caller that keeps only what it writes holds one claim's versions at a time."""
    sources = sources or source_cache(repo, git)
    index = history_index(repo, git, sources)
    try:
        for claim_id in index.claim_ids():
            yield claim_id, _versions(index, claim_id, sources)
    finally:
        index.close()
    sources.save()


def claims_versions(
    repo: ClaimsRepo, git: GitSession, claim_ids: Iterable[str], sources: SourceCache | None = None
) -> dict[str, list[Version]]:
    """The versions of the claims named, in commit order, from the one pass over history (or
    its cache), as `all_versions` gives them; only their rows are decoded and built."""
    with collector_paused():
        sources = sources or source_cache(repo, git)
        index = history_index(repo, git, sources)
        histories = {c: _versions(index, c, sources) for c in claim_ids if c in index.spans}
        index.close()
        sources.save()
    return histories


@dataclass(frozen=True)
class Overview:
    """One claim in a listing: its versions in the story, its standing, its current version
    (the story's end) and (for a date) the version as of that date."""

    claim_id: str
    versions: int
    standing: Standing
    current: Claim | None
    as_of: Claim | None = None

    @property
    def contested(self) -> bool:
        return self.standing.contested


def overview(repo: ClaimsRepo, git: GitSession, day: dt.date | None = None) -> dict[str, Overview]:
    """Every claim with history: its story's length, standing and current value, and (with
    `day`) its state as of `day`."""
    from .storycache import each_overview

    with collector_paused():
        return {found.claim_id: found for found in each_overview(repo, git, day)}


def _overview(story: Story, day: dt.date | None) -> Overview:
    chosen = story_as_of(story.versions, day) if day is not None else None
    current = story.current
    return Overview(
        story.claim_id,
        len(story.versions),
        story.standing,
        current.claim if current else None,
        chosen.claim if chosen else None,
    )


def chronological(versions: list[Version]) -> list[Version]:
    """The story's versions (one per source, in publication order), annotated."""
    return build_story(versions[0].claim_id if versions else "", versions).versions


def ordered(versions: list[Version], by: str = "published") -> list[Version]:
    """The story order (by published date) or the record order (by commit), annotated.

    Out-of-order marks always come from the story order: they say a version was recorded late.
    """
    story = chronological(versions)
    if by == "published":
        return story
    return sorted(story, key=lambda v: v.first_recorded)
