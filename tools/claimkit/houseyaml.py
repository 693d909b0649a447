"""Claim files in the house layout, read without the YAML parser.

Reading a whole history parses every version of every claim, and a YAML parser's events cost
about 20 microseconds a document. The files the tool writes (and most written by hand) hold
one `key: value` a line, each value a plain word or phrase, a double-quoted string without
escapes, or a list of those (`  - item` lines). This reader takes exactly that layout and gives
the mapping the YAML reader gives; anything else, or anything it is not sure of, it declines
(None), and the YAML reader reads the file. Plain scalars are resolved by the YAML reader's own
rules (`yamlio.resolve_plain`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Characters YAML reads as printable and no line break, in a stream without tabs or CR (else:
# declined, so that the YAML reader reports or reads it). The class over all of Unicode takes
# longer to compile than a command takes to read a claim's history, so it is compiled only
# for a text that is not ASCII.
_UNUSUAL_ASCII = re.compile("[^\n\x20-\x7e]")


@lru_cache(maxsize=1)
def _unusual():
    return re.compile(
        "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    )


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
# A plain scalar of words made of characters no YAML indicator is made of, one space apart.
_PLAIN = re.compile(r"[A-Za-z0-9_.+~][A-Za-z0-9_./+~?%-]*(?: [A-Za-z0-9_./+~?%-]+)*")
_QUOTED = re.compile(r'"([^"\\]*)"')
_ITEM = "  - "


class _Declined(Exception):
    pass


def _scalar(text: str, resolve) -> Any:
    if _PLAIN.fullmatch(text):
        try:
            return resolve(text)
        except ValueError:  # a number the YAML reader refuses, with its own message
            raise _Declined from None
    quoted = _QUOTED.fullmatch(text)
    if quoted:
        return quoted.group(1)
    raise _Declined


def read_house_mapping(text: str) -> dict | None:
    """The mapping a claim file in the house layout holds, as the YAML reader would give it;
    None where the file is laid out otherwise."""
    from .yamlio import resolve_plain

    if (_UNUSUAL_ASCII if text.isascii() else _unusual()).search(text):
        return None
    data: dict[str, Any] = {}
    lines = text.split("\n")
    count = len(lines)
    position = 0
    try:
        while position < count:
            line = lines[position]
            position += 1
            if not line:
                continue
            if line[0] == "#":
                if data:  # comments only before the first key
                    return None
                continue
            found = _KEY.fullmatch(line)
            if found is None:
                return None
            key, rest = found.group(1), found.group(2)
            if key in data:
                return None  # the YAML reader names the duplicate
            if rest is not None:
                data[key] = _scalar(rest, resolve_plain)
                continue
            items = []
            while position < count and lines[position].startswith(_ITEM):
                items.append(_scalar(lines[position][len(_ITEM) :], resolve_plain))
                position += 1
            if position < count and lines[position].startswith((" ", "-")):
                return None
            data[key] = items if items else None
    except _Declined:
        return None
    return data or None
