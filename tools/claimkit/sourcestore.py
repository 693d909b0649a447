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
import os
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
    """Entries read from their files this run, to be saved: in a temporary file, each found
    by its offset (kept, with its length, in one integer per source)."""

    def __init__(self):
        self._spool = None
        self._at: dict[str, int] = {}
        self._end = 0

    @property
    def count(self) -> int:
        return len(self._at)

    def add(self, source_id: str, entry: list) -> bool:
        """Keep an entry; False where it cannot be kept (nowhere to write it)."""
        line = json.dumps(entry, ensure_ascii=False).encode()
        if len(line) > 0xFFFFFF:
            return False  # too long to be found by its packed length: read it again instead
        try:
            if self._spool is None:
                self._spool = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
            if os.pwrite(self._spool.fileno(), line, self._end) != len(line):
                return False  # a full disk: read from its file again next time
        except OSError:
            return False
        self._at[source_id] = self._end << 24 | len(line)
        self._end += len(line)
        return True

    def _line(self, packed: int) -> bytes:
        length = packed & 0xFFFFFF
        return os.pread(self._spool.fileno(), length, packed >> 24)

    def get(self, source_id: str) -> list | None:
        packed = self._at.get(source_id)
        return None if packed is None else json.loads(self._line(packed))

    def __contains__(self, source_id: str) -> bool:
        return source_id in self._at

    def lines(self) -> Iterator[tuple[str, bytes]]:
        for source_id, packed in self._at.items():
            yield source_id, self._line(packed)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
        self._spool, self._at, self._end = None, {}, 0


def write_file(
    store: Store, name: str, key: dict, entries: Iterable[tuple[str, bytes]], **extra
) -> bool:
    """Write a sources cache file of `entries` (id, encoded entry; the first of an id wins)."""
    db = None
    try:
        db = sqlite3.connect("")
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
        if db is not None:
            db.close()
