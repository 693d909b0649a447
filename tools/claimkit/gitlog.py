"""The commit walk: one file's versions (renames followed), the whole-history stream (see
gitstream.py), commit details, and the commit-graph that lets git answer path-limited logs
from its changed-path Bloom filters."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from .commitgraph import CommitGraph, read_commit_graph
from .errors import RepoError
from .gitcommand import REV_PARSE, SAFE_OPTIONS, command_error, environment

if TYPE_CHECKING:
    from pathlib import Path

    from .gitio import GitSession

RECORD = "\x1e"
FIELD = "\x1f"
LOG_FORMAT = f"--format={RECORD}%H{FIELD}%cI{FIELD}%s"
# A reading is every state of a file that a commit on the first-parent line introduces, merge
# commits included (against their first parent); side branches' own commits are not walked.
FIRST_PARENT = ("--first-parent", "--diff-merges=first-parent")
LOG_FORMAT_NO_SUBJECT = f"--format={RECORD}%H{FIELD}%cI{FIELD}"


class FileRevision(NamedTuple):
    """One version of one file: the commit that wrote it and the blob it wrote.

    A named tuple: a whole history makes tens of thousands, and a tuple is made in a fraction
    of a frozen dataclass's time."""

    commit: str
    recorded: str  # committer date, ISO 8601
    subject: str
    path: str  # the file's path at that commit
    blob: str | None  # None where the commit deleted the file
    status: str = "M"  # A, M or D (R where a rename was followed)


MAX_RENAMES = 64  # renames followed back from one file, at most
# `git log` in the format _parse_log reads: each commit's changed files, first parents only.
LOG = ("log", LOG_FORMAT, "--raw", "--no-abbrev", *FIRST_PARENT, "--no-ext-diff", "--no-textconv")


def file_log_args(path: str, rev: str = "HEAD") -> tuple[str, ...]:
    """What follows LOG for the log of one file (`path` from the top of the work tree)."""
    return ("--full-history", "--no-renames", rev, "--", path)


class EarlyFileLog:
    """`git log` of one file, started as soon as the file is known, so that git walks the
    history while Python is still loading what it needs to read the answer."""

    def __init__(self, root: Path, path: str):
        self.path = path  # relative to `root`, the claims repository
        try:
            # What GitSession asks first, asked now too, side by side with the log.
            self.rev_parse: subprocess.Popen | None = subprocess.Popen(
                REV_PARSE, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=environment(),
            )  # fmt: skip
        except OSError:
            self.rev_parse = None
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                ["git", *SAFE_OPTIONS, *LOG, *file_log_args(path)],
                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment(),
            )  # fmt: skip
        except OSError:
            self.process = None
        try:
            # The listing of seeds/, in which the sources the versions cite are looked up.
            self.listing: subprocess.Popen | None = subprocess.Popen(
                ["git", *SAFE_OPTIONS, "ls-files", "-z", "--full-name", "--", "seeds/"],
                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment(),
            )  # fmt: skip
        except OSError:
            self.listing = None

    def seeds_listing(self) -> bytes | None:
        """`git ls-files -z` of seeds/ (paths from the top of the work tree), or None."""
        process, self.listing = self.listing, None
        if process is None:
            return None
        out, _ = process.communicate()
        return out if process.returncode == 0 else None

    def repository(self) -> subprocess.CompletedProcess | None:
        """The early `git rev-parse`, for GitSession; None if it could not be started."""
        process, self.rev_parse = self.rev_parse, None
        if process is None:
            return None
        out, err = process.communicate()
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    def output(self, path: str, rev: str) -> str | None:
        """The log, if it is the one asked for and git gave it; None to run it the usual way."""
        process, self.process = self.process, None
        if process is None or path != self.path or rev != "HEAD":
            self._end(process)
            return None
        out, _ = process.communicate()
        return out.decode("utf-8", "replace") if process.returncode == 0 else None

    @staticmethod
    def _end(process: subprocess.Popen | None) -> None:
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.communicate()

    def close(self) -> None:
        for name in ("process", "rev_parse", "listing"):
            process = getattr(self, name)
            setattr(self, name, None)
            self._end(process)

    def __enter__(self) -> EarlyFileLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class EarlyFileLogs:
    """EarlyFileLog's `git log` for several files at once, each its own process (each answered
    from the Bloom filters, where one log of several paths would diff every commit's tree),
    at most `at_once` running together."""

    def __init__(self, root: Path, paths: list[str], at_once: int = 8):
        self.root = root
        self.waiting = list(paths)
        self.running: dict[str, subprocess.Popen | None] = {}
        self.at_once = at_once
        self._start()

    def _start(self) -> None:
        while self.waiting and len(self.running) < self.at_once:
            path = self.waiting.pop(0)
            try:
                self.running[path] = subprocess.Popen(
                    ["git", *SAFE_OPTIONS, *LOG, *file_log_args(path)],
                    cwd=self.root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    env=environment(),
                )  # fmt: skip
            except OSError:
                self.running[path] = None

    def output(self, path: str, rev: str) -> str | None:
        """The log of `path`, if it was asked for and git gave it; None to run it the usual
        way. Asking for one starts the next waiting."""
        process = self.running.pop(path, None)
        self._start()
        if process is None:
            return None
        if rev != "HEAD":
            EarlyFileLog._end(process)
            return None
        out, _ = process.communicate()
        return out.decode("utf-8", "replace") if process.returncode == 0 else None

    def seeds_listing(self) -> bytes | None:
        return None

    def close(self) -> None:
        self.waiting = []
        for process in self.running.values():
            EarlyFileLog._end(process)
        self.running = {}

    def __enter__(self) -> EarlyFileLogs:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class CommitWalk:
    """GitSession's history questions: `git log` of one file or of a folder, and the upkeep
    of the commit-graph those logs use. Mixed into GitSession (gitio.py), whose `run`,
    `head` and paths they use."""

    def _parse_log(self, output: str) -> Iterator[FileRevision]:
        for record in output.split(RECORD)[1:]:
            header, _, body = record.partition("\n")
            commit, recorded, subject = header.split(FIELD, 2)
            for line in body.splitlines():
                if not line.startswith(":"):
                    continue
                meta, *paths = line.split("\t")
                fields = meta.split()
                new_blob, status = fields[3], fields[4]
                path = self.claims_path(paths[-1])
                blob = None if status.startswith("D") else new_blob
                yield FileRevision(commit, recorded, subject, path, blob, status[0])

    def _log(self, *args: str) -> str:
        """`git log` with our format; empty where the repository has no commits yet."""
        self.maintain_commit_graph()
        try:
            return self.run(*LOG, *args)
        except RepoError:
            if not self.has_commits():
                return ""
            raise

    def file_log(
        self, path: str, rev: str = "HEAD", early: EarlyFileLog | None = None, depth: int = 0
    ) -> list[FileRevision]:
        """Every version of one file, newest first, following renames.

        One path-limited `git log`, which git answers from its changed-path Bloom filters when
        the commit-graph has them. `--follow` would answer the same but cannot use the filters
        and costs a tree diff per commit, so renames are followed by hand: where the file was
        added (first, or again after a deletion) by a commit that git's rename detection pairs
        with a deletion, a second log reads the old name over the commits in between, so that
        a claim renamed, changed and renamed back keeps the versions it had under the other name.
        """
        output = early.output(path, rev) if early is not None else None
        if output is None:
            output = self._log(*file_log_args(self.repo_path(path), rev))
        else:
            self.maintain_commit_graph()  # for the next time
        found = list(self._parse_log(output))
        revisions: list[FileRevision] = []
        for number, revision in enumerate(found):
            revisions.append(revision)
            if revision.status != "A" or depth >= MAX_RENAMES:
                continue
            origin = self.renamed_from(revision.commit, path)
            if origin is None:
                continue
            revisions[-1] = revision._replace(status="R")
            older = found[number + 1].commit if number + 1 < len(found) else None
            span = f"{older}..{revision.commit}^" if older else f"{revision.commit}^"
            revisions.extend(self.file_log(origin, span, depth=depth + 1))
        return revisions

    def renamed_from(self, commit: str, path: str) -> str | None:
        """The path `path` was renamed from in `commit`, by git's rename detection; or None."""
        return self._renamed_from_end(self._renamed_from_start(commit), path)

    def _renamed_from_start(self, commit: str) -> subprocess.Popen:
        return subprocess.Popen(
            ["git", *SAFE_OPTIONS, "diff-tree", "-r", "-M", "--raw", "--no-abbrev",
             "--no-commit-id", "--no-ext-diff", "--no-textconv", "--diff-filter=R", commit],
            cwd=self.top, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, env=self._env,
        )  # fmt: skip

    def _renamed_from_end(self, process: subprocess.Popen, path: str) -> str | None:
        out, err = process.communicate()
        if process.returncode != 0:
            raise command_error("diff-tree", process.returncode, err.decode("utf-8", "replace"))
        target = self.repo_path(path)
        for line in out.decode("utf-8", "replace").splitlines():
            _, _, names = line.partition("\t")
            old, _, new = names.partition("\t")
            if new == target:
                return self.claims_path(old)
        return None

    def stream_tree_log(
        self, folder: str, rev: str = "HEAD", keep=lambda path: True, since: str | None = None
    ) -> Iterator[tuple[FileRevision, bytes | None]]:
        """Every version of every file under `folder` (one `git log --raw`, newest first) and
        the blobs it names, as git produces them: (revision, bytes or None). See gitstream."""
        from .gitstream import stream_tree_log

        self.maintain_commit_graph()
        if self.head is None:
            return iter(())
        if self.promisor is not None:
            # A partial clone: one fetch for every blob, before cat-file asks for them singly.
            revs = [rev] if since is None else [f"{since}..{rev}"]
            found = self._parse_log(self._log("--no-renames", *revs, "--", self.repo_path(folder)))
            self.prefetch([r.blob for r in found if r.blob and keep(r.path)])
        return stream_tree_log(self, folder, rev, keep, since)

    def extends_linearly(self, old: str, new: str) -> bool:
        """Whether `new` descends from `old` through commits without merges, so that the log
        of `new` is the log of old..new followed by the log of `old`."""
        try:
            self.run("merge-base", "--is-ancestor", old, new)
        except RepoError:
            return False
        return self.run("rev-list", "--count", "--merges", f"{old}..{new}").strip() == "0"

    def shallow_boundary(self) -> str:
        """A digest of the shallow clone's boundary ('' for a full clone): deepening a shallow
        clone adds history without moving HEAD."""
        try:
            import hashlib

            return hashlib.sha1((self.common_dir / "shallow").read_bytes()).hexdigest()
        except OSError:
            return ""

    # The commit-graph and its changed-path Bloom filters ------------------------------------

    @property
    def info_dir(self) -> Path:
        return self.common_dir / "objects" / "info"

    def commit_graph(self) -> CommitGraph | None:
        return read_commit_graph(self.info_dir)

    def count_commits(self) -> int:
        if self.head is None:
            return 0
        return int(self.run("rev-list", "--count", self.head).strip() or 0)

    def can_write(self) -> bool:
        """Whether git's object store may be written: False on a read-only repository."""
        folder = self.info_dir if self.info_dir.is_dir() else self.info_dir.parent
        return os.access(folder, os.W_OK | os.X_OK)

    def write_commit_graph(self, *, rebuild: bool) -> None:
        """Write the commit-graph with changed-path Bloom filters.

        `rebuild` writes it whole (needed when filters are missing from some layer); otherwise
        only commits not yet in it are added, as a new layer that git merges as it sees fit.
        """
        self.run(
            "commit-graph", "write", "--reachable", "--changed-paths", "--no-progress",
            "--split=replace" if rebuild else "--split",
        )  # fmt: skip

    def maintain_commit_graph(self) -> None:
        """Before the first history walk: write or refresh the commit-graph when it pays.

        Missing, or without Bloom filters, on a history of AUTO_GRAPH_MIN_COMMITS commits or
        more: written whole. Present but AUTO_GRAPH_MIN_NEW or more commits behind HEAD: brought
        up to date. A read-only repository, CLAIMS_AUTO_MAINTENANCE=0, or any failure leaves it
        as it is: this never fails or changes the answer of the command that triggers it.
        """
        if self._graph_checked or self.head is None:
            return
        self._graph_checked = True
        if os.environ.get("CLAIMS_AUTO_MAINTENANCE", "1").strip() in ("0", "false", "no"):
            return
        try:
            graph = self.commit_graph()
            if graph is not None and graph.bloom and graph.contains(self.head):
                return
            if not self.can_write():
                return
            if graph is None or not graph.bloom:
                if self.count_commits() >= AUTO_GRAPH_MIN_COMMITS:
                    self.write_commit_graph(rebuild=True)
            elif self.count_commits() - graph.commits >= AUTO_GRAPH_MIN_NEW:
                self.write_commit_graph(rebuild=False)
        except (RepoError, OSError, ValueError):
            pass


# Below these sizes a path-limited log is fast without Bloom filters: no automatic write.
AUTO_GRAPH_MIN_COMMITS = 1000
AUTO_GRAPH_MIN_NEW = 250


def commit_details(git: GitSession, shas: list[str]) -> dict[str, tuple[str, str, str]]:
    """For each commit: its committer date (ISO 8601), author name and subject, in one git call."""
    if not shas:
        return {}
    out = git.run_bytes(
        "log", "--no-walk=unsorted", "--stdin", "--format=%H%x1f%cI%x1f%an%x1f%s%x1e",
        input="".join(f"{sha}\n" for sha in shas).encode(),
    ).decode("utf-8", "replace")  # fmt: skip
    details = {}
    for record in out.split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 4:
            details[fields[0]] = (fields[1], fields[2], fields[3])
    return details
