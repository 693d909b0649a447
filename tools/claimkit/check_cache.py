"""What `claims check` found in each file, kept while nothing the finding depends on changed.

`<git dir>/claims-cache/check.json` (a cache file as cache.py writes them: signed, versioned,
disposable) holds, for each file checked, the git blob id of its bytes, its stat data, its
problems, and what else its rules read: the place in seeds/ of each source it named, the blob
id of each other file read (a source's metadata and article text), and whether the list of
claims mattered (`superseded_by`). The whole file is keyed by the repository's root, a digest
of claimkit's own code and schemas, and the bytes of claims/_vocabulary.yaml: a change to any
of them checks every file again.

A file's bytes are named by its stat data where that is unchanged and older than the cache
(git's racy-clean rule, cache.trusted_stat), else read and hashed. A result is reused only
when the file's bytes are the same and every file it depends on hashes the same; a file
reached through a symbolic link, or that is not a regular file, is always checked afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Store, code_digest, stat_list, trusted_stat
from .findings import Problem, content_digest, lstat_list
from .repo import ClaimsRepo
from .types.vocabulary import VOCABULARY_FILE

CHECK_FILE = "check.json"
MISSING = "missing"  # what a dependency that does not exist hashes to


@dataclass
class Reads:
    """What the rules read while checking one file, besides the file itself."""

    sources: set[str] = field(default_factory=set)  # source ids looked up
    files: set[Path] = field(default_factory=set)  # article texts read
    claims: bool = False  # the list of claims in claims/


def file_digest(path: Path) -> tuple[list[int] | None, str | None]:
    """(stat data taken before reading, blob id) of a regular file (not a link); the digest is
    MISSING where nothing is there, None where it cannot be told (a link, a folder, an
    unreadable file)."""
    before = lstat_list(path)
    if before is None:
        return None, (MISSING if not os.path.lexists(path) else None)
    data = CheckCache.read(path)
    return before, (None if data is None else content_digest(data))


class CheckCache:
    """The cached results of one repository, looked up and recorded file by file.

    The body holds `files`, each checked file's [stat data, blob id, problems, index of its
    reads]; `reads`, what files read besides themselves, each set once however many files
    read it (a source cited by several claims); and `stats`, the stat data and blob id of
    every file read, so that an unchanged one is not read again to be hashed.
    """

    def __init__(self, repo: ClaimsRepo, store: Store):
        self.repo = repo
        self.store = store
        _, vocabulary = file_digest(repo.claims_dir / VOCABULARY_FILE)
        self.key = {"root": str(repo.root), "code": code_digest(), "vocabulary": vocabulary}
        self.usable = vocabulary is not None
        self.entries: dict[str, list] = {}
        self.reads: list[dict] = []
        self.stats: dict[str, list] = {}  # dependency -> [stat data, blob id] when last read
        self.written = 0
        self.changed = False
        self._holding: dict[int, bool] = {}  # reads index -> whether they still hold
        self._interned: dict[str, int] | None = None
        self._digests: dict[str, str | None] = {}  # dependency -> its blob id now
        self._claims: str | None = None
        found = store.read(CHECK_FILE, self.key) if self.usable else None
        if found is not None:
            try:
                self.written = int(found[0]["written_ns"])
                body = json.loads(found[1])
                self.entries, self.reads, self.stats = body["files"], body["reads"], body["stats"]
            except (ValueError, KeyError, TypeError):
                self.entries, self.reads, self.stats = {}, [], {}

    # Looking up ---------------------------------------------------------------------------

    def fingerprint(self, file: Path, display: str) -> tuple[list[int], bytes | None] | None:
        """(stat data, the bytes if they had to be read) of a regular file that is no link;
        None for anything else (always checked afresh)."""
        try:
            status = os.lstat(file)
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        recorded = self.entries.get(display)
        now = stat_list(status)
        if recorded is not None and trusted_stat(recorded[0], now, self.written):
            return now, None
        data = self.read(file)
        return None if data is None else (now, data)

    @staticmethod
    def read(file: Path) -> bytes | None:
        """The bytes of a regular file reached through no link; None where it cannot be read."""
        try:
            fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with open(fd, "rb", closefd=True) as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return None
                return handle.read()
        except OSError:
            return None

    def lookup(self, display: str, digest: str) -> list | None:
        """The cached entry for a file whose bytes have `digest`, if everything it read is
        unchanged."""
        entry = self.entries.get(display)
        if entry is None or entry[1] != digest:
            return None
        index = entry[3]
        if index not in self._holding:
            try:
                self._holding[index] = self._holds(self.reads[index])
            except (IndexError, TypeError, AttributeError, ValueError):
                self._holding[index] = False
        return entry if self._holding[index] else None

    def _holds(self, reads: dict) -> bool:
        repo = self.repo
        for source_id, name in reads.get("sources", {}).items():
            if repo.source_name(source_id) != name or (
                name is not None and source_id not in repo._plain_sources
            ):
                return False
        for name, digest in reads.get("files", {}).items():
            if self._digest(name) != digest:
                return False
        return "claims" not in reads or reads["claims"] == self.claims_digest()

    def _digest(self, name: str) -> str | None:
        """A dependency's blob id now: by its stat data where that is unchanged and older
        than the cache, else read."""
        if name not in self._digests:
            path = self.repo.root / name
            recorded = self.stats.get(name)
            if recorded is not None and trusted_stat(recorded[0], lstat_list(path), self.written):
                self._digests[name] = recorded[1]
            else:
                before, digest = file_digest(path)
                self._keep(name, before, digest)
        return self._digests[name]

    def _keep(self, name: str, before: list[int] | None, digest: str | None) -> None:
        self._digests[name] = digest
        if before is not None and digest not in (None, MISSING):
            if self.stats.get(name) != [before, digest]:
                self.stats[name] = [before, digest]
                self.changed = True
        elif self.stats.pop(name, None) is not None:
            self.changed = True

    def claims_digest(self) -> str:
        if self._claims is None:
            names = "\n".join(self.repo.claim_ids())
            self._claims = hashlib.sha1(names.encode()).hexdigest()
        return self._claims

    @staticmethod
    def problems(entry: list, display: str) -> list[Problem]:
        return [Problem(display, *fields) for fields in entry[2]]

    # Recording ----------------------------------------------------------------------------

    def record(
        self, display: str, fingerprint: list[int], digest: str, problems: list[Problem],
        reads: Reads, context,
    ) -> None:  # fmt: skip
        """Keep one file's result, unless something it read cannot be named by its bytes."""
        repo = self.repo
        if any(problem.path != display for problem in problems):
            return  # kept without their paths: only a file's own problems are
        kept: dict = {}
        sources = {}
        files: list[Path] = sorted(reads.files)
        for source_id in sorted(reads.sources):
            name = repo.source_name(source_id)
            if name is not None:
                if source_id not in repo._plain_sources:
                    return  # reached through a link: checked afresh every time
                files.append(repo.source_paths()[source_id])
            sources[source_id] = name
        if sources:
            kept["sources"] = sources
        for path in files:
            name = repo.relative(path)
            before, found = context.digests.get(path, (None, None))
            if found is None and not os.path.lexists(path):
                found = MISSING
            if found is None:
                return  # unreadable, or a link: checked afresh every time
            if name not in self._digests:
                self._keep(name, before, found)
            kept.setdefault("files", {})[name] = found
        if reads.claims:
            kept["claims"] = self.claims_digest()
        rows = [[p.line, p.column, p.severity, p.message, p.rule] for p in problems]
        self.entries[display] = [fingerprint, digest, rows, self._intern(kept)]
        self.changed = True

    def _intern(self, reads: dict) -> int:
        if self._interned is None:
            self._interned = {json.dumps(r, sort_keys=True): n for n, r in enumerate(self.reads)}
        text = json.dumps(reads, sort_keys=True)
        index = self._interned.get(text)
        if index is None:
            index = self._interned[text] = len(self.reads)
            self.reads.append(reads)
            self._holding[index] = True
        return index

    def forget(self, display: str) -> None:
        if self.entries.pop(display, None) is not None:
            self.changed = True

    def save(self) -> None:
        if not self.changed or not self.usable:
            return
        used = {entry[3] for entry in self.entries.values()}
        if len(used) < len(self.reads):  # drop reads no file refers to any more
            renumber = {old: new for new, old in enumerate(sorted(used))}
            self.reads = [self.reads[old] for old in sorted(used)]
            for entry in self.entries.values():
                entry[3] = renumber[entry[3]]
        names = {name for reads in self.reads for name in reads.get("files", {})}
        self.stats = {name: kept for name, kept in self.stats.items() if name in names}
        body = {"files": self.entries, "reads": self.reads, "stats": self.stats}
        self.store.write(CHECK_FILE, self.key, json.dumps(body, ensure_ascii=False).encode(),
                         written_ns=time.time_ns())  # fmt: skip
        self.changed = False


def check_cache(repo: ClaimsRepo) -> CheckCache | None:
    """The repository's check cache, or None where there is none to use (no git directory read
    from its files, the cache turned off, a vocabulary that cannot be read)."""
    from .cache import enabled
    from .gitfiles import read_head

    if not enabled():
        return None
    state = read_head(repo.root)
    if state is None:
        return None
    found = CheckCache(repo, Store(state.git_dir))
    return found if found.usable else None
