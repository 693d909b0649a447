"""Running git safely: the options and environment every call carries, and git's failures
turned into one-line errors.

Reading never runs anything the repository being read could configure: hooks, fsmonitor,
pagers, external diff and textconv programs are switched off on every call, and paths are
always passed after `--`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import ConflictError, RepoError

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


def environment() -> dict[str, str]:
    return {**os.environ, **SAFE_ENV}


def last_line(stderr: bytes | str) -> str:
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
                cwd=cwd, capture_output=True, env=environment(), check=False,
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
            cwd=path, capture_output=True, env=environment(), check=False,
        )  # fmt: skip
    except OSError:  # no such directory, or no git
        return False
    if done.returncode != 0:
        refused = refusal(path, done.stderr)
        if refused is not None:
            raise refused
    return done.returncode == 0


# What GitSession learns first: bare or not, shallow or not, the common git directory, the top
# of the work tree, and HEAD (absent where there are no commits yet).
REV_PARSE = (
    "git", *SAFE_OPTIONS, "rev-parse", "--is-bare-repository", "--is-shallow-repository",
    "--git-common-dir", "--git-dir", "--show-toplevel", "--verify", "--quiet", "HEAD^{commit}",
)  # fmt: skip
