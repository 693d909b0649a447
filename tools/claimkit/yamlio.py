"""All YAML in one place.

Reading builds plain data from the C parser's event stream, which is fast and lets us refuse
what a claim file must not hold (duplicate keys, anchors and aliases, tags) before anything is
constructed, and keep the line and column of every key and value for messages.
Writing uses ruamel's round-trip mode, so comments, key order and formatting survive.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Collection, Iterable, Sequence
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


def _resolve_plain(text: str) -> Any:
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
                return _resolve_plain(event.value)
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
    itself still name line and column): for reading where nothing points into the file.
    """
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


# Round-trip writing ---------------------------------------------------------------------------


def _round_trip_yaml():
    from ruamel.yaml import YAML
    from ruamel.yaml.resolver import VersionedResolver

    class EDTFResolver(VersionedResolver):
        """Dates stay strings (EDTF), so they are neither parsed nor quoted on writing."""

        @property
        def versioned_resolver(self):
            return {
                version: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
                for version, resolvers in super().versioned_resolver.items()
            }

    yaml = YAML(typ="rt")
    yaml.Resolver = EDTFResolver
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long quotes onto new lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


# A tab between a key and its value: YAML allows it and the reader takes it, ruamel's round-trip
# scanner does not. It reads the line with a space there instead; the line itself, if unchanged,
# is copied from the original, tab included.
_TAB_SEPARATOR = re.compile(r"^( *[A-Za-z0-9_-]+:)[ \t]*\t", re.MULTILINE)


def _round_trip_load(yaml, text: str, path: str):
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return yaml.load(_TAB_SEPARATOR.sub(lambda m: m.group(1) + " ", text))
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = err.problem or err.context or "invalid YAML"
        raise DataError(path, line, column, f"cannot edit: {problem}", "yaml-edit") from None
    except YAMLError as err:
        raise DataError(path, 1, 1, f"cannot edit: {err}".splitlines()[0], "yaml-edit") from None


def dump_mapping(data: dict[str, Any], header: str = "") -> str:
    """Serialise a new mapping in the house format: block style, keys in the given order."""
    yaml = _round_trip_yaml()
    out = io.StringIO()
    yaml.dump(data, out)
    return header + out.getvalue()


# Line-preserving edits ------------------------------------------------------------------------

MISSING = object()  # a key a mapping does not have


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same kind: `True` is not `1`, `3` is not `"3"`."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _is_gap(line: str) -> bool:
    """A line that belongs to no value: blank, a comment, or a document marker."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#") or stripped in ("---", "...")


def _blocks(text: str, doc: Document) -> tuple[list[str], dict[str, tuple[int, int, int]]] | None:
    """The lines of `text`, and for each top-level key (start, content end, block end) line indexes.

    A key's content runs from its key line to its last value line; the blank and comment lines
    after it, up to the next key, are its gap and belong to no key. None when the keys do not
    each start a line of their own at column 1 (a flow mapping, odd indentation).
    """
    lines = text.splitlines(keepends=True)
    starts = []
    for key in doc.data:
        line, column = doc.key_positions.get((key,), (0, 0))
        if column != 1 or (starts and line - 1 <= starts[-1][1]):
            return None
        starts.append((key, line - 1))
    blocks = {}
    for number, (key, start) in enumerate(starts):
        end = starts[number + 1][1] if number + 1 < len(starts) else len(lines)
        content_end = end
        while content_end > start + 1 and _is_gap(lines[content_end - 1]):
            content_end -= 1
        blocks[key] = (start, content_end, end)
    return lines, blocks


def key_texts(text: str, path: str = "<text>") -> dict[str, str]:
    """Each top-level key's own lines as written (comments on them included); {} if unsure."""
    found = _blocks(text, parse_mapping(text, path))
    if found is None:
        return {}
    lines, blocks = found
    return {key: "".join(lines[start:end]) for key, (start, end, _) in blocks.items()}


def _styled(old: Any, new: Any, key: str, quoted: Collection[str]) -> Any:
    """`new` in the style `old` was written in (quoted, block list), so an edit reads like the file."""
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        PlainScalarString,
        ScalarString,
    )

    if isinstance(new, str):
        # An empty string had to be quoted: that says nothing of how the file quotes values.
        if isinstance(old, ScalarString) and type(old) is not ScalarString and old:
            return type(old)(new)
        # Plain where YAML allows it; a bare str would take on the old value's quotes.
        return DoubleQuotedScalarString(new) if key in quoted else PlainScalarString(new)
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        # In place, so comments on the items that stay stay with them.
        del old[len(new) :]
        for index, item in enumerate(new):
            if index < len(old):
                old[index] = _styled(old[index], item, "", ())
            else:
                old.append(_styled(None, item, key, quoted))
        return old
    if isinstance(new, list):
        return [_styled(None, item, key, quoted) for item in new]
    return new


def edit_mapping(
    text: str,
    changes: dict[str, Any],
    remove: Iterable[str] = (),
    *,
    order: Sequence[str] = (),
    quoted: Collection[str] = (),
    path: str = "<edit>",
) -> str:
    """Return `text` with top-level keys set or removed; every other line stays byte for byte.

    The new lines of a changed key come from ruamel's round trip (which keeps the comment on
    the key's line and on list items that stay); all other lines, comments and blank lines are
    copied from `text`. A key not yet in the file goes after the nearest key before it in
    `order`, or at the end. Strings of keys in `quoted` are written double-quoted unless the
    file already quotes them its own way. The result is parsed back and must hold exactly the
    data asked for, or DataError is raised and nothing is returned.
    """
    doc = parse_mapping(text, path)
    expected = dict(doc.data)
    removed = [k for k in dict.fromkeys(remove) if k in doc.data and k not in changes]
    changed = {k: v for k, v in changes.items() if not same_value(doc.data.get(k, MISSING), v)}
    if not removed and not changed:
        return text
    for key in removed:
        del expected[key]
    expected.update(changed)

    yaml = _round_trip_yaml()
    data = _round_trip_load(yaml, text, path)
    comments = {}  # the comment at the end of a changed key's line
    for key in changed:
        token = data.ca.items.get(key, [None] * 3)[2] if key in data else None
        if token is not None and token.value.lstrip().startswith("#"):
            comments[key] = token.value.strip().splitlines()[0]
    for key in removed:
        del data[key]
    placed: dict[str, str | None] = {}  # new key -> the existing key it follows (None: the end)
    rank = {key: number for number, key in enumerate(order)}
    for key, value in sorted(changed.items(), key=lambda item: rank.get(item[0], len(rank))):
        if key in data:
            data[key] = _styled(data[key], value, key, quoted)
            continue
        before = [k for k in order[: order.index(key)] if k in data] if key in order else []
        after = before[-1] if before else None
        placed[key] = after
        position = list(data).index(after) + 1 if after else len(data)
        data.insert(position, key, _styled(None, value, key, quoted))
    out = io.StringIO()
    yaml.dump(data, out)
    dumped = out.getvalue()

    result = _splice(text, doc, dumped, changed, removed, placed, comments, path)
    for candidate in (result, dumped):
        if candidate is not None and _holds(candidate, expected, path):
            return candidate
    raise DataError(path, 1, 1, "cannot edit this file without changing other fields", "yaml-edit")


def take_keys(
    text: str,
    other: str,
    keys: Iterable[str],
    remove: Iterable[str] = (),
    *,
    order: Sequence[str] = (),
    quoted: Collection[str] = (),
    path: str = "<edit>",
) -> str:
    """`text` with the lines of `keys` copied verbatim from `other`, and `remove` removed.

    What a merge does with the fields only the other side changed: their lines come over as
    that side wrote them, comments included. Falls back to `edit_mapping` with the other
    side's values where the lines cannot be moved as they are.
    """
    doc, other_doc = parse_mapping(text, path), parse_mapping(other, path)
    keys = [k for k in dict.fromkeys(keys) if k in other_doc.data]
    removed = [k for k in dict.fromkeys(remove) if k in doc.data and k not in keys]
    expected = {k: v for k, v in doc.data.items() if k not in removed}
    expected.update({k: other_doc.data[k] for k in keys})
    rank = {key: number for number, key in enumerate(order)}
    present = [k for k in doc.data if k not in removed]
    placed: dict[str, str | None] = {}
    for key in sorted((k for k in keys if k not in doc.data), key=lambda k: rank.get(k, len(rank))):
        before = [k for k in order[: rank[key]] if k in present] if key in rank else []
        placed[key] = before[-1] if before else None
        present.append(key)
    taken = {k: other_doc.data[k] for k in keys if k in doc.data}
    result = _splice(text, doc, other, taken, removed, placed, {}, path, other_doc)
    if result is not None and _holds(result, expected, path):
        return result
    values = {k: other_doc.data[k] for k in keys}
    return edit_mapping(text, values, removed, order=order, quoted=quoted, path=path)


def _splice(
    text, doc, dumped, changed, removed, placed, comments, path, dumped_doc=None
) -> str | None:
    """The original lines, with the lines of changed and new keys taken from `dumped`."""
    original = _blocks(text, doc)
    rendered = _blocks(dumped, dumped_doc or parse_mapping(dumped, path))
    if original is None or rendered is None:
        return None
    lines, blocks = original
    new_lines, new_blocks = rendered
    following: dict[str | None, list[str]] = {}
    for key, after in placed.items():
        following.setdefault(after, []).append(key)

    def new_block(key: str) -> list[str]:
        start, content_end, _ = new_blocks[key]
        block = new_lines[start:content_end]
        for extra in following.get(key, []):
            block += new_block(extra)
        return block

    keys = list(blocks)
    out = lines[: blocks[keys[0]][0]] if keys else list(lines)
    for number, key in enumerate(keys):
        start, content_end, end = blocks[key]
        if key in changed:
            block = new_block(key)
            if key in comments and block:
                block[0] = _respace(lines[start], block[0], comments[key])
            out += block
        elif key not in removed:
            out += lines[start:content_end]
        for extra in following.get(key, []) if key not in changed else []:
            out += new_block(extra)
        if number == len(keys) - 1:
            for extra in following.get(None, []):
                out += new_block(extra)
        out += lines[content_end:end]
    if not keys:
        for extra in following.get(None, []):
            out += new_block(extra)
    ended = [line if line.endswith("\n") else line + "\n" for line in out[:-1]]
    return "".join(ended + out[-1:])


def _respace(original: str, new: str, comment: str) -> str:
    """The comment at the end of a changed line, as far from the value as it was before."""
    before, after = original.rstrip("\r\n"), new.rstrip("\n")
    if not (before.endswith(comment) and after.endswith(comment)):
        return new
    head = before[: -len(comment)]
    gap = max(len(head) - len(head.rstrip()), 1)
    return after[: -len(comment)].rstrip() + " " * gap + comment + "\n"


def _holds(text: str, expected: dict, path: str) -> bool:
    try:
        return same_value(parse_mapping(text, path).data, expected)
    except DataError:
        return False
