"""`list`, `export` and `timeline` answer from the stories kept in the cache only what nothing
they depend on has changed under: every answer with the cache is the answer without it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from claimkit import storycache
from conftest import A1, A2, A3, claim_text, date_claim, git, place_claim, source_files, write_files

STORIES = Path(".git") / "claims-cache" / storycache.STORIES_FILE
DATES = ("2025-08-10", "2025-08-20", "2025-09-30")
VOCABULARY = "people:\n  Donald Trump: [Trump]\n"


@pytest.fixture
def told(monkeypatch):
    """The claims whose story was told (not put together from the cache), by id."""
    seen: list[str] = []
    original = storycache.build_story

    def counting(claim_id, readings):
        seen.append(claim_id)
        return original(claim_id, readings)

    monkeypatch.setattr(storycache, "build_story", counting)
    return seen


def people_claim(value, source, quote):
    return claim_text(
        "summit-people", property="participants", type="people", value=value,
        modality="asserted", source=source, quote=quote,
    )  # fmt: skip


def sources(a2_published="2025-08-15/..") -> dict[str, str]:
    return {
        **source_files("a1", A1, "2025-08-08", "Set to meet in Alaska"),
        **source_files("a2", A2, a2_published, "They met"),
        **source_files("a3", A3, "2025-08-24/2025-08-31", "Summit in Anchorage"),
    }


def history() -> list:
    """Three articles, the one published second recorded last; three claims."""
    return [
        ("Record a1", {
            **sources(),
            "claims/_vocabulary.yaml": "people:\n  Vladimir Putin: [Putin]\n",
            "claims/summit-date.yaml": date_claim("2025-08-15", "scheduled", "a1", "scheduled to meet next Friday in Alaska"),
            "claims/summit-location.yaml": place_claim(["Alaska"], "scheduled", "a1", "meet next Friday in Alaska"),
            "claims/summit-people.yaml": people_claim("[Trump, Putin]", "a1", "Trump and Putin"),
        }),
        ("Record a3", {
            "claims/summit-date.yaml": date_claim("2025-09-18", "asserted", "a3", "on September 18, 2025"),
            "claims/summit-location.yaml": place_claim(["Alaska", "Anchorage"], "asserted", "a3", "in Anchorage, Alaska"),
            "claims/summit-people.yaml": people_claim("[Donald Trump, Putin]", "a3", "Trump and Putin met"),
        }),
        ("Record a2", {
            "claims/summit-date.yaml": date_claim("2025-08", "asserted", "a2", "in August"),
        }),
    ]  # fmt: skip


def answers(claims, repo: Path, out: Path) -> dict[str, str]:
    """Every whole-history answer: list (as of several dates, now, --all), export as JSON,
    CSV and SQLite (its dump), the timeline (with and without retired claims)."""
    found = {}
    for day in DATES:
        found[f"list {day}"] = claims("list", "--as-of", day, repo=repo).output
    found["list"] = claims("list", repo=repo).output
    found["list --all"] = claims("list", "--all", repo=repo).output
    for fmt in ("json", "csv"):
        found[fmt] = claims("export", "--format", fmt, repo=repo).output
    database = out / "export.sqlite"
    database.unlink(missing_ok=True)
    assert claims("export", "--format", "sqlite", "-o", str(database), repo=repo).exit_code == 0
    with sqlite3.connect(database) as connection:
        found["sqlite"] = "\n".join(connection.iterdump())
    for extra in ((), ("--all",)):
        page = out / "timeline.html"
        page.unlink(missing_ok=True)  # so that a page left by the run before is never read
        assert claims("timeline", *extra, "-o", str(page), repo=repo).exit_code == 0
        found[f"timeline {extra}"] = page.read_text(encoding="utf-8")
    return found


def uncached(claims, repo: Path, out: Path) -> dict[str, str]:
    before = os.environ.get("CLAIMS_CACHE")
    os.environ["CLAIMS_CACHE"] = "0"
    try:
        return answers(claims, repo, out)
    finally:
        if before is None:
            del os.environ["CLAIMS_CACHE"]
        else:
            os.environ["CLAIMS_CACHE"] = before


def cached(claims, repo: Path, out: Path) -> dict[str, str]:
    """The answers with the cache, after checking that they are the answers without it."""
    found = answers(claims, repo, out)
    expected = uncached(claims, repo, out)
    for name in expected:
        assert found[name] == expected[name], name
    return found


@pytest.fixture
def summit(make_repo, tmp_path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    out.mkdir()
    return make_repo(history()), out


def test_an_unchanged_history_tells_no_story_again(claims, summit, told):
    repo, out = summit
    first = cached(claims, repo, out)
    assert (repo / STORIES).is_file()
    assert "summit-date" in told
    told.clear()
    assert answers(claims, repo, out) == first
    assert told == []  # every story came from the cache
    assert "contradicted" in first["json"] and "out_of_order" in first["csv"]


def test_a_committed_edit_tells_only_that_claims_story_again(claims, summit, told):
    repo, out = summit
    cached(claims, repo, out)
    write_files(repo, {"claims/summit-date.yaml": date_claim("2025-08-14", "asserted", "a2", "in August")})  # fmt: skip
    git(repo, "commit", "-qam", "Correct a2's reading")
    told.clear()
    answers(claims, repo, out)
    assert set(told) == {"summit-date"}
    cached(claims, repo, out)


def test_a_new_article_and_a_new_claim(claims, summit):
    repo, out = summit
    cached(claims, repo, out)
    write_files(repo, {
        **source_files("a4", "Anchorage hosted the talks in August.\n", "2025-08-12", "Talks"),
        "claims/summit-location.yaml": place_claim(["Anchorage"], "asserted", "a4", "Anchorage"),
        "claims/summit-host.yaml": claim_text("summit-host", property="host", type="text",
                                              value="Anchorage", source="a4", quote="Anchorage"),
    })  # fmt: skip
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Record a4")
    cached(claims, repo, out)


def test_a_sources_published_date_changed_in_the_work_tree(claims, summit, trusting):
    repo, out = summit
    before = cached(claims, repo, out)
    # a2 now published after a3: the story's order, change kinds and as-of answers move.
    write_files(repo, sources(a2_published="2025-09-20"))
    after = cached(claims, repo, out)
    assert after["json"] != before["json"] and after["list 2025-08-20"] != before["list 2025-08-20"]


def test_a_sources_order_metadata_changed(claims, make_repo, tmp_path, trusting):
    out = tmp_path / "out"
    out.mkdir()
    same_day = {**source_files("b1", A1, "2025-08-08"), **source_files("b2", A2, "2025-08-08")}
    repo = make_repo([
        {**same_day, "claims/summit-date.yaml": date_claim("2025-08-15", "scheduled", "b2", "x")},
        {"claims/summit-date.yaml": date_claim("2025-08-16", "asserted", "b1", "y")},
    ])  # fmt: skip
    before = cached(claims, repo, out)
    meta = repo / "seeds" / "b1.yaml"
    meta.write_text(meta.read_text() + "after: [b2]\n", encoding="utf-8")
    after = cached(claims, repo, out)
    assert after["csv"] != before["csv"]


def test_the_vocabulary_changed(claims, summit, told):
    repo, out = summit
    before = cached(claims, repo, out)
    write_files(repo, {"claims/_vocabulary.yaml": VOCABULARY})
    told.clear()
    after = cached(claims, repo, out)
    assert "summit-people" in told
    assert after["json"] != before["json"]  # Trump and Donald Trump are one person now
    git(repo, "commit", "-qam", "Trump's alias")
    cached(claims, repo, out)


def test_a_deleted_claim(claims, summit):
    repo, out = summit
    cached(claims, repo, out)
    git(repo, "rm", "-q", "claims/summit-location.yaml")
    git(repo, "commit", "-qm", "Drop the location")
    cached(claims, repo, out)


def test_a_self_contradictory_reading_and_a_retired_claim(claims, summit):
    repo, out = summit
    before = cached(claims, repo, out)
    text = date_claim("2025-08", "asserted", "a2", "in August")
    also = "also:\n  - value: 2025-09-18\n    quote: on September 18, 2025\n"
    write_files(repo, {"claims/summit-date.yaml": text + also})
    git(repo, "commit", "-qam", "a2 says two things")
    middle = cached(claims, repo, out)
    assert middle["json"] != before["json"]
    retired = text + "superseded_by:\n  - summit-location\n"
    write_files(repo, {"claims/summit-date.yaml": retired})
    git(repo, "commit", "-qam", "Retire the date")
    after = cached(claims, repo, out)
    assert after["timeline ()"] != middle["timeline ()"]  # retired: not drawn


def test_an_unreadable_cache_is_rebuilt(claims, summit, told):
    repo, out = summit
    first = cached(claims, repo, out)
    path = repo / STORIES
    path.write_bytes(path.read_bytes()[:-20])  # cut short: its signature no longer holds
    told.clear()
    assert answers(claims, repo, out) == first
    assert "summit-date" in told
    told.clear()
    answers(claims, repo, out)
    assert told == []  # written again


def test_the_digest_is_what_keeps_the_answers_true(claims, summit, monkeypatch):
    """With a claim's digest blind to its sources, an edited source's stale story would be
    answered: the tests above would see it."""
    repo, out = summit
    monkeypatch.setattr(storycache.ClaimDigests, "of", lambda self, claim_id: "blind")
    answers(claims, repo, out)
    write_files(repo, sources(a2_published="2025-09-20"))
    stale = answers(claims, repo, out)
    assert stale["json"] != uncached(claims, repo, out)["json"]
