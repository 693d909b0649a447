"""`claims maintenance`: make history fast to read, ahead of the commands that read it.

Two things, both disposable and both rebuilt from the repository itself: git's commit-graph
with changed-path Bloom filters (so that `git log -- claims/<id>.yaml` skips the commits that
do not touch the file), and claimkit's cache under `<git dir>/claims-cache/`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from . import cache
from .errors import RepoError
from .gitio import GitSession
from .history import overview
from .repo import ClaimsRepo


@dataclass(frozen=True)
class GraphState:
    commits: int  # commits in the commit-graph
    layers: int
    bloom: bool
    covers_head: bool


@dataclass(frozen=True)
class MaintenanceReport:
    commits: int  # reachable from HEAD
    graph_before: GraphState
    graph_after: GraphState
    graph_action: str  # "written", "extended" or "up to date"
    cache_files: list[tuple[str, int]]  # name, bytes
    cache_cleared: list[str]
    seconds: float


def graph_state(git: GitSession) -> GraphState:
    graph = git.commit_graph()
    if graph is None:
        return GraphState(0, 0, False, False)
    covers = git.head is not None and graph.contains(git.head)
    return GraphState(graph.commits, len(graph.layers), graph.bloom, covers)


def run_maintenance(repo: ClaimsRepo, clear_cache: bool = False) -> MaintenanceReport:
    """Write or bring up to date the commit-graph, then rebuild the cache from scratch or
    bring it up to date. Refuses a repository that cannot be written."""
    started = time.perf_counter()
    with GitSession(repo.root) as git:
        if not git.can_write():
            raise RepoError(f"{git.common_dir}: cannot write here; nothing to maintain")
        before = graph_state(git)
        if git.head is None:
            action = "up to date"
        elif before.layers == 0 or not before.bloom:
            git.write_commit_graph(rebuild=True)
            action = "written"
        elif not before.covers_head:
            git.write_commit_graph(rebuild=False)
            action = "extended"
        else:
            action = "up to date"
        after = graph_state(git)
        store = cache.Store(git.git_dir)
        cleared = store.clear() if clear_cache else []
        if git.head is not None and cache.enabled():
            overview(repo, git)  # reads history into the cache, or finds it there
        files = [
            (path.name, path.stat().st_size)
            for path in store.files()
            if not path.name.startswith(".")
        ]
        commits = git.count_commits()
    return MaintenanceReport(
        commits, before, after, action, files, cleared, time.perf_counter() - started
    )
