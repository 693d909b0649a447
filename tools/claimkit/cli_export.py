"""`claims export` and `claims timeline`: the whole history for data tools, and as a page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import format_option, main, open_repo
from .render.text import plural

OUTPUT_PATH = click.Path(path_type=Path, dir_okay=True, allow_dash=False)


def check_output(repo, path: Path) -> Path:
    """Refuse an output path that is a directory, has no parent folder, or lies in the database."""
    from .errors import ConflictError, UsageError

    if path.is_dir():
        raise ConflictError(f"{path}: is a directory; give a file path to write")
    if not path.parent.is_dir():
        raise UsageError(f"{path}: no such directory {str(path.parent)!r}")
    resolved = path.resolve()
    for folder in (repo.claims_dir, repo.seeds_dir):
        try:
            resolved.relative_to(folder.resolve())
        except ValueError:
            continue
        raise ConflictError(
            f"{path}: inside {folder.name}/, which holds the database; write it elsewhere"
        )
    return path


def write_output(path: Path, write) -> None:
    """Run `write(path)`, turning a failure to write into a one-line error."""
    from .errors import UsageError

    try:
        write(path)
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None


def write_stdout(fill) -> None:
    """Standard output gets the text `fill(write)` writes, piece by piece, as UTF-8."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)  # UTF-8 whatever the locale says
    fill(sys.stdout.write if binary is None else lambda text: binary.write(text.encode()))
    sys.stdout.flush()


def write_streamed(path: Path, fill) -> None:
    """Replace `path` atomically with the text `fill(write)` writes, piece by piece."""
    from .files import replacing

    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        fill(handle.write)


def export_several(fmt: str, output: Path | None, values: tuple[str, ...]) -> None:
    """`claims export --repository ...`: several repositories into one file (export_several)."""
    from . import export_several as several
    from . import export_several_db as several_db
    from .repo import ClaimsRepo

    repositories = several.named(values)
    if output is not None:
        for item in repositories:
            check_output(ClaimsRepo(item.path), output)
    found = []
    if fmt == "sqlite":
        from .export_db import metadata_path
        from .files import atomic_write

        write_output(output, lambda path: found.append(several_db.write_sqlite(repositories, path)))
        text = several_db.metadata_yaml(output, repositories).encode()
        write_output(metadata_path(output), lambda path: atomic_write(path, text))
        click.echo(f"wrote {metadata_path(output)}: Datasette metadata")
    elif fmt == "parquet":
        write_output(
            output, lambda path: found.append(several_db.write_parquet(repositories, path))
        )
    else:
        writer = several.write_json if fmt == "json" else several.write_csv

        def fill(write) -> None:
            found.append(writer(repositories, write))

        if output is None:
            write_stdout(fill)
            return
        write_output(output, lambda path: write_streamed(path, fill))
    written = found[0]
    click.echo(
        f"wrote {output}: {plural(written.versions, 'version')} of "
        f"{plural(written.claims, 'claim')} from {plural(written.sources, 'source')} "
        f"in {plural(written.repositories, 'repository', 'repositories')}"
    )


@main.command("export")
@format_option(
    "json",
    "csv",
    "sqlite",
    "parquet",
    help="json: claims, sources and versions; csv: the versions; sqlite: a database of all "
    "of them and the commits, with a Datasette metadata file beside it; parquet: the versions.",
)
@click.option(
    "-o",
    "--output",
    type=OUTPUT_PATH,
    help="Write to PATH (replaced atomically) instead of standard output; required for sqlite.",
)
@click.option(
    "--repository",
    "repositories",
    multiple=True,
    metavar="[NAME=]DIR",
    help="Export the claims repository at DIR, named NAME (default: the folder's name), "
    "instead of the current one (not with -C); repeat it to export several into one file, every row with "
    "a repository column.",
)
@click.pass_context
def export(ctx, fmt, output, repositories):
    """Export every version of every claim: one row per version, for data tools.

    Each row holds the claim id, event, property and type; the value as text, as data and,
    for dates, its lower and upper bounds; the modality and the change kind against the
    previous version in publication order; the source id, title and published date (and its
    bounds); the commit, the time it was recorded, and the quote. The SQLite database has
    tables claims, sources and versions, with keys and indexes, ready for sqlite3 or Datasette.
    The formats are documented in docs/export.md. History is read in one pass over git.

    With --repository, repeated, several repositories go into one file, each row beginning
    with a repository column that says which one it comes from.
    """
    from . import export as exporting
    from .errors import UsageError

    if fmt in ("sqlite", "parquet") and output is None:
        raise UsageError(f"--format {fmt} writes a database file: give --output PATH")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError(
                "--format parquet needs pyarrow: pip install 'claimkit[parquet]'"
            ) from None
    if repositories:
        if ctx.obj["repo"] is not None:
            raise UsageError("-C and --repository cannot be combined: name each repository "
                             "with --repository")  # fmt: skip
        return export_several(fmt, output, repositories)
    repo = open_repo(ctx)
    if output is not None:
        check_output(repo, output)
    from .queries import collector_paused, history_by_claim

    # Claim by claim: each claim's versions are read, told as a story, written and let go of
    # before the next (every version becomes a row: no cycles, many objects).
    # json, csv and sqlite from each claim's story (kept while its inputs are unchanged).
    told = fmt != "parquet"
    with collector_paused(), history_by_claim(repo, told=told) as whole:
        listing = repo.source_paths()
        sources = whole.sources

        def lookup(source_id: str):
            return sources.get(source_id) if source_id in listing else None

        def path_of(source) -> str:
            return repo.relative(source.path)

        exported = (exporting.story_export(story) for _, story in whole.claims) if told else ()
        written = []

        def sources_after(tally):
            rows = exporting.source_rows(listing, lookup, tally.citing, path_of)
            for row in rows:
                written.append(None)
                yield row

        if fmt == "sqlite":
            from . import export_db
            from .files import atomic_write

            def rest(tally):
                shas = list(tally.first_recorded)
                commits = exporting.commit_rows(tally.first_recorded, whole.details(shas))
                return sources_after(tally), commits

            tallied = []
            write_output(
                output,
                lambda path: tallied.append(export_db.write_sqlite(exported, rest, path)),
            )
            tally = tallied[0]
            meta = export_db.metadata_path(output)
            write_output(
                meta, lambda path: atomic_write(path, export_db.metadata_yaml(output).encode())
            )
        elif fmt == "parquet":
            from . import export_db

            histories = dict(whole.claims)
            shas = list(dict.fromkeys(v.commit for vs in histories.values() for v in vs))
            data = exporting.build(
                histories, {i: lookup(i) for i in listing}, whole.truncated,
                source_path=path_of, commits=whole.details(shas),
            )  # fmt: skip
            write_output(output, lambda path: export_db.write_parquet(data, path))
            tally = exporting.Tally(claims=len(data.claims), versions=len(data.versions))
            written = data.sources
        else:
            tallied = []

            # Written as it is encoded, claim by claim: never whole in memory.
            def fill(write) -> None:
                if fmt == "json":
                    tallied.append(
                        exporting.write_json_streamed(
                            exported, whole.truncated, sources_after, write
                        )
                    )
                else:
                    tally = exporting.Tally()

                    def rows():
                        for _claim, found in exported:
                            tally.add(found)
                            yield from found

                    exporting.write_csv(rows(), write)
                    tallied.append(tally)

            if output is None:
                write_stdout(fill)
                return
            write_output(output, lambda path: write_streamed(path, fill))
            tally = tallied[0]
            if fmt == "csv":  # the sources a JSON export would list
                written = set(listing) | set(tally.citing)
    if fmt == "sqlite":
        click.echo(f"wrote {export_db.metadata_path(output)}: Datasette metadata")
    click.echo(
        f"wrote {output}: {plural(tally.versions, 'version')} of "
        f"{plural(tally.claims, 'claim')} from {plural(len(written), 'source')}"
    )


@main.command()
@click.option("--event", metavar="E", help="Only the claims about event E.")
@click.option("--all", "show_all", is_flag=True, help="Draw retired claims too.")
@click.option(
    "-o",
    "--output",
    type=OUTPUT_PATH,
    help="Write the page to FILE.html (replaced atomically) instead of standard output.",
)
@click.pass_context
def timeline(ctx, event, show_all, output):
    """Draw the claims' history as one self-contained HTML page.

    Each claim is a lane across publication time; each version a mark at its source's
    published date (an uncertain date is a bar over its interval), shaped and coloured by its
    change kind, with the value written where it changed. Contradictions are red and listed
    at the top. Hovering a mark shows its quote and source; every version is also listed
    below the chart. The page loads nothing from the network and prints on A4 landscape.
    Retired claims (those whose file names the claims that replace them in `superseded_by`)
    are left out unless --all, as in `claims list`.
    """
    from .errors import NotFound, UsageError
    from .repo import unknown
    from .timeline import build_page, write_page

    repo = open_repo(ctx)
    if output is not None:
        check_output(repo, output)
    elif sys.stdout.isatty():
        raise UsageError("the timeline is an HTML page: give --output FILE.html or redirect it")
    from .asof import is_retired
    from .queries import collector_paused, history_by_claim

    drawn = 0  # claims with history, retired ones left out unless --all
    known: set[str] = set()  # their events
    cited: set = set()

    def chosen(claims):
        """The claims to draw, one at a time, noting what the messages and the page need."""
        nonlocal drawn
        for claim_id, story in claims:
            versions = story.readings
            if not show_all and is_retired(versions):
                continue
            drawn += 1
            events = {v.claim.event for v in versions if v.claim}
            known.update(events)
            if event is not None and event not in events:
                continue
            cited.update(v.claim.source for v in versions if v.claim)
            yield claim_id, story

    with collector_paused(), history_by_claim(repo, told=True) as whole:
        page = build_page(chosen(whole.claims), sources=0, head=whole.head,
                          truncated=whole.truncated)  # fmt: skip
    if not drawn:
        raise NotFound(
            "no claim has a committed version yet: nothing to draw (commit claims first)"
        )
    if not page.lanes:
        raise NotFound(unknown("event", event, sorted(known)))
    page.sources = len(cited)
    fill = lambda write: write_page(page, write)  # noqa: E731
    if output is None:
        write_stdout(fill)
        return
    write_output(output, lambda path: write_streamed(path, fill))
    versions = sum(len(lane.marks) for lane in page.lanes)
    click.echo(f"wrote {output}: {plural(len(page.lanes), 'claim')}, {plural(versions, 'version')}")
