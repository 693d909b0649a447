"""The `claims` command: a thin click layer over the core. Heavy modules load inside commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import ClaimsError

EXIT_INTERNAL = 70


class ClaimsGroup(click.Group):
    """Turns the core's errors into one-line messages and exit codes, in one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ClaimsError as err:
            fail(str(err), err.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (`claims log x | head`): not an error worth a message.
            sys.stderr.close()
            sys.exit(0)
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
    if sys.stdout.isatty() and text.count("\n") + 1 > click.get_terminal_size()[1]:
        click.echo_via_pager(text)
    else:
        click.echo(text)


def open_repo(ctx: click.Context):
    from .repo import ClaimsRepo

    return ClaimsRepo.open(ctx.obj["repo"], search_up=ctx.obj["repo"] is None)


FORMAT_TEXT_JSON = click.Choice(["text", "json"])


@click.group(cls=ClaimsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run on the claims repository at PATH instead of the one around the current directory.",
)
@click.version_option(package_name="claimkit", prog_name="claims")
@click.pass_context
def main(ctx: click.Context, repo: Path | None):
    """claims: how each reported fact changed from one article to the next.

    A claims repository holds one YAML file per claim in claims/, the source articles in
    seeds/, and a git history with one version of a claim per article that reported it.
    """
    ctx.obj = {"repo": repo}


@main.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def init(ctx: click.Context, path: Path | None):
    """Create an empty claims repository at PATH (default: the current directory).

    Makes claims/, seeds/, schema/ (the JSON Schema files editors use) and .gitattributes,
    and runs `git init` if PATH is not yet in a git repository. Existing files are kept.
    """
    from .scaffold import init_repository

    target = path or ctx.obj["repo"] or Path.cwd()
    created = init_repository(target)
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
    type=click.Choice(["date", "place", "people", "text", "number", "boolean"]),
    help="The value's type.",
)
@click.option("--value", "values", multiple=True, help="The value; repeat for place and people.")
@click.option(
    "--modality",
    default="asserted",
    show_default=True,
    type=click.Choice(["asserted", "scheduled", "alleged", "denied"]),
)
@click.option("--source", default="", help="The source id (a metadata file under seeds/).")
@click.option("--quote", default="", help="Verbatim words from the source.")
@click.pass_context
def new(ctx, claim_id, event, prop, kind, values, modality, source, quote):
    """Write a new claim file claims/ID.yaml, a skeleton to complete.

    Refuses an existing id, an invalid one, or a claims/ folder that leads outside the
    repository. Fields not given are left empty for you to fill in; `claims check` says
    what is still missing.
    """
    from .scaffold import new_claim
    from .values import value_from_words

    repo = open_repo(ctx)
    value = (
        value_from_words(kind, values) if values else ([] if kind in ("place", "people") else "")
    )
    path = new_claim(
        repo, claim_id, event=event, prop=prop, kind=kind, value=value,
        modality=modality, source=source, quote=quote,
    )  # fmt: skip
    click.echo(f"created {repo.relative(path)}")


@main.command("list")
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.pass_context
def list_claims(ctx, fmt):
    """List every claim with its current value, modality and source."""
    from . import render

    repo = open_repo(ctx)
    claims = [(repo.load_claim(claim_id), claim_id) for claim_id in repo.claim_ids()]
    if fmt == "json":
        items = [render.claim_json(c, repo.relative(repo.claim_path(i))) for c, i in claims]
        click.echo(render.to_json({"claims": items}))
    else:
        output(render.claims_table([c for c, _ in claims]))


@main.command()
@click.option("--format", "fmt", type=FORMAT_TEXT_JSON, default="text", show_default=True)
@click.pass_context
def sources(ctx, fmt):
    """List every source with its published date and the claims whose current version cites it."""
    from . import render

    repo = open_repo(ctx)
    citing: dict[str, list[str]] = {}
    for claim_id in repo.claim_ids():
        citing.setdefault(repo.load_claim(claim_id).source, []).append(claim_id)
    rows = [(s, citing.get(s.id, [])) for s in repo.load_sources()]
    if fmt == "json":
        items = [render.source_json(s, repo.relative(s.path), c) for s, c in rows]
        click.echo(render.to_json({"sources": items}))
    else:
        output(render.sources_table(rows))


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "yaml"]),
    default="text",
    show_default=True,
)
@click.pass_context
def show(ctx, claim_id, fmt):
    """Show one claim as it stands now."""
    from . import render

    repo = open_repo(ctx)
    doc = repo.load_claim_document(claim_id)
    claim = repo.load_claim(claim_id)
    if fmt == "json":
        click.echo(render.to_json({"claim": render.claim_json(claim, doc.path)}))
    elif fmt == "yaml":
        click.echo(repo.claim_path(claim_id).read_text(encoding="utf-8"), nl=False)
    else:
        output(render.claim_text(claim))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github prints workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.pass_context
def check(ctx, paths, fmt, strict):
    """Validate claim and source files: all of them, or those under PATHS.

    Errors are faults in the record (schema, id, source, sha256, verbatim quote, value);
    warnings are findings about the articles (time sense). Exit 0 without errors, 1 with
    errors (or with warnings under --strict), 2 on a usage error.
    """
    from . import render
    from .check import check_files

    repo = open_repo(ctx)
    report = check_files(repo, paths)
    if fmt == "json":
        click.echo(render.report_json(report))
    elif fmt == "github":
        text = render.report_github(report)
        if text:
            click.echo(text)
    else:
        click.echo(render.report_text(report))
    if report.errors or (strict and report.warnings):
        sys.exit(1)
