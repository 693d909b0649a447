"""The CI files shipped for claims repositories: the workflow's steps run here against a fake
pull-request merge commit (with a fake `gh` that keeps comments), the review's cut to GitHub's
limits, `claims init`'s templates, and the pre-commit hook run by real pre-commit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from claimkit.ci import COMMENT_LIMIT, COMMENT_MARKER, cut_review
from conftest import base_files, claim_text, git, write_files
from ruamel.yaml import YAML
from workflow import WORKFLOW, run_workflow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

FAKE_GH = """#!{python}
# gh, as far as the workflow uses it, against a file of comments instead of GitHub.
import json, os, sys
store = os.environ["FAKE_GH_STORE"]
comments = json.load(open(store)) if os.path.exists(store) else []
args = sys.argv[1:]
with open(store + ".log", "a") as log:
    log.write(" ".join(args) + "\\n")
assert args[0] == "api", args
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args[1:] if a.startswith("repos/"))
if method == "GET":  # what --jq selects: the ids of comments that start with the marker
    assert "--paginate" in args and path.endswith("/comments")
    for comment in comments:
        if comment["body"].startswith("<!-- claims-review -->"):
            print(comment["id"])
else:
    field = args[args.index("-F") + 1]
    assert field.startswith("body=@"), field
    body = open(field[len("body=@"):]).read()
    if method == "PATCH":
        number = int(path.rsplit("/", 1)[1])
        next(c for c in comments if c["id"] == number)["body"] = body
    else:
        assert method == "POST", method
        comments.append({{"id": 1000 + len(comments), "issue": path.split("/")[-2], "body": body}})
    json.dump(comments, open(store, "w"))
"""


@pytest.fixture
def fake_gh(tmp_path):
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    (folder / "gh").write_text(FAKE_GH.format(python=sys.executable))
    (folder / "gh").chmod(0o755)
    store = tmp_path / "comments.json"
    env = {"PATH": f"{folder}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
           "FAKE_GH_STORE": str(store)}  # fmt: skip

    def comments() -> list[dict]:
        return json.loads(store.read_text()) if store.exists() else []

    return env, comments


def pull_request_merge(claims, make_repo) -> tuple[Path, str]:
    """A repository checked out at a pull request's merge commit (what GitHub checks out:
    refs/pull/N/merge), whose branch records a second article; and the base commit."""
    root = make_repo([base_files()])
    git(root, "checkout", "-q", "-b", "topic")
    result = claims("record", "summit-date", "--source", "a2", "--value", "2025-09-18",
                    "--quote", "met in Anchorage, Alaska, on September 18, 2025",
                    "--modality", "asserted", "--commit", repo=root)  # fmt: skip
    assert result.exit_code == 0, result.output
    git(root, "checkout", "-q", "main")
    write_files(root, {"README": "a change on main meanwhile\n"})
    git(root, "add", "README")
    git(root, "commit", "-qm", "Meanwhile on main")
    base = git(root, "rev-parse", "main").strip()
    git(root, "checkout", "-q", "--detach", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge topic into main", "topic")
    return root, base


def by_name(runs):
    return {run.name: run for run in runs}


def test_the_workflow_posts_one_review_comment_and_updates_it(claims, make_repo, fake_gh, tmp_path):
    env, comments = fake_gh
    root, base = pull_request_merge(claims, make_repo)
    summary = tmp_path / "step-summary.md"
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    runs = by_name(run_workflow(root, base, pr=7, env=env))
    assert [name for name, run in runs.items() if run.ran] == [
        "Check claims and sources", "Review the claim changes", "Post the review on the pull request"
    ]  # fmt: skip
    check = runs["Check claims and sources"]
    assert check.code == 0
    assert check.output == (
        "::group::claims/summit-date.yaml\n"
        "::warning file=claims/summit-date.yaml,line=6,col=8,title=time-sense::6:8 source a2 "
        "published by 2025-08-31, reports as past an event on 2025-09-18 [time-sense]\n"
        "::endgroup::\n"
    )
    assert runs["Review the claim changes"].code == 0
    assert runs["Post the review on the pull request"].output == "posted the review comment\n"
    review = (root / "claims-review.md").read_text()
    assert review.startswith(f"## Claims review `{base}...HEAD`\n")
    assert "### `summit-date`: contradicted\n" in review
    assert summary.read_text() == review + "\n"
    (comment,) = comments()
    assert comment["issue"] == "7" and comment["body"] == f"{COMMENT_MARKER}\n{review}"
    # Another push: the same comment is updated in place, not a second one posted.
    write_files(root, {"claims/summit-date.yaml": (root / "claims/summit-date.yaml").read_text()
                       .replace("modality: asserted", "modality: alleged")})  # fmt: skip
    git(root, "commit", "-qam", "Alleged, on second reading")
    again = by_name(run_workflow(root, base, pr=7, env=env))
    assert (
        again["Post the review on the pull request"].output == "updated the review comment 1000\n"
    )
    (comment,) = comments()
    assert "alleged" in comment["body"] and comment["id"] == 1000


def test_the_workflow_check_fails_on_an_error_and_still_reviews(claims, make_repo, fake_gh):
    env, comments = fake_gh
    root, base = pull_request_merge(claims, make_repo)
    write_files(root, {"claims/summit-date.yaml": claim_text(quote="not in a1")})
    git(root, "commit", "-qam", "A quote the article lacks")
    runs = by_name(run_workflow(root, base, env=env))
    check = runs["Check claims and sources"]
    assert check.code == 1
    assert (
        "::error file=claims/summit-date.yaml,line=9,col=8,title=quote-verbatim::" in check.output
    )
    assert runs["Review the claim changes"].code == 1  # not ready: and still reviewed, posted
    assert "**Verdict:** not ready" in comments()[0]["body"]


def test_a_long_review_is_cut_with_a_count_of_what_was_left_out():
    sections = [f"### `claim-{n}`: changed\n\n" + "x" * 1000 + "\n" for n in range(200)]
    markdown = "## Claims review `a...b`\n\n" + "".join(sections) + "**Verdict:** ready.\n"
    assert len(markdown) > COMMENT_LIMIT
    cut = cut_review(markdown, COMMENT_LIMIT)
    assert len(cut) <= COMMENT_LIMIT
    kept = cut.count("### `claim-")
    assert 50 < kept < 200 and f"### `claim-{kept - 1}`" in cut and f"`claim-{kept}`" not in cut
    assert f"**{200 - kept} more sections left out** to keep within GitHub's limit." in cut
    assert cut.endswith("**Verdict:** ready.\n")
    assert cut_review(markdown, len(markdown)) == markdown


def test_init_writes_the_workflow_and_pre_commit_config_with_a_pinned_install(claims, tmp_path):
    from claimkit.scaffold import template

    result = claims(
        "init",
        str(tmp_path / "new"),
        "--install-from",
        "git+https://example.org/claims.git@0123abc",
    )
    assert result.exit_code == 0, result.output
    workflow = (tmp_path / "new/.github/workflows/claims.yml").read_text()
    assert 'CLAIMKIT: "git+https://example.org/claims.git@0123abc"' in workflow
    config = YAML(typ="safe").load((tmp_path / "new/.pre-commit-config.yaml").read_text())
    (hook,) = config["repos"][0]["hooks"]
    assert hook["additional_dependencies"] == ["git+https://example.org/claims.git@0123abc"]
    (shipped,) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for key in ("id", "entry", "language", "files", "types_or"):
        assert hook[key] == shipped[key], key
    default = claims("init", str(tmp_path / "pinned"))
    assert default.exit_code == 0
    assert (
        'CLAIMKIT: "claimkit==0.1.0"'
        in (tmp_path / "pinned/.github/workflows/claims.yml").read_text()
    )
    # This repository's own workflow is the template, installing the checkout itself.
    assert WORKFLOW.read_text() == template("claims.yml", ".")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_checks_what_is_committed_not_an_untracked_draft(claims, make_repo, tmp_path):
    root = make_repo([base_files()])
    (shipped,) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = {**shipped, "language": "system", "entry": f"{BIN / 'claims'} check --hook"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (root / ".pre-commit-config.yaml").write_text(json.dumps(config))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip

    def run(*argv):
        return subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)

    git(root, "add", ".pre-commit-config.yaml")
    git(root, "commit", "-qm", "pre-commit")
    assert run(str(BIN / "pre-commit"), "install").returncode == 0
    # An untracked draft that fails check does not block an unrelated commit...
    write_files(root, {"claims/draft.yaml": "id: draft\nvalue: [\n"})
    write_files(root, {"claims/summit-date.yaml": claim_text().replace(
        "modality: scheduled", "modality: scheduled  # as the headline has it")})  # fmt: skip
    git(root, "add", "claims/summit-date.yaml")
    committed = run("git", "commit", "-m", "A comment")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "claims check...." in committed.stderr and committed.stderr.rstrip().endswith("Passed")
    # ...but the same draft, staged, does.
    git(root, "add", "claims/draft.yaml")
    refused = run("git", "commit", "-m", "The draft")
    assert refused.returncode == 1
    assert "claims/draft.yaml:3:1: error: invalid YAML" in refused.stdout + refused.stderr
    git(root, "rm", "-q", "--cached", "claims/draft.yaml")
    # A changed article rechecks the committed claims that quote it.
    write_files(root, {"seeds/a1.txt": "an article rewritten\n"})
    git(root, "add", "seeds/a1.txt")
    broken = run("git", "commit", "-m", "Rewrite a1")
    assert broken.returncode == 1
    said = broken.stdout + broken.stderr
    assert "seeds/a1.yaml:7:9: error: sha256 does not match the article text" in said
    assert "claims/summit-date.yaml:9:8: error: quote not found in the text of source 'a1'" in said
    assert "claims/draft.yaml" not in said
