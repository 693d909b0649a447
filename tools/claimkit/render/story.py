"""A claim's story: `claims log`, `claims diff` and `claims blame`."""

from __future__ import annotations

from ..kinds import TABLE as KIND_TABLE
from ..quotes import quote_list, quote_text
from ..values import value_text
from . import shapes, terminal
from .listing import published_text, standing_text, title_with_outlet
from .text import PAD, md, plural, table, wrap

BLAME_STEPS = ((1, 30), PAD, (4, 8), (1, 12), (5, 10), (1, 8))

# From the one table of change kinds, with what a diff says of a claim new or gone.
CHANGE_COLOURS = {
    **{kind.name: kind.terminal for kind in KIND_TABLE},
    "added": "green",
    "removed": "red",
}


def log_text(
    claim_id: str, versions: list, truncated: bool, width: int | None = None, standing=None
) -> str:
    """Each version in full: long headlines, quotes and notes wrap at WIDTH, none is cut.
    The line under the header gives the claim's standing."""
    style = terminal.style
    kind = next((v.claim.type for v in versions if v.claim), "")
    lines = [style(claim_id, bold=True) + f"  {plural(len(versions), 'version')}"]
    if standing_text(standing):
        lines += wrap(standing_text(standing), width, "  ", "")
    if truncated:
        lines.append(
            style("history is truncated (shallow clone): older versions are missing", fg="yellow")
        )
    for version in versions:
        claim = version.claim
        lines.append("")
        title = title_with_outlet(version.source) if version.source else "(source metadata missing)"
        published = published_text(version)
        source_id = claim.source if claim else "?"
        heading = wrap(f"{published}  {source_id}  {title}", width, "    ", "", spaces=True)
        lines.append(style(published, bold=True) + heading[0][len(published) :])
        lines += heading[1:]
        change = style(f"{version.change:13}", fg=CHANGE_COLOURS.get(version.change))
        if claim is None:
            lines.append(f"  {change} {version.detail}")
        else:
            value = value_text(claim.value, kind)
            detail = f"  ({version.detail})" if version.detail else ""
            line = wrap(f"{value}  [{claim.modality}]{detail}", width, " " * 16, " " * 16, True)
            lines += [f"  {change} {line[0][16:]}", *line[1:]]
            for quote in quote_list(claim.quote):
                lines += wrap(f'"{quote}"', width, "   ", "  ")
            for said in claim.also or []:  # the article's other statement: its own quotes
                if isinstance(said, dict):
                    for quote in quote_list(said.get("quote")):
                        lines += wrap(f'"{quote}"', width, "    ", "  also: ")
            if claim.time_expression:
                lines += wrap(claim.time_expression, width, "    ", "  time expression: ")
            if claim.note:
                lines += wrap(claim.note, width, "    ", "  note: ")
        flags = "  recorded out of chronological order" if version.out_of_order else ""
        if version.edits:
            flags += f"  edited ({len(version.edits) + 1} readings)"
        if version.uncertain:
            flags += f"  order uncertain against {', '.join(version.uncertain)}"
        commit = f"commit {version.commit[:12]}  recorded {version.recorded}{flags}"
        lines += [
            style(line, fg="bright_black") for line in wrap(commit, width, "    ", "  ", True)
        ]
    return "\n".join(lines)


def log_markdown(claim_id: str, versions: list, truncated: bool, standing=None) -> str:
    kind = next((v.claim.type for v in versions if v.claim), "")
    lines = [f"### `{claim_id}`", ""]
    if standing_text(standing):
        lines += [f"Standing: {md(standing_text(standing))}", ""]
    if truncated:
        lines += ["> History is truncated (shallow clone).", ""]
    lines += [
        "| published | source | change | value | modality | quote |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for v in versions:
        c = v.claim
        value = value_text(c.value, kind) if c else ""
        if v.detail:
            value += f" ({v.detail})"
        order = " (recorded out of order)" if v.out_of_order else ""
        if v.edits:
            order += " (edited)"
        if v.uncertain:
            order += f" (order uncertain against {', '.join(v.uncertain)})"
        lines.append(
            f"| {md(published_text(v))} | {md(c.source if c else '?')} | {v.change}{order} | "
            f"{md(value)} | {c.modality if c else ''} | {md(quote_text(c.quote) if c else v.detail)} |"
        )
    return "\n".join(lines)


def emit_log(fmt: str, claim_id: str, versions: list, truncated: bool, standing=None) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.log(claim_id, versions, truncated, standing)))
    elif fmt == "markdown":
        terminal.echo(log_markdown(claim_id, versions, truncated, standing))
    else:
        terminal.output(log_text(claim_id, versions, truncated, terminal.width(), standing))


def diff_text(diffs: list, width: int | None = None) -> str:
    if not diffs:
        return "no claim differs"
    lines = []
    for d in diffs:
        kind = (d.new or d.old).type if (d.new or d.old) else ""
        old = value_text(d.old.value, kind) if d.old else "(none)"
        new = value_text(d.new.value, kind) if d.new else "(none)"
        sources = f"{d.old.source if d.old else '-'} -> {d.new.source if d.new else '-'}"
        change = terminal.style(d.change, fg=CHANGE_COLOURS.get(d.change))
        lines.append(f"{d.claim_id}: {old} -> {new} ({change})  [{sources}]")
        if d.error:
            lines += wrap(d.error, width, "    ", "  ")
        else:
            extra = [part for part in d.detail.split("; ") if part and part != f"{old} -> {new}"]
            if extra:
                lines += wrap("; ".join(extra), width, "    ", "  ")
            for note in d.notes:
                lines += wrap(note, width, "    ", "  ")
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
        lines.append(f"| `{d.claim_id}` | {md(old)} | {md(new)} | {d.change} | {md(sources)} |")
    return "\n".join(lines)


def emit_diff(fmt: str, diffs: list) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json({"claims": [shapes.claim_diff(d) for d in diffs]}))
    elif fmt == "markdown":
        terminal.echo(diff_markdown(diffs))
    else:
        terminal.output(diff_text(diffs, terminal.width()))


def blame_text(rows: list[dict], width: int | None = None) -> str:
    table_rows = [
        [r["field"], value_text(r["value"]), r["commit"][:12], r["recorded"][:10],
         r["source"], r["published"] or "?"]
        for r in rows
    ]  # fmt: skip
    headers = ["field", "value", "commit", "recorded", "source", "published"]
    return table(table_rows, headers, width, BLAME_STEPS)


def emit_blame(fmt: str, claim_id: str, lines: list) -> None:
    rows = shapes.blame_rows(lines)
    if fmt == "json":
        terminal.echo(shapes.to_json({"claim": claim_id, "fields": rows}))
    else:
        terminal.output(blame_text(rows, terminal.width()))
