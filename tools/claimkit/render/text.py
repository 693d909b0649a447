"""The pieces every format shares: plural, the problem line, wrap and truncate, fitted tables."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from ..escaping import one_line

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 claim`, `2 claims`; MANY for a word that does not just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def problem_line(
    path: str, line: int, column: int, message: str, rule: str, severity: str | None = None
) -> str:
    """`path:line:col: [severity: ]message [rule]`, the one form every problem is printed in."""
    level = f"{severity}: " if severity else ""
    # One line whatever the data put in the message (a value with a newline, an escape).
    return f"{one_line(path)}:{line}:{column}: {level}{one_line(message)} [{rule}]"


def visible_len(text: str) -> int:
    return len(ANSI.sub("", text))


def truncate(text: Any, width: int | None) -> str:
    """TEXT on one line, cut to WIDTH characters with an ellipsis; None: no limit."""
    text = " ".join(str(text).split())
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"


def truncate_middle(text: str, width: int | None) -> str:
    """TEXT cut in the middle to WIDTH, keeping both ends: for names that differ at the end."""
    if width is None or len(text) <= width:
        return text
    if width < 5:
        return truncate(text, width)
    tail = (width - 1) // 2
    return text[: width - 1 - tail] + "…" + text[len(text) - tail :]


def wrap(
    text: Any, width: int | None, indent: str = "", first: str | None = None, spaces: bool = False
) -> list[str]:
    """TEXT in full, as lines of at most WIDTH (None: one line), each starting with INDENT.

    FIRST, when given, starts the first line instead of INDENT. Runs of spaces become one,
    unless SPACES (for text laid out with them).
    """
    first = indent if first is None else first
    text = str(text).replace("\n", " ") if spaces else " ".join(str(text).split())
    if width is None:
        return [first + text]
    lines = textwrap.wrap(
        text,
        width=max(width, len(first) + 20, len(indent) + 20),
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return lines or [first.rstrip()]


def md(text: Any) -> str:
    """TEXT safe inside Markdown, a table cell included: shown as written, never read as markup.

    HTML is escaped (a value such as `<details>` or `<!--` would hide what follows it, the
    verdict included), control characters are written as escapes, and line breaks in a passage
    become spaces.
    """
    text = one_line(str(text).replace("\n", " ").replace("\t", " "))
    # `<` opens every tag and comment; `&` only matters where it starts an entity; `>` alone
    # is plain text away from the start of a line (so `a -> b` reads as written).
    text = ENTITY.sub("&amp;", text).replace("<", "&lt;")
    return text.replace("|", "\\|")


def code(text: Any) -> str:
    """TEXT as a Markdown code span, whatever backticks it holds (the fence is longer than any
    run of them), on one line."""
    text = one_line(str(text)).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


GAP = 2  # spaces between table columns
PAD = None  # a shrinking step: every column gives up the room it keeps beside its header


def fit_widths(natural: list[int], least: list[int], steps: tuple, width: int) -> list[int]:
    """Column widths that fit WIDTH, giving way in the order of STEPS.

    Each step is (column, floor): that column narrows, down to FLOOR at most; or PAD: every
    column narrows to LEAST (its header, or its widest cell if wider). Steps stop as soon as
    the table fits; a table that cannot fit keeps the narrowest widths the steps allow.
    """
    widths = list(natural)

    def excess() -> int:
        return sum(widths) + GAP * (len(widths) - 1) - width

    for step in steps:
        if excess() <= 0:
            break
        if step is PAD:
            for i, floor in enumerate(least):
                widths[i] -= max(0, min(widths[i] - floor, excess()))
            continue
        column, floor = step
        widths[column] -= max(0, min(widths[column] - floor, excess()))
    return widths


def table(
    rows: list[list[Any]],
    headers: list[str],
    width: int | None = None,
    steps=(),
    middle: tuple[int, ...] = (),
) -> str:
    """A plain table: headers, a rule, one line per row, columns two spaces apart.

    With WIDTH (None: no limit, every cell in full), columns narrow in the order of STEPS (see
    fit_widths) and cells cut with an ellipsis to fit. A cell may be a pair (text, style):
    STYLE applies after cutting, so colour codes never count towards a width or get cut.
    Cells of the MIDDLE columns are cut in the middle (ids that differ only at the end).
    """
    plain = [
        [" ".join(str(c[0] if isinstance(c, tuple) else c).split()) for c in row] for row in rows
    ]
    cells_widest = [max([0] + [len(row[i]) for row in plain]) for i in range(len(headers))]
    # Each column keeps two characters of room beside its header, as tabulate's "simple" does.
    natural = [max(len(h) + 2, w) for h, w in zip(headers, cells_widest, strict=True)]
    least = [max(len(h), w) for h, w in zip(headers, cells_widest, strict=True)]
    widths = natural if width is None else fit_widths(natural, least, steps, width)

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell + " " * (w - visible_len(cell)) for cell, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line([truncate(h, w) for h, w in zip(headers, widths, strict=True)])]
    out.append("  ".join("-" * w for w in widths))
    for row, original in zip(plain, rows, strict=True):
        cells = []
        for i, text in enumerate(row):
            if width is not None:
                text = (truncate_middle if i in middle else truncate)(text, widths[i])
            cell = original[i]
            if isinstance(cell, tuple) and cell[1] is not None:
                text = cell[1](text)
            cells.append(text)
        out.append(line(cells))
    return "\n".join(out)
