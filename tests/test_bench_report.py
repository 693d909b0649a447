"""The benchmark's report: every question at every size, and targets judged from the figures."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import run  # noqa: E402
from run import QUESTIONS, Timing  # noqa: E402

SKIPPED = {"check changed": "not available: `claims check` has no --changed option"}


def size(commits: int, factor: float, memory: float) -> dict:
    """Figures for one size: claims takes `factor` times its baseline, warm a tenth of that."""
    base = {
        "git log -p": Timing(0.040, 7, 20.0),
        "git diff": Timing(0.030, 7, 20.0),
        "raw pass": Timing(commits / 10000, 3, 30.0),
        "changed": Timing(0.010, 7, 5.0),
    }
    rows = {}
    for question in QUESTIONS:
        if question.key in SKIPPED:
            continue
        seconds = base[question.baseline].seconds * factor
        rows[question.key] = {
            "cold": Timing(seconds, 3, memory),
            "warm": Timing(seconds / 10, 3, memory),
        }
    context = {"commits": commits, "claims": 2000, "claim": "story-0000-date", "versions": 40,
               "total_versions": commits * 2, "day": "2011-01-01", "rev": "HEAD~1000"}  # fmt: skip
    return {"context": context, "baselines": base, "rows": rows, "built": None}


def extra() -> dict:
    return {
        "skipped": SKIPPED,
        "startup": (Timing(0.035, 11, 20.0), Timing(0.010, 11, 9.0)),
        "check": {
            "files": 10000,
            "baseline": Timing(0.05, 5, 3.0),
            "cold": Timing(0.9, 5, 40.0),
            "warm": Timing(0.8, 5, 40.0),
            "changed": [],
        },  # fmt: skip
        "seconds": 100.0,
    }


def target_lines(results) -> dict[str, str]:
    table = run.targets(results, extra(), SKIPPED)
    return {line.split(" | ")[0].strip("| "): line for line in table[2:]}


def test_every_question_at_every_size_with_both_ratios_and_memory():
    results = [size(5000, 1.2, 50.0), size(80000, 1.2, 60.0)]
    text = run.report(results, extra(), SKIPPED)
    for question in QUESTIONS:
        rows = [line for line in text.splitlines() if line.startswith(f"| {question.label} |")]
        if question.key in SKIPPED:
            assert any("not available" in row for row in rows), question.key
            continue
        table_rows = [row for row in rows if "commits |" in row]
        assert len(table_rows) == 2, question.key
        assert all(row.count("x |") >= 2 and "MB" in row for row in table_rows)
    assert "| `claims --help` | 35 ms | 25 ms |" in text


def test_targets_met_when_the_figures_are_within_them():
    found = target_lines([size(5000, 1.2, 50.0), size(80000, 1.2, 60.0)])
    cold = next(line for key, line in found.items() if "cold ≤ 1.3x" in key)
    assert cold.endswith("| yes |") and "1.20x" in cold
    memory = next(line for key, line in found.items() if "peak memory flat" in key)
    assert memory.endswith("| yes |") and "1.20x" in memory
    help_line = next(line for key, line in found.items() if "--help" in key)
    assert help_line.endswith("| yes |") and "25 ms" in help_line
    changed = next(line for key, line in found.items() if "--changed" in key)
    assert "not available" in changed or changed.endswith("| no |")


def test_targets_missed_name_the_worst_case():
    slow = size(80000, 3.0, 200.0)
    found = target_lines([size(5000, 1.2, 50.0), slow])
    cold = next(line for key, line in found.items() if "cold ≤ 1.3x" in key)
    assert cold.endswith("| no |") and "3.00x" in cold and "80,000 commits" in cold
    memory = next(line for key, line in found.items() if "peak memory flat" in key)
    assert memory.endswith("| no |") and "4.00x" in memory
    growth = next(line for key, line in found.items() if "grows no faster" in key)
    assert growth.endswith("| no |") and "log cold" in growth


def test_a_failed_command_is_reported_not_judged():
    results = [size(5000, 1.2, 50.0), size(80000, 1.2, 60.0)]
    results[1]["rows"]["log"]["cold"] = Timing(0.0, 0, 0.0, "exit 70: internal error")
    text = run.report(results, extra(), SKIPPED)
    assert "failed: exit 70: internal error" in text
