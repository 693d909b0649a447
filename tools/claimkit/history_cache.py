"""The history cache: every claim's readings as parsed rows, read a claim at a time.

A row is [commit, recorded, path, blob, claim fields (CLAIM_FIELDS order) or None, error or
None]. The cache file's body is one line of spans (each claim's rows: their offset, length
and number in the rest of the body) and then every row, a line each, claim by claim in claim
id order and each claim's in commit order. The file is checked whole a chunk at a time and
then read by offset, one claim's rows when that claim is asked for, so that reading every
claim's history holds one claim's rows at a time, never the whole history.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from array import array

from .cache import Opened, Store
from .claimfile import claim_id_of, is_claim_file, parse_claim_fields  # noqa: F401
from .gitio import GitSession
from .model import CLAIM_FIELDS
from .repo import CLAIMS_DIR, ClaimsRepo
from .sources import SourceCache

SOURCE_FIELD = CLAIM_FIELDS.index("source")
FIELDS_AT = 4  # a row's claim fields

HISTORY_FILE = "history.jsonl"


ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class HistoryIndex:
    """Every claim's versions in commit order, as rows: from the cache file, or from the
    temporary file a read of git wrote them to; read by offset, claim by claim.

    `spans` maps each claim id to [offset, length, number of rows] of its rows.
    """

    def __init__(self, key: dict, spans: dict[str, list[int]], read, closing=None):
        self.key, self.spans, self._read, self._closing = key, spans, read, closing
        # The last claim asked for, its lines and rows: its digest, the sources it cites and
        # its versions are all asked of the same claim, one after another.
        self._last: tuple[str, list[bytes], list | None] = ("", [], None)

    def claim_ids(self) -> list[str]:
        return sorted(self.spans)

    def claim_lines(self, claim_id: str) -> list[bytes]:
        """A claim's rows as they are encoded, in commit order."""
        if self._last[0] == claim_id:
            return self._last[1]
        span = self.spans.get(claim_id)
        if not span or not span[2]:
            return []
        lines = self._read(span[0], span[1]).split(b"\n")
        if len(lines) != span[2]:
            raise ValueError(f"the rows of {claim_id} do not match their index")
        self._last = (claim_id, lines, None)
        return lines

    def claim_rows(self, claim_id: str) -> list[list]:
        """A claim's rows, decoded in one pass of the JSON decoder (not to be changed: the
        last claim's are kept for the next question about it)."""
        lines = self.claim_lines(claim_id)
        if self._last[0] == claim_id and self._last[2] is not None:
            return self._last[2]
        rows = json.loads(b"[" + b",".join(lines) + b"]") if lines else []
        if self._last[0] == claim_id:
            self._last = (claim_id, lines, rows)
        return rows

    def claim_cites(self, claim_id: str) -> set[str]:
        """The source ids a claim's readable rows cite."""
        return {
            row[FIELDS_AT][SOURCE_FIELD]
            for row in self.claim_rows(claim_id)
            if row[FIELDS_AT] and isinstance(row[FIELDS_AT][SOURCE_FIELD], str)
        }

    def close(self) -> None:
        if self._closing is not None:
            self._closing.close()
            self._closing = None

    @classmethod
    def opened(cls, key: dict, found: Opened) -> HistoryIndex:
        """From a cache file whose HMAC held; ValueError where its body is not one."""
        head = found.line()
        spans = json.loads(head)["spans"]
        if not isinstance(spans, dict) or not all(
            isinstance(span, list) and len(span) == 3 and all(type(n) is int for n in span)
            for span in spans.values()
        ):
            raise ValueError("cache spans are not spans")
        start = len(head) + 1
        # The spans tile the rows exactly (each row ends in a newline), or this is no index.
        at = 0
        for offset, length, count in sorted(spans.values()):
            if offset != at or length < 0 or count < 1:
                raise ValueError("cache spans do not tile its rows")
            at = offset + length + 1
        if at != found.body_size() - start:
            raise ValueError("cache spans do not cover its rows")
        return cls(key, spans, lambda offset, length: found.read(start + offset, length), found)


def _spool_rows(claims_rows, on_disk: bool = True) -> tuple[dict[str, list[int]], object]:
    """Write (claim id, encoded row) pairs, in claim order, to a temporary file (or, not
    `on_disk`, to memory); their spans."""
    spool = tempfile.TemporaryFile() if on_disk else io.BytesIO()  # noqa: SIM115
    spans: dict[str, list[int]] = {}
    offset, current, span = 0, None, None
    for claim_id, line in claims_rows:
        if claim_id != current:
            if span is not None:
                span[1] = offset - span[0] - 1
            current, span = claim_id, [offset, 0, 0]
            spans[claim_id] = span
        spool.write(line + b"\n")
        offset += len(line) + 1
        span[2] += 1
    if span is not None:
        span[1] = offset - span[0] - 1
    spool.flush()
    return spans, spool


def history_key(git: GitSession) -> dict:
    from .cache import repository_state

    return {
        "head": git.head, "prefix": git.prefix, "shallow": git.shallow_boundary(),
        **repository_state(git),
    }  # fmt: skip


def history_index(repo: ClaimsRepo, git: GitSession, sources: SourceCache) -> HistoryIndex:
    """Every claim's versions: from the cache when it holds them for HEAD, else from git.

    From git, history is read in one pass (`git log --raw -- claims/` and one cat-file over
    the blobs it names) while the sources are loaded; when the cache holds the history of an
    ancestor that HEAD extends without merges, only the commits since are read. Either way
    the result is written back to the cache.
    """
    key = history_key(git)
    store = sources.store
    found = _cached(store, key)
    if found is not None:
        return found
    base = _extendable_base(store, key, git) if store is not None else None
    return _read_history(repo, git, sources, key, base)


def _cached(store: Store | None, key: dict) -> HistoryIndex | None:
    if store is not None and (found := store.open(HISTORY_FILE, key)) is not None:
        try:
            return HistoryIndex.opened(key, found)
        except (ValueError, KeyError, TypeError, IndexError, OSError):
            found.close()
    return None


def cached_history_index(repo: ClaimsRepo, git: GitSession, store: Store) -> HistoryIndex | None:
    """history_index, only where the cache holds HEAD's history or that of an ancestor HEAD
    extends without merges (then only the commits since are read); else None, and nothing
    read: for questions about a few claims, which their own logs answer sooner."""
    key = history_key(git)
    found = _cached(store, key)
    if found is not None:
        return found
    base = _extendable_base(store, key, git)
    if base is None:
        return None
    from .sources import SourceCache

    # The sources' cache is not needed to read versions: they are looked up by their reader.
    return _read_history(repo, git, SourceCache(repo, store, False), key, base, preload=False)


def _read_history(
    repo: ClaimsRepo,
    git: GitSession,
    sources: SourceCache,
    key: dict,
    base: HistoryIndex | None,
    preload: bool = True,
) -> HistoryIndex:
    try:
        return _read_spilled(git, sources, key, base, preload, on_disk=True)
    except OSError:
        # Nowhere to spill (a full disk): read again, holding the rows in memory.
        return _read_spilled(git, sources, key, base, preload, on_disk=False)


def _read_spilled(git, sources, key, base, preload: bool, on_disk: bool) -> HistoryIndex:
    """Read the history from git, each row written to a temporary file as it comes (or, not
    `on_disk`, kept in memory) with only its place kept, then put in order claim by claim."""
    store = sources.store
    # The sources are read while git walks the history.
    stream = git.stream_tree_log(
        CLAIMS_DIR, keep=is_claim_file, since=base.key["head"] if base else None
    )
    if preload:
        sources.preload()
    encode = ROW_ENCODER.encode
    spill = tempfile.TemporaryFile() if on_disk else io.BytesIO()  # noqa: SIM115
    places: dict[str, array] = {}  # claim id -> offset, length of each row, newest first
    end = 0
    try:
        for revision, data in stream:
            if data is None:
                continue  # a deletion: not a version
            where = f"{revision.path}@{revision.commit[:12]}"
            fields, error = parse_claim_fields(data, where)
            row = [revision.commit, revision.recorded, revision.path, revision.blob, fields, error]
            line = encode(row).encode()
            spill.write(line)
            claim_id = claim_id_of(revision.path)
            found = places.get(claim_id)
            if found is None:
                found = places[claim_id] = array("q")
            found.append(end)
            found.append(len(line))
            end += len(line)
        spill.flush()

        def ordered():
            for claim_id in sorted(places.keys() | (base.spans.keys() if base else set())):
                if base is not None:
                    for line in base.claim_lines(claim_id):
                        yield claim_id, line
                found = places.get(claim_id, ())
                for at in range(len(found) - 2, -1, -2):  # git gives the newest first
                    yield claim_id, _pread(spill, found[at], found[at + 1])

        spans, spool = _spool_rows(ordered(), on_disk)
    finally:
        spill.close()
        if hasattr(stream, "close"):  # git's processes stopped, if not done
            stream.close()
    if base is not None:
        base.close()
    index = HistoryIndex(key, spans, lambda offset, length: _pread(spool, offset, length), spool)
    if store is not None:
        head = ROW_ENCODER.encode({"spans": spans}).encode()
        store.write_spooled(HISTORY_FILE, key, head, spool)
    return index


def _pread(spool, offset: int, length: int) -> bytes:
    if isinstance(spool, io.BytesIO):
        data = spool.getbuffer()[offset : offset + length].tobytes()
    else:
        data = os.pread(spool.fileno(), length, offset)
    if len(data) != length:
        raise ValueError("history rows cut short")
    return data


def _extendable_base(store: Store, key: dict, git: GitSession) -> HistoryIndex | None:
    """The cached history of an earlier HEAD that the current one extends without merges."""
    if git.head is None:
        return None
    found = store.open(HISTORY_FILE)
    if found is None:
        return None
    old = found.header.get("key") or {}
    if (
        not isinstance(old, dict)
        or not isinstance(old.get("head"), str)
        or {**old, "head": key["head"]} != key
        or not git.extends_linearly(old["head"], git.head)
    ):
        found.close()
        return None
    try:
        return HistoryIndex.opened(old, found)
    except (ValueError, KeyError, TypeError, IndexError, OSError):
        found.close()
        return None
