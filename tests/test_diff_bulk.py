"""`claims diff REV REV --story` over many claims reads their stories in one pass over
history; the answer is the one reading each claim's own log gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from claimkit import diffing

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("bulk")
    generate(root / "repo", claims=24, commits=90, seed=11)
    return root / "repo"


@pytest.mark.parametrize(
    "argv",
    [
        ("diff", "HEAD~60", "HEAD", "--story", "--format", "json"),
        ("diff", "HEAD~70", "HEAD~20", "--story"),
        ("diff", "HEAD~40", "--story", "--format", "json"),
    ],  # fmt: skip
    ids=["to-head", "between", "working-tree"],
)
def test_one_pass_and_claim_by_claim_agree(claims, generated, monkeypatch, argv):
    monkeypatch.setattr(diffing, "BULK", 2)
    taken = []
    original = diffing._readings_at

    def spy(*args):
        taken.append(original(*args))
        return taken[-1]

    monkeypatch.setattr(diffing, "_readings_at", spy)
    bulk = claims(*argv, repo=generated)
    assert bulk.exit_code == 0, bulk.stderr
    assert taken and taken[0] is not None and len(taken[0]) > 2  # the one pass was taken
    monkeypatch.setattr(diffing, "BULK", 10_000)
    one_by_one = claims(*argv, repo=generated)
    assert taken[1] is None
    assert one_by_one.stdout == bulk.stdout
    assert bulk.stdout.count("story-") > 2
