"""control-characters: every field is text a person can read; one line, except the passages.

A newline in a value or a source id would split the lines the tools write from it (commit
subjects and trailers, conflict markers, Markdown); a NUL, an escape or a carriage return
hides what follows from the reader. Quotes, notes and the basis of a date are passages and
may run over lines (newlines and tabs), nothing else.
"""

from __future__ import annotations

from ..escaping import control_characters as found_in
from ..findings import CLAIMS, ERROR, SOURCES, Item, rule

PASSAGES = ("quote", "note", "published_basis")


def _strings(value, keys: tuple):
    if isinstance(value, str):
        yield keys, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, keys + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, keys + (key,))


def _control_characters(item: Item):
    problems = []
    for key, value in item.doc.data.items():
        allowed = "\n\t" if key in PASSAGES else ""
        for keys, text in _strings(value, (key,)):
            bad = found_in(text, allowed)
            if bad:
                codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
                message = f"{key} holds a control character ({codes}); fields are one line of text"
                if allowed:
                    message = f"{key} holds a control character ({codes})"
                problems.append(item.problem(keys, message, "control-characters"))
                break
    return problems


@rule("control-characters", ERROR, CLAIMS)
def control_characters(context, item: Item):
    """No control characters in any field; quotes and notes may hold newlines and tabs."""
    return _control_characters(item)


@rule("control-characters", ERROR, SOURCES)
def source_control_characters(context, item: Item):
    """No control characters in a source's fields; its basis may hold newlines and tabs."""
    return _control_characters(item)
