"""`claims record` and `claims add-source`: tool edits that keep what people wrote."""

from __future__ import annotations

import hashlib
import json

import pytest
from claimkit.errors import EXIT_CONFLICT, EXIT_DATA, EXIT_FINDINGS, EXIT_REPO, EXIT_USAGE
from conftest import LATER_ARTICLE, assert_one_line_error, claim_text, git, write_files

LATER_QUOTE = "met in Anchorage, Alaska, on September 18, 2025"
RECORD_A2 = ("summit-date", "--source", "a2", "--value", "2025-09-18", "--quote", LATER_QUOTE,
             "--modality", "asserted")  # fmt: skip

COMMENTED = """\
# yaml-language-server: $schema=../schema/claim.schema.json
# The date of the summit, as each article put it.
id: summit-date   # equals the file name
event: alaska-summit-2025
property: date
type: date

# EDTF; see docs/format.md
value: 2025-08-15  # Friday after the dateline
modality: scheduled
source: a1
quote: "scheduled to meet next Friday in Alaska"  # the lede
time_expression: next Friday
# Keep the note short.
note: "Resolved against the dateline, Friday 2025-08-08."
# end of claim
"""


def claim_file(repo):
    return (repo / "claims" / "summit-date.yaml").read_text()


def test_record_commits_only_the_claim_file(claims, repo):
    write_files(repo, {"notes.txt": "work in progress\n"})
    git(repo, "add", "notes.txt")
    result = claims("record", *RECORD_A2, "--commit", repo=repo)
    assert result.exit_code == 0, result.output
    head = git(repo, "rev-parse", "HEAD").strip()
    assert result.stdout == (
        "summit-date: 2025-08-15 -> 2025-09-18 (contradicted) [a2]\n"
        f"committed {head[:12]}: claims/summit-date.yaml\n"
        "claims/summit-date.yaml:6:8: warning: source a2 published by 2025-08-31, reports as "
        "past an event on 2025-09-18 [time-sense]\n"
    )
    assert git(repo, "log", "-1", "--format=%B") == (
        "summit-date: 2025-08-15 -> 2025-09-18 (contradicted) [a2]\n"
        "\n"
        "modality: scheduled -> asserted\n"
        f'quote: "{LATER_QUOTE}"\n'
        "\n"
        "Claim: summit-date\n"
        "Source: a2\n\n"
    )
    trailers = git(repo, "log", "-1", "--format=%(trailers:only,unfold)")
    assert trailers == "Claim: summit-date\nSource: a2\n\n"
    assert git(repo, "show", "--name-only", "--format=", "HEAD") == "claims/summit-date.yaml\n"
    assert git(repo, "status", "--porcelain") == "A  notes.txt\n"  # still staged, not committed
    assert claim_file(repo) == claim_text(
        value="2025-09-18", modality="asserted", source="a2", quote=LATER_QUOTE
    )


def test_record_keeps_every_comment_and_untouched_line_byte_for_byte(claims, make_repo):
    from conftest import base_files

    repo = make_repo([{**base_files(), "claims/summit-date.yaml": COMMENTED}])
    result = claims("record", *RECORD_A2, "--note", "Reported as past.", repo=repo)
    assert result.exit_code == 0, result.output
    after = claim_file(repo)
    assert after == (
        "# yaml-language-server: $schema=../schema/claim.schema.json\n"
        "# The date of the summit, as each article put it.\n"
        "id: summit-date   # equals the file name\n"
        "event: alaska-summit-2025\n"
        "property: date\n"
        "type: date\n"
        "\n"
        "# EDTF; see docs/format.md\n"
        "value: 2025-09-18  # Friday after the dateline\n"
        "modality: asserted\n"
        "source: a2\n"
        f'quote: "{LATER_QUOTE}"  # the lede\n'
        "# Keep the note short.\n"
        'note: "Reported as past."\n'
        "# end of claim\n"
    )
    before_lines, after_lines = COMMENTED.splitlines(), after.splitlines()
    edited = ("value:", "modality:", "source:", "quote:", "time_expression:", "note:")
    untouched = [line for line in before_lines if not line.startswith(edited)]
    assert untouched == [line for line in after_lines if not line.startswith(edited)]
    comments = [line[line.index("#") :] for line in before_lines if "#" in line]
    assert comments == [line[line.index("#") :] for line in after_lines if "#" in line]


def test_record_of_a_list_value_and_version_fields(claims, make_repo):
    from conftest import base_files

    place = claim_text(
        "summit-place", property="location", type="place", value=["Alaska"],
        quote="meet next Friday in Alaska", time_expression="next Friday",
    )  # fmt: skip
    repo = make_repo([{**base_files(), "claims/summit-place.yaml": place}])
    result = claims("record", "summit-place", "--source", "a2", "--value", "Alaska", "--value",
                    "Anchorage", "--quote", "in Anchorage, Alaska", "--time-expression", "now",
                    "--format", "json", repo=repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["change"], data["detail"]) == ("refined", "Alaska -> Alaska > Anchorage")
    assert data["new"] == {"value": ["Alaska", "Anchorage"], "modality": "scheduled",
                           "source": "a2", "quote": "in Anchorage, Alaska"}  # fmt: skip
    assert data["written"] is True and data["commit"] is None and data["warnings"] == []
    assert (
        (repo / "claims" / "summit-place.yaml")
        .read_text()
        .endswith(
            "value:\n  - Alaska\n  - Anchorage\nmodality: scheduled\nsource: a2\n"
            'quote: "in Anchorage, Alaska"\ntime_expression: now\n'
        )
    )


def test_record_refuses_a_quote_not_in_the_source(claims, repo):
    before = claim_file(repo)
    result = claims("record", "summit-date", "--source", "a2", "--value", "2025-09-18",
                    "--quote", "met in Juneau", repo=repo)  # fmt: skip
    assert_one_line_error(
        result,
        "claims/summit-date.yaml:9:8: quote not found in the text of source 'a2'; closest "
        "passage: \"met in Anchorage,\" ('Juneau' where the article has 'Anchorage,') "
        "[quote-verbatim]; nothing written",
        code=EXIT_FINDINGS,
    )
    assert claim_file(repo) == before
    assert sorted(p.name for p in (repo / "claims").iterdir()) == ["summit-date.yaml"]


@pytest.mark.parametrize(
    "args, message, code",
    [
        (("nope", "--source", "a2", "--value", "2025-09", "--quote", "x"),
         "unknown claim 'nope'", EXIT_USAGE),
        (("summit-date", "--source", "a9", "--value", "2025-09", "--quote", "x"),
         "unknown source 'a9'", EXIT_USAGE),
        (("summit-date", "--source", "a2", "--value", "2025-13", "--quote", "x"),
         "--value '2025-13': not a valid EDTF date", EXIT_USAGE),
        (("summit-date", "--source", "a2", "--value", "2025-09", "--value", "2025-10",
          "--quote", "x"), "a date value takes exactly one --value", EXIT_USAGE),
        (("summit-date", "--source", "a2", "--value", "2025-09", "--quote", " "),
         "--quote must not be empty", EXIT_USAGE),
    ],
)  # fmt: skip
def test_record_argument_errors(claims, repo, args, message, code):
    assert_one_line_error(claims("record", *args, repo=repo), message, code=code)


def test_record_refuses_uncommitted_work_unless_forced(claims, repo):
    edited = claim_file(repo).replace("# yaml-language-server", "# mine\n# yaml-language-server")
    write_files(repo, {"claims/summit-date.yaml": edited})
    result = claims("record", *RECORD_A2, repo=repo)
    assert_one_line_error(
        result,
        "claims/summit-date.yaml has uncommitted changes (modified); commit or stash them "
        "first, or pass --force",
        code=EXIT_CONFLICT,
    )
    assert claim_file(repo) == edited
    forced = claims("record", *RECORD_A2, "--force", repo=repo)
    assert forced.exit_code == 0, forced.output
    assert claim_file(repo).startswith("# mine\n") and "value: 2025-09-18\n" in claim_file(repo)


def test_record_on_a_new_untracked_claim_is_a_first_report(claims, repo):
    new = claims("new", "summit-host", "--event", "alaska-summit-2025", "--property", "host",
                 "--type", "people", repo=repo)  # fmt: skip
    assert new.exit_code == 0, new.output
    args = ("summit-host", "--source", "a1", "--value", "Donald Trump", "--quote",
            "U.S. President Donald Trump", "--commit")  # fmt: skip
    # A skeleton from `new` reports nothing yet: completing it needs no --force.
    result = claims("record", *args, repo=repo)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("summit-host: Donald Trump (first-report) [a1]\n")
    assert git(repo, "show", "--name-status", "--format=", "HEAD") == "A\tclaims/summit-host.yaml\n"


def test_record_commit_force_commits_a_file_that_already_reads_so(claims, repo):
    assert claims("record", *RECORD_A2, repo=repo).exit_code == 0  # written, not committed
    commits = int(git(repo, "rev-list", "--count", "HEAD"))
    result = claims("record", *RECORD_A2, "--commit", "--force", repo=repo)
    assert result.exit_code == 0, result.output
    head = git(repo, "rev-parse", "HEAD").strip()
    assert result.stdout.startswith(
        "summit-date: 2025-08-15 -> 2025-09-18 (contradicted) [a2]\n"
        f"committed {head[:12]}: claims/summit-date.yaml (it already read so)\n"
    )
    assert int(git(repo, "rev-list", "--count", "HEAD")) == commits + 1
    assert git(repo, "status", "--porcelain") == ""


def test_record_twice_writes_nothing_the_second_time(claims, repo):
    assert claims("record", *RECORD_A2, "--commit", repo=repo).exit_code == 0
    commits = git(repo, "rev-list", "--count", "HEAD")
    again = claims("record", *RECORD_A2, "--commit", repo=repo)
    assert again.exit_code == 0
    assert again.stdout.startswith("summit-date: already reads so; nothing written\n")
    assert git(repo, "rev-list", "--count", "HEAD") == commits


def test_record_with_a_held_index_lock_fails_cleanly(claims, repo):
    before = claim_file(repo)
    (repo / ".git" / "index.lock").write_text("")
    result = claims("record", *RECORD_A2, "--commit", repo=repo)
    assert_one_line_error(
        result, "index.lock exists: another git process is using this repository",
        code=EXIT_CONFLICT,
    )  # fmt: skip
    assert claim_file(repo) == before


def test_a_failed_commit_leaves_the_file_as_it_was(claims, repo, monkeypatch):
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{role}_NAME")
        monkeypatch.delenv(f"GIT_{role}_EMAIL")
    git(repo, "config", "user.useConfigOnly", "true")
    before = claim_file(repo)
    result = claims("record", *RECORD_A2, "--commit", repo=repo)
    assert_one_line_error(result, "git commit failed:", code=EXIT_REPO)
    assert claim_file(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def test_record_outside_git(claims, tmp_path):
    from conftest import base_files

    write_files(tmp_path, base_files())
    result = claims("record", *RECORD_A2, repo=tmp_path)
    assert_one_line_error(result, "not a git repository", code=EXIT_REPO)


# add-source ----------------------------------------------------------------------------------

ARTICLE3 = "Leaders met at Joint Base Elmendorf-Richardson.\n\u201cProductive\u201d, they said.\n"


def test_add_source_registers_the_text_byte_for_byte(claims, repo, tmp_path):
    article = tmp_path / "a3.txt"
    article.write_bytes(ARTICLE3.encode())
    result = claims("add-source", str(article), "--published", "2025-08-16", "--title",
                    "Leaders met: a report", "--outlet", "Example News", "--into", "2025-08",
                    "--commit", repo=repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "added source a3: seeds/2025-08/a3.yaml, seeds/2025-08/a3.txt\ncommitted "
    )
    assert (repo / "seeds/2025-08/a3.txt").read_bytes() == ARTICLE3.encode()
    digest = hashlib.sha256(ARTICLE3.encode()).hexdigest()
    assert (repo / "seeds/2025-08/a3.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schema/source.schema.json\n"
        "id: a3\n"
        "title: 'Leaders met: a report'\n"
        "outlet: Example News\n"
        "url:\n"
        "published: 2025-08-16\n"
        "published_basis: As given to `claims add-source`; no basis recorded.\n"
        f"sha256: {digest}\n"
    )
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").splitlines() == [
        "Add source a3: Leaders met: a report", "", "seeds/2025-08/a3.txt", "seeds/2025-08/a3.yaml",
    ]  # fmt: skip
    assert claims("check", repo=repo).exit_code == 0
    quote = "\u201cProductive\u201d, they said"
    recorded = claims("record", "summit-date", "--source", "a3", "--value", "2025-08-15",
                      "--quote", quote, "--modality", "asserted", repo=repo)  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    assert f'quote: "{quote}"\n' in claim_file(repo)


def test_add_source_json(claims, repo, tmp_path):
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE3)
    result = claims("add-source", str(article), "--id", "003_x", "--published", "2025-08-16?",
                    "--title", "T", "--basis", "No dateline.", "--format", "json", repo=repo)  # fmt: skip
    data = json.loads(result.stdout)
    assert data["source"]["id"] == "003_x" and data["source"]["path"] == "seeds/003_x.yaml"
    assert data["source"]["published_basis"] == "No dateline." and data["commit"] is None
    assert data["text"] == "seeds/003_x.txt"
    assert (
        (repo / "seeds/003_x.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../schema/source.schema.json\nid: 003_x\n")
    )


@pytest.mark.parametrize(
    "name, content, args, message, code",
    [
        ("a1.txt", "new text\n", (), "source a1 already exists: seeds/a1.yaml", EXIT_CONFLICT),
        ("copy.txt", LATER_ARTICLE, (), "the same text is already source a2", EXIT_CONFLICT),
        ("x.txt", "text\n", ("--published", "2025-02-30"), "--published '2025-02-30': not a valid EDTF date", EXIT_USAGE),
        ("bad name.txt", "text\n", (), "invalid source id 'bad name'", EXIT_USAGE),
        ("x.txt", b"caf\xe9\n", (), "x.txt:1:4: invalid UTF-8 byte 0xe9", EXIT_DATA),
        ("x.txt", "text\n", ("--into", "../out"), "--into '../out': give a folder inside seeds/", EXIT_USAGE),
        ("x.txt", "text\n", ("--title", ""), "title", EXIT_FINDINGS),
    ],
)  # fmt: skip
def test_add_source_refusals(claims, repo, tmp_path, name, content, args, message, code):
    article = tmp_path / name
    article.write_bytes(content if isinstance(content, bytes) else content.encode())
    options = {"--published": "2025-08-16", "--title": "A title"}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [word for pair in options.items() for word in pair]
    result = claims("add-source", str(article), *argv, repo=repo)
    assert_one_line_error(result, message, code=code)
    assert sorted(p.name for p in (repo / "seeds").iterdir()) == [
        "a1.txt", "a1.yaml", "a2.txt", "a2.yaml",
    ]  # fmt: skip


def test_add_source_missing_file(claims, repo, tmp_path):
    result = claims("add-source", str(tmp_path / "gone.txt"), "--published", "2025-08",
                    "--title", "T", repo=repo)  # fmt: skip
    assert_one_line_error(result, "gone.txt:1:1: file not found", code=EXIT_DATA)


def test_add_source_refuses_a_seeds_folder_leading_outside(claims, repo, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (repo / "seeds" / "linked").symlink_to(outside)
    article = tmp_path / "x.txt"
    article.write_text("text\n")
    result = claims("add-source", str(article), "--published", "2025-08", "--title", "T",
                    "--into", "linked/2025", repo=repo)  # fmt: skip
    assert_one_line_error(
        result, "seeds/linked/2025: resolves outside the repository; refused", code=EXIT_USAGE
    )
    assert list(outside.iterdir()) == []


def test_record_completes_a_skeleton_in_the_house_style(claims, repo):
    claims("new", "summit-day", "--event", "alaska-summit-2025", "--property", "date",
           "--type", "date", repo=repo)  # fmt: skip
    result = claims("record", "summit-day", "--source", "a1", "--value", "2025-08-15",
                    "--quote", "scheduled to meet next Friday in Alaska", "--modality",
                    "scheduled", "--time-expression", "next Friday", "--force", repo=repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (repo / "claims" / "summit-day.yaml").read_text() == claim_text(
        "summit-day", time_expression="next Friday"
    )
