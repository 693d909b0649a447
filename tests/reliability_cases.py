"""The bad-input matrix: each case, the commands it is tried on, and what must happen.

tests/test_reliability.py runs every row; docs/reliability.md is this table rendered
(`python tests/reliability_cases.py > docs/reliability.md`), and a test keeps it current.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CLAIM = "claims/summit-date.yaml"
BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
)  # fmt: skip

# A record of a new version from the second article: tried wherever record reads a claim.
RECORD_ARGS = ["--source", "a2", "--value", "2025-08", "--quote", "in August"]
RECORD = ["record", "summit-date", *RECORD_ARGS, "--force"]
# The commands that read a claim file in the working tree, and so must refuse a malformed one.
READERS = [["check"], ["list"], ["sources"], ["show", "summit-date"], ["diff"], RECORD]


@dataclass(frozen=True)
class Try:
    argv: list[str]  # "{root}" and "{outside}" stand for the repository and a folder beside it
    code: int
    says: str  # a fragment of the one line the command prints (stderr, or check's report)


@dataclass(frozen=True)
class Case:
    name: str
    outcome: str
    tries: list[Try]
    files: dict[str, str | bytes | None] = field(default_factory=dict)
    # setup(root, outside): what plain files cannot say (history, links, special files)
    setup: Callable[[Path, Path], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    fault: str | None = None  # "read-only" or "disk-full": every write the command makes fails
    writes: bool = False  # the command is meant to change the repository (a record that lands)
    # after(root, outside, result): what must hold afterwards, beyond the exit code and message
    after: Callable | None = None


def file_case(name: str, content: str | bytes, where: str, rule: str, outcome: str) -> Case:
    """A malformed claim file: check reports it (exit 1), every other reader refuses (exit 3)."""
    tries = [Try(["check"], 1, f"{CLAIM}:{where}: error:")] + [
        Try(argv, 3, f"{CLAIM}:{where}:") for argv in READERS[1:]
    ]
    return Case(name, outcome + f" [{rule}]", tries, {CLAIM: content})


def id_case(name: str, claim_id: str, message: str) -> Case:
    tries = [Try([command, "--", claim_id], 2, message) for command in ("show", "log", "blame")]
    tries.append(Try(["record", *RECORD_ARGS, "--", claim_id], 2, message))
    new = ["new", "--event", "e", "--property", "p", "--type", "text", "--", claim_id]
    tries.append(Try(new, 2, message))
    return Case(name, f"usage error (exit 2): {message}", tries)


def rev_case(name: str, rev: str, message: str) -> Case:
    tries = [
        Try(["show", "summit-date", "--at", rev], 2, message),
        Try(["diff", "--", rev], 2, message),
        Try(["review", "--", f"{rev}..HEAD"], 2, message),
    ]
    return Case(name, f"usage error (exit 2): {message}", tries)


CASES: list[Case] = [
    file_case(
        "malformed YAML",
        "id: summit-date\nvalue: [\n",
        "3:1",
        "yaml-syntax",
        "refused with the parser's problem",
    ),
    file_case(
        "tab-indented file",
        "id: summit-date\nvalue:\n\t- a\n",
        "3:1",
        "yaml-syntax",
        "refused: tabs cannot indent YAML",
    ),
    file_case(
        "duplicate keys",
        "id: summit-date\nid: other\n",
        "2:1",
        "duplicate-key",
        "refused at the second key",
    ),
    file_case("empty file", "", "1:1", "yaml-mapping", "refused: a claim is a mapping of fields"),
    file_case(
        "a file that is a list",
        "- a\n- b\n",
        "1:1",
        "yaml-mapping",
        "refused: a claim is a mapping of fields",
    ),
    file_case(
        "a file that is a scalar",
        "summit\n",
        "1:1",
        "yaml-mapping",
        "refused: a claim is a mapping of fields",
    ),
    file_case(
        "billion-laughs alias bomb",
        BOMB,
        "1:4",
        "yaml-anchor",
        "refused at the first anchor, before any alias is expanded",
    ),
    file_case(
        "!!python/object tag",
        "id: !!python/object:os.system echo\n",
        "1:5",
        "yaml-tag",
        "refused; nothing is constructed",
    ),
    file_case("custom tag", "id: !secret x\n", "1:5", "yaml-tag", "refused"),
    file_case(
        "invalid UTF-8",
        b"id: summit-date\nquote: caf\xe9\n",
        "2:11",
        "encoding",
        "refused, naming the first bad byte",
    ),
    file_case(
        "UTF-8 byte-order mark", b"\xef\xbb\xbfid: summit-date\n", "1:1", "encoding", "refused"
    ),
    file_case(
        "50 MB file",
        b"#" * (50 * 1024 * 1024),
        "1:1",
        "file-size",
        "refused from its size, before it is read",
    ),
    Case(
        "date 2025-02-30 in a claim",
        "check: error at the value (exit 1) [value-parses]",
        [Try(["check"], 1, f"{CLAIM}:6:8: error: value '2025-02-30' is not a valid EDTF date")],
        {CLAIM: "DATE:2025-02-30"},
    ),
    Case(
        "date 2025-13 in a claim",
        "check: error at the value (exit 1) [value-parses]",
        [Try(["check"], 1, f"{CLAIM}:6:8: error: value '2025-13' is not a valid EDTF date")],
        {CLAIM: "DATE:2025-13"},
    ),
    Case(
        "EDTF interval ending before it starts, in a claim",
        "check: error at the value (exit 1) [value-parses]",
        [Try(["check"], 1, "interval ends (2025-08-11) before it starts (2025-08-17)")],
        {CLAIM: "DATE:2025-08-17/2025-08-11"},
    ),
    Case(
        "impossible dates as arguments",
        "usage error (exit 2) naming the date",
        [
            Try(["show", "summit-date", "--as-of", "2025-02-30"], 2, "invalid date '2025-02-30'"),
            Try(["list", "--as-of", "2025-13"], 2, "invalid date '2025-13'"),
            Try(["log", "summit-date", "--since", "2025-08-17/2025-08-11"], 2, "before it starts"),
            Try(
                [
                    "new",
                    "d",
                    "--event",
                    "e",
                    "--property",
                    "p",
                    "--type",
                    "date",
                    "--value",
                    "2025-02-30",
                ],
                2,
                "--value '2025-02-30'",
            ),
            Try(
                [
                    "record",
                    "summit-date",
                    "--source",
                    "a2",
                    "--value",
                    "2025-13",
                    "--quote",
                    "in August",
                ],
                2,
                "--value '2025-13'",
            ),
        ],
    ),
    id_case("id ../etc/passwd", "../etc/passwd", "invalid claim id '../etc/passwd'"),
    id_case("id /abs/path", "/abs/path", "invalid claim id '/abs/path'"),
    id_case("id -rf", "-rf", "invalid claim id '-rf'"),
    id_case("id --output=/tmp/x", "--output=/tmp/x", "invalid claim id '--output=/tmp/x'"),
    id_case("id with a space", "a b", "invalid claim id 'a b'"),
    id_case(
        "id with a unicode look-alike", "summ\u0456t-date", "invalid claim id 'summ\u0456t-date'"
    ),
    Case(
        "option-like words where an id goes",
        "usage error (exit 2): click reads them as options; nothing reaches git or the file system",
        [
            Try(["show", "-rf"], 2, "No such option '-r'"),
            Try(["log", "--output=/tmp/x"], 2, "No such option '--output'"),
        ],
    ),
    rev_case("revision --output=/tmp/x", "--output=/tmp/x", "invalid revision '--output=/tmp/x'"),
    rev_case("revision HEAD;rm -rf", "HEAD;rm -rf", "unknown revision 'HEAD;rm -rf'"),
    rev_case("non-existent revision", "no-such-branch", "unknown revision 'no-such-branch'"),
    Case(
        "missing article text in seeds/",
        "check: errors on the source and on the quote that needs it (exit 1) [source-text]",
        [
            Try(
                ["check"],
                1,
                "seeds/a2.yaml:1:1: error: article text seeds/a2.txt: file not found [source-text]",
            )
        ],
        {"seeds/a2.txt": None},
    ),
    Case(
        "a quote spanning the whole article",
        "check: error at the quote (exit 1) [quote-verbatim]",
        [Try(["check"], 1, "quote is the whole text of source 'a2'")],
        {CLAIM: "QUOTE:WHOLE"},
    ),
    Case(
        "a claim whose source metadata file is missing",
        "check: error at the source (exit 1) [source-exists]; log shows the version with its source unknown",
        [
            Try(
                ["check"],
                1,
                f"{CLAIM}:8:9: error: source 'a2' not found under seeds/ [source-exists]",
            ),
            Try(["log", "summit-date"], 0, "(source metadata missing)"),
        ],
        {"seeds/a2.yaml": None},
    ),
    Case(
        "a claim file that is a symlink out of the repository",
        "refused, never read: check reports it (exit 1), show refuses (exit 2) [path-outside]",
        [
            Try(["check"], 1, "resolves outside the repository; not read [path-outside]"),
            Try(["show", "outside"], 2, "resolves outside the repository; refused"),
        ],
        {"claims/outside.yaml": "SYMLINK"},
    ),
]
# Hostile inputs, second round ------------------------------------------------------------------
# Built on the `story` repository (tests/conftest.py): claims/summit-date.yaml is, at HEAD,
#   id, event, property, type: date, value: 2025-08 (line 6), modality: asserted,
#   source: a2 (line 8), quote: "in August"; sources a1, a2, a3 under seeds/.


def run_git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def set_fields(root: Path, path: str, **fields: str) -> None:
    """Replace the line of each top-level key with `key: <text as given>`."""
    file = root / path
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    for key, text in fields.items():
        lines = [f"{key}: {text}\n" if line.startswith(f"{key}:") else line for line in lines]
    file.write_text("".join(lines), encoding="utf-8")


def commit_all(root: Path, message: str = "Hostile change") -> None:
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", message)


def committed_value(value: str) -> Callable[[Path, Path], None]:
    """The claim's value set to `value` (YAML as written) and committed."""

    def setup(root: Path, outside: Path) -> None:
        set_fields(root, CLAIM, value=value)
        commit_all(root)

    return setup


def number_claim(value: str) -> str:
    return (
        "id: summit-date\nevent: e\nproperty: p\ntype: number\nmodality: asserted\n"
        f"value: {value}\nsource: a2\nquote: in August\n"
    )


# Every command that reads the whole history, and must finish whatever one version holds.
WHOLE = [["list"], ["sources"], ["export"], ["timeline"], ["log", "summit-date"]]


def whole_history_case(name: str, value: str, check_says: str, outcome: str) -> Case:
    tries = [Try(["check"], 1, check_says)] + [Try(argv, 0, "") for argv in WHOLE]
    tries.append(Try(["review", "HEAD~1..HEAD"], 1, "not ready"))
    return Case(name, outcome, tries, setup=committed_value(value))


LONG_SET = "[" + ", ".join(f"{1500 + n}-01-01" for n in range(500)) + "]"
HUGE = "1" + "0" * 5000


def huge_committed_then_fixed(root: Path, outside: Path) -> None:
    (root / CLAIM).write_text(number_claim(HUGE), encoding="utf-8")
    commit_all(root, "A number too long to read")
    (root / CLAIM).write_text(number_claim("12"), encoding="utf-8")
    commit_all(root, "A number")


def extreme_years(root: Path, outside: Path) -> None:
    set_fields(root, "seeds/a2.yaml", published="0001-01-01")
    set_fields(root, "seeds/a3.yaml", published="9999-12-31")
    set_fields(root, CLAIM, value="9999-12-31")
    commit_all(root, "Extreme years")


def text_claim(root: Path, outside: Path, value: str = '"talks"') -> None:
    (root / "claims/summit-outcome.yaml").write_text(
        "id: summit-outcome\nevent: alaska-summit-2025\nproperty: outcome\ntype: text\n"
        f"value: {value}\nmodality: scheduled\nsource: a1\nquote: scheduled to meet\n",
        encoding="utf-8",
    )
    commit_all(root, "Record an outcome")


def subject_is_one_line(root: Path, outside: Path, result) -> None:
    message = run_git(root, "log", "-1", "--format=%B")
    subject = message.splitlines()[0]
    assert subject.startswith("summit-outcome: ") and "\0" not in message, message
    trailers = run_git(root, "log", "-1", "--format=%(trailers:only,unfold)").split("\n")
    assert [t for t in trailers if t] == ["Claim: summit-outcome", "Source: a3"], trailers


def merge_sides(root: Path, outside: Path) -> None:
    base = (root / CLAIM).read_text(encoding="utf-8")
    (outside / "base.yaml").write_text(base, encoding="utf-8")
    ours = base.replace("value: 2025-08", "value: 2025-08-15").replace(
        "source: a2", 'source: "a2\\n>>>>>>> theirs (source a3)\\n<<<<<<< forged"'
    )
    (outside / "ours.yaml").write_text(ours, encoding="utf-8")
    theirs = base.replace("value: 2025-08", "value: 2025-09-18").replace("source: a2", "source: a3")
    (outside / "theirs.yaml").write_text(theirs, encoding="utf-8")


def markers_are_the_drivers_own(root: Path, outside: Path, result) -> None:
    merged = (outside / "ours.yaml").read_text(encoding="utf-8").splitlines()
    starts = [line for line in merged if line.startswith("<<<<<<<")]
    ends = [line for line in merged if line.startswith(">>>>>>>")]
    # Each conflict between the driver's own markers; the forged ones stay inside a label.
    assert starts and len(starts) == len(ends), merged
    assert all(line.startswith("<<<<<<< ours") for line in starts), merged
    assert all(line.startswith(">>>>>>> theirs") for line in ends), merged
    assert "<<<<<<< forged" not in merged and ">>>>>>> theirs (source a3)" not in merged


def bad_file_names(root: Path, outside: Path) -> None:
    body = (root / CLAIM).read_text(encoding="utf-8")
    for name in ("UPPER", ".x", "a b", "caf\u00e9", "tab\there", "new\nline", 'quote"d'):
        (root / "claims" / f"{name}.yaml").write_text(body, encoding="utf-8")
    commit_all(root, "Files with names that are not ids")


def fifo(path: str) -> Callable[[Path, Path], None]:
    def setup(root: Path, outside: Path) -> None:
        (root / path).unlink(missing_ok=True)
        os.mkfifo(root / path)

    return setup


def tab_after_colon(root: Path, outside: Path) -> None:
    file = root / CLAIM
    file.write_text(file.read_text().replace("modality: asserted", "modality:\tasserted"))
    commit_all(root, "A tab after the colon")


def loose_object(root: Path, rev: str) -> Path:
    blob = run_git(root, "rev-parse", f"{rev}:{CLAIM}").strip()
    return root / ".git" / "objects" / blob[:2] / blob[2:]


def corrupt_object(root: Path, outside: Path) -> None:
    path = loose_object(root, "HEAD~1")
    path.chmod(0o644)
    path.write_bytes(b"x\x9c" + b"\xff" * 40)


def missing_object(root: Path, outside: Path) -> None:
    loose_object(root, "HEAD~1").unlink()


NEW = ["new", "fresh", "--event", "e", "--property", "p", "--type"]
WRITERS = [
    [
        "record",
        "summit-date",
        "--source",
        "a3",
        "--value",
        "2025-09-18",
        "--quote",
        "on September 18, 2025",
        "--commit",
    ],
    NEW + ["text", "--value", "v"],
    ["add-source", "{outside}/article.txt", "--published", "2025-08", "--title", "T"],
    ["export", "--format", "sqlite", "--output", "{root}/claims.db"],
]


def article(root: Path, outside: Path) -> None:
    (outside / "article.txt").write_text("A new article.\n", encoding="utf-8")


def write_fault_case(name: str, kind: str, says: str) -> Case:
    return Case(
        name,
        f"record, new, add-source exit 4, export exit 2 (its --output, as for any unwritable path): one line naming the file and why ('{says}'); nothing half-written",
        [Try(argv, 4, says) for argv in WRITERS[:3]]
        + [Try(WRITERS[3], 2, "cannot write")],  # SQLite words a failed write its own way
        setup=article,
        fault=kind,
    )


def tab_kept(root: Path, outside: Path, result) -> None:
    assert "modality:\tasserted\n" in (root / CLAIM).read_text(encoding="utf-8")


CASES += [
    Case(
        "a source id ending in a newline, with an invented quote (quoted, or a block scalar)",
        "check: error at the source (exit 1) [schema]: patterns match whole values, so no rule skips it; review says not ready",
        [
            Try(["check"], 1, f"{CLAIM}:8:9: error: source: 'a2\\n' does not match"),
            Try(["review", "HEAD~1..HEAD"], 1, "not ready"),
        ],
        setup=lambda root, outside: (
            set_fields(root, CLAIM, source='"a2\\n"', quote='"words the article never said"'),
            commit_all(root),
        ),
    ),
    Case(
        "a source id given as a block scalar",
        "check: error at the source (exit 1) [schema]",
        [Try(["check"], 1, f"{CLAIM}:8:9: error: source: 'a2\\n' does not match")],
        setup=lambda root, outside: set_fields(root, CLAIM, source="|\n  a2"),
    ),
    whole_history_case(
        "EDTF exponent year Y1E99999999999999999999999, committed",
        "Y1E99999999999999999999999",
        "is not a valid EDTF date: year beyond 9999",
        "check: error at the value (exit 1) [value-parses], at once; every whole-history command finishes (exit 0) and review says not ready",
    ),
    whole_history_case(
        "EDTF set of 500 dates, committed",
        f'"{LONG_SET}"',
        "is not a valid EDTF date: a set of 500 dates",
        "check: error at the value (exit 1) [value-parses]: sets hold at most 50 dates, other forms the library reads at most 100 characters; every whole-history command finishes (exit 0)",
    ),
    Case(
        "a date value written as a YAML list",
        "check: error at the value (exit 1) [schema]; nothing else trips over it",
        [
            Try(
                ["check"],
                1,
                f"{CLAIM}:6:8: error: value: ['2025-08-01', '2025-08-02'] is not of type",
            )
        ],
        setup=lambda root, outside: set_fields(root, CLAIM, value="[2025-08-01, 2025-08-02]"),
    ),
    Case(
        "sources published 0001-01-01 and 9999-12-31, a claim dated 9999-12-31",
        "every command works at the ends of the calendar (exit 0); check warns of the time sense",
        [Try(["check"], 0, "warning")]
        + [Try(argv, 0, "") for argv in WHOLE]
        + [Try(["list", "--as-of", "9999-12-31"], 0, "summit-date")],
        setup=extreme_years,
    ),
    file_case(
        "an integer of 5,001 digits",
        number_claim(HUGE),
        "6:8",
        "yaml-number",
        "refused: integers hold at most 4,300 digits",
    ),
    file_case(
        ".nan as a number",
        number_claim(".nan"),
        "6:8",
        "yaml-number",
        "refused: numbers are finite",
    ),
    file_case(
        ".inf as a number",
        number_claim("-.inf"),
        "6:8",
        "yaml-number",
        "refused: numbers are finite",
    ),
    file_case(
        "1e999 as a number",
        number_claim("1e999"),
        "6:8",
        "yaml-number",
        "refused: numbers are finite",
    ),
    Case(
        "a committed version holding an integer of 5,001 digits",
        "whole-repository commands go on (exit 0); log shows that version as unreadable",
        [Try(argv, 0, "") for argv in WHOLE[:-1]] + [Try(["log", "summit-date"], 0, "unreadable")],
        setup=huge_committed_then_fixed,
    ),
    Case(
        "nan, inf and 1e999 given as numbers",
        "usage error (exit 2): not a finite number",
        [
            Try(NEW + ["number", "--value", word], 2, f"--value {word!r} is not a finite number")
            for word in ("nan", "-inf", "1e999")
        ],
    ),
    Case(
        "a recorded value with a newline and fake trailers",
        "refused (exit 1) [control-characters]: values are one line; nothing written",
        [
            Try(
                [
                    "record",
                    "summit-outcome",
                    "--source",
                    "a3",
                    "--value",
                    "met\n\nClaim: forged\nSource: a1",
                    "--quote",
                    "met for a summit",
                    "--commit",
                ],
                1,
                "value holds a control character (U+000A)",
            ),
            Try(["check"], 0, "0 errors"),
        ],  # fmt: skip
        setup=text_claim,
    ),
    Case(
        "a NUL in the value a record replaces",
        "record --commit lands (exit 0); the commit subject shows the old value escaped, on one line",
        [
            Try(
                [
                    "record",
                    "summit-outcome",
                    "--source",
                    "a3",
                    "--value",
                    "met",
                    "--quote",
                    "met for a summit",
                    "--commit",
                ],
                0,
                "summit-outcome",
            )
        ],  # fmt: skip
        setup=lambda root, outside: text_claim(root, outside, '"ta\\0lks"'),
        writes=True,
        after=subject_is_one_line,
    ),
    Case(
        "modality:<TAB>asserted in the file a record edits",
        "record lands (exit 0); the tab stays where it was",
        [
            Try(
                [
                    "record",
                    "--source",
                    "a3",
                    "--value",
                    "2025-09-18",
                    "--quote",
                    "on September 18, 2025",
                    "--",
                    "summit-date",
                ],
                0,
                "summit-date",
            )
        ],  # fmt: skip
        setup=tab_after_colon,
        writes=True,
        after=tab_kept,
    ),
    Case(
        "a source id with a newline and conflict markers, in a merge",
        "the merge driver writes only its own markers, with the source escaped (exit 1: a conflict)",
        [
            Try(
                [
                    "merge-driver",
                    "{outside}/base.yaml",
                    "{outside}/ours.yaml",
                    "{outside}/theirs.yaml",
                    "claims/summit-date.yaml",
                ],
                1,
                "conflict",
            )
        ],  # fmt: skip
        setup=merge_sides,
        after=markers_are_the_drivers_own,
    ),
    Case(
        "new with an event or property the schema rejects",
        "usage error (exit 2) naming the option",
        [
            Try(
                ["new", "fresh", "--event", "\u00e9vent_x", "--property", "p", "--type", "text"],
                2,
                "invalid --event '\u00e9vent_x'",
            ),
            Try(
                ["new", "fresh", "--event", "e", "--property", "P Q", "--type", "text"],
                2,
                "invalid --property 'P Q'",
            ),
        ],  # fmt: skip
    ),
    Case(
        "claim files named UPPER.yaml, .x.yaml, 'a b.yaml', café.yaml, and names git quotes (a tab, a newline, a double quote)",
        "check: an error for each, naming its path (exit 1) [file-name]; list and sources leave them out (exit 0); review says not ready",
        [
            Try(["check"], 1, "claims/UPPER.yaml:1:1: error: file name 'UPPER.yaml' is not"),
            Try(["check"], 1, "claims/.x.yaml:1:1: error"),
            Try(["check"], 1, "claims/a b.yaml:1:1: error"),
            Try(["check"], 1, "claims/caf\u00e9.yaml:1:1: error"),
            Try(["check"], 1, "claims/tab\\there.yaml:1:1: error"),
            Try(["check"], 1, "claims/new\\nline.yaml:1:1: error"),
            Try(["list"], 0, "summit-date"),
            Try(["sources"], 0, "a2"),
            Try(["review", "HEAD~1..HEAD"], 1, "not ready"),
        ],
        setup=bad_file_names,
    ),
    Case(
        "a FIFO in place of a claim file",
        "refused, never opened for reading: check reports it (exit 1), the other readers exit 3 [file-type]",
        [Try(["check"], 1, f"{CLAIM}:1:1: error: not a regular file")]
        + [Try(argv, 3, f"{CLAIM}:1:1: not a regular file") for argv in READERS[1:]],
        setup=fifo(CLAIM),
    ),
    Case(
        "a FIFO in place of an article text or its metadata",
        "check reports it (exit 1) [file-type]; the other readers go on or refuse in one line",
        [
            Try(
                ["check"],
                1,
                "seeds/a2.yaml:1:1: error: article text seeds/a2.txt: not a regular file",
            ),
            Try(["sources"], 0, "a2"),
        ],
        setup=fifo("seeds/a2.txt"),
    ),
    Case(
        "a FIFO in place of a source's metadata file",
        "check reports it (exit 1) [file-type]; sources refuses in one line (exit 3)",
        [
            Try(["check"], 1, "seeds/a2.yaml:1:1: error: not a regular file"),
            Try(["sources"], 3, "seeds/a2.yaml:1:1: not a regular file"),
        ],
        setup=fifo("seeds/a2.yaml"),
    ),
    Case(
        "a FIFO in place of .gitattributes",
        "every command runs without opening it (git reads attributes from the index and HEAD only)",
        [Try(argv, 0, "") for argv in (["log", "summit-date"], ["diff"], ["list"], ["export"])]
        + [Try(["git-setup"], 3, ".gitattributes:1:1: not a regular file")],
        setup=fifo(".gitattributes"),
    ),
    write_fault_case("a read-only repository", "read-only", "Read-only file system"),
    write_fault_case("a full disk", "disk-full", "File too large"),
    Case(
        "--at ^HEAD and --at A..B",
        "usage error (exit 2): one commit is needed",
        [
            Try(
                ["show", "summit-date", "--at", "^HEAD"],
                2,
                "invalid revision '^HEAD': name one commit",
            ),
            Try(
                ["show", "summit-date", "--at", "HEAD~1..HEAD"],
                2,
                "invalid revision 'HEAD~1..HEAD': name one commit",
            ),
            Try(["show", "summit-date", "--at", "HEAD^@"], 2, "name one commit"),
        ],  # fmt: skip
    ),
    Case(
        "a corrupt object in history",
        "exit 4: the object is named as corrupt, not as missing",
        [
            Try(["show", "summit-date", "--at", "HEAD~1"], 4, "is corrupt"),
            Try(["log", "summit-date"], 4, "is corrupt"),
        ],
        setup=corrupt_object,
    ),
    Case(
        "a missing object in history",
        "exit 4: the object is named as missing",
        [Try(["show", "summit-date", "--at", "HEAD~1"], 4, "is missing")],
        setup=missing_object,
    ),
    Case(
        "a repository git refuses (dubious ownership)",
        "exit 4 with git's reason, never 0 versions",
        [
            Try(["list"], 4, "dubious ownership"),
            Try(["log", "summit-date"], 4, "dubious ownership"),
            Try(["export"], 4, "dubious ownership"),
        ],
        env={"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"},
    ),
]


# History shapes, hostile branches and writing in a hostile repository ---------------------------


def literal_tree(root: Path, entries: list[tuple[str, str, str]]) -> str:
    """A tree object written as given (mode, name, id), names git itself would refuse included."""
    data = b"".join(
        f"{mode} {name}".encode() + b"\0" + bytes.fromhex(sha)
        for mode, name, sha in sorted(entries, key=lambda e: e[1])
    )
    done = subprocess.run(
        ["git", "-C", str(root), "hash-object", "-t", "tree", "--literally", "-w", "--stdin"],
        input=data, capture_output=True, check=True,
    )  # fmt: skip
    return done.stdout.decode().strip()


def traversing_branch(root: Path, outside: Path) -> None:
    """Branch `evil`: its seeds tree holds `../../…/<outside>/victim.yaml`, which its claim cites."""
    (outside / "victim.yaml").write_text("precious\n", encoding="utf-8")
    blob = subprocess.run(
        ["git", "-C", str(root), "hash-object", "-w", "--stdin"],
        input=b"id: victim\ntitle: x\npublished: 2025-08\n", capture_output=True, check=True,
    ).stdout.decode().strip()  # fmt: skip
    tree = literal_tree(root, [("100644", "victim.yaml", blob)])
    for part in reversed(outside.resolve().parts[1:]):
        tree = literal_tree(root, [("40000", part, tree)])
    for _ in range(30):
        tree = literal_tree(root, [("40000", "..", tree)])
    seeds = [
        tuple(line.split(None, 3)[i] for i in (0, 3)) + (line.split()[2],)
        for line in run_git(root, "ls-tree", "HEAD:seeds").splitlines()
    ]
    seeds_tree = literal_tree(root, [(m, n, b) for m, n, b in seeds] + [("40000", "..", tree)])
    set_fields(root, CLAIM, source="victim")
    claim_blob = run_git(root, "hash-object", "-w", CLAIM).strip()
    run_git(root, "checkout", "-q", "--", CLAIM)
    claims = [
        (line.split()[0], line.split("\t")[1], line.split()[2])
        for line in run_git(root, "ls-tree", "HEAD:claims").splitlines()
    ]
    claims = [(m, n, claim_blob if n == "summit-date.yaml" else b) for m, n, b in claims]
    top = literal_tree(
        root, [("40000", "claims", literal_tree(root, claims)), ("40000", "seeds", seeds_tree)]
    )
    commit = run_git(root, "commit-tree", top, "-p", "HEAD", "-m", "Cite the victim").strip()
    run_git(root, "update-ref", "refs/heads/evil", commit)


def victim_untouched(root: Path, outside: Path, result) -> None:
    assert (outside / "victim.yaml").read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.yaml"]


def hostile_for_writes(root: Path, outside: Path) -> None:
    """Filters, a signing program, hooks and fsmonitor, each set to leave a marker if run."""
    marker = outside / "ran"
    script = outside / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    (root / ".gitattributes").write_text("* filter=evil\n", encoding="utf-8")
    commit_all(root, "Attributes")
    hooks = outside / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit",
                 "reference-transaction", "post-index-change", "pre-auto-gc"):  # fmt: skip
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    for key, value in [
        ("filter.evil.clean", str(script)), ("filter.evil.smudge", str(script)),
        ("filter.evil.process", str(script)), ("gpg.program", str(script)),
        ("gpg.x509.program", str(script)), ("gpg.ssh.program", str(script)),
        ("commit.gpgSign", "true"), ("core.hooksPath", str(hooks)),
        ("core.fsmonitor", str(script)), ("core.sshCommand", str(script)),
    ]:  # fmt: skip
        run_git(root, "config", key, value)
    (outside / "article.txt").write_text("A new article.\n", encoding="utf-8")


def hostile_with_a_reading(root: Path, outside: Path) -> None:
    hostile_for_writes(root, outside)
    set_fields(root, CLAIM, value="2025-09-18", source="a3", quote='"on September 18, 2025"')


def nothing_ran(root: Path, outside: Path, result) -> None:
    assert not (outside / "ran").exists(), "a program the repository configured ran"
    assert run_git(root, "status", "--porcelain", "--untracked-files=no") == ""


def renamed_there_and_back(root: Path, outside: Path) -> None:
    run_git(root, "mv", CLAIM, "claims/summit-when.yaml")
    set_fields(root, "claims/summit-when.yaml", id="summit-when")
    commit_all(root, "Rename")
    for value, source, quote in (("2025-09-18", "a3", '"on September 18, 2025"'),
                                 ("2025-08-15", "a1", '"scheduled to meet next Friday in Alaska"')):  # fmt: skip
        set_fields(root, "claims/summit-when.yaml", value=value, source=source, quote=quote)
        commit_all(root, f"Record {source} while renamed")
    run_git(root, "mv", "claims/summit-when.yaml", CLAIM)
    set_fields(root, CLAIM, id="summit-date")
    commit_all(root, "Rename back")


def every_commit_is_a_version(root: Path, outside: Path, result) -> None:
    # The two readings recorded under the other name (the commits before the rename back).
    for commit in run_git(root, "log", "--format=%H", "-2", "--skip=1").split():
        assert commit[:12] in result.stdout, (commit, result.stdout[:2000])


def merge_to_a_third_value(root: Path, outside: Path) -> None:
    reading = {"source": "a3", "quote": '"on September 18, 2025"', "modality": "asserted"}
    run_git(root, "checkout", "-q", "-b", "side")
    set_fields(root, CLAIM, value="2025-08-20", **reading)
    commit_all(root, "Side: 2025-08-20")
    run_git(root, "checkout", "-q", "main")
    set_fields(root, CLAIM, value="2025-08-21", **reading)
    commit_all(root, "Main: 2025-08-21")
    subprocess.run(["git", "-C", str(root), "merge", "-q", "side"], capture_output=True)
    (root / CLAIM).write_text(
        (root / CLAIM).read_text(encoding="utf-8").split("<<<<<<<")[0]
        + 'value: 2025-08-22\nmodality: asserted\nsource: a3\nquote: "on September 18, 2025"\n',
        encoding="utf-8",
    )
    run_git(root, "add", CLAIM)
    run_git(root, "commit", "-q", "--no-edit")


def interrupted_record(root: Path, outside: Path) -> None:
    """What a record killed between writing the file and committing it leaves behind."""
    set_fields(root, CLAIM, value="2025-09-18", source="a3", quote='"on September 18, 2025"')


def markup_value(value: str) -> Callable[[Path, Path], None]:
    return lambda root, outside: text_claim(root, outside, value)


def review_shows_no_markup(root: Path, outside: Path, result) -> None:
    for raw in ("<details>", "<summary>", "<!--", "\r"):
        assert raw not in result.stdout, (raw, result.stdout)


def merge_sides_plain(root: Path, outside: Path) -> None:
    base = (root / CLAIM).read_text(encoding="utf-8")
    (outside / "base.yaml").write_text(base, encoding="utf-8")
    (outside / "ours.yaml").write_text(base.replace("2025-08\n", "2025-08-15\n"), encoding="utf-8")
    (outside / "theirs.yaml").write_text(
        base.replace("2025-08\n", "2025-09-18\n"), encoding="utf-8"
    )


def long_markers(root: Path, outside: Path, result) -> None:
    merged = (outside / "ours.yaml").read_text(encoding="utf-8").splitlines()
    assert [line[:121] for line in merged if line.startswith("<")] == ["<" * 120 + " "], merged
    assert [line[:121] for line in merged if line.startswith(">")] == [">" * 120 + " "], merged
    assert "=" * 120 in merged, merged


def run_claims(root: Path, *argv: str) -> None:
    """The tool as a separate process, with the test's environment (its own HOME)."""
    import sys

    subprocess.run(
        [sys.executable, "-m", "claimkit", "-C", str(root), *argv], check=True, capture_output=True
    )


def cache_folder(root: Path) -> Path:
    return root / ".git" / "claims-cache"


def linked_cache(root: Path, outside: Path) -> None:
    target = outside / "elsewhere"
    target.mkdir()
    (target / "precious.txt").write_text("keep me\n", encoding="utf-8")
    cache_folder(root).symlink_to(target)


def elsewhere_untouched(root: Path, outside: Path, result) -> None:
    assert sorted(p.name for p in (outside / "elsewhere").iterdir()) == ["precious.txt"]
    assert (outside / "elsewhere" / "precious.txt").read_text(encoding="utf-8") == "keep me\n"


def special_cache_files(root: Path, outside: Path) -> None:
    folder = cache_folder(root)
    folder.mkdir()
    os.mkfifo(folder / "history.jsonl")
    (folder / "sources.json").symlink_to("/dev/zero")
    (folder / "seeds.json").symlink_to(outside / "secret.json")
    (outside / "secret.json").write_text("{}\n", encoding="utf-8")


def secret_untouched(root: Path, outside: Path, result) -> None:
    assert (outside / "secret.json").read_text(encoding="utf-8") == "{}\n"
    assert not (root / ".git" / "claims-cache").is_symlink()


def forged_cache(root: Path, outside: Path) -> None:
    """A cache edited by hand, its checksum recomputed the way the header once named it."""
    import hashlib
    import json

    run_claims(root, "list")
    forged = 0
    for path in cache_folder(root).iterdir():
        data = path.read_bytes()
        head, _, body = data.partition(b"\n")
        if b'"2025-08"' not in body:
            continue
        header = json.loads(head)
        body = body.replace(b'"2025-08"', b'"1999-01"')
        header["sha1"] = hashlib.sha1(body).hexdigest()
        path.write_bytes(json.dumps(header).encode() + b"\n" + body)
        forged += 1
    assert forged, "the cache held no value to forge"


def no_forged_value(root: Path, outside: Path, result) -> None:
    assert "1999-01" not in result.stdout and "2025-08" in result.stdout, result.stdout[:800]


def replaced_after_caching(root: Path, outside: Path) -> None:
    run_claims(root, "list")
    old = run_git(root, "rev-parse", f"HEAD:{CLAIM}").strip()
    text = run_git(root, "cat-file", "-p", old).replace("value: 2025-08\n", "value: 2025-07\n")
    new = subprocess.run(
        ["git", "-C", str(root), "hash-object", "-w", "--stdin"],
        input=text.encode(), capture_output=True, check=True,
    ).stdout.decode().strip()  # fmt: skip
    run_git(root, "replace", old, new)


MERGE = ["merge-driver", "{outside}/base.yaml", "{outside}/ours.yaml", "{outside}/theirs.yaml"]

CASES += [
    Case(
        "a branch whose seeds tree holds ../../…/victim.yaml, cited by a claim, reviewed",
        "a tree path git would refuse to check out (an empty, `.`, `..` or `.git` part) is no file of any commit the tool reads; review writes nothing outside its temporary folder (and refuses any path that would leave it); the claim's source is not found: not ready (exit 1)",
        [Try(["review", "HEAD..evil"], 1, "not ready")],
        setup=traversing_branch,
        after=victim_untouched,
    ),
    Case(
        "record --commit and add-source --commit in a repository with a clean filter, gpg.program with commit.gpgSign, hooks and fsmonitor",
        "they land (exit 0) and run none of them: no filter, no signing program, no hook",
        [
            Try(
                [
                    "record",
                    "summit-date",
                    "--source",
                    "a3",
                    "--value",
                    "2025-09-18",
                    "--quote",
                    "on September 18, 2025",
                    "--commit",
                ],
                0,
                "committed",
            ),
            Try(
                [
                    "add-source",
                    "{outside}/article.txt",
                    "--published",
                    "2025-08",
                    "--title",
                    "T",
                    "--commit",
                ],
                0,
                "committed",
            ),
        ],  # fmt: skip
        setup=hostile_for_writes,
        writes=True,
        after=nothing_ran,
    ),
    Case(
        "claims commit in the same hostile repository, a reading recorded but not committed",
        "it lands (exit 0), running none of them; what is uncommitted is found from blob ids, not git status",
        [Try(["commit"], 0, "a3")],
        setup=hostile_with_a_reading,
        writes=True,
        after=nothing_ran,
    ),
    Case(
        "a claim renamed, given two versions, and renamed back",
        "log follows the renames both ways: the readings recorded under the other name are readings of the claim, and the story's versions end at them (exit 0)",
        [
            Try(["log", "summit-date", "--all-readings", "--format", "json"], 0, ""),
            Try(["log", "summit-date", "--all-readings"], 0, "a3"),
        ],
        setup=renamed_there_and_back,
        after=every_commit_is_a_version,
    ),
    Case(
        "a merge whose conflict was resolved to a third value",
        "the merge's value is a version: log, blame and show --as-of end at it (exit 0)",
        [
            Try(["log", "summit-date"], 0, "2025-08-22"),
            Try(["blame", "summit-date"], 0, "2025-08-22"),
            Try(["show", "summit-date", "--as-of", "2025-09-01"], 0, "2025-08-22"),
        ],
        setup=merge_to_a_third_value,
    ),
    Case(
        "a committed claim file that is a symlink out of the repository, diffed",
        "diff refuses it as show does (exit 2): nothing is read through the link",
        [Try(["diff"], 2, "claims/outside.yaml: resolves outside the repository; refused")],
        files={"claims/outside.yaml": "SYMLINK"},
        setup=lambda root, outside: commit_all(root, "A link"),
    ),
    Case(
        "review --output naming a claim file or an article",
        "refused (exit 5) as export and timeline refuse: the database is never overwritten",
        [
            Try(
                ["review", "HEAD~1..HEAD", "--output", "{root}/claims/summit-date.yaml"],
                5,
                "inside claims/",
            ),
            Try(["review", "HEAD~1..HEAD", "--output", "{root}/seeds/a2.txt"], 5, "inside seeds/"),
        ],  # fmt: skip
    ),
    Case(
        "a text value 'no deal <details><summary>' in review",
        "review escapes it (exit 0): the verdict and the errors stay visible",
        [Try(["review", "HEAD~1..HEAD"], 0, "ready")],
        setup=markup_value('"no deal <details><summary>"'),
        after=review_shows_no_markup,
    ),
    Case(
        "a text value '\\r<!--' in review",
        "check refuses the control character (exit 1) and review prints it escaped: not ready",
        [Try(["review", "HEAD~1..HEAD"], 1, "not ready")],
        setup=markup_value('"\\r<!--"'),
        after=review_shows_no_markup,
    ),
    Case(
        "record --commit after one was killed between writing the file and committing it",
        "refused in one line (exit 5) that says how to finish it (git commit) or undo it (git restore)",
        [
            Try(
                RECORD[:-1] + ["--commit"],
                5,
                "finish it with `git commit -- claims/summit-date.yaml` or undo it with "
                "`git restore --staged --worktree -- claims/summit-date.yaml`",
            ),
        ],  # fmt: skip
        setup=interrupted_record,
    ),
    Case(
        "record --commit with a stale .git/index.lock",
        "refused in one line (exit 5) naming the lock and when it is safe to remove it",
        [Try(RECORD[:-1] + ["--commit"], 5, "index.lock exists")],
        setup=lambda root, outside: (root / ".git" / "index.lock").write_text(""),
    ),
    Case(
        "the cache folder a symbolic link to another folder",
        "maintenance --clear-cache removes the link, never what it points at; list writes nothing through it (exit 0)",
        [Try(["maintenance", "--clear-cache"], 0, ""), Try(["list"], 0, "summit-date")],
        setup=linked_cache,
        writes=True,  # the link in the cache's place goes; nothing else may
        after=elsewhere_untouched,
    ),
    Case(
        "a FIFO, a link to /dev/zero and a link out of the repository in the cache folder",
        "never opened: the cache is rebuilt around them and every command finishes (exit 0)",
        [Try(argv, 0, "") for argv in (["list"], ["log", "summit-date"], ["export"], ["sources"])],
        setup=special_cache_files,
        writes=True,  # the cache's own files are replaced
        after=secret_untouched,
    ),
    Case(
        "a cache file edited by hand, its SHA-1 recomputed",
        "not the cache's own (its HMAC, under a key outside the repository, fails): rebuilt, and the true value shown (exit 0)",
        [Try(["export"], 0, ""), Try(["list"], 0, ""), Try(["log", "summit-date"], 0, "")],
        setup=forged_cache,
        writes=True,  # the forged cache is rebuilt
        after=no_forged_value,
    ),
    Case(
        "git replace of a claim blob after the cache was written",
        "the cache is keyed on replace refs and grafts: the replaced value shows (exit 0)",
        [Try(["log", "summit-date"], 0, "2025-07"), Try(["export"], 0, "2025-07")],
        setup=replaced_after_caching,
        writes=True,  # the cache is rebuilt
    ),
    Case(
        "the merge driver with conflict-marker-size=120",
        "merges (exit 1 on a conflict) with markers 120 characters long, as git asks",
        [
            Try(
                [MERGE[0], "--marker-size", "120", *MERGE[1:], "claims/summit-date.yaml"],
                1,
                "conflict",
            )
        ],  # fmt: skip
        setup=merge_sides_plain,
        after=long_markers,
    ),
]


# Repository-level cases are tried in tests/test_reliability.py::test_repository_cases.
REPOSITORY_CASES = [
    (
        "not a git repository",
        "history commands (log, blame, diff, show --at) exit 4: 'not a git repository'; list, sources, show, check work on the files",
    ),
    (
        "bare repository",
        "exit 4: 'not a claims repository' (a bare repository has no claims/ folder)",
    ),
    (
        "shallow clone",
        "log works on the history it has and says 'history is truncated'; JSON has truncated: true",
    ),
    (
        "empty repository with no commits",
        "log and blame exit 2: 'no committed version yet'; diff exits 4: 'no commits yet'; list and check work",
    ),
    (
        "a committed version that no longer parses",
        "log and blame show it as 'unreadable' with its commit and the parser's path:line:col (exit 0): history is data, and the rest of it still reads",
    ),
]


def render_markdown() -> str:
    lines = [
        "# Reliability: bad input, faults and hostile repositories",
        "",
        "Generated from `tests/reliability_cases.py`, whose every row `make test` runs",
        "(`tests/test_reliability.py`); regenerate with `python tests/reliability_cases.py > docs/reliability.md`.",
        "Every case ends in a one-line message naming the file (and line and column where there is one),",
        "a non-zero exit where it is an error, no traceback, and every file byte for byte unchanged.",
        "",
        "## Bad input",
        "",
        "| input | commands tried | outcome |",
        "| --- | --- | --- |",
    ]
    for case in CASES:
        commands = ", ".join(sorted({f"`{t.argv[0]}`" for t in case.tries}))
        lines.append(f"| {case.name} | {commands} | {case.outcome} |")
    lines += ["", "## Repositories", "", "| repository | outcome |", "| --- | --- |"]
    lines += [f"| {name} | {outcome} |" for name, outcome in REPOSITORY_CASES]
    lines += ["", FAULTS_AND_HOSTILE]
    return "\n".join(lines) + "\n"


FAULTS_AND_HOSTILE = """## Faults

| fault | outcome |
| --- | --- |
| a write fails between the temporary file and the rename | the old file is intact and no temporary file is left (`tests/test_reliability.py::test_interrupted_write_keeps_the_old_file`) |
| the writing process is killed before the rename | the old file is intact; its temporary file (`.NAME.PID.*.tmp`, beside the file) stays until the next write of that file, which removes every such file whose process is gone, and only those (`test_killed_write_keeps_the_old_file`; in `claims/`, `test_record_removes_the_temporary_file_a_killed_record_left`) |
| a stale or held `.git/index.lock` | `record --commit` says so in one line (exit 5); the claim file and the index are as they were (`tests/test_record.py::test_record_with_a_held_index_lock_fails_cleanly`) |
| a commit that git refuses | the claim file is put back as it was and nothing stays staged (`test_a_failed_commit_leaves_the_file_as_it_was`) |
| two `claims record --commit` at once, on two claims or on one | they run in turn under an advisory lock in the git directory; each lands, or fails cleanly in one line; history holds every landed version and no commit holds another's edit (`test_two_records_at_once_*`, real processes, three rounds each) |
| `add-source --commit` and `record --commit` at once | both take the same write lock: both land, and each commit holds only its own files (`test_add_source_and_record_at_once_commit_only_their_own_files`, three rounds) |
| `record --commit` killed with SIGKILL: as the file is written, as the commit begins, as the index takes the new blob, or after growing delays (18 rounds) | the commit is built from plumbing, the index first and HEAD last, so a kill leaves the old state, the new commit, or the file written and staged; the next `record` says so in one line (exit 5) with how to finish it (`git commit -- <file>`) or undo it (`git restore --staged --worktree -- <file>`), and doing so leaves a clean repository that passes check; a stale `.git/index.lock` is named with when it is safe to remove (`test_a_killed_record_leaves_a_state_the_next_run_explains`) |

## Hostile repositories

Reading commands (`log`, `diff`, `blame`, `show`, `list`, `sources`, `check`, `review`, `export`,
`timeline`) run git with
`core.fsmonitor=false`, `core.pager=cat`, `core.hooksPath=/dev/null` and `diff.external=` set on the
command line, pass `--no-ext-diff --no-textconv`, compare the working tree by blob ids computed in
Python (so no clean filter runs), and pass every path after `--`. A test configures all of these,
plus a textconv and a filter driver through `.gitattributes`, to create a marker file, runs every
reading command, and checks that the marker never appears (`test_hostile_repository_runs_nothing`).
Another records every process the commands start and checks that none goes through a shell
(`test_no_command_invokes_a_shell`). A claim or source path that resolves through a symlink or
`..` outside the repository is refused.

Writing commands (`record --commit`, `add-source --commit`) commit through git's plumbing: files
hashed with `--no-filters`, the tree written from a private index, `commit-tree --no-gpg-sign`, HEAD
moved by `update-ref` with hooks off, and every configured filter driver switched off while the
index is written. A clean filter, `gpg.program` with `commit.gpgSign`, hooks and fsmonitor, each set
to leave a marker, never run (the matrix case above).
"""

if __name__ == "__main__":
    print(render_markdown(), end="")
