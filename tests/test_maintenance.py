"""The commit-graph with Bloom filters: `claims maintenance`, the automatic write, and what reads it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from claimkit import gitio, gitlog
from claimkit.commitgraph import read_commit_graph
from claimkit.gitio import GitSession
from conftest import assert_one_line_error, claim_text, date_claim, git, write_files


def graph_of(repo):
    return read_commit_graph(repo / ".git" / "objects" / "info")


def test_maintenance_writes_the_graph_then_extends_it(claims, story):
    assert graph_of(story) is None
    result = claims("maintenance", "--format", "json", repo=story)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["commit_graph"]["action"] == "written"
    assert report["commit_graph"]["after"] == {
        "commits": 3, "layers": 1, "bloom": True, "covers_head": True,
    }  # fmt: skip
    assert {f["name"] for f in report["cache"]["files"]} >= {"history.jsonl", "sources.json"}
    graph = graph_of(story)
    assert graph.bloom and graph.contains(git(story, "rev-parse", "HEAD").strip())

    assert (
        json.loads(claims("maintenance", "--format", "json", repo=story).stdout)["commit_graph"][
            "action"
        ]
        == "up to date"
    )
    write_files(story, {"claims/extra.yaml": claim_text("extra")})
    git(story, "add", "-A")
    git(story, "commit", "-qm", "Add a claim")
    text = claims("maintenance", repo=story).stdout
    assert "commit-graph: extended (4 commits in 2 layers, with changed-path Bloom filters)" in text
    assert graph_of(story).contains(git(story, "rev-parse", "HEAD").strip())


def test_maintenance_replaces_a_graph_without_filters(claims, story):
    git(story, "commit-graph", "write", "--reachable", "--no-changed-paths")
    assert graph_of(story).bloom is False
    report = json.loads(claims("maintenance", "--format", "json", repo=story).stdout)
    assert report["commit_graph"]["action"] == "written"
    assert graph_of(story).bloom is True


def test_maintenance_clears_the_cache(claims, story):
    claims("list", repo=story)
    report = json.loads(
        claims("maintenance", "--clear-cache", "--format", "json", repo=story).stdout
    )
    assert "history.jsonl" in report["cache"]["cleared"]
    assert (story / ".git" / "claims-cache" / "history.jsonl").exists()  # rebuilt


def test_maintenance_refuses_a_read_only_repository(claims, story, monkeypatch):
    monkeypatch.setattr(GitSession, "can_write", lambda self: False)
    assert_one_line_error(claims("maintenance", repo=story), "cannot write", code=4)


@pytest.fixture
def long_history(monkeypatch):
    """Histories count as long from 2 commits on."""
    monkeypatch.setattr(gitlog, "AUTO_GRAPH_MIN_COMMITS", 2)
    monkeypatch.setattr(gitlog, "AUTO_GRAPH_MIN_NEW", 1)


def test_a_reading_command_writes_a_missing_graph(claims, story, long_history):
    before = claims("log", "summit-date", "--format", "json", repo=story).stdout
    assert graph_of(story) is not None and graph_of(story).bloom
    assert claims("log", "summit-date", "--format", "json", repo=story).stdout == before
    write_files(story, {"claims/extra.yaml": claim_text("extra")})
    git(story, "add", "-A")
    git(story, "commit", "-qm", "Add a claim")
    claims("list", "--as-of", "2025-09", repo=story)
    assert graph_of(story).contains(git(story, "rev-parse", "HEAD").strip())


def test_short_histories_and_opted_out_repositories_are_left_alone(claims, story, monkeypatch):
    claims("log", "summit-date", repo=story)
    assert graph_of(story) is None  # three commits: not worth it
    monkeypatch.setattr(gitlog, "AUTO_GRAPH_MIN_COMMITS", 2)
    monkeypatch.setenv("CLAIMS_AUTO_MAINTENANCE", "0")
    claims("log", "summit-date", repo=story)
    assert graph_of(story) is None


def test_a_read_only_repository_is_read_without_writing(claims, story, long_history, monkeypatch):
    monkeypatch.setattr(GitSession, "can_write", lambda self: False)
    result = claims("log", "summit-date", "--format", "json", repo=story)
    assert result.exit_code == 0 and len(json.loads(result.stdout)["versions"]) == 3
    assert graph_of(story) is None


def test_a_failing_write_never_fails_the_read(claims, story, long_history, monkeypatch):
    def refuse(self, rebuild):
        raise gitio.RepoError("git commit-graph failed: disk full")

    monkeypatch.setattr(GitSession, "write_commit_graph", refuse)
    result = claims("log", "summit-date", "--format", "json", repo=story)
    assert result.exit_code == 0 and len(json.loads(result.stdout)["versions"]) == 3


def test_a_corrupt_graph_is_ignored_by_claims(claims, story):
    claims("maintenance", repo=story)
    chain = story / ".git" / "objects" / "info" / "commit-graphs"
    for layer in chain.glob("*.graph"):
        os.chmod(layer, 0o644)
        layer.write_bytes(b"CGPH" + b"\0" * 64)
    assert read_commit_graph(story / ".git" / "objects" / "info") is None


def test_the_graph_reader_agrees_with_git(story, tmp_path):
    git(story, "commit-graph", "write", "--reachable", "--changed-paths", "--split")
    graph = graph_of(story)
    commits = git(story, "rev-list", "--all").split()
    assert graph.commits == len(commits) and all(graph.contains(c) for c in commits)
    assert not graph.contains("0" * 40) and not graph.contains("f" * 40)


# Renames, followed without --follow -----------------------------------------------------------


def follow_log(repo, path):
    """What `git log --follow` says: the commits that wrote each version, newest first."""
    out = subprocess.run(
        ["git", "-C", str(repo), "log", "--follow", "--no-merges", "--format=%H", "--", path],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return out.split()


@pytest.mark.parametrize("graph", [False, True])
def test_renames_are_followed_as_git_follows_them(story, graph):
    git(story, "mv", "claims/summit-date.yaml", "claims/summit-day.yaml")
    write_files(story, {"claims/summit-day.yaml": date_claim(
        "2025-09-18", "asserted", "a3", "on September 18, 2025").replace("summit-date", "summit-day")})  # fmt: skip
    git(story, "commit", "-qam", "Rename")
    git(story, "mv", "claims/summit-day.yaml", "claims/summit-when.yaml")
    git(story, "commit", "-qam", "Rename again")
    if graph:
        git(story, "commit-graph", "write", "--reachable", "--changed-paths")
    with GitSession(story) as history:
        found = history.file_log("claims/summit-when.yaml")
    assert [r.commit for r in found] == follow_log(story, "claims/summit-when.yaml")
    assert [r.status for r in found].count("R") == 2 and found[-1].status == "A"


def test_a_claim_copied_from_another_does_not_take_its_history(claims, story):
    # `git log --follow` pairs a new file with any similar one (copy detection), so it would
    # give a claim started from a copy of another that other claim's versions.
    text = (story / "claims" / "summit-date.yaml").read_text()
    write_files(story, {"claims/summit-day.yaml": text.replace("summit-date", "summit-day")})
    git(story, "add", "-A")
    git(story, "commit", "-qm", "A new claim, started from a copy")
    assert len(follow_log(story, "claims/summit-day.yaml")) > 1
    versions = json.loads(claims("log", "summit-day", "--format", "json", repo=story).stdout)
    assert len(versions["versions"]) == 1


def test_log_from_a_subfolder_claims_root(claims, tmp_path):
    root = tmp_path / "outer"
    inner = root / "news"
    write_files(inner, {"claims/x.yaml": claim_text("x", source="s")})
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    shutil.copy(inner / "claims" / "x.yaml", inner / "claims" / "y.yaml")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "two")
    result = claims("log", "y", "--format", "json", repo=inner)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["versions"]) == 1
