"""Shared test set-up: a private HOME and git identity, and builders for throwaway repositories."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from claimkit.cli import main
from click.testing import CliRunner

ARTICLE = """Trump and Putin Set to Meet in Alaska

August 8, 2025

U.S. President Donald Trump and Russian President Vladimir Putin are scheduled to meet next Friday in Alaska to discuss the ongoing conflict in Ukraine. The meeting aims to address “diplomatic efforts”.
"""

LATER_ARTICLE = """Trump and Putin met in Anchorage, Alaska, on September 18, 2025, to discuss Ukraine.
"""


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Editor")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "editor@example.org")
    monkeypatch.delenv("CLAIMS_DEBUG", raising=False)


@pytest.fixture(autouse=True)
def no_vocabulary():
    """Comparisons read the vocabulary of the repository last opened: start each test without."""
    from claimkit.types import vocabulary

    vocabulary.use(vocabulary.EMPTY)
    yield
    vocabulary.use(vocabulary.EMPTY)


def source_files(
    source_id: str, text: str, published: str, title: str = "A title"
) -> dict[str, str]:
    """The two files of a source: its text and its metadata."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    meta = (
        f"id: {source_id}\ntitle: {title}\noutlet: null\nurl: null\n"
        f"published: {published}\npublished_basis: Dateline.\nsha256: {digest}\n"
    )
    return {f"seeds/{source_id}.txt": text, f"seeds/{source_id}.yaml": meta}


def claim_text(claim_id: str = "summit-date", **fields) -> str:
    """A claim file in the house format; fields override the defaults, None removes one."""
    data = {
        "id": claim_id,
        "event": "alaska-summit-2025",
        "property": "date",
        "type": "date",
        "value": "2025-08-15",
        "modality": "scheduled",
        "source": "a1",
        "quote": "scheduled to meet next Friday in Alaska",
    }
    data.update(fields)
    lines = ["# yaml-language-server: $schema=../schema/claim.schema.json"]
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {item}" for item in value)
        elif key in ("quote", "note"):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{key}: "{escaped}"')
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def base_files() -> dict[str, str]:
    files = {}
    files.update(source_files("a1", ARTICLE, "2025-08-08", "Trump and Putin Set to Meet in Alaska"))
    files.update(source_files("a2", LATER_ARTICLE, "2025-08-24/2025-08-31", "Trump and Putin met"))
    files["claims/summit-date.yaml"] = claim_text()
    return files


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for name, content in files.items():
        path = root / name
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def make_repo(tmp_path):
    """make_repo(history) -> path: a git repository with one commit per history entry.

    Each entry is a dict of files (path -> text, bytes, or None to delete), or a pair
    (message, files).
    """
    counter = iter(range(1000))

    def build(history=(), name: str | None = None) -> Path:
        root = tmp_path / (name or f"repo{next(counter)}")
        root.mkdir()
        (root / "claims").mkdir()
        (root / "seeds").mkdir()
        git(root, "init", "-q", "-b", "main")
        for number, entry in enumerate(history, 1):
            message, files = entry if isinstance(entry, tuple) else (f"commit {number}", entry)
            write_files(root, files)
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", message)
        return root

    return build


@pytest.fixture
def repo(make_repo) -> Path:
    """A small valid claims repository: two sources and one claim."""
    return make_repo([base_files()])


@pytest.fixture
def claims():
    """claims(*args, repo=PATH) -> click Result, with stdout and stderr kept apart."""

    def run(*args: str, repo: Path | None = None, input: str | None = None):
        argv = (["-C", str(repo)] if repo is not None else []) + list(args)
        return CliRunner().invoke(main, argv, input=input, catch_exceptions=False)

    return run


def assert_one_line_error(result, *fragments: str, code: int | None = None) -> None:
    """The command failed with one line on stderr naming what went wrong, and no traceback."""
    assert result.exit_code != 0, result.output
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claims: error: "), lines[0]
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


A1 = "Trump and Putin are scheduled to meet next Friday in Alaska.\n"
A2 = "The leaders met in Alaska after nearly three hours of talks, in August.\n"
A3 = "Trump and Putin met for a summit in Anchorage, Alaska, on September 18, 2025.\n"


def date_claim(value, modality, source, quote, **extra):
    return claim_text(value=value, modality=modality, source=source, quote=quote, **extra)


def place_claim(value, modality, source, quote):
    return claim_text(
        "summit-location", property="location", type="place", value=value,
        modality=modality, source=source, quote=quote,
    )  # fmt: skip


@pytest.fixture
def story(make_repo) -> Path:
    """Three articles; the one published second (a2) is recorded last."""
    sources = {
        **source_files("a1", A1, "2025-08-08", "Set to meet in Alaska"),
        **source_files("a2", A2, "2025-08-15/..", "They met"),
        **source_files("a3", A3, "2025-08-24/2025-08-31", "Summit in Anchorage"),
    }
    return make_repo(
        [
            ("Record a1", {
                **sources,
                "claims/summit-date.yaml": date_claim("2025-08-15", "scheduled", "a1", "scheduled to meet next Friday in Alaska", time_expression="next Friday"),
                "claims/summit-location.yaml": place_claim(["Alaska"], "scheduled", "a1", "meet next Friday in Alaska"),
            }),
            ("Record a3", {
                "claims/summit-date.yaml": date_claim("2025-09-18", "asserted", "a3", "on September 18, 2025"),
                "claims/summit-location.yaml": place_claim(["Alaska", "Anchorage"], "asserted", "a3", "in Anchorage, Alaska"),
            }),
            ("Record a2", {
                "claims/summit-date.yaml": date_claim("2025-08", "asserted", "a2", "in August"),
            }),
        ]
    )  # fmt: skip


os.environ.setdefault("COLUMNS", "120")


@pytest.fixture(params=["racy", "by stat"])
def trusting(request, monkeypatch):
    """Run a cache test twice: with git's racy-clean rule as shipped (files written by the test
    a moment ago are hashed again), and with it off, so that an unchanged stat is trusted and
    only the stat data tells an edit."""
    from claimkit import cache

    if request.param == "by stat":
        monkeypatch.setattr(cache, "RACY_NS", 0)
    return request.param


def cache_dir(repo: Path) -> Path:
    """The folder of a repository's caches."""
    return repo / ".git" / "claims-cache"
