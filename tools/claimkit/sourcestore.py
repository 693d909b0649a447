"""The sources cache file, read by id: each source's entry found on disk when asked for.

The body is one line of bucket offsets, then one line per source, `ID<tab>ENTRY` (ENTRY the
JSON list [file name, plain, stat, published, fields]), grouped in buckets by a hash of the
id. Finding a source reads its bucket (a few entries) by offset: the cache of 80,000 sources
is never held in memory, only the offsets of its buckets. The file is checked whole (its
HMAC, a chunk at a time) when opened, as every cache file is.

New entries wait in a temporary database on disk until they are saved, so that reading every
source (a cold read of the whole history) does not hold them all either.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator

from .cache import Opened, Store

PER_BUCKET = 8  # entries per bucket, on average


def bucket_of(source_id: str, buckets: int) -> int:
    return zlib.crc32(source_id.encode("utf-8", "surrogatepass")) % buckets


def storable(source_id: str) -> bool:
    """Whether an id can be a line's key (no tab, no line break)."""
    return "\t" not in source_id and "\n" not in source_id and "\r" not in source_id


class SourceFile:
    """An open, checked sources cache file: entries by id."""

    def __init__(self, opened: Opened):
        self.opened = opened
        head = opened.line()
        found = json.loads(head)
        offsets = found["offsets"]
        if not isinstance(offsets, list) or len(offsets) < 2:
            raise ValueError("no buckets")
        self.offsets = array("q", offsets)
        if any(b < a for a, b in zip(self.offsets, self.offsets[1:], strict=False)):
            raise ValueError("buckets out of order")
        self.start = len(head) + 1
        if self.offsets[0] != 0 or self.offsets[-1] != opened.body_size() - self.start:
            raise ValueError("buckets do not cover the entries")
        self.written = int(opened.header["written_ns"])

    def entry(self, source_id: str) -> list | None:
        """A source's entry [name, plain, stat, published, fields], or None."""
        if not storable(source_id):
            return None
        number = bucket_of(source_id, len(self.offsets) - 1)
        first, end = self.offsets[number], self.offsets[number + 1]
        if end == first:
            return None
        block = b"\n" + self.opened.read(self.start + first, end - first - 1)
        key = b"\n" + source_id.encode("utf-8", "surrogatepass") + b"\t"
        at = block.find(key)
        if at < 0:
            return None
        at += len(key)
        stop = block.find(b"\n", at)
        entry = json.loads(block[at : stop if stop >= 0 else len(block)])
        if not isinstance(entry, list) or len(entry) != 5:
            raise ValueError("not a source entry")
        return entry

    def lines(self) -> Iterator[tuple[str, bytes]]:
        """Every (id, encoded entry) in the file, read a line at a time."""
        handle = self.opened.handle
        handle.seek(self.opened.body_start + self.start)
        for line in handle:
            key, tab, entry = line.rstrip(b"\n").partition(b"\t")
            if tab:
                yield key.decode("utf-8", "surrogatepass"), entry

    def close(self) -> None:
        self.opened.close()


def open_file(store: Store, name: str, key: dict) -> SourceFile | None:
    found = store.open(name, key)
    if found is None:
        return None
    try:
        return SourceFile(found)
    except (ValueError, KeyError, TypeError, IndexError, OSError):
        found.close()
        return None


class Fresh:
    """Entries read from their files this run, to be saved: in a temporary database."""

    def __init__(self):
        self._db: sqlite3.Connection | None = None
        self.count = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self._db = sqlite3.connect("")  # on disk, private, removed when closed
                self._db.execute("CREATE TABLE fresh (id TEXT PRIMARY KEY, entry BLOB)")
            except sqlite3.Error:
                self._db = sqlite3.connect(":memory:")
                self._db.execute("CREATE TABLE fresh (id TEXT PRIMARY KEY, entry BLOB)")
        return self._db

    def add(self, source_id: str, entry: list) -> None:
        line = json.dumps(entry, ensure_ascii=False).encode()
        try:
            self._connection().execute(
                "INSERT OR REPLACE INTO fresh VALUES (?, ?)", (source_id, line)
            )
        except sqlite3.Error:
            return  # nowhere to keep it: read from its file again next time
        self.count += 1

    def get(self, source_id: str) -> list | None:
        if not self.count:
            return None
        found = self._connection().execute("SELECT entry FROM fresh WHERE id = ?", (source_id,))
        row = found.fetchone()
        return None if row is None else json.loads(row[0])

    def __contains__(self, source_id: str) -> bool:
        if not self.count:
            return False
        found = self._connection().execute("SELECT 1 FROM fresh WHERE id = ?", (source_id,))
        return found.fetchone() is not None

    def lines(self) -> Iterator[tuple[str, bytes]]:
        if self.count:
            yield from self._connection().execute("SELECT id, entry FROM fresh")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self.count = None, 0


def write_file(
    store: Store, name: str, key: dict, entries: Iterable[tuple[str, bytes]], **extra
) -> bool:
    """Write a sources cache file of `entries` (id, encoded entry; the first of an id wins)."""
    db = sqlite3.connect("")
    try:
        db.execute("CREATE TABLE out (id TEXT PRIMARY KEY, entry BLOB)")
        db.executemany(
            "INSERT OR IGNORE INTO out VALUES (?, ?)",
            ((i, e) for i, e in entries if storable(i)),
        )
        count = db.execute("SELECT COUNT(*) FROM out").fetchone()[0]
        buckets = max(1, count // PER_BUCKET)
        db.create_function("bucket", 1, lambda i: bucket_of(i, buckets), deterministic=True)
        offsets = [0] * (buckets + 1)
        with tempfile.TemporaryFile() as spool:
            offset, number = 0, 0
            for bucket, source_id, entry in db.execute(
                "SELECT bucket(id) AS b, id, entry FROM out ORDER BY b"
            ):
                while number < bucket:
                    number += 1
                    offsets[number] = offset
                line = source_id.encode("utf-8", "surrogatepass") + b"\t" + entry + b"\n"
                spool.write(line)
                offset += len(line)
            while number < buckets:
                number += 1
                offsets[number] = offset
            spool.flush()
            head = json.dumps({"offsets": offsets}, separators=(",", ":")).encode()
            return store.write_spooled(name, key, head, spool, **extra)
    except (OSError, sqlite3.Error):
        return False
    finally:
        db.close()
