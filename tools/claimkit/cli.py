"""The `claims` command group: its options, the lazy loading of the commands (each lives in a
`cli_*.py` module named in tophelp.MODULE_COMMANDS), the mapping of errors to one-line messages and exit
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
from .tophelp import (
    COLOR_CHOICES,
    COLOR_HELP,
    COMMAND_MODULES,
    COMMAND_SUMMARIES,
    DESCRIPTION,
    HELP_OPTIONS,
    NO_PAGER_HELP,
    REPO_HELP,
    help_width,
    terminal_columns,
)

if TYPE_CHECKING:
    from pathlib import Path


class HelpFormatter(click.HelpFormatter):
    """click's, sized as click sizes it (the terminal's width, at most 80) by terminal_columns."""

    def __init__(self, indent_increment: int = 2, width=None, max_width=None) -> None:
        from click import formatting

        if width is None and formatting.FORCED_WIDTH is None:  # forced: click's test runner
            width = help_width(terminal_columns(), max_width or 80)
        super().__init__(indent_increment, width, max_width)


class ClaimsContext(click.Context):
    formatter_class = HelpFormatter


class ClaimsGroup(click.Group):
    """Turns the core's errors, and click's own, into one-line messages and exit codes; loads
    the commands of tophelp.MODULE_COMMANDS when they are asked for."""

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


@click.group(
    cls=ClaimsGroup, help=DESCRIPTION, context_settings={"help_option_names": HELP_OPTIONS}
)
@click.option(
    "-C",
    "--repo",
    type=click.Path(file_okay=False),
    help=REPO_HELP,
)
@click.option(
    "--color",
    "color",
    type=click.Choice(COLOR_CHOICES),
    default=COLOR_CHOICES[0],
    show_default=True,
    help=COLOR_HELP,
)
@click.option("--no-pager", is_flag=True, help=NO_PAGER_HELP)
@click.version_option(package_name="claimkit", prog_name="claims")
@click.pass_context
def main(ctx: click.Context, repo: Path | None, color: str, no_pager: bool):
    """The group: its options set up the output; its help is tophelp.DESCRIPTION."""
    from .render import terminal

    terminal.configure(color=color, pager=not no_pager)
    ctx.obj = {"repo": as_path(repo)}
