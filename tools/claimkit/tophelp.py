"""The `claims` program's entry point, and `claims --help` written without click.

Importing click costs more than everything else `claims --help` does, so the entry point
writes the top-level help itself, from the strings the click group in cli.py is built from:
the group's description, its options' help, and MODULE_COMMANDS (each command's module and
the first paragraph of its help). The layout is click's: the text wrapped to the terminal's
width (at most 80 columns), a two-column list of options and of commands, a command's help
cut at its first sentence or at the column's width. Tests keep this text equal to click's
at every width. Any other command line goes to click.
"""

from __future__ import annotations

import os
import sys

# Commands defined in other modules, loaded only when one of them runs: module -> the commands
# it registers on cli.main when imported, each with the first paragraph of its help (a test
# keeps this table equal to the commands' docstrings).
MODULE_COMMANDS = {
    "cli_read": {
        "list": "List every claim: current value, modality, source, versions in its story, and "
        "standing.",
        "sources": "List every source in publication order, with the claims it supports.",
        "show": "Show one claim: now, at a commit (--at REV), or as the press had it (--as-of "
        "DATE).",
        "log": "Every version of a claim, in the order the press reported it: its story.",
        "diff": "Semantic diff of claims: the working tree against HEAD, or between revisions.",
        "blame": "For each field of a claim, the version that last set it: commit, date, source.",
    },
    "cli_check": {
        "check": "Validate claim and source files: all of them, or those under PATHS.",
    },
    "cli_create": {
        "init": "Create an empty claims repository at PATH (default: the current directory).",
        "new": "Write a new claim file claims/ID.yaml, a skeleton to complete.",
    },
    "cli_edit": {
        "record": "Record a new version of claim ID as article SOURCE reports it.",
        "commit": "Commit the uncommitted claim files: one commit per article they cite.",
        "quote": "Print the passages of article SOURCE that match WORDS, verbatim, ready to paste.",
        "add-source": "Register the article in FILE as a source: its text and metadata under "
        "seeds/.",
        "review": "A Markdown review of every claim changed between BASE and HEAD, for a pull "
        "request.",
        "git-setup": "Install the claims diff and merge drivers in this repository (idempotent).",
        "diff-driver": "git's external diff command for claim files (installed by `claims "
        "git-setup`).",
        "merge-driver": "git's merge driver for claim files (installed by `claims git-setup`).",
        "textconv": "git's textconv filter for claim files (installed by `claims git-setup`).",
    },
    "cli_export": {
        "export": "Export every version of every claim: one row per version, for data tools.",
        "timeline": "Draw the claims' history as one self-contained HTML page.",
    },
    "cli_maintenance": {
        "maintenance": "Make reading history fast: commit-graph with Bloom filters, and the "
        "history cache.",
    },
}
COMMAND_SUMMARIES = {
    name: summary for commands in MODULE_COMMANDS.values() for name, summary in commands.items()
}
COMMAND_MODULES = {name: module for module, names in MODULE_COMMANDS.items() for name in names}

DESCRIPTION = """claims: how each reported fact changed from one article to the next.

A claims repository holds one YAML file per claim in claims/, the source articles in
seeds/, and a git history with one version of a claim per article that reported it.
"""
HELP_OPTIONS = ["-h", "--help"]
REPO_HELP = "Run on the claims repository at PATH instead of the one around the current directory."
COLOR_CHOICES = ["auto", "always", "never"]
COLOR_HELP = (
    "Colour the output: auto colours on a terminal unless NO_COLOR is set "
    "(FORCE_COLOR colours anywhere)."
)
NO_PAGER_HELP = (
    "Never page. Otherwise long output on a terminal goes through $CLAIMS_PAGER, "
    "then $PAGER, then less."
)
# The options as click lists them: how each is written, and its help.
OPTION_ROWS = (
    ("-C, --repo DIRECTORY", REPO_HELP),
    (f"--color [{'|'.join(COLOR_CHOICES)}]", f"{COLOR_HELP}  [default: {COLOR_CHOICES[0]}]"),
    ("--no-pager", NO_PAGER_HELP),
    ("--version", "Show the version and exit."),
    (", ".join(HELP_OPTIONS), "Show this message and exit."),
)
INDENT = "  "
FIRST_COLUMN_MAX = 30


def terminal_columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it, without importing shutil
    (and the compression modules it imports)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def help_width(columns: int, most: int = 80) -> int:
    """The width help is wrapped to: the terminal's, at most `most`, less a margin of 2."""
    return max(min(columns, most) - 2, 50)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    from textwrap import TextWrapper

    wrapper = TextWrapper(width, initial_indent=indent, subsequent_indent=indent)
    paragraphs = text.strip().split("\n\n")
    return [
        wrapper.fill(" ".join(line.strip() for line in part.split("\n"))) for part in paragraphs
    ]


def short_help(text: str, limit: int) -> str:
    """A command's help in at most `limit` characters: its first sentence if that fits,
    else as many words as fit with "..." after them."""
    words = text.split("\n\n")[0].split()
    length = -1
    for count, word in enumerate(words, 1):
        length += 1 + len(word)
        if length > limit:
            break
        if word.endswith("."):
            return " ".join(words[:count])
        if length == limit and count < len(words):
            break
    else:
        return " ".join(words)
    kept = words[: count - 1]
    while kept and len(" ".join(kept)) + 3 > limit:
        kept.pop()
    return " ".join(kept) + "..."


def _two_columns(rows, width: int) -> list[str]:
    first = min(max(len(name) for name, _ in rows), FIRST_COLUMN_MAX) + 2
    text_width = max(width - first - 2, 10)
    lines = []
    for name, text in rows:
        wrapped = "\n".join(_wrap(text, text_width)).splitlines() or [""]
        if len(name) <= first - 2:
            lines.append(f"{INDENT}{name.ljust(first)}{wrapped[0]}")
        else:
            lines.append(f"{INDENT}{name}")
            lines.append(" " * (first + len(INDENT)) + wrapped[0])
        lines.extend(" " * (first + len(INDENT)) + line for line in wrapped[1:])
    return lines


def top_help(columns: int) -> str:
    """`claims --help` for a terminal `columns` wide, as click writes it."""
    width = help_width(columns)
    names = sorted(COMMAND_SUMMARIES)
    limit = width - 6 - max(len(name) for name in names)
    commands = [(name, short_help(COMMAND_SUMMARIES[name], limit)) for name in names]
    return "\n".join([
        "Usage: claims [OPTIONS] COMMAND [ARGS]...",
        "",
        "\n\n".join(_wrap(DESCRIPTION, width, INDENT)),
        "",
        "Options:",
        *_two_columns(OPTION_ROWS, width),
        "",
        "Commands:",
        *_two_columns(commands, width),
    ])  # fmt: skip


def run() -> None:
    """The `claims` program: the top-level help here, anything else through click."""
    if len(sys.argv) == 2 and sys.argv[1] in HELP_OPTIONS:
        try:
            sys.stdout.write(top_help(terminal_columns()) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (`claims --help | head -1`)
            sys.stderr.close()
        sys.exit(0)
    from .cli import main

    main(prog_name="claims")
