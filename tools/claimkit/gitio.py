"""All git access in one place: the only module that imports `git`.

Reading never runs anything the repository being read could configure: hooks, fsmonitor,
pagers, external diff and textconv programs are switched off on every call, and paths are
always passed after `--`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class FileRevision:
    """One version of one file: the commit that wrote it and the blob it wrote."""

    commit: str
    recorded: str  # committer date, ISO 8601
    subject: str
    path: str  # the file's path at that commit
    blob: str | None  # None where the commit deleted the file


def command_error(command: str, status: int, stderr: str) -> Exception:
    """One line for a failed git command; a held index lock is a conflict, not a git fault."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "index.lock" in line and "File exists" in line:
            lock = line.split("'")[1] if line.count("'") >= 2 else "index.lock"
            return ConflictError(index_lock_message(lock))
    return RepoError(f"git {command} failed: {lines[-1] if lines else status}")


def index_lock_message(lock: str) -> str:
    return (
        f"{lock} exists: another git process is using this repository; "
        "try again when it has finished (or remove the file if no git process is running)"
    )


def is_git_repository(path: Path) -> bool:
    import git

    try:
        git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def init_repository(path: Path) -> None:
    import git

    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as err:
        raise RepoError(f"{path}: git init failed: {err.stderr.strip()}") from None


class GitHistory:
    """Read access to the git history of a claims repository."""

    def __init__(self, root: Path):
        import git

        self.root = root
        try:
            repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise RepoError(f"{root}: not a git repository; history needs git") from None
        if repo.bare:
            raise RepoError(f"{root}: a bare repository has no working tree to read claims from")
        self.top = Path(repo.working_tree_dir)
        self.prefix = Path(os.path.relpath(root, self.top)).as_posix()
        self.prefix = "" if self.prefix == "." else self.prefix + "/"
        self._git = repo.git
        self._git.update_environment(**SAFE_ENV)

    def close(self) -> None:
        self._git.clear_cache()  # ends the long-lived cat-file process

    def __enter__(self) -> GitHistory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Low level ----------------------------------------------------------------------------

    def run(self, *args: str, ok_codes: tuple[int, ...] = ()) -> str:
        """git's standard output; a failure (a status not 0 nor in `ok_codes`) is one line."""
        status, stdout, stderr = self._git.execute(
            ["git", *SAFE_OPTIONS, *args],
            with_extended_output=True,
            with_exceptions=False,
            strip_newline_in_stdout=False,
        )
        if status != 0 and status not in ok_codes:
            raise command_error(args[0], status, stderr)
        return stdout

    def read_blob(self, blob: str) -> bytes:
        """A blob's bytes, through the one long-lived `git cat-file --batch` process."""
        return self._git.get_object_data(blob)[3]

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
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def resolve(self, rev: str) -> str:
        """The commit a revision names; refuses option-like and unknown revisions."""
        if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
            raise UsageError(f"invalid revision {rev!r}")
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
                yield FileRevision(commit, recorded, subject, path, blob)

    def file_log(self, path: str, rev: str = "HEAD") -> list[FileRevision]:
        """Every version of one file, newest first, following renames: one `git log`."""
        if not self.has_commits():
            return []
        output = self.run(
            "log", LOG_FORMAT, "--raw", "--no-abbrev", "--no-merges", "--follow", "-M",
            "--no-ext-diff", "--no-textconv", rev, "--", self.repo_path(path),
        )  # fmt: skip
        return list(self._parse_log(output))

    def tree_log(self, folder: str, rev: str = "HEAD") -> list[FileRevision]:
        """Every version of every file under `folder`, newest first: one `git log --raw`."""
        if not self.has_commits():
            return []
        output = self.run(
            "log", LOG_FORMAT, "--raw", "--no-abbrev", "--no-merges", "--no-renames",
            "--no-ext-diff", "--no-textconv", rev, "--", self.repo_path(folder),
        )  # fmt: skip
        return list(self._parse_log(output))

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
            changes.append((status[0], self.claims_path(path)))
        return sorted(changes, key=lambda change: change[1])

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
            if kind == "blob" and mode in ("100644", "100755"):
                files.append((self.claims_path(path), blob))
        return files

    # Writing: only the commands that edit claims, and only the paths they name ---------------

    def status(self, path: str) -> str:
        """Short status of one path ('' when it matches HEAD): ' M', 'M ', '??', 'A '..."""
        output = self.run(
            "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=no",
            "--no-renames", "--", self.repo_path(path),
        )  # fmt: skip
        return output[:2] if output else ""

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

        Runs no hooks (the caller has validated the files). Returns the new commit's id.
        """
        self.refuse_if_locked()
        names = [self.repo_path(path) for path in paths]
        # `commit --only` takes tracked paths straight from the working tree; new files must be
        # added first, and are taken out of the index again if the commit fails.
        new = [
            name
            for path, name in zip(paths, names, strict=True)
            if self.status(path).startswith("?")
        ]
        if new:
            self.run("add", "--", *new)
        try:
            self.run("commit", "--quiet", "--only", "--no-edit", "-m", message, "--", *names)
        except BaseException:
            if new:
                self.run("rm", "--cached", "--quiet", "--ignore-unmatch", "--", *new)
            raise
        return self.resolve("HEAD")

    def config_get(self, key: str) -> str | None:
        value = self.run("config", "--local", "--get", key, ok_codes=(1,))
        return value.rstrip("\n") if value else None

    def config_set(self, key: str, value: str) -> None:
        self.run("config", "--local", key, value)


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob, computed here so that comparing the working
    tree never runs git's index machinery (and with it filters or fsmonitor hooks)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def merge_file(
    base: bytes, ours: bytes, theirs: bytes, labels: tuple[str, str, str], marker_size: int = 7
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
             "-L", labels[0], "-L", labels[1], "-L", labels[2], *names],
            with_extended_output=True, with_exceptions=False, strip_newline_in_stdout=False,
            stdout_as_string=False,
        )  # fmt: skip
    if not 0 <= status < 128:
        text = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
        message = text.strip().splitlines()
        raise RepoError(f"git merge-file failed: {message[-1] if message else status}")
    return out, status
