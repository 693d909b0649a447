"""Hardening: the bad-input matrix, property tests, interrupted writes and hostile repositories."""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import os
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from claimkit.compare import compare_values
from claimkit.errors import ClaimsError, DataError
from claimkit.files import atomic_write
from claimkit.yamledit import edit_mapping
from claimkit.yamlio import parse_mapping
from conftest import A2, claim_text, date_claim, git, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_cases import CASES, render_markdown

ROOT = Path(__file__).resolve().parents[1]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file outside .git, and git's refs and HEAD: what no failing command may change."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            files[relative] = b"-> " + os.readlink(path).encode()
        elif path.is_file() and (
            not relative.startswith(".git/")
            or relative in (".git/HEAD",)
            or relative.startswith(".git/refs/")
        ):
            files[relative] = path.read_bytes()
    return files


def materialise(root: Path, files: dict, outside: Path) -> None:
    """Case files, with placeholders for what depends on the repository."""
    for name, content in files.items():
        if content == "SYMLINK":
            target = outside / "secret.yaml"
            target.write_text(claim_text("outside"))
            (root / name).symlink_to(target)
        elif isinstance(content, str) and content.startswith("DATE:"):
            write_files(root, {name: date_claim(content[5:], "asserted", "a2", "in August")})
        elif content == "QUOTE:WHOLE":
            write_files(root, {name: date_claim("2025-08", "asserted", "a2", A2)})
        else:
            write_files(root, {name: content})


@contextlib.contextmanager
def fault(kind: str | None, root: Path):
    """Every write under `root` fails as it would on a read-only file system or a full disk."""
    if kind is None:
        yield
        return
    if kind == "disk-full":
        # The kernel refuses to grow any file past a few bytes: the write itself fails (EFBIG),
        # as it does with ENOSPC on a full disk, in Python, in SQLite and in git alike.
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, previous)
        return
    assert kind == "read-only", kind
    # Root writes through permission bits, so a read-only mount is simulated where every write
    # starts: opening a file for writing, making or renaming or removing a name.
    inside = str(root.resolve())

    def refuse(path) -> None:
        if str(Path(os.fsdecode(path)).resolve()).startswith(inside):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))

    real_open, real_io_open = os.open, io.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def os_open(path, flags, *args, **kwargs):
        if flags & writing:
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def io_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+"):
            refuse(file)
        return real_io_open(file, mode, *args, **kwargs)

    def guard(real):
        def guarded(path, *args, **kwargs):
            refuse(path)
            return real(path, *args, **kwargs)

        return guarded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", os_open)
        patch.setattr(io, "open", io_open)
        patch.setattr(builtins, "open", io_open)
        for name in ("mkdir", "replace", "rename", "unlink", "rmdir", "symlink"):
            patch.setattr(os, name, guard(getattr(os, name)))
        yield


def argv_for(attempt, root: Path, outside: Path) -> list[str]:
    return [a.replace("{root}", str(root)).replace("{outside}", str(outside)) for a in attempt.argv]


@pytest.mark.parametrize(
    "case, attempt",
    [(case, attempt) for case in CASES for attempt in case.tries],
    ids=[f"{case.name}:{attempt.argv[0]}" for case in CASES for attempt in case.tries],
)
def test_bad_input(claims, story, tmp_path, monkeypatch, case, attempt):
    outside = tmp_path / "outside"
    outside.mkdir()
    materialise(story, case.files, outside)
    if case.setup is not None:
        case.setup(story, outside)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    before = snapshot(story)
    started = time.monotonic()
    with fault(case.fault, story):
        result = claims(*argv_for(attempt, story, outside), repo=story)
    elapsed = time.monotonic() - started
    assert result.exit_code == attempt.code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if attempt.code in (0, 1) and (attempt.says in result.stdout or not result.stderr.strip()):
        assert attempt.says in result.stdout, result.stdout
    else:
        lines = result.stderr.strip().splitlines()
        # git's merge driver reports a conflict, which is no error, in its own words.
        prefix = "claims: conflict" if attempt.argv[0] == "merge-driver" else "claims: error: "
        assert len(lines) == 1 and lines[0].startswith(prefix), result.stderr
        assert attempt.says in lines[0], lines[0]
    if not case.writes:
        assert snapshot(story) == before
    if case.after is not None:
        case.after(story, outside, result)
    assert elapsed < 5, f"took {elapsed:.1f}s"


def test_alias_bomb_fails_fast_without_memory_growth():
    from reliability_cases import BOMB

    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(DataError):
        parse_mapping(BOMB, "bomb.yaml")
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 0.5 and peak < 5 * 1024 * 1024, (elapsed, peak)


def test_the_reliability_doc_is_current():
    assert (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8") == render_markdown()


# Repositories ------------------------------------------------------------------------------------


def test_not_a_git_repository(claims, tmp_path):
    root = tmp_path / "plain"
    write_files(root, {"claims/summit-date.yaml": claim_text(), "seeds/.keep": ""})
    for argv in (
        ["log", "summit-date"],
        ["blame", "summit-date"],
        ["diff"],
        ["show", "summit-date", "--at", "HEAD"],
    ):
        result = claims(*argv, repo=root)
        assert result.exit_code == 4 and "not a git repository" in result.stderr, (
            argv,
            result.stderr,
        )
    for argv in (["list"], ["sources"], ["show", "summit-date"]):
        assert claims(*argv, repo=root).exit_code == 0, argv
    assert claims("check", repo=root).exit_code == 1  # its source is missing; check still runs


def test_bare_repository(claims, story, tmp_path):
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(story), str(bare)], check=True)
    result = claims("log", "summit-date", repo=bare)
    assert result.exit_code == 4 and "not a claims repository" in result.stderr


def test_empty_repository(claims, make_repo):
    root = make_repo()
    write_files(root, {"claims/summit-date.yaml": claim_text()})
    assert "no committed version yet" in claims("log", "summit-date", repo=root).stderr
    assert "no committed version yet" in claims("blame", "summit-date", repo=root).stderr
    diff = claims("diff", repo=root)
    assert diff.exit_code == 4 and "no commits yet" in diff.stderr
    assert claims("list", repo=root).exit_code == 0


# Properties ---------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(st.text(max_size=400))
def test_any_text_loads_or_fails_with_our_error(text):
    try:
        parse_mapping(text, "x.yaml")
    except DataError as err:
        assert str(err).startswith("x.yaml:")


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
claim_keys = st.sampled_from(
    ["id", "event", "property", "type", "value", "modality", "source", "quote", "note", "extra"]
)


def dump(document) -> str:
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, out)
    return out.getvalue()


@PROPERTY_SETTINGS
@given(st.dictionaries(claim_keys, documents, max_size=10) | documents)
def test_any_yaml_shaped_document_is_checked_without_crashing(story, document):
    from claimkit.check import check_files
    from claimkit.repo import ClaimsRepo

    (story / "claims" / "summit-date.yaml").write_text(dump(document), encoding="utf-8")
    try:
        report = check_files(ClaimsRepo(story))
    except ClaimsError:
        return
    assert all(p.path and p.line >= 1 and p.column >= 1 for p in report.problems)


# Pathological EDTF strings: each example must finish within a bound the harness enforces -------

# The tool answers in milliseconds; before the limits, Y1E9999999 took 6 s and longer exponents
# never finished.
EXAMPLE_SECONDS = 5


def within(seconds: float, work):
    """work()'s result, computed in a forked child that is killed once `seconds` have passed.

    A signal cannot interrupt a hang inside one C call (10**(10**23) is one), so the bound is a
    separate process: the parent waits on a pipe with a timeout, and a child still running then
    is killed and the example fails with TimeoutError.
    """
    import pickle
    import select

    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's result travels through the pipe
        os.close(reader)
        try:
            payload = pickle.dumps(("ok", work()))
        except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
            payload = pickle.dumps(("error", f"{type(err).__name__}: {err}"))
        with os.fdopen(writer, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(writer)
    chunks, deadline = [], time.monotonic() + seconds
    with os.fdopen(reader, "rb") as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
                raise TimeoutError(f"the example ran past its {seconds}s bound")
            chunk = os.read(pipe.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(child, 0)
    status, result = pickle.loads(b"".join(chunks))
    assert status == "ok", result
    return result


DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=40)
EXPONENT_YEARS = st.builds(
    "Y{}{}{}{}{}".format,
    st.sampled_from(["", "-"]),
    DIGITS,
    st.sampled_from(["E", "e", ""]),
    st.one_of(DIGITS, st.just("99999999999999999999999")),
    st.one_of(st.just(""), DIGITS.map("S{}".format)),
)
YEAR = st.one_of(
    st.integers(0, 99999).map("{:04d}".format),
    st.sampled_from(["0000", "0001", "9999", "-0001", "-9999", "10000"]),
)
EXTREME_DAYS = st.one_of(
    st.builds("{}-{:02d}-{:02d}".format, YEAR, st.integers(0, 13), st.integers(0, 32)),
    st.sampled_from(["0001-01-01", "9999-12-31", "0001-01-01/9999-12-31", "../9999-12-31",
                     "0001-01-01/..", "9999-12-31/0001-01-01", "9999-12-31?", "0001~"]),
)  # fmt: skip
MEMBER = st.one_of(
    EXTREME_DAYS,
    st.builds("{}..{}".format, EXTREME_DAYS, EXTREME_DAYS),
    EXTREME_DAYS.map("..{}".format),
    EXPONENT_YEARS,
    st.text(alphabet="0123456789-XYSE.,/?~%[]{} ", max_size=12),
)
LONG_SETS = st.builds(
    lambda brackets, members: brackets[0] + ", ".join(members) + brackets[1],
    st.sampled_from(["[]", "{}", "[ ", "{]"]),
    st.lists(MEMBER, min_size=0, max_size=600),
)
PATHOLOGICAL_EDTF = st.one_of(
    EXPONENT_YEARS,
    EXTREME_DAYS,
    LONG_SETS,
    st.builds(
        "{}/{}".format,
        st.one_of(EXPONENT_YEARS, EXTREME_DAYS),
        st.one_of(EXPONENT_YEARS, EXTREME_DAYS),
    ),
    st.text(alphabet="0123456789-XYSEZT:+.?~%/[]{}, ", max_size=2000),
)


@settings(
    max_examples=100,
    deadline=None,  # the bound is the harness's: time_bound below
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(PATHOLOGICAL_EDTF)
def test_pathological_edtf_is_checked_within_a_time_bound(story, value):
    from claimkit.check import check_files
    from claimkit.dates import parse_date
    from claimkit.repo import ClaimsRepo

    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    text = date_claim("2025-08", "asserted", "a2", "in August").replace(
        "value: 2025-08", f'value: "{escaped}"'
    )
    (story / "claims" / "summit-date.yaml").write_text(text, encoding="utf-8")
    parse_date.cache_clear()  # every example is parsed, not remembered
    report = within(EXAMPLE_SECONDS, lambda: check_files(ClaimsRepo(story)))
    value_errors = [p for p in report.problems if p.rule in ("value-parses", "schema")]
    try:
        parse_date(value)
    except ValueError:
        # Refused: one problem at the value, in one line, that says why.
        assert value_errors and all(p.line == 6 for p in value_errors), report.problems
        assert all("\n" not in p.message for p in report.problems)
    else:
        assert not [p for p in value_errors if p.rule == "value-parses"], report.problems


def edtf_dates():
    day = st.dates(
        min_value=__import__("datetime").date(2020, 1, 1),
        max_value=__import__("datetime").date(2030, 12, 31),
    )
    single = st.one_of(
        day.map(lambda d: d.isoformat()),
        day.map(lambda d: d.isoformat()[:7]),
        day.map(lambda d: d.isoformat()[:4]),
        day.map(lambda d: d.isoformat() + "?"),
        day.map(lambda d: d.isoformat()[:7] + "~"),
    )
    interval = st.tuples(day, day).map(lambda p: f"{min(p).isoformat()}/{max(p).isoformat()}")
    open_end = day.map(lambda d: f"{d.isoformat()}/..")
    return st.one_of(single, interval, open_end)


INVERSE = {
    "refined": "broadened",
    "broadened": "refined",
    "same": "same",
    "contradicted": "contradicted",
    "overlapping": "overlapping",
}


@settings(max_examples=500, deadline=None)
@given(edtf_dates(), edtf_dates())
def test_date_comparison_is_consistent(old, new):
    forward = compare_values("date", old, new).relation
    backward = compare_values("date", new, old).relation
    assert backward == INVERSE[forward], (old, new, forward, backward)
    assert compare_values("date", old, old).relation == "same"


comment_text = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=20)


@PROPERTY_SETTINGS
@given(
    st.lists(st.one_of(st.none(), comment_text), min_size=9, max_size=9),
    st.lists(st.one_of(st.none(), comment_text), min_size=9, max_size=9),
)
def test_round_trip_edit_changes_only_the_edited_field(above, beside):
    base = claim_text().splitlines()
    lines = [base[0]]
    for index, line in enumerate(base[1:]):
        if above[index]:
            lines.append(f"# {above[index]}")
        lines.append(
            f"{line}  # {beside[index]}"
            if beside[index] and not line.startswith(("value", "quote"))
            else line
        )
    text = "\n".join(lines) + "\n"
    updated = edit_mapping(text, {"value": "2025-09-18"})
    changed = [
        (a, b) for a, b in zip(text.splitlines(), updated.splitlines(), strict=True) if a != b
    ]
    assert len(text.splitlines()) == len(updated.splitlines())
    assert changed == [("value: 2025-08-15", "value: 2025-09-18")]


# Faults -------------------------------------------------------------------------------------------


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "claim.yaml"
    target.write_text("old\n")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write(target, b"new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claim.yaml"]


def test_killed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "claim.yaml"
    target.write_text("old\n")
    ready = tmp_path / "ready"
    script = f"""
import os, sys, time
sys.path.insert(0, {str(ROOT / "tools")!r})
from claimkit.files import atomic_write
def stall(*args):
    open({str(ready)!r}, "w").close()
    time.sleep(60)
os.replace = stall
atomic_write(__import__("pathlib").Path({str(target)!r}), b"new" * 100000)
"""
    child = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 20
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert ready.exists()
    assert target.read_text() == "old\n"
    # The killed writer's temporary file is left beside the target (in claims/ it would make
    # the tree read as changed); the next write there removes it, and only it.
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(f".claim.yaml.{child.pid}."), leftovers
    live = tmp_path / f".claim.yaml.{os.getpid()}.abcd.tmp"  # a writer still at work
    live.write_bytes(b"")
    atomic_write(target, b"newer\n")
    assert target.read_text() == "newer\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["claim.yaml", "ready", live.name])


# Hostile repositories -----------------------------------------------------------------------------


def hostile(story: Path, marker: Path) -> None:
    script = story.parent / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n")
    script.chmod(0o755)
    for key, value in [
        ("core.fsmonitor", str(script)), ("core.pager", str(script)), ("pager.log", str(script)),
        ("diff.external", str(script)), ("diff.evil.textconv", str(script)), ("diff.evil.command", str(script)),
        ("filter.evil.clean", str(script)), ("filter.evil.smudge", str(script)), ("filter.evil.process", str(script)),
        ("core.hooksPath", str(story / "hooks")),
    ]:  # fmt: skip
        git(story, "config", key, value)
    hooks = story / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / hook).chmod(0o755)
    (story / ".gitattributes").write_text("claims/*.yaml diff=evil filter=evil\n")
    write_files(
        story, {"claims/summit-date.yaml": date_claim("2025-09", "asserted", "a2", "in August")}
    )


READING = [
    ["log", "summit-date"], ["blame", "summit-date"], ["diff"], ["diff", "HEAD~2..HEAD"],
    ["diff", "--sources", "a1", "a3"], ["show", "summit-date", "--at", "HEAD~1"],
    ["show", "summit-date", "--as-of", "2025-08-20"], ["list"], ["list", "--as-of", "2025-09"],
    ["sources"], ["check"], ["review", "HEAD~2..HEAD"], ["export"], ["export", "--format", "csv"],
    ["timeline"],
]  # fmt: skip


def test_hostile_repository_runs_nothing(claims, story, tmp_path):
    marker = tmp_path / "ran"
    hostile(story, marker)
    # The trap is armed: plain git, asked the same questions, runs the repository's programs.
    subprocess.run(["git", "-C", str(story), "diff", "HEAD"], capture_output=True, timeout=30)
    subprocess.run(["git", "-C", str(story), "log", "-p", "-1"], capture_output=True, timeout=30)
    assert marker.exists()
    marker.unlink()
    for argv in READING:
        result = claims(*argv, repo=story)
        assert result.exit_code in (0, 1), (argv, result.output)
        assert not marker.exists(), f"{argv} ran a program configured by the repository"


def test_no_command_invokes_a_shell(claims, story, monkeypatch):
    started = []
    original = subprocess.Popen.__init__

    def record(self, args, *rest, **kwargs):
        started.append((args, kwargs.get("shell", False)))
        return original(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", record)
    write_files(
        story, {"claims/summit-date.yaml": date_claim("2025-09", "asserted", "a2", "in August")}
    )
    for argv in READING:
        claims(*argv, repo=story)
    assert started, "the commands were expected to run git"
    assert [args for args, shell in started if shell] == []
    assert all(isinstance(args, (list, tuple)) for args, _ in started)


# Concurrent writers -------------------------------------------------------------------------------


def record_process(
    root: Path, claim_id: str, value: str, source: str, quote: str
) -> subprocess.Popen:
    argv = [sys.executable, "-m", "claimkit", "-C", str(root), "record", claim_id, "--source", source,
            "--value", value, "--quote", quote, "--modality", "asserted", "--commit"]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def committed_values(root: Path, claim_id: str) -> list[str]:
    """The value line of every committed version of a claim, oldest first."""
    commits = git(root, "log", "--reverse", "--format=%H", "--", f"claims/{claim_id}.yaml").split()
    return [
        next(
            line
            for line in git(root, "show", f"{c}:claims/{claim_id}.yaml").splitlines()
            if line.startswith("value:")
        )
        for c in commits
    ]


@pytest.mark.parametrize("round", range(3))
def test_two_records_at_once_on_different_claims_both_land(story, round):
    first = record_process(story, "summit-date", "2025-09-18", "a3", "on September 18, 2025")
    second = record_process(story, "summit-location", "Anchorage", "a3", "in Anchorage, Alaska")
    results = [(p.wait(timeout=60), p.stderr.read()) for p in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    assert committed_values(story, "summit-date")[-1] == "value: 2025-09-18"
    assert git(story, "status", "--porcelain") == ""
    # Each commit holds exactly its own claim file.
    for commit in git(story, "log", "-2", "--format=%H").split():
        changed = git(story, "show", "--name-only", "--format=", commit).split()
        subject = git(story, "log", "-1", "--format=%s", commit)
        assert changed == [f"claims/{subject.split(':')[0]}.yaml"], (subject, changed)


@pytest.mark.parametrize("round", range(3))
def test_two_records_at_once_on_one_claim_lose_no_update(story, round):
    before = len(committed_values(story, "summit-date"))
    first = record_process(story, "summit-date", "2025-09-18", "a3", "on September 18, 2025")
    second = record_process(
        story, "summit-date", "2025-08", "a2", "nearly three hours of talks, in August"
    )
    results = [(p.wait(timeout=60), p.stderr.read()) for p in (first, second)]
    landed = [
        value
        for (code, _), value in zip(results, ("2025-09-18", "2025-08"), strict=True)
        if code == 0
    ]
    for code, stderr in results:
        # Either it landed, or it failed cleanly with one line and a non-zero exit.
        assert code == 0 or (stderr.count("\n") == 1 and stderr.startswith("claims: error: ")), (
            stderr
        )
    history = committed_values(story, "summit-date")
    assert len(history) == before + len(landed)
    assert sorted(history[before:]) == sorted(f"value: {v}" for v in landed)
    assert git(story, "status", "--porcelain") == ""


def add_source_process(root: Path, article: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "claimkit", "-C", str(root), "add-source", str(article),
            "--published", "2025-08-20", "--title", "Another", "--commit"]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("round", range(3))
def test_add_source_and_record_at_once_commit_only_their_own_files(story, tmp_path, round):
    article = tmp_path / f"a{round + 4}.txt"
    article.write_text(f"Article number {round + 4}.\n", encoding="utf-8")
    first = add_source_process(story, article)
    second = record_process(story, "summit-date", "2025-09-18", "a3", "on September 18, 2025")
    results = [(p.wait(timeout=60), p.stderr.read()) for p in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    assert git(story, "status", "--porcelain") == ""
    changed = {
        tuple(sorted(git(story, "show", "--name-only", "--format=", c).split()))
        for c in git(story, "log", "-2", "--format=%H").split()
    }
    assert changed == {
        (f"seeds/a{round + 4}.txt", f"seeds/a{round + 4}.yaml"),
        ("claims/summit-date.yaml",),
    }


# kill -9 during record --commit -------------------------------------------------------------------

KILL_ROUNDS = 18


def file_written(root: Path, before: bytes):
    return lambda: (root / "claims" / "summit-date.yaml").read_bytes() != before


def commit_begun(root: Path, before: bytes):
    return lambda: (root / ".git" / "claims-commit.index").exists()


def index_updated(root: Path, before: bytes):
    index = root / ".git" / "index"
    stamp = index.stat().st_mtime_ns
    return lambda: index.stat().st_mtime_ns != stamp and file_written(root, before)()


# Moments to kill at: as soon as the file is written, as the commit begins, as the index takes
# the new blob, or after a delay that grows each round.
TRIGGERS = (file_written, commit_begun, index_updated, None)


def kill_when(child: subprocess.Popen, moment, n: int) -> None:
    deadline = time.monotonic() + (30 if moment else 0.05 + 0.1 * n)
    while time.monotonic() < deadline and child.poll() is None:
        if moment is not None and moment():
            break
        time.sleep(0.0005)
    child.send_signal(signal.SIGKILL)


def test_record_removes_the_temporary_file_a_killed_record_left(claims, story):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = story / "claims" / f".summit-date.yaml.{dead.pid}.k1ll3d.tmp"
    leftover.write_text("value: half-writ")
    assert git(story, "status", "--porcelain").strip() == "?? claims/" + leftover.name
    result = claims("record", "summit-date", "--source", "a3", "--value", "2025-09-18",
                    "--quote", "on September 18, 2025", "--commit", repo=story)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert git(story, "status", "--porcelain") == ""


def test_a_killed_record_leaves_a_state_the_next_run_explains(claims, story):
    """Kill `record --commit` at spread-out moments; whatever it leaves, the next record says
    what happened and how to go on, and doing what it says gives a clean repository."""
    readings = [("2025-09-18", "a3", "on September 18, 2025"), ("2025-08", "a2", "in August")]
    outcomes: dict[str, int] = {}
    for n in range(KILL_ROUNDS):
        value, source, quote = readings[n % 2]
        before = (story / "claims" / "summit-date.yaml").read_bytes()
        child = record_process(story, "summit-date", value, source, quote)
        trigger = TRIGGERS[n % len(TRIGGERS)]
        kill_when(child, trigger(story, before) if trigger else None, n)
        child.wait(timeout=30)
        lock = story / ".git" / "index.lock"
        if lock.exists():
            result = claims("record", "summit-date", "--source", source, "--value", value,
                            "--quote", quote, "--commit", repo=story)  # fmt: skip
            assert result.exit_code == 5 and "index.lock exists" in result.stderr, result.output
            assert "remove the file if no git process is running" in result.stderr
            lock.unlink()
            outcomes["stale lock"] = outcomes.get("stale lock", 0) + 1
        status = git(story, "status", "--porcelain").splitlines()
        if status and all(line.startswith("?? claims/.summit-date.yaml.") for line in status):
            # Killed between making its temporary file and renaming it over the claim: the
            # claim is untouched, and the next record removes the leftover and goes on.
            result = claims("record", "summit-date", "--source", source, "--value", value,
                            "--quote", quote, "--commit", repo=story)  # fmt: skip
            assert result.exit_code == 0, result.output
            outcomes["temporary file left"] = outcomes.get("temporary file left", 0) + 1
        elif status:
            result = claims("record", "summit-date", "--source", source, "--value", value,
                            "--quote", quote, "--commit", repo=story)  # fmt: skip
            assert result.exit_code == 5, result.output
            assert "finish it with `git commit -- claims/summit-date.yaml`" in result.stderr
            git(story, "commit", "-q", "-m", "Finish an interrupted record", "--",
                "claims/summit-date.yaml")  # fmt: skip
            outcomes["written, not committed"] = outcomes.get("written, not committed", 0) + 1
        else:
            outcomes["clean"] = outcomes.get("clean", 0) + 1
        assert git(story, "status", "--porcelain") == ""
        assert claims("check", repo=story).exit_code == 0
    # The moments above reach the state between writing and committing, not only the ends.
    assert outcomes.get("written, not committed", 0) >= 1, outcomes
