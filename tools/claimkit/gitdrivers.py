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
from .escaping import one_line
from .files import atomic_write, read_text
from .history import SourceCache, claim_id_of, parse_claim_blob
from .model import CLAIM_FIELDS, Source
from .repo import ClaimsRepo, find_root
from .yamlio import MISSING, parse_mapping, same_value, take_keys

DRIVER = "claims"
ATTRIBUTES = "claims/*.yaml diff=claims merge=claims"
ATTRIBUTES_COMMENT = "# claims git-setup: semantic diffs and field-wise merges of claim files"


# git-setup ------------------------------------------------------------------------------------


def driver_command() -> str:
    """How git runs this tool: this Python and this package, so it works from any directory."""
    return f"{shlex.quote(sys.executable)} -m claimkit"


def setup_config() -> dict[str, str]:
    command = driver_command()
    return {
        f"diff.{DRIVER}.command": f"{command} diff-driver",
        f"merge.{DRIVER}.name": "claims: field-wise three-way merge of claim files",
        f"merge.{DRIVER}.driver": f"{command} merge-driver --marker-size %L %O %A %B %P",
    }


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
    if ATTRIBUTES not in (line.strip() for line in text.splitlines()):
        if text and not text.endswith("\n"):
            text += "\n"
        text += f"{ATTRIBUTES_COMMENT}\n{ATTRIBUTES}\n"
        atomic_write(attributes, text.encode("utf-8"))
        changed.append(".gitattributes")
    return changed


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


def _parse(text: str, where: str) -> dict:
    if not text.strip():
        return {}
    return parse_mapping(text, where).data


def merge_claims(
    base: str, ours: str, theirs: str, *, path: str = "claim", marker_size: int = 7
) -> MergeResult:
    """Three-way merge of one claim file by field, keeping the comments of both sides."""
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
        return _line_merge(base, ours, theirs, marker_size)
    # Named on marker lines and in the message: one line each, whatever the files hold.
    ours_source, theirs_source = (
        None if side.get("source") is None else one_line(str(side["source"])) for side in (a, b)
    )
    changes, remove, conflicts = [], [], []
    for key in dict.fromkeys([*a, *b, *o]):
        was, mine, yours = o.get(key, MISSING), a.get(key, MISSING), b.get(key, MISSING)
        if same_value(mine, yours) or same_value(yours, was):
            continue  # both agree, or only ours changed it: ours has it already
        if same_value(mine, was):
            (remove if yours is MISSING else changes).append(key)
        else:
            conflicts.append(key)
    order = list(dict.fromkeys([*b, *CLAIM_FIELDS]))

    def merge(take: list[str], drop: list[str]) -> str:
        return take_keys(ours, theirs, take, drop, order=order, quoted=QUOTED_FIELDS, path=path)

    merged = merge(list(changes), remove)
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
    theirs_take = list(changes) + [k for k in conflicts if k in b]
    theirs_drop = remove + [k for k in conflicts if k not in b]
    other = merge(theirs_take, theirs_drop)
    labels = (f"ours ({_source_words(ours_source)})", f"theirs ({_source_words(theirs_source)})")
    text = _with_markers(merged, other, labels, marker_size)
    return MergeResult(text, conflicts, ours_source, theirs_source)


def _source_words(source) -> str:
    return f"source {source}" if source else "no source"


def _with_markers(ours: str, theirs: str, labels: tuple[str, str], size: int) -> str:
    """One text from two that differ in places, each difference between conflict markers."""
    import difflib

    mine, yours = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    out = []
    matcher = difflib.SequenceMatcher(None, mine, yours, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += mine[i1:i2]
            continue
        out.append(f"{'<' * size} {labels[0]}\n")
        out += [line if line.endswith("\n") else line + "\n" for line in mine[i1:i2]]
        out.append(f"{'=' * size}\n")
        out += [line if line.endswith("\n") else line + "\n" for line in yours[j1:j2]]
        out.append(f"{'>' * size} {labels[1]}\n")
    return "".join(out)


def _line_merge(base: str, ours: str, theirs: str, marker_size: int) -> MergeResult:
    data, count = gitio.merge_file(
        base.encode(), ours.encode(), theirs.encode(), ("ours", "base", "theirs"), marker_size
    )
    conflicts = [f"{count} line conflict{'s' * (count != 1)}"] if count else []
    return MergeResult(data.decode("utf-8", errors="replace"), conflicts, line_merged=True)


def merge_claim_files(
    base: Path, ours: Path, theirs: Path, path: str, marker_size: int = 7
) -> tuple[bytes, MergeResult]:
    """The merge driver's work on git's three files: the merged bytes and how it went."""
    from .files import read_bytes

    sides = [read_bytes(file, str(file)) for file in (base, ours, theirs)]
    try:
        texts = [data.decode("utf-8") for data in sides]
    except UnicodeDecodeError:
        data, count = gitio.merge_file(
            sides[0], sides[1], sides[2], ("ours", "base", "theirs"), marker_size
        )
        conflicts = [f"{count} line conflict{'s' * (count != 1)}"] if count else []
        return data, MergeResult("", conflicts, line_merged=True)
    result = merge_claims(*texts, path=path, marker_size=marker_size)
    return result.text.encode("utf-8"), result
