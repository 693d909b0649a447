"""The editing and review workflow: `claims review`, git's diff and merge drivers, `record`."""

from __future__ import annotations

from ..compare import SAME, compare_values
from ..model import CLAIM_FIELDS
from ..quotes import quote_list, quote_text
from ..values import value_text, value_text_with_bounds
from . import shapes, terminal
from .text import code, plural, problem_line, truncate
from .text import md as _md

# The semantic change of one claim ----------------------------------------------------------------


def _published(source) -> str:
    return "unknown (source not found)" if source is None else str(source.published)


def value_line(diff, with_kind: bool = True) -> str:
    """`2025-08-15 -> 2025-09-18 (contradicted)`, or the one value with the kind. Without the
    kind it says only how the file changed: the story's kind may differ, when the file's previous
    reading is not the new one's predecessor in publication order."""
    old, new = diff.old, diff.new
    kind = (new or old).type
    if old is None:
        return f"{value_text(new.value, kind)} (new claim)"
    if new is None:
        return f"{value_text(old.value, kind)} (claim removed)"
    label = f" ({diff.change})" if with_kind else ""
    if old.type != new.type:
        return f"{value_text(old.value, old.type)} -> {value_text(new.value, kind)}{label}"
    comparison = compare_values(kind, old.value, new.value)
    extra = [f"added {', '.join(comparison.added)}"] if comparison.added else []
    if comparison.removed:
        extra.append(f"not named again: {', '.join(comparison.removed)}")
    if with_kind:
        extra.insert(0, diff.change)
    notes = f" ({'; '.join(extra)})" if extra else ""
    if comparison.relation == SAME:
        return f"{value_text(new.value, kind)}{notes}"
    return f"{value_text(old.value, kind)} -> {value_text(new.value, kind)}{notes}"


def other_field_lines(diff) -> list[str]:
    """The other fields that changed, `name: old -> new`."""
    if diff.old is None or diff.new is None:
        return []
    old, new = diff.old.to_data(), diff.new.to_data()
    lines = []
    for name in CLAIM_FIELDS:
        if name in ("value", "source", "quote", "also") or old.get(name) == new.get(name):
            continue
        before = value_text(old.get(name)) if name in old else "(none)"
        after = value_text(new.get(name)) if name in new else "(none)"
        lines.append(f"{name}: {truncate(before, 60)} -> {truncate(after, 60)}")
    return lines


def source_line(claim, source, old_claim=None) -> str:
    was = f" (was {old_claim.source})" if old_claim and old_claim.source != claim.source else ""
    title = f', "{truncate(source.title, 70)}"' if source is not None and source.title else ""
    return f"{claim.source}{was}, published {_published(source)}{title}"


def driver_header(change) -> str:
    """The lines the diff driver prints above the plain diff of one claim file."""
    diff = change.diff
    if diff is None:
        return ""
    name = change.new_path
    if diff.error:
        return f"claims: {name}: not readable as a claim: {diff.error}\n"
    lines = [f"claims: {diff.claim_id}: {diff.change}", f"    value: {value_line(diff)}"]
    lines += [f"    {line}" for line in other_field_lines(diff)]
    claim = diff.new or diff.old
    source = change.new_source if diff.new else change.old_source
    lines.append(f"    source: {source_line(claim, source, diff.old if diff.new else None)}")
    for quote in quote_list(claim.quote):
        lines.append(f'    quote: "{truncate(quote, 200)}"')
    return "\n".join(lines) + "\n"


def plain_patch(change) -> str:
    """The plain unified diff, as git itself prints it."""
    import difflib

    a, b = f"a/{change.path}", f"b/{change.new_path}"
    header = [f"diff --git {a} {b}\n"]
    if change.rename_info:
        header.append(
            change.rename_info if change.rename_info.endswith("\n") else change.rename_info + "\n"
        )
    if change.old_text is None:
        header.append(f"new file mode {change.new_mode}\n")
    elif change.new_text is None:
        header.append(f"deleted file mode {change.old_mode}\n")
    elif change.old_mode != change.new_mode:
        header += [f"old mode {change.old_mode}\n", f"new mode {change.new_mode}\n"]
    old_lines = (change.old_text or "").splitlines(keepends=True)
    new_lines = (change.new_text or "").splitlines(keepends=True)
    if old_lines == new_lines:
        return "".join(header)
    mode = f" {change.new_mode}" if change.old_mode == change.new_mode else ""
    header.append(f"index {_short_hex(change.old_hex)}..{_short_hex(change.new_hex)}{mode}\n")
    body = difflib.unified_diff(
        old_lines,
        new_lines,
        a if change.old_text is not None else "/dev/null",
        b if change.new_text is not None else "/dev/null",
        lineterm="\n",
    )
    out = []
    for line in body:
        if line.startswith("@@"):
            out.append(line.rstrip("\n") + _function_context(line, old_lines) + "\n")
        elif line.startswith(("---", "+++")):
            out.append(line.rstrip(" \t\n") + "\n")  # difflib adds a tab when dates are empty
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(header + out)


def _function_context(hunk: str, old_lines: list[str]) -> str:
    """What git prints after a hunk header: the last line before the hunk that starts with a
    letter, '_' or '$' (git's default function-name rule), in at most 80 bytes."""
    import re

    match = re.match(r"@@ -(\d+)(?:,(\d+))? ", hunk)
    start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
    for line in reversed(old_lines[: max(start, 0)]):
        if line[:1].isascii() and (line[:1].isalpha() or line[:1] in "_$"):
            text = line.encode("utf-8")[:80].decode("utf-8", errors="ignore")
            return " " + text.rstrip()
    return ""


def _short_hex(text: str) -> str:
    """git passes '.' for the missing side of an added or deleted file."""
    return text[:7] if text and text != "." else "0" * 7


def unmerged(path: str) -> str:
    return f"* Unmerged path {path}\n"


# claims record -------------------------------------------------------------------------------


def recorded_text(recorded) -> str:
    lines = [recorded.message.splitlines()[0]]
    if not recorded.written and not recorded.commit:
        lines = [f"{recorded.claim_id}: already reads so; nothing written"]
    elif recorded.commit:
        kept = "" if recorded.written else " (it already read so)"
        lines.append(f"committed {recorded.commit[:12]}: {recorded.path}{kept}")
    else:
        lines.append(f"wrote {recorded.path} (not committed)")
    lines += list(recorded.notes)
    lines += [
        problem_line(p.path, p.line, p.column, p.message, p.rule, p.severity)
        for p in recorded.warnings
    ]
    return "\n".join(lines)


def emit_recorded(fmt: str, recorded) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.recorded(recorded)))
    else:
        terminal.echo(recorded_text(recorded))


def emit_added_source(fmt: str, added) -> None:
    if fmt == "json":
        data = {"path": added.meta_path, **added.source.to_data()}
        terminal.echo(
            shapes.to_json(
                {
                    "source": data,
                    "text": added.text_path,
                    "html": added.html_path,
                    "commit": added.commit,
                }
            )
        )
        return
    files = ", ".join(p for p in (added.meta_path, added.text_path, added.html_path) if p)
    terminal.echo(f"added source {added.source.id}: {files}")
    if added.html_path:
        source = added.source
        for name in ("title", "outlet", "url"):
            terminal.echo(f"  {name}: {getattr(source, name) or '(none found)'}")
        terminal.echo(f"  published: {source.published} ({source.published_basis})")
    if added.commit:
        terminal.echo(f"committed {added.commit[:12]}")


def emit_commits(fmt: str, made: list) -> None:
    """`claims commit`: each article's commit and its claims' changes."""
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.commits(made)))
        return
    for m in made:
        done = f"committed {m.commit[:12]}" if m.commit else "would commit"
        terminal.echo(f"{done}: {m.source_id} ({plural(len(m.paths), 'file')})")
        for line in m.changes:
            terminal.echo(f"  {line}")


# claims review -------------------------------------------------------------------------------

VERDICT_WORDS = {
    "not-ready": "not ready",
    "ready-with-findings": "ready, with findings to read",
    "ready": "ready",
    "no-changes": "nothing to review",
}


def verdict(review) -> str:
    claims = plural(len(review.claims), "claim") + " changed"
    sources = f", {plural(len(review.sources), 'source')} changed" if review.sources else ""
    parts = [
        plural(review.errors, "error"),
        plural(review.warnings, "warning"),
        f"{review.contradicting} contradicting another version",
    ]
    return f"{VERDICT_WORDS[review.status]}: {claims}{sources}; {'; '.join(parts)}"


def _problem_line(p) -> str:
    where = code(f"{p.path}:{p.line}:{p.column}")
    return f"- **{p.severity}** {where} {_md(p.message)} [{code(p.rule)}]"


def _version_line(version) -> str:
    claim = version.claim
    published = _published(version.source)
    return (
        f"- {_md(value_text(claim.value, claim.type))} from {code(claim.source)} "
        f"(published {_md(published)}; commit `{version.commit[:12]}`)"
    )


def _reading_lines(item) -> list[str]:
    """One reading the branch adds: value, source, published, kind, quote, and what follows."""
    v = item.reading
    claim = v.claim
    if claim is None:
        return [f"- unreadable at `{v.commit[:12]}`: {_md(v.detail)}"]
    edited = " (superseded: the article read again later in the branch)" if item.superseded else ""
    lines = [
        f"- {_md(value_text(claim.value, claim.type))} from `{claim.source}` (published "
        f"{_md(_published(v.source))}; commit `{v.commit[:12]}`): **{v.change}**"
        + (f" ({_md(v.detail)})" if v.detail and v.change != "first-report" else "")
        + edited,
        f"  > {_md(claim.quote)}",
    ]
    if v.uncertain:
        lines.append(f"  - order uncertain against {', '.join(f'`{s}`' for s in v.uncertain)}")
    lines += [f"  - {_md(note)}" for note in item.notes]
    lines += [f"  - finding (time sense): {_md(f)}" for f in item.findings]
    for c in item.contradictions:
        other = c.version.claim
        when = {"earlier": "published earlier", "later": "published later"}.get(
            c.published, "publication order uncertain"
        )
        lines.append(
            f"  - contradicts {_md(value_text(other.value, other.type))} from "
            f"`{other.source}` ({when}, {_md(_published(c.version.source))})"
        )
    return lines


def review_markdown(review) -> str:
    lines = [f"## Claims review {code(review.range)}", ""]
    lines.append(f"Comparing `{review.base[:12]}` with `{review.head[:12]}`.")
    lines.append("")
    if not review.claims and not review.sources:
        lines += ["No claim or source changed.", ""]
    for item in review.claims:
        diff = item.diff
        # The kind is the story's: the last reading the branch adds, at its place by
        # publication; the table below shows the files before and after.
        placed = [r for r in item.readings if not r.superseded and r.reading.claim is not None]
        kind = placed[-1].reading.change if placed else diff.change
        lines += [f"### {code(item.claim_id)}: {_md(kind)}", ""]
        if diff.error:
            lines += [f"Cannot compare: {_md(diff.error)}", ""]
        else:
            kind = (diff.new or diff.old).type
            lines += ["| | value | modality | source |", "| --- | --- | --- | --- |"]
            for label, claim in (("old", diff.old), ("new", diff.new)):
                if claim is None:
                    lines.append(f"| {label} | (none) | | |")
                else:
                    lines.append(
                        f"| {label} | {_md(value_text_with_bounds(claim.value, kind))} "
                        f"| {_md(claim.modality)} "
                        f"| {code(claim.source)} |"
                    )
            lines.append("")
            lines.append(f"**In the file:** {_md(value_line(diff, with_kind=False))}")
            others = other_field_lines(diff)
            if others:
                lines.append(f"<br>**Also changed:** {_md('; '.join(others))}")
            lines.append("")
            if diff.new is not None:
                source = item.source
                title = f" “{_md(source.title)}”" if source is not None and source.title else ""
                lines.append(
                    f"**Source:** {code(diff.new.source)}{title}, published {_md(_published(source))}"
                )
                lines.append("")
                lines.append(f"> {_md(quote_text(diff.new.quote))}")
                lines.append("")
                for entry in diff.new.also or []:
                    if isinstance(entry, dict):
                        said = _md(value_text(entry.get("value"), kind))
                        lines += [
                            f"**The article also says:** {said}",
                            "",
                            f"> {_md(quote_text(entry.get('quote')))}",
                            "",
                        ]
        if item.standing is not None and item.standing.state:
            from .listing import standing_text

            lines += [f"**Standing at head:** {_md(standing_text(item.standing))}", ""]
        if item.readings:
            lines += ["**Readings this branch adds** (at their place in the story):", ""]
            lines += [line for r in item.readings for line in _reading_lines(r)]
            lines.append("")
        if item.contradicted and not item.readings:
            lines.append("**Contradicts versions in the story:**")
            lines.append("")
            lines += [_version_line(v) for v in item.contradicted]
            lines.append("")
        if item.problems:
            lines.append("**Check:**")
            lines.append("")
            lines += [_problem_line(p) for p in item.problems]
            lines.append("")
    if review.sources:
        lines += ["### Sources", ""]
        for item in review.sources:
            source = item.source
            title = f" “{_md(source.title)}”" if source is not None and source.title else ""
            published = f", published {_md(_published(source))}" if source is not None else ""
            lines.append(f"- {code(item.source_id)} {item.status}{title}{published}")
            lines += ["  " + _problem_line(p) for p in item.problems]
        lines.append("")
    lines.append(f"**Verdict:** {verdict(review)}.")
    return "\n".join(lines) + "\n"


def review_json(review) -> str:
    return shapes.to_json(shapes.review(review, verdict(review)))


# claims merge-driver -------------------------------------------------------------------------


def merge_message(path: str, result) -> str:
    if result.line_merged:
        return f"claims: {path}: not a claim mapping on every side; merged by line: {result.conflicts[0]}"
    sides = f"ours (source {result.ours_source}) and theirs (source {result.theirs_source})"
    if "reading" in result.conflicts:
        fields = [f for f in result.conflicts if f != "reading"]
        also = f"; also {', '.join(fields)} set differently" if fields else ""
        return f"claims: conflict of readings in {path}: {sides} cite different articles{also}"
    return f"claims: conflict in {path}: {', '.join(result.conflicts)} set differently by {sides}"
