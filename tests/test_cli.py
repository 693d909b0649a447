"""The commands of the foundation: init, new, list, sources, show; and their error paths."""

from __future__ import annotations

import json

import pytest
from claimkit.errors import EXIT_CONFLICT, EXIT_DATA, EXIT_REPO, EXIT_USAGE
from conftest import assert_one_line_error, claim_text, write_files


def test_init_creates_a_checkable_repository(claims, tmp_path):
    target = tmp_path / "new"
    result = claims("init", str(target))
    assert result.exit_code == 0, result.output
    assert "created claims/, seeds/, schema/" in result.stdout
    assert (target / ".git").is_dir()
    assert (target / "schema" / "claim.schema.json").is_file()
    assert (target / "claims" / ".gitkeep").is_file() and (target / "seeds" / ".gitkeep").is_file()
    assert "seeds/**/*.txt -text" in (target / ".gitattributes").read_text()
    assert claims("check", repo=target).stdout == "0 errors, 0 warnings in 0 files\n"
    again = claims("init", str(target))
    assert "already a claims repository; nothing to do" in again.stdout


def test_new_writes_a_skeleton_with_the_modeline(claims, repo):
    result = claims("new", "summit-place", "--event", "alaska-summit-2025", "--property", "location",
                    "--type", "place", "--value", "Alaska", "--value", "Anchorage", repo=repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "created claims/summit-place.yaml\n"
    assert (repo / "claims" / "summit-place.yaml").read_text() == (
        "# yaml-language-server: $schema=../schema/claim.schema.json\n"
        "id: summit-place\n"
        "event: alaska-summit-2025\n"
        "property: location\n"
        "type: place\n"
        "value:\n"
        "  - Alaska\n"
        "  - Anchorage\n"
        "modality: asserted\n"
        "source: ''\n"
        "quote: ''\n"
    )
    # A skeleton is to be completed: check says what is missing.
    assert "source: '' does not match" in claims("check", repo=repo).stdout


@pytest.mark.parametrize(
    "claim_id, message, code",
    [
        ("summit-date", "claims/summit-date.yaml already exists", EXIT_CONFLICT),
        ("../etc/passwd", "invalid claim id '../etc/passwd'", EXIT_USAGE),
        ("Summit", "invalid claim id 'Summit'", EXIT_USAGE),
        ("a b", "invalid claim id 'a b'", EXIT_USAGE),
    ],
)
def test_new_refuses(claims, repo, claim_id, message, code):
    result = claims("new", claim_id, "--event", "e", "--property", "p", "--type", "text", repo=repo)
    assert_one_line_error(result, message, code=code)


def test_new_refuses_a_claims_folder_outside_the_repository(claims, make_repo, tmp_path):
    root = make_repo()
    (root / "claims").rmdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "claims").symlink_to(outside)
    result = claims("new", "x", "--event", "e", "--property", "p", "--type", "text", repo=root)
    assert_one_line_error(result, "resolves outside the repository", code=EXIT_USAGE)
    assert list(outside.iterdir()) == []


def test_new_refuses_a_bad_date(claims, repo):
    result = claims(
        "new",
        "d",
        "--event",
        "e",
        "--property",
        "p",
        "--type",
        "date",
        "--value",
        "2025-13",
        repo=repo,
    )
    assert_one_line_error(result, "--value '2025-13': not a valid EDTF date", code=EXIT_USAGE)


def test_list_text_and_json(claims, repo):
    write_files(repo, {"claims/summit-place.yaml": claim_text(
        "summit-place", property="location", type="place", value=["Alaska", "Anchorage"],
        quote="in Alaska")})  # fmt: skip
    text = claims("list", repo=repo)
    assert text.exit_code == 0
    assert text.stdout.splitlines()[2:] == [
        "summit-date   date    2025-08-15          scheduled   a1        1           consistent: 2025-08-15",
        "summit-place  place   Alaska > Anchorage  scheduled   a1        0",
    ]
    data = json.loads(claims("list", "--format", "json", repo=repo).stdout)
    assert data["claims"][1] == {
        "path": "claims/summit-place.yaml",
        "id": "summit-place",
        "event": "alaska-summit-2025",
        "property": "location",
        "type": "place",
        "value": ["Alaska", "Anchorage"],
        "modality": "scheduled",
        "source": "a1",
        "quote": "in Alaska",
        "versions": 0,
        "standing": None,
    }


def test_sources_text_and_json(claims, repo):
    text = claims("sources", repo=repo).stdout.splitlines()
    assert text[2:] == [
        "a1    2025-08-08             Trump and Putin Set to Meet in Alaska  1",
        "a2    2025-08-24/2025-08-31  Trump and Putin met                    0",
    ]
    data = json.loads(claims("sources", "--format", "json", repo=repo).stdout)
    first = data["sources"][0]
    assert first["id"] == "a1" and first["claims"] == ["summit-date"]
    assert first["path"] == "seeds/a1.yaml"
    assert set(first) == {
        "path",
        "id",
        "title",
        "outlet",
        "url",
        "published",
        "published_basis",
        "sha256",
        "claims",
    }


def test_show_text_json_yaml(claims, repo):
    text = claims("show", "summit-date", repo=repo).stdout
    assert "value           2025-08-15\n" in text
    data = json.loads(claims("show", "summit-date", "--format", "json", repo=repo).stdout)
    assert (
        data["claim"]["value"] == "2025-08-15"
        and data["claim"]["path"] == "claims/summit-date.yaml"
    )
    raw = claims("show", "summit-date", "--format", "yaml", repo=repo).stdout
    assert raw == (repo / "claims" / "summit-date.yaml").read_text()


def test_unknown_id_suggests_close_matches(claims, repo):
    assert_one_line_error(
        claims("show", "summit-dat", repo=repo),
        "unknown claim 'summit-dat'; did you mean summit-date?",
        code=EXIT_USAGE,
    )


def test_discovers_the_repository_from_a_subfolder(claims, repo, monkeypatch):
    monkeypatch.chdir(repo / "seeds")
    assert claims("list").exit_code == 0


COMMANDS = [["list"], ["sources"], ["show", "summit-date"], ["check"],
            ["new", "x", "--event", "e", "--property", "p", "--type", "text"]]  # fmt: skip


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_every_command_outside_a_repository_fails_in_one_line(claims, tmp_path, argv):
    assert_one_line_error(claims(*argv, repo=tmp_path), "not a claims repository", code=EXIT_REPO)


@pytest.mark.parametrize("argv", COMMANDS[:3], ids=lambda a: a[0])
def test_every_reading_command_names_a_malformed_file(claims, repo, argv):
    write_files(repo, {"claims/summit-date.yaml": "id: summit-date\nvalue: [\n"})
    assert_one_line_error(
        claims(*argv, repo=repo), "claims/summit-date.yaml:3:1: invalid YAML", code=EXIT_DATA
    )


def test_missing_repo_path(claims, tmp_path):
    assert_one_line_error(
        claims("list", repo=tmp_path / "nope"), "no such directory", code=EXIT_REPO
    )


def test_unexpected_failures_are_one_line_too(claims, repo, monkeypatch):
    import claimkit.repo

    def broken(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(claimkit.repo.ClaimsRepo, "claim_ids", broken)
    assert_one_line_error(
        claims("list", repo=repo), "internal error: RuntimeError: disk on fire", code=70
    )


def test_help_is_the_docstring(claims):
    result = claims("check", "--help")
    assert "Validate claim and source files" in result.stdout
