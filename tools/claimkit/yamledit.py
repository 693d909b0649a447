"""YAML written: new files in the house format, and edits that keep every line they do not
change (yamlio.py reads YAML; no other module touches it).

Writing uses ruamel's round-trip mode, so comments, key order and formatting survive.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from .errors import DataError
from .yamlio import Document, parse_mapping

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
