"""`claims review BASE..HEAD`: every claim a branch changes, read from git as of HEAD.

For each changed claim: the old and new version and the change kind between them, the new
version's source, the earlier versions in HEAD's history that the new value contradicts (any
of them, not only the previous one), and every `claims check` problem on the changed files.
The files are checked as they are at HEAD, from a snapshot of the changed claim files and the
sources they cite, so the branch need not be checked out.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .check import ERROR, WARNING, Problem, check_files
from .compare import contradicts
from .diffing import ClaimDiff, compare_claims
from .files import atomic_write
from .gitio import GitHistory
from .history import SourceCache, Version, claim_id_of, claim_versions, parse_claim_blob
from .model import Source, is_claim_id
from .repo import CLAIMS_DIR, SEEDS_DIR, ClaimsRepo

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
    contradicted: tuple[Version, ...] = ()  # earlier versions the new value contradicts
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ReviewedSource:
    source_id: str
    path: str
    status: str  # added, modified, deleted
    source: Source | None
    problems: tuple[Problem, ...] = ()


@dataclass
class Review:
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
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == WARNING)

    @property
    def contradicting(self) -> int:
        return sum(1 for c in self.claims if c.contradicted)

    @property
    def status(self) -> str:
        if self.errors:
            return NOT_READY
        if not self.claims and not self.sources:
            return NO_CHANGES
        if self.warnings or self.contradicting:
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


def review_range(
    repo: ClaimsRepo, git: GitHistory, base: str, head: str, merge_base: bool = False
) -> Review:
    base_commit, head_commit = git.resolve(base), git.resolve(head)
    if merge_base:
        base_commit = git.merge_base(base_commit, head_commit)
    separator = "..." if merge_base else ".."
    review = Review(base_commit, head_commit, f"{base}{separator}{head}")
    claim_changes = [
        (status, path)
        for status, path in git.changed_files(base_commit, head_commit, CLAIMS_DIR)
        if path.endswith(".yaml") and path.count("/") == 1
    ]
    seed_changes = git.changed_files(base_commit, head_commit, SEEDS_DIR)
    changed_sources = {}
    for status, path in seed_changes:
        if path.endswith((".yaml", ".txt")):
            changed_sources.setdefault(Path(path).stem, (status, path))

    with tempfile.TemporaryDirectory(prefix="claims-review-") as folder:
        heads = {}
        for status, path in claim_changes:
            heads[path] = _parse_at(git, head_commit, path) if status != "D" else (None, None)
        # Versions first without their sources: which sources are needed is known only after.
        no_sources = SourceCache(ClaimsRepo(Path(folder) / "none"))
        histories = {
            path: claim_versions(repo, git, claim_id_of(path), no_sources, head_commit)
            for status, path in claim_changes
            if status != "D" and is_claim_id(claim_id_of(path))
        }
        texts = set(changed_sources)  # sources whose text the checks read
        for claim, _error in heads.values():
            if claim is not None:
                texts.add(claim.source)
        metadata = set(texts)  # and those whose published date the history needs
        for versions in histories.values():
            metadata.update(v.claim.source for v in versions if v.claim)
        snapshot = ClaimsRepo(Path(folder) / "head")
        _materialise(git, head_commit, snapshot, claim_changes, metadata, texts)
        sources = SourceCache(snapshot)

        report_files = [snapshot.root / path for status, path in claim_changes if status != "D"]
        report_files += [
            snapshot.root / Path(path).with_suffix(".yaml")
            for status, path in changed_sources.values()
            if (snapshot.root / Path(path).with_suffix(".yaml")).is_file()
        ]
        report = check_files(snapshot, report_files) if report_files else None
        by_path: dict[str, list[Problem]] = {}
        for problem in report.problems if report else []:
            by_path.setdefault(problem.path, []).append(problem)

        for status, path in claim_changes:
            claim_id = claim_id_of(path)
            old, old_error = _parse_at(git, base_commit, path) if status != "A" else (None, None)
            new, new_error = heads[path]
            diff = compare_claims(claim_id, old, new, old_error or new_error)
            earlier = _contradicted(new, histories.get(path, []), sources)
            source = sources.get(new.source) if new else None
            review.claims.append(
                ReviewedClaim(
                    claim_id, path, diff, source, tuple(earlier), tuple(by_path.get(path, []))
                )
            )
        for source_id, (status, path) in sorted(changed_sources.items()):
            meta = str(Path(path).with_suffix(".yaml"))
            review.sources.append(
                ReviewedSource(
                    source_id,
                    meta,
                    STATUS_WORDS.get(status, "modified"),
                    sources.get(source_id),
                    tuple(by_path.get(meta, [])),
                )
            )
    return review


def _parse_at(git: GitHistory, commit: str, path: str):
    data = git.file_at(commit, path)
    if data is None:
        return None, None
    return parse_claim_blob(data, f"{path}@{commit[:12]}")


def _contradicted(new, versions: list[Version], sources: SourceCache) -> list[Version]:
    """Versions in HEAD's history whose value the new value contradicts, one per source and value.

    HEAD's own version is among them but never contradicts itself.
    """
    if new is None:
        return []
    found, seen = [], set()
    for version in versions:
        claim = version.claim
        if claim is None or claim.type != new.type:
            continue
        key = (claim.source, repr(claim.value))
        if key in seen or not contradicts(new.type, claim.value, new.value):
            continue
        seen.add(key)
        found.append(replace(version, source=sources.get(claim.source)))
    return found


def _materialise(git, commit, snapshot, claim_changes, metadata: set[str], texts: set[str]):
    """Write the changed claim files and the sources they need, as of `commit`, into `snapshot`."""
    (snapshot.root / CLAIMS_DIR).mkdir(parents=True)
    (snapshot.root / SEEDS_DIR).mkdir()
    for path, blob in git.tree_files(commit, SEEDS_DIR):
        name = Path(path)
        wanted = metadata if name.suffix == ".yaml" else texts if name.suffix == ".txt" else ()
        if name.stem in wanted:
            target = snapshot.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, git.read_blob(blob))
    for status, path in claim_changes:
        data = git.file_at(commit, path) if status != "D" else None
        if data is not None:
            atomic_write(snapshot.root / path, data)
