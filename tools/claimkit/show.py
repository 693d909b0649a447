"""One claim in three ways: now (the story's end), at a commit, or as the press had it on a date."""

from __future__ import annotations

from dataclasses import dataclass

from .asof import as_of as story_as_of
from .dates import date_argument
from .errors import NotFound, UsageError
from .files import read_text
from .model import Claim
from .repo import ClaimsRepo
from .story import Standing, Story, Version, build_story


@dataclass(frozen=True)
class Shown:
    """What `show` prints: the claim, its file's bytes, its standing, and, when the file on
    disk is not the story's end, which reading the file holds."""

    claim: Claim
    raw: str
    standing: Standing | None = None
    file_claim: Claim | None = None  # the file on disk, where it is not the story's end
    current: Version | None = None
    may_be_later: tuple[str, ...] = ()  # --as-of: sources perhaps published by then, or not


def show_claim(
    repo: ClaimsRepo, claim_id: str, rev: str | None = None, as_of: str | None = None
) -> Shown:
    """The claim now, at a commit (`rev`) or as of a date (`as_of`)."""
    if rev and as_of:
        raise UsageError("--at and --as-of cannot be combined")
    if rev:
        return claim_at(repo, claim_id, rev)
    if as_of:
        return claim_as_of(repo, claim_id, as_of)
    return claim_now(repo, claim_id)


def _story(repo: ClaimsRepo, claim_id: str) -> tuple[Story, dict[str, str]]:
    """The claim's story and each version's text by blob: from the claim's cache file when
    nothing has moved (no git process), else from git (see readings.claim_readings)."""
    from .readings import claim_readings

    versions, _, texts = claim_readings(repo, claim_id, with_text=True)
    return build_story(claim_id, versions), texts


def claim_now(repo: ClaimsRepo, claim_id: str) -> Shown:
    """The story's current version; the file on disk where there is no committed story."""
    from .gitcommand import is_git_repository

    path = repo.claim_path(claim_id)
    # Anything in the file's place is read (a FIFO or a device is refused in one line).
    on_disk = repo.load_claim(claim_id) if path.exists() and not path.is_dir() else None
    if not is_git_repository(repo.root):
        if on_disk is None:
            repo.load_claim_document(claim_id)
        return Shown(on_disk, read_text(path, repo.relative(path)))
    story, texts = _story(repo, claim_id)
    current = story.current
    if current is None:
        if on_disk is None:
            repo.load_claim_document(claim_id)  # the unknown-claim error, with suggestions
        return Shown(on_disk, read_text(path, repo.relative(path)), story.standing)
    raw = texts[current.blob]
    differs = on_disk is not None and on_disk != current.claim
    return Shown(current.claim, raw, story.standing, on_disk if differs else None, current)


def claim_at(repo: ClaimsRepo, claim_id: str, rev: str) -> Shown:
    # Here, not at the top: `show --as-of` answered from the cache loads no git module.
    from .gitio import GitSession
    from .history import parse_claim

    display = repo.relative(repo.claim_path(claim_id))
    with GitSession(repo.root) as git:
        data = git.file_at(rev, display)
    if data is None:
        raise NotFound(f"{display} does not exist at {rev}")
    return Shown(parse_claim(data, f"{display}@{rev}"), data.decode("utf-8", errors="replace"))


def claim_as_of(repo: ClaimsRepo, claim_id: str, date: str) -> Shown:
    day = date_argument(date, end=True)
    story, texts = _story(repo, claim_id)
    if not story.readings and not repo.claim_path(claim_id).exists():
        repo.load_claim_document(claim_id)  # the unknown-claim error, with suggestions
    version = story_as_of(story.versions, day)
    if version is None:
        raise NotFound(f"no version of {claim_id} from a source published by {day}")
    raw = texts[version.blob]
    # Versions whose publication interval straddles the day: they may or may not have been out.
    unsure = tuple(
        v.source_id or "?"
        for v in story.versions
        if v.published
        and v.published.sort_key() <= day
        and not (v.published.upper and v.published.upper <= day)
    )
    standing = build_story(claim_id, [r for r in story.readings if _by(r, day)]).standing
    return Shown(version.claim, raw, standing, None, version, unsure)


def _by(reading: Version, day) -> bool:
    published = reading.published
    return reading.claim is not None and published is not None and published.sort_key() <= day
