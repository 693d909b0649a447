"""Reading and writing files safely: size limits, strict UTF-8, atomic replacement."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ConflictError, DataError, WriteFailed

MAX_FILE_BYTES = 1024 * 1024


def read_bytes(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a whole file, refusing one over `limit` bytes before reading it, and anything that
    is not a regular file (a FIFO would block the read forever, a device never end) before
    waiting on it: it is opened without blocking and looked at before it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb", closefd=True) as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                if stat.S_ISDIR(status.st_mode):
                    raise IsADirectoryError
                raise DataError(
                    display,
                    1,
                    1,
                    "not a regular file (a FIFO, socket or device); refused",
                    "file-type",
                )
            size = status.st_size
            if size > limit:
                raise DataError(
                    display, 1, 1, f"file is {size} bytes, over the {limit}-byte limit", "file-size"
                )
            # Read what fstat promised (asking for `limit` would allocate that much each time),
            # then anything a growing file added, up to where the old code stopped.
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(limit + 1 - len(data))
            return data
    except FileNotFoundError:
        raise DataError(display, 1, 1, "file not found", "file-missing") from None
    except IsADirectoryError:
        raise DataError(display, 1, 1, "is a directory, not a file", "file-missing") from None
    except OSError as err:
        raise DataError(display, 1, 1, f"cannot read: {err.strerror}", "file-unreadable") from None


def decode_utf8(data: bytes, display: str) -> str:
    """Decode strict UTF-8; name the line and column of the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise DataError(display, 1, 1, "starts with a UTF-8 byte-order mark; remove it", "encoding")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise DataError(
            display, line, column, f"invalid UTF-8 byte 0x{data[err.start]:02x}", "encoding"
        ) from None


def read_text(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> str:
    return decode_utf8(read_bytes(path, display, limit), display)


@contextmanager
def exclusive_lock(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` while the block runs; wait up to `timeout`.

    The kernel releases it when the process ends, however it ends, so a crash leaves no stale lock.
    """
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise WriteFailed(f"cannot take the write lock {path}: {err.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ConflictError(
                        f"{path}: another claims command has held this lock for {timeout:.0f}s; try again"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


@contextmanager
def replacing(path: Path, *, durable: bool = True) -> Iterator[Path]:
    """A temporary file beside `path` for the block to fill; renamed over `path` when the block
    succeeds (flushed to disk first if `durable`), removed when it fails.

    A reader sees the old file or the new one, never a half-written one.
    """
    import tempfile  # here: only writing needs it, and it costs a reading command's start-up

    _remove_leftovers(path)
    try:
        fd, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"
        )
    except OSError as err:
        raise _naming(err, path) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        # mkstemp's 0600 would hide the file from the rest of a group: keep the old mode.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except OSError as err:
        _remove(tmp)
        raise _naming(err, path) from None
    except BaseException:
        _remove(tmp)
        raise


def _remove_leftovers(path: Path) -> None:
    """Remove the temporary neighbours of `path` that writers killed mid-write left behind.

    Each is named `.NAME.PID.*.tmp`; one whose process is gone is removed, one whose process
    still runs is left to it. Left in claims/, such a file would make the tree read as changed.
    """
    import glob

    start = len(path.name) + 2
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = leftover.name[start:].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            _remove(leftover)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and belongs to someone else
        return True
    return True


def _naming(err: OSError, path: Path) -> OSError:
    """The error, naming the file being replaced rather than its temporary neighbour."""
    return type(err)(err.errno, err.strerror or str(err), str(path))


def _remove(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:  # a read-only folder: the temporary file was never made
        pass


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` atomically (see `replacing`)."""
    with replacing(path, durable=durable) as tmp:
        tmp.write_bytes(data)
