"""A claim's versions, read from git, in the two clocks: published (story) and recorded (commits)."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from .cache import Store
from .cache import enabled as cache_enabled
from .compare import change_between, contradicts
from .dates import DateRange, parse_date_or_none
from .errors import DataError
from .files import MAX_FILE_BYTES, decode_utf8
from .gitio import EarlyFileLog, FileRevision, GitHistory
from .model import CLAIM_FIELDS, Claim, Source
from .repo import CLAIMS_DIR, ClaimsRepo, claim_from_document, claim_from_document_check
from .sources import SourceCache
from .types import vocabulary
from .yamlio import parse_mapping, prepare_parser

UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Version:
    """A claim file as of one commit, with its source's metadata from the working tree."""

    claim_id: str
    commit: str
    recorded: str
    path: str
    blob: str
    order: int  # commit order: 0 is the oldest version of this claim
    claim: Claim | None  # None where the file at that commit does not parse
    error: str | None = None
    source: Source | None = None
    change: str = ""
    detail: str = ""
    out_of_order: bool = False

    @property
    def published(self) -> DateRange | None:
        return self.source.published_range if self.source else None

    def published_key(self) -> dt.date:
        return self.source.published_key() if self.source else dt.date.max


def _claim_document(data: bytes, display: str):
    if len(data) > MAX_FILE_BYTES:
        raise DataError(
            display,
            1,
            1,
            f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit",
            "file-size",
        )
    return parse_mapping(decode_utf8(data, display), display, positions=False)


def parse_claim(data: bytes, display: str) -> Claim:
    """A claim from a file's bytes, with the same limits as a file on disk; DataError if not."""
    return claim_from_document(_claim_document(data, display))


def parse_claim_fields(data: bytes, display: str) -> tuple[list | None, str | None]:
    """parse_claim_blob's answer as the claim's fields (CLAIM_FIELDS order), without building
    the Claim: reading a whole history makes one per version."""
    try:
        doc = _claim_document(data, display)
        claim_from_document_check(doc)
    except DataError as err:
        return None, str(err)
    get = doc.data.get
    return [get(name) for name in CLAIM_FIELDS], None


def parse_claim_blob(data: bytes, display: str) -> tuple[Claim | None, str | None]:
    """Like parse_claim, but a version that does not parse is returned as its error."""
    try:
        return parse_claim(data, display), None
    except DataError as err:
        return None, str(err)


def claim_id_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def build_versions(
    claim_id: str, revisions: Iterable[FileRevision], blobs: dict[str, bytes], sources: SourceCache
) -> list[Version]:
    """Versions in commit order (oldest first) from revisions newest first; deletions dropped."""
    versions = []
    for order, rev in enumerate(r for r in reversed(list(revisions)) if r.blob):
        claim, error = parse_claim_blob(blobs[rev.blob], f"{rev.path}@{rev.commit[:12]}")
        source = sources.get(claim.source if claim else None)
        versions.append(
            Version(
                claim_id, rev.commit, rev.recorded, rev.path, rev.blob, order, claim, error, source
            )
        )
    return versions


def claim_versions(
    repo: ClaimsRepo,
    git: GitHistory,
    claim_id: str,
    sources: SourceCache | None = None,
    rev: str = "HEAD",
    early: EarlyFileLog | None = None,
) -> list[Version]:
    """One claim's versions in commit order: one path-limited log (perhaps started `early`),
    blobs read in one batch."""
    path = repo.relative(repo.claim_path(claim_id))
    # Made ready before the log is read: while an early log runs, this costs nothing.
    if sources is None:  # a few sources: parsed here; only the listing of seeds/ is cached
        sources = SourceCache(repo, Store(git.git_dir) if cache_enabled() else None, False)
    prepare_parser()
    revisions = git.file_log(path, rev, early=early)
    blobs = git.read_blobs(r.blob for r in revisions if r.blob)
    versions = build_versions(claim_id, revisions, blobs, sources)
    sources.save()
    return versions


# Every claim's history at once ---------------------------------------------------------------

HISTORY_FILE = "history.jsonl"
SUMMARY_FILE = "summary.json"


def is_claim_file(path: str) -> bool:
    return (
        path.endswith(".yaml")
        and path.count("/") == 1
        and path.startswith(CLAIMS_DIR + "/")
        and not path.startswith(CLAIMS_DIR + "/_")  # declarations, not a claim
    )


ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass
class HistoryIndex:
    """Every claim's versions in commit order, as rows: from git, or from the cache.

    A row is [commit number, path, blob, claim fields (CLAIM_FIELDS order) or None, error or
    None]; rows read from the cache stay encoded until they are asked for, and `lines` keeps
    each row's encoding for writing the cache. `cites` holds each row's source id (None where
    unreadable or not a string) and `readable` whether it parsed, so that a listing needs no
    row it does not show.
    """

    key: dict
    commits: list[list[str]]  # [commit, recorded]
    spans: dict[str, tuple[int, int]]  # claim id -> (first row, number of rows)
    rows: list  # encoded (bytes) or decoded (list) rows
    lines: list[bytes]
    cites: list
    readable: str  # "1" or "0" per row

    def claim_ids(self) -> list[str]:
        return sorted(self.spans)

    def row(self, position: int) -> list:
        row = self.rows[position]
        if isinstance(row, bytes):
            row = self.rows[position] = json.loads(row)
        return row

    def decode_all(self) -> None:
        """Decode every row still encoded, in one pass of the JSON decoder (a whole history
        costs a fraction of decoding row by row)."""
        encoded = [p for p, row in enumerate(self.rows) if isinstance(row, bytes)]
        if encoded:
            decoded = json.loads(b"[" + b",".join(self.rows[p] for p in encoded) + b"]")
            for position, row in zip(encoded, decoded, strict=True):
                self.rows[position] = row

    def claim_rows(self, claim_id: str) -> list[list]:
        start, count = self.spans.get(claim_id, (0, 0))
        return [self.row(position) for position in range(start, start + count)]

    def encode(self) -> bytes:
        head = {"commits": self.commits, "spans": self.spans, "cites": self.cites,
                "readable": self.readable}  # fmt: skip
        return b"\n".join([ROW_ENCODER.encode(head).encode(), *self.lines])

    @classmethod
    def decode(cls, key: dict, body: bytes) -> HistoryIndex:
        lines = body.split(b"\n")
        head = json.loads(lines[0])
        spans = {claim_id: tuple(span) for claim_id, span in head["spans"].items()}
        rows = lines[1:]
        if len(rows) != len(head["cites"]) or len(rows) != len(head["readable"]):
            raise ValueError("cache rows do not match their index")
        return cls(key, head["commits"], spans, list(rows), rows, head["cites"], head["readable"])

    @classmethod
    def from_rows(cls, key: dict, commits: list, by_claim: dict[str, list]) -> HistoryIndex:
        """From (row, encoded row, cited source, readable) by claim, in commit order."""
        spans, entries = {}, []
        for claim_id in sorted(by_claim):
            spans[claim_id] = (len(entries), len(by_claim[claim_id]))
            entries.extend(by_claim[claim_id])
        rows, lines, cites, readable = (list(column) for column in zip(*entries, strict=True)) \
            if entries else ([], [], [], [])  # fmt: skip
        return cls(key, commits, spans, rows, lines, cites, "".join(readable))


def history_key(repo: ClaimsRepo, git: GitHistory) -> dict:
    from .cache import repository_state

    return {
        "head": git.head, "prefix": git.prefix, "shallow": git.shallow_boundary(),
        **repository_state(git),
    }  # fmt: skip


def history_index(repo: ClaimsRepo, git: GitHistory, sources: SourceCache) -> HistoryIndex:
    """Every claim's versions: from the cache when it holds them for HEAD, else from git.

    From git, history is read in one pass (`git log --raw -- claims/` and one cat-file over
    the blobs it names) while the sources are loaded; when the cache holds the history of an
    ancestor that HEAD extends without merges, only the commits since are read. Either way
    the result is written back to the cache.
    """
    key = history_key(repo, git)
    store = sources.store
    if store is not None and (found := store.read(HISTORY_FILE, key)) is not None:
        try:
            return HistoryIndex.decode(key, found[1])
        except (ValueError, KeyError, TypeError, IndexError):
            pass
    base = _extendable_base(store, key, git) if store is not None else None
    # The sources are read while git walks the history: by another process that fills their
    # cache where there are many and a second core (forked before any thread starts), here
    # otherwise.
    warming = _warm_sources_elsewhere(sources, git)
    stream = git.stream_tree_log(
        CLAIMS_DIR, keep=is_claim_file, since=base.key["head"] if base else None
    )
    if warming is None:
        sources.preload()
    commits = base.commits if base else []
    numbers = {commit: number for number, (commit, _) in enumerate(commits)}
    new_rows: dict[str, list] = {}
    encode = ROW_ENCODER.encode
    for revision, data in stream:
        if data is None:
            continue  # a deletion: not a version
        number = numbers.get(revision.commit)
        if number is None:
            number = numbers[revision.commit] = len(commits)
            commits.append([revision.commit, revision.recorded])
        fields, error = parse_claim_fields(data, f"{revision.path}@{revision.commit[:12]}")
        row = [number, revision.path, revision.blob, fields, error]
        # Encoded now, for the cache, while git is still producing the next ones.
        cite = fields[6] if fields and isinstance(fields[6], str) else None
        entry = (row, encode(row).encode(), cite, "1" if fields else "0")
        new_rows.setdefault(claim_id_of(revision.path), []).append(entry)
    by_claim: dict[str, list] = {}
    if base:
        for claim_id, (start, count) in base.spans.items():
            by_claim[claim_id] = [
                (base.rows[p], base.lines[p], base.cites[p], base.readable[p])
                for p in range(start, start + count)
            ]
    for claim_id, rows in new_rows.items():
        by_claim.setdefault(claim_id, []).extend(reversed(rows))
    index = HistoryIndex.from_rows(key, commits, by_claim)
    if store is not None:
        store.write(HISTORY_FILE, key, index.encode())
    if warming is not None:
        warming()
    return index


# Below this many commits (about as many sources, one article a commit), reading the sources
# here costs less than starting another process to read them.
PARALLEL_MIN_COMMITS = 2000


def _warm_sources_elsewhere(sources: SourceCache, git: GitHistory):
    """Fork a process that walks seeds/ and reads every source into the cache; return what
    waits for it and then takes the sources up from the cache (or reads them here if it
    failed). None where that does not pay or cannot be done: no fork, one core, threads
    already running, no writable cache, sources mostly cached, or a short history."""
    store = sources.store
    graph = git.commit_graph() if store is not None else None
    if (
        store is None
        or not hasattr(os, "fork")
        or (os.cpu_count() or 1) < 2
        or threading.active_count() > 1
        or not store.writable()
        or sources.cached_count() >= PARALLEL_MIN_COMMITS
        or graph is None
        or graph.commits < PARALLEL_MIN_COMMITS
    ):
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: fill the cache, and leave without running anything else
        code = 1
        try:
            sources.preload()
            sources.save()
            code = 0
        finally:
            os._exit(code)

    def finish() -> None:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 1
        if status == 0:
            sources.reload()  # what the cache lacks is still read on demand
        else:
            sources.preload()

    return finish


def _extendable_base(store: Store, key: dict, git: GitHistory) -> HistoryIndex | None:
    """The cached history of an earlier HEAD that the current one extends without merges."""
    found = store.read_stale(HISTORY_FILE)
    if found is None or git.head is None:
        return None
    header, body = found
    old = header.get("key") or {}
    if (
        not isinstance(old.get("head"), str)
        or {**old, "head": key["head"]} != key
        or not git.extends_linearly(old["head"], git.head)
    ):
        return None
    try:
        return HistoryIndex.decode(old, body)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _versions(index: HistoryIndex, claim_id: str, sources: SourceCache) -> list[Version]:
    versions = []
    commits = index.commits
    for order, (number, path, blob, fields, error) in enumerate(index.claim_rows(claim_id)):
        claim = Claim(*fields) if fields is not None else None
        source = sources.get(claim.source) if claim else None
        commit, recorded = commits[number]
        versions.append(
            Version(claim_id, commit, recorded, path, blob, order, claim, error, source)
        )
    return versions


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a whole history is read.

    Reading builds hundreds of thousands of small objects and no reference cycles (freed, as
    ever, by reference counting), and the collector would scan them all, again and again, as
    they pile up: a tenth of the time of a cold read."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def source_cache(repo: ClaimsRepo, git: GitHistory) -> SourceCache:
    """A SourceCache backed by the repository's cache (when there is one to use)."""
    return SourceCache(repo, Store(git.git_dir) if cache_enabled() else None)


def all_versions(
    repo: ClaimsRepo, git: GitHistory, sources: SourceCache | None = None
) -> dict[str, list[Version]]:
    """Every claim's versions in commit order, from one pass of `git log --raw -- claims/`
    and one batch read of the blobs it names (or from the cache of that pass)."""
    with collector_paused():
        sources = sources or source_cache(repo, git)
        index = history_index(repo, git, sources)
        index.decode_all()
        sources.decode_all()
        histories = {c: _versions(index, c, sources) for c in index.claim_ids()}
        sources.save()
    return histories


@dataclass(frozen=True)
class Overview:
    """One claim in a listing: its versions in history, whether contested, and (for a date)
    the claim as of that date."""

    claim_id: str
    versions: int
    contested: bool
    as_of: Claim | None = None


def overview(repo: ClaimsRepo, git: GitHistory, day: dt.date | None = None) -> dict[str, Overview]:
    """Every claim with history: count, contested and (with `day`) its state as of `day`.

    Whether a claim is contested depends on its versions and on when their sources were
    published; the cache keeps the answer with those dates and uses it while they hold, so
    a repeated listing builds only the versions it shows.
    """
    with collector_paused():
        return _overview(repo, git, day)


def _overview(repo: ClaimsRepo, git: GitHistory, day: dt.date | None) -> dict[str, Overview]:
    sources = source_cache(repo, git)
    index = history_index(repo, git, sources)
    store = sources.store
    summary: dict = {}
    # Whether a claim is contested also depends on the declared vocabulary (progressions,
    # aliases), which may change without a commit.
    summary_key = {**index.key, "vocabulary": vocabulary.fingerprint()}
    if store is not None and (found := store.read(SUMMARY_FILE, summary_key)) is not None:
        try:
            summary = json.loads(found[1])
        except ValueError:
            summary = {}
    changed = False
    result = {}
    published = sources.published
    for claim_id in index.claim_ids():
        start, count = index.spans[claim_id]
        dates = [published(index.cites[p]) for p in range(start, start + count)]
        memo = summary.get(claim_id)
        memo_holds = isinstance(memo, list) and len(memo) == 2 and memo[0] == dates
        contested = bool(memo[1]) if memo_holds else False
        bounds = [parse_date_or_none(date) for date in dates]
        keys = [b.sort_key() if b else dt.date.max for b in bounds]
        if not memo_holds:
            story = sorted(range(count), key=lambda order: (keys[order], order))
            contested = is_contested([index.row(start + order)[3] for order in story])
            summary[claim_id] = [dates, contested]
            changed = True
        chosen = None
        if day is not None:
            entries = [
                (keys[order], order, bounds[order], index.readable[start + order] == "1", order)
                for order in range(count)
            ]
            picked = _latest(entries, day)
            chosen = Claim(*index.row(start + picked)[3]) if picked is not None else None
        result[claim_id] = Overview(claim_id, count, contested, chosen)
    if changed and store is not None:
        summary = {claim_id: summary[claim_id] for claim_id in result}
        body = json.dumps(summary, ensure_ascii=False, separators=(",", ":")).encode()
        store.write(SUMMARY_FILE, summary_key, body)
    sources.save()
    return result


def _evolve(version: Version, **changes) -> Version:
    """`dataclasses.replace` for a Version, without re-running its checks and field lookups:
    annotating a long history makes one per version, and replace costs ten times as much."""
    evolved = object.__new__(Version)
    evolved.__dict__.update(version.__dict__, **changes)
    return evolved


def annotate(versions: list[Version], late: list[bool] | None = None) -> list[Version]:
    """Change kind of each version against the previous readable one, in the order given;
    with `late`, each version's recorded-out-of-order mark too."""
    annotated, previous = [], None
    for position, version in enumerate(versions):
        extra = {} if late is None else {"out_of_order": late[position]}
        if version.claim is None:
            annotated.append(
                _evolve(version, change=UNREADABLE, detail=version.error or "", **extra)
            )
            continue
        change = change_between(previous, version.claim)
        annotated.append(_evolve(version, change=change.kind, detail=change.detail, **extra))
        previous = version.claim
    return annotated


def story_order(versions: list[Version]) -> list[Version]:
    """Versions by their source's published date (lower bound; ties by commit order)."""
    return sorted(versions, key=lambda v: (v.published_key(), v.order))


def recorded_late(story: list[Version]) -> list[bool]:
    """For each version in story order: whether a version from a later-published source was
    recorded (committed) before it."""
    late = [False] * len(story)
    earliest_later = len(story)
    for position in range(len(story) - 1, -1, -1):
        late[position] = story[position].order > earliest_later
        earliest_later = min(earliest_later, story[position].order)
    return late


def chronological(versions: list[Version]) -> list[Version]:
    """Versions by their source's published date (lower bound; ties by commit order), annotated.

    A version is recorded out of order when a version from a later-published source was
    recorded (committed) before it.
    """
    story = story_order(versions)
    return annotate(story, recorded_late(story))


def is_contested(story: list[list | None]) -> bool:
    """Whether some version contradicts the readable one before it, or itself (`also`), in
    story order.

    `story`: each version's claim fields (CLAIM_FIELDS order), None where unreadable. The
    same answer as looking for a `contradicted` change in chronological(), without building
    the versions: a change is contradicted only between values of one type from different
    sources that compare as contradicted.
    """
    previous = None
    also = CLAIM_FIELDS.index("also")
    for fields in story:
        if fields is None:
            continue
        if len(fields) > also and fields[also]:
            return True  # a reading that contradicts itself
        if (
            previous is not None
            and previous[3] == fields[3]
            and previous[6] != fields[6]
            and contradicts(fields[3], previous[4], fields[4])
        ):
            return True
        previous = fields
    return False


def _latest(entries, date: dt.date):
    """The last payload, in story order, that is readable and published by `date`.

    entries: (published key, commit order, published range or None, readable, payload).
    """
    chosen = None
    for _, _, published, readable, payload in sorted(entries, key=lambda e: (e[0], e[1])):
        if readable and published and published.sort_key() <= date:
            chosen = payload
    return chosen


def as_of(versions: list[Version], date: dt.date) -> Version | None:
    """The latest version, in story order, whose source may have been published by `date`."""
    return _latest(
        ((v.published_key(), v.order, v.published, v.claim is not None, v) for v in versions), date
    )


def ordered(versions: list[Version], by: str = "published") -> list[Version]:
    """The story order (by published date) or the record order (by commit), annotated.

    Out-of-order marks always come from the story order: they say a version was recorded late.
    """
    story = story_order(versions)
    late = recorded_late(story)
    if by == "published":
        return annotate(story, late)
    late_by_order = {v.order: flag for v, flag in zip(story, late, strict=True)}
    return annotate(versions, [late_by_order[v.order] for v in versions])


def published_between(
    versions: list[Version], first: dt.date | None, last: dt.date | None
) -> list[Version]:
    return [
        v
        for v in versions
        if v.published
        and (first is None or v.published_key() >= first)
        and (last is None or v.published_key() <= last)
    ]
