"""log, show --as-of and blame answered warm from one claim's cache file, with no git process,
and never once anything they depend on has moved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from claimkit import cache
from conftest import git, write_files

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate  # noqa: E402

CLAIM = "story-0000-date"
ASKS = [("log", CLAIM), ("log", CLAIM, "--format", "json"), ("blame", CLAIM),
        ("show", CLAIM, "--as-of", "2010-02-20", "--format", "yaml")]  # fmt: skip


@pytest.fixture
def generated(tmp_path, monkeypatch):
    # Files just written are never trusted (git's racy-clean rule); here they must be.
    monkeypatch.setattr(cache, "RACY_NS", 0)
    generate(tmp_path / "repo", claims=8, commits=40, seed=5)
    return tmp_path / "repo"


def uncached(claims, repo, *argv):
    os.environ["CLAIMS_CACHE"] = "0"
    try:
        return claims(*argv, repo=repo).stdout
    finally:
        del os.environ["CLAIMS_CACHE"]


def no_processes(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"a process was started: {args[0] if args else kwargs}")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.mark.parametrize("argv", ASKS, ids=lambda argv: " ".join(argv))
def test_warm_answers_run_no_git_and_agree(claims, generated, monkeypatch, argv):
    cold = claims(*argv, repo=generated)
    assert cold.exit_code == 0, cold.stderr
    assert (generated / ".git" / "claims-cache" / f"readings-{CLAIM}.json").is_file()
    expected = uncached(claims, generated, *argv)
    with monkeypatch.context() as patch:
        no_processes(patch)
        warm = claims(*argv, repo=generated)
    assert warm.exit_code == 0, warm.stderr
    assert warm.stdout == cold.stdout == expected


@pytest.mark.parametrize("argv", ASKS, ids=lambda argv: " ".join(argv))
def test_warm_answers_load_no_git_module(generated, argv):
    # Both runs in fresh processes, which read the cache key from this test's HOME.
    script = (
        "import sys\n"
        "from claimkit import cache\n"
        "cache.RACY_NS = 0\n"
        "from claimkit.cli import main\n"
        f"try:\n    main({['-C', str(generated), *argv]!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m == 'subprocess' or m == 'claimkit.history'\n"
        "             or m.startswith('claimkit.git') and m != 'claimkit.gitfiles'))\n"
    )
    cold, warm = (
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        for _ in range(2)
    )
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert "claimkit.history" in cold.stdout.splitlines()[-1]  # read from git
    assert warm.stdout.splitlines()[-1] == "[]"


def test_a_new_commit_is_read_from_git(claims, generated, monkeypatch):
    before = claims("log", CLAIM, "--format", "json", repo=generated).stdout
    path = generated / "claims" / f"{CLAIM}.yaml"
    write_files(
        generated,
        {
            f"claims/{CLAIM}.yaml": path.read_text()
            .replace("modality: asserted", "modality: alleged")
            .replace("modality: scheduled", "modality: alleged")
        },
    )
    git(generated, "commit", "-qam", "alleged now")
    after = claims("log", CLAIM, "--format", "json", repo=generated).stdout
    assert after != before
    assert after == uncached(claims, generated, "log", CLAIM, "--format", "json")


def test_an_edited_cited_source_is_read_again(claims, generated):
    argv = ("log", CLAIM, "--format", "json")
    before = claims(*argv, repo=generated).stdout
    cited = next(
        line.split(": ", 1)[1]
        for line in (generated / "claims" / f"{CLAIM}.yaml").read_text().splitlines()
        if line.startswith("source: ")
    )
    meta = next((generated / "seeds").rglob(f"{cited}.yaml"))
    text = meta.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    stat = meta.stat()
    meta.write_text(text.replace(title, 'title: "Z' + title[8:]))  # same size
    os.utime(meta, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = claims(*argv, repo=generated).stdout
    assert after != before
    assert after == uncached(claims, generated, *argv)


def test_a_tampered_file_is_not_trusted(claims, generated):
    argv = ("log", CLAIM, "--format", "json")
    expected = claims(*argv, repo=generated).stdout
    file = generated / ".git" / "claims-cache" / f"readings-{CLAIM}.json"
    file.write_bytes(file.read_bytes().replace(b"asserted", b"denied"))
    assert claims(*argv, repo=generated).stdout == expected


def test_cache_off_writes_nothing(claims, generated, monkeypatch):
    monkeypatch.setenv("CLAIMS_CACHE", "0")
    claims("log", CLAIM, repo=generated)
    assert not list((generated / ".git").glob("claims-cache/readings-*"))
