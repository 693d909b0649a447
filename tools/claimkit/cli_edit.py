"""Commands for editing and reviewing: record, add-source, review, git-setup and git's drivers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli import complete_claim_ids, complete_source_ids, format_option, main, open_repo, output
from .errors import EXIT_FINDINGS
from .model import MODALITIES

MODALITY = click.Choice(MODALITIES)


@main.command()
@click.argument("claim_id", metavar="ID", shell_complete=complete_claim_ids)
@click.option(
    "--source",
    required=True,
    shell_complete=complete_source_ids,
    help="The article this version comes from (a seeds/ id).",
)
@click.option(
    "--value",
    "values",
    multiple=True,
    help="The value as the article states it; repeat for place and people. A date may be left "
    "to --time-expression instead.",
)
@click.option(
    "--quote",
    "quotes",
    multiple=True,
    required=True,
    help="The article's own words, verbatim; repeat for several quotes. '…' or '...' marks an "
    "elision between verbatim fragments.",
)
@click.option("--modality", type=MODALITY, help="How the article reports it [default: unchanged].")
@click.option(
    "--time-expression",
    help="The relative phrase the value was resolved from; without --value, a date claim's value "
    "is resolved from it against the source's published date (e.g. 'next Friday').",
)
@click.option("--note", help="Why the value reads as it does, where that took judgement.")
@click.option("--commit", is_flag=True, help="Commit the claim file, and nothing else.")
@click.option("--force", is_flag=True, help="Edit the file even if it has uncommitted changes.")
@format_option("text", "json")
@click.pass_context
def record(
    ctx, claim_id, source, values, quotes, modality, time_expression, note, commit, force, fmt
):
    """Record a new version of claim ID as article SOURCE reports it.

    Without --value, a date claim's value is resolved from --time-expression ("next Friday")
    against the source's published date, and the note says how (docs/editing.md lists the
    phrases). --quote repeats for several quotes; '…' marks an elision.

    Edits claims/ID.yaml in place: value, source and quote are replaced, the modality too when
    given; --time-expression and --note belong to the article they were read from, so those of
    the previous version are removed unless given again, and so is `also`. Every other line of the file, comments
    included, stays byte for byte. The result must pass every `claims check` rule (a quote not
    found in the article is refused) before the file is replaced, atomically. A file with
    uncommitted changes is refused unless --force.

    With --commit, makes one commit of that file alone, whatever else is staged, with a message
    like `summit-date: 2025-08-15 -> 2025-09-18 (contradicted) [a3]` and the trailers `Claim:`
    and `Source:`. The commit runs no git hooks: the file has just been checked.
    """
    from .editing import record as record_version
    from .render.review import emit_recorded

    repo = open_repo(ctx)
    recorded = record_version(
        repo, claim_id, source=source, values=values, quote=quotes, modality=modality,
        time_expression=time_expression, note=note, force=force, commit=commit,
    )  # fmt: skip
    emit_recorded(fmt, recorded)


@main.command("commit")
@click.option("--dry-run", is_flag=True, help="Say what would be committed, and commit nothing.")
@format_option("text", "json")
@click.pass_context
def commit_command(ctx, dry_run, fmt):
    """Commit the uncommitted claim files: one commit per article they cite.

    Groups every claim file that differs from HEAD by its source and makes one commit per
    source, in publication order, holding the claim files and the source's own files when
    they are new or changed. Each message names the article and each claim's change in the
    story (with its effect on the next article's version, and whether it was recorded out of
    story order); the trailers name the source and the claims. Every file must pass the
    claim rules first; other staged work is left staged. The commits run no git hooks.
    """
    from .committing import commit_articles
    from .render.review import emit_commits

    repo = open_repo(ctx)
    emit_commits(fmt, commit_articles(repo, dry_run=dry_run))


@main.command("quote")
@click.argument("source")
@click.argument("words")
@click.pass_context
def quote_command(ctx, source, words):
    """Print the passages of article SOURCE that match WORDS, verbatim, ready to paste.

    Case and whitespace runs are set aside when looking; each passage is printed as the article
    has it, one a line, as a --quote option. An elision (… or ...) in WORDS looks for each
    fragment. When nothing matches, prints the closest passage and the words that differ, and
    exits with 1.
    """
    from .editing import find_quote

    found = find_quote(open_repo(ctx), source, words)
    for passage in found.passages:
        click.echo(f"--quote {shell_quote(passage)}")
    if not found.passages:
        from .errors import NoMatch

        if found.near is None:
            raise NoMatch(f"no word of {words!r} is in source {source}")
        raise NoMatch(f"not in source {source} as given; {found.near.describe()}")


def shell_quote(text: str) -> str:
    """Text as one shell word, in double quotes where it holds no character they would change."""
    if not any(c in text for c in '"$`\\!'):
        return f'"{text}"'
    import shlex

    return shlex.quote(text)


@main.command("add-source")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--published", metavar="EDTF", help="When the article appeared [a page: the date found in it]."
)
@click.option("--title", help="The article's headline [a page: its title].")
@click.option("--outlet", help="Who published it.")
@click.option("--url", help="Where it was published.")
@click.option("--basis", help="How the published date was established (the dateline, ...).")
@click.option("--id", "source_id", help="The source id [default: FILE's name without extension].")
@click.option("--into", "folder", metavar="FOLDER", help="A subfolder of seeds/, e.g. 2025-08.")
@click.option("--commit", is_flag=True, help="Commit the two new files, and nothing else.")
@format_option("text", "json")
@click.pass_context
def add_source(ctx, file, published, title, outlet, url, basis, source_id, folder, commit, fmt):
    """Register the article in FILE as a source: its text and metadata under seeds/.

    A plain-text FILE is copied byte for byte to seeds/ID.txt (it must be UTF-8; --published
    and --title are required) and seeds/ID.yaml gets the title, outlet, url, published date
    (EDTF: a day, or an uncertain date or interval when the article has no dateline), its
    basis and the text's sha256.

    A saved web page (FILE.html, or any file that starts as HTML) has its article extracted:
    the main text goes to seeds/ID.txt, the page itself is kept as seeds/ID.html, and the
    title, site name (outlet), canonical url and publication date come from the page, the
    basis saying where the date was found. Every option given overrides what the page says.
    A page with no date found is refused: give --published.

    Refuses an existing id, a text already registered under another id, and an invalid date.
    """
    from .addsource import add_source as add
    from .render.review import emit_added_source

    repo = open_repo(ctx)
    added = add(
        repo, file, published=published, title=title, outlet=outlet, url=url, basis=basis,
        source_id=source_id, folder=folder, commit=commit,
    )  # fmt: skip
    emit_added_source(fmt, added)


@main.command()
@click.argument("revisions", nargs=-1, required=True, metavar="BASE..HEAD")
@format_option("markdown", "json")
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the review to FILE instead of standard output.",
)
@click.option(
    "--comment",
    "comment_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the pull-request comment to FILE: a marker to find it again, and the "
    "review cut to GitHub's 65,000 characters.",
)
@click.pass_context
def review(ctx, revisions, fmt, output_file, comment_file):
    """A Markdown review of every claim changed between BASE and HEAD, for a pull request.

    Takes BASE..HEAD, BASE...HEAD (from the merge base, as a pull request compares) or BASE
    HEAD. For each changed claim: old and new value, change kind, the new version's source with
    its published date and quote, the earlier versions in HEAD's history that the new value
    contradicts (any of them, not only the previous one), and every `claims check` problem in
    the changed claim and source files, checked as they are at HEAD. Ends with a one-line
    verdict. In GitHub Actions the Markdown is also appended to $GITHUB_STEP_SUMMARY (cut to
    its 1 MiB). A review cut to fit keeps whole claim sections and counts those left out.

    Exit 0, or 1 when the changed files have check errors.
    """
    from . import ci
    from .errors import UsageError
    from .files import atomic_write
    from .render import review as render_review
    from .review import review_revisions

    repo = open_repo(ctx)
    result = review_revisions(repo, revisions)
    markdown = render_review.review_markdown(result)
    text = render_review.review_json(result) + "\n" if fmt == "json" else markdown
    if output_file is not None:
        from .cli_export import check_output

        check_output(repo, output_file)  # never over a claim or an article, as export refuses
        try:
            atomic_write(output_file, text.encode("utf-8"))
        except OSError as err:
            raise UsageError(f"--output {output_file}: {err.strerror}") from None
    else:
        output(text.rstrip("\n"))
    if comment_file is not None:
        try:
            atomic_write(comment_file, ci.comment_body(markdown).encode("utf-8"))
        except OSError as err:
            raise UsageError(f"--comment {comment_file}: {err.strerror}") from None
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(ci.summary_text(markdown) + "\n")
        except OSError as err:
            raise UsageError(f"GITHUB_STEP_SUMMARY {summary}: {err.strerror}") from None
    if result.errors:
        sys.exit(EXIT_FINDINGS)


@main.command("git-setup")
@click.pass_context
def git_setup(ctx):
    """Install the claims diff and merge drivers in this repository (idempotent).

    Sets diff.claims.textconv (cached) and merge.claims.driver in the repository's own git
    config (.git/config, nothing global) and adds `claims/*.yaml diff=claims merge=claims` to
    .gitattributes. Then `git diff`, `git log -p` and `git show` keep git's own patch, with
    every option and colour, and show each claim's meaning below its text; `git merge` keeps
    each article's reading whole. A missing or broken tool leaves git working, with one
    warning. Run it again after moving the installation: the drivers run this Python by its
    absolute path.
    """
    from .gitdrivers import git_setup as setup

    repo = open_repo(ctx)
    changed = setup(repo)
    if changed:
        click.echo(f"set up git drivers for claim files: {', '.join(changed)}")
        if ".gitattributes" in changed:
            click.echo("commit .gitattributes so that everyone's git uses them")
    else:
        click.echo("git drivers already set up; nothing to do")


@main.command("textconv")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def textconv(file):
    """git's textconv filter for claim files (installed by `claims git-setup`).

    Prints FILE as it is, then its meaning in lines starting `#= `: the value as words with
    its type and modality, the other readings of `also`, and the source. git diffs that text
    with its own options (colour, -U0, --word-diff, --color-words) and caches it per blob.
    """
    from .files import read_bytes
    from .textconv import textconv as convert

    sys.stdout.write(convert(read_bytes(file, str(file)), str(file)))


@main.command("diff-driver", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def diff_driver(args):
    """git's external diff command for claim files (installed by `claims git-setup`).

    Called by git as: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE [NEW-PATH INFO].
    Prints the claim's change (value and change kind, other fields, source, quote) and then
    the plain unified diff.
    """
    from .errors import UsageError
    from .gitdrivers import external_diff
    from .render import review as render_review

    if len(args) == 1:
        click.echo(render_review.unmerged(args[0]), nl=False)
        return
    if len(args) not in (7, 9):
        raise UsageError(f"diff-driver takes the 7 or 9 arguments git passes, not {len(args)}")
    change = external_diff(list(args))
    click.echo(render_review.driver_header(change) + render_review.plain_patch(change), nl=False)


@main.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("path", required=False)
@click.option("--marker-size", type=click.IntRange(1, 1024), default=7, show_default=True)
def merge_driver(base, ours, theirs, path, marker_size):
    """git's merge driver for claim files (installed by `claims git-setup`).

    Merges BASE, OURS and THEIRS field by field and writes the result over OURS, atomically.
    Changes to different fields merge cleanly; two different new values for one field are a
    conflict, written between standard conflict markers that name both sources, and the exit
    status is 1 so that git reports it. Files that are not claim mappings merge line by line.
    """
    from .files import atomic_write
    from .gitmerge import merge_claim_files
    from .render import review as render_review

    display = path or str(ours)
    data, result = merge_claim_files(base, ours, theirs, display, marker_size)
    atomic_write(ours, data)
    if result.conflicts:
        click.echo(render_review.merge_message(display, result), err=True)
        sys.exit(EXIT_FINDINGS)
