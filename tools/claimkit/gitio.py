"""All git access goes through the git modules: this one (a session on one repository: its
reads), gitcommand.py (running git safely), gitlog.py (the commit walk and the commit-graph's
upkeep), gitstream.py (the streaming whole-history reader), gitwrite.py (status, commits,
config), gitfiles.py (HEAD and the promisor remote read from git's files) and commitgraph.py
(git's commit-graph files, read). No other module imports `git` or runs it.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .errors import NotFound, RepoError, UsageError
from .gitcommand import (
    REV_PARSE,
    SAFE_OPTIONS,
    command_error,
    environment,
    last_line,
    object_error,
    refusal,
    safe_path,
)
from .gitfiles import promisor_remote
from .gitlog import CommitWalk, EarlyFileLog
from .gitwrite import WorkTreeWrites

_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class GitSession(CommitWalk, WorkTreeWrites):
    """A session with the git repository around a claims repository: its questions, here;
    the commit walk and the commit-graph's upkeep, from CommitWalk (gitlog.py); status,
    commits and config, from WorkTreeWrites (gitwrite.py).

    Reads run `git` directly (one process per question, and one long-lived
    `git cat-file --batch` for blobs); GitPython is not needed to read, and its import would
    cost more than most questions. Config writes go through GitPython.
    """

    def __init__(self, root: Path, early: EarlyFileLog | None = None):
        self.root = root
        self._env = environment()
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
            message = last_line(done.stderr)
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
        # git ls-files of a folder, by folder: its paths in git's order, then (once asked a
        # second time) each file name's (position, path) pairs.
        self._listings: dict[str, list[bytes] | dict[bytes, list[tuple[int, bytes]]]] = {}

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
            end = output.find(b"\n", position)
            header = output[position:end].split() if end >= 0 else []
            if len(header) != 3:  # a missing object, or output cut short
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
        return self.head is not None  # resolved when the session opened, kept by commits

    def is_shallow(self) -> bool:
        return self.shallow

    def resolve(self, rev: str) -> str:
        """The commit a revision names; refuses option-like and unknown revisions, and what
        names more or less than one commit (`^HEAD`, `A..B`, `HEAD^@`)."""
        if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
            raise UsageError(f"invalid revision {rev!r}")
        if rev.startswith("^") or ".." in rev or rev.endswith(("^@", "^!")) or "^-" in rev:
            raise UsageError(f"invalid revision {rev!r}: name one commit, not a range")
        if rev == "HEAD" and self.head is not None:
            return self.head  # resolved when the session opened: no second rev-parse
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
        wanted = {name.encode("utf-8", "surrogateescape") for name in names}
        if not wanted:
            return []
        known = self._listings.get(folder)
        if known is None:  # a session lists a folder once
            output = listing or self.run_bytes("ls-files", "-z", "--", self.repo_path(folder))
            entries = self._listings[folder] = output.split(b"\0")
            # Asked once (a one-claim command), one pass finds a few names faster than a
            # table of every name is made.
            found = [entry for entry in entries if entry[entry.rfind(b"/") + 1 :] in wanted]
        else:
            if isinstance(known, list):  # asked again: from now on the table pays
                by_name: dict[bytes, list[tuple[int, bytes]]] = {}
                for number, entry in enumerate(known):
                    by_name.setdefault(entry[entry.rfind(b"/") + 1 :], []).append((number, entry))
                known = self._listings[folder] = by_name
            found = [entry for _, entry in sorted(e for n in wanted for e in known.get(n, ()))]
        return [self.claims_path(entry.decode("utf-8", "replace")) for entry in found]

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
