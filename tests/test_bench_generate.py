"""The benchmark's repository generator: deterministic, realistic, and valid for `claims check`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import git

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    return generate(root / "repo", claims=12, commits=40, seed=7), root / "repo"


def test_same_arguments_same_commits(tmp_path, built):
    result, _ = built
    again = generate(tmp_path / "again", claims=12, commits=40, seed=7)
    other = generate(tmp_path / "other", claims=12, commits=40, seed=8)
    assert again.head == result.head
    assert other.head != result.head


def test_one_commit_per_article_and_every_claim_present(built):
    result, repo = built
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "40"
    assert len(list((repo / "claims").glob("*.yaml"))) == 12
    assert result.versions == sum(result.versions_per_claim.values())
    # Each commit records exactly one article: its text and its metadata.
    for commit in git(repo, "rev-list", "HEAD").split()[:5]:
        added = git(repo, "show", "--name-only", "--format=", commit).split()
        assert len([p for p in added if p.startswith("seeds/")]) == 2


def test_sources_are_filed_in_dated_folders(built):
    _, repo = built
    texts = list((repo / "seeds").rglob("*.txt"))
    assert len(texts) == 40
    assert not list((repo / "seeds").glob("*.txt"))
    for text in texts:
        year, month = text.parent.parts[-2:]
        assert len(year) == 4 and len(month) == 2
        assert f"published: {year}-{month}" in text.with_suffix(".yaml").read_text()


def test_the_repository_passes_check_and_has_a_manifest(claims, built):
    result, repo = built
    report = json.loads(claims("check", "--format", "json", repo=repo).stdout)
    assert report["summary"]["errors"] == 0, report["problems"][:3]
    assert report["summary"]["files"] == 12 + 40
    manifest = json.loads((repo / ".git" / "bench-manifest.json").read_text())
    assert manifest["head"] == result.head
    assert manifest["busiest_claim"] in manifest["versions_per_claim"]


def test_commit_graph_with_bloom_filters(built):
    from claimkit.commitgraph import read_commit_graph

    _, repo = built
    graph = read_commit_graph(repo / ".git" / "objects" / "info")
    assert graph is not None and graph.bloom and graph.commits == 40


def test_refuses_an_existing_folder(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(FileExistsError):
        generate(tmp_path / "x", claims=1, commits=1)
