"""Every text command on a real pseudo-terminal, as a person at a terminal runs it.

CliRunner never gives the command a terminal, so code that only runs when standard output is
one (the pager, the terminal's size, colour) is exercised here: each command runs as its own
process with a pty of a fixed size as standard input and output.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from conftest import git, write_files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

TIMEOUT = 60


class Run:
    def __init__(self, code: int, out: str, err: str):
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self):
        return f"Run(code={self.code}, out={self.out!r}, err={self.err!r})"


def on_terminal(
    *args: str,
    repo: Path | None = None,
    columns: int = 100,
    rows: int = 200,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> Run:
    """Run `claims ARGS` with a pseudo-terminal of COLUMNS x ROWS as stdin and stdout.

    stderr is a pipe, so what the command writes there is kept apart. The terminal's line
    discipline turns each newline into CR LF; that is undone, so the output reads as written.
    STDIN, when given, is typed into the terminal (a pager reads its keys there).
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "CLAIMS_PAGER", "PAGER", "LESS", "COLUMNS", "LINES")
    }
    environ.update({"TERM": "xterm-256color", "PAGER": "cat"})
    environ.update(env or {})
    argv = [sys.executable, "-m", "claimkit"] + (["-C", str(repo)] if repo else []) + list(args)
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=environ,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    if stdin is not None:
        os.write(master, stdin.encode())
    chunks = []
    deadline = time.monotonic() + TIMEOUT
    try:
        while True:
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"claims {' '.join(args)} did not finish in {TIMEOUT} s")
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if process.poll() is not None and not select.select([master], [], [], 0.1)[0]:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError as err:  # EIO: every holder of the terminal's other end is gone
                if err.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=TIMEOUT)
        err = process.stderr.read().decode("utf-8", "replace")
    finally:
        os.close(master)
        process.stderr.close()
    out = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Run(code, out, err)


def ok(run: Run) -> str:
    """The output of a run that succeeded, and wrote nothing to stderr."""
    assert run.code == 0, run
    assert run.err == "", run
    assert "Traceback" not in run.out
    return run.out


def plain(text: str) -> str:
    """TEXT without its colour codes."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_log_on_a_terminal(story):
    out = ok(on_terminal("log", "summit-date", repo=story))
    assert out.startswith("\x1b[1msummit-date\x1b[0m  3 versions\n")  # coloured on a terminal
    out = plain(out)
    for fragment in (
        "2025-08-15",
        "scheduled",
        "2025-09-18",
        "Summit in Anchorage",
        "contradicted",
    ):
        assert fragment in out, fragment


def test_list_on_a_terminal(story):
    out = ok(on_terminal("list", repo=story))
    lines = out.splitlines()
    assert lines[0].split() == [
        "id",
        "type",
        "value",
        "modality",
        "source",
        "versions",
        "contested",
    ]
    assert lines[2].split() == ["summit-date", "date", "2025-08", "asserted", "a2", "3", "yes"]
    assert lines[3].split() == [
        "summit-location",
        "place",
        "Alaska",
        ">",
        "Anchorage",
        "asserted",
        "a3",
        "2",
    ]


def test_sources_on_a_terminal(story):
    out = ok(on_terminal("sources", repo=story))
    lines = out.splitlines()
    assert lines[0].split() == ["id", "published", "title", "claims"]
    assert [line.split()[0] for line in lines[2:]] == ["a1", "a2", "a3"]
    assert "Set to meet in Alaska" in lines[2]


def test_show_on_a_terminal(story):
    out = ok(on_terminal("show", "summit-date", repo=story))
    assert "summit-date" in out
    assert "2025-08" in out
    assert "in August" in out


def test_blame_on_a_terminal(story):
    out = ok(on_terminal("blame", "summit-date", repo=story))
    assert "value" in out
    assert "a2" in out


def test_diff_on_a_terminal(story):
    out = ok(on_terminal("diff", "HEAD~2", "HEAD", repo=story))
    assert "summit-date" in out
    assert "2025-08-15" in out
    assert "2025-08" in out


def test_check_on_a_terminal(story):
    out = ok(on_terminal("check", repo=story))
    assert out == "0 errors, 0 warnings in 5 files\n"


def test_review_on_a_terminal(story):
    out = ok(on_terminal("review", "HEAD~2..HEAD", repo=story))
    assert "summit-date" in out
    assert "2025-08" in out


def test_maintenance_on_a_terminal(story):
    out = ok(on_terminal("maintenance", repo=story))
    assert "commit-graph" in out
    assert "cache" in out


def test_record_on_a_terminal(story):
    write_files(story, {})
    run = on_terminal(
        "record", "summit-location", "--source", "a2", "--value", "Alaska",
        "--quote", "met in Alaska", repo=story,
    )  # fmt: skip
    out = ok(run)
    assert "summit-location" in out
    assert "a2" in out
    assert "claims/summit-location.yaml" in git(story, "status", "--porcelain")


def test_a_long_output_on_a_short_terminal_goes_through_the_pager(story):
    """A short window: the text is longer than the screen, so the pager (here cat) shows it."""
    out = ok(on_terminal("log", "summit-date", repo=story, rows=5, env={"NO_COLOR": "1"}))
    assert out.startswith("summit-date  3 versions\n")
    assert "Summit in Anchorage" in out
