"""`claims diff`: comparing claim states (blaming.py: who set each field)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .claimfile import claim_id_of, is_claim_file
from .compare import change_between
from .errors import DataError, NotFound, RepoError, UsageError
from .files import read_bytes
from .gitio import GitSession
from .gitwrite import blob_id
from .model import Claim
from .repo import CLAIMS_DIR, ClaimsRepo

if TYPE_CHECKING:  # the history reader and the story load only where a story is asked for
    from .story import Version


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


def diff_revisions(
    repo: ClaimsRepo, git: GitSession, old_rev: str, new_rev: str | None, story: bool = False
) -> list[ClaimDiff]:
    """Claims that differ between two revisions, or between a revision and the working tree.

    Between revisions, one `git diff-tree` names the changed files and one `git cat-file
    --batch` reads both sides of them all. The working tree is compared by blob id computed
    here, so no git filter or hook runs. The change kind is the new file's against the old
    one: what it costs grows with the change, not with the history.

    With `story`, each new reading is placed in its claim's story instead (its kind against
    its story predecessor, and notes on what it does to the story), which reads the changed
    claims' histories.
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
    shared = _Shared(repo, git) if story else None
    stories = None
    if shared is not None:
        stories = _readings_at(
            shared, [claim_id_of(c[0]) for c in changes if c[1] and c[2]], old_commit,
            new_commit if new_rev else None,
        )  # fmt: skip
    from .parsedblobs import ParsedBlobs

    parsed = ParsedBlobs(git.git_dir)  # what an earlier diff parsed of these blobs
    stored = git.read_blobs(
        [
            blob
            for _, old, new in changes
            for blob in (old, None if new_rev is None else new)
            if blob and blob not in parsed.known
        ]
    )

    def committed(blob: str | None, display: str) -> tuple[Claim | None, str | None]:
        return (None, None) if blob is None else parsed.parse(blob, stored.get(blob), display)

    diffs = []
    for path, old_blob, new_blob in changes:
        old, old_error = committed(old_blob, f"{path}@{old_rev}")
        try:
            if new_rev is not None:
                new, new_error = committed(new_blob, f"{path}@{new_label}")
            elif new_blob is None:
                new, new_error = None, None
            else:  # the person editing the file is told where it does not parse
                new, new_error = parsed.parse_strict(new_blob, new_data[path], path), None
        except DataError as err:  # told where, while every other claim is still compared
            claim_id = claim_id_of(path)
            diffs.append(ClaimDiff(claim_id, None, None, "unreadable", str(err), str(err), True))
            continue
        if old == new:
            continue
        found = compare_claims(claim_id_of(path), old, new, old_error or new_error)
        if shared is not None and old is not None and new is not None and not found.error:
            found = _in_story(
                shared, found, old_commit, new_commit if new_rev else None, path,
                stories.get(found.claim_id) if stories else None,
            )  # fmt: skip
        diffs.append(found)
    parsed.save()
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
    claims at once: the versions of those claims from the one pass over history at HEAD (or
    its cache), less those recorded after each side. None (ask claim by claim) for a few
    claims, or where that pass would not see what a claim's own log would: merges in HEAD's
    history, or a side that is not behind HEAD."""
    repo, git = shared.repo, shared.git
    if len(claim_ids) <= BULK or git.run("rev-list", "--merges", "-n1", "HEAD").strip():
        return None
    sides = [old_commit] if new_commit is None else [old_commit, new_commit]
    if not all(git.extends_linearly(commit, git.head) for commit in sides):
        return None
    from .history import claims_versions

    histories = claims_versions(repo, git, claim_ids, shared.sources)
    found: dict[str, list] = {claim_id: [] for claim_id in claim_ids}
    for commit in sides:
        # HEAD's history is a line through `commit`: what `commit` cannot reach is what came
        # after it, which costs as much as the distance to HEAD, not the whole history.
        later = set()
        if commit != git.head:
            later = set(
                git.run(
                    "rev-list", f"{commit}..{git.head}", "--", git.repo_path(CLAIMS_DIR)
                ).split()
            )
        for claim_id in claim_ids:
            found[claim_id].append(
                [v for v in histories.get(claim_id, ()) if v.commit not in later]
            )
    return {claim_id: (*pair, None)[:2] for claim_id, pair in found.items()}


def _own_log(shared: _Shared, claim_id: str, commit: str) -> list[Version]:
    """A claim's readings at `commit`, from its own log."""
    from .history import claim_versions

    return claim_versions(shared.repo, shared.git, claim_id, shared.sources, commit)


def _placement(claim_id: str, before: list[Version], after: list[Version], source_id: str):
    """`place` of `source_id`'s reading, from the readings of the claim before and after it.

    Placing a reading reads the change kinds of three versions only: its own and its story
    successor's in the story after, and that successor's in the story before. Those are
    worked out; annotating every version (and the standing `build_story` adds) would compare
    every pair of neighbours in both stories, most of what a diff over many claims costs."""
    from .story import Story, evolve, latest_readings, place, story_order

    def with_kinds(versions: list[Version], positions) -> list[Version]:
        marked = list(versions)
        for position in positions:
            previous = next(
                (v.claim for v in reversed(versions[:position]) if v.claim is not None), None
            )
            change = change_between(previous, versions[position].claim)
            marked[position] = evolve(versions[position], change=change.kind, detail=change.detail)
        return marked

    story_after = story_order(latest_readings(after))
    position = next((i for i, v in enumerate(story_after) if v.source_id == source_id), None)
    if position is None:
        return None
    successor = next(
        (i for i in range(position + 1, len(story_after)) if story_after[i].claim is not None),
        None,
    )
    story_after = with_kinds(story_after, [p for p in (position, successor) if p is not None])
    story_before = story_order(latest_readings(before))
    if successor is not None:
        named = story_after[successor].source_id
        was = next((i for i, v in enumerate(story_before) if v.source_id == named), None)
        if was is not None:
            story_before = with_kinds(story_before, [was])
    return place(
        Story(claim_id, story_before, list(before)), Story(claim_id, story_after, list(after)),
        source_id,
    )  # fmt: skip


def _in_story(
    shared: _Shared, found: ClaimDiff, old_commit: str, new_commit: str | None, path: str,
    known: tuple | None = None,
):  # fmt: skip
    """The diff's change kind at the new reading's place in the story (against its story
    predecessor, not the file it replaced), with its effect on the story's other versions.
    `known`: the claim's readings at both sides, read already (see _readings_at)."""
    from .editing import placement_notes
    from .story import Version

    claim_id, new = found.claim_id, found.new
    if known is not None:
        before_readings = known[0]
    else:
        before_readings = _own_log(shared, claim_id, old_commit)
    if new_commit is not None:
        if known is not None:
            after_readings = known[1]
        else:
            after_readings = _own_log(shared, claim_id, new_commit)
    else:
        cited = {v.source.id: v.source for v in before_readings if v.source is not None}
        source = cited.get(new.source) if isinstance(new.source, str) else None
        if source is None:
            source = shared.sources.get(new.source)
        reading = Version(claim_id, "", "", path, "", len(before_readings), new, None, source)
        after_readings = [*before_readings, reading]
    if not after_readings or not isinstance(new.source, str):
        return found
    placed = _placement(claim_id, before_readings, after_readings, new.source)
    if placed is None or placed.version is None or placed.version.claim is None:
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
    from .history import all_versions

    histories = all_versions(repo, git)
    order = source_order(histories)
    for source_id in (first, second):
        if source_id not in order:
            from .repo import unknown

            raise NotFound(unknown("source with recorded versions", source_id, order))
    rank = {source_id: position for position, source_id in enumerate(order)}
    from .story import latest_readings, story_order

    def state_after(story: list[Version], source_id: str) -> Claim | None:
        state = None
        for version in story:
            if version.claim is not None and rank[version.claim.source] <= rank[source_id]:
                state = version.claim
        return state

    diffs = []
    for claim_id, versions in histories.items():
        # The story's order is all a state needs: no change kinds, no standing.
        story = story_order(latest_readings(versions))
        old, new = state_after(story, first), state_after(story, second)
        if old != new and not (old and new and old.to_data() == new.to_data()):
            diffs.append(compare_claims(claim_id, old, new))
    return diffs
