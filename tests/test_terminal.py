"""Every text command on a real pseudo-terminal, as a person at a terminal runs it.

CliRunner never gives the command a terminal, so code that only runs when standard output is
one (the pager, the terminal's size, colour) is exercised here: each command runs as its own
process with a pty of a fixed size as standard input and output.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
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
from claimkit.errors import EXIT_DATA
from conftest import base_files, claim_text, git, place_claim, write_files

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


def test_log_lines_fit_a_narrow_terminal(story):
    # The commit line carries the reading's marks (order uncertain, edited…): it wraps too.
    out = plain(ok(on_terminal("log", "summit-date", repo=story, columns=60)))
    assert max(len(line) for line in out.splitlines()) <= 60, out
    assert any(line.startswith("  commit ") for line in out.splitlines())


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
        "standing",
    ]
    # The current value is the story's end (a3), though a2 was recorded last; a contested
    # standing is the one cell in colour. On a narrow terminal the standing gives way first, but
    # keeps its first word and the start of what it says.
    assert lines[2].split() == ["summit-date", "date", "2025-09-18", "asserted", "a3", "3",
                                "\x1b[31m\x1b[1mcontested:", "2025-08-15", "(a1,", "…\x1b[0m"]  # fmt: skip
    assert lines[3].split() == [
        "summit-location", "place", "Alaska", ">", "Anchorage", "asserted", "a3", "2",
        "consistent:", "Alaska", ">", "Anchor…",
    ]  # fmt: skip


def test_sources_on_a_terminal(story):
    out = ok(on_terminal("sources", repo=story))
    lines = out.splitlines()
    assert lines[0].split() == ["id", "published", "title", "claims"]
    assert [line.split()[0] for line in lines[2:]] == ["a1", "a2", "a3"]
    assert "Set to meet in Alaska" in lines[2]


def test_show_on_a_terminal(story):
    out = ok(on_terminal("show", "summit-date", repo=story))
    assert "summit-date" in out
    assert "value           2025-09-18" in out
    assert "the file holds the reading from a2 (2025-08)" in out


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
    # The file holds a2's reading; a3's version, the story's end, keeps its finding.
    assert out.endswith(
        "reports as past an event on 2025-09-18 [time-sense]\n0 errors, 1 warning in 5 files\n"
    )


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


# Terminal conventions ---------------------------------------------------------------------------

LONG_VALUE = (
    "the leaders agreed to keep talking through their envoys, with no date set for a second "
    "meeting and no ceasefire announced"
)
LONG_QUOTE = (
    "Officials on both sides said after the talks that the leaders had agreed to keep talking "
    "through their envoys, that no date had been set for a second meeting, and that no "
    "ceasefire had been announced, though each called the meeting constructive"
)
NOTE = "Read as the officials' account, not the leaders' own words; the article names no one."


@pytest.fixture
def wide(make_repo) -> Path:
    """A claim with a long text value, a long quote and a note, from a source with an outlet."""
    text = f"{LONG_QUOTE}.\n"
    meta = (
        "id: wire1\ntitle: After the summit, envoys to carry on the talks while leaders weigh a "
        "second meeting\noutlet: Example Wire\nurl: null\npublished: 2025-08-16\n"
        "published_basis: Dateline.\nsha256: " + hashlib.sha256(text.encode()).hexdigest() + "\n"
    )
    files = {
        **base_files(),
        "seeds/wire1.txt": text,
        "seeds/wire1.yaml": meta,
        "claims/summit-outcome.yaml": claim_text(
            "summit-outcome", property="outcome", type="text", value=LONG_VALUE,
            modality="asserted", source="wire1", quote=LONG_QUOTE, note=NOTE,
        ),
    }  # fmt: skip
    return make_repo([files])


def test_list_fits_the_terminal_width_and_cuts_follow_it(wide):
    for columns in (80, 120):
        out = ok(on_terminal("list", repo=wide, columns=columns))
        lines = plain(out).splitlines()
        assert max(len(line) for line in lines) <= columns, (columns, out)
        row = next(line for line in lines if line.startswith("summit-outcome"))
        assert "…" in row  # the value gives way, at the width
        assert "asserted" in row and "wire1" in row  # the fixed columns stay whole
    narrow = next(
        line
        for line in plain(ok(on_terminal("list", repo=wide, columns=80))).splitlines()
        if line.startswith("summit-outcome")
    )
    wider = next(
        line
        for line in plain(ok(on_terminal("list", repo=wide, columns=120))).splitlines()
        if line.startswith("summit-outcome")
    )
    assert len(wider) > len(narrow)


def test_sources_show_the_outlet_beside_the_title_within_the_width(wide):
    out = plain(ok(on_terminal("sources", repo=wide, columns=80)))
    assert max(len(line) for line in out.splitlines()) <= 80
    row = next(line for line in out.splitlines() if line.startswith("wire1"))
    assert row.split()[1] == "2025-08-16" and row.endswith("1")
    wide_out = plain(ok(on_terminal("sources", repo=wide, columns=200)))
    assert "second meeting — Example Wire" in wide_out


def test_piped_output_keeps_every_character(claims, wide, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    out = claims("list", repo=wide).stdout
    assert LONG_VALUE in out and "…" not in out
    monkeypatch.setenv("COLUMNS", "90")
    fitted = claims("list", repo=wide).stdout
    assert max(len(line) for line in fitted.splitlines()) <= 90


def test_log_shows_the_whole_version_wrapped_at_the_width(wide):
    out = plain(ok(on_terminal("log", "summit-outcome", repo=wide, columns=80)))
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80, out
    heading = next(i for i, line in enumerate(lines) if line.startswith("2025-08-16  wire1  "))
    assert "Example Wire" in " ".join(lines[heading : heading + 3])  # the outlet by the title
    start = next(i for i, line in enumerate(lines) if line.startswith('  "'))
    end = next(i for i in range(start, len(lines)) if lines[i].endswith('"'))
    assert " ".join(line.strip() for line in lines[start : end + 1]) == f'"{LONG_QUOTE}"'
    assert end > start  # wrapped, not cut
    note = next(i for i, line in enumerate(lines) if line.startswith("  note: "))
    shown = " ".join(line.strip() for line in lines[note : note + 2]).removeprefix("note: ")
    assert shown.startswith(NOTE)


def test_log_prints_the_note_off_a_terminal_too(claims, wide, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    out = claims("log", "summit-outcome", repo=wide).stdout
    assert f"  note: {NOTE}\n" in out
    assert f'  "{LONG_QUOTE}"\n' in out
    assert "2025-08-16  wire1  After the summit, envoys to carry on the talks" in out
    assert "second meeting — Example Wire\n" in out


COLOUR = "\x1b["


@pytest.mark.parametrize(
    ("options", "env", "coloured"),
    [
        ((), {}, True),
        ((), {"NO_COLOR": "1"}, False),
        ((), {"NO_COLOR": ""}, True),  # set but empty: ignored, as no-color.org says
        ((), {"TERM": "dumb"}, False),
        (("--color", "never"), {}, False),
        (("--color", "always"), {"NO_COLOR": "1"}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_on_a_terminal(story, options, env, coloured):
    out = ok(on_terminal(*options, "log", "summit-date", repo=story, env=env))
    assert (COLOUR in out) is coloured, out
    assert plain(out).startswith("summit-date  3 versions\n")


@pytest.mark.parametrize(
    ("options", "env", "coloured"),
    [
        ((), {}, False),
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (("--color", "always"), {}, True),
        (("--color", "auto"), {}, False),
    ],
)
def test_colour_off_a_terminal(claims, story, monkeypatch, options, env, coloured):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = claims(*options, "log", "summit-date", repo=story)
    assert result.exit_code == 0
    assert (COLOUR in result.stdout) is coloured
    listing = claims(*options, "list", repo=story).stdout
    assert ("\x1b[31m\x1b[1mcontested: " in listing) is coloured  # a contested standing, in red


def test_colour_marks_check_errors_and_warnings(repo):
    write_files(repo, {"claims/summit-date.yaml": claim_text(quote="words the article lacks")})
    run = on_terminal("check", repo=repo)
    assert run.code == 1 and run.err == ""
    assert "\x1b[31m\x1b[1merror\x1b[0m" in run.out
    assert plain(run.out).endswith("1 error, 0 warnings in 3 files\n")
    assert COLOUR not in ok_or(on_terminal("--color", "never", "check", repo=repo), 1)


def ok_or(run: Run, code: int) -> str:
    assert run.code == code and run.err == "", run
    return run.out


@pytest.fixture
def review_text(claims, story, monkeypatch):
    """The review's text as piped (never paged), and its number of lines."""
    monkeypatch.delenv("COLUMNS", raising=False)
    text = claims("review", "HEAD~2..HEAD", repo=story).stdout
    return text, text.count("\n")


def test_pager_only_when_the_wrapped_text_is_taller_than_the_screen(story, review_text):
    text, lines = review_text
    longest = max(len(line) for line in text.splitlines())
    assert longest > 60
    pager = {"CLAIMS_PAGER": "sed s/^/PAGED:/"}
    tall = on_terminal("review", "HEAD~2..HEAD", repo=story, rows=lines + 2, columns=200, env=pager)
    assert "PAGED:" not in ok(tall)  # fits the screen
    assert ok(tall) == text
    # The same number of lines, on a narrow screen: the long lines wrap past its height.
    narrow = on_terminal(
        "review", "HEAD~2..HEAD", repo=story, rows=lines + 2, columns=60, env=pager
    )
    paged = ok(narrow)
    assert paged.splitlines() == [f"PAGED:{line}" for line in text.splitlines()]


def test_claims_pager_comes_before_pager_and_no_pager_turns_it_off(story):
    env = {"CLAIMS_PAGER": "sed s/^/FIRST:/", "PAGER": "sed s/^/SECOND:/", "NO_COLOR": "1"}
    paged = ok(on_terminal("log", "summit-date", repo=story, rows=5, env=env))
    assert paged.startswith("FIRST:summit-date  3 versions\n")
    del env["CLAIMS_PAGER"]
    paged = ok(on_terminal("log", "summit-date", repo=story, rows=5, env=env))
    assert paged.startswith("SECOND:summit-date  3 versions\n")
    plain_out = ok(on_terminal("--no-pager", "log", "summit-date", repo=story, rows=5, env=env))
    assert plain_out.startswith("summit-date  3 versions\n") and "SECOND:" not in plain_out
    env["PAGER"] = ""
    unpaged = ok(on_terminal("log", "summit-date", repo=story, rows=5, env=env))
    assert unpaged.startswith("summit-date  3 versions\n")


def test_no_pager_off_a_terminal(claims, story, monkeypatch):
    monkeypatch.setenv("CLAIMS_PAGER", "sed s/^/PAGED:/")
    monkeypatch.setenv("LINES", "3")
    out = claims("log", "summit-date", repo=story).stdout
    assert out.startswith("summit-date  3 versions\n") and "PAGED:" not in out


def test_screen_lines_counts_wrapped_lines():
    from claimkit.render.terminal import screen_lines

    assert screen_lines("a" * 100, 100) == 1
    assert screen_lines("a" * 101, 100) == 2
    assert screen_lines("\x1b[31m" + "a" * 100 + "\x1b[0m\n\nb", 100) == 3  # codes take no room


def complete(*words: str, cword: int | None = None) -> list[str]:
    env = {**os.environ, "_CLAIMS_COMPLETE": "bash_complete",
           "COMP_WORDS": " ".join(["claims", *words]),
           "COMP_CWORD": str(len(words) if cword is None else cword)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "claimkit"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stderr == "", done
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if line]


def test_shell_completion_of_claim_and_source_ids(story):
    root = str(story)
    assert complete("-C", root, "log", "summit-") == ["summit-date", "summit-location"]
    assert complete("-C", root, "show", "summit-l") == ["summit-location"]
    assert complete("-C", root, "blame", "") == ["summit-date", "summit-location"]
    assert complete("-C", root, "record", "summit-date", "--source", "a") == ["a1", "a2", "a3"]
    assert complete("-C", root, "diff", "--sources", "a1", "a") == ["a1", "a2", "a3"]
    assert complete("-C", root, "ma") == ["maintenance"]
    assert complete("-C", str(story / "nowhere"), "log", "s") == []  # no repository: nothing


# One broken file never blocks the rest ----------------------------------------------------------

UNCLOSED = """\
# yaml-language-server: $schema=../schema/claim.schema.json
id: summit-bad
event: alaska-summit-2025
property: date
type: date
value: 2025-08-15
modality: scheduled
source: a1
quote: "scheduled to meet next Friday
time_expression: next Friday
note: lost inside the quote
"""
WHERE = "claims/summit-bad.yaml:9:8: invalid YAML: a quoted scalar that starts here is not closed"


@pytest.fixture
def broken(story) -> Path:
    write_files(story, {"claims/summit-bad.yaml": UNCLOSED})
    return story


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"claims: error: {WHERE}"), lines[0]
    assert lines[0].endswith("(found unexpected end of stream at line 12) [yaml-syntax]")
    return lines[0]


def test_list_reports_the_bad_file_and_lists_the_others(claims, broken):
    result = claims("list", repo=broken)
    one_error_line(result.stderr)
    assert result.exit_code == EXIT_DATA
    ids = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert ids == ["summit-date", "summit-location"]


def test_sources_report_the_bad_file_and_list_every_source(claims, broken):
    write_files(broken, {"seeds/zz.yaml": "id: zz\ntitle: [\n", "seeds/zz.txt": "x\n"})
    result = claims("sources", repo=broken)
    assert result.exit_code == EXIT_DATA
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    one_error_line(lines[0])
    assert lines[1].startswith("claims: error: seeds/zz.yaml:3:1: invalid YAML")
    assert [line.split()[0] for line in result.stdout.splitlines()[2:]] == ["a1", "a2", "a3"]


def test_diff_reports_the_bad_file_and_compares_the_others(claims, broken):
    write_files(broken, {"claims/summit-location.yaml": place_claim(
        ["Alaska", "Anchorage"], "asserted", "a2", "met in Alaska")})  # fmt: skip
    result = claims("diff", repo=broken)
    one_error_line(result.stderr)
    assert result.exit_code == EXIT_DATA
    assert result.stdout.startswith("summit-location: Alaska > Anchorage -> Alaska > Anchorage")
    as_json = claims("diff", "--format", "json", repo=broken)
    assert as_json.exit_code == EXIT_DATA
    assert [d["claim"] for d in json.loads(as_json.stdout)["claims"]] == ["summit-location"]


def test_show_of_another_claim_works_and_of_the_bad_one_names_where(claims, broken):
    assert claims("show", "summit-date", repo=broken).exit_code == 0
    result = claims("show", "summit-bad", repo=broken)
    assert result.exit_code == EXIT_DATA
    one_error_line(result.stderr)


def test_bad_file_on_a_terminal(broken):
    run = on_terminal("list", repo=broken)
    assert run.code == EXIT_DATA
    one_error_line(run.err)
    assert "summit-location" in run.out and "Traceback" not in run.out


def test_long_ids_are_cut_in_the_middle_and_stay_apart(make_repo):
    first, second = "previous-trump-putin-meeting-date", "previous-trump-putin-meeting-place"
    repo = make_repo([{**base_files(), **{
        f"claims/{name}.yaml": claim_text(name, value=LONG_VALUE, type="text")
        for name in (first, second)}}])  # fmt: skip
    out = plain(ok(on_terminal("list", repo=repo, columns=80)))
    ids = [line.split()[0] for line in out.splitlines()[2:]]
    assert len(set(ids)) == 3 and all(len(line) <= 80 for line in out.splitlines())
    cut = [name for name in ids if "…" in name]
    assert len(cut) == 2
    assert cut[0].startswith("previous") and cut[0].endswith("date")
    assert cut[1].startswith("previous") and cut[1].endswith("place")
    full = plain(ok(on_terminal("list", repo=repo, columns=160)))
    assert first in full and second in full


def test_a_pager_that_does_not_exist_still_lets_the_text_out(story):
    env = {"CLAIMS_PAGER": "no-such-pager-here", "NO_COLOR": "1"}
    run = on_terminal("log", "summit-date", repo=story, rows=5, env=env)
    assert run.code == 0, run
    assert "summit-date  3 versions\n" in run.out
    assert "not found" in run.err  # the shell's own word on the missing pager
