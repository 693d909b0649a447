"""The streaming reader: `git log --raw` and `git cat-file --batch` side by side, so that a
whole history's versions and blobs arrive while git is still walking it."""

from __future__ import annotations

import queue
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import RepoError
from .gitcommand import SAFE_OPTIONS, last_line, object_error
from .gitlog import FIRST_PARENT, LOG_FORMAT_NO_SUBJECT, RECORD, FileRevision

# git maps its pack files into memory in windows of up to a gigabyte and keeps up to 96 MB of
# delta bases, so that its resident memory grows with the repository (a whole history's log
# took 318 MB at 80,000 commits). Small windows and caches bound it (61 MB there) and cost the
# log nothing; cat-file, which reads blobs newest first against their delta bases, keeps a
# larger cache.
LOG_MEMORY = ("-c", "core.packedGitWindowSize=1m", "-c", "core.packedGitLimit=16m",
              "-c", "core.deltaBaseCacheLimit=4m")  # fmt: skip
CAT_MEMORY = ("-c", "core.packedGitWindowSize=1m", "-c", "core.packedGitLimit=32m",
              "-c", "core.deltaBaseCacheLimit=16m")  # fmt: skip


def stream_tree_log(
    self, folder: str, rev: str = "HEAD", keep=lambda path: True, since: str | None = None
) -> Iterator[tuple[FileRevision, bytes | None]]:
    """Every version of every file under `folder` (one `git log --raw`, newest first) and
    the blobs it names, as git produces them: (revision, bytes or None).

    `git log` and `git cat-file --batch` start at once and run side by side, fed and
    drained by two threads, so that the caller can do other work, then parse versions,
    while git is still walking history. `keep(path)` picks the files whose revisions and
    blobs are wanted; `since` limits the walk to commits after it.
    """
    revs = [rev] if since is None else [f"{since}..{rev}"]
    log = subprocess.Popen(
        ["git", *SAFE_OPTIONS, *LOG_MEMORY, "log", LOG_FORMAT_NO_SUBJECT, "--raw", "--no-abbrev", *FIRST_PARENT,
         "--no-ext-diff", "--no-textconv", "--no-renames", *revs, "--",
         self.repo_path(folder)],
        cwd=self.top, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self._env,
    )  # fmt: skip
    cat = subprocess.Popen(
        ["git", *SAFE_OPTIONS, *CAT_MEMORY, "cat-file", "--batch", "--buffer"],
        cwd=self.top, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, env=self._env,
    )  # fmt: skip
    pending: queue.SimpleQueue = queue.SimpleQueue()
    failure: list[str] = []

    def feed() -> None:
        """Parse the log as it comes; queue each revision, then ask cat-file for its blob."""
        try:
            rest = b""
            marker = RECORD.encode()
            while True:
                chunk = log.stdout.read1(1 << 16)
                if chunk:
                    complete, found, tail = (rest + chunk).rpartition(marker)
                    if not found:
                        rest = tail
                        continue
                    rest = marker + tail
                else:
                    complete, rest = rest, b""
                wanted = []
                for revision in self._parse_log(complete.decode("utf-8", "replace")):
                    if keep(revision.path):
                        pending.put(revision)
                        if revision.blob:
                            wanted.append(revision.blob)
                if wanted:
                    cat.stdin.write(("\n".join(wanted) + "\n").encode("ascii"))
                if not chunk:
                    break
            cat.stdin.close()
            stderr = log.stderr.read()
            if log.wait() != 0:
                failure.append(f"git log failed: {last_line(stderr) or log.returncode}")
        except (OSError, ValueError) as err:
            failure.append(f"git log failed: {err}")
        finally:
            pending.put(None)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    return _consume(log, cat, feeder, pending, _Drain(cat.stdout, self.top), failure)


def _consume(log, cat, feeder, pending, output, failure):
    try:
        while (revision := pending.get()) is not None:
            yield revision, output.blob(revision.blob) if revision.blob else None
    finally:
        for process in (log, cat):
            if process.poll() is None:
                process.kill()
        feeder.join()
        output.close()
        for process in (log, cat):
            process.wait()
            for stream in (process.stdout, process.stderr, process.stdin):
                if stream is not None:
                    stream.close()
    if failure:
        raise RepoError(failure[0])


class _Drain:
    """Reads a `git cat-file --batch` output in a thread as fast as git writes it, and hands
    out blobs in order: git never waits for the reader, the reader waits only for git."""

    def __init__(self, stream, cwd: Path | None = None):
        self._stream = stream
        self.cwd = cwd  # where to ask git why an object could not be read
        self._buffer = bytearray()
        self._start = 0
        self._done = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while chunk := self._stream.read1(1 << 20):
                with self._ready:
                    self._buffer += chunk
                    self._ready.notify()
        except (OSError, ValueError):
            pass
        finally:
            with self._ready:
                self._done = True
                self._ready.notify()

    def _take(self, size: int | None) -> bytes:
        """The next `size` bytes, or with None the next line without its newline."""
        with self._ready:
            while True:
                buffer, start = self._buffer, self._start
                if size is None:
                    end = buffer.find(b"\n", start)
                    if end >= 0:
                        self._start = end + 1
                        break
                elif len(buffer) - start >= size:
                    end = start + size
                    self._start = end
                    break
                if self._done:
                    raise RepoError("git cat-file ended early")
                self._ready.wait()
            taken = bytes(buffer[start:end])
            if self._start > 1 << 22:  # drop what has been handed out
                del buffer[: self._start]
                self._start = 0
            return taken

    def blob(self, blob: str) -> bytes:
        header = self._take(None).split()
        if len(header) != 3 or header[0].decode() != blob:
            raise object_error(self.cwd, blob)
        data = self._take(int(header[2]) + 1)
        return data[:-1]

    def close(self) -> None:
        self._thread.join(timeout=10)
