"""The story: one version per article in publication order, whatever order they were recorded in."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from claimkit.compare import CONTRADICTED
from claimkit.model import Claim, Source
from claimkit.story import CONSISTENT, CONTESTED, Version, build_story
from conftest import claim_text, git, source_files, write_files
from htmlpage import Page
from hypothesis import given, settings
from hypothesis import strategies as st

A_TEXT = "Trump and Putin will meet in Alaska on August 15, 2025. Talks ended on August 20, 2025.\n"
B_TEXT = "The summit in Anchorage took place on August 15, 2025, officials said.\n"
C_TEXT = "The leaders met on September 18, 2025, in Anchorage.\n"

# Publication order A < B < C; A's "ended on August 20" is a past tense from before that day.
ARTICLES = {
    "A": (A_TEXT, "2025-08-08", "2025-08-20", "asserted", "Talks ended on August 20, 2025"),
    "B": (B_TEXT, "2025-08-16", "2025-08-15", "asserted", "took place on August 15, 2025"),
    "C": (C_TEXT, "2025-09-20", "2025-09-18", "asserted", "met on September 18, 2025"),
}


def article_commit(name: str) -> tuple[str, dict[str, str]]:
    text, published, value, modality, quote = ARTICLES[name]
    files = source_files(name, text, published, f"Article {name}")
    files["claims/summit-date.yaml"] = claim_text(
        value=value, modality=modality, source=name, quote=quote
    )
    return f"Record {name}", files


@pytest.fixture
def recorded(make_repo):
    """recorded('CAB') -> a repository with one commit per article, in that order."""
    start = ("Start", {"README.md": "Claims about the summit.\n"})
    return lambda order: make_repo([start, *[article_commit(n) for n in order]], name=order)


SHA = re.compile(r"\b[0-9a-f]{12,40}\b")
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def normal(data):
    """Commit ids and times, and what only says when a reading was recorded (out-of-order
    marks and notes, the file on disk), taken out."""

    def walk(value):
        if isinstance(value, dict):
            return {
                k: walk(v)
                for k, v in value.items()
                if k
                not in ("commit", "commit_sha", "recorded", "out_of_order", "notes", "head", "file")
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str):
            return TIME.sub("T", SHA.sub("SHA", value))
        return value

    return walk(data)


def json_of(claims, repo, *argv):
    result = claims(*argv, "--format", "json", repo=repo)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def answers(claims, repo) -> dict:
    """What every command says about the claim, with recording-order marks taken out."""
    root = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    log = json_of(claims, repo, "log", "summit-date")
    page = tmp_page(claims, repo)
    review = json_of(claims, repo, "review", f"{root}..HEAD")
    return {
        "log": normal(log),
        "log-text-kinds": [
            line.split()[0]
            for line in claims("log", "summit-date", repo=repo).stdout.splitlines()
            if line.startswith("  ") and not line.startswith(('  "', "  commit", "  time"))
        ],
        "show": normal(json_of(claims, repo, "show", "summit-date")),
        "list": normal(json_of(claims, repo, "list")),
        "check": normal(json_of(claims, repo, "check")),
        # Between the states after two articles, in story order (a diff of one commit
        # compares the stories as of its parent and itself, and so follows recording order).
        "diff-sources": [
            normal(json_of(claims, repo, "diff", "--sources", first, second))
            for first, second in (("A", "B"), ("B", "C"), ("A", "C"), ("C", "A"))
        ],
        "review": sorted(
            (r["source"], r["change"], tuple(c["source"] for c in r["contradicts"]))
            for c in review["claims"]
            for r in c["readings"]
        ),
        "review-standing": normal(review["claims"][0]["standing"]),
        "export": normal(
            {k: v for k, v in json_of(claims, repo, "export").items() if k != "sources"}
        ),
        "timeline": page,
    }


def tmp_page(claims, repo: Path) -> tuple:
    target = repo.parent / f"{repo.name}-timeline.html"
    result = claims("timeline", "--output", str(target), repo=repo)
    assert result.exit_code == 0, result.output
    page = Page(target.read_text(encoding="utf-8"))
    return page.lanes, page.marks, page.labels


def test_recording_order_changes_nothing_but_the_out_of_order_marks(claims, recorded):
    in_order, late = recorded("ABC"), recorded("CAB")
    expected, found = answers(claims, in_order), answers(claims, late)
    for command in expected:
        assert found[command] == expected[command], command
    # What the story is, in every command.
    log = expected["log"]
    assert [(v["source"], v["change"]) for v in log["versions"]] == [
        ("A", "first-report"), ("B", "contradicted"), ("C", "contradicted"),
    ]  # fmt: skip
    assert [g["sources"] for g in log["standing"]["groups"]] == [["A"], ["B"], ["C"]]
    assert expected["show"]["claim"]["value"] == "2025-09-18"
    assert expected["list"]["claims"][0]["source"] == "C"
    assert expected["export"]["claims"][0]["value"] == "2025-09-18"
    # Both findings stand, whichever article is in the file on disk.
    warnings = [p["message"] for p in expected["check"]["problems"]]
    assert any("source A published by 2025-08-08" in m for m in warnings)
    assert any("source C published by 2025-09-20" in m for m in warnings) is False
    # Only the late recording says so.
    marks = [v["out_of_order"] for v in json_of(claims, late, "log", "summit-date")["versions"]]
    assert marks == [True, True, False]


def test_show_says_when_the_file_is_not_the_story_end(claims, recorded):
    late = recorded("CAB")  # B, an older article, is recorded last: the file holds it
    text = claims("show", "summit-date", repo=late).stdout
    assert "value           2025-09-18\n" in text
    assert text.endswith(
        "standing        contested: 2025-08-20 (A) vs 2025-08-15 (B) vs 2025-09-18 (C)\n"
        "story           the file holds the reading from B (2025-08-15); the story's current "
        "version is C's, published 2025-09-20\n"
    )


def test_record_of_an_older_article_says_it_is_out_of_story_order(claims, recorded):
    repo = recorded("AC")
    write_files(repo, source_files("B", B_TEXT, "2025-08-16", "Article B"))
    git(repo, "add", "seeds")
    git(repo, "commit", "-qm", "Add source B")
    result = claims(
        "record", "summit-date", "--source", "B", "--value", "2025-08-15", "--quote",
        "took place on August 15, 2025", "--commit", repo=repo,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "summit-date: 2025-08-20 -> 2025-08-15 (contradicted) [B]"
    assert lines[2:] == [
        "recorded out of story order: 2025-08-15 precedes C's version; the current value stays "
        "2025-09-18",
        "effect on C: stays contradicted (2025-08-15 -> 2025-09-18)",
    ]
    shown = json_of(claims, repo, "show", "summit-date")
    assert shown["claim"]["value"] == "2025-09-18" and shown["file"]["value"] == "2025-08-15"


def test_an_article_read_again_is_an_edit_not_a_version(claims, recorded):
    repo = recorded("AB")
    path = repo / "claims" / "summit-date.yaml"
    path.write_text(path.read_text().replace("modality: asserted", "modality: alleged"))
    git(repo, "commit", "-qam", "Reread A? no: B again")
    log = json_of(claims, repo, "log", "summit-date")
    assert [(v["source"], v["edits"]) for v in log["versions"]] == [("A", 0), ("B", 1)]
    readings = json_of(claims, repo, "log", "summit-date", "--all-readings")["versions"]
    assert [(v["source"], v["change"]) for v in readings] == [
        ("A", "first-report"), ("B", "contradicted"), ("B", "edited"),
    ]  # fmt: skip


def test_claims_commit_makes_one_commit_per_article(claims, make_repo):
    repo = make_repo([article_commit("A")])
    write_files(repo, source_files("C", C_TEXT, "2025-09-20", "Article C"))
    write_files(repo, {"claims/summit-place.yaml": claim_text(
        "summit-place", property="place", type="place", value=["Alaska", "Anchorage"],
        modality="asserted", source="C", quote="in Anchorage")})  # fmt: skip
    record = claims(
        "record", "summit-date", "--source", "C", "--value", "2025-09-18", "--quote",
        "met on September 18, 2025", repo=repo,
    )  # fmt: skip
    assert record.exit_code == 0, record.output
    result = claims("commit", repo=repo)
    assert result.exit_code == 0, result.output
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
    names = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert names == ["claims/summit-date.yaml", "claims/summit-place.yaml", "seeds/C.txt",
                     "seeds/C.yaml"]  # fmt: skip
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith(
        "Record C: Article C\n\n"
        "summit-date: 2025-08-20 -> 2025-09-18 (contradicted) [C]\n"
        "summit-place: Alaska > Anchorage (first-report) [C]\n"
    )
    assert "Source: C\nClaim: summit-date\nClaim: summit-place" in message
    assert git(repo, "status", "--porcelain") == ""
    again = claims("commit", repo=repo)
    assert again.exit_code != 0 and "no uncommitted claim file" in again.stderr


def test_after_orders_articles_whose_dates_tie(claims, make_repo):
    first = source_files("S1", "They met on August 15, 2025.\n", "2025-08-15", "One")
    second = source_files("S2", "Update: they met in August.\n", "2025-08-15", "Two")
    second["seeds/S2.yaml"] += "after:\n  - S1\n"
    first_claim = claim_text(
        value="2025-08-15", modality="asserted", source="S1", quote="met on August 15"
    )
    second_claim = claim_text(
        value="2025-08", modality="asserted", source="S2", quote="met in August"
    )
    # S2 recorded first: without `after` commit order would put it first.
    repo = make_repo([{**first, **second, "claims/summit-date.yaml": second_claim},
                      {"claims/summit-date.yaml": first_claim}])  # fmt: skip
    log = json_of(claims, repo, "log", "summit-date")
    assert [(v["source"], v["change"], v["uncertain_order"]) for v in log["versions"]] == [
        ("S1", "first-report", []), ("S2", "broadened", []),
    ]  # fmt: skip
    result = claims("check", repo=repo)
    assert result.exit_code == 0, result.output


# The story core, on any history ----------------------------------------------------------------

VALUES = st.sampled_from(["2025-08", "2025-08-15", "2025-09-18", "2025-08-11/2025-08-17", "bad"])
PUBLISHED = st.sampled_from(["2025-08-01", "2025-08-02", "2025-08", "2025-08-02/2025-08-09"])


@st.composite
def articles(draw):
    count = draw(st.integers(1, 5))
    return [
        (f"s{n}", draw(PUBLISHED), draw(VALUES), draw(st.sampled_from(["asserted", "alleged"])))
        for n in range(count)
    ]


def readings_in(order, articles) -> list[Version]:
    readings = []
    for commit, index in enumerate(order):
        source_id, published, value, modality = articles[index]
        source = Source(source_id, "t", None, None, published, "b", "0", Path(f"{source_id}.yaml"))
        claim = Claim("c", "e", "p", "date", value, modality, source_id, "q")
        readings.append(Version("c", f"{commit:040d}", "r", "p", "b", commit, claim, None, source))
    return readings


def told(story):
    return (
        [(v.source_id, v.change, v.detail, v.uncertain) for v in story.versions],
        story.standing,
        story.current.source_id if story.current else None,
    )


@settings(max_examples=200, deadline=None)
@given(articles(), st.randoms())
def test_the_story_does_not_depend_on_recording_order_where_publication_decides(items, rng):
    """Articles with distinct publication intervals: any recording order, one story."""
    by_interval = {}
    for index, (_, published, _, _) in enumerate(items):
        by_interval.setdefault(published, index)
    distinct = sorted(by_interval.values())
    shuffled = list(distinct)
    rng.shuffle(shuffled)
    expected = build_story("c", readings_in(distinct, items))
    assert told(build_story("c", readings_in(shuffled, items))) == told(expected)


@settings(max_examples=200, deadline=None)
@given(articles())
def test_standing_is_contested_exactly_when_some_pair_contradicts(items):
    story = build_story("c", readings_in(range(len(items)), items))
    from claimkit.compare import compare_values

    values = [v.claim.value for v in story.versions]
    clash = any(
        compare_values("date", a, b).relation == "contradicted"
        for a, b in itertools.combinations(values, 2)
    )
    assert story.standing.state == (CONTESTED if clash else CONSISTENT)
    if not clash:
        best = story.standing.value
        assert best is None or all(
            compare_values("date", v, best).relation in ("same", "refined") for v in values
        )
    assert any(v.change == CONTRADICTED for v in story.versions) <= (
        story.standing.state == CONTESTED
    )


def test_consistent_standing_names_the_most_specific_value():
    items = [("s0", "2025-08-01", "2025-08", "asserted"),
             ("s1", "2025-08-02", "2025-08-11/2025-08-17", "asserted"),
             ("s2", "2025-08-03", "2025-08-15", "asserted")]  # fmt: skip
    standing = build_story("c", readings_in([2, 0, 1], items)).standing
    assert (standing.state, standing.value) == (CONSISTENT, "2025-08-15")


def test_contested_groups_name_only_the_sources_that_take_a_side():
    # s0's open interval and s3's open date agree with both sides: they back neither. s2 says
    # 2025-09-18 but also, in the same article, a day before the 24th: it stands on both sides.
    items = [("s0", "2025-08-01", "2025-08-11/..", "asserted"),
             ("s1", "2025-08-02", "2025-08-15", "asserted"),
             ("s2", "2025-08-03", "2025-09-18", "asserted"),
             ("s3", "2025-08-04", "../..", "asserted"),
             ("s4", "2025-08-05", "2025-08", "asserted")]  # fmt: skip
    versions = readings_in(range(5), items)
    also = [{"value": "../2025-08-24", "quote": "q"}]
    versions[2] = replace(versions[2], claim=replace(versions[2].claim, also=also))
    standing = build_story("c", versions).standing
    assert standing.state == CONTESTED
    assert [(g.value, g.sources) for g in standing.groups] == [
        ("2025-08-15", ("s1", "s2", "s4")),
        ("2025-09-18", ("s2",)),
    ]


def test_a_merge_commit_is_the_reading_on_the_first_parent_line(claims, make_repo):
    repo = make_repo([article_commit("A")])
    git(repo, "checkout", "-q", "-b", "side")
    _, files = article_commit("B")
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Record B on a branch")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge B", "side")
    merge = git(repo, "rev-parse", "HEAD").strip()
    log = json_of(claims, repo, "log", "summit-date")
    assert [(v["source"], v["commit"]) for v in log["versions"]][-1] == ("B", merge)


def test_review_markdown_heads_with_the_story_kind_and_shows_the_file_change_without_one(
    recorded, claims
):
    # Recorded C, A, B: B's file replaces A's, but in the story B follows A and precedes C.
    repo = recorded("CAB")
    result = claims("review", "HEAD~1..HEAD", repo=repo)
    assert result.exit_code in (0, 1), result.output
    heading = next(line for line in result.stdout.splitlines() if line.startswith("### "))
    assert heading == "### `summit-date`: contradicted"
    assert "**In the file:** 2025-08-20 -> 2025-08-15\n" in result.stdout
    assert "(contradicted)" not in result.stdout.split("**In the file:**")[1].splitlines()[0]


def test_story_findings_the_same_from_each_claims_log_and_the_whole_history(
    claims, recorded, monkeypatch
):
    from claimkit import story_findings

    repo = recorded("CAB")
    used = []
    from_cache = story_findings._from_cached_history
    monkeypatch.setattr(story_findings, "_from_cached_history",
                        lambda *a: used.append(found := from_cache(*a)) or found)  # fmt: skip
    monkeypatch.setattr(story_findings, "FEW", 0)
    monkeypatch.setattr(story_findings, "MANY", 0)  # every claim from the whole history
    whole = claims("check", "--format", "json", repo=repo).stdout
    monkeypatch.setattr(story_findings, "MANY", 1000)  # from the cache the whole read left
    cached = claims("check", "--format", "json", repo=repo).stdout
    assert used and used[-1] is not None
    monkeypatch.setattr(story_findings, "FEW", 16)  # each claim from its own log
    few = claims("check", "--format", "json", repo=repo).stdout
    assert few == cached == whole
    assert "source A published by 2025-08-08" in few
