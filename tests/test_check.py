"""`claims check`: every rule with a passing and a failing case, the formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import LATER_ARTICLE, base_files, claim_text, source_files, write_files


def check(claims, repo, *args):
    return claims("check", *args, repo=repo)


def test_a_valid_repository_passes(claims, repo):
    result = check(claims, repo)
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 errors, 0 warnings in 3 files\n"


@pytest.mark.parametrize(
    "files, expected",
    [
        # schema
        (
            {"claims/summit-date.yaml": claim_text(modality="rumoured")},
            "claims/summit-date.yaml:7:11: error: modality: 'rumoured' is not one of",
        ),
        (
            {"claims/summit-date.yaml": claim_text(colour="red")},
            "claims/summit-date.yaml:10:1: error: unknown field 'colour' [schema]",
        ),
        (
            {"claims/summit-date.yaml": claim_text(quote=None)},
            "claims/summit-date.yaml:2:1: error: 'quote' is missing [schema]",
        ),
        (
            {"claims/summit-date.yaml": claim_text(type="place", value="Alaska")},
            "claims/summit-date.yaml:6:8: error: value: 'Alaska' is not of type 'array' [schema]",
        ),
        # id-matches-file
        (
            {"claims/summit-date.yaml": claim_text("summit-day")},
            "claims/summit-date.yaml:2:5: error: id 'summit-day' does not match the file name "
            "'summit-date.yaml' [id-matches-file]",
        ),
        # source-exists
        (
            {"claims/summit-date.yaml": claim_text(source="nowhere")},
            "claims/summit-date.yaml:8:9: error: source 'nowhere' not found under seeds/ [source-exists]",
        ),
        # quote-verbatim
        (
            {"claims/summit-date.yaml": claim_text(quote="scheduled to meet next Saturday")},
            "claims/summit-date.yaml:9:8: error: quote not found in the text of source 'a1'; "
            "closest passage: \"scheduled to meet next Friday\" ('Saturday' where the article "
            "has 'Friday') [quote-verbatim]",
        ),
        # value-parses
        (
            {"claims/summit-date.yaml": claim_text(value="2025-02-30")},
            "claims/summit-date.yaml:6:8: error: value '2025-02-30' is not a valid EDTF date",
        ),
        (
            {"claims/summit-date.yaml": claim_text(value="2025-08-17/2025-08-11")},
            "before it starts (2025-08-17) [value-parses]",
        ),
        (
            {
                "claims/summit-date.yaml": claim_text(
                    type="people", property="participants", value=["Donald Trump", "donald  trump"]
                )
            },
            "people lists the same name twice [value-parses]",
        ),
        # sha256 and source-text
        (
            {"seeds/a1.txt": "edited text\n"},
            "seeds/a1.yaml:7:9: error: sha256 does not match the article text",
        ),
        (
            {"seeds/a2.txt": None},
            "seeds/a2.yaml:1:1: error: article text seeds/a2.txt: file not found [source-text]",
        ),
        # published-parses and the source's own schema and id
        (
            {"seeds/a2.yaml": source_files("a2", LATER_ARTICLE, "late August")["seeds/a2.yaml"]},
            "seeds/a2.yaml:5:12: error: published 'late August' is not a valid EDTF date",
        ),
        (
            {"seeds/a2.yaml": source_files("a3", LATER_ARTICLE, "2025-08")["seeds/a3.yaml"]},
            "seeds/a2.yaml:1:5: error: id 'a3' does not match the file name 'a2.yaml' [id-matches-file]",
        ),
        # loading
        (
            {"claims/summit-date.yaml": "id: a\nid: b\n"},
            "claims/summit-date.yaml:2:1: error: duplicate key 'id' [duplicate-key]",
        ),
        (
            {"claims/summit-date.yaml": b"id: caf\xe9\n"},
            "claims/summit-date.yaml:1:8: error: invalid UTF-8 byte 0xe9 [encoding]",
        ),
    ],
)
def test_each_error_rule_names_path_line_and_rule(claims, repo, files, expected):
    write_files(repo, files)
    result = check(claims, repo)
    assert result.exit_code == 1, result.output
    assert expected in result.stdout


def test_quotes_match_across_whitespace_and_curly_quotes(claims, repo):
    quote = 'meet next\n   Friday in Alaska to discuss the ongoing conflict in Ukraine. The meeting aims to address "diplomatic efforts".'
    write_files(repo, {"claims/summit-date.yaml": claim_text(quote=quote)})
    assert check(claims, repo).exit_code == 0


def test_every_problem_is_reported_not_just_the_first(claims, repo):
    write_files(repo, {
        "claims/summit-date.yaml": claim_text("other", value="2025-13", quote="not there"),
        "claims/b.yaml": "id: b\nid: b\n",
    })  # fmt: skip
    result = check(claims, repo, "--format", "json")
    rules = [p["rule"] for p in json.loads(result.stdout)["problems"]]
    assert sorted(rules) == ["duplicate-key", "id-matches-file", "quote-verbatim", "value-parses"]


def time_sense_repo(make_repo, modality="asserted", value="2025-09-18"):
    files = base_files()
    files["claims/summit-date.yaml"] = claim_text(
        value=value,
        modality=modality,
        source="a2",
        quote="met in Anchorage, Alaska, on September 18, 2025",
    )
    return make_repo([files])


def test_time_sense_warns_but_does_not_fail(claims, make_repo):
    repo = time_sense_repo(make_repo)
    result = check(claims, repo)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "claims/summit-date.yaml:6:8: warning: source a2 published by 2025-08-31, "
        "reports as past an event on 2025-09-18 [time-sense]",
        "0 errors, 1 warning in 3 files",
    ]
    assert check(claims, repo, "--strict").exit_code == 1


def test_time_sense_is_silent_when_the_date_could_be_past(claims, make_repo):
    assert check(claims, time_sense_repo(make_repo, value="2025-08-15")).exit_code == 0
    assert check(claims, time_sense_repo(make_repo, modality="alleged"), "--strict").exit_code == 0


def test_time_sense_warns_of_a_plan_already_past(claims, make_repo):
    result = check(claims, time_sense_repo(make_repo, modality="scheduled", value="2025-08-15"))
    assert (
        "published no earlier than 2025-08-24, reports as still planned an event on 2025-08-15"
        in result.stdout
    )


def test_json_shape(claims, repo):
    write_files(repo, {"claims/summit-date.yaml": claim_text(value="2025-13")})
    data = json.loads(check(claims, repo, "--format", "json").stdout)
    assert data == {
        "problems": [
            {
                "path": "claims/summit-date.yaml",
                "line": 6,
                "column": 8,
                "severity": "error",
                "rule": "value-parses",
                "message": "value '2025-13' is not a valid EDTF date: not a valid EDTF date; "
                "EDTF forms: 2025-08-15 (a day), 2025-08 (a month), 2025 (a year), 2025-08-15? "
                "(uncertain), 2025-08-15~ (approximate), 2025-08-11/2025-08-17 (an interval)",
            }
        ],
        "summary": {"files": 3, "errors": 1, "warnings": 0},
    }


def test_github_annotations(claims, repo):
    write_files(repo, {"claims/summit-date.yaml": claim_text(quote="not, there: at all")})
    result = check(claims, repo, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        "::group::claims/summit-date.yaml\n"
        "::error file=claims/summit-date.yaml,line=9,col=8,title=quote-verbatim::"
        "9:8 quote not found in the text of source 'a1' [quote-verbatim]\n"
        "::endgroup::\n"
    )


def test_github_format_is_the_default_inside_github_actions(claims, repo, monkeypatch):
    files = {f"claims/c{n:02}.yaml": claim_text(f"c{n:02}", quote="not there") for n in range(12)}
    write_files(repo, files)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    lines = check(claims, repo).stdout.splitlines()
    assert lines[:3] == [
        "::group::claims/c00.yaml",
        "::error file=claims/c00.yaml,line=9,col=8,title=quote-verbatim::"
        "9:8 quote not found in the text of source 'a1' [quote-verbatim]",
        "::endgroup::",
    ]
    # GitHub shows ten annotations of a level per step: the rest stay in the log, counted.
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert lines[-4:] == [
        "::group::claims/c11.yaml",
        "  9:8 error quote not found in the text of source 'a1' [quote-verbatim]",
        "::endgroup::",
        "2 more errors in the log above, not as annotations (GitHub shows 10 per level)",
    ]
    monkeypatch.setenv("GITHUB_ACTIONS", "")
    assert check(claims, repo).stdout.startswith("claims/c00.yaml:9:8: error:")


def test_a_changed_repository_schema_is_reported_as_drift(claims, repo):
    shipped = Path(__file__).parent.parent / "tools/claimkit/schema/claim.schema.json"
    write_files(repo, {"schema/claim.schema.json": shipped.read_text()})
    assert check(claims, repo).exit_code == 0
    changed = shipped.read_text().replace(
        '"additionalProperties": false', '"additionalProperties": true', 1
    )
    assert changed != shipped.read_text()
    write_files(repo, {"schema/claim.schema.json": changed})
    result = check(claims, repo)
    assert result.exit_code == 1
    assert (
        "schema/claim.schema.json:1:1: error: differs from the schema `claims check` validates"
        in result.stdout
    )
    assert "[schema-drift]" in result.stdout


def test_the_repository_schema_folder_equals_the_shipped_one():
    root = Path(__file__).parent.parent
    assert not (root / "schema").is_symlink()
    shipped = sorted(p.name for p in (root / "tools/claimkit/schema").glob("*.json"))
    assert sorted(p.name for p in (root / "schema").glob("*.json")) == shipped
    for name in shipped:
        assert (root / "schema" / name).read_bytes() == (
            root / "tools/claimkit/schema" / name
        ).read_bytes()


def test_paths_limit_what_is_checked(claims, repo):
    write_files(repo, {"claims/broken.yaml": "id: [\n"})
    assert check(claims, repo, str(repo / "claims" / "summit-date.yaml")).exit_code == 0
    assert check(claims, repo, str(repo / "claims")).exit_code == 1


@pytest.mark.parametrize(
    "argument, message",
    [("nowhere", "nowhere: no such file or directory"), ("/", "/: outside the claims repository")],
)
def test_bad_paths_are_usage_errors(claims, repo, argument, message):
    from conftest import assert_one_line_error

    assert_one_line_error(check(claims, repo, argument), message, code=2)


def test_a_source_without_headline_has_a_null_title(claims, repo):
    meta = (
        (repo / "seeds" / "a2.yaml")
        .read_text()
        .replace("title: Trump and Putin met", "title: null")
    )
    write_files(repo, {"seeds/a2.yaml": meta})
    assert check(claims, repo).exit_code == 0
    assert "(no headline)" in claims("sources", repo=repo).stdout


# --changed BASE ---------------------------------------------------------------------------------


@pytest.fixture
def two_claims(make_repo):
    """Two sources and two claims, committed; the second claim already broken at BASE."""
    return make_repo(
        [
            {
                **base_files(),
                "claims/summit-place.yaml": claim_text(
                    "summit-place", property="location", type="place", value=["Alaska"],
                    quote="next Friday in Alaska",
                ),
                "claims/old-fault.yaml": claim_text(
                    "old-fault", modality="rumoured", source="a2", quote="met in Anchorage"
                ),
            }
        ]
    )  # fmt: skip


def test_changed_checks_only_what_changed_since_base(claims, two_claims):
    assert check(claims, two_claims).exit_code == 1  # the old fault, everywhere
    clean = check(claims, two_claims, "--changed", "HEAD")
    assert clean.exit_code == 0, clean.output
    assert clean.stdout == "0 errors, 0 warnings in 0 files\n"
    write_files(
        two_claims,
        {
            "claims/summit-date.yaml": claim_text(value="2025-02-30"),  # unstaged edit
            "claims/new-one.yaml": claim_text("new-one", colour="red"),  # untracked
        },
    )
    result = check(claims, two_claims, "--changed", "HEAD")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "claims/new-one.yaml:10:1: error: unknown field 'colour' [schema]"
    assert lines[1].startswith("claims/summit-date.yaml:6:8: error: value '2025-02-30'")
    assert lines[1].endswith("[value-parses]")
    assert lines[2:] == ["2 errors, 0 warnings in 2 files"]


def test_changed_source_rechecks_the_claims_citing_it(claims, two_claims):
    text = "Trump and Putin are to meet in Alaska on a Friday.\n"
    write_files(two_claims, {"seeds/a1.txt": text})
    result = check(claims, two_claims, "--changed", "HEAD")
    lines = result.stdout.splitlines()
    assert lines[-1] == "3 errors, 0 warnings in 3 files", lines
    assert any(line.startswith("seeds/a1.yaml:") and "[sha256]" in line for line in lines)
    assert sum("[quote-verbatim]" in line for line in lines) == 2  # both claims cite a1
    assert not any("old-fault" in line for line in lines)


def test_a_removed_source_breaks_its_citing_claims(claims, two_claims):
    (two_claims / "seeds" / "a1.yaml").unlink()
    (two_claims / "seeds" / "a1.txt").unlink()
    result = check(claims, two_claims, "--changed", "HEAD")
    assert result.exit_code == 1
    assert (
        "claims/summit-date.yaml:8:9: error: source 'a1' not found under seeds/ [source-exists]"
        in result.stdout
    )
    assert result.stdout.splitlines()[-1] == "2 errors, 0 warnings in 2 files"


def test_changed_since_an_older_commit_counts_committed_changes(claims, two_claims):
    from conftest import git

    write_files(two_claims, {"claims/summit-date.yaml": claim_text(value="2025-02-30")})
    git(two_claims, "commit", "-qam", "a bad value")
    assert check(claims, two_claims, "--changed", "HEAD").exit_code == 0
    result = check(claims, two_claims, "--changed", "HEAD~1")
    assert result.exit_code == 1 and "[value-parses]" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("--changed", "HEAD", "claims"), "--changed cannot be combined with PATHS or --hook"),
        (("--changed", "no-such-rev"), "unknown revision 'no-such-rev'"),
        (("--changed", "--all"), "invalid revision '--all'"),
    ],
)
def test_changed_refuses_bad_arguments(claims, two_claims, args, message):
    from conftest import assert_one_line_error

    assert_one_line_error(check(claims, two_claims, *args), message)


def test_a_changed_declaration_rechecks_every_claim(claims, two_claims):
    write_files(two_claims, {"claims/_vocabulary.yaml": "categories: {}\n"})
    result = check(claims, two_claims, "--changed", "HEAD")
    assert result.stdout.splitlines()[-1].endswith(" in 4 files")  # it and the three claims
    assert "claims/old-fault.yaml" in result.stdout
