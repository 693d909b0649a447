"""`claims check`: the claim and source files validated, all of them or what changed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli import format_option, main, open_repo
from .errors import EXIT_FINDINGS


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
