"""`claims --help` written without click is the help click writes, at every width."""

from __future__ import annotations

import subprocess
import sys

import pytest
from claimkit import cli, tophelp


def click_help(monkeypatch, capsys, columns: int) -> str:
    """The top-level help as the click group writes it on a terminal `columns` wide."""
    monkeypatch.setattr(cli, "terminal_columns", lambda: columns)
    with pytest.raises(SystemExit) as exit_:
        cli.main.main(["--help"], prog_name="claims")
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("columns", [1, 40, 51, 52, 60, 63, 70, 71, 77, 79, 80, 81, 120, 300])
def test_the_help_without_click_is_click_s_help(monkeypatch, capsys, columns):
    expected = click_help(monkeypatch, capsys, columns)
    assert "Commands:\n  add-source" in expected
    assert tophelp.top_help(columns) + "\n" == expected


def test_every_width_a_terminal_can_have_gives_click_s_help(monkeypatch, capsys):
    for columns in range(20, 101):
        assert tophelp.top_help(columns) + "\n" == click_help(monkeypatch, capsys, columns)


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("One two three. Four five.", 80, "One two three."),  # a sentence ends first
        ("One two three four", 80, "One two three four"),
        ("One two three four", 16, "One two three..."),  # cut, with room for the dots
        ("One two three four", 15, "One two..."),
        ("One two three four", 18, "One two three four"),  # exactly fits, last word
        ("One two. Three", 8, "One two."),  # a sentence ending exactly at the limit
        ("One two three four", 13, "One two..."),  # exactly the limit, more to come
        ("Longword more", 4, "..."),
        ("First paragraph.\n\nSecond paragraph.", 80, "First paragraph."),
    ],
)
def test_a_command_s_help_is_cut_as_click_cuts_it(text, limit, short):
    import click

    assert tophelp.short_help(text, limit) == short
    assert click.Command("x", help=text).get_short_help_str(limit) == short


def run_claims(*args: str, columns: str = "80") -> subprocess.CompletedProcess:
    """`claims` as the installed program runs it: through tophelp.run."""
    script = (
        "import sys\n"
        f"sys.argv = ['claims', *{list(args)!r}]\n"
        "from claimkit.tophelp import run\n"
        "try:\n    run()\nfinally:\n"
        "    print('click loaded' if 'click' in sys.modules else 'no click', file=sys.stderr)\n"
    )
    env = {"COLUMNS": columns, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_the_program_writes_its_help_without_loading_click(monkeypatch, capsys, option):
    done = run_claims(option, columns="72")
    assert done.returncode == 0
    assert done.stderr == "no click\n"
    assert done.stdout == click_help(monkeypatch, capsys, 72)


def test_anything_else_goes_to_click():
    version = run_claims("--version")
    assert version.returncode == 0 and version.stdout.startswith("claims, version ")
    assert version.stderr == "click loaded\n"
    command_help = run_claims("log", "--help")
    assert command_help.returncode == 0 and "Usage: claims log [OPTIONS] ID" in command_help.stdout
    wrong = run_claims("--no-such-option")
    assert wrong.returncode == 2
    assert "claims: error: No such option '--no-such-option' (see 'claims --help')" in wrong.stderr


def test_help_to_a_reader_that_went_away_is_no_traceback():
    import os

    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte
    script = (
        "import sys\nsys.argv = ['claims', '--help']\nfrom claimkit.tophelp import run\nrun()\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", script], stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert done.returncode == 0
    assert done.stderr == b""
