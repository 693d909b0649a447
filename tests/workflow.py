"""Run the CI workflow's steps here, as GitHub Actions would on a pull request.

    python tests/workflow.py REPO BASE_SHA [--pr N]     # prints each step and its output

Each `run:` step runs in bash (`bash -e`, as Actions runs it) in the repository, with the
job's and the step's `env:` and the `${{ ... }}` expressions the workflow uses filled in from
a pull-request event. Steps that `uses:` an action (checkout, setup-python, upload-artifact)
and the install step are GitHub's or pip's business: skipped, with `claims` taken from PATH.
`gh` is whatever PATH holds: the tests put a fake one there that keeps comments in a file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github/workflows/claims.yml"
SKIPPED = ("Install claims",)


@dataclass
class StepRun:
    name: str
    ran: bool
    code: int = 0
    output: str = ""


def expressions(base_sha: str, pr: int, event: str = "pull_request") -> dict[str, str]:
    return {
        "github.event.pull_request.base.sha": base_sha,
        "github.token": "fake-token",
        "github.repository": "example/claims",
        "github.event.pull_request.number": str(pr),
        "github.event_name": event,
    }


def _fill(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match) -> str:
        key = match.group(1).strip()
        if key not in values:
            raise KeyError(f"the workflow uses ${{{{ {key} }}}}, which this runner does not know")
        return values[key]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))


def _condition(expression: str | None, values: dict[str, str], failed: bool) -> bool:
    """The few `if:` forms the workflow uses: event tests joined by &&, and !cancelled()."""
    if expression is None:
        return not failed  # a step without `if:` runs only while every step before it passed
    if not re.search(r"cancelled\(\)|always\(\)|failure\(\)", expression) and failed:
        return False  # without a status function, `if:` means success() && ...
    result = True
    for part in (p.strip() for p in expression.split("&&")):
        if part == "!cancelled()":
            continue
        found = re.fullmatch(r"github\.event_name == '(\w+)'", part)
        if not found:
            raise ValueError(f"unknown condition {part!r}")
        result = result and values["github.event_name"] == found.group(1)
    return result


def run_workflow(repo: Path, base_sha: str, pr: int = 1, env: dict | None = None) -> list[StepRun]:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text())
    job = workflow["jobs"]["claims"]
    values = expressions(base_sha, pr)
    shell_env = {**os.environ, **(env or {}), "GITHUB_ACTIONS": "true", "CI": "true"}
    shell_env.update({k: _fill(v, values) for k, v in job.get("env", {}).items()})
    runs, failed = [], False
    for step in job["steps"]:
        name = step.get("name", step.get("uses", ""))
        if "run" not in step or name in SKIPPED or not _condition(step.get("if"), values, failed):
            runs.append(StepRun(name, False))
            continue
        step_env = {**shell_env, **{k: _fill(v, values) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(
            ["bash", "-e", "-c", _fill(step["run"], values)], cwd=repo, env=step_env,
            capture_output=True, text=True,
        )  # fmt: skip
        runs.append(StepRun(name, True, done.returncode, done.stdout + done.stderr))
        if done.returncode and not step.get("continue-on-error"):
            failed = True
    return runs


if __name__ == "__main__":
    if len(sys.argv) not in (3, 5):
        sys.exit("usage: python tests/workflow.py REPO BASE_SHA [--pr N]")
    number = int(sys.argv[4]) if len(sys.argv) == 5 else 1
    for step in run_workflow(Path(sys.argv[1]), sys.argv[2], number):
        state = f"exit {step.code}" if step.ran else "skipped"
        print(f"== {step.name} ({state})")
        if step.output:
            print(step.output, end="" if step.output.endswith("\n") else "\n")
