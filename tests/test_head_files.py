"""HEAD read from the files under .git, as git would answer it, or None where unsure."""

from __future__ import annotations

from claimkit.gitfiles import read_head
from conftest import base_files, git, write_files


def rev_parse(root, *args):
    return git(root, "rev-parse", *args).strip()


def test_a_branch_as_a_loose_ref_and_packed(make_repo):
    repo = make_repo([base_files(), {"claims/x.yaml": "x"}])
    found = read_head(repo)
    assert found is not None
    assert found.head == rev_parse(repo, "HEAD")
    assert found.git_dir == (repo / ".git").resolve()
    assert found.common_dir == found.git_dir
    assert found.prefix == ""
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert read_head(repo).head == rev_parse(repo, "HEAD")


def test_detached_head_and_a_new_commit(make_repo):
    repo = make_repo([base_files(), {"claims/x.yaml": "x"}])
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    assert read_head(repo).head == rev_parse(repo, "HEAD")
    git(repo, "checkout", "-q", "main")
    write_files(repo, {"claims/y.yaml": "y"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    assert read_head(repo).head == rev_parse(repo, "HEAD")


def test_a_worktree_reads_its_own_head_and_the_shared_branches(make_repo, tmp_path):
    repo = make_repo([base_files(), {"claims/x.yaml": "x"}])
    other = tmp_path / "other"
    git(repo, "worktree", "add", "-q", "-b", "side", str(other), "HEAD~1")
    found = read_head(other)
    assert found.head == rev_parse(other, "HEAD") != rev_parse(repo, "HEAD")
    assert found.git_dir == (repo / ".git" / "worktrees" / "other").resolve()
    assert found.common_dir == (repo / ".git").resolve()


def test_a_claims_root_below_the_top_of_the_work_tree(make_repo):
    repo = make_repo([{"data/claims/x.yaml": "x", "data/seeds/a.txt": "a"}])
    found = read_head(repo / "data")
    assert found.head == rev_parse(repo, "HEAD")
    assert found.prefix == "data/"


def test_none_where_git_must_answer(make_repo, monkeypatch):
    empty = make_repo([])
    assert read_head(empty) is None  # no commits yet: the branch has no ref
    repo = make_repo([base_files()])
    (repo / ".git" / "HEAD").write_text("ref: refs/remotes/origin/main\n")
    assert read_head(repo) is None
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert read_head(repo) is not None
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    assert read_head(repo) is None
