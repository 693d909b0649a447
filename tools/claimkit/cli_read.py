"""The reading commands: `list`, `sources`, `show`, `log`, `diff` and `blame`."""

from __future__ import annotations

import sys

import click

from .cli import BadFiles, complete_claim_ids, complete_source_ids, format_option, main, open_repo
from .errors import EXIT_FINDINGS


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
@click.option(
    "--story/--no-story",
    default=None,
    help="Place each new reading in its claim's story (its change kind against its story "
    "predecessor, and what it does to the story), or compare the two files. Default: "
    "--story for the working tree against HEAD, --no-story with a revision.",
)
@format_option("text", "json", "markdown")
@click.option("--exit-code", is_flag=True, help="Exit 1 when any claim differs.")
@click.pass_context
def diff(ctx, revisions, source_pair, story, fmt, exit_code):
    """Semantic diff of claims: the working tree against HEAD, or between revisions.

    `claims diff` compares the working tree with HEAD; `claims diff A` the working tree with
    A; `claims diff A B` or `claims diff A..B` revision A with B. With --sources S1 S2, every
    claim as it stood after article S1 against after article S2, in publication order. Each
    differing claim shows old -> new value, change kind and sources. Between revisions the
    kind is the new file's against the old file; with --story (the default for the working
    tree against HEAD) it is the new reading's against its predecessor in the story, with
    notes on what the reading does to the story, at the cost of reading the changed claims'
    history.
    """
    from .queries import claim_diffs
    from .render.story import emit_diff

    repo = open_repo(ctx)
    diffs = claim_diffs(repo, revisions, source_pair, story)

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
