"""All git access in one place: the only module that imports `git`."""

from __future__ import annotations

from pathlib import Path

from .errors import RepoError


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
