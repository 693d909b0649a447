"""History: `claims log`, `show --at/--as-of`, `list --as-of`, `diff`, `blame`, on throwaway repos."""

from __future__ import annotations

import json
import subprocess

import pytest
from claimkit.errors import EXIT_REPO, EXIT_USAGE
from conftest import assert_one_line_error, claim_text, date_claim, git, write_files


def log_json(claims, repo, *args):
    result = claims("log", *args, "--format", "json", repo=repo)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_log_orders_by_published_date_and_names_change_kinds(claims, story):
    data = log_json(claims, story, "summit-date")
    rows = [(v["source"], v["change"], v["detail"], v["out_of_order"]) for v in data["versions"]]
    assert rows == [
        ("a1", "first-report", "", False),
        ("a2", "broadened", "2025-08-15 -> 2025-08; modality scheduled -> asserted", True),
        ("a3", "contradicted", "2025-08 -> 2025-09-18", False),
    ]


def test_log_json_shape(claims, story):
    data = log_json(claims, story, "summit-date")
    assert set(data) == {"claim", "truncated", "standing", "versions"}
    assert data["standing"]["state"] == "contested"
    assert data["claim"] == "summit-date" and data["truncated"] is False
    first = data["versions"][0]
    assert set(first) == {"commit", "recorded", "source", "title", "published", "value", "modality",
                          "change", "detail", "quote", "out_of_order", "edits",
                          "uncertain_order"}  # fmt: skip
    assert first["title"] == "Set to meet in Alaska"
    assert first["published"] == "2025-08-08"
    assert first["value"] == "2025-08-15"
    assert first["quote"] == "scheduled to meet next Friday in Alaska"
    assert first["commit"] == git(story, "rev-list", "--max-parents=0", "HEAD").strip()


def test_place_refinement(claims, story):
    data = log_json(claims, story, "summit-location")
    assert [(v["change"], v["detail"]) for v in data["versions"]] == [
        ("first-report", ""),
        ("refined", "Alaska -> Alaska > Anchorage; modality scheduled -> asserted"),
    ]


def test_log_text(claims, story):
    text = claims("log", "summit-date", repo=story).stdout
    assert text.startswith(
        "summit-date  3 versions\ncontested: 2025-08-15 (a1, a2) vs 2025-09-18 (a3)\n\n"
        "2025-08-08  a1  Set to meet in Alaska\n"
    )
    assert "order uncertain against a2\n" in text  # 2025-08-15/.. overlaps a3's week
    assert "  first-report  2025-08-15  [scheduled]\n" in text
    assert '  "scheduled to meet next Friday in Alaska"\n  time expression: next Friday\n' in text
    assert "2025-08-15/..  a2  They met\n" in text
    assert "recorded out of chronological order" in text
    assert "  contradicted  2025-09-18  [asserted]  (2025-08 -> 2025-09-18)\n" in text
    assert "\x1b[" not in text  # no colour off a terminal


def test_log_markdown(claims, story):
    text = claims("log", "summit-date", "--format", "markdown", repo=story).stdout
    assert (
        "| 2025-08-24/2025-08-31 (2025-08-24 to 2025-08-31) | a3 | contradicted (order uncertain against a2) | 2025-09-18 (2025-08 -> 2025-09-18) | asserted | on September 18, 2025 |"
        in text
    )


def test_log_by_recorded_reverse_limit_and_dates(claims, story):
    recorded = log_json(claims, story, "summit-date", "--by", "recorded")
    # Recording order, but every change kind is the story's: a2 broadens a1, whenever recorded.
    assert [(v["source"], v["change"]) for v in recorded["versions"]] == [
        ("a1", "first-report"), ("a3", "contradicted"), ("a2", "broadened"),
    ]  # fmt: skip
    assert recorded["versions"][2]["out_of_order"] is True
    reverse = log_json(claims, story, "summit-date", "--reverse", "-n", "1")
    assert [v["source"] for v in reverse["versions"]] == ["a3"]
    window = log_json(
        claims, story, "summit-date", "--since", "2025-08-10", "--until", "2025-08-20"
    )
    assert [v["source"] for v in window["versions"]] == ["a2"]


def test_edited_version_keeps_its_source(claims, story):
    write_files(
        story,
        {
            "claims/summit-date.yaml": date_claim(
                "2025-09-18",
                "asserted",
                "a3",
                "met for a summit in Anchorage, Alaska, on September 18, 2025",
            )
        },
    )
    git(story, "commit", "-qam", "Fix quote")
    # A second reading of a3 is an edit of a3's version, not a version of its own.
    versions = log_json(claims, story, "summit-date")["versions"]
    assert [(v["source"], v["change"], v["edits"]) for v in versions] == [
        ("a1", "first-report", 0), ("a2", "broadened", 0), ("a3", "contradicted", 1),
    ]  # fmt: skip
    assert versions[-1]["quote"].startswith("met for a summit")
    readings = log_json(claims, story, "summit-date", "--all-readings")["versions"]
    assert [(v["source"], v["change"], v["detail"]) for v in readings] == [
        ("a1", "first-report", ""), ("a2", "broadened", "2025-08-15 -> 2025-08; modality scheduled -> asserted"),
        ("a3", "contradicted", "2025-08 -> 2025-09-18"), ("a3", "edited", ""),
    ]  # fmt: skip


def test_unreadable_version_is_shown_not_fatal(claims, story):
    write_files(story, {"claims/summit-date.yaml": "id: [\n"})
    git(story, "commit", "-qam", "Break it")
    write_files(
        story,
        {
            "claims/summit-date.yaml": date_claim(
                "2025-09-18", "asserted", "a3", "on September 18, 2025"
            )
        },
    )
    git(story, "commit", "-qam", "Mend it")
    versions = log_json(claims, story, "summit-date")["versions"]
    broken = [v for v in versions if v["change"] == "unreadable"]
    assert len(broken) == 1 and "invalid YAML" in broken[0]["detail"] and broken[0]["commit"]


def test_renamed_claim_keeps_its_history(claims, story):
    git(story, "mv", "claims/summit-date.yaml", "claims/summit-day.yaml")
    write_files(
        story,
        {
            "claims/summit-day.yaml": date_claim(
                "2025-09-18", "asserted", "a3", "on September 18, 2025"
            ).replace("id: summit-date", "id: summit-day")
        },
    )
    git(story, "commit", "-qam", "Rename")
    versions = log_json(claims, story, "summit-day")["versions"]
    assert len(versions) == 3  # the renamed file's reading of a3 is an edit of a3's version
    readings = log_json(claims, story, "summit-day", "--all-readings")["versions"]
    assert len(readings) == 4


def test_shallow_clone_says_history_is_truncated(claims, story, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{story}", str(clone)], check=True
    )
    data = log_json(claims, clone, "summit-date")
    assert data["truncated"] is True and len(data["versions"]) == 1
    assert "history is truncated" in claims("log", "summit-date", repo=clone).stdout


@pytest.mark.parametrize(
    "claim_id, message", [("summit-dat", "did you mean summit-date"), ("../x", "invalid claim id")]
)
def test_log_errors(claims, story, claim_id, message):
    assert_one_line_error(claims("log", claim_id, repo=story), message, code=EXIT_USAGE)


def test_log_outside_git(claims, tmp_path):
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "x.yaml").write_text(claim_text("x"))
    assert_one_line_error(claims("log", "x", repo=tmp_path), "not a git repository", code=EXIT_REPO)


def test_show_at_and_as_of(claims, story):
    at = claims("show", "summit-date", "--at", "HEAD~2", "--format", "json", repo=story)
    assert json.loads(at.stdout)["claim"]["value"] == "2025-08-15"
    for day, value in [
        ("2025-08-09", "2025-08-15"),
        ("2025-08-20", "2025-08"),
        ("2025-09", "2025-09-18"),
    ]:
        result = claims("show", "summit-date", "--as-of", day, "--format", "json", repo=story)
        assert json.loads(result.stdout)["claim"]["value"] == value, day
    raw = claims(
        "show", "summit-date", "--as-of", "2025-08-09", "--format", "yaml", repo=story
    ).stdout
    assert "value: 2025-08-15\n" in raw
    assert_one_line_error(
        claims("show", "summit-date", "--as-of", "2025-08-01", repo=story),
        "no version of summit-date from a source published by 2025-08-01",
    )


@pytest.mark.parametrize(
    "rev, message",
    [
        ("--output=/tmp/x", "invalid revision"),
        ("HEAD;rm -rf", "unknown revision"),
        ("nope", "unknown revision 'nope'"),
    ],
)
def test_bad_revisions(claims, story, rev, message):
    assert_one_line_error(
        claims("show", "summit-date", "--at", rev, repo=story), message, code=EXIT_USAGE
    )
    assert_one_line_error(claims("diff", "--", rev, repo=story), message, code=EXIT_USAGE)


def test_list_shows_versions_contested_and_as_of(claims, story):
    data = json.loads(claims("list", "--format", "json", repo=story).stdout)["claims"]
    assert [(c["id"], c["versions"], c["standing"]["state"]) for c in data] == [
        ("summit-date", 3, "contested"),
        ("summit-location", 2, "consistent"),
    ]
    assert data[1]["standing"]["value"] == ["Alaska", "Anchorage"]
    assert [(g["text"], g["sources"]) for g in data[0]["standing"]["groups"]] == [
        ("2025-08-15", ["a1", "a2"]), ("2025-09-18", ["a3"]),
    ]  # fmt: skip
    early = json.loads(
        claims("list", "--as-of", "2025-08-20", "--format", "json", repo=story).stdout
    )["claims"]
    assert [(c["id"], c["value"]) for c in early] == [
        ("summit-date", "2025-08"),
        ("summit-location", ["Alaska"]),
    ]


def test_diff_working_tree_and_revisions(claims, story):
    assert claims("diff", "--exit-code", repo=story).stdout == "no claim differs\n"
    write_files(
        story, {"claims/summit-date.yaml": date_claim("2025-09", "asserted", "a2", "in August")}
    )
    result = claims("diff", "--exit-code", repo=story)
    assert result.exit_code == 1
    # The file changes a2's reading; the kind is the version's against its story predecessor
    # (a1), and the diff says what the edit does to the story.
    assert result.stdout == (
        "summit-date: 2025-08 -> 2025-09 (contradicted)  [a2 -> a2]\n"
        "  2025-08-15 -> 2025-09; modality scheduled -> asserted\n"
        "  edits a2's version (an article read again)\n"
        "  recorded out of story order: 2025-09 precedes a3's version; the current value stays "
        "2025-09-18\n"
        "  effect on a3: contradicted -> refined (2025-09 -> 2025-09-18)\n"
    )
    between = json.loads(claims("diff", "HEAD~2..HEAD~1", "--format", "json", repo=story).stdout)
    assert [(d["claim"], d["change"]) for d in between["claims"]] == [
        ("summit-date", "contradicted"),
        ("summit-location", "refined"),
    ]
    assert (
        between["claims"][0]["old"]["source"] == "a1"
        and between["claims"][0]["new"]["quote"] == "on September 18, 2025"
    )
    same = claims("diff", "HEAD~2", "HEAD~1", "--format", "markdown", repo=story).stdout
    assert "| `summit-location` | Alaska | Alaska > Anchorage | refined | a1 → a3 |" in same


def test_diff_between_revisions_compares_files_unless_asked_for_the_story(claims, story):
    # HEAD records a2 (published second) after a3: the file it replaced is a3's reading,
    # its story predecessor is a1's.
    files = claims("diff", "HEAD~1", "HEAD", repo=story)
    assert files.stdout == ("summit-date: 2025-09-18 -> 2025-08 (contradicted)  [a3 -> a2]\n")
    placed = claims("diff", "HEAD~1", "HEAD", "--story", repo=story)
    assert placed.stdout == (
        "summit-date: 2025-09-18 -> 2025-08 (broadened)  [a3 -> a2]\n"
        "  2025-08-15 -> 2025-08; modality scheduled -> asserted\n"
        "  recorded out of story order: 2025-08 precedes a3's version; the current value stays "
        "2025-09-18\n"
        "  effect on a3: stays contradicted (2025-08 -> 2025-09-18)\n"
    )
    as_json = json.loads(claims("diff", "HEAD~1", "HEAD", "--format", "json", repo=story).stdout)
    assert [(d["change"], d["notes"]) for d in as_json["claims"]] == [("contradicted", [])]
    # The working tree against a revision compares files too; against HEAD, the story.
    write_files(
        story, {"claims/summit-date.yaml": date_claim("2025-09", "asserted", "a2", "in August")}
    )
    assert (
        claims("diff", "HEAD", "--format", "json", repo=story).stdout
        == claims("diff", "--no-story", "--format", "json", repo=story).stdout
    )
    edited = json.loads(claims("diff", "--no-story", "--format", "json", repo=story).stdout)
    assert [(d["change"], d["detail"], d["notes"]) for d in edited["claims"]] == [
        ("edited", "2025-08 -> 2025-09", [])
    ]
    assert json.loads(claims("diff", "HEAD", "--story", "--format", "json", repo=story).stdout) \
        == json.loads(claims("diff", "--format", "json", repo=story).stdout)  # fmt: skip
    assert_one_line_error(
        claims("diff", "--sources", "a1", "a3", "--story", repo=story),
        "--story and --no-story cannot be combined with --sources",
        code=EXIT_USAGE,
    )


def test_diff_new_and_removed_claims(claims, story):
    write_files(
        story,
        {
            "claims/extra.yaml": claim_text("extra", source="a1", quote="in Alaska"),
            "claims/summit-location.yaml": None,
        },
    )
    data = json.loads(claims("diff", "--format", "json", repo=story).stdout)["claims"]
    assert [(d["claim"], d["change"]) for d in data] == [
        ("extra", "added"),
        ("summit-location", "removed"),
    ]


def test_diff_sources_in_publication_order(claims, story):
    data = json.loads(
        claims("diff", "--sources", "a1", "a3", "--format", "json", repo=story).stdout
    )["claims"]
    assert [(d["claim"], d["change"], d["old"]["value"], d["new"]["value"]) for d in data] == [
        ("summit-date", "contradicted", "2025-08-15", "2025-09-18"),
        ("summit-location", "refined", ["Alaska"], ["Alaska", "Anchorage"]),
    ]
    middle = json.loads(
        claims("diff", "--sources", "a1", "a2", "--format", "json", repo=story).stdout
    )["claims"]
    assert [d["claim"] for d in middle] == ["summit-date"]
    assert_one_line_error(
        claims("diff", "--sources", "a1", "zz", repo=story),
        "unknown source with recorded versions 'zz'",
    )


def test_blame(claims, story):
    rows = json.loads(claims("blame", "summit-location", "--format", "json", repo=story).stdout)[
        "fields"
    ]
    by_field = {r["field"]: r for r in rows}
    first, second = git(story, "rev-list", "--reverse", "HEAD").split()[:2]
    assert by_field["id"]["commit"] == first and by_field["id"]["source"] == "a1"
    assert (
        by_field["value"]["commit"] == second
        and by_field["value"]["published"] == "2025-08-24/2025-08-31"
    )
    text = claims("blame", "summit-location", repo=story).stdout
    assert "value     Alaska, Anchorage" in text
