"""`claims list`, `claims sources` and `claims show`: the database as it stands."""

from __future__ import annotations

from ..quotes import quote_text
from ..values import value_text, value_text_with_bounds
from . import shapes, terminal
from .text import PAD, table, wrap

# How the tables give way to a narrow terminal: the free text first, keeping what names a
# claim or a source longest. See text.fit_widths.
LIST_STEPS = ((2, 30), PAD, (4, 8), (2, 16), (0, 20), (2, 12), (0, 16), (2, 8), (0, 12))
SOURCES_STEPS = ((2, 30), PAD, (0, 8), (2, 12), (1, 10), (2, 8))


def title_with_outlet(source) -> str:
    """The headline, and beside it who published it."""
    outlet = f" — {source.outlet}" if source.outlet else ""
    return source.display_title + outlet


def listing_table(rows: list, width: int | None = None) -> str:
    contested = terminal.styler(fg="red", bold=True)
    table_rows = [
        [c.id, c.type, value_text(c.value, c.type), c.modality, c.source, count,
         ("yes", contested) if flag else ""]
        for c, _path, count, flag in rows
    ]  # fmt: skip
    headers = ["id", "type", "value", "modality", "source", "versions", "contested"]
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


def emit_show(fmt: str, claim, raw: str, path: str) -> None:
    if fmt == "json":
        terminal.echo(shapes.to_json({"claim": shapes.claim(claim, path)}))
    elif fmt == "yaml":
        terminal.echo(raw, nl=False)
    else:
        terminal.output(claim_text(claim, terminal.width()))
