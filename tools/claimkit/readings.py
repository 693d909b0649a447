"""One claim's readings for `log`, `show --as-of` and `blame`, answered from the cache when
nothing they depend on has moved: no git process, no YAML.

`<git dir>/claims-cache/readings-<id>.json` holds one claim's versions as read from git, the
text of each, and the parsed metadata of every source they cite with that file's stat data.
It is keyed by HEAD, read from the files under .git (gitfiles.read_head), and by the shallow
boundary, and trusted only while every cited source file is unchanged (git's racy-clean rule,
as for the other cache files). Anything else, including a HEAD that only git can read, reads
history the usual way and writes the file again.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING

from .cache import Store, file_stat, trusted_stat
from .cache import enabled as cache_enabled
from .gitfiles import HeadState, read_head
from .model import Claim, Source
from .repo import ClaimsRepo

if TYPE_CHECKING:  # a warm read starts no git: the session's module is not loaded for it
    from .gitio import GitSession


def _name(claim_id: str) -> str:
    return f"readings-{claim_id}.json"


def _key(state: HeadState, claim_id: str) -> dict:
    try:
        shallow = hashlib.sha1((state.common_dir / "shallow").read_bytes()).hexdigest()
    except OSError:
        shallow = ""
    return {"head": state.head, "prefix": state.prefix, "shallow": shallow, "claim": claim_id}


def claim_readings(
    repo: ClaimsRepo, claim_id: str, *, with_text: bool = False
) -> tuple[list, bool, dict[str, str]]:
    """(versions in commit order, whether history is shallow, blob -> text if `with_text`)."""
    path = repo.claim_path(claim_id)  # validates the id before anything reads it
    state = read_head(repo.root) if cache_enabled() else None
    store = Store(state.git_dir) if state is not None else None
    if state is not None:
        found = _restore(repo, store, _key(state, claim_id))
        if found is not None:
            return found
    # Not answered from the cache: git starts first, and what reads its answer loads while
    # it walks.
    from .gitlog import EarlyFileLog

    with EarlyFileLog(repo.root, repo.relative(path)) as early:
        from .gitio import GitSession
        from .history import claim_versions

        with GitSession(repo.root, early) as git:
            versions = claim_versions(repo, git, claim_id, early=early)
            shallow = git.is_shallow()
            texts = {v.blob: git.read_blob(v.blob).decode("utf-8", "replace") for v in versions}
            if state is not None and git.head == state.head and versions:
                _save(repo, store, _key(state, claim_id), versions, shallow, texts)
    return versions, shallow, texts if with_text else {}


class ReadingsCache:
    """The same cache for several claims read in one session (check --changed): look a claim
    up, and keep one read from git."""

    def __init__(self, repo: ClaimsRepo):
        self.repo = repo
        self.state = read_head(repo.root) if cache_enabled() else None
        self.store = Store(self.state.git_dir) if self.state is not None else None

    def versions(self, claim_id: str) -> list | None:
        """The claim's versions from the cache, where HEAD and every cited source are as
        they were; else None."""
        if self.state is None:
            return None
        found = _restore(self.repo, self.store, _key(self.state, claim_id))
        return None if found is None else found[0]

    def keep(self, git: GitSession, claim_id: str, versions: list) -> None:
        """Keep versions just read (their blobs the session's last read) for next time."""
        if self.state is None or git.head != self.state.head or not versions:
            return
        texts = {v.blob: git.read_blob(v.blob).decode("utf-8", "replace") for v in versions}
        key = _key(self.state, claim_id)
        _save(self.repo, self.store, key, versions, git.is_shallow(), texts)


def _save(repo, store: Store, key: dict, versions: list, shallow: bool, texts) -> None:
    sources = {}
    for version in versions:
        source = version.source
        if version.claim is not None and source is None:
            return  # a source missing now may be added later: nothing to check it by
        if source is not None and source.id not in sources:
            stat = file_stat(source.path)
            if stat is None or not repo.inside(source.path):
                return
            sources[source.id] = [repo.relative(source.path), stat, source.to_data()]
    rows = [
        [v.commit, v.recorded, v.path, v.blob, v.order,
         v.claim.to_data() if v.claim else None, v.error, v.source.id if v.source else None]
        for v in versions
    ]  # fmt: skip
    body = {"versions": rows, "shallow": shallow, "sources": sources, "texts": texts}
    store.write(_name(key["claim"]), key, json.dumps(body, ensure_ascii=False).encode(),
                written_ns=time.time_ns())  # fmt: skip


def _restore(repo: ClaimsRepo, store: Store, key: dict):
    found = store.read(_name(key["claim"]), key)
    if found is None:
        return None
    from .story import Version

    header, body = found
    try:
        written = int(header["written_ns"])
        data = json.loads(body)
        sources = {}
        for source_id, (name, stat, fields) in data["sources"].items():
            path = repo.root / name
            if not trusted_stat(stat, file_stat(path), written):
                return None
            sources[source_id] = Source.from_data(fields, path)
        versions = [
            Version(key["claim"], commit, recorded, path, blob, order,
                    None if fields is None else Claim.from_data(fields), error,
                    sources.get(source_id))
            for commit, recorded, path, blob, order, fields, error, source_id in data["versions"]
        ]  # fmt: skip
        return versions, bool(data["shallow"]), dict(data["texts"])
    except (ValueError, KeyError, TypeError):
        return None
