"""Rendering in one place: tables, JSON and messages, from the core's records."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .model import Claim, Source
from .values import value_text

if TYPE_CHECKING:  # only for annotations: check pulls in much that rendering a log does not need
    from .check import Report


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False)


def table(rows: list[list[Any]], headers: list[str]) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def truncate(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# check ------------------------------------------------------------------------------------------


def report_text(report: Report) -> str:
    lines = [
        f"{p.path}:{p.line}:{p.column}: {p.severity}: {p.message} [{p.rule}]"
        for p in report.problems
    ]
    lines.append(
        f"{report.errors} error{'s' * (report.errors != 1)}, "
        f"{report.warnings} warning{'s' * (report.warnings != 1)} in {report.files} files"
    )
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(report: Report) -> str:
    """GitHub workflow commands: one annotation per problem."""
    return "\n".join(
        f"::{p.severity} file={_escape_property(p.path)},line={p.line},col={p.column},"
        f"title={_escape_property(p.rule)}::{_escape_data(p.message)}"
        for p in report.problems
    )


def report_json(report: Report) -> str:
    return to_json(report.to_json())


# claims and sources -----------------------------------------------------------------------------


def claim_json(claim: Claim, path: str) -> dict:
    return {"path": path, **claim.to_data()}


def claim_text(claim: Claim) -> str:
    lines = [f"{name:16}{value_text(value, claim.type)}" for name, value in claim.to_data().items()]
    return "\n".join(lines)


def source_json(source: Source, path: str, claims: list[str]) -> dict:
    return {"path": path, **source.to_data(), "claims": claims}


def sources_table(sources: list[tuple[Source, list[str]]]) -> str:
    rows = [
        [s.id, s.published, truncate(s.display_title, 50), len(claims)] for s, claims in sources
    ]
    return table(rows, ["id", "published", "title", "claims"])


# history ----------------------------------------------------------------------------------------

CHANGE_COLOURS = {
    "first-report": "cyan",
    "corroborated": "blue",
    "refined": "green",
    "broadened": "yellow",
    "contradicted": "red",
    "changed": "magenta",
    "edited": "bright_black",
    "unreadable": "red",
}


def version_json(version) -> dict:
    claim, source = version.claim, version.source
    return {
        "commit": version.commit,
        "recorded": version.recorded,
        "source": claim.source if claim else None,
        "title": source.title if source else None,
        "published": source.published if source else None,
        "value": claim.value if claim else None,
        "modality": claim.modality if claim else None,
        "change": version.change,
        "detail": version.detail,
        "quote": claim.quote if claim else None,
        "out_of_order": version.out_of_order,
    }


def log_json(claim_id: str, versions: list, truncated: bool) -> str:
    return to_json(
        {"claim": claim_id, "truncated": truncated, "versions": [version_json(v) for v in versions]}
    )


def _published_text(version) -> str:
    source = version.source
    if source is None:
        return "unknown date"
    published = source.published_range
    return published.describe() if published else source.published


def log_text(claim_id: str, versions: list, truncated: bool, style) -> str:
    """`style(text, fg=..., bold=...)` colours a piece; the caller passes a no-op off a terminal."""
    kind = next((v.claim.type for v in versions if v.claim), "")
    lines = [
        style(f"{claim_id}", bold=True) + f"  {len(versions)} version{'s' * (len(versions) != 1)}"
    ]
    if truncated:
        lines.append(
            style("history is truncated (shallow clone): older versions are missing", fg="yellow")
        )
    for version in versions:
        claim = version.claim
        lines.append("")
        title = version.source.display_title if version.source else "(source metadata missing)"
        source_id = claim.source if claim else "?"
        lines.append(
            style(_published_text(version), bold=True) + f"  {source_id}  {truncate(title, 70)}"
        )
        change = style(f"{version.change:13}", fg=CHANGE_COLOURS.get(version.change))
        if claim is None:
            lines.append(f"  {change} {version.detail}")
        else:
            value = value_text(claim.value, kind)
            detail = (
                f"  ({version.detail})"
                if version.detail and version.change != "first-report"
                else ""
            )
            lines.append(f"  {change} {value}  [{claim.modality}]{detail}")
            lines.append(f'  "{truncate(claim.quote, 160)}"')
            if claim.time_expression:
                lines.append(f"  time expression: {claim.time_expression}")
        flags = "  recorded out of chronological order" if version.out_of_order else ""
        lines.append(
            style(
                f"  commit {version.commit[:12]}  recorded {version.recorded}{flags}",
                fg="bright_black",
            )
        )
    return "\n".join(lines)


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def log_markdown(claim_id: str, versions: list, truncated: bool) -> str:
    kind = next((v.claim.type for v in versions if v.claim), "")
    lines = [f"### `{claim_id}`", ""]
    if truncated:
        lines += ["> History is truncated (shallow clone).", ""]
    lines += [
        "| published | source | change | value | modality | quote |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for v in versions:
        c = v.claim
        value = value_text(c.value, kind) if c else ""
        if v.detail and v.change != "first-report":
            value += f" ({v.detail})"
        order = " (recorded out of order)" if v.out_of_order else ""
        lines.append(
            f"| {_md(_published_text(v))} | {_md(c.source if c else '?')} | {v.change}{order} | "
            f"{_md(value)} | {c.modality if c else ''} | {_md(c.quote if c else v.detail)} |"
        )
    return "\n".join(lines)


def listing_json(rows: list) -> dict:
    """rows: (claim, path, versions count, contested)."""
    return {
        "claims": [
            {"path": path, **claim.to_data(), "versions": count, "contested": contested}
            for claim, path, count, contested in rows
        ]
    }


def listing_table(rows: list) -> str:
    table_rows = [
        [c.id, c.type, truncate(value_text(c.value, c.type), 40), c.modality, c.source, count,
         "yes" if contested else ""]
        for c, _path, count, contested in rows
    ]  # fmt: skip
    return table(table_rows, ["id", "type", "value", "modality", "source", "versions", "contested"])


def diff_text(diffs: list) -> str:
    if not diffs:
        return "no claim differs"
    lines = []
    for d in diffs:
        kind = (d.new or d.old).type if (d.new or d.old) else ""
        old = value_text(d.old.value, kind) if d.old else "(none)"
        new = value_text(d.new.value, kind) if d.new else "(none)"
        sources = f"{d.old.source if d.old else '-'} -> {d.new.source if d.new else '-'}"
        lines.append(f"{d.claim_id}: {old} -> {new} ({d.change})  [{sources}]")
        if d.error:
            lines.append(f"  {d.error}")
        else:
            extra = [part for part in d.detail.split("; ") if part and part != f"{old} -> {new}"]
            if extra:
                lines.append(f"  {'; '.join(extra)}")
    return "\n".join(lines)


def diff_markdown(diffs: list) -> str:
    if not diffs:
        return "No claim differs."
    lines = ["| claim | old | new | change | sources |", "| --- | --- | --- | --- | --- |"]
    for d in diffs:
        kind = (d.new or d.old).type
        old = value_text(d.old.value, kind) if d.old else ""
        new = value_text(d.new.value, kind) if d.new else ""
        sources = f"{d.old.source if d.old else '-'} → {d.new.source if d.new else '-'}"
        lines.append(f"| `{d.claim_id}` | {_md(old)} | {_md(new)} | {d.change} | {_md(sources)} |")
    return "\n".join(lines)


def blame_rows(lines: list) -> list[dict]:
    return [
        {
            "field": line.field,
            "value": line.value,
            "commit": line.version.commit,
            "recorded": line.version.recorded,
            "source": line.version.claim.source,
            "published": line.version.source.published if line.version.source else None,
        }
        for line in lines
    ]


def blame_text(rows: list[dict]) -> str:
    table_rows = [
        [r["field"], truncate(value_text(r["value"]), 48), r["commit"][:12], r["recorded"][:10],
         r["source"], r["published"] or "?"]
        for r in rows
    ]  # fmt: skip
    return table(table_rows, ["field", "value", "commit", "recorded", "source", "published"])


# maintenance ------------------------------------------------------------------------------------


def maintenance_text(report) -> str:
    lines = [f"history: {report.commits} commits"]
    lines.append(f"commit-graph: {report.graph_action} ({report.graph_after.describe()})")
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
