"""A blobless partial clone (`git clone --filter=blob:none`): every command answers as in the
full repository, fetching the old versions it needs in one request rather than one a blob."""

from __future__ import annotations

from pathlib import Path

import pytest
from claimkit.gitfiles import promisor_remote
from conftest import git

COMMANDS = [
    ("log", "summit-date"),
    ("log", "summit-location", "--format", "json"),
    ("show", "summit-date", "--as-of", "2025-08-20"),
    ("show", "summit-date", "--at", "HEAD~2"),
    ("blame", "summit-date"),
    ("diff", "HEAD~2", "HEAD"),
    ("diff", "HEAD~2", "HEAD", "--story"),
    ("diff", "HEAD~2"),
    ("diff", "HEAD~2", "--story"),
    ("diff", "--sources", "a1", "a3"),
    ("list",),
    ("list", "--as-of", "2025-08-20"),
    ("sources",),
    ("export", "--format", "json"),
    ("export", "--format", "csv"),
    ("timeline",),
    ("check",),
    ("review", "HEAD~2..HEAD"),
]


@pytest.fixture
def blobless(story, tmp_path) -> Path:
    git(story, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "blobless"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{story}", str(clone))
    return clone


def missing_blobs(clone: Path) -> int:
    listing = git(clone, "rev-list", "--objects", "--all", "--missing=print")
    return sum(1 for line in listing.splitlines() if line.startswith("?"))


def test_the_clone_is_partial_and_names_its_promisor(blobless, story):
    assert missing_blobs(blobless) > 0
    assert promisor_remote(blobless / ".git") == "origin"
    assert promisor_remote(story / ".git") is None


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args))
def test_every_command_answers_as_in_the_full_repository(claims, story, blobless, args):
    full = claims(*args, repo=story)
    partial = claims(*args, repo=blobless)
    assert partial.exit_code == full.exit_code, partial.stderr
    assert partial.stderr == full.stderr
    assert partial.stdout == full.stdout


def test_whole_history_fetches_every_old_version_in_one_request(
    claims, blobless, tmp_path, monkeypatch
):
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    before = missing_blobs(blobless)
    assert before >= 3  # the older versions of the two claims
    result = claims("export", "--format", "csv", repo=blobless)
    assert result.exit_code == 0, result.stderr
    fetches = [line for line in trace.read_text().splitlines() if "built-in: git fetch" in line]
    assert len(fetches) == 1, fetches
    assert missing_blobs(blobless) == 0
