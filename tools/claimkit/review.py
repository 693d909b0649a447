"""`claims review BASE..HEAD`: every claim a branch changes, read from git as of HEAD.

For each changed claim: the old and new version and the change kind between them, the new
version's source, the earlier versions in HEAD's history that the new value contradicts (any
of them, not only the previous one), and every `claims check` problem on the changed files.
The files are checked as they are at HEAD, from a snapshot of the changed claim files and the
sources they cite, so the branch need not be checked out.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .check import Problem, ProblemCounts, check_files
from .diffing import ClaimDiff, compare_claims
from .errors import RepoError
from .files import atomic_write
from .gitcommand import safe_path
from .gitio import GitSession
from .history import SourceCache, claim_id_of, claim_versions, is_claim_file, parse_claim_blob
from .model import Source, is_claim_id
from .ordering import ordered_before
from .repo import CLAIMS_DIR, SEEDS_DIR, ClaimsRepo
from .story import Standing, Story, Version, build_story, evolve, place

READY = "ready"
FINDINGS = "ready-with-findings"
NOT_READY = "not-ready"
NO_CHANGES = "no-changes"


@dataclass(frozen=True)
class ReviewedClaim:
    claim_id: str
    path: str
    diff: ClaimDiff
    source: Source | None  # the new version's source, as of HEAD
    contradicted: tuple[Version, ...] = ()  # story versions the new value contradicts
    problems: tuple[Problem, ...] = ()
    readings: tuple[ReviewedReading, ...] = ()  # every reading the branch adds, commit order
    standing: Standing | None = None  # at HEAD


@dataclass(frozen=True)
class Contradiction:
    """A story version a reading contradicts, and whether its article came out earlier,
    later, or in an order not known."""

    version: Version
    published: str  # earlier, later, or uncertain


@dataclass(frozen=True)
class ReviewedReading:
    """One reading the branch adds, classified at its place in HEAD's story."""

    reading: Version  # with its change kind against the story predecessor
    superseded: bool = False  # a later reading of the same article edits it
    notes: tuple[str, ...] = ()  # out of story order; effect on the successor
    findings: tuple[str, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()


@dataclass(frozen=True)
class ReviewedSource:
    source_id: str
    path: str
    status: str  # added, modified, deleted
    source: Source | None
    problems: tuple[Problem, ...] = ()


@dataclass
class Review(ProblemCounts):
    base: str  # the commits compared
    head: str
    range: str  # as given
    claims: list[ReviewedClaim] = field(default_factory=list)
    sources: list[ReviewedSource] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        found = [p for c in self.claims for p in c.problems]
        found += [p for s in self.sources for p in s.problems]
        return sorted(found)

    @property
    def contradicting(self) -> int:
        return sum(1 for c in self.claims if c.contradicted)

    @property
    def out_of_order(self) -> int:
        return sum(1 for c in self.claims for r in c.readings if r.notes and not r.superseded
                   and r.reading.out_of_order)  # fmt: skip

    @property
    def status(self) -> str:
        if self.errors:
            return NOT_READY
        if not self.claims and not self.sources:
            return NO_CHANGES
        if (
            self.warnings
            or self.contradicting
            or any(r.findings for c in self.claims for r in c.readings)
        ):
            return FINDINGS
        return READY


STATUS_WORDS = {"A": "added", "M": "modified", "D": "deleted"}


def parse_range(words: tuple[str, ...]) -> tuple[str, str, bool]:
    """BASE..HEAD, BASE...HEAD (from their merge base) or BASE HEAD; an empty side is HEAD."""
    from .errors import UsageError

    if len(words) == 2:
        return words[0], words[1], False
    if len(words) != 1:
        raise UsageError("give a range: BASE..HEAD, BASE...HEAD, or BASE HEAD")
    text = words[0]
    three = "..." in text
    if ".." not in text:
        raise UsageError(f"{text!r} is not a range; give BASE..HEAD or BASE...HEAD")
    base, head = text.split("..." if three else "..", 1)
    return base or "HEAD", head or "HEAD", three


def review_revisions(repo: ClaimsRepo, words: tuple[str, ...]) -> Review:
    """`review`: the range as given on the command line, read from git."""
    base, head, merge_base = parse_range(words)
    with GitSession(repo.root) as git:
        return review_range(repo, git, base, head, merge_base)


def review_range(
    repo: ClaimsRepo, git: GitSession, base: str, head: str, merge_base: bool = False
) -> Review:
    base_commit, head_commit = git.resolve(base), git.resolve(head)
    if merge_base:
        base_commit = git.merge_base(base_commit, head_commit)
    review = Review(base_commit, head_commit, f"{base}{'...' if merge_base else '..'}{head}")
    claim_paths = [
        path
        for _status, path in git.changed_files(base_commit, head_commit, CLAIMS_DIR)
        if is_claim_file(path)
    ]
    changed_sources: dict[str, tuple[str, str]] = {}  # id -> (status, metadata path)
    for status, path in git.changed_files(base_commit, head_commit, SEEDS_DIR):
        if path.endswith((".yaml", ".txt")):
            meta = Path(path).with_suffix(".yaml").as_posix()
            changed_sources.setdefault(Path(path).stem, (status, meta))

    # Both sides' blobs from one tree listing each, read through the one cat-file process.
    base_blobs = dict(git.tree_files(base_commit, CLAIMS_DIR))
    head_blobs = dict(git.tree_files(head_commit, CLAIMS_DIR))
    olds = {path: _parse(git, base_blobs, path, base_commit) for path in claim_paths}
    news = {path: _parse(git, head_blobs, path, head_commit) for path in claim_paths}
    with tempfile.TemporaryDirectory(prefix="claims-review-") as folder:
        # Versions are read without their sources first: which sources are needed comes after.
        no_sources = SourceCache(ClaimsRepo(Path(folder) / "none"))
        histories = {
            path: claim_versions(repo, git, claim_id_of(path), no_sources, head_commit)
            for path in claim_paths
            if path in head_blobs and is_claim_id(claim_id_of(path))
        }
        base_histories = {
            path: claim_versions(repo, git, claim_id_of(path), no_sources, base_commit)
            for path in histories
            if path in base_blobs
        }
        texts = set(changed_sources) | {c.source for c, _ in news.values() if c is not None}
        metadata = texts | {
            v.claim.source for versions in histories.values() for v in versions if v.claim
        }
        snapshot = ClaimsRepo(Path(folder) / "head")
        claim_blobs = {path: head_blobs[path] for path in claim_paths if path in head_blobs}
        _materialise(git, head_commit, snapshot, claim_blobs, metadata, texts)
        sources = SourceCache(snapshot)
        problems = _check(snapshot, [*claim_blobs, *(meta for _, meta in changed_sources.values())])

        for path in claim_paths:
            (old, old_error), (new, new_error) = olds[path], news[path]
            claim_id = claim_id_of(path)
            head_story = _story(claim_id, histories.get(path, []), sources)
            base_story = _story(claim_id, base_histories.get(path, []), sources)
            review.claims.append(
                ReviewedClaim(
                    claim_id,
                    path,
                    compare_claims(claim_id, old, new, old_error or new_error),
                    sources.get(new.source) if new else None,
                    tuple(_contradicted(new, head_story)),
                    tuple(problems.get(path, [])),
                    tuple(_readings(base_story, head_story)),
                    head_story.standing if head_story.readings else None,
                )
            )
        for source_id, (status, meta) in sorted(changed_sources.items()):
            review.sources.append(
                ReviewedSource(
                    source_id,
                    meta,
                    STATUS_WORDS.get(status, "modified"),
                    sources.get(source_id),
                    tuple(problems.get(meta, [])),
                )
            )
    return review


def _check(snapshot: ClaimsRepo, paths: list[str]) -> dict[str, list[Problem]]:
    """Every check problem in those of `paths` that exist in the snapshot, by path."""
    files = [snapshot.root / path for path in paths if (snapshot.root / path).is_file()]
    found: dict[str, list[Problem]] = {}
    if files:
        for problem in check_files(snapshot, files).problems:
            found.setdefault(problem.path, []).append(problem)
    return found


def _parse(git: GitSession, blobs: dict[str, str], path: str, commit: str):
    """The claim at `path` on one side, and the error that kept it from parsing."""
    if path not in blobs:
        return None, None
    return parse_claim_blob(git.read_blob(blobs[path]), f"{path}@{commit[:12]}")


def _story(claim_id: str, readings: list[Version], sources: SourceCache) -> Story:
    """The story from readings read without their sources, with the sources as of HEAD."""
    sourced = [evolve(v, source=sources.get(v.claim.source)) if v.claim else v for v in readings]
    return build_story(claim_id, sourced)


def _published_side(other: Version, version: Version) -> str:
    if ordered_before(other, version):
        return "earlier"
    if ordered_before(version, other):
        return "later"
    return "uncertain"


def _contradicted(new, story: Story) -> list[Version]:
    """HEAD's story versions from other sources whose value the new value contradicts."""
    if new is None:
        return []
    from .story import contradicted_by

    return contradicted_by(story, new)


def _readings(base: Story, head: Story) -> list[ReviewedReading]:
    """Every reading in HEAD's history that the base lacks, at its place in HEAD's story."""
    from .editing import placement_notes
    from .rules.time_sense import version_finding
    from .story import contradicted_by

    known = {(v.commit, v.path) for v in base.readings}
    found = []
    for reading in head.readings:
        if (reading.commit, reading.path) in known:
            continue
        version = head.version_of(reading)
        if reading.claim is None or version is None:
            found.append(ReviewedReading(evolve(reading, change="unreadable",
                                                detail=reading.error or "")))  # fmt: skip
            continue
        superseded = version.order != reading.order
        if superseded:
            shown = evolve(reading, change="edited", detail="read again in a later commit",
                           out_of_order=version.out_of_order, uncertain=version.uncertain)  # fmt: skip
            notes: tuple[str, ...] = ()
        else:
            shown = version
            notes = placement_notes(place(base, head, version.source_id))
        finding = version_finding(shown)
        contradictions = tuple(
            Contradiction(other, _published_side(other, version))
            for other in contradicted_by(head, reading.claim)
        )
        found.append(
            ReviewedReading(shown, superseded, notes, (finding,) if finding else (), contradictions)
        )
    return found


def _materialise(git, commit, snapshot, claim_blobs, metadata: set[str], texts: set[str]):
    """Write the changed claim files and the sources they need, as of `commit`, into `snapshot`."""
    (snapshot.root / CLAIMS_DIR).mkdir(parents=True)
    (snapshot.root / SEEDS_DIR).mkdir()
    for path, blob in git.tree_files(commit, SEEDS_DIR):
        name = Path(path)
        wanted = metadata if name.suffix == ".yaml" else texts if name.suffix == ".txt" else ()
        if name.stem in wanted:
            _write_inside(snapshot.root, path, git.read_blob(blob))
    for path, blob in claim_blobs.items():
        _write_inside(snapshot.root, path, git.read_blob(blob))


def _write_inside(folder: Path, path: str, data: bytes) -> None:
    """Write a file of the snapshot; a path from a tree that would lead out of the folder is
    refused, whatever the tree's names (GitSession.tree_files already leaves such paths out)."""
    target = (folder / path).resolve()
    if not safe_path(path) or not target.is_relative_to(folder.resolve()):
        raise RepoError(f"{path}: a path in the reviewed tree leads outside its folder; refused")
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, data)
