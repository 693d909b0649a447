"""git's diff and merge drivers for claim files, and `claims git-setup`, which installs them.

The diff driver prints what changed in a claim (value and change kind, source, quote) above
the plain text diff. The merge driver merges claim files field by field: changes to different
fields merge cleanly, two different new values for one field are a conflict.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import gitio
from .diffing import ClaimDiff, compare_claims
from .editing import QUOTED_FIELDS
from .errors import DataError
from .files import atomic_write, read_text
from .history import SourceCache, claim_id_of, parse_claim_blob
from .model import CLAIM_FIELDS, Source
from .repo import ClaimsRepo, find_root
from .values import value_text
from .yamlio import MISSING, key_texts, parse_mapping, same_value, take_keys

DRIVER = "claims"
ATTRIBUTES = "claims/*.yaml diff=claims merge=claims"
ATTRIBUTES_COMMENT = "# claims git-setup: semantic diffs and field-wise merges of claim files"


# git-setup ------------------------------------------------------------------------------------


def driver_command() -> str:
    """How git runs this tool: this Python and this package, so it works from any directory."""
    return f"{shlex.quote(sys.executable)} -m claimkit"


# Both drivers run through a small shell function that falls back to git's own behaviour when
# the tool is missing or broken (a moved virtual environment, a failed upgrade): git prints one
# warning per git command and goes on with its plain diff or its line merge, never stopping.
_WARN = (
    'w() { m="$(git rev-parse --git-dir 2>/dev/null || echo /tmp)/claims-driver-warned"; '
    '[ "$(cat "$m" 2>/dev/null)" = "$PPID" ] || { echo "warning: the claims git driver '
    "($1) failed; git goes on without it. Run 'claims git-setup' again.\" >&2; "
    'echo "$PPID" > "$m" 2>/dev/null; }; }; '
)


def textconv_command() -> str:
    command = driver_command()
    return (
        f'{_WARN}t() {{ o=$({command} textconv "$1" 2>/dev/null) && printf \'%s\\n\' "$o" '
        f'&& return; w {shlex.quote(command)}; cat "$1"; }}; t'
    )


def merge_command() -> str:
    command = driver_command()
    return (
        f'{_WARN}f() {{ {command} merge-driver --marker-size "$1" "$2" "$3" "$4" "$5"; '
        "r=$?; [ $r -eq 0 ] && return 0; "
        "[ $r -eq 1 ] && grep -q \"^$(printf \"%$1s\" '' | tr ' ' '<')\" \"$3\" && return 1; "
        f"w {shlex.quote(command)}; "
        'git merge-file -L ours -L base -L theirs --marker-size="$1" "$3" "$2" "$4" '
        "&& return 0; return 1; }; f %L %O %A %B %P"
    )


def setup_config() -> dict[str, str]:
    return {
        f"diff.{DRIVER}.textconv": textconv_command(),
        f"diff.{DRIVER}.cachetextconv": "true",
        f"merge.{DRIVER}.name": "claims: three-way merge of claim files, a reading as one unit",
        f"merge.{DRIVER}.driver": merge_command(),
    }


# Set by earlier versions of git-setup: an external diff command replaces git's own patch.
OLD_KEYS = (f"diff.{DRIVER}.command",)
TEXTCONV_CACHE = f"refs/notes/textconv/{DRIVER}"


def git_setup(repo: ClaimsRepo) -> list[str]:
    """Install the drivers in the repository's own git config and .gitattributes; idempotent.

    Returns what changed: config keys set and files written.
    """
    attributes = repo.root / ".gitattributes"
    if attributes.is_symlink():
        raise DataError(".gitattributes", 1, 1, "is a link; refused to write through it", "links")
    text = read_text(attributes, ".gitattributes") if attributes.exists() else ""
    changed = []
    with gitio.GitHistory(repo.root) as git:
        for key, value in setup_config().items():
            if git.config_get(key) != value:
                git.config_set(key, value)
                changed.append(key)
        for key in OLD_KEYS:
            if git.config_get(key) is not None:
                git.run("config", "--local", "--unset-all", key)
                changed.append(f"-{key}")
        if f"diff.{DRIVER}.textconv" in changed:
            # git keys its cache by the command too, but a cache made while the tool was
            # broken holds plain text under the same command: start afresh.
            git.run("update-ref", "-d", TEXTCONV_CACHE, ok_codes=(1,))
    if ATTRIBUTES not in (line.strip() for line in text.splitlines()):
        if text and not text.endswith("\n"):
            text += "\n"
        text += f"{ATTRIBUTES_COMMENT}\n{ATTRIBUTES}\n"
        atomic_write(attributes, text.encode("utf-8"))
        changed.append(".gitattributes")
    return changed


# The textconv driver --------------------------------------------------------------------------

MEANING = "#= "  # the lines textconv adds below a claim file's own text


def textconv(data: bytes, path: str) -> str:
    """A claim file's text with its meaning below it, for git to diff with its own options.

    The meaning depends on the blob alone, so git may cache it by blob (cachetextconv).
    """
    text = data.decode("utf-8", errors="replace")
    if text and not text.endswith("\n"):
        text += "\n"
    claim, error = parse_claim_blob(data, path)
    if claim is None:
        return f"{text}{MEANING}not readable as a claim: {error}\n"
    lines = [f"{MEANING}reading: {_reading_words(claim.value, claim.type, claim.modality)}"]
    for other in getattr(claim, "also", None) or []:
        if isinstance(other, dict):
            words = _reading_words(other.get("value"), claim.type, other.get("modality"))
            lines.append(f"{MEANING}also, contradicting it: {words}")
    lines.append(f"{MEANING}source: {claim.source or '(none)'}")
    return text + "\n".join(lines) + "\n"


def _reading_words(value, kind, modality) -> str:
    from .dates import parse_date

    shown = value_text(value, kind)
    if kind == "date":
        try:
            date = parse_date(value)
            if date.lower and date.upper and date.lower != date.upper:
                shown += f" (between {date.lower.isoformat()} and {date.upper.isoformat()})"
        except (ValueError, TypeError):
            pass
    return f"{shown} [{kind}, {modality or 'asserted'}]"


# The diff driver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileChange:
    """One claim file's change as git's external diff interface describes it."""

    path: str
    new_path: str
    old_text: str | None  # None: the file does not exist on that side
    new_text: str | None
    old_hex: str = ""
    new_hex: str = ""
    old_mode: str = ""
    new_mode: str = ""
    rename_info: str = ""
    diff: ClaimDiff | None = None  # None when the file is not a claim or cannot be compared
    old_source: Source | None = None
    new_source: Source | None = None


def _read_side(name: str) -> str | None:
    if name == "/dev/null":
        return None
    data = Path(name).read_bytes()
    return data.decode("utf-8", errors="replace")


def _sources_near(path: str) -> SourceCache | None:
    """Source metadata from the working tree of the repository holding `path`, if there is one."""
    try:
        return SourceCache(ClaimsRepo(find_root(Path.cwd() / Path(path).parent)))
    except Exception:  # outside a claims repository the header just has no dates
        return None


def external_diff(args: list[str]) -> FileChange:
    """The arguments git gives an external diff command, read into a FileChange.

    path old-file old-hex old-mode new-file new-hex new-mode [new-path rename-info]
    """
    path, old_file, old_hex, old_mode, new_file, new_hex, new_mode = args[:7]
    new_path = args[7] if len(args) > 7 else path
    rename_info = args[8] if len(args) > 8 else ""
    old_text, new_text = _read_side(old_file), _read_side(new_file)
    change = FileChange(
        path, new_path, old_text, new_text, old_hex, new_hex, old_mode, new_mode, rename_info
    )
    try:
        return semantic(change)
    except Exception:  # a diff driver must never stop git: the plain diff is still shown
        return change


def semantic(change: FileChange) -> FileChange:
    from dataclasses import replace

    def parse(text: str | None, where: str):
        return parse_claim_blob(text.encode("utf-8"), where) if text is not None else (None, None)

    old, old_error = parse(change.old_text, f"a/{change.path}")
    new, new_error = parse(change.new_text, f"b/{change.new_path}")
    diff = compare_claims(claim_id_of(change.new_path), old, new, old_error or new_error)
    sources = _sources_near(change.new_path)
    return replace(
        change,
        diff=diff,
        old_source=sources.get(old.source) if sources and old else None,
        new_source=sources.get(new.source) if sources and new else None,
    )


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
    ours_source, theirs_source = a.get("source"), b.get("source")

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
        lines, count = gitio.merge_file(
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
    labels = (
        f"ours: {words(ours_source)}",
        f"base: {words(o.get('source'))}",
        f"theirs: {words(theirs_source)}",
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
    data, count = gitio.merge_file(
        base.encode(), ours.encode(), theirs.encode(), ("ours", "base", "theirs"), marker_size,
        style,
    )  # fmt: skip
    conflicts = [f"{count} line conflict{'s' * (count != 1)}"] if count else []
    return MergeResult(data.decode("utf-8", errors="replace"), conflicts, line_merged=True)


def conflict_style(where: Path) -> str:
    """git's merge.conflictStyle where the merge runs: merge, diff3 or zdiff3."""
    try:
        with gitio.GitHistory(find_root(where)) as git:
            style = (git.config_value("merge.conflictStyle") or "merge").lower()
    except Exception:  # outside a repository git's default applies
        return "merge"
    return style if style in STYLES else "merge"


def article_words(where: Path):
    """A function naming an article by id, headline and date, for conflict markers."""
    sources = _sources_near(str(where / "x"))

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
        data, count = gitio.merge_file(
            sides[0], sides[1], sides[2], ("ours", "base", "theirs"), marker_size, style
        )
        conflicts = [f"{count} line conflict{'s' * (count != 1)}"] if count else []
        return data, MergeResult("", conflicts, line_merged=True)
    result = merge_claims(
        *texts, path=path, marker_size=marker_size, style=style, describe=article_words(Path.cwd())
    )
    return result.text.encode("utf-8"), result
