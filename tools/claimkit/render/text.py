"""The pieces every format shares: plural, the problem line, wrap and truncate, fitted tables."""

from __future__ import annotations

import re
import textwrap
from typing import Any

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 claim`, `2 claims`; MANY for a word that does not just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def problem_line(
    path: str, line: int, column: int, message: str, rule: str, severity: str | None = None
) -> str:
    """`path:line:col: [severity: ]message [rule]`, the one form every problem is printed in."""
    level = f"{severity}: " if severity else ""
    return f"{path}:{line}:{column}: {level}{message} [{rule}]"


def visible_len(text: str) -> int:
    return len(ANSI.sub("", text))


def truncate(text: Any, width: int | None) -> str:
    """TEXT on one line, cut to WIDTH characters with an ellipsis; None: no limit."""
    text = " ".join(str(text).split())
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"


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
    """TEXT safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


GAP = 2  # spaces between table columns
MIN_COLUMN = 8  # a column shrinks no narrower than this (or its header)


def fit_widths(natural: list[int], headers: list[str], flexible: set[int], width: int) -> list[int]:
    """Column widths that fit WIDTH: the widest FLEXIBLE column gives way first, one character
    at a time, down to its header or MIN_COLUMN; fixed columns keep their width."""
    widths = list(natural)
    total = sum(widths) + GAP * (len(widths) - 1)
    floor = {i: max(len(headers[i]), MIN_COLUMN) for i in flexible}
    while total > width:
        shrinkable = [i for i in flexible if widths[i] > floor[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
        total -= 1
    return widths


def table(
    rows: list[list[Any]],
    headers: list[str],
    width: int | None = None,
    flexible: tuple[int, ...] = (),
) -> str:
    """A plain table. Cells of FLEXIBLE columns are cut so that the table fits WIDTH (None: no
    limit, every cell in full).

    A cell may be a pair (text, style): STYLE is applied after cutting, so colour codes never
    count towards a width or get cut in half.
    """
    from tabulate import tabulate

    plain = [[str(c[0] if isinstance(c, tuple) else c) for c in row] for row in rows]
    plain = [[" ".join(c.split()) for c in row] for row in plain]
    natural = [max([len(headers[i])] + [len(row[i]) for row in plain]) for i in range(len(headers))]
    widths = fit_widths(natural, headers, set(flexible), width) if width is not None else natural
    shown = []
    for row, original in zip(plain, rows, strict=True):
        cells = []
        for i, text in enumerate(row):
            text = truncate(text, widths[i]) if width is not None else text
            cell = original[i]
            if isinstance(cell, tuple) and cell[1] is not None:
                text = cell[1](text)
            cells.append(text)
        shown.append(cells)
    return tabulate(shown, headers=headers, tablefmt="simple", disable_numparse=True)
