"""`claims check`: run every rule over claim and source files and collect every problem."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, UsageError
from .files import read_bytes
from .repo import CLAIMS_DIR, SEEDS_DIR, ClaimsRepo
from .yamlio import Document, load_mapping

ERROR = "error"
WARNING = "warning"
MAX_TEXT_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    severity: str
    message: str
    rule: str

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
        }


class ProblemCounts:
    """Errors and warnings counted from a `problems` list (a field or a property)."""

    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == WARNING)


@dataclass
class Report(ProblemCounts):
    problems: list[Problem]
    files: int

    def to_json(self) -> dict:
        return {
            "problems": [p.to_json() for p in self.problems],
            "summary": {"files": self.files, "errors": self.errors, "warnings": self.warnings},
        }


@dataclass
class Item:
    """One file under check: its path as shown, the file, and its parsed document."""

    display: str
    file: Path
    doc: Document

    def problem(self, keys, message: str, rule: str, severity: str = ERROR, key=False) -> Problem:
        line, column = self.doc.key_position(keys) if key else self.doc.position(keys)
        return Problem(self.display, line, column, severity, message, rule)


@dataclass
class Context:
    """What rules share: the repository and what has been read from it, read once."""

    repo: ClaimsRepo
    _source_docs: dict[str, Document | DataError | None] = field(default_factory=dict)
    _texts: dict[Path, bytes | DataError] = field(default_factory=dict)
    _normalised: dict[Path, str] = field(default_factory=dict)

    def source_doc(self, source_id: str) -> Document | DataError | None:
        """The source's metadata document; the error that kept it from loading; None if absent."""
        if source_id not in self._source_docs:
            path = self.repo.source_paths().get(source_id)
            if path is None:
                self._source_docs[source_id] = None
            elif not self.repo.inside(path):
                self._source_docs[source_id] = DataError(
                    self.repo.relative(path),
                    1,
                    1,
                    "resolves outside the repository",
                    "path-outside",
                )
            else:
                try:
                    self._source_docs[source_id] = load_mapping(path, self.repo.relative(path))
                except DataError as err:
                    self._source_docs[source_id] = err
        return self._source_docs[source_id]

    def text_bytes(self, path: Path) -> bytes | DataError:
        if path not in self._texts:
            try:
                if not self.repo.inside(path):
                    raise DataError(
                        self.repo.relative(path),
                        1,
                        1,
                        "resolves outside the repository",
                        "source-text",
                    )
                self._texts[path] = read_bytes(path, self.repo.relative(path), MAX_TEXT_BYTES)
            except DataError as err:
                self._texts[path] = err
        return self._texts[path]

    def normalised_text(self, path: Path) -> str | None:
        if path not in self._normalised:
            data = self.text_bytes(path)
            if isinstance(data, DataError):
                return None
            from .quotes import normalise

            self._normalised[path] = normalise(data.decode("utf-8", errors="replace"))
        return self._normalised[path]

    def sha256(self, path: Path) -> str | None:
        data = self.text_bytes(path)
        return None if isinstance(data, DataError) else hashlib.sha256(data).hexdigest()


def collect_files(repo: ClaimsRepo, paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Claim files and source metadata files to check: all of them, or those under `paths`."""
    paths = list(paths)
    if not paths:
        paths = [repo.claims_dir, repo.seeds_dir]
    claims: list[Path] = []
    sources: list[Path] = []
    for given in paths:
        path = given if given.is_absolute() else Path.cwd() / given
        if not path.exists():
            raise UsageError(f"{given}: no such file or directory")
        if not repo.inside(path):
            raise UsageError(f"{given}: outside the claims repository at {repo.root}")
        files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            # A FIFO or a device is checked, so that it is reported; a hidden claim file too.
            if file.is_dir() or (file.name.startswith(".") and file.parent != repo.claims_dir):
                continue
            top = Path(repo.relative(file)).parts[0]
            if top == CLAIMS_DIR:
                claims.append(file)
            elif top == SEEDS_DIR:
                sources.append(file)
            elif path.is_file():
                raise UsageError(f"{given}: neither a claim (claims/) nor a source (seeds/) file")
    return sorted(set(claims)), sorted(set(sources))


def check_files(repo: ClaimsRepo, paths: Iterable[Path] = ()) -> Report:
    from .rules import CLAIM_RULES, SOURCE_RULES

    claim_files, source_files = collect_files(repo, paths)
    context = Context(repo)
    problems: list[Problem] = []
    misnamed = [f for f in repo.misnamed_claim_files() if f in claim_files or not paths]
    for file in misnamed:
        message = (
            f"file name {file.name!r} is not a claim id: claim files are named <id>.yaml, the id "
            "in lowercase letters, digits and '-'; files starting with '_' are declarations"
        )
        problems.append(Problem(repo.relative(file), 1, 1, ERROR, message, "file-name"))
    claim_files = [f for f in claim_files if f not in misnamed]
    for files, rules in ((claim_files, CLAIM_RULES), (source_files, SOURCE_RULES)):
        for file in files:
            problems.extend(check_file(context, file, rules))
    return Report(sorted(problems), len(claim_files) + len(source_files) + len(misnamed))


def check_file(context: Context, file: Path, rules) -> Iterator[Problem]:
    display = context.repo.relative(file)
    if not context.repo.inside(file):
        yield Problem(
            display, 1, 1, ERROR, "resolves outside the repository; not read", "path-outside"
        )
        return
    try:
        doc = load_mapping(file, display)
    except DataError as err:
        yield Problem(err.path, err.line, err.column, ERROR, err.message, err.rule)
        return
    item = Item(display, file, doc)
    for rule in rules:
        yield from rule(context, item)


def check_document(repo: ClaimsRepo, file: Path, doc: Document) -> list[Problem]:
    """Every claim rule on a document not yet written (used before a tool edit is saved)."""
    from .rules import CLAIM_RULES

    item = Item(repo.relative(file), file, doc)
    return sorted(p for rule in CLAIM_RULES for p in rule(Context(repo), item))
