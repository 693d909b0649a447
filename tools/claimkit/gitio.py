"""All git access: this module (a session on one repository), with gitstream.py (the
streaming whole-history reader) and commitgraph.py (git's commit-graph files, read); no other
module imports `git` or runs it.

Reading never runs anything the repository being read could configure: hooks, fsmonitor,
pagers, external diff and textconv programs are switched off on every call, and paths are
always passed after `--`.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .commitgraph import CommitGraph, read_commit_graph
from .errors import ConflictError, NotFound, RepoError, UsageError

# Options that keep a repository's own configuration from running programs during a read.
SAFE_OPTIONS = (
    "-c", "core.fsmonitor=false",
    "-c", "core.pager=cat",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.quotePath=false",
    "-c", "diff.external=",
    "-c", "log.showSignature=false",
)  # fmt: skip
SAFE_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
}
RECORD = "\x1e"
FIELD = "\x1f"
LOG_FORMAT = f"--format={RECORD}%H{FIELD}%cI{FIELD}%s"
# A reading is every state of a file that a commit on the first-parent line introduces, merge
# commits included (against their first parent); side branches' own commits are not walked.
FIRST_PARENT = ("--first-parent", "--diff-merges=first-parent")
LOG_FORMAT_NO_SUBJECT = f"--format={RECORD}%H{FIELD}%cI{FIELD}"


_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


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


def _environment() -> dict[str, str]:
    return {**os.environ, **SAFE_ENV}


def _last_line(stderr: bytes | str) -> str:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = text.strip().splitlines()
    return lines[-1].strip() if lines else ""


def command_error(command: str, status: int, stderr: str) -> Exception:
    """One line for a failed git command; a held index lock is a conflict, not a git fault."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "index.lock" in line and "File exists" in line:
            lock = line.split("'")[1] if line.count("'") >= 2 else "index.lock"
            return ConflictError(index_lock_message(lock))
    return RepoError(f"git {command} failed: {lines[-1] if lines else status}")


def object_error(cwd: Path | None, blob: str) -> RepoError:
    """Why git cannot hand out an object: `cat-file --batch` says "missing" for a corrupt one
    too, so git is asked again in a way that gives its reason."""
    if cwd is not None:
        try:
            done = subprocess.run(
                ["git", *SAFE_OPTIONS, "cat-file", "-t", blob],
                cwd=cwd, capture_output=True, env=_environment(), check=False,
            )  # fmt: skip
        except OSError:
            done = None
        if done is not None and done.returncode != 0:
            reasons = [
                line.removeprefix("error: ").strip()
                for line in done.stderr.decode("utf-8", "replace").splitlines()
                if line.startswith("error: ")
            ]
            if reasons:
                return RepoError(
                    f"git object {blob} is corrupt ({reasons[0]}); `git fsck` lists what else is"
                )
    return RepoError(f"git object {blob} is missing; `git fsck` lists what else is")


def index_lock_message(lock: str) -> str:
    return (
        f"{lock} exists: another git process is using this repository; "
        "try again when it has finished (or remove the file if no git process is running)"
    )


def safe_path(path: str) -> bool:
    """Whether a path from a tree is one git itself would check out: no empty, `.` or `..`
    component and no `.git` folder (a hand-made tree may hold any name; git refuses them)."""
    parts = path.split("/")
    return all(part not in ("", ".", "..") and part.lower() != ".git" for part in parts)


def refusal(path: Path, stderr: bytes | str) -> RepoError | None:
    """The error for a repository git will not read (dubious ownership, a broken git
    directory); None when there is simply no repository there."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    fatal = [
        line.removeprefix("fatal: ").strip()
        for line in text.splitlines()
        if line.startswith("fatal: ")
    ]
    if not fatal or "not a git repository" in fatal[0]:
        return None
    if "dubious ownership" in fatal[0]:
        return RepoError(
            f"{path}: git refuses to read this repository: {fatal[0]} (another user owns it); "
            f"if you trust it: git config --global --add safe.directory {path}"
        )
    return RepoError(f"{path}: git refuses to read this repository: {fatal[0]}")


def is_git_repository(path: Path) -> bool:
    """Whether `path` is in a git repository; RepoError when it is one git refuses to read, so
    that no command takes a refusal for an empty history."""
    try:
        done = subprocess.run(
            ["git", *SAFE_OPTIONS, "rev-parse", "--git-dir"],
            cwd=path, capture_output=True, env=_environment(), check=False,
        )  # fmt: skip
    except OSError:  # no such directory, or no git
        return False
    if done.returncode != 0:
        refused = refusal(path, done.stderr)
        if refused is not None:
            raise refused
    return done.returncode == 0


def init_repository(path: Path) -> None:
    import git

    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as err:
        raise RepoError(f"{path}: git init failed: {err.stderr.strip()}") from None


MAX_RENAMES = 64  # renames followed back from one file, at most
FILE_LOG_OPTIONS = ("--full-history", "--no-renames")
# What GitSession learns first: bare or not, shallow or not, the common git directory, the top
# of the work tree, and HEAD (absent where there are no commits yet).
REV_PARSE = (
    "git", *SAFE_OPTIONS, "rev-parse", "--is-bare-repository", "--is-shallow-repository",
    "--git-common-dir", "--git-dir", "--show-toplevel", "--verify", "--quiet", "HEAD^{commit}",
)  # fmt: skip


class EarlyFileLog:
    """`git log` of one file, started as soon as the file is known, so that git walks the
    history while Python is still loading what it needs to read the answer."""

    def __init__(self, root: Path, path: str):
        self.path = path  # relative to `root`, the claims repository
        try:
            # What GitSession asks first, asked now too, side by side with the log.
            self.rev_parse: subprocess.Popen | None = subprocess.Popen(
                REV_PARSE, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=_environment(),
            )  # fmt: skip
        except OSError:
            self.rev_parse = None
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                ["git", *SAFE_OPTIONS, "log", LOG_FORMAT, "--raw", "--no-abbrev", *FIRST_PARENT,
                 "--no-ext-diff", "--no-textconv", *FILE_LOG_OPTIONS, "HEAD", "--", path],
                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment(),
            )  # fmt: skip
        except OSError:
            self.process = None
        try:
            # The listing of seeds/, in which the sources the versions cite are looked up.
            self.listing: subprocess.Popen | None = subprocess.Popen(
                ["git", *SAFE_OPTIONS, "ls-files", "-z", "--full-name", "--", "seeds/"],
                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment(),
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


class GitSession:
    """A session with the git repository around a claims repository: its questions, its
    commits, its config, its commit-graph upkeep.

    Reads run `git` directly (one process per question, and one long-lived
    `git cat-file --batch` for blobs); GitPython is not needed to read, and its import would
    cost more than most questions. Writes (init, commits, config) go through GitPython.
    """

    def __init__(self, root: Path, early: EarlyFileLog | None = None):
        self.root = root
        self._env = _environment()
        self._cat_file: subprocess.Popen | None = None
        self._blobs: dict[str, bytes] = {}
        self._graph_checked = False
        done = early.repository() if early is not None else None
        if done is None:
            try:
                done = subprocess.run(
                    REV_PARSE, cwd=root, capture_output=True, env=self._env, check=False
                )
            except FileNotFoundError:
                raise RepoError(f"{root}: no such directory, or git is not installed") from None
            except OSError as err:
                raise RepoError(f"{root}: cannot run git: {err.strerror}") from None
        lines = done.stdout.decode("utf-8", "replace").splitlines()
        if lines[:1] == ["true"]:
            raise RepoError(f"{root}: a bare repository has no working tree to read claims from")
        if done.returncode not in (0, 1) or len(lines) < 5:
            refused = refusal(root, done.stderr)
            if refused is not None:
                raise refused
            message = _last_line(done.stderr)
            if not message or "not a git repository" in message:
                raise RepoError(f"{root}: not a git repository; history needs git") from None
            raise RepoError(f"{root}: {message.removeprefix('fatal: ')}")
        self.shallow = lines[1] == "true"
        self.head = lines[5] if len(lines) > 5 else None  # None: no commits yet
        self.common_dir = (Path(root) / lines[2]).resolve()  # objects, refs: shared by worktrees
        self.git_dir = (Path(root) / lines[3]).resolve()  # this worktree's own
        self.top = Path(lines[4])
        self.prefix = Path(os.path.relpath(Path(root).resolve(), self.top.resolve())).as_posix()
        self.prefix = "" if self.prefix == "." else self.prefix + "/"
        self.promisor = promisor_remote(self.common_dir)
        self._listings: dict[str, bytes] = {}  # git ls-files of a folder, by folder

    def close(self) -> None:
        """Ends the long-lived cat-file process."""
        process, self._cat_file = self._cat_file, None
        if process is not None:
            try:
                process.stdin.close()
                process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
            finally:
                process.stdout.close()

    def __enter__(self) -> GitSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Low level ----------------------------------------------------------------------------

    def run_bytes(
        self,
        *args: str,
        ok_codes: tuple[int, ...] = (),
        input: bytes | None = None,
        env: dict[str, str] | None = None,
    ) -> bytes:
        """git's standard output; a failure (a status not 0 nor in `ok_codes`) is one line."""
        done = subprocess.run(
            ["git", *SAFE_OPTIONS, *args],
            cwd=self.top, input=input, capture_output=True, check=False,
            env=self._env if env is None else {**self._env, **env},
            stdin=subprocess.DEVNULL if input is None else None,
        )  # fmt: skip
        if done.returncode != 0 and done.returncode not in ok_codes:
            # Named by its subcommand, not by the `-c` options before it.
            command = next(
                a for i, a in enumerate(args) if a != "-c" and args[i - 1 : i] != ("-c",)
            )
            raise command_error(command, done.returncode, done.stderr.decode("utf-8", "replace"))
        return done.stdout

    def run(self, *args: str, ok_codes: tuple[int, ...] = ()) -> str:
        """git's standard output as text; a failure (a status not 0 nor in `ok_codes`) is one line."""
        return self.run_bytes(*args, ok_codes=ok_codes).decode("utf-8", "replace")

    def read_blob(self, blob: str) -> bytes:
        """A blob's bytes, through the one long-lived `git cat-file --batch` process (or from
        the last read_blobs, which has them already)."""
        if blob in self._blobs:
            return self._blobs[blob]
        if self._cat_file is None:
            self._cat_file = subprocess.Popen(
                ["git", *SAFE_OPTIONS, "cat-file", "--batch"],
                cwd=self.top, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=self._env,
            )  # fmt: skip
        process = self._cat_file
        try:
            process.stdin.write(blob.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3:
                raise object_error(self.top, blob)
            data = process.stdout.read(int(header[2]) + 1)[:-1]
        except (OSError, ValueError):
            self.close()
            raise RepoError(f"git cat-file failed reading {blob}") from None
        return data

    def read_blobs(self, blobs: Iterable[str]) -> dict[str, bytes]:
        """Many blobs at once, by id: one `git cat-file --batch` over them all."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return {}
        if all(blob in self._blobs for blob in wanted):
            return {blob: self._blobs[blob] for blob in wanted}
        self.prefetch(wanted)
        output = self.run_bytes(
            "cat-file", "--batch", "--buffer", input="\n".join(wanted).encode("ascii") + b"\n"
        )
        found: dict[str, bytes] = {}
        position = 0
        for blob in wanted:
            end = output.index(b"\n", position)
            header = output[position:end].split()
            if len(header) != 3:
                raise object_error(self.top, blob)
            size = int(header[2])
            found[blob] = output[end + 1 : end + 1 + size]
            position = end + 2 + size
        self._blobs = found
        return found

    def prefetch(self, blobs: list[str]) -> None:
        """In a partial clone, fetch the blobs about to be read in one request.

        Left to itself, git fetches each missing blob the moment it is asked for: one
        round trip to the promisor remote per version. This asks for them all at once, the
        way git's own diff does; objects already here are not fetched again. A failure
        (the remote unreachable) is left for the read itself to report.
        """
        if self.promisor is None or not blobs:
            return
        subprocess.run(
            ["git", *SAFE_OPTIONS, "-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet",
             self.promisor, "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no",
             "--filter=blob:none", "--stdin"],
            cwd=self.top, input="\n".join(blobs).encode("ascii") + b"\n",
            capture_output=True, env=self._env, check=False,
        )  # fmt: skip

    def repo_path(self, path: str) -> str:
        """A path relative to the claims root, as git names it from the top of the work tree."""
        return self.prefix + path

    def claims_path(self, git_path: str) -> str:
        return git_path[len(self.prefix) :] if git_path.startswith(self.prefix) else git_path

    # Questions ----------------------------------------------------------------------------

    def has_commits(self) -> bool:
        return bool(
            self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", ok_codes=(1,)).strip()
        )

    def is_shallow(self) -> bool:
        return self.shallow

    def resolve(self, rev: str) -> str:
        """The commit a revision names; refuses option-like and unknown revisions, and what
        names more or less than one commit (`^HEAD`, `A..B`, `HEAD^@`)."""
        if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
            raise UsageError(f"invalid revision {rev!r}")
        if rev.startswith("^") or ".." in rev or rev.endswith(("^@", "^!")) or "^-" in rev:
            raise UsageError(f"invalid revision {rev!r}: name one commit, not a range")
        sha = self.run(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{rev}^{{commit}}",
            ok_codes=(1,),
        ).strip()
        if not sha:
            raise NotFound(f"unknown revision {rev!r}")
        if not _OBJECT_ID.fullmatch(sha):
            raise UsageError(f"invalid revision {rev!r}: name one commit, not a range")
        return sha

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
            return self.run("log", LOG_FORMAT, "--raw", "--no-abbrev", *FIRST_PARENT,
                            "--no-ext-diff", "--no-textconv", *args)  # fmt: skip
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
            output = self._log(*FILE_LOG_OPTIONS, rev, "--", self.repo_path(path))
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

    def file_at(self, rev: str, path: str) -> bytes | None:
        """A file's bytes at a revision; None where it does not exist there."""
        commit = self.resolve(rev)
        listing = self.run("ls-tree", "-z", "--full-tree", commit, "--", self.repo_path(path))
        if not listing:
            return None
        meta, _, _ = listing.partition("\t")
        return self.read_blob(meta.split()[2])

    def changed_files(self, old: str, new: str, folder: str) -> list[tuple[str, str]]:
        """(status, path) of files under `folder` that differ between two commits."""
        output = self.run(
            "diff", "--name-status", "--no-renames", "--no-ext-diff", "--no-textconv",
            old, new, "--", self.repo_path(folder),
        )  # fmt: skip
        changes = []
        for line in output.splitlines():
            status, _, path = line.partition("\t")
            if safe_path(path):  # a name git would refuse to check out is no file of ours
                changes.append((status[0], self.claims_path(path)))
        return sorted(changes, key=lambda change: change[1])

    def changed_since(self, base: str, folders: list[str]) -> tuple[list[str], list[str]]:
        """Files under `folders` that the working tree changed since commit `base`: (present,
        deleted), paths relative to the claims root. Staged, unstaged and untracked (not
        ignored) changes all count; one `git diff` and one `git ls-files`."""
        specs = [self.repo_path(folder) for folder in folders]
        diff = self.run(
            "diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
            base, "--", *specs,
        )  # fmt: skip
        fields = diff.split("\0")
        present, deleted = [], []
        for status, path in zip(fields[0::2], fields[1::2], strict=False):
            if status and path:
                (deleted if status.startswith("D") else present).append(self.claims_path(path))
        untracked = self.run("ls-files", "-z", "--others", "--exclude-standard", "--", *specs)
        present.extend(self.claims_path(path) for path in untracked.split("\0") if path)
        return sorted(set(present)), sorted(set(deleted))

    def files_named(
        self, names: Iterable[str], folder: str, listing: bytes | None = None
    ) -> list[str]:
        """Tracked files under `folder`, at any depth, whose name is one of `names`: one
        `git ls-files` of the folder, filtered here (a pathspec per name would make git match
        every path against every pattern). `listing`: that ls-files's output, run already."""
        wanted = set(names)
        if not wanted:
            return []
        output = listing or self._listings.get(folder)
        if output is None:
            output = self.run_bytes("ls-files", "-z", "--", self.repo_path(folder))
        self._listings[folder] = output  # a session asks once per folder
        found = []
        for entry in output.split(b"\0"):
            name = entry[entry.rfind(b"/") + 1 :].decode("utf-8", "replace")
            if name in wanted:
                found.append(self.claims_path(entry.decode("utf-8", "replace")))
        return found

    def files_mentioning(self, words: list[str], folder: str) -> list[str]:
        """Tracked files under `folder` in the working tree that contain any of `words`
        (fixed strings): one `git grep`."""
        if not words:
            return []
        patterns = [arg for word in words for arg in ("-e", word)]
        output = self.run(
            "grep", "-l", "-z", "--fixed-strings", "--no-color", "--no-textconv", *patterns,
            "--", self.repo_path(folder), ok_codes=(1,),
        )  # fmt: skip
        return [self.claims_path(path) for path in output.split("\0") if path]

    def changed_blobs(
        self, old: str, new: str, folder: str
    ) -> list[tuple[str, str | None, str | None]]:
        """(path, old blob, new blob) of the regular files under `folder` that differ between
        two commits, a blob None where the file is absent on that side: one `git diff-tree`."""
        output = self.run(
            "diff-tree", "-r", "-z", "--raw", "--no-abbrev", "--no-renames", "--no-ext-diff",
            "--no-textconv", old, new, "--", self.repo_path(folder),
        )  # fmt: skip
        fields = output.split("\0")
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(":"):
                continue
            old_mode, new_mode, old_blob, new_blob, _ = meta[1:].split(" ", 4)
            regular = ("100644", "100755")
            changes.append((
                self.claims_path(path),
                old_blob if old_mode in regular else None,
                new_blob if new_mode in regular else None,
            ))  # fmt: skip
        return changes

    def merge_base(self, first: str, second: str) -> str:
        """The best common ancestor of two commits (for `BASE...HEAD`)."""
        base = self.run(
            "merge-base", "--end-of-options", self.resolve(first), self.resolve(second),
            ok_codes=(1,),
        ).strip()  # fmt: skip
        if not base:
            raise NotFound(f"{first} and {second} have no common ancestor")
        return base

    def tree_files(self, rev: str, folder: str) -> list[tuple[str, str]]:
        """(path, blob) of every regular file under `folder` at a revision."""
        commit = self.resolve(rev)
        output = self.run(
            "ls-tree", "-r", "-z", "--full-tree", commit, "--", self.repo_path(folder)
        )
        files = []
        for entry in output.split("\0"):
            meta, _, path = entry.partition("\t")
            if not path:
                continue
            mode, kind, blob = meta.split()
            if kind == "blob" and mode in ("100644", "100755") and safe_path(path):
                files.append((self.claims_path(path), blob))
        return files

    # Writing: only the commands that edit claims, and only the paths they name ---------------

    def status(self, path: str) -> str:
        """Short status of one path ('' when it matches HEAD): ' M', 'M ', 'A ', '??', ' D'...

        Worked out from blob ids, the working tree's hashed here, as `diff` does: `git status`
        would run the repository's clean filter on a file whose stat data changed.
        """
        name = self.repo_path(path)
        head = (
            self._entry("ls-tree", "-z", "--full-tree", "HEAD", "--", name) if self.head else None
        )
        index = self._entry("ls-files", "-z", "--stage", "--", name)
        file = self.top / name
        work = None
        if os.path.lexists(file):
            from .files import read_bytes

            work = blob_id(read_bytes(file, path, 64 * 1024 * 1024))
        if head is None and index is None:
            return "??" if work is not None else ""
        staged = " " if index == head else "A" if head is None else "D" if index is None else "M"
        changed = " " if work == index else "D" if work is None else "M"
        code = staged + changed
        return "" if code == "  " else code

    def changes(self, folder: str) -> list[tuple[str, str]]:
        """(status, path) of every file under `folder` that differs from HEAD, from blob ids as
        `status` works them out: no filter runs, whatever the repository configures."""
        from .errors import DataError
        from .files import read_bytes

        top = self.repo_path(folder)
        head = {}
        if self.head:
            listing = self.run("ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", top)
            head = {
                p: meta.split()[2]
                for meta, _, p in (e.partition("\t") for e in listing.split("\0"))
                if p
            }
        staged = self.run("ls-files", "-z", "--stage", "--", top)
        index = {
            p: meta.split()[1]
            for meta, _, p in (e.partition("\t") for e in staged.split("\0"))
            if p
        }
        work = {}
        for base, folders, files in os.walk(self.top / top):
            folders[:] = [f for f in folders if f != ".git"]
            for name in files:
                file = Path(base) / name
                path = file.relative_to(self.top).as_posix()
                try:
                    work[path] = blob_id(read_bytes(file, path, 64 * 1024 * 1024))
                except DataError:
                    work[path] = "unreadable"
        found = []
        for path in sorted(head.keys() | index.keys() | work.keys()):
            was, now, there = head.get(path), index.get(path), work.get(path)
            if was is None and now is None:
                code = "??"
            else:
                staged_code = (
                    " " if now == was else "A" if was is None else "D" if now is None else "M"
                )
                code = staged_code + (" " if there == now else "D" if there is None else "M")
            if code != "  ":
                found.append((code, self.claims_path(path)))
        return found

    def _entry(self, *args: str) -> str | None:
        """The object id in the first entry `ls-tree`/`ls-files --stage` lists; None if none."""
        output = self.run(*args)
        meta = output.split("\t", 1)[0].split()
        if len(meta) != 3:
            return None
        return meta[2] if args[0] == "ls-tree" else meta[1]  # mode type id / mode id stage

    def git_path(self, name: str) -> Path:
        """A file inside the repository's git directory (worktrees included)."""
        found = self.run("rev-parse", "--git-path", name).strip()
        return Path(found) if os.path.isabs(found) else self.top / found

    def index_lock(self) -> Path | None:
        """The index lock file when another git process holds it."""
        path = self.git_path("index.lock")
        return path if path.exists() else None

    def refuse_if_locked(self) -> None:
        lock = self.index_lock()
        if lock is not None:
            raise ConflictError(index_lock_message(str(lock)))

    def commit_paths(self, paths: list[str], message: str) -> str:
        """Commit exactly `paths` as they are in the working tree, whatever else is staged.

        Built from git's plumbing so that nothing the repository configures runs: the files are
        hashed with no filter (`hash-object --no-filters`), the tree is written from a private
        index, the commit is made by `commit-tree --no-gpg-sign` (no hook, no signing program)
        and HEAD moves by compare-and-swap (`update-ref`, hooks off). The real index takes the
        new blobs first, so that a process killed before HEAD moves leaves the change staged,
        and `git commit` finishes it. Returns the new commit's id.
        """
        from .files import read_bytes

        self.refuse_if_locked()
        names = [self.repo_path(path) for path in paths]
        entries = []
        for path, name in zip(paths, names, strict=True):
            data = read_bytes(self.top / name, path, 64 * 1024 * 1024)
            blob = self.run_bytes("hash-object", "-w", "--no-filters", "--stdin", input=data)
            old = self.run("ls-files", "-z", "--stage", "--", name).split("\t", 1)[0].split()
            mode = old[0] if old else "100644"
            entries.append((mode, blob.decode().strip(), name, old[1] if old else None))
        # HEAD now, not when this session began: another writer may have committed meanwhile.
        parent = self.run(
            "rev-parse", "--verify", "--quiet", "HEAD^{commit}", ok_codes=(1,)
        ).strip()
        # Callers hold the write lock: a leftover of this file or its lock is a killed run's.
        private = self.git_path("claims-commit.index")
        Path(f"{private}.lock").unlink(missing_ok=True)
        env = {"GIT_INDEX_FILE": str(private)}
        try:
            if parent:
                self.run_bytes("read-tree", parent, env=env)
            else:
                self.run_bytes("read-tree", "--empty", env=env)
            for mode, blob, name, _ in entries:
                self.run_bytes(
                    "update-index", "--add", "--cacheinfo", f"{mode},{blob},{name}", env=env
                )
            tree = self.run_bytes("write-tree", env=env).decode().strip()
        finally:
            private.unlink(missing_ok=True)
        parents = ["-p", parent] if parent else []
        text = message.strip("\n") + "\n"  # as `git commit` cleans a message up
        try:
            commit = self.run_bytes(
                "commit-tree", "--no-gpg-sign", *parents, "-F", "-", tree,
                input=text.encode("utf-8"),
            ).decode().strip()  # fmt: skip
        except RepoError as err:
            raise RepoError(
                str(err).replace("git commit-tree failed", "git commit failed")
            ) from None
        # Writing the index re-reads "racily clean" files through their clean filter: every
        # filter driver the configuration names is switched off for these calls.
        off = self.no_filters()
        staged = [f"{mode},{blob},{name}" for mode, blob, name, _ in entries]
        cacheinfo = [a for entry in staged for a in ("--cacheinfo", entry)]
        self.run(*off, "update-index", "--add", *cacheinfo)
        subject = message.splitlines()[0] if message else ""
        try:
            self.run("update-ref", "-m", f"claims: {subject}", "HEAD", commit, parent or "")
        except BaseException:
            for mode, _, name, old_blob in entries:  # the index as it was
                if old_blob is None:
                    self.run(*off, "update-index", "--force-remove", "--", name)
                else:
                    self.run(*off, "update-index", "--cacheinfo", f"{mode},{old_blob},{name}")
            raise
        self.head = commit
        return commit

    def no_filters(self) -> list[str]:
        """`-c` options that switch off every filter driver the configuration defines (an empty
        command is no filter), so that git runs none of them on the work tree's files."""
        output = self.run("config", "-z", "--get-regexp", r"^filter\.", ok_codes=(1,))
        names = set()
        for entry in output.split("\0"):
            key = entry.split("\n", 1)[0]
            if key.count(".") >= 2:
                names.add(key[len("filter.") : key.rindex(".")])
        options = []
        for name in sorted(names):
            for setting in ("clean=", "smudge=", "process=", "required=false"):
                options += ["-c", f"filter.{name}.{setting}"]
        return options

    def _config_section(self, key: str) -> tuple[str, str]:
        """`diff.claims.command` -> ('diff "claims"', 'command'), as GitPython names them."""
        section, _, option = key.rpartition(".")
        name, dot, subsection = section.partition(".")
        return (f'{name} "{subsection}"' if dot else name), option

    def config_get(self, key: str) -> str | None:
        """The repository's own (`--local`) value of `key`, or None."""
        import configparser

        import git

        section, option = self._config_section(key)
        try:
            reader = git.Repo(self.top).config_reader("repository")
            value = reader.get(section, option)  # the text as written: no typing of "true"
        except (configparser.NoSectionError, configparser.NoOptionError):
            return None
        except (git.GitError, OSError, ValueError, configparser.Error) as err:
            raise RepoError(f"git config {key}: {err}") from None
        return str(value)

    def config_value(self, key: str) -> str | None:
        """A setting from every config git reads here (system, global, repository)."""
        value = self.run("config", "--get", key, ok_codes=(1,))
        return value.rstrip("\n") if value else None

    def config_set(self, key: str, value: str) -> None:
        """Set `key` in the repository's own config (.git/config), through GitPython."""
        import git

        section, option = self._config_section(key)
        try:
            with git.Repo(self.top).config_writer("repository") as writer:
                writer.set_value(section, option, value)
        except (git.GitError, OSError, ValueError) as err:
            raise RepoError(f"git config {key}: {err}") from None

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


def promisor_remote(common_dir: Path) -> str | None:
    """The remote a partial clone fetches missing objects from (`remote.NAME.promisor`, or
    the older `extensions.partialClone`), read from the repository's config file without
    running git; None for a full clone."""
    try:
        text = (common_dir / "config").read_text("utf-8", "replace")
    except OSError:
        return None
    section, found = "", None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            head = line[1 : line.find("]")].strip()
            name, _, sub = head.partition(" ")
            section = name.lower() + (" " + sub.strip().strip('"') if sub else "")
            continue
        if line.startswith(("#", ";")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().lower()
        value = value.split(" #", 1)[0].split(" ;", 1)[0].strip().strip('"')
        if section == "extensions" and key == "partialclone" and value:
            found = value
        elif (
            section.startswith("remote ")
            and key == "promisor"
            and value.lower() in ("true", "yes", "on", "1")
        ):
            found = found or section[len("remote ") :]
    return found if found and not found.startswith("-") else None


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob, computed here so that comparing the working
    tree never runs git's index machinery (and with it filters or fsmonitor hooks)."""
    import hashlib  # here: OpenSSL's start-up is a cost every command would pay

    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def merge_file(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    labels: tuple[str, str, str],
    marker_size: int = 7,
    style: str = "merge",
) -> tuple[bytes, int]:
    """git's own line-based three-way merge: the merged bytes and the number of conflicts."""
    import tempfile

    import git

    with tempfile.TemporaryDirectory(prefix="claims-merge-") as folder:
        names = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            (Path(folder) / name).write_bytes(data)
            names.append(str(Path(folder) / name))
        runner = git.Git(folder)
        runner.update_environment(**SAFE_ENV)
        status, out, err = runner.execute(
            ["git", *SAFE_OPTIONS, "merge-file", "-p", f"--marker-size={marker_size}",
             *([f"--{style}"] if style in ("diff3", "zdiff3") else []),
             "-L", labels[0], "-L", labels[1], "-L", labels[2], *names],
            with_extended_output=True, with_exceptions=False, strip_newline_in_stdout=False,
            stdout_as_string=False,
        )  # fmt: skip
    if not 0 <= status < 128:
        text = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
        message = text.strip().splitlines()
        raise RepoError(f"git merge-file failed: {message[-1] if message else status}")
    return out, status


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


# HEAD without git -------------------------------------------------------------------------------

HEX = frozenset("0123456789abcdef")
# Variables that move the repository or its refs where plain file reading would not see it.
GIT_LOCATION_VARIABLES = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_INDEX_FILE",
)  # fmt: skip


@dataclass(frozen=True)
class HeadState:
    """What `git rev-parse` would say of a work tree's HEAD, read from the files under .git."""

    git_dir: Path  # this worktree's own
    common_dir: Path  # objects and branches, shared by worktrees
    head: str  # the commit id
    prefix: str  # the claims root relative to the top of the work tree, '' or ending in '/'


def read_head(root: Path) -> HeadState | None:
    """HEAD's commit for the work tree around `root`, from .git's files: no git process.

    Answers only the plain cases, as git lays them out: a `.git` folder or a `gitdir:` file
    (worktrees), HEAD a branch or a detached commit, the branch a loose ref or in
    packed-refs. Anything else (environment variables that move the repository, the reftable
    format, a symbolic ref chain, a bare repository, an unreadable file) is None, and the
    caller asks git. A cache keyed by the answer stays as safe as one keyed by git's: the
    same files are what git itself reads.
    """
    if any(os.environ.get(name) for name in GIT_LOCATION_VARIABLES):
        return None
    try:
        top = Path(root).resolve()
        start = top
        while not os.path.lexists(top / ".git"):
            if top.parent == top:
                return None
            top = top.parent
        dot_git = top / ".git"
        if dot_git.is_dir():
            git_dir = dot_git
        else:
            text = dot_git.read_text("utf-8").strip()
            if not text.startswith("gitdir:"):
                return None
            git_dir = (top / text[len("gitdir:") :].strip()).resolve()
        common = git_dir / "commondir"
        common_dir = (
            (git_dir / common.read_text("utf-8").strip()).resolve() if common.exists() else git_dir
        )
        config = (common_dir / "config").read_text("utf-8", "replace").lower()
        if "refstorage" in config or "worktreeconfig" in config or "bare = true" in config:
            return None
        head = (git_dir / "HEAD").read_text("utf-8").strip()
        if head.startswith("ref: "):
            ref = head[5:].strip()
            if not ref.startswith("refs/heads/") or ".." in ref or ref.endswith("/"):
                return None
            loose = common_dir / ref
            if loose.is_file():
                head = loose.read_text("utf-8").strip()
            else:
                head = _packed_ref(common_dir / "packed-refs", ref) or ""
        if len(head) not in (40, 64) or not HEX.issuperset(head):
            return None
        prefix = start.relative_to(top).as_posix()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return HeadState(git_dir, common_dir, head, "" if prefix == "." else prefix + "/")


def _packed_ref(packed: Path, ref: str) -> str | None:
    try:
        data = packed.read_bytes()
    except FileNotFoundError:
        return None
    wanted = b" " + ref.encode() + b"\n"
    at = data.find(wanted)
    if at < 0:
        return None
    start = data.rfind(b"\n", 0, at) + 1
    return data[start:at].decode("ascii", "replace")
