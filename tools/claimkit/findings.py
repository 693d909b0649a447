"""What `claims check` is made of: problems, the file under check, what rules share, and the
rules themselves as declarations (id, severity, the files they apply to), yamllint's way.

Rule modules (rules/*) and the runner (check.py) both import this module; neither imports the
other's internals, so there is no cycle between them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import stat_list
from .errors import DataError
from .files import decode_utf8, read_bytes
from .repo import ClaimsRepo
from .yamlio import Document, parse_mapping

CLAIMS = "claims"  # claim files, claims/<id>.yaml
SOURCES = "sources"  # source metadata, seeds/**/<id>.yaml
DECLARATIONS = "declarations"  # claims/_vocabulary.yaml: categories and people
ERROR = "error"
WARNING = "warning"
MAX_TEXT_BYTES = 64 * 1024 * 1024  # a 20 MB article, or a saved page several times its text


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    severity: str
    message: str
    rule: str


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


@dataclass
class Item:
    """One file under check: its path as shown, the file, and its parsed document."""

    display: str
    file: Path
    doc: Document

    def problem(
        self, keys, message: str, rule: str = "", severity: str = ERROR, key=False
    ) -> Problem:
        """A problem at `keys`; the rule that reports it stamps its own id and severity."""
        line, column = self.doc.key_position(keys) if key else self.doc.position(keys)
        return Problem(self.display, line, column, severity, message, rule)


@dataclass
class Context:
    """What rules share: the repository and what has been read from it, read once."""

    repo: ClaimsRepo
    _source_docs: dict[str, Document | DataError | None] = field(default_factory=dict)
    _texts: dict[Path, bytes | DataError] = field(default_factory=dict)
    _normalised: dict[Path, str] = field(default_factory=dict)
    _claim_ids: frozenset[str] | None = None
    # What the file under check made the rules read besides itself, for the check cache
    # (check_cache.Reads); None when nobody is keeping count.
    reads: object = None
    # Each file read here: its stat data just before it was read and the digest of what was
    # read (None: it could not be read), by path.
    digests: dict[Path, tuple[list[int] | None, str | None]] = field(default_factory=dict)

    def claim_ids(self) -> frozenset[str]:
        """The ids of the claims in claims/."""
        if self.reads is not None:
            self.reads.claims = True
        if self._claim_ids is None:
            self._claim_ids = frozenset(self.repo.claim_ids())
        return self._claim_ids

    def source_doc(self, source_id: str) -> Document | DataError | None:
        """The source's metadata document; the error that kept it from loading; None if absent."""
        if self.reads is not None:
            self.reads.sources.add(source_id)
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
                display = self.repo.relative(path)
                before = lstat_list(path)
                try:
                    data = read_bytes(path, display)
                    self.digests[path] = (before, content_digest(data))
                    self._source_docs[source_id] = parse_mapping(
                        decode_utf8(data, display), display
                    )
                except DataError as err:
                    self.digests.setdefault(path, (before, None))
                    self._source_docs[source_id] = err
        return self._source_docs[source_id]

    def text_bytes(self, path: Path) -> bytes | DataError:
        if self.reads is not None:
            self.reads.files.add(path)
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
                before = lstat_list(path)
                self._texts[path] = read_bytes(path, self.repo.relative(path), MAX_TEXT_BYTES)
                self.digests[path] = (before, content_digest(self._texts[path]))
            except DataError as err:
                self.digests[path] = (None, None)
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


def lstat_list(path) -> list[int] | None:
    """What says a file (not what a link points at) is unchanged: device, inode, size,
    modification and change times; None where there is nothing to stat."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return stat_list(st)


def content_digest(data: bytes) -> str:
    """What names a file's content in the check cache: git's blob id of the bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class Rule:
    """A check rule: its id, its severity, the files it applies to, and the check.

    Calling it runs the check and stamps every problem with the rule's id and severity, so a
    check says only where and what."""

    id: str
    severity: str
    files: str  # CLAIMS, SOURCES or DECLARATIONS
    check: Callable[[Context, Item], Iterable[Problem]]

    @property
    def description(self) -> str:
        """The check's docstring, as one line: what the rule checks (the docs' rule table)."""
        return " ".join((self.check.__doc__ or "").split("\n\n")[0].split())

    def __call__(self, context: Context, item: Item) -> list[Problem]:
        return [replace(p, rule=self.id, severity=self.severity) for p in self.check(context, item)]


def rule(rule_id: str, severity: str, files: str) -> Callable[[Callable], Rule]:
    """Declare a check as a rule: `@rule("quote-verbatim", ERROR, CLAIMS)`."""
    if severity not in (ERROR, WARNING) or files not in (CLAIMS, SOURCES, DECLARATIONS):
        raise ValueError(f"rule {rule_id}: severity {severity!r}, files {files!r}")

    def declare(check: Callable) -> Rule:
        return Rule(rule_id, severity, files, check)

    return declare
