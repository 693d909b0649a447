"""The bad-input matrix: each case, the commands it is tried on, and what must happen.

tests/test_reliability.py runs every row; docs/reliability.md is this table rendered
(`python tests/reliability_cases.py > docs/reliability.md`), and a test keeps it current.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    argv: list[str]
    code: int
    says: str  # a fragment of the one line the command prints (stderr, or check's report)


@dataclass(frozen=True)
class Case:
    name: str
    outcome: str
    tries: list[Try]
    files: dict[str, str | bytes | None] = field(default_factory=dict)


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
| the writing process is killed before the rename | the old file is intact (`test_killed_write_keeps_the_old_file`) |
| a stale or held `.git/index.lock` | `record --commit` says so in one line (exit 5); the claim file and the index are as they were (`tests/test_record.py::test_record_with_a_held_index_lock_fails_cleanly`) |
| a commit that git refuses | the claim file is put back as it was and nothing stays staged (`test_a_failed_commit_leaves_the_file_as_it_was`) |
| two `claims record --commit` at once, on two claims or on one | they run in turn under an advisory lock in the git directory; each lands, or fails cleanly in one line; history holds every landed version and no commit holds another's edit (`test_two_records_at_once_*`, real processes, three rounds each) |

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
"""

if __name__ == "__main__":
    print(render_markdown(), end="")
