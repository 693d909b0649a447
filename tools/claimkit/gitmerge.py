"""git's merge driver for claim files: a reading moves as one unit, other fields one by one.

Installed by `claims git-setup` (gitdrivers.py). Two sides that record different articles are
one conflict of readings, between markers naming both articles and their dates, in git's own
conflict style; comments on either side are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import gitio, gitwrite
from .editing import QUOTED_FIELDS
from .errors import DataError
from .escaping import one_line
from .gitdrivers import sources_near
from .model import CLAIM_FIELDS
from .repo import find_root
from .yamledit import MISSING, key_texts, same_value, take_keys
from .yamlio import parse_mapping

# The merge driver -----------------------------------------------------------------------------


@dataclass
class MergeResult:
    text: str
    conflicts: list[str] = field(default_factory=list)  # the fields both sides set differently
    ours_source: str | None = None
    theirs_source: str | None = None
    line_merged: bool = False  # fell back to git's line merge (a side is not a claim mapping)


# What one article says: these fields move together, so a merge never pairs one article's
# value with another's quote or source.
READING = ("value", "quote", "modality", "time_expression", "note", "source", "also")
STYLES = ("merge", "diff3", "zdiff3")


def _parse(text: str, where: str) -> dict:
    if not text.strip():
        return {}
    return parse_mapping(text, where).data


def merge_claims(
    base: str,
    ours: str,
    theirs: str,
    *,
    path: str = "claim",
    marker_size: int = 7,
    style: str = "merge",
    describe=None,
) -> MergeResult:
    """Three-way merge of one claim file, a reading as one unit, keeping both sides' comments.

    Other fields merge one by one. Two sides that each changed the reading, to different
    articles, are one conflict of readings; sides citing the same article merge its fields
    one by one. `describe(source_id)` words an article for the conflict markers; `style` is
    git's merge.conflictStyle.
    """
    if ours == theirs or base == theirs:
        return MergeResult(ours)
    if base == ours:
        return MergeResult(theirs)
    try:
        o, a, b = (_parse(t, f"{side} {path}") for t, side in
                   ((base, "base"), (ours, "ours"), (theirs, "theirs")))  # fmt: skip
        if not a or not b:
            raise DataError(path, 1, 1, "empty", "merge")
    except DataError:
        return _line_merge(base, ours, theirs, marker_size, style)
    # Named on marker lines and in the message: one line each, whatever the files hold.
    ours_source, theirs_source = (
        None if side.get("source") is None else one_line(str(side["source"])) for side in (a, b)
    )

    def reading(side: dict) -> dict:
        return {k: side.get(k, MISSING) for k in READING}

    changes, remove, conflicts = [], [], []
    one_article = same_value(a.get("source"), b.get("source"))
    reading_clash = not one_article and not any(
        same_value(reading(x), reading(y)) for x, y in ((a, b), (b, o), (a, o))
    )
    keys = [k for k in dict.fromkeys([*a, *b, *o]) if not (reading_clash and k in READING)]
    for key in keys:
        was, mine, yours = o.get(key, MISSING), a.get(key, MISSING), b.get(key, MISSING)
        if same_value(mine, yours) or same_value(yours, was):
            continue  # both agree, or only ours changed it: ours has it already
        if same_value(mine, was):
            (remove if yours is MISSING else changes).append(key)
        else:
            conflicts.append(key)
    if reading_clash:
        conflicts.append("reading")
    changes += _comment_only(base, ours, theirs, path, skip=[*changes, *conflicts])
    order = list(dict.fromkeys([*b, *CLAIM_FIELDS]))

    def merge(text: str, other: str, take: list[str], drop: list[str]) -> str:
        return take_keys(text, other, take, drop, order=order, quoted=QUOTED_FIELDS, path=path)

    merged = merge(ours, theirs, list(changes), remove)
    if not conflicts:
        # git's line merge keeps both sides' comments; use it when it means the same thing.
        lines, count = gitwrite.merge_file(
            base.encode(), ours.encode(), theirs.encode(), ("ours", "base", "theirs")
        )
        line_text = lines.decode("utf-8", errors="replace")
        try:
            if count == 0 and same_value(_parse(line_text, path), _parse(merged, path)):
                merged = line_text
        except DataError:
            pass
        return MergeResult(merged, [], ours_source, theirs_source)
    clashing = [k for k in conflicts if k != "reading"] + (list(READING) if reading_clash else [])
    other = merge(
        merged, theirs, [k for k in clashing if k in b], [k for k in clashing if k not in b]
    )
    was = merge(merged, base, [k for k in clashing if k in o], [k for k in clashing if k not in o])
    words = describe or _source_words
    labels = tuple(  # marker lines stay one line whatever the sources' ids and headlines hold
        one_line(label)
        for label in (
            f"ours: {words(ours_source)}",
            f"base: {words(o.get('source'))}",
            f"theirs: {words(theirs_source)}",
        )
    )
    text = _with_markers(merged, was, other, labels, marker_size, style)
    return MergeResult(text, conflicts, ours_source, theirs_source)


def _comment_only(base: str, ours: str, theirs: str, path: str, skip: list[str]) -> list[str]:
    """Keys whose lines only theirs rewrote without changing the value (a comment added)."""
    try:
        was, mine, yours = (key_texts(t, path) for t in (base, ours, theirs))
    except DataError:
        return []
    return [
        key
        for key, text in yours.items()
        if key not in skip and key in was and mine.get(key) == was[key] and text != was[key]
    ]


def _source_words(source) -> str:
    return f"source {source}" if source else "no source"


def _with_markers(
    ours: str, base: str, theirs: str, labels: tuple[str, str, str], size: int, style: str
) -> str:
    """One conflict block around everything that differs, so a side is taken whole; with
    diff3 and zdiff3 the base's lines are shown too (the common lines stay outside)."""
    sides = [text.splitlines(keepends=True) for text in (ours, base, theirs)]
    sides = [[line if line.endswith("\n") else line + "\n" for line in side] for side in sides]
    shortest = min(len(side) for side in sides)
    head = 0
    while head < shortest and sides[0][head] == sides[1][head] == sides[2][head]:
        head += 1
    tail = 0
    while (
        tail < shortest - head and sides[0][-1 - tail] == sides[1][-1 - tail] == sides[2][-1 - tail]
    ):
        tail += 1
    mine, was, yours = (side[head : len(side) - tail] for side in sides)
    out = sides[0][:head] + [f"{'<' * size} {labels[0]}\n", *mine]
    if style in ("diff3", "zdiff3"):
        out += [f"{'|' * size} {labels[1]}\n", *was]
    out += [f"{'=' * size}\n", *yours, f"{'>' * size} {labels[2]}\n"]
    return "".join(out + sides[0][len(sides[0]) - tail :])


def _line_merge(base: str, ours: str, theirs: str, marker_size: int, style: str) -> MergeResult:
    data, count = gitwrite.merge_file(
        base.encode(), ours.encode(), theirs.encode(), ("ours", "base", "theirs"), marker_size,
        style,
    )  # fmt: skip
    conflicts = [f"{count} line conflict{'s' * (count != 1)}"] if count else []
    return MergeResult(data.decode("utf-8", errors="replace"), conflicts, line_merged=True)


def conflict_style(where: Path) -> str:
    """git's merge.conflictStyle where the merge runs: merge, diff3 or zdiff3."""
    try:
        with gitio.GitSession(find_root(where)) as git:
            style = (git.config_value("merge.conflictStyle") or "merge").lower()
    except Exception:  # outside a repository git's default applies
        return "merge"
    return style if style in STYLES else "merge"


def article_words(where: Path):
    """A function naming an article by id, headline and date, for conflict markers."""
    sources = sources_near(str(where / "x"))

    def words(source_id) -> str:
        if not source_id:
            return "no source"
        found = sources.get(source_id) if sources else None
        if found is None:
            return f"source {source_id}"
        return f'source {source_id}, published {found.published}, "{found.title or ""}"'

    return words


def merge_claim_files(
    base: Path, ours: Path, theirs: Path, path: str, marker_size: int = 7
) -> tuple[bytes, MergeResult]:
    """The merge driver's work on git's three files: the merged bytes and how it went."""
    from .files import read_bytes

    style = conflict_style(Path.cwd())
    sides = [read_bytes(file, str(file)) for file in (base, ours, theirs)]
    try:
        texts = [data.decode("utf-8") for data in sides]
    except UnicodeDecodeError:
        data, count = gitwrite.merge_file(
            sides[0], sides[1], sides[2], ("ours", "base", "theirs"), marker_size, style
        )
        conflicts = [f"{count} line conflict{'s' * (count != 1)}"] if count else []
        return data, MergeResult("", conflicts, line_merged=True)
    result = merge_claims(
        *texts, path=path, marker_size=marker_size, style=style, describe=article_words(Path.cwd())
    )
    return result.text.encode("utf-8"), result
