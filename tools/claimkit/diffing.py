"""`claims diff` and `claims blame`: comparing claim states, and who set each field."""

from __future__ import annotations

from dataclasses import dataclass

from .compare import change_between
from .errors import DataError, NotFound, RepoError, UsageError
from .files import read_bytes
from .gitio import GitSession, blob_id
from .history import (
    Version,
    all_versions,
    chronological,
    claim_id_of,
    claim_versions,
    is_claim_file,
    parse_claim,
    parse_claim_blob,
)
from .model import CLAIM_FIELDS, Claim
from .repo import CLAIMS_DIR, ClaimsRepo


@dataclass(frozen=True)
class ClaimDiff:
    claim_id: str
    old: Claim | None  # None: the claim is new
    new: Claim | None  # None: the claim was removed
    change: str  # change kind, or "added" / "removed" / "unreadable"
    detail: str
    error: str | None = None
    broken: bool = False  # the working tree's file does not parse: `error` says where
    notes: tuple[str, ...] = ()  # the new reading's effect on the story


def compare_claims(
    claim_id: str, old: Claim | None, new: Claim | None, error: str | None = None
) -> ClaimDiff:
    if error:
        return ClaimDiff(claim_id, old, new, "unreadable", error, error)
    if old is None:
        return ClaimDiff(claim_id, None, new, "added", "")
    if new is None:
        return ClaimDiff(claim_id, old, None, "removed", "")
    change = change_between(old, new)
    return ClaimDiff(claim_id, old, new, change.kind, change.detail)


def _parse_strict(data: bytes | None, display: str) -> tuple[Claim | None, None]:
    """A working-tree file must parse: the person editing it is told where it does not."""
    return (None if data is None else parse_claim(data, display)), None


def _parse(data: bytes | None, display: str) -> tuple[Claim | None, str | None]:
    if data is None:
        return None, None
    return parse_claim_blob(data, display)


def diff_revisions(
    repo: ClaimsRepo, git: GitSession, old_rev: str, new_rev: str | None
) -> list[ClaimDiff]:
    """Claims that differ between two revisions, or between a revision and the working tree.

    The working tree is compared by blob id computed here, so no git filter or hook runs.
    """
    if not git.has_commits():
        raise RepoError("the repository has no commits yet: nothing to compare with")
    old_commit = git.resolve(old_rev)
    old_blobs = dict(git.tree_files(old_commit, CLAIMS_DIR))
    if new_rev is None:
        new_data = {}
        for path in repo.claim_files():
            if not repo.inside(path):  # a link out of the repository, as `show` refuses it
                raise UsageError(f"{repo.relative(path)}: resolves outside the repository; refused")
            new_data[repo.relative(path)] = read_bytes(path, repo.relative(path))
        new_blobs = {path: blob_id(data) for path, data in new_data.items()}
        read_new = new_data.__getitem__
        new_label = "working tree"
    else:
        new_commit = git.resolve(new_rev)
        new_blobs = dict(git.tree_files(new_commit, CLAIMS_DIR))
        read_new = lambda path: git.read_blob(new_blobs[path])  # noqa: E731
        new_label = new_rev
    diffs = []
    for path in sorted(old_blobs.keys() | new_blobs.keys()):
        if not is_claim_file(path) or old_blobs.get(path) == new_blobs.get(path):
            continue
        old, old_error = _parse(
            git.read_blob(old_blobs[path]) if path in old_blobs else None, f"{path}@{old_rev}"
        )
        parse_new = _parse_strict if new_rev is None else _parse
        try:
            new, new_error = parse_new(
                read_new(path) if path in new_blobs else None,
                path if new_rev is None else f"{path}@{new_label}",
            )
        except DataError as err:  # told where, while every other claim is still compared
            claim_id = claim_id_of(path)
            diffs.append(ClaimDiff(claim_id, None, None, "unreadable", str(err), str(err), True))
            continue
        if old == new:
            continue
        found = compare_claims(claim_id_of(path), old, new, old_error or new_error)
        if old is not None and new is not None and not found.error:
            found = _in_story(repo, git, found, old_commit, new_commit if new_rev else None, path)
        diffs.append(found)
    return diffs


def _in_story(repo, git, found: ClaimDiff, old_commit: str, new_commit: str | None, path: str):
    """The diff's change kind at the new reading's place in the story (against its story
    predecessor, not the file it replaced), with its effect on the story's other versions."""
    from .editing import placement_notes
    from .history import source_cache
    from .story import Version, build_story, place

    sources = source_cache(repo, git)
    claim_id, new = found.claim_id, found.new
    before_readings = claim_versions(repo, git, claim_id, sources, old_commit)
    if new_commit is not None:
        after_readings = claim_versions(repo, git, claim_id, sources, new_commit)
    else:
        reading = Version(claim_id, "", "", path, "", len(before_readings), new, None,
                          sources.get(new.source))  # fmt: skip
        after_readings = [*before_readings, reading]
    if not after_readings or not isinstance(new.source, str):
        return found
    placed = place(build_story(claim_id, before_readings), build_story(claim_id, after_readings),
                   new.source)  # fmt: skip
    if placed.version is None or placed.version.claim is None:
        return found
    version = placed.version
    return ClaimDiff(claim_id, found.old, new, version.change, version.detail,
                     notes=placement_notes(placed))  # fmt: skip


def source_order(histories: dict[str, list[Version]]) -> list[str]:
    """Sources in publication order: published lower bound, then the order they were first recorded."""
    first_seen: dict[str, tuple] = {}
    recorded = sorted(
        (v for versions in histories.values() for v in versions if v.claim),
        key=lambda v: v.recorded,
    )
    for position, version in enumerate(recorded):
        first_seen.setdefault(version.claim.source, (version.published_key(), position))
    return sorted(first_seen, key=first_seen.__getitem__)


def diff_sources(repo: ClaimsRepo, git: GitSession, first: str, second: str) -> list[ClaimDiff]:
    """Every claim as it stood after article `first` vs after article `second`, in publication order."""
    histories = all_versions(repo, git)
    order = source_order(histories)
    for source_id in (first, second):
        if source_id not in order:
            from .repo import unknown

            raise NotFound(unknown("source with recorded versions", source_id, order))
    rank = {source_id: position for position, source_id in enumerate(order)}

    def state_after(versions: list[Version], source_id: str) -> Claim | None:
        state = None
        for version in chronological(versions):
            if version.claim is not None and rank[version.claim.source] <= rank[source_id]:
                state = version.claim
        return state

    diffs = []
    for claim_id, versions in histories.items():
        old, new = state_after(versions, first), state_after(versions, second)
        if old != new and not (old and new and old.to_data() == new.to_data()):
            diffs.append(compare_claims(claim_id, old, new))
    return diffs


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
    latest = readable[-1].claim.to_data()
    lines = []
    for name in CLAIM_FIELDS:
        if name not in latest:
            continue
        setter = readable[-1]
        for version in reversed(readable):
            if version.claim.to_data().get(name) != latest[name]:
                break
            setter = version
        lines.append(BlameLine(name, latest[name], setter))
    return lines
