"""`claims check`'s report: text, GitHub annotations, JSON."""

from __future__ import annotations

from . import shapes, terminal
from .text import plural, problem_line

SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}


def problem_text(p) -> str:
    severity = terminal.style(p.severity, fg=SEVERITY_COLOURS.get(p.severity), bold=True)
    return problem_line(p.path, p.line, p.column, p.message, p.rule, severity)


def report_text(report) -> str:
    lines = [problem_text(p) for p in report.problems]
    lines.append(
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} "
        f"in {report.files} files"
    )
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(report) -> str:
    """GitHub workflow commands: one annotation per problem."""
    return "\n".join(
        f"::{p.severity} file={_escape_property(p.path)},line={p.line},col={p.column},"
        f"title={_escape_property(p.rule)}::{_escape_data(p.message)}"
        for p in report.problems
    )


def emit_check(fmt: str, report) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.report(report)))
    elif fmt == "github":
        text = report_github(report)
        if text:
            terminal.echo(text)
    else:
        terminal.echo(report_text(report))
