"""`claims init` and `claims new`: an empty claims repository, and a new claim file."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import complete_source_ids, main, open_repo
from .model import MODALITIES


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
    default=MODALITIES[0],
    show_default=True,
    type=click.Choice(MODALITIES),
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
