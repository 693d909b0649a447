"""A disposable cache under git's own directory: what reading every claim's history costs most.

`<git dir>/claims-cache/` (each worktree's own git directory: worktrees on different branches
keep their own) holds these files, each a header line and a body:

- `history.jsonl`: every version of every claim as parsed from its blob, keyed by the HEAD
  commit (which fixes every version reachable from it) and the shallow boundary;
- `summary.json`: per claim, whether it is contested, with the publication dates it was
  worked out from, keyed like the history;
- `sources.json`: each source's parsed metadata, keyed by its file's stat data the way git's
  index keys the work tree, and not trusted for a file changed just before it was written;
- `seeds.json`: the listing of seeds/, keyed by the stat data of its folders.

The header names the format, the version of claimkit that wrote the file, the key and the
SHA-1 of the body. A file that is missing, stale, written by another version, changed by hand
or unreadable is ignored and rebuilt from git and the work tree, which stay the truth: the
cache only ever saves work. Nothing is written to a read-only repository, and CLAIMS_CACHE=0
turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import __version__
from .files import atomic_write

FORMAT = 2  # 2: claim rows hold also and superseded_by
FOLDER = "claims-cache"
# A file whose stat data is this close to the moment the cache was written may have changed
# again within the same timestamp: it is read again rather than trusted (git's racy-clean rule).
RACY_NS = 2_000_000_000


def enabled() -> bool:
    return os.environ.get("CLAIMS_CACHE", "1").strip().lower() not in ("0", "false", "no")


class Store:
    """The cache folder of one repository; every failure to read or write is a cache miss."""

    def __init__(self, git_dir: Path):
        self.folder = git_dir / FOLDER

    def path(self, name: str) -> Path:
        return self.folder / name

    def read(self, name: str, key: dict) -> tuple[dict, bytes] | None:
        """(header, body) of a cache file written with `key`, its body intact; else None."""
        found = self.read_stale(name)
        if found is None or found[0].get("key") != key:
            return None
        return found

    def read_stale(self, name: str) -> tuple[dict, bytes] | None:
        """(header, body) of a cache file whatever its key, its body intact; else None."""
        if not enabled():
            return None
        try:
            data = self.path(name).read_bytes()
            end = data.index(b"\n")
            header = json.loads(data[:end])
            body = data[end + 1 :]
            if (
                header.get("format") != FORMAT
                or header.get("tool") != __version__
                or header.get("sha1") != hashlib.sha1(body).hexdigest()
            ):
                return None
        except (OSError, ValueError, AttributeError):
            return None
        return header, body

    def write(self, name: str, key: dict, body: bytes, **extra: Any) -> bool:
        """Replace a cache file atomically; False (and nothing written) where that cannot be."""
        if not enabled():
            return False
        header = {"format": FORMAT, "tool": __version__, "key": key, **extra,
                  "sha1": hashlib.sha1(body).hexdigest()}  # fmt: skip
        try:
            if not self.folder.is_dir():
                if not os.access(self.folder.parent, os.W_OK | os.X_OK):
                    return False
                self.folder.mkdir(exist_ok=True)
            elif not os.access(self.folder, os.W_OK | os.X_OK):
                return False
            _replace(self.path(name), json.dumps(header).encode() + b"\n" + body)
        except OSError:
            return False
        return True

    def writable(self) -> bool:
        if not enabled():
            return False
        folder = self.folder if self.folder.is_dir() else self.folder.parent
        return os.access(folder, os.W_OK | os.X_OK)

    def clear(self) -> list[str]:
        """Remove the cache files (every file in the folder: it is the cache's own); return
        their names."""
        removed = []
        if self.folder.is_dir():
            for path in sorted(self.folder.iterdir()):
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(path.name)
        return removed


def _replace(path: Path, data: bytes) -> None:
    """Not flushed to disk first, unlike a claim file: a cache lost in a crash is only rebuilt."""
    atomic_write(path, data, durable=False)


def file_stat(path: Path) -> list[int] | None:
    """What says a file is unchanged: device, inode, size, modification and change times."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def trusted_stat(recorded: list[int] | None, current: list[int] | None, written_ns: int) -> bool:
    """Whether a file whose stat was `recorded` when the cache was written is unchanged now."""
    return (
        recorded is not None
        and recorded == current
        and max(recorded[3], recorded[4]) < written_ns - RACY_NS
    )
