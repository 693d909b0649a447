"""YAML read, with the position of every key and value (yamledit.py writes it; no other module
touches YAML).

Reading builds plain data from the C parser's event stream, which is fast and lets us refuse
what a claim file must not hold (duplicate keys, anchors and aliases, tags) before anything is
constructed, and keep the line and column of every key and value for messages.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import DataError
from .files import read_text

MAX_DEPTH = 20

Position = tuple[int, int]  # 1-based line and column
Key = tuple  # path of keys and indexes into the document


@dataclass
class Document:
    """A parsed YAML mapping with the position of each value and each key."""

    path: str
    data: dict
    positions: dict[Key, Position] = field(default_factory=dict)
    key_positions: dict[Key, Position] = field(default_factory=dict)

    def position(self, keys: Key) -> Position:
        """Where the value at `keys` starts, or its nearest enclosing value."""
        keys = tuple(keys)
        while keys and keys not in self.positions:
            keys = keys[:-1]
        return self.positions.get(keys, (1, 1))

    def key_position(self, keys: Key) -> Position:
        keys = tuple(keys)
        return self.key_positions.get(keys) or self.position(keys)


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_STR_TAG = "tag:yaml.org,2002:str"


# Python refuses to convert integers of more digits than this to and from text (CVE-2020-10735);
# a file holding one is refused at its line and column, not left to fail later elsewhere.
MAX_INT_DIGITS = 4300
_MAX_INT = 10**MAX_INT_DIGITS


class _NumberError(ValueError):
    """A plain scalar that reads as a number this tool refuses; the builder says where."""


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema for plain scalars. Dates stay strings: they are EDTF, not timestamps.

    Numbers are finite: `.nan`, `.inf` and a float too large to hold (`1e999`) are refused, as
    are integers of more than 4,300 digits, so that every number can be written back as JSON.
    """
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        digits = len(text.lstrip("+-"))
        if text[:2] in ("0o", "0x"):
            value = int(text, 0)  # powers of two convert in linear time, of any length
            if abs(value) >= _MAX_INT:
                raise _NumberError(f"an integer of more than {MAX_INT_DIGITS} digits")
            return value
        if digits > MAX_INT_DIGITS:
            raise _NumberError(f"an integer of {digits} digits; at most {MAX_INT_DIGITS}")
        return int(text)
    if _FLOAT.fullmatch(text):
        if "n" in text.lower():
            raise _NumberError(f"{text} is not a finite number")
        value = float(text)
        if value in (math.inf, -math.inf):
            raise _NumberError(f"{text} is not a finite number (too large to hold)")
        return value
    return text


def _event_source(text: str):
    """A function returning the next parse event of `text`: libyaml's parser, called directly.

    ruamel's own `YAML.parse` wraps the same C parser but builds a loader class per call,
    which costs more than parsing a claim file; the fallback is ruamel's pure-Python parser.
    """
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover - ruamel.yaml.clib is a dependency
        from ruamel.yaml import YAML

        return iter(YAML(typ="safe", pure=True).parse(text)).__next__
    return CParser(text).get_event


@lru_cache(maxsize=1)
def _event_classes():
    from ruamel.yaml import events

    return (
        events.ScalarEvent, events.SequenceStartEvent, events.SequenceEndEvent,
        events.MappingStartEvent, events.MappingEndEvent, events.AliasEvent,
        events.DocumentStartEvent, events.StreamEndEvent,
    )  # fmt: skip


def prepare_parser() -> None:
    """Load the parser now (a tenth of the start-up of a reading command) rather than at the
    first file: for callers with time to spare, such as while git is busy."""
    _event_classes()
    _event_source("a: 1\n")


class _Builder:
    """Plain data from parse events, refusing what a claim file must not hold as it goes.

    With `positions` off (reading history, where no message points into the file), the same
    data and the same refusals come without recording where each key and value starts.
    """

    def __init__(self, path: str, next_event, positions: bool = True):
        self.path = path
        self.next = next_event
        self.positions: dict[Key, Position] = {}
        self.key_positions: dict[Key, Position] = {}
        self.with_positions = positions
        (self.Scalar, self.SequenceStart, self.SequenceEnd, self.MappingStart, self.MappingEnd,
         self.Alias, _, _) = _event_classes()  # fmt: skip

    def fail(self, event, message: str, rule: str):
        mark = event.start_mark
        raise DataError(self.path, mark.line + 1, mark.column + 1, message, rule)

    def refuse_extras(self, event):
        if event.anchor:
            self.fail(event, f"YAML anchor '&{event.anchor}' is not allowed", "yaml-anchor")
        tag = event.tag
        if tag and tag != _STR_TAG:
            self.fail(event, f"YAML tag '{tag}' is not allowed", "yaml-tag")

    def node(self, event, keys: Key, depth: int = 0) -> Any:
        """Build one node. Positions are kept only when asked for: reading a whole history
        never points into a file, and keeping them would cost a tuple per key."""
        kind = type(event)
        if kind is self.Alias:
            self.fail(event, f"YAML alias '*{event.anchor}' is not allowed", "yaml-alias")
        # ctag is the tag as written: a plain scalar without one needs no further look.
        if kind is not self.Scalar or event.anchor or event.ctag is not None:
            self.refuse_extras(event)
        positions = self.with_positions
        if positions:
            mark = event.start_mark
            self.positions[keys] = (mark.line + 1, mark.column + 1)
        if depth > MAX_DEPTH:
            self.fail(event, f"nested deeper than {MAX_DEPTH} levels", "yaml-depth")
        if kind is self.Scalar:
            if event.style or (event.ctag is not None and event.tag == _STR_TAG):
                return event.value
            try:
                return resolve_plain(event.value)
            except _NumberError as err:
                self.fail(event, str(err), "yaml-number")
        if kind is self.SequenceStart:
            items: list = []
            while True:
                item = self.next()
                if type(item) is self.SequenceEnd:
                    return items
                items.append(
                    self.node(item, keys + (len(items),) if positions else keys, depth + 1)
                )
        if kind is self.MappingStart:
            mapping: dict = {}
            while True:
                item = self.next()
                item_kind = type(item)
                if item_kind is self.MappingEnd:
                    return mapping
                if item_kind is not self.Scalar:
                    self.fail(item, "mapping keys must be plain strings", "yaml-key")
                if item.anchor or item.ctag is not None:
                    self.refuse_extras(item)
                key = item.value
                if key in mapping:
                    self.fail(item, f"duplicate key '{key}'", "duplicate-key")
                if positions:
                    mark = item.start_mark
                    self.key_positions[keys + (key,)] = (mark.line + 1, mark.column + 1)
                mapping[key] = self.node(
                    self.next(), keys + (key,) if positions else keys, depth + 1
                )
        self.fail(event, f"unexpected YAML event {kind.__name__}", "yaml-syntax")


def parse_mapping(text: str, path: str, *, positions: bool = True) -> Document:
    """Parse one YAML document whose top level must be a mapping.

    Without `positions` the document's position maps stay empty (messages from the parse
    itself still name line and column): for reading where nothing points into the file. A
    file in the house layout is then read without the parser (houseyaml), several times
    faster, to the same data.
    """
    if not positions:
        from .houseyaml import read_house_mapping

        house = read_house_mapping(text)
        if house is not None:
            return Document(path, house)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    next_event = _event_source(text)
    builder = _Builder(path, next_event, positions)
    document_start, stream_end = _event_classes()[6:]
    try:
        data = None
        documents = 0
        while True:
            event = next_event()
            kind = type(event)
            if kind is stream_end:
                break
            if kind is document_start:
                documents += 1
                if documents > 1:
                    builder.fail(event, "holds more than one YAML document", "yaml-documents")
                start = next_event()
                data = builder.node(start, ())
                if not isinstance(data, dict):
                    kind = "a list" if isinstance(data, list) else "a single value"
                    builder.fail(
                        start, f"top level is {kind}; expected a mapping of fields", "yaml-mapping"
                    )
        if documents == 0:
            raise DataError(
                path, 1, 1, "file is empty; expected a mapping of fields", "yaml-mapping"
            )
    except MarkedYAMLError as err:
        line, column, message = _syntax_error(err)
        raise DataError(path, line, column, f"invalid YAML: {message}", "yaml-syntax") from None
    except YAMLError as err:
        raise DataError(path, 1, 1, f"invalid YAML: {err}".splitlines()[0], "yaml-syntax") from None
    return Document(path, data, builder.positions, builder.key_positions)


def _syntax_error(err) -> tuple[int, int, str]:
    """Where a syntax error starts, and what it is.

    A token the scanner could not finish (an unclosed quote) is reported where it opens,
    not where the parser gave up (often the end of the file), with the end named in the text.
    """
    problem = err.problem or err.context or "invalid YAML"
    start, end = err.context_mark, err.problem_mark
    if (
        start is not None
        and end is not None
        and (err.context or "").startswith("while scanning ")
        and start.line < end.line
    ):
        what = err.context.removeprefix("while scanning ")
        message = f"{what} that starts here is not closed ({problem} at line {end.line + 1})"
        return start.line + 1, start.column + 1, message
    mark = end or start
    return (mark.line + 1, mark.column + 1, problem) if mark else (1, 1, problem)


def load_mapping(file: Path, display: str, *, positions: bool = True) -> Document:
    return parse_mapping(read_text(file, display), display, positions=positions)
