"""The history cache: every claim's readings as parsed rows, from git or from the cache file.

A row is [commit number, path, blob, claim fields (CLAIM_FIELDS order) or None, error or None].
Rows stay encoded (as the cache holds them)
until they are asked for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .cache import Store
from .claimfile import claim_id_of, is_claim_file, parse_claim_fields  # noqa: F401
from .gitio import GitSession
from .model import CLAIM_FIELDS
from .repo import CLAIMS_DIR, ClaimsRepo
from .sources import SourceCache

SOURCE_FIELD = CLAIM_FIELDS.index("source")

HISTORY_FILE = "history.jsonl"


ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass
class HistoryIndex:
    """Every claim's versions in commit order, as rows: from git, or from the cache.

    A row is [commit number, path, blob, claim fields (CLAIM_FIELDS order) or None, error or
    None]; rows stay encoded until they are asked for, and `lines` keeps each row's encoding
    for writing the cache. `cites` holds each row's source id (None where
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
        _decode_in_place(self.rows)

    def claim_rows(self, claim_id: str) -> list[list]:
        start, count = self.spans.get(claim_id, (0, 0))
        return [self.row(position) for position in range(start, start + count)]

    def take_claim_rows(self, claim_id: str) -> list[list]:
        """A claim's rows, decoded in one pass, and let go of here (the index no longer holds
        them, encoded or not): reading every claim once, one at a time, then holds one
        claim's rows as objects, never the whole history."""
        start, count = self.spans.get(claim_id, (0, 0))
        rows, lines = self.rows, self.lines
        taken = rows[start : start + count]
        if any(row is None for row in taken):
            raise ValueError(f"the rows of {claim_id} were already taken")
        _decode_in_place(taken)
        for position in range(start, start + count):
            rows[position] = lines[position] = None
        return taken

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
        """From (encoded row, cited source, readable) by claim, in commit order."""
        spans, entries = {}, []
        for claim_id in sorted(by_claim):
            spans[claim_id] = (len(entries), len(by_claim[claim_id]))
            entries.extend(by_claim[claim_id])
        lines, cites, readable = (list(column) for column in zip(*entries, strict=True)) \
            if entries else ([], [], [])  # fmt: skip
        # Rows stay encoded until asked for, as when read from the cache: a whole history as
        # objects would be held from here to the last claim written.
        return cls(key, commits, spans, list(lines), lines, cites, "".join(readable))


def _decode_in_place(rows: list) -> None:
    """Decode the rows still encoded, in one pass of the JSON decoder."""
    encoded = [p for p, row in enumerate(rows) if isinstance(row, bytes)]
    if encoded:
        decoded = json.loads(b"[" + b",".join(rows[p] for p in encoded) + b"]")
        for position, row in zip(encoded, decoded, strict=True):
            rows[position] = row


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
    if store is not None and (found := store.read(HISTORY_FILE, key)) is not None:
        try:
            return HistoryIndex.decode(key, found[1])
        except (ValueError, KeyError, TypeError, IndexError):
            pass
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
    store = sources.store
    # The sources are read while git walks the history.
    stream = git.stream_tree_log(
        CLAIMS_DIR, keep=is_claim_file, since=base.key["head"] if base else None
    )
    if preload:
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
        row = [number, revision.path, revision.blob, fields, error]  # the ROW_* order
        # Encoded now, for the cache, while git is still producing the next ones.
        cite = fields[SOURCE_FIELD] if fields and isinstance(fields[SOURCE_FIELD], str) else None
        entry = (encode(row).encode(), cite, "1" if fields else "0")
        new_rows.setdefault(claim_id_of(revision.path), []).append(entry)
    by_claim: dict[str, list] = {}
    if base:
        for claim_id, (start, count) in base.spans.items():
            by_claim[claim_id] = [
                (base.lines[p], base.cites[p], base.readable[p])
                for p in range(start, start + count)
            ]
    for claim_id, rows in new_rows.items():
        by_claim.setdefault(claim_id, []).extend(reversed(rows))
    index = HistoryIndex.from_rows(key, commits, by_claim)
    if store is not None:
        store.write(HISTORY_FILE, key, index.encode())
    return index


def _extendable_base(store: Store, key: dict, git: GitSession) -> HistoryIndex | None:
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
