"""The `claims` command: a thin click layer over the core. Heavy modules load inside commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_REPO,
    EXIT_USAGE,
    ClaimsError,
)

# Commands defined in other modules, loaded only when one of them runs (or help lists them):
# module -> the commands it registers on `main` when imported.
MODULE_COMMANDS = {
    "cli_edit": (
        "record", "commit", "quote", "add-source", "review", "git-setup", "diff-driver",
        "merge-driver", "textconv",
    ),
    "cli_export": ("export", "timeline"),
    "cli_maintenance": ("maintenance",),
}  # fmt: skip
COMMAND_MODULES = {name: module for module, names in MODULE_COMMANDS.items() for name in names}


class ClaimsGroup(click.Group):
    """Turns the core's errors, and click's own, into one-line messages and exit codes; loads
    the commands of MODULE_COMMANDS when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

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

    path = ctx.find_root().params.get("repo")
    try:
        return ClaimsRepo.open(path, search_up=path is None)
    except Exception:
        return None


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
    type=click.Path(file_okay=False, path_type=Path),
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
    ctx.obj = {"repo": repo}


class TypeChoice(click.Choice):
    """The value types of the registry, read only when a command needs them: importing the
    types at start-up would slow every command."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self):
        from .types import NAMES

        return NAMES

    @choices.setter
    def choices(self, value) -> None:
        pass  # always the registry's


@main.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--install-from",
    "install",
    metavar="SPEC",
    help="What CI and pre-commit install claims from: a pinned version or a git URL at a "
    "commit (git+https://...@SHA) [default: this version, pinned].",
)
@click.pass_context
def init(ctx: click.Context, path: Path | None, install: str | None):
    """Create an empty claims repository at PATH (default: the current directory).

    Makes claims/, seeds/, schema/ (the JSON Schema files editors use), .gitattributes, the
    CI workflow .github/workflows/claims.yml and .pre-commit-config.yaml, and runs `git init`
    if PATH is not yet in a git repository. Existing files are kept.
    """
    from .scaffold import init_repository

    target = path or ctx.obj["repo"] or Path.cwd()
    created = init_repository(target, install)
    if created:
        click.echo(f"initialised claims repository in {target}: created {', '.join(created)}")
    else:
        click.echo(f"{target} is already a claims repository; nothing to do")


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option(
    "--event", required=True, help="The event the claim is about, e.g. alaska-summit-2025."
)
@click.option(
    "--property", "prop", required=True, help="What it states about the event, e.g. date."
)
@click.option(
    "--type",
    "kind",
    required=True,
    type=TypeChoice(),
    help="The value's type (docs/format.md describes each).",
)
@click.option("--value", "values", multiple=True, help="The value; repeat for place and people.")
@click.option(
    "--modality",
    default="asserted",
    show_default=True,
    type=click.Choice(["asserted", "scheduled", "alleged", "denied"]),
)
@click.option(
    "--source",
    default="",
    shell_complete=complete_source_ids,
    help="The source id (a metadata file under seeds/).",
)
@click.option("--quote", default="", help="Verbatim words from the source.")
@click.pass_context
def new(ctx, claim_id, event, prop, kind, values, modality, source, quote):
    """Write a new claim file claims/ID.yaml, a skeleton to complete.

    Refuses an existing id, an invalid one, or a claims/ folder that leads outside the
    repository. Fields not given are left empty for you to fill in; `claims check` says
    what is still missing.
    """
    from .scaffold import new_claim
    from .types import REGISTRY
    from .values import value_from_words

    repo = open_repo(ctx)
    value = value_from_words(kind, values) if values else REGISTRY[kind].empty
    path = new_claim(
        repo, claim_id, event=event, prop=prop, kind=kind, value=value,
        modality=modality, source=source, quote=quote,
    )  # fmt: skip
    click.echo(f"created {repo.relative(path)}")


@main.command("list")
@click.option(
    "--as-of", "as_of", metavar="DATE", help="Each claim as the press had it by DATE (EDTF)."
)
@click.option("--all", "show_all", is_flag=True, help="Show retired claims too.")
@format_option("text", "json")
@click.pass_context
def list_claims(ctx, as_of, show_all, fmt):
    """List every claim: current value, modality, source, versions in its story, and standing.

    A claim's current value is its story's last version: the latest-published article's
    reading, whatever order the articles were recorded in. Its standing is consistent (with
    the most specific value every version agrees with) or contested (the groups of
    incompatible values, with the sources behind each; a reading with `also` contradicts
    itself). Retired claims (those with `superseded_by`) are left out unless --all. With
    --as-of, each claim is shown as of the latest version whose source was published by
    DATE; claims not yet reported by then are left out. History is read in one pass over
    `git log -- claims/`.
    """
    from .dates import date_argument
    from .queries import listing
    from .render import listing as render

    repo = open_repo(ctx)
    day = date_argument(as_of, end=True) if as_of else None
    bad = BadFiles()
    rows = listing(repo, day, bad.attempt)
    if not show_all:
        rows = [row for row in rows if not getattr(row[0], "superseded_by", None)]
    render.emit_list(fmt, rows)
    bad.finish()


@main.command()
@format_option("text", "json")
@click.pass_context
def sources(ctx, fmt):
    """List every source in publication order, with the claims it supports.

    A source supports a claim when any version of the claim in history cites it (outside
    git, when the claim file cites it now).
    """
    from .queries import citing_sources
    from .render import listing as render

    repo = open_repo(ctx)
    bad = BadFiles()
    rows = citing_sources(repo, bad.attempt)
    render.emit_sources(fmt, rows, lambda s: repo.relative(s.path))
    bad.finish()


@main.command()
@click.argument("claim_id", metavar="ID", shell_complete=complete_claim_ids)
@click.option("--at", "rev", metavar="REV", help="The claim file as of a commit.")
@click.option("--as-of", "as_of", metavar="DATE", help="As the press had it by DATE (EDTF).")
@format_option("text", "json", "yaml")
@click.pass_context
def show(ctx, claim_id, rev, as_of, fmt):
    """Show one claim: now, at a commit (--at REV), or as the press had it (--as-of DATE).

    Now is the story's last version (the latest-published article's reading) with the
    claim's standing; when the file on disk holds another reading (an older article recorded
    last, or an uncommitted edit), a note says which. --as-of picks the latest version, in
    publication order, whose source was published on or before DATE (by the lower bound of
    an uncertain publication date), and names the sources that may or may not have been
    published by then.
    """
    from .render import listing as render
    from .show import show_claim

    repo = open_repo(ctx)
    shown = show_claim(repo, claim_id, rev, as_of)
    render.emit_show(fmt, shown, repo.relative(repo.claim_path(claim_id)))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(
    "text", "json", "github",
    help="github prints workflow annotations; it is the default when GITHUB_ACTIONS is set.",
)  # fmt: skip
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--changed",
    "base",
    metavar="BASE",
    help="Only the files changed since commit BASE, and the claims citing changed sources.",
)
@click.option(
    "--hook",
    is_flag=True,
    help="As a commit hook: check PATHS that git tracks or has staged (never untracked "
    "files), and the claims citing a changed source.",
)
@click.pass_context
def check(ctx, paths, fmt, strict, base, hook):
    """Validate claim and source files: all of them, or those under PATHS.

    Errors are faults in the record (schema, id, source, sha256, verbatim quote, value);
    warnings are findings about the articles (time sense). With --changed BASE, only what the
    working tree changed since BASE (staged, unstaged and untracked), and the claims that cite
    a changed or removed source: what a review or a pre-commit hook needs, in time that grows
    with the change. Exit 0 without errors, 1 with errors (or with warnings under --strict),
    2 on a usage error.
    """
    from .check import check_changed, check_files
    from .errors import UsageError
    from .render import check as render

    if base is not None and (paths or hook):
        raise UsageError("--changed cannot be combined with PATHS or --hook")
    repo = open_repo(ctx)
    if hook:
        from .hook import hook_paths

        paths = hook_paths(repo, list(paths))
        if not paths:
            return  # nothing this commit adds or changes is a claim or a source
    report = check_files(repo, paths) if base is None else check_changed(repo, base)
    default = ctx.get_parameter_source("fmt") == click.core.ParameterSource.DEFAULT
    if default and os.environ.get("GITHUB_ACTIONS") == "true":
        fmt = "github"  # as yamllint does: GitHub's own format inside GitHub Actions
    render.emit_check(fmt, report)
    if report.errors or (strict and report.warnings):
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("claim_id", metavar="ID", shell_complete=complete_claim_ids)
@format_option("text", "json", "markdown")
@click.option(
    "--by",
    type=click.Choice(["published", "recorded"]),
    default="published",
    show_default=True,
    help="Order by the source's publication date (the story) or by commit (the record).",
)
@click.option("--reverse", is_flag=True, help="Newest first.")
@click.option(
    "-n", "--max-count", "limit", type=click.IntRange(min=0), help="Show at most N versions."
)
@click.option(
    "--since", metavar="DATE", help="Only versions from sources published on or after DATE."
)
@click.option(
    "--until", metavar="DATE", help="Only versions from sources published on or before DATE."
)
@click.option(
    "--all-readings",
    is_flag=True,
    help="List every reading, the edits of an article's version too.",
)
@click.pass_context
def log(ctx, claim_id, fmt, by, reverse, limit, since, until, all_readings):
    """Every version of a claim, in the order the press reported it: its story.

    One version per article: an article read again (a second commit citing the same source)
    is an edit of its version, shown once and marked edited; --all-readings lists the edits.
    Each version shows its source's published date and title, the change kind against the
    previous version in the story (first-report, corroborated, refined, broadened,
    contradicted, changed), the value and what changed in it, the modality and the quote. A
    version recorded after one from a later-published source is marked as recorded out of
    order; one whose publication interval overlaps another's says its order is uncertain.
    The first line after the header gives the claim's standing.
    """
    from .dates import date_argument
    from .queries import claim_log

    repo = open_repo(ctx)
    first = date_argument(since, end=False) if since else None
    last = date_argument(until, end=True) if until else None
    found = claim_log(
        repo, claim_id, by=by, first=first, last=last, reverse=reverse, limit=limit,
        all_readings=all_readings,
    )  # fmt: skip
    from .render.story import emit_log

    emit_log(fmt, claim_id, found.versions, found.truncated, found.standing)


@main.command()
@click.argument("revisions", nargs=-1, metavar="[REV [REV]]")
@click.option(
    "--sources",
    "source_pair",
    shell_complete=complete_source_ids,
    nargs=2,
    metavar="S1 S2",
    help="Compare the facts as they stood after article S1 and after article S2.",
)
@format_option("text", "json", "markdown")
@click.option("--exit-code", is_flag=True, help="Exit 1 when any claim differs.")
@click.pass_context
def diff(ctx, revisions, source_pair, fmt, exit_code):
    """Semantic diff of claims: the working tree against HEAD, or between revisions.

    `claims diff` compares the working tree with HEAD; `claims diff A` the working tree with
    A; `claims diff A B` or `claims diff A..B` revision A with B. With --sources S1 S2, every
    claim as it stood after article S1 against after article S2, in publication order. Each
    differing claim shows old -> new value, change kind and sources.
    """
    from .queries import claim_diffs
    from .render.story import emit_diff

    repo = open_repo(ctx)
    diffs = claim_diffs(repo, revisions, source_pair)

    bad = BadFiles()
    for broken in (d for d in diffs if d.broken):
        bad.report(broken.error)
    diffs = [d for d in diffs if not d.broken]
    emit_diff(fmt, diffs)
    bad.finish()
    if exit_code and diffs:
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("claim_id", metavar="ID", shell_complete=complete_claim_ids)
@format_option("text", "json")
@click.pass_context
def blame(ctx, claim_id, fmt):
    """For each field of a claim, the version that last set it: commit, date, source."""
    from .queries import claim_blame
    from .render.story import emit_blame

    repo = open_repo(ctx)
    emit_blame(fmt, claim_id, claim_blame(repo, claim_id))
