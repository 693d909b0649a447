"""Everything the commands print, in one package: JSON shapes, text, Markdown, the terminal.

- `shapes`: every JSON shape, built from the core's records (none lives on a core dataclass).
- `text`: the shared pieces: wrap and truncate, plural, the problem line, tables fitted to a width.
- `terminal`: where text goes: colour, the terminal's width, the pager.
- one module per family of commands (`check`, `listing`, `story`, `review`, `maintenance`), each
  with an `emit_*(fmt, ...)` per command that picks the format and writes it.

This file imports nothing, so the core can use `render.text.problem_line` without loading the rest.
"""
