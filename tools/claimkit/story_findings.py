"""Findings about articles over every version of each claim's story, not only the files on disk.

A newer record never hides a finding about an older article: the time-sense rule runs on each
story version (each source's latest reading) that the claim file on disk does not hold.
"""

from __future__ import annotations

from .errors import UsageError
from .findings import WARNING, Problem
from .gitcommand import is_git_repository
from .gitio import GitSession
from .repo import ClaimsRepo
from .rules.time_sense import version_finding
from .story import build_story

# Up to this many claims, each is read from its own log rather than the whole history.
FEW = 16


def story_findings(repo: ClaimsRepo, claim_ids: dict[str, tuple[str, object]]) -> list[Problem]:
    """Time-sense findings on the story versions of the given claims that their files on disk
    do not hold. `claim_ids`: claim id -> (file as shown, the claim on disk or None)."""
    if not claim_ids or not is_git_repository(repo.root):
        return []
    from .history import all_versions, claim_versions

    with GitSession(repo.root) as git:
        if not git.has_commits():
            return []
        if len(claim_ids) <= FEW:
            # A few claims (check --changed): their own logs, in time that grows with them.
            histories = {}
            for claim_id in claim_ids:
                try:
                    histories[claim_id] = claim_versions(repo, git, claim_id)
                except UsageError:
                    continue  # a file that resolves outside the repository: its check says so
        else:
            histories = all_versions(repo, git)
    found = []
    for claim_id, (display, on_disk) in claim_ids.items():
        readings = histories.get(claim_id)
        if not readings:
            continue
        for version in build_story(claim_id, readings).versions:
            if version.claim is None or version.claim == on_disk:
                continue
            message = version_finding(version)
            if message:
                found.append(
                    Problem(
                        display, 1, 1, WARNING,
                        f"in the story's version from {version.claim.source} "
                        f"(commit {version.commit[:12]}): {message}",
                        "time-sense",
                    )
                )  # fmt: skip
    return found
