"""The `claims` command group: its options, the lazy loading of the commands (each lives in a
`cli_*.py` module named in MODULE_COMMANDS), the mapping of errors to one-line messages and exit
codes, and the helpers the command modules share. Heavy modules load inside commands."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from .errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_REPO,
    EXIT_USAGE,
    ClaimsError,
)

if TYPE_CHECKING:
    from pathlib import Path

# Commands defined in other modules, loaded only when one of them runs: module -> the commands
# it registers on `main` when imported, each with the first paragraph of its help, from which
# `claims --help` lists the commands without importing their modules (a test keeps the two
# the same).
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


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`, without importing shutil (and the compression
    modules it imports) to print help."""
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


class HelpFormatter(click.HelpFormatter):
    """click's, sized as click sizes it (the terminal's width, at most 80) by terminal_columns."""

    def __init__(self, indent_increment: int = 2, width=None, max_width=None) -> None:
        from click import formatting

        if width is None and formatting.FORCED_WIDTH is None:  # forced: click's test runner
            width = max(min(terminal_columns(), max_width or 80) - 2, 50)
        super().__init__(indent_increment, width, max_width)


class ClaimsContext(click.Context):
    formatter_class = HelpFormatter


class ClaimsGroup(click.Group):
    """Turns the core's errors, and click's own, into one-line messages and exit codes; loads
    the commands of MODULE_COMMANDS when they are asked for."""

    context_class = ClaimsContext

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands in `claims --help`, as click writes it, with the help of the
        commands not yet loaded taken from COMMAND_SUMMARIES: listing them loads no module."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is None:
                summary = click.Command(name, help=COMMAND_SUMMARIES[name])
                rows.append((name, summary.get_short_help_str(limit)))
            elif not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, name: str):
        module = COMMAND_MODULES.get(name)
        if module is not None and name not in self.commands:
            import importlib

            importlib.import_module(f".{module}", __package__)  # registers its commands
        return super().get_command(ctx, name)

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as err:
            click.echo(err.ctx.get_help(), err=True)
            sys.exit(EXIT_USAGE)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx else "claims"
            fail(f"{err.format_message().rstrip('.')} (see '{where} --help')", EXIT_USAGE)
        except click.ClickException as err:
            fail(err.format_message(), err.exit_code)
        except click.Abort:
            fail("aborted", EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ClaimsError as err:
            fail(str(err), err.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`claims log x | head`): not an error worth a message.
            sys.stderr.close()
            sys.exit(0)
        except OSError as err:
            # The file system said no (read-only, full, no permission): its words, the file.
            where = f"{err.filename}: " if err.filename else ""
            fail(f"{where}{err.strerror or err}", EXIT_REPO)
        except Exception as err:  # a bug: still one line, with the trace behind a switch
            if os.environ.get("CLAIMS_DEBUG"):
                raise
            fail(
                f"internal error: {type(err).__name__}: {err} (set CLAIMS_DEBUG=1 for details)",
                EXIT_INTERNAL,
            )


def fail(message: str, code: int):
    click.echo(f"claims: error: {message}", err=True)
    sys.exit(code)


def output(text: str) -> None:
    """Print, through a pager when a person is reading a long text on a terminal."""
    from .render import terminal

    terminal.output(text)


class BadFiles:
    """Files a command could not read: each is reported as one line when met, and the others
    are still read; `finish` then exits EXIT_DATA if there were any."""

    def __init__(self):
        self.count = 0

    def report(self, message: str) -> None:
        click.echo(f"claims: error: {message}", err=True)
        self.count += 1

    def attempt(self, load, *args):
        """load(*args), or None when it raised DataError (reported)."""
        from .errors import DataError

        try:
            return load(*args)
        except DataError as err:
            self.report(str(err))
            return None

    def finish(self) -> None:
        from .errors import EXIT_DATA

        if self.count:
            sys.exit(EXIT_DATA)


def complete_claim_ids(ctx: click.Context, param, incomplete: str) -> list[str]:
    """Shell completion: the ids of the claim files, read from the folder (nothing parsed)."""
    repo = _repo_for_completion(ctx)
    if repo is None:
        return []
    try:
        return [name for name in repo.claim_ids() if name.startswith(incomplete)]
    except Exception:  # completion must never print a traceback into the shell
        return []


def complete_source_ids(ctx: click.Context, param, incomplete: str) -> list[str]:
    """Shell completion: the ids of the sources under seeds/."""
    repo = _repo_for_completion(ctx)
    if repo is None:
        return []
    try:
        return sorted(name for name in repo.source_paths() if name.startswith(incomplete))
    except Exception:
        return []


def _repo_for_completion(ctx: click.Context):
    from .repo import ClaimsRepo

    path = as_path(ctx.find_root().params.get("repo"))
    try:
        return ClaimsRepo.open(path, search_up=path is None)
    except Exception:
        return None


def as_path(text: str | None) -> Path | None:
    """-C's PATH as a Path (pathlib loads only when a command runs, not for `--help`)."""
    from pathlib import Path

    return None if text is None else Path(text)


def open_repo(ctx: click.Context):
    from .repo import ClaimsRepo

    return ClaimsRepo.open(ctx.obj["repo"], search_up=ctx.obj["repo"] is None)


def format_option(*choices: str, help: str | None = None):
    """The --format option every reading command has; the first choice is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help,
    )


@click.group(cls=ClaimsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "--repo",
    type=click.Path(file_okay=False),
    help="Run on the claims repository at PATH instead of the one around the current directory.",
)
@click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the output: auto colours on a terminal unless NO_COLOR is set "
    "(FORCE_COLOR colours anywhere).",
)
@click.option(
    "--no-pager",
    is_flag=True,
    help="Never page. Otherwise long output on a terminal goes through $CLAIMS_PAGER, "
    "then $PAGER, then less.",
)
@click.version_option(package_name="claimkit", prog_name="claims")
@click.pass_context
def main(ctx: click.Context, repo: Path | None, color: str, no_pager: bool):
    """claims: how each reported fact changed from one article to the next.

    A claims repository holds one YAML file per claim in claims/, the source articles in
    seeds/, and a git history with one version of a claim per article that reported it.
    """
    from .render import terminal

    terminal.configure(color=color, pager=not no_pager)
    ctx.obj = {"repo": as_path(repo)}
