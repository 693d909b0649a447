"""Each claim's story as the whole-history commands last told it, kept while its inputs hold.

`list`, `export` and `timeline` tell every claim's story (its readings put in publication
order, each version's change kind, the standing): most of what a warm run of them costs.
`<git dir>/claims-cache/stories.jsonl` (a cache file as cache.py writes them: signed,
versioned, disposable) keeps, for each claim, what the story added to its readings: for each
story version the reading it is (by commit order) and the fields the story set on it (change
kind, detail, out-of-order mark, uncertain neighbours, the earlier readings it edits), and the
standing. The story is put together again from the claim's readings and that, with no
comparison made.

`list` needs no reading built: each entry also names the current version and each dated
version's earliest day, so its row comes from the one or two readings it shows.

An entry holds while its claim's digest is the same: the history cache's rows of the claim
(commit number, path, blob and parsed fields of each reading; the numbers kept meaningful by
a digest of the list of commits they index, as for story-findings.json) and the metadata of
every source they cite (all of it: published dates, `after`, title). A source's digest is kept
with the name and stat data of its file, and used again while the sources' cache trusts that
file as unchanged (cache.trusted_stat). The whole file is keyed by the repository's
root, a digest of claimkit's own code (cache.code_digest) and the vocabulary in use: a
change to any of them tells every story again. An entry is only written when the story put
together from it equals the story told, so what the cache answers is what telling it gives.

The file is a header line (the claims, each with its digest and the line of its entry) and one
line per claim, kept encoded until that claim comes: a run holds the file's bytes, never every
claim's story.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Iterator

from .cache import Store, code_digest
from .history_cache import FIELDS_AT, HistoryIndex
from .model import Claim
from .sources import SourceCache
from .standing import Group, Standing
from .story import Story, Version, build_story, evolve

STORIES_FILE = "stories.jsonl"
EDITS = "edits"  # the one story field that holds readings: kept as their commit orders


class ClaimDigests:
    """What a claim's story depends on in the history and the sources, as one digest.

    A source's part is a digest of its metadata, kept with the name and stat data its file
    had (as the sources' cache keeps them): while the sources' cache trusts the file as
    unchanged, the digest is not worked out again."""

    def __init__(self, index: HistoryIndex, sources: SourceCache, known: dict):
        self.index, self.sources, self.known = index, sources, known
        self.stamps: dict[str, list] = {}  # source id -> [stamp, digest]: to write
        self._signatures: dict[str | None, str] = {}

    def signature(self, source_id: str) -> str:
        found = self._signatures.get(source_id)
        if found is not None:
            return found
        sources = self.sources
        stamp = sources.stamp(source_id)
        known = self.known.get(source_id)
        if stamp is not None and isinstance(known, list) and known[0] == stamp:
            found = known[1]
        else:
            fields = json.dumps(sources.fields(source_id), sort_keys=True, ensure_ascii=False)
            found = hashlib.sha1(fields.encode()).hexdigest()
            stamp = sources.stamp(source_id)  # read just now, with the stat taken before
        self._signatures[source_id] = found
        if stamp is not None:
            self.stamps[source_id] = [stamp, found]
        return found

    def of(self, claim_id: str) -> str:
        """The digest of the claim's rows and of the metadata of the sources they cite."""
        index = self.index
        digest = hashlib.sha1(b"\n".join(index.claim_lines(claim_id)))
        for source_id in sorted(index.claim_cites(claim_id)):
            digest.update(f"\n{source_id}\0{self.signature(source_id)}".encode())
        return digest.hexdigest()


class StoryCache:
    """The stories kept for one history; `told` answers from them or tells the story."""

    def __init__(self, index: HistoryIndex, sources: SourceCache, store: Store, root: str):
        from .types.vocabulary import fingerprint

        self.store = store
        self.key = {"root": root, "code": code_digest(), "vocabulary": fingerprint()}
        self.entries: dict[str, list] = {}  # claim id -> [digest, line of its entry]
        self.lines: list[bytes] = []
        self.kept: dict[str, tuple[str, bytes]] = {}  # claim id -> (digest, entry): to write
        known: dict = {}
        found = store.read(STORIES_FILE, self.key)
        if found is not None:
            try:
                header, body = found
                lines = body.split(b"\n")
                head = json.loads(lines[0])
                known = head["sources"]
                # Rows name their commits: an entry holds while its claim's rows do.
                if isinstance(head["claims"], dict):
                    self.entries, self.lines = head["claims"], lines[1:]
            except (ValueError, KeyError, TypeError, IndexError):
                self.entries, self.lines, known = {}, [], {}
        self.digests = ClaimDigests(index, sources, known if isinstance(known, dict) else {})
        self.changed = set(self.entries) != set(index.spans)

    def lookup(self, claim_id: str, digest: str) -> dict | None:
        """The claim's entry, decoded, where its digest is the same (kept for next time)."""
        entry = self.entries.get(claim_id)
        if entry is None or entry[0] != digest:
            return None
        try:
            line = self.lines[entry[1]]
            found = json.loads(line)
        except (ValueError, TypeError, IndexError):
            return None
        if not isinstance(found, dict):
            return None
        self.kept[claim_id] = (digest, line)
        return found

    def told(self, claim_id: str, digest: str, readings: list[Version]) -> Story:
        """The claim's story: from its entry where the digest is the same, else told (and
        kept where the entry gives it back exactly)."""
        entry = self.lookup(claim_id, digest)
        if entry is not None:
            try:
                return from_entry(claim_id, entry, readings)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError):
                del self.kept[claim_id]
        story = build_story(claim_id, readings)
        self.changed = True
        line = to_line(story)
        if line is not None:
            try:
                again = from_entry(claim_id, json.loads(line), readings)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError):
                again = None
            if again == story:
                self.kept[claim_id] = (digest, line)
        return story

    def save(self) -> None:
        stamps = self.digests.stamps
        if not self.changed and all(self.digests.known.get(i) == s for i, s in stamps.items()):
            return
        claims, lines = {}, []
        for claim_id, (digest, line) in self.kept.items():
            claims[claim_id] = [digest, len(lines)]
            lines.append(line)
        head = json.dumps({"claims": claims, "sources": stamps}, ensure_ascii=False).encode()
        self.store.write(STORIES_FILE, self.key, b"\n".join([head, *lines]),
                         written_ns=time.time_ns())  # fmt: skip


def to_line(story: Story) -> bytes | None:
    """A story's entry, encoded: None where something in it has no JSON form. Besides the
    versions and the standing, what `list` needs without putting the story together: the
    current version and, for as-of, each readable dated version's earliest day."""
    versions = []
    for version in story.versions:
        reading = story.readings[version.order].__dict__
        changed = {}
        for name, value in version.__dict__.items():
            was = reading.get(name)
            if value is not was and value != was:
                changed[name] = [e.order for e in value] if name == EDITS else value
        versions.append([version.order, changed])
    standing = story.standing
    groups = [[g.value, g.kind, list(g.sources)] for g in standing.groups]
    current = story.current
    dated = [
        [v.published.sort_key().isoformat(), v.order]
        for v in story.versions
        if v.claim is not None and v.published
    ]
    entry = {
        "versions": versions,
        "standing": [standing.state, standing.kind, standing.value, groups],
        "current": current.order if current else None,
        "dated": dated,
    }
    try:
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return None


def standing_of(entry: dict) -> Standing:
    state, kind, value, groups = entry["standing"]
    return Standing(state, kind, value, tuple(Group(v, k, tuple(s)) for v, k, s in groups))


def from_entry(claim_id: str, entry: dict, readings: list[Version]) -> Story:
    """The story an entry keeps, put together again with the claim's readings."""
    versions = []
    for order, changed in entry["versions"]:
        reading = readings[order]
        fields = {}
        for name, value in changed.items():
            if name == EDITS:
                value = tuple(readings[o] for o in value)
            elif isinstance(getattr(reading, name), tuple):
                value = tuple(value)
            fields[name] = value
        versions.append(evolve(reading, **fields))
    return Story(claim_id, versions, list(readings), standing_of(entry))


def each_story(repo, git, sources: SourceCache | None = None) -> Iterator[Story]:
    """Every claim's story, one claim at a time in claim id order (each claim's readings read
    as history.each_history reads them), from the stories kept where the claim's inputs are
    unchanged, else told; the stories kept are written back at the end."""
    from .history import _versions

    sources, index, cache = _opened(repo, git, sources)
    for claim_id in index.claim_ids():
        if cache is None:
            yield build_story(claim_id, _versions(index, claim_id, sources))
            continue
        digest = cache.digests.of(claim_id)
        yield cache.told(claim_id, digest, _versions(index, claim_id, sources))
    _close(sources, index, cache)


def each_overview(repo, git, day: dt.date | None) -> Iterator:
    """Every claim's history.Overview (as of `day`), as each_story's stories give them; where
    the claim's story is kept, from its entry and the one or two readings it names, with no
    reading built."""
    from .history import _overview, _versions

    sources, index, cache = _opened(repo, git, None)
    for claim_id in index.claim_ids():
        digest = cache.digests.of(claim_id) if cache is not None else ""
        entry = cache.lookup(claim_id, digest) if cache is not None else None
        if entry is not None:
            try:
                yield _entry_overview(index, claim_id, entry, day)
                continue
            except (ValueError, KeyError, TypeError, IndexError):
                del cache.kept[claim_id]
        readings = _versions(index, claim_id, sources)
        if cache is None:
            yield _overview(build_story(claim_id, readings), day)
        else:
            yield _overview(cache.told(claim_id, digest, readings), day)
    _close(sources, index, cache)


def _entry_overview(index: HistoryIndex, claim_id: str, entry: dict, day: dt.date | None):
    from .history import Overview

    rows = index.claim_rows(claim_id)

    def claim_at(order: int | None) -> Claim | None:
        if order is None:
            return None
        fields = rows[order][FIELDS_AT]
        return Claim(*fields) if fields is not None else None

    chosen = None
    if day is not None:
        by = day.isoformat()  # the story's order: the last dated by then is the one
        chosen = next((order for lower, order in reversed(entry["dated"]) if lower <= by), None)
    found = Overview(claim_id, len(entry["versions"]), standing_of(entry),
                     claim_at(entry["current"]), claim_at(chosen))  # fmt: skip
    return found


def _opened(repo, git, sources: SourceCache | None):
    from .history import history_index, source_cache

    sources = sources or source_cache(repo, git)
    index = history_index(repo, git, sources)
    store = sources.store
    cache = StoryCache(index, sources, store, str(repo.root)) if store is not None else None
    return sources, index, cache


def _close(sources: SourceCache, index: HistoryIndex, cache: StoryCache | None) -> None:
    sources.save()
    if cache is not None:
        cache.save()
    index.close()  # its cache file (or a cold read's spool), as each_history closes it
