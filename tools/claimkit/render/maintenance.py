"""`claims maintenance`'s report."""

from __future__ import annotations

from . import shapes, terminal
from .text import plural


def graph_text(state) -> str:
    if state.layers == 0:
        return "none"
    filters = "with" if state.bloom else "without"
    head = "" if state.covers_head else ", HEAD not yet in it"
    return (
        f"{state.commits} commits in {plural(state.layers, 'layer')}, "
        f"{filters} changed-path Bloom filters{head}"
    )


def maintenance_text(report) -> str:
    lines = [f"history: {report.commits} commits"]
    lines.append(f"commit-graph: {report.graph_action} ({graph_text(report.graph_after)})")
    if report.cache_cleared:
        lines.append(f"cache: cleared {', '.join(report.cache_cleared)}")
    if report.cache_files:
        total = sum(size for _, size in report.cache_files)
        names = ", ".join(name for name, _ in report.cache_files)
        lines.append(f"cache: {len(report.cache_files)} files, {total / 1e6:.1f} MB ({names})")
    else:
        lines.append("cache: none (turned off, or nothing to cache)")
    lines.append(f"done in {report.seconds:.1f} s")
    return "\n".join(lines)


def emit_maintenance(fmt: str, report) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.maintenance(report)))
    else:
        terminal.output(maintenance_text(report))
