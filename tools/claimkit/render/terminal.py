"""Where text goes: colour, the terminal's width, and the pager, each only on a terminal.

The command line sets the choices once (`configure`, from --color and --no-pager); the writers
ask `style`, `width` and `output`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import click

from .text import visible_len

COLOR_CHOICES = ("auto", "always", "never")


@dataclass
class Choices:
    color: str = "auto"
    pager: bool = True


choices = Choices()


def configure(color: str = "auto", pager: bool = True) -> None:
    choices.color = color
    choices.pager = pager


def is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdout
        return False


def use_colour() -> bool:
    """--color always/never decide; with auto, NO_COLOR turns colour off and FORCE_COLOR on
    (both when set and not empty, as no-color.org and force-color.org define them), and
    otherwise colour goes to a terminal that is not TERM=dumb."""
    if choices.color != "auto":
        return choices.color == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal() and os.environ.get("TERM") != "dumb"


def style(text: str, **styles) -> str:
    """click.style when colour is on, TEXT unchanged otherwise."""
    return click.style(text, **styles) if use_colour() else text


def styler(**styles):
    """A one-argument function that applies STYLES (or nothing, without colour)."""
    return (lambda text: click.style(text, **styles)) if use_colour() else None


def width() -> int | None:
    """The width to fit text to: the terminal's on a terminal, else COLUMNS when set, else
    None (no limit: piped text keeps every character)."""
    if is_terminal():
        import shutil  # here: only a terminal needs it, and piped output is most runs

        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def screen_lines(text: str, columns: int) -> int:
    """How many terminal rows TEXT takes once long lines wrap."""
    return sum(max(1, -(-visible_len(line) // columns)) for line in text.split("\n"))


def pager_command() -> str | None:
    """CLAIMS_PAGER, then PAGER, then less if installed; an empty value turns paging off."""
    for name in ("CLAIMS_PAGER", "PAGER"):
        if name in os.environ:
            return os.environ[name].strip() or None
    import shutil

    return "less" if shutil.which("less") else None


def echo(text: str, **kwargs) -> None:
    # color=True: click would strip colour codes off a terminal, undoing --color always.
    # Text only holds codes when use_colour() said so.
    click.echo(text, color=True, **kwargs)


def output(text: str) -> None:
    """Print TEXT, through the pager when it is longer than a terminal's screen."""
    if not (choices.pager and is_terminal()):
        echo(text)
        return
    import shutil

    size = shutil.get_terminal_size()
    command = pager_command()
    if command is None or screen_lines(text, size.columns) < size.lines:
        echo(text)
        return
    page(command, text)


def page(command: str, text: str) -> None:
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: quit if one screen, keep colours, no screen clearing
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    try:
        process.stdin.write((text + "\n").encode("utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early
        pass
    while True:
        try:
            code = process.wait()
            break
        except KeyboardInterrupt:  # the pager handles Ctrl-C; wait for it to end
            continue
    if code == 127:  # the shell found no such pager (and said so): the text still gets out
        echo(text)
