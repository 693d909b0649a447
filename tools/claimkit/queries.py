"""What the reading commands ask of the repository: one function per command, each opening
git itself, so that the command layer touches neither git nor the history reader.

The git session, the history reader and the story load inside the functions: `log` answered
from its cache needs none of git's modules, and otherwise starts its path-limited `git log`
first, so that git walks the history while they load.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import NotFound

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .model import Claim, Source
    from .repo import ClaimsRepo
    from .sources import SourceCache
    from .story import Standing, Version


@contextmanager
def collector_paused():
    """history.collector_paused, for the commands that build many objects."""
    from .history import collector_paused as paused

    with paused():
        yield


def _plain(load, *args):
    return load(*args)


def listing(
    repo: ClaimsRepo, day: dt.date | None, attempt=_plain
) -> list[tuple[Claim, str, int, Standing | None]]:
    """`list`: each claim's current value (the story's end), its story's length and standing;
    with `day`, each claim as of that day (claims not yet reported then are left out).
    A claim with no committed reading yet shows its file. `attempt(load, *args)` loads a
    file, or reports it and gives None (a bad file never blocks the rest)."""
    from .gitcommand import is_git_repository
    from .gitio import GitSession
    from .history import overview

    required = day is not None
    overviews = {}
    if required or is_git_repository(repo.root):
        with GitSession(repo.root) as git:
            overviews = overview(repo, git, day)
    rows = []
    for claim_id in sorted(overviews) if day else repo.claim_ids():
        found = overviews.get(claim_id)
        if day:
            if found is None or found.as_of is None:
                continue
            claim = found.as_of
        else:
            on_disk = attempt(repo.load_claim, claim_id)  # a bad file is named, even so
            if on_disk is None:
                continue
            claim = found.current if found and found.current else on_disk
        count, standing = (found.versions, found.standing) if found else (0, None)
        rows.append((claim, f"claims/{claim_id}.yaml", count, standing))
    return rows


def citing_sources(repo: ClaimsRepo, attempt=_plain) -> list[tuple[Source, list[str]]]:
    """`sources`: every source in publication order, with the claims any reading of which
    cites it (outside git, the claim files that cite it now)."""
    from .gitcommand import is_git_repository
    from .gitio import GitSession
    from .history import all_versions

    citing: dict[str, set[str]] = {}
    if is_git_repository(repo.root):
        with GitSession(repo.root) as git:
            histories = all_versions(repo, git)
        for claim_id, versions in histories.items():
            for version in versions:
                if version.claim:
                    citing.setdefault(version.claim.source, set()).add(claim_id)
    for claim_id in repo.claim_ids():
        claim = attempt(repo.load_claim, claim_id)
        if claim is not None:
            citing.setdefault(claim.source, set()).add(claim_id)
    loaded = [attempt(repo.load_source, source_id) for source_id in sorted(repo.source_paths())]
    ordered = sorted(filter(None, loaded), key=lambda s: (s.published_key(), s.id))
    return [(s, sorted(citing.get(s.id, ()))) for s in ordered]


@dataclass(frozen=True)
class ClaimLog:
    claim_id: str
    versions: list[Version]
    standing: Standing
    truncated: bool


def claim_log(
    repo: ClaimsRepo,
    claim_id: str,
    *,
    by: str = "published",
    first: dt.date | None = None,
    last: dt.date | None = None,
    reverse: bool = False,
    limit: int | None = None,
    all_readings: bool = False,
) -> ClaimLog:
    """`log`: the claim's story (or, with `all_readings`, every reading at its place in it)."""
    from .readings import claim_readings

    # From the claim's cache file when nothing has moved; else git starts before the story
    # and history modules load.
    readings, truncated, _ = claim_readings(repo, claim_id)
    from .asof import published_between
    from .story import build_story

    if not readings:
        no_history(repo, claim_id)
    story = build_story(claim_id, readings)
    versions = story.all_readings() if all_readings else list(story.versions)
    if by == "recorded":
        versions.sort(key=lambda v: v.order if all_readings else v.first_recorded)
    if first or last:
        versions = published_between(versions, first, last)
    if reverse:
        versions.reverse()
    if limit is not None:
        versions = versions[:limit]
    return ClaimLog(claim_id, versions, story.standing, truncated)


def no_history(repo: ClaimsRepo, claim_id: str):
    repo.load_claim_document(claim_id)  # unknown id: the error names close matches
    raise NotFound(f"claim {claim_id!r} has no committed version yet (commit it first)")


def claim_blame(repo: ClaimsRepo, claim_id: str) -> list:
    """`blame`: for each field of the latest reading, the reading that last set it."""
    from .readings import claim_readings

    readings, _, _ = claim_readings(repo, claim_id)
    from .blaming import blame

    if not readings:
        no_history(repo, claim_id)
    return blame(readings)


def claim_diffs(
    repo: ClaimsRepo,
    revisions: tuple[str, ...],
    source_pair: tuple | None,
    story: bool | None = None,
) -> list:
    """`diff`: the working tree against HEAD (or REV), two revisions, or two articles.

    `story`: place each new reading in its claim's story; by default only for the working
    tree against HEAD (no revision given), where the edits are few and the story is HEAD's."""
    from .diffing import diff_revisions, diff_sources
    from .errors import UsageError
    from .gitio import GitSession

    if len(revisions) == 1 and ".." in revisions[0] and "..." not in revisions[0]:
        revisions = tuple(revisions[0].split("..", 1))
    if len(revisions) > 2:
        raise UsageError("diff takes at most two revisions")
    if source_pair and revisions:
        raise UsageError("--sources cannot be combined with revisions")
    if source_pair and story is not None:
        raise UsageError("--story and --no-story cannot be combined with --sources")
    with GitSession(repo.root) as git:
        if source_pair:
            return diff_sources(repo, git, *source_pair)
        old = revisions[0] if revisions else "HEAD"
        new = revisions[1] if len(revisions) == 2 else None
        if story is None:
            story = not revisions
        return diff_revisions(repo, git, old, new, story)


@dataclass
class ClaimByClaim:
    """The whole history as `history_by_claim` gives it."""

    claims: Iterator[tuple[str, list[Version]]]  # each claim's readings, in claim id order
    # (with `told`, each claim's story instead of its readings)
    sources: SourceCache
    truncated: bool
    head: str | None
    details: Callable[[list[str]], dict[str, tuple[str, str, str]]]  # commit_details


@contextmanager
def history_by_claim(repo: ClaimsRepo, told: bool = False):
    """`export`, claim by claim: each claim's readings (one claim at a time, each let go of
    before the next is read), the sources they were read with, whether the history is cut
    short, HEAD, and the details of commits; from one pass over git (or its cache). The
    claims are to be read inside the `with`. With `told`, each claim's story (claim id,
    Story), from the stories kept where its inputs are unchanged (storycache.py)."""
    import itertools

    from .gitio import GitSession
    from .gitlog import commit_details as details
    from .history import each_history, source_cache
    from .storycache import each_story

    with GitSession(repo.root) as git:
        sources = source_cache(repo, git)
        if told:
            each = ((story.claim_id, story) for story in each_story(repo, git, sources))
        else:
            each = each_history(repo, git, sources)
        first = next(each, None)
        truncated = git.is_shallow() if first is not None else False
        head = git.resolve("HEAD") if git.has_commits() else None
        claims = itertools.chain([first], each) if first is not None else iter(())
        yield ClaimByClaim(claims, sources, truncated, head, lambda shas: details(git, shas))
