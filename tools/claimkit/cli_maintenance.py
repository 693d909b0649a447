"""`claims maintenance`: the commit-graph and the cache, made ready ahead of the readers."""

from __future__ import annotations

import click

from .cli import format_option, main, open_repo


@main.command("maintenance")
@click.option("--clear-cache", is_flag=True, help="Delete the cache under .git/claims-cache first.")
@format_option("text", "json")
@click.pass_context
def maintenance(ctx, clear_cache, fmt):
    """Make reading history fast: commit-graph with Bloom filters, and the history cache.

    Writes git's commit-graph with changed-path Bloom filters (`git commit-graph write
    --reachable --changed-paths`), or adds the commits since it was written, so that the
    path-limited `git log` behind `claims log` skips commits that do not touch the claim.
    Then reads every claim's history into the cache under .git/claims-cache, which `claims
    list` and the other whole-history commands reuse while HEAD and the files stay as they
    were. Both are disposable: delete them and they are rebuilt. Reading commands also write
    the commit-graph by themselves when it is missing on a long history (set
    CLAIMS_AUTO_MAINTENANCE=0 to stop them); this command does it on any history, at once.
    """
    from .maintenance import run_maintenance
    from .render.maintenance import emit_maintenance

    report = run_maintenance(open_repo(ctx), clear_cache=clear_cache)
    emit_maintenance(fmt, report)
