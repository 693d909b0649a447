"""`claims review BASE..HEAD`: a branch's claim changes, as a pull request shows them."""

from __future__ import annotations

import json

import pytest
from claimkit.errors import EXIT_REPO, EXIT_USAGE
from conftest import (
    assert_one_line_error,
    claim_text,
    date_claim,
    git,
    place_claim,
    source_files,
    write_files,
)

A1 = "Trump and Putin are scheduled to meet next Friday in Juneau, Alaska.\n"
A2 = "The two leaders will meet in Alaska in August, officials said.\n"
A3 = "Trump and Putin met for a summit in Anchorage, Alaska, on September 18, 2025.\n"


@pytest.fixture
def story(make_repo, claims, tmp_path):
    """main: two articles; branch `a3`: a third article recorded for both claims, by the tools."""
    root = make_repo(
        [
            ("Record a1", {
                **source_files("a1", A1, "2025-08-08", "Set to meet in Juneau"),
                **source_files("a2", A2, "2025-08-10", "Meeting in August"),
                "claims/summit-date.yaml": date_claim("2025-08-15", "scheduled", "a1", "scheduled to meet next Friday"),
                "claims/summit-location.yaml": place_claim(["Alaska", "Juneau"], "scheduled", "a1", "meet next Friday in Juneau, Alaska"),
            }),
            ("Record a2", {
                "claims/summit-date.yaml": date_claim("2025-08", "scheduled", "a2", "in August"),
                "claims/summit-location.yaml": place_claim(["Alaska"], "scheduled", "a2", "meet in Alaska"),
            }),
        ]
    )  # fmt: skip
    git(root, "checkout", "-q", "-b", "a3")
    article = tmp_path / "a3.txt"
    article.write_text(A3)
    steps = [
        ("add-source", str(article), "--published", "2025-08-24/2025-08-31", "--title",
         "Summit in Anchorage", "--commit"),
        ("record", "summit-date", "--source", "a3", "--value", "2025-09-18", "--quote",
         "on September 18, 2025", "--modality", "asserted", "--commit"),
        ("record", "summit-location", "--source", "a3", "--value", "Alaska", "--value",
         "Anchorage", "--quote", "in Anchorage, Alaska", "--modality", "asserted", "--commit"),
    ]  # fmt: skip
    for argv in steps:
        result = claims(*argv, repo=root)
        assert result.exit_code == 0, result.output
    git(root, "checkout", "-q", "main")  # the review reads the branch from git, not the checkout
    return root


def test_review_of_a_branch_that_records_a_new_article(claims, story):
    base = git(story, "rev-parse", "main").strip()
    head = git(story, "rev-parse", "a3").strip()
    result = claims("review", "main..a3", repo=story)
    assert result.exit_code == 0, result.output
    date_commit = git(story, "rev-parse", "a3~1").strip()
    assert result.stdout == (
        "## Claims review `main..a3`\n"
        "\n"
        f"Comparing `{base[:12]}` with `{head[:12]}`.\n"
        "\n"
        "### `summit-date`: contradicted\n"
        "\n"
        "| | value | modality | source |\n"
        "| --- | --- | --- | --- |\n"
        "| old | 2025-08 | scheduled | `a2` |\n"
        "| new | 2025-09-18 | asserted | `a3` |\n"
        "\n"
        "**In the file:** 2025-08 -> 2025-09-18\n"
        "<br>**Also changed:** modality: scheduled -> asserted\n"
        "\n"
        "**Source:** `a3` “Summit in Anchorage”, published 2025-08-24/2025-08-31\n"
        "\n"
        "> on September 18, 2025\n"
        "\n"
        "**Standing at head:** contested: 2025-08-15 (a1, a2) vs 2025-09-18 (a3)\n"
        "\n"
        "**Readings this branch adds** (at their place in the story):\n"
        "\n"
        f"- 2025-09-18 from `a3` (published 2025-08-24/2025-08-31; commit `{date_commit[:12]}`): "
        "**contradicted** (2025-08 -> 2025-09-18; modality scheduled -> asserted)\n"
        "  > on September 18, 2025\n"
        "  - finding (time sense): source a3 published by 2025-08-31, reports as past an event "
        "on 2025-09-18\n"
        "  - contradicts 2025-08-15 from `a1` (published earlier, 2025-08-08)\n"
        "  - contradicts 2025-08 from `a2` (published earlier, 2025-08-10)\n"
        "\n"
        "**Check:**\n"
        "\n"
        "- **warning** `claims/summit-date.yaml:6:8` source a3 published by 2025-08-31, reports "
        "as past an event on 2025-09-18 [`time-sense`]\n"
        "\n"
        "### `summit-location`: refined\n"
        "\n"
        "| | value | modality | source |\n"
        "| --- | --- | --- | --- |\n"
        "| old | Alaska | scheduled | `a2` |\n"
        "| new | Alaska > Anchorage | asserted | `a3` |\n"
        "\n"
        "**In the file:** Alaska -> Alaska > Anchorage\n"
        "<br>**Also changed:** modality: scheduled -> asserted\n"
        "\n"
        "**Source:** `a3` “Summit in Anchorage”, published 2025-08-24/2025-08-31\n"
        "\n"
        "> in Anchorage, Alaska\n"
        "\n"
        # a2's Alaska agrees with both sides, so it takes neither.
        "**Standing at head:** contested: Alaska > Juneau (a1) vs Alaska > Anchorage (a3)\n"
        "\n"
        "**Readings this branch adds** (at their place in the story):\n"
        "\n"
        f"- Alaska > Anchorage from `a3` (published 2025-08-24/2025-08-31; commit `{head[:12]}`): "
        "**refined** (Alaska -> Alaska > Anchorage; modality scheduled -> asserted)\n"
        "  > in Anchorage, Alaska\n"
        "  - contradicts Alaska > Juneau from `a1` (published earlier, 2025-08-08)\n"
        "\n"
        "### Sources\n"
        "\n"
        "- `a3` added “Summit in Anchorage”, published 2025-08-24/2025-08-31\n"
        "\n"
        "**Verdict:** ready, with findings to read: 2 claims changed, 1 source changed; "
        "0 errors; 1 warning; 2 contradicting another version.\n"
    )


def test_review_json_shape(claims, story):
    data = json.loads(claims("review", "main..a3", "--format", "json", repo=story).stdout)
    assert set(data) == {"range", "base", "head", "claims", "sources", "summary", "verdict"}
    assert data["summary"] == {"claims": 2, "sources": 1, "errors": 0, "warnings": 1,
                               "contradicting": 2}  # fmt: skip
    assert data["verdict"]["status"] == "ready-with-findings"
    date = data["claims"][0]
    assert set(date) == {"claim", "change", "detail", "old", "new", "error", "path", "source",
                         "contradicts", "problems", "standing", "readings", "notes"}  # fmt: skip
    [added] = date["readings"]
    assert (added["source"], added["change"], added["superseded"], added["quote"]) == (
        "a3",
        "contradicted",
        False,
        "on September 18, 2025",
    )
    assert [(c["source"], c["published_side"]) for c in added["contradicts"]] == [
        ("a1", "earlier"), ("a2", "earlier"),
    ]  # fmt: skip
    assert (date["claim"], date["change"], date["path"]) == (
        "summit-date",
        "contradicted",
        "claims/summit-date.yaml",
    )
    assert date["new"]["quote"] == "on September 18, 2025"
    assert date["source"] == {"id": "a3", "title": "Summit in Anchorage",
                              "published": "2025-08-24/2025-08-31"}  # fmt: skip
    assert [(c["source"], c["value"]) for c in date["contradicts"]] == [
        ("a1", "2025-08-15"), ("a2", "2025-08"),
    ]  # fmt: skip
    assert [p["rule"] for p in date["problems"]] == ["time-sense"]
    assert data["sources"] == [{"id": "a3", "path": "seeds/a3.yaml", "status": "added",
                                "source": {"id": "a3", "title": "Summit in Anchorage",
                                           "published": "2025-08-24/2025-08-31"},
                                "problems": []}]  # fmt: skip


def test_review_lists_errors_and_fails(claims, story):
    git(story, "checkout", "-q", "a3")
    write_files(story, {
        "claims/summit-date.yaml": date_claim("2025-09-18", "asserted", "a3", "on 18 September"),
        "seeds/a3.txt": A3.replace("summit", "meeting"),
    })  # fmt: skip
    git(story, "commit", "-qam", "Hand edits")
    result = claims("review", "main...HEAD", repo=story)
    assert result.exit_code == 1
    assert (
        "- **error** `claims/summit-date.yaml:9:8` quote not found in the text of source 'a3'; "
        "closest passage: \"on September 18, 2025.\" (the article also has 'September'; "
        "'September' where the article has '2025.') [`quote-verbatim`]\n"
    ) in result.stdout
    assert (
        "  - **error** `seeds/a3.yaml:8:9` sha256 does not match the article text" in result.stdout
    )
    assert result.stdout.endswith(
        "**Verdict:** not ready: 2 claims changed, 1 source changed; 2 errors; 1 warning; "
        "2 contradicting another version.\n"
    )


def test_review_output_file_and_github_step_summary(claims, story, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = tmp_path / "review.json"
    result = claims("review", "main", "a3", "--format", "json", "--output", str(out), repo=story)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["range"] == "main..a3"
    text = summary.read_text()
    assert text.startswith("# Earlier step\n## Claims review `main..a3`\n")
    assert text.endswith("2 contradicting another version.\n\n")


def test_three_dots_review_from_the_merge_base(claims, story):
    write_files(story, {"claims/summit-other.yaml": claim_text(
        "summit-other", quote="scheduled to meet next Friday", source="a1")})  # fmt: skip
    git(story, "add", "claims")
    git(story, "commit", "-qm", "Meanwhile on main")
    two = json.loads(claims("review", "main..a3", "--format", "json", repo=story).stdout)
    three = json.loads(claims("review", "main...a3", "--format", "json", repo=story).stdout)
    assert [c["claim"] for c in two["claims"]] == ["summit-date", "summit-location", "summit-other"]
    assert two["claims"][2]["change"] == "removed"  # main has it, the branch does not
    assert [c["claim"] for c in three["claims"]] == ["summit-date", "summit-location"]


def test_review_with_no_claim_changes(claims, story):
    result = claims("review", "main..main", repo=story)
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "No claim or source changed.\n\n**Verdict:** nothing to review: 0 claims changed; "
        "0 errors; 0 warnings; 0 contradicting another version.\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (("main",), "'main' is not a range; give BASE..HEAD or BASE...HEAD"),
        (("a", "b", "c"), "give a range"),
        (("main..nope",), "unknown revision 'nope'"),
        (("--", "main..--output=x"), "invalid revision '--output=x'"),
    ],
)
def test_review_errors(claims, story, args, message):
    assert_one_line_error(claims("review", *args, repo=story), message, code=EXIT_USAGE)


def test_review_outside_git(claims, tmp_path):
    (tmp_path / "claims").mkdir()
    assert_one_line_error(claims("review", "a..b", repo=tmp_path), "not a git repository",
                          code=EXIT_REPO)  # fmt: skip
