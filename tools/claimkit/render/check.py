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


ANNOTATIONS_PER_LEVEL = 10  # GitHub shows this many annotations of each level per step


def report_github(report) -> str:
    """GitHub workflow commands, grouped per file as yamllint does: one annotation per problem,
    up to GitHub's limit per level; the rest as plain log lines, with a count of them."""
    lines, shown, plain = [], {}, {}
    for path in dict.fromkeys(p.path for p in report.problems):
        lines.append(f"::group::{_escape_data(path)}")
        for p in (p for p in report.problems if p.path == path):
            where = f"{p.line}:{p.column}"
            if shown.get(p.severity, 0) < ANNOTATIONS_PER_LEVEL:
                shown[p.severity] = shown.get(p.severity, 0) + 1
                lines.append(
                    f"::{p.severity} file={_escape_property(p.path)},line={p.line},"
                    f"col={p.column},title={_escape_property(p.rule)}::"
                    f"{where} {_escape_data(p.message)} [{p.rule}]"
                )
            else:
                plain[p.severity] = plain.get(p.severity, 0) + 1
                lines.append(f"  {where} {p.severity} {p.message} [{p.rule}]")
        lines.append("::endgroup::")
    for severity, count in plain.items():
        lines.append(
            f"{count} more {severity}{'s' * (count != 1)} in the log above, not as annotations "
            f"(GitHub shows {ANNOTATIONS_PER_LEVEL} per level)"
        )
    return "\n".join(lines)


def emit_check(fmt: str, report) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.report(report)))
    elif fmt == "github":
        text = report_github(report)
        if text:
            terminal.echo(text)
    else:
        terminal.echo(report_text(report))
