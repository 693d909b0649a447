"""`claims diff`: comparing claim states (blaming.py: who set each field)."""

from __future__ import annotations

from dataclasses import dataclass

from .compare import change_between
from .errors import DataError, NotFound, RepoError, UsageError
from .files import read_bytes
from .gitio import GitSession
from .gitwrite import blob_id
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
from .model import Claim
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

    Between revisions, one `git diff-tree` names the changed files and one `git cat-file
    --batch` reads both sides of them all. The working tree is compared by blob id computed
    here, so no git filter or hook runs.
    """
    if not git.has_commits():
        raise RepoError("the repository has no commits yet: nothing to compare with")
    old_commit = git.resolve(old_rev)
    if new_rev is None:
        old_blobs = dict(git.tree_files(old_commit, CLAIMS_DIR))
        new_data = {}
        for path in repo.claim_files():
            if not repo.inside(path):  # a link out of the repository, as `show` refuses it
                raise UsageError(f"{repo.relative(path)}: resolves outside the repository; refused")
            new_data[repo.relative(path)] = read_bytes(path, repo.relative(path))
        new_blobs = {path: blob_id(data) for path, data in new_data.items()}
        changes = [
            (path, old_blobs.get(path), new_blobs.get(path))
            for path in old_blobs.keys() | new_blobs.keys()
            if old_blobs.get(path) != new_blobs.get(path)
        ]
        new_label = "working tree"
    else:
        new_commit = git.resolve(new_rev)
        changes = git.changed_blobs(old_commit, new_commit, CLAIMS_DIR)
        new_label = new_rev
    changes = sorted(c for c in changes if is_claim_file(c[0]))
    shared = _Shared(repo, git)
    stories = _readings_at(
        shared, [claim_id_of(c[0]) for c in changes if c[1] and c[2]], old_commit,
        new_commit if new_rev else None,
    )  # fmt: skip
    stored = git.read_blobs(
        [
            blob
            for _, old, new in changes
            for blob in (old, None if new_rev is None else new)
            if blob
        ]
    )
    parse_new = _parse_strict if new_rev is None else _parse
    diffs = []
    for path, old_blob, new_blob in changes:
        old, old_error = _parse(stored[old_blob] if old_blob else None, f"{path}@{old_rev}")
        if new_blob is None:
            data = None
        else:
            data = new_data[path] if new_rev is None else stored[new_blob]
        try:
            new, new_error = parse_new(data, path if new_rev is None else f"{path}@{new_label}")
        except DataError as err:  # told where, while every other claim is still compared
            claim_id = claim_id_of(path)
            diffs.append(ClaimDiff(claim_id, None, None, "unreadable", str(err), str(err), True))
            continue
        if old == new:
            continue
        found = compare_claims(claim_id_of(path), old, new, old_error or new_error)
        if old is not None and new is not None and not found.error:
            found = _in_story(
                shared, found, old_commit, new_commit if new_rev else None, path,
                stories.get(found.claim_id) if stories else None,
            )  # fmt: skip
        diffs.append(found)
    return diffs


# More changed claims than this, and their stories come from one pass over history (cached)
# rather than two logs of each claim's file.
BULK = 8


class _Shared:
    """What the claims of one diff share: the repository, git, and one source cache."""

    def __init__(self, repo: ClaimsRepo, git: GitSession):
        self.repo, self.git, self._sources = repo, git, None

    @property
    def sources(self):
        if self._sources is None:
            from .history import source_cache

            self._sources = source_cache(self.repo, self.git)
        return self._sources


def _readings_at(shared: _Shared, claim_ids: list[str], old_commit: str, new_commit: str | None):
    """claim id -> (its readings as of `old_commit`, as of `new_commit` or None), for many
    claims at once: every version from the one pass over history at HEAD, kept where its
    commit is reachable from each side. None (ask claim by claim) for a few claims, or where
    that pass would not see what a claim's own log would: merges in HEAD's history, or a
    side that is not behind HEAD."""
    repo, git = shared.repo, shared.git
    if len(claim_ids) <= BULK or git.run("rev-list", "--merges", "-n1", "HEAD").strip():
        return None
    sides = [old_commit] if new_commit is None else [old_commit, new_commit]
    if not all(git.extends_linearly(commit, git.head) for commit in sides):
        return None
    from .history import all_versions

    histories = all_versions(repo, git, shared.sources)
    found: dict[str, list] = {claim_id: [] for claim_id in claim_ids}
    for commit in sides:
        reachable = set(git.run("rev-list", commit, "--", git.repo_path(CLAIMS_DIR)).split())
        for claim_id in claim_ids:
            found[claim_id].append(
                [v for v in histories.get(claim_id, ()) if v.commit in reachable]
            )
    return {claim_id: (*pair, None)[:2] for claim_id, pair in found.items()}


def _in_story(
    shared: _Shared, found: ClaimDiff, old_commit: str, new_commit: str | None, path: str,
    known: tuple | None = None,
):  # fmt: skip
    """The diff's change kind at the new reading's place in the story (against its story
    predecessor, not the file it replaced), with its effect on the story's other versions.
    `known`: the claim's readings at both sides, read already (see _readings_at)."""
    from .editing import placement_notes
    from .story import Version, build_story, place

    repo, git, sources = shared.repo, shared.git, shared.sources
    claim_id, new = found.claim_id, found.new
    if known is not None:
        before_readings = known[0]
    else:
        before_readings = claim_versions(repo, git, claim_id, sources, old_commit)
    if new_commit is not None:
        if known is not None:
            after_readings = known[1]
        else:
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
