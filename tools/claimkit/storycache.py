"""Each claim's story as the whole-history commands last told it, kept while its inputs hold.

`list`, `export` and `timeline` tell every claim's story (its readings put in publication
order, each version's change kind, the standing): most of what a warm run of them costs.
`<git dir>/claims-cache/stories.jsonl` (a cache file as cache.py writes them: signed,
versioned, disposable) keeps, for each claim, what the story added to its readings: for each
story version the reading it is (by commit order) and the fields the story set on it (change
kind, detail, out-of-order mark, uncertain neighbours, the earlier readings it edits), and the
standing. The story is put together again from the claim's readings and that, with no
comparison made.

An entry holds while its claim's digest is the same: the history cache's rows of the claim
(commit number, path, blob and parsed fields of each reading; the numbers kept meaningful by
a digest of the list of commits they index, as for story-findings.json) and the metadata of
every source they cite (published dates, `after`). The whole file is keyed by the repository's
root, a digest of claimkit's own code (check_cache.code_digest) and the vocabulary in use: a
change to any of them tells every story again. An entry is only written when the story put
together from it equals the story told, so what the cache answers is what telling it gives.

The file is a header line (the claims, each with its digest and the line of its entry) and one
line per claim, kept encoded until that claim comes: a run holds the file's bytes, never every
claim's story.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator

from .cache import Store
from .history_cache import HistoryIndex
from .sources import SourceCache
from .standing import Group, Standing
from .story import Story, Version, build_story, evolve

STORIES_FILE = "stories.jsonl"
EDITS = "edits"  # the one story field that holds readings: kept as their commit orders


def commits_digest(commits: list) -> str:
    """A digest of the history's list of commits, which the rows' commit numbers index."""
    return hashlib.sha1("\n".join(commit for commit, _ in commits).encode()).hexdigest()


class ClaimDigests:
    """What a claim's story depends on in the history and the sources, as two digests."""

    def __init__(self, index: HistoryIndex, sources: SourceCache):
        self.index, self.sources = index, sources
        self._signatures: dict[str | None, str] = {}

    def signature(self, source_id: str | None) -> str:
        if source_id not in self._signatures:
            fields = self.sources.fields(source_id)
            self._signatures[source_id] = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return self._signatures[source_id]

    def of(self, claim_id: str) -> tuple[str, str]:
        """(digest of the claim's rows, digest of the metadata of the sources they cite);
        taken before the rows are (take_claim_rows lets go of their encoding)."""
        index = self.index
        start, count = index.spans.get(claim_id, (0, 0))
        versions = hashlib.sha1(b"\n".join(index.lines[start : start + count])).hexdigest()
        cites = sorted({c for c in index.cites[start : start + count] if c is not None})
        cited = hashlib.sha1()
        for source_id in cites:
            cited.update(f"{source_id}\0{self.signature(source_id)}\n".encode())
        return versions, cited.hexdigest()


class StoryCache:
    """The stories kept for one history; `told` answers from them or tells the story."""

    def __init__(self, index: HistoryIndex, sources: SourceCache, store: Store, root: str):
        from .check_cache import code_digest
        from .types.vocabulary import fingerprint

        self.store = store
        self.key = {"root": root, "code": code_digest(), "vocabulary": fingerprint()}
        self.digests = ClaimDigests(index, sources)
        self.listed = {"commits": len(index.commits), "listed": commits_digest(index.commits)}
        self.entries: dict[str, list] = {}  # claim id -> [digest, line of its entry]
        self.lines: list[bytes] = []
        self.kept: dict[str, tuple[str, bytes]] = {}  # claim id -> (digest, entry): to write
        self.changed = False
        found = store.read(STORIES_FILE, self.key)
        if found is not None:
            try:
                header, body = found
                known = int(header["commits"])
                # Rows name commits by number: entries hold while those commits are listed
                # the same (a history extended by new commits keeps its first numbers).
                if header["listed"] == commits_digest(index.commits[:known]):
                    lines = body.split(b"\n")
                    self.entries = json.loads(lines[0])
                    self.lines = lines[1:]
            except (ValueError, KeyError, TypeError, IndexError):
                self.entries, self.lines = {}, []
        self.changed = set(self.entries) != set(index.spans)

    def told(self, claim_id: str, digest: str, readings: list[Version]) -> Story:
        """The claim's story: from its entry where the digest is the same, else told (and
        kept where the entry gives it back exactly)."""
        entry = self.entries.get(claim_id)
        if entry is not None and entry[0] == digest:
            try:
                line = self.lines[entry[1]]
                story = from_entry(claim_id, json.loads(line), readings)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError):
                story = None
            if story is not None:
                self.kept[claim_id] = (digest, line)
                return story
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
        if not self.changed:
            return
        entries, lines = {}, []
        for claim_id, (digest, line) in self.kept.items():
            entries[claim_id] = [digest, len(lines)]
            lines.append(line)
        head = json.dumps(entries, ensure_ascii=False).encode()
        self.store.write(STORIES_FILE, self.key, b"\n".join([head, *lines]),
                         written_ns=time.time_ns(), **self.listed)  # fmt: skip


def to_line(story: Story) -> bytes | None:
    """A story's entry, encoded: None where something in it has no JSON form."""
    versions = []
    for version in story.versions:
        reading = story.readings[version.order].__dict__
        changed = {}
        for name, value in version.__dict__.items():
            if value != reading.get(name):
                changed[name] = [e.order for e in value] if name == EDITS else value
        versions.append([version.order, changed])
    standing = story.standing
    groups = [[g.value, g.kind, list(g.sources)] for g in standing.groups]
    entry = {"versions": versions, "standing": [standing.state, standing.kind, standing.value,
                                                groups]}  # fmt: skip
    try:
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return None


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
    state, kind, value, groups = entry["standing"]
    standing = Standing(state, kind, value, tuple(Group(v, k, tuple(s)) for v, k, s in groups))
    return Story(claim_id, versions, list(readings), standing)


def each_story(repo, git, sources: SourceCache | None = None) -> Iterator[Story]:
    """Every claim's story, one claim at a time in claim id order (each claim's readings read
    as history.each_history reads them), from the stories kept where the claim's inputs are
    unchanged, else told; the stories kept are written back at the end."""
    from .history import _versions, history_index, source_cache

    sources = sources or source_cache(repo, git)
    index = history_index(repo, git, sources)
    store = sources.store
    cache = StoryCache(index, sources, store, str(repo.root)) if store is not None else None
    for claim_id in index.claim_ids():
        if cache is None:
            yield build_story(claim_id, _versions(index, claim_id, sources, take=True))
            continue
        versions_digest, sources_digest = cache.digests.of(claim_id)
        readings = _versions(index, claim_id, sources, take=True)
        yield cache.told(claim_id, f"{versions_digest} {sources_digest}", readings)
    sources.save()
    if cache is not None:
        cache.save()
