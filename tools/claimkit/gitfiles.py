"""git's own files read without running git: HEAD (for cache keys) and the promisor remote of a
partial clone."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
