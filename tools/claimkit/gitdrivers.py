"""`claims git-setup`, which installs git's drivers for claim files, and the diff side of them.

The textconv driver gives git a claim file's text with its meaning below it, so `git diff`
stays git's own with every option. The external diff driver (not installed; for one-off use)
prints the change kind above the plain diff. The merge driver is in gitmerge.py.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from . import gitio
from .diffing import ClaimDiff, compare_claims
from .errors import DataError
from .files import atomic_write, read_text
from .history import SourceCache, claim_id_of, parse_claim_blob
from .model import Source
from .repo import ClaimsRepo, find_root

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
    # Its own small module, not the CLI: git runs it once for every version it has not cached.
    command = f"{shlex.quote(sys.executable)} -m claimkit.textconv"
    return (
        f'{_WARN}t() {{ o=$({command} "$1" 2>/dev/null) && printf \'%s\\n\' "$o" '
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
    with gitio.GitSession(repo.root) as git:
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


def sources_near(path: str) -> SourceCache | None:
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
    sources = sources_near(change.new_path)
    return replace(
        change,
        diff=diff,
        old_source=sources.get(old.source) if sources and old else None,
        new_source=sources.get(new.source) if sources and new else None,
    )
