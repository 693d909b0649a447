"""`claims list`, `claims sources` and `claims show`: the database as it stands."""

from __future__ import annotations

from ..quotes import quote_text
from ..values import value_text, value_text_with_bounds
from . import shapes, terminal
from .text import PAD, table, wrap

# How the tables give way to a narrow terminal: the standing and the free text first, keeping
# what names a claim or a source longest; the standing keeps its first word (consistent,
# contested) to the end. See text.fit_widths.
LIST_STEPS = (
    (6, 40), (2, 30), PAD, (4, 8), (6, 24), (2, 16), (0, 24), (6, 12), (2, 12), (0, 16), (2, 8),
    (0, 12),
)  # fmt: skip
SOURCES_STEPS = ((2, 30), PAD, (0, 8), (2, 12), (1, 10), (2, 8))


def title_with_outlet(source) -> str:
    """The headline, and beside it who published it."""
    outlet = f" — {source.outlet}" if source.outlet else ""
    return source.display_title + outlet


def _sources_text(sources, brief: bool) -> str:
    if brief and len(sources) > 2:
        return f"{len(sources)} sources"
    return ", ".join(sources)


def standing_text(standing, brief: bool = False) -> str:
    """`consistent: Alaska > Anchorage` or `contested: 2025-08-15 (4 sources) vs 2025-09-18 (a3)`."""
    if standing is None or not standing.state:
        return ""
    if standing.state == "consistent":
        if standing.value is None:
            return "consistent"
        return f"consistent: {value_text(standing.value, standing.kind)}"
    groups = " vs ".join(
        f"{value_text(g.value, g.kind)} ({_sources_text(g.sources, brief)})"
        for g in standing.groups
    )
    return f"contested: {groups}"


def listing_table(rows: list, width: int | None = None) -> str:
    contested = terminal.styler(fg="red", bold=True)
    table_rows = [
        [c.id, c.type, value_text(c.value, c.type), c.modality, c.source, count,
         (standing_text(s, brief=True), contested) if s is not None and s.contested
         else standing_text(s, brief=True)]
        for c, _path, count, s in rows
    ]  # fmt: skip
    headers = ["id", "type", "value", "modality", "source", "versions", "standing"]
    return table(table_rows, headers, width, LIST_STEPS, middle=(0,))


def sources_table(sources: list, width: int | None = None) -> str:
    rows = [[s.id, s.published, title_with_outlet(s), len(claims)] for s, claims in sources]
    return table(rows, ["id", "published", "title", "claims"], width, SOURCES_STEPS)


def claim_text(claim, width: int | None = None) -> str:
    """Field by field; long values wrap under themselves."""
    lines = []
    for name, value in claim.to_data().items():
        if name == "value":
            shown = value_text_with_bounds(value, claim.type)
        elif name == "also":  # the article's other statements, each with its quote
            shown = "; ".join(
                f'{value_text(s.get("value"), claim.type)} "{quote_text(s.get("quote"))}"'
                if isinstance(s, dict)
                else str(s)
                for s in value
            )
        else:
            shown = quote_text(value) if name == "quote" else value_text(value)
        lines += wrap(shown, width, " " * 16, f"{name:16}")
    return "\n".join(lines)


def emit_list(fmt: str, rows: list) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.listing(rows)))
    else:
        terminal.output(listing_table(rows, terminal.width()))


def emit_sources(fmt: str, rows: list, path_of) -> None:
    """rows: (source, ids of the claims citing it); PATH_OF gives a source's path as shown."""
    if fmt == "json":
        items = [shapes.source(s, path_of(s), c) for s, c in rows]
        terminal.echo(shapes.to_json({"sources": items}))
    else:
        terminal.output(sources_table(rows, terminal.width()))


def published_text(version) -> str:
    source = version.source
    if source is None:
        return "unknown date"
    published = source.published_range
    return published.describe() if published else source.published


def shown_text(shown, width: int | None = None) -> str:
    """`show`: the claim field by field, its standing, and notes on which reading it is."""
    lines = [claim_text(shown.claim, width)]
    text = standing_text(shown.standing)
    if text:
        lines += wrap(text, width, " " * 16, f"{'standing':16}")
    notes = []
    if shown.file_claim is not None and shown.current is not None:
        held = shown.file_claim
        notes.append(
            f"the file holds the reading from {held.source} ({value_text(held.value, held.type)}"
            f"); the story's current version is {shown.current.source_id}'s, published "
            f"{published_text(shown.current)}"
        )
    if shown.may_be_later:
        notes.append("may or may not have been published by then: " + ", ".join(shown.may_be_later))
    for note in notes:
        lines += wrap(note, width, " " * 16, f"{'story':16}")
    return "\n".join(lines)


def emit_show(fmt: str, shown, path: str) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json(shapes.shown(shown, path)))
    elif fmt == "yaml":
        terminal.echo(shown.raw, nl=False)
    else:
        terminal.output(shown_text(shown, terminal.width()))
