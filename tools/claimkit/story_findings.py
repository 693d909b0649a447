"""Findings about articles over every version of each claim's story, not only the files on disk.

A newer record never hides a finding about an older article: the time-sense rule runs on each
story version (each source's latest reading) that the claim file on disk does not hold.

What a claim's story versions find depends on its versions (which commits, which blobs) and on
the metadata of the sources they cite, and not on the file on disk, which only decides which
of them are shown. `<git dir>/claims-cache/story-findings.json` keeps, for each claim read
from the whole history, a digest of its versions (the history cache's rows: commit number,
path, blob and parsed fields of each, the numbers kept meaningful by a digest of the list of
commits they index), one of the metadata of every source they cite, and the findings with the
reading each is about; they are used again while both digests are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

from .errors import UsageError
from .findings import WARNING, Problem
from .gitcommand import is_git_repository
from .gitio import GitSession
from .repo import ClaimsRepo
from .rules.time_sense import version_finding
from .story import latest_readings

# Up to this many claims, each is read from its own log (which follows renames); up to MANY,
# from the cache of the whole history where it holds HEAD, else each from its own log where
# that costs less than reading the whole history (_own_logs_pay); more, from the whole history
# (and its cache).
FEW = 16
MANY = 1000
STORY_FINDINGS_FILE = "story-findings.json"

OnDisk = Callable[[], object]  # gives the claim in the file on disk (None: none readable)


def story_findings(repo: ClaimsRepo, claim_ids: dict[str, tuple[str, OnDisk]]) -> list[Problem]:
    """Time-sense findings on the story versions of the given claims that their files on disk
    do not hold. `claim_ids`: claim id -> (file as shown, what gives the claim on disk)."""
    if not claim_ids or not is_git_repository(repo.root):
        return []
    with GitSession(repo.root) as git:
        if not git.has_commits():
            return []
        found = None
        if FEW < len(claim_ids) <= MANY:
            # check --changed with more: from the history's cache where it holds HEAD.
            found = _from_cached_history(repo, git, claim_ids)
        if found is None and _own_logs_pay(git, len(claim_ids)):
            # A few claims, or no cache: their own logs, in time that grows with them.
            found = _from_own_logs(repo, git, claim_ids)
        if found is None:
            found = _from_whole_history(repo, git, claim_ids)
    problems = []
    for claim_id, (display, on_disk) in claim_ids.items():
        candidates = found.get(claim_id)
        if not candidates:
            continue
        claim = on_disk()
        for reading, message in candidates:
            if reading != claim:
                problems.append(Problem(display, 1, 1, WARNING, message, "time-sense"))
    return problems


# What a claim's own log costs (starting git, then its walk of the commit-graph, answered from
# the Bloom filters) against reading the whole history (parsing every version), per commit.
LOG_START_SECONDS = 0.010
LOG_SECONDS_PER_COMMIT = 10e-6
READ_SECONDS_PER_COMMIT = 400e-6


def _own_logs_pay(git: GitSession, claims: int) -> bool:
    """Whether reading these claims each from its own log costs less than one read of the
    whole history: always for a few; for more, only where the commit-graph has Bloom filters
    (else every log diffs every commit) and by the estimate above."""
    if claims <= FEW:
        return True
    if claims > MANY:
        return False
    graph = git.commit_graph()
    if graph is None or not graph.bloom:
        return False
    commits = graph.commits
    own = claims * (LOG_START_SECONDS + commits * LOG_SECONDS_PER_COMMIT)
    return own <= commits * READ_SECONDS_PER_COMMIT


def _from_own_logs(repo: ClaimsRepo, git: GitSession, claim_ids) -> dict[str, list]:
    """Each claim's candidates from its own log (renames followed), several logs running at
    once; or from the cache one-claim reads keep (readings.py), where HEAD and the sources
    are as they were, and kept there for next time."""
    from .gitlog import EarlyFileLogs
    from .history import claim_versions
    from .readings import ReadingsCache

    cache = ReadingsCache(repo)
    found, paths = {}, {}
    for claim_id in claim_ids:
        try:
            path = repo.relative(repo.claim_path(claim_id))
        except UsageError:
            continue  # a file that resolves outside the repository: its check says so
        versions = cache.versions(claim_id)
        if versions is not None:
            found[claim_id] = _candidates(versions)
        else:
            paths[claim_id] = path
    with EarlyFileLogs(repo.root, list(paths.values())) as logs:
        for claim_id in paths:
            versions = claim_versions(repo, git, claim_id, early=logs)
            cache.keep(git, claim_id, versions)
            found[claim_id] = _candidates(versions)
    return found


def _from_cached_history(repo: ClaimsRepo, git: GitSession, claim_ids) -> dict[str, list] | None:
    """Each claim's candidates from the cache of the whole history's read, where it holds
    HEAD (or an ancestor, then extended by the commits since); None where it does not."""
    from .cache import Store
    from .cache import enabled as cache_enabled
    from .history import _versions, collector_paused, list_source_ids
    from .history_cache import cached_history_index
    from .sources import SourceCache

    if not cache_enabled():
        return None
    with collector_paused():
        index = cached_history_index(repo, git, Store(git.git_dir))
        if index is None:
            return None
        wanted = [c for c in claim_ids if c in index.spans]
        cited = set()
        for claim_id in wanted:
            cited.update(index.claim_cites(claim_id))
        list_source_ids(repo, git, cited)
        sources = SourceCache(repo, None, False)  # the few they cite, by the listing given
        found = {c: _candidates(_versions(index, c, sources)) for c in wanted}
        index.close()
        return found


def _candidates(readings) -> list[tuple[object, str]]:
    """(the reading, the finding) for every story version that has a finding."""
    found = []
    for version in latest_readings(readings):
        if version.claim is None:
            continue
        message = version_finding(version)
        if message:
            found.append(
                (
                    version.claim,
                    f"in the story's version from {version.claim.source} "
                    f"(commit {version.commit[:12]}): {message}",
                )
            )
    return found


def _from_whole_history(repo: ClaimsRepo, git: GitSession, claim_ids) -> dict[str, list]:
    """Each claim's candidates from one read of the whole history (or its cache), and from
    the story-findings cache for every claim whose versions and sources are unchanged."""
    from .history import _versions, collector_paused, source_cache
    from .history_cache import history_index
    from .model import Claim

    with collector_paused():
        sources = source_cache(repo, git)
        index = history_index(repo, git, sources)
        store = sources.store
        from .cache import code_digest

        key = {"root": str(repo.root), "code": code_digest()}
        cached = {}
        if store is not None and (read := store.read(STORY_FINDINGS_FILE, key)) is not None:
            try:
                # Each entry holds while its claim's rows (which name their commits) and the
                # sources they cite are the same.
                cached = json.loads(read[1])
                if not isinstance(cached, dict):
                    cached = {}
            except (ValueError, KeyError, TypeError):
                cached = {}
        signatures: dict[str, str | None] = {}

        def signature(source_id: str | None) -> str | None:
            if source_id not in signatures:
                fields = sources.fields(source_id)
                signatures[source_id] = json.dumps(fields, sort_keys=True, ensure_ascii=False)
            return signatures[source_id]

        found, changed = {}, False
        for claim_id in [c for c in cached if c not in index.spans]:
            del cached[claim_id]  # a claim with no history any more
            changed = True
        for claim_id in claim_ids:
            lines = index.claim_lines(claim_id)
            if not lines:
                continue
            versions_digest = hashlib.sha1(b"\n".join(lines)).hexdigest()
            entry = cached.get(claim_id)
            # The sources rows cite follow from the rows: kept with the entry, they need no
            # decoding of the rows while these are the same.
            if entry is not None and len(entry) == 4 and entry[0] == versions_digest:
                cites = entry[3]
            else:
                cites = sorted(index.claim_cites(claim_id))
            cited = hashlib.sha1()
            for source_id in cites:
                cited.update(f"{source_id}\0{signature(source_id)}\n".encode())
            sources_digest = cited.hexdigest()
            if entry is not None and entry[0] == versions_digest and entry[1] == sources_digest:
                found[claim_id] = [(Claim.from_data(data), text) for data, text in entry[2]]
                continue
            candidates = _candidates(_versions(index, claim_id, sources))
            found[claim_id] = candidates
            changed = True
            cached[claim_id] = [
                versions_digest,
                sources_digest,
                [[claim.to_data(), text] for claim, text in candidates],
                cites,
            ]
        sources.save()
        if store is not None and changed:
            try:
                body = json.dumps(cached, ensure_ascii=False, allow_nan=False).encode()
            except (TypeError, ValueError):
                body = None
            if body is not None:
                store.write(STORY_FINDINGS_FILE, key, body, written_ns=time.time_ns())
        index.close()
    return found
