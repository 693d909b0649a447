"""A disposable cache under git's own directory: what reading every claim's history costs most.

`<git dir>/claims-cache/` (each worktree's own git directory: worktrees on different branches
keep their own) holds these files, each a header line and a body:

- `history.jsonl`: every version of every claim as parsed from its blob, keyed by the HEAD
  commit (which fixes every version reachable from it) and the shallow boundary; read a
  claim at a time by offset (history_cache.py);
- `sources.json`: each source's parsed metadata, keyed by its file's stat data the way git's
  index keys the work tree, and not trusted for a file changed just before it was written;
  each entry found by id on disk (sourcestore.py);
- `seeds.json`: the listing of seeds/, keyed by the stat data of its folders;
- `readings-<id>.json`: one claim's readings for `log`, `show` and `blame` (readings.py);
- `claim-blobs.json`: the claim files `diff` parsed, by blob id (parsedblobs.py);
- `check.json` and `story-findings.json`: what `claims check` found in each file and in each
  claim's story, keyed by what those findings depend on (check_cache.py, story_findings.py);
- `stories.jsonl`: each claim's story as `list`, `export` and `timeline` told it, kept per
  claim by a digest of its readings and its cited sources' metadata (storycache.py).

A large file is checked a chunk at a time (`Store.open`) and then read by offset, and
written from a temporary file (`Store.write_spooled`), so that it is never whole in memory.
The header names the format, the version of claimkit that wrote the file, the key and an
HMAC-SHA256 of header and body under a key of the user's own, outside every repository
(`$XDG_CACHE_HOME/claims/cache.key`, made on first use, mode 0600): a cache file written or edited
by anyone without that key (a repository handed over with a cache in it, a hand edit with a
recomputed checksum) is not the cache's and is rebuilt. The folder and its files are never
followed through a symbolic link, and only regular files are read. A file that is missing, stale, written by another version, changed by hand
or unreadable is ignored and rebuilt from git and the work tree, which stay the truth: the
cache only ever saves work. Nothing is written to a read-only repository, and CLAIMS_CACHE=0
turns the cache off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .files import atomic_write, replacing

FORMAT = 3  # 2: claim rows hold also and superseded_by; 3: history rows name their commit
FOLDER = "claims-cache"
# A file whose stat data is this close to the moment the cache was written may have changed
# again within the same timestamp: it is read again rather than trusted (git's racy-clean rule).
RACY_NS = 2_000_000_000


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of claimkit's code and schemas, as installed: part of the key of every
    cache whose entries the code computes (check results, stories)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(repr(sys.version_info[:2]).encode())
    for folder, subfolders, names in sorted(os.walk(package)):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".json")):
                digest.update(f"{os.path.relpath(folder, package)}/{name}\0".encode())
                with open(os.path.join(folder, name), "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()


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
        """(header, body) of a cache file whatever its key, written by this user's claims
        (its HMAC holds); else None."""
        if not enabled() or os.path.islink(self.folder):
            return None
        secret = user_key()
        if secret is None:
            return None
        try:
            data = _read_regular(self.path(name))
            end = data.index(b"\n")
            header = json.loads(data[:end])
            body = data[end + 1 :]
            if (
                not isinstance(header, dict)
                or header.get("format") != FORMAT
                or header.get("tool") != __version__
                or not hmac.compare_digest(str(header.get("mac")), _mac(secret, header, body))
            ):
                return None
        except (OSError, ValueError, AttributeError, TypeError):
            return None
        return header, body

    def open(self, name: str, key: dict | None = None) -> Opened | None:
        """A cache file (written with `key`, unless None) open for reading by offset, its
        HMAC checked a chunk at a time: a large file is never held whole; else None."""
        if not enabled() or os.path.islink(self.folder):
            return None
        secret = user_key()
        if secret is None:
            return None
        handle = None
        try:
            handle = _open_regular(self.path(name))
            header_line = handle.readline(1 << 20)
            header = json.loads(header_line)
            if (
                not isinstance(header, dict)
                or header.get("format") != FORMAT
                or header.get("tool") != __version__
                or (key is not None and header.get("key") != key)
            ):
                raise ValueError("not this cache's")
            digest = _mac_start(secret, header)
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            if not hmac.compare_digest(str(header.get("mac")), digest.hexdigest()):
                raise ValueError("changed")
        except (OSError, ValueError, AttributeError, TypeError):
            if handle is not None:
                handle.close()
            return None
        return Opened(header, handle, len(header_line))

    def write_spooled(self, name: str, key: dict, head: bytes, spool, **extra: Any) -> bool:
        """Write a cache file whose body is `head`, a newline and the whole of the open binary
        file `spool`, copied a chunk at a time (so a large body is never held whole)."""
        if not enabled():
            return False
        secret = user_key()
        if secret is None or not self.writable():
            return False
        header = {"format": FORMAT, "tool": __version__, "key": key, **extra}
        digest = _mac_start(secret, header)
        digest.update(head + b"\n")
        for chunk in _chunks(spool):
            digest.update(chunk)
        header["mac"] = digest.hexdigest()
        try:
            self.folder.mkdir(exist_ok=True)
            with replacing(self.path(name), durable=False) as tmp, open(tmp, "wb") as out:
                out.write(json.dumps(header).encode() + b"\n" + head + b"\n")
                for chunk in _chunks(spool):
                    out.write(chunk)
        except OSError:
            return False
        return True

    def write(self, name: str, key: dict, body: bytes, **extra: Any) -> bool:
        """Replace a cache file atomically; False (and nothing written) where that cannot be."""
        if not enabled():
            return False
        secret = user_key()
        if secret is None or os.path.islink(self.folder):
            return False  # never written through a link, nor without the user's key
        header = {"format": FORMAT, "tool": __version__, "key": key, **extra}
        header["mac"] = _mac(secret, header, body)
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
        if not enabled() or os.path.islink(self.folder) or user_key() is None:
            return False
        folder = self.folder if self.folder.is_dir() else self.folder.parent
        return os.access(folder, os.W_OK | os.X_OK)

    def clear(self) -> list[str]:
        """Remove the cache files (every file in the folder: it is the cache's own); return
        their names."""
        removed = []
        if os.path.islink(self.folder):
            # A link in the cache's place: removed itself; what it points at is not the cache's.
            self.folder.unlink()
            return [f"{FOLDER} (a symbolic link, removed without following it)"]
        if self.folder.is_dir():
            for path in sorted(self.folder.iterdir()):
                if path.is_symlink() or not path.is_dir():
                    path.unlink()  # a link is removed, never followed
                    removed.append(path.name)
        return removed

    def files(self) -> list[Path]:
        """The cache's files, none of them reached through a link."""
        if os.path.islink(self.folder) or not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if not p.is_symlink() and p.is_file())


# A cache file larger than this is not read (a history of a million versions is far smaller).
MAX_CACHE_BYTES = 1 << 30


def _read_regular(path: Path) -> bytes:
    """A regular file's bytes, refusing a link, a FIFO or a device without waiting on it."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with open(fd, "rb", closefd=True) as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_CACHE_BYTES:
            raise ValueError("not a cache file")
        return handle.read(status.st_size + 1)


def _open_regular(path: Path):
    """A regular file open for reading, refusing a link, a FIFO or a device without waiting."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    handle = open(fd, "rb", closefd=True)  # noqa: SIM115  (handed to the caller)
    status = os.fstat(handle.fileno())
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_CACHE_BYTES:
        handle.close()
        raise ValueError("not a cache file")
    return handle


class Opened:
    """A cache file whose HMAC held, open: its header, and its body read by offset (the file
    stays the one checked, whatever replaces its name meanwhile)."""

    def __init__(self, header: dict, handle, body_start: int):
        self.header, self.handle, self.body_start = header, handle, body_start

    def read(self, offset: int, length: int) -> bytes:
        """`length` bytes of the body from `offset`; ValueError where the file is shorter."""
        data = os.pread(self.handle.fileno(), length, self.body_start + offset)
        if len(data) != length:
            raise ValueError("cache file cut short")
        return data

    def body_size(self) -> int:
        return os.fstat(self.handle.fileno()).st_size - self.body_start

    def line(self, offset: int = 0, limit: int = MAX_CACHE_BYTES) -> bytes:
        """The body's line from `offset`, without its newline."""
        self.handle.seek(self.body_start + offset)
        return self.handle.readline(limit).rstrip(b"\n")

    def close(self) -> None:
        self.handle.close()


def _chunks(spool) -> Iterator[bytes]:
    spool.seek(0)
    while chunk := spool.read(1 << 20):
        yield chunk


def _mac_start(secret: bytes, header: dict):
    signed = {k: v for k, v in header.items() if k != "mac"}
    text = json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(secret, text + b"\n", hashlib.sha256)


def _mac(secret: bytes, header: dict, body: bytes) -> str:
    digest = _mac_start(secret, header)
    digest.update(body)
    return digest.hexdigest()


_KEY: list[bytes | None] = []


def user_key() -> bytes | None:
    """This user's cache key, made on first use; None (no cache) where it cannot be kept."""
    if _KEY:
        return _KEY[0]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "claims" / "cache.key"
    secret = None
    try:
        secret = _read_regular(path)
    except (OSError, ValueError):
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fresh = os.urandom(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with open(fd, "wb") as handle:
                handle.write(fresh)
            secret = fresh
        except FileExistsError:
            try:
                secret = _read_regular(path)
            except (OSError, ValueError):
                secret = None
        except OSError:
            secret = None
    if secret is not None and len(secret) < 32:
        secret = None  # another process is still writing it: no cache this time
    if secret is not None:
        _KEY.append(secret)
    return secret


def repository_state(git) -> dict:
    """What else a history read depends on besides HEAD: replace refs and grafts (which swap
    objects under every reader) and the environment that switches them."""
    refs = git.run("for-each-ref", "--format=%(refname) %(objectname)", "refs/replace/")
    try:
        grafts = hashlib.sha1(_read_regular(git.common_dir / "info" / "grafts")).hexdigest()
    except (OSError, ValueError):
        grafts = ""
    return {
        "replace": hashlib.sha1(refs.encode()).hexdigest() if refs else "",
        "grafts": grafts,
        "no_replace": os.environ.get("GIT_NO_REPLACE_OBJECTS", ""),
        "replace_base": os.environ.get("GIT_REPLACE_REF_BASE", ""),
    }


def _replace(path: Path, data: bytes) -> None:
    """Not flushed to disk first, unlike a claim file: a cache lost in a crash is only rebuilt."""
    atomic_write(path, data, durable=False)


def file_stat(path: Path) -> list[int] | None:
    """What says a file is unchanged: device, inode, size, modification and change times."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat_list(st)


def stat_list(st: os.stat_result) -> list[int]:
    """The stat data a cache keeps for a file (what trusted_stat compares): device, inode,
    size, modification and change times."""
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def trusted_stat(recorded: list[int] | None, current: list[int] | None, written_ns: int) -> bool:
    """Whether a file whose stat was `recorded` when the cache was written is unchanged now."""
    return (
        recorded is not None
        and recorded == current
        and max(recorded[3], recorded[4]) < written_ns - RACY_NS
    )
