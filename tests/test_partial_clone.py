"""A blobless partial clone (`git clone --filter=blob:none`): every command answers as in the
full repository, fetching the old versions it needs in one request rather than one a blob."""

from __future__ import annotations

from pathlib import Path

import pytest
from claimkit.gitfiles import promisor_remote
from conftest import git, source_files, write_files

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


@pytest.fixture
def sparse(story, tmp_path) -> Path:
    """A blobless clone with one claim checked out, and the sources."""
    git(story, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "sparse"
    git(
        tmp_path,
        "clone",
        "-q",
        "--filter=blob:none",
        "--no-checkout",
        f"file://{story}",
        str(clone),
    )
    git(clone, "sparse-checkout", "set", "--no-cone", "/claims/summit-date.yaml", "/seeds/")
    git(clone, "checkout", "-q", "main")
    assert sorted(p.name for p in (clone / "claims").iterdir()) == ["summit-date.yaml"]
    return clone


ONE_CLAIM = [
    ("log", "summit-date"),
    ("show", "summit-date", "--as-of", "2025-08-20"),
    ("blame", "summit-date"),
    ("diff", "HEAD~2", "HEAD"),
    ("export", "--format", "csv"),
    ("timeline",),
]


@pytest.mark.parametrize("args", ONE_CLAIM, ids=lambda args: " ".join(args))
def test_a_sparse_blobless_clone_of_one_claim_answers_as_the_full_repository(
    claims, story, sparse, args
):
    full = claims(*args, repo=story)
    partial = claims(*args, repo=sparse)
    assert partial.exit_code == full.exit_code == 0, partial.stderr
    assert partial.stdout == full.stdout


def test_a_sparse_clone_checks_the_claims_it_checked_out(claims, story, sparse):
    full = claims("check", str(story / "claims" / "summit-date.yaml"), repo=story)
    partial = claims("check", str(sparse / "claims" / "summit-date.yaml"), repo=sparse)
    assert partial.exit_code == full.exit_code == 0, partial.stderr
    assert partial.stdout == full.stdout
    everything = claims("check", repo=sparse)
    assert everything.exit_code == 0, everything.stderr
    assert everything.stdout.endswith("in 4 files\n")  # the checked-out claim, three sources


def test_a_sparse_clone_lists_the_claims_it_checked_out(claims, story, sparse):
    import json

    full = json.loads(claims("list", "--format", "json", repo=story).stdout)["claims"]
    partial = json.loads(claims("list", "--format", "json", repo=sparse).stdout)["claims"]
    assert [row["id"] for row in full] == ["summit-date", "summit-location"]
    assert partial == [full[0]]


@pytest.mark.parametrize(
    "args",
    [("log", "summit-location"), ("show", "summit-location", "--as-of", "2025-08-20"),
     ("blame", "summit-location"), ("show", "summit-location")],
    ids=lambda args: " ".join(args),
)  # fmt: skip
def test_a_claim_left_out_of_the_checkout_is_read_from_history(claims, story, sparse, args):
    full = claims(*args, repo=story)
    partial = claims(*args, repo=sparse)
    assert (partial.exit_code, partial.stdout, partial.stderr) == (
        full.exit_code, full.stdout, full.stderr,
    )  # fmt: skip


def test_a_sparse_clone_records_and_commits_its_claim(claims, story, sparse):
    """Working on one claim: a new article is added, the claim recorded from it and committed;
    the claim left out of the checkout is untouched."""
    text = "The summit was held on August 15, 2025, in Anchorage.\n"
    write_files(sparse, source_files("a4", text, "2025-09-01", "Looking back"))
    git(sparse, "add", "seeds/")
    git(sparse, "commit", "-q", "-m", "Add a4")
    recorded = claims(
        "record", "summit-date", "--source", "a4", "--value", "2025-08-15",
        "--quote", "on August 15, 2025", "--modality", "asserted", "--commit", repo=sparse,
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.stderr
    assert git(sparse, "status", "--porcelain") == ""
    assert git(sparse, "show", "--name-only", "--format=", "HEAD").split() == [
        "claims/summit-date.yaml"
    ]
    log = claims("log", "summit-date", repo=sparse)
    assert log.exit_code == 0, log.stderr
    assert log.stdout.startswith(
        "summit-date  4 versions\ncontested: 2025-08-15 (a1, a2, a4) vs 2025-09-18 (a3)\n"
    )
    assert git(sparse, "ls-files", "claims/").split() == [
        "claims/summit-date.yaml",
        "claims/summit-location.yaml",
    ]
    assert git(sparse, "rev-parse", "HEAD:claims/summit-location.yaml") == git(
        story, "rev-parse", "HEAD:claims/summit-location.yaml"
    )
