"""The CI files shipped for claims repositories run commands that work: the exact ones, here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from claimkit.yamlio import load_mapping
from conftest import base_files, claim_text, git, write_files

ROOT = Path(__file__).resolve().parents[1]


def workflow_steps() -> list[dict]:
    workflow = load_mapping(ROOT / ".github/workflows/claims.yml", "claims.yml").data
    assert set(workflow["on"]) == {"pull_request", "push"}
    return workflow["jobs"]["claims"]["steps"]


def claims_command(step: dict, env: dict[str, str]) -> list[str]:
    """A step's `claims ...` command as the shell would split it, with its variables expanded."""
    words = shlex.split(step["run"])
    assert words[0] == "claims", step["run"]
    return [re.sub(r"\$(\w+)", lambda m: env[m.group(1)], word) for word in words[1:]]


def step_named(prefix: str) -> dict:
    return next(step for step in workflow_steps() if step.get("name", "").startswith(prefix))


def test_the_workflow_runs_check_then_review_on_pull_requests():
    runs = [step["run"] for step in workflow_steps() if "run" in step]
    assert runs == [
        'python -m pip install --disable-pip-version-check "$CLAIMKIT"',
        "claims check --format github",
        'claims review "$BASE_SHA...HEAD" --output claims-review.md',
    ]
    review = step_named("Review")
    assert review["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    assert "pull_request" in review["if"]


@pytest.fixture
def pull_request(make_repo, claims, tmp_path):
    """A claims repository with a branch that records a second article, checked out."""
    root = make_repo([base_files()])
    git(root, "checkout", "-q", "-b", "topic")
    result = claims("record", "summit-date", "--source", "a2", "--value", "2025-09-18",
                    "--quote", "met in Anchorage, Alaska, on September 18, 2025",
                    "--modality", "asserted", "--commit", repo=root)  # fmt: skip
    assert result.exit_code == 0, result.output
    return root


def test_the_workflow_commands_on_a_pull_request(claims, pull_request, monkeypatch, tmp_path):
    monkeypatch.chdir(pull_request)
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    env = {"BASE_SHA": git(pull_request, "rev-parse", "main").strip()}

    check = claims(*claims_command(step_named("Check"), env))
    assert check.exit_code == 0, check.output
    assert check.stdout == (
        "::warning file=claims/summit-date.yaml,line=6,col=8,title=time-sense::source a2 "
        "published by 2025-08-31, reports as past an event on 2025-09-18\n"
    )
    review = claims(*claims_command(step_named("Review"), env))
    assert review.exit_code == 0, review.output
    written = (pull_request / "claims-review.md").read_text()
    assert written.startswith(f"## Claims review `{env['BASE_SHA']}...HEAD`\n")
    assert "### `summit-date`: contradicted\n" in written
    assert summary.read_text() == written + "\n"


def test_the_workflow_check_fails_on_an_error(claims, pull_request, monkeypatch):
    monkeypatch.chdir(pull_request)
    write_files(pull_request, {"claims/summit-date.yaml": claim_text(quote="not in a1")})
    check = claims(*claims_command(step_named("Check"), {}))
    assert check.exit_code == 1
    lines = check.stdout.splitlines()
    assert [line for line in lines if line.startswith("::error ")] == [
        "::error file=claims/summit-date.yaml,line=9,col=8,title=quote-verbatim::quote not found "
        "in the text of source 'a1'"
    ]
    # The file now holds a1's reading; a2's version, still in the story, keeps its finding.
    assert [line.split("::")[1] for line in lines if line.startswith("::warning ")] == [
        "warning file=claims/summit-date.yaml,line=1,col=1,title=time-sense"
    ]


def test_the_pre_commit_hook_runs_claims_check_on_the_whole_repository(
    claims, pull_request, monkeypatch
):
    from ruamel.yaml import YAML

    (hook,) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "claims-check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and re.match(hook["files"], "seeds/2025-08/x.txt")
    argv = shlex.split(hook["entry"])
    assert argv[0] == "claims"
    monkeypatch.chdir(pull_request)  # pre-commit runs hooks from the top of the repository
    passed = claims(*argv[1:])
    assert passed.exit_code == 0 and passed.stdout.endswith("0 errors, 1 warning in 3 files\n")
    write_files(pull_request, {"seeds/a2.txt": "edited article\n"})
    failed = claims(*argv[1:])
    assert failed.exit_code == 1
    assert "seeds/a2.yaml:7:9: error: sha256 does not match the article text" in failed.stdout
