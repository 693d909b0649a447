"""This project's own claims repository, for the tests that run on the shipped database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout


def shipped_root() -> Path:
    """The repository root, when the tests run in a git checkout with the database's history."""
    if not (ROOT / ".git").exists() or not _git("log", "-1", "--format=%H", "--", "claims/"):
        pytest.skip("not a git checkout with the shipped database's history")
    return ROOT


def full_history() -> Path:
    """As shipped_root, and not a shallow clone, which holds only part of the story."""
    root = shipped_root()
    if _git("rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.skip("a shallow clone holds only part of the shipped story")
    return root
