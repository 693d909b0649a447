"""`claims check` answers from its cache only what nothing has changed under: every edit of a
file a result depends on is seen, whether the file was changed just now or long ago."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from claimkit import check, story_findings
from conftest import ARTICLE, LATER_ARTICLE, base_files, claim_text, git, source_files, write_files

CACHED = Path(".git") / "claims-cache" / "check.json"


@pytest.fixture
def counted(monkeypatch):
    """The files the rules actually ran on, by name."""
    seen: list[str] = []
    original = check.check_file

    def counting(context, file, *args, **kwargs):
        seen.append(file.name)
        return original(context, file, *args, **kwargs)

    monkeypatch.setattr(check, "check_file", counting)
    return seen


def uncached(claims, repo, *args):
    before = os.environ.get("CLAIMS_CACHE")
    os.environ["CLAIMS_CACHE"] = "0"
    try:
        return claims("check", *args, repo=repo).stdout
    finally:
        if before is None:
            del os.environ["CLAIMS_CACHE"]
        else:
            os.environ["CLAIMS_CACHE"] = before


def checked(claims, repo, *args) -> str:
    """The cached answer, after checking that it is the answer without the cache."""
    answer = claims("check", *args, repo=repo).stdout
    assert answer == uncached(claims, repo, *args)
    return answer


def test_an_unchanged_repository_is_answered_from_the_cache(claims, make_repo, trusting, counted):
    repo = make_repo([base_files()])
    first = claims("check", repo=repo).stdout
    assert (repo / CACHED).is_file()
    assert sorted(counted) == ["a1.yaml", "a2.yaml", "summit-date.yaml"]
    counted.clear()
    assert claims("check", repo=repo).stdout == first == "0 errors, 0 warnings in 3 files\n"
    assert counted == []  # no rule ran again


def test_an_edited_claim_is_checked_again(claims, make_repo, trusting, counted):
    repo = make_repo([base_files()])
    checked(claims, repo)
    counted.clear()
    write_files(repo, {"claims/summit-date.yaml": claim_text(modality="rumoured")})
    out = claims("check", repo=repo).stdout
    assert "claims/summit-date.yaml:7:11: error: modality: 'rumoured' is not one of" in out
    assert counted == ["summit-date.yaml"]


def test_an_edited_article_text_is_seen_by_the_claims_quoting_it(claims, make_repo, trusting):
    repo = make_repo([base_files()])
    assert checked(claims, repo) == "0 errors, 0 warnings in 3 files\n"
    # The same length and modification time, other words: only the change time tells.
    text = repo / "seeds" / "a1.txt"
    before = os.stat(text)
    text.write_text(ARTICLE.replace("next Friday", "next Monday"), encoding="utf-8")
    os.utime(text, ns=(before.st_atime_ns, before.st_mtime_ns))
    out = checked(claims, repo)
    assert "claims/summit-date.yaml:9:8: error: quote not found in the text of source 'a1'" in out
    assert "seeds/a1.yaml:7:9: error: sha256 does not match the article text" in out


def test_an_edited_publication_date_is_seen_by_the_time_sense_rule(claims, make_repo, trusting):
    repo = make_repo([base_files()])
    assert checked(claims, repo) == "0 errors, 0 warnings in 3 files\n"
    meta = source_files("a1", ARTICLE, "2025-08-20")["seeds/a1.yaml"]
    write_files(repo, {"seeds/a1.yaml": meta})
    out = checked(claims, repo)
    assert "source a1 published no earlier than 2025-08-20, reports as still planned" in out


def test_a_source_removed_or_added_is_seen(claims, make_repo, trusting):
    repo = make_repo([base_files()])
    checked(claims, repo)
    write_files(repo, {"seeds/a1.yaml": None})
    out = checked(claims, repo)
    assert "source 'a1' not found under seeds/ [source-exists]" in out
    # Added back in another folder: found there, and the claim passes again.
    write_files(
        repo, source_files("a1", ARTICLE, "2025-08-08", "Trump and Putin Set to Meet in Alaska")
    )
    (repo / "seeds" / "2025").mkdir()
    for suffix in (".yaml", ".txt"):
        os.replace(repo / "seeds" / f"a1{suffix}", repo / "seeds" / "2025" / f"a1{suffix}")
    assert checked(claims, repo) == "0 errors, 0 warnings in 3 files\n"


def test_a_claim_named_by_superseded_by_appearing_is_seen(claims, make_repo, trusting):
    files = base_files()
    files["claims/summit-date.yaml"] += "superseded_by:\n  - summit-day\n"
    repo = make_repo([files])
    out = checked(claims, repo)
    assert "superseded_by names 'summit-day', which is not a claim in claims/" in out
    write_files(repo, {"claims/summit-day.yaml": claim_text("summit-day")})
    assert checked(claims, repo) == "0 errors, 0 warnings in 4 files\n"


def test_an_edited_vocabulary_checks_every_claim_again(claims, make_repo, trusting):
    files = {
        **base_files(),
        "claims/summit-status.yaml": claim_text(
            "summit-status", property="status", type="category", modality="asserted",
            value="scheduled", quote="are scheduled to meet",
        ),
        "claims/_vocabulary.yaml": "categories:\n  status:\n    terms: [scheduled, held]\n",
    }  # fmt: skip
    repo = make_repo([files])
    assert checked(claims, repo) == "0 errors, 0 warnings in 5 files\n"
    write_files(repo, {"claims/_vocabulary.yaml": "categories:\n  status:\n    terms: [held]\n"})
    out = checked(claims, repo)
    assert "'scheduled' is not a term of 'status'" in out


def test_a_claim_file_replaced_by_a_link_is_not_answered_from_the_cache(
    claims, make_repo, trusting, counted
):
    repo = make_repo([base_files()])
    checked(claims, repo)
    outside = repo.parent / "elsewhere.yaml"
    outside.write_text(claim_text(), encoding="utf-8")
    target = repo / "claims" / "summit-date.yaml"
    target.unlink()
    target.symlink_to(outside)
    counted.clear()
    out = claims("check", repo=repo).stdout
    assert "resolves outside the repository; not read [path-outside]" in out
    assert counted == ["summit-date.yaml"]


def story_history():
    """a1 (published 2025-08-08) reports as past an event on 2025-08-20; a2 replaces it in
    the file, so the finding is about a version the file no longer holds."""
    first = {
        **base_files(),
        "claims/summit-date.yaml": claim_text(value="2025-08-20", modality="asserted"),
    }
    second = {
        "claims/summit-date.yaml": claim_text(
            value="2025-08-20", modality="asserted", source="a2",
            quote="met in Anchorage, Alaska",
        )
    }  # fmt: skip
    return [first, second]


FINDING = (
    "claims/summit-date.yaml:1:1: warning: in the story's version from a1 (commit {}): source a1 "
    "published by 2025-08-08, reports as past an event on 2025-08-20 [time-sense]"
)


@pytest.mark.parametrize(
    "few, many",
    [(story_findings.FEW, story_findings.MANY), (0, story_findings.MANY), (0, 0), (0, -1)],
    ids=["own logs", "cached history", "whole history", "own logs, many"],
)
def test_story_findings_follow_the_sources_and_the_history(
    claims, make_repo, trusting, monkeypatch, few, many
):
    monkeypatch.setattr(story_findings, "FEW", few)
    if many < 0:  # as where the commit-graph's Bloom filters make each claim's log pay
        monkeypatch.setattr(story_findings, "_own_logs_pay", lambda git, claims: True)
    else:
        monkeypatch.setattr(story_findings, "MANY", many)
    used = []
    from_cache = story_findings._from_cached_history
    monkeypatch.setattr(story_findings, "_from_cached_history",
                        lambda *a: used.append(found := from_cache(*a)) or found)  # fmt: skip
    repo = make_repo(story_history())
    if few < 1 <= many:
        claims("list", repo=repo)  # leaves the whole history's cache, for check to use
    first = git(repo, "rev-parse", "HEAD~1").strip()[:12]
    out = checked(claims, repo)
    assert FINDING.format(first) in out
    assert checked(claims, repo) == out  # warm
    # The article's date corrected in seeds/: the story's version no longer says so.
    write_files(repo, {"seeds/a1.yaml": source_files("a1", ARTICLE, "2025-08-21")["seeds/a1.yaml"]})
    assert checked(claims, repo) == "0 errors, 0 warnings in 3 files\n"
    # A new commit with another such reading: HEAD moved, the new version is found.
    write_files(repo, source_files("a3", LATER_ARTICLE, "2025-08-09"))
    write_files(
        repo,
        {"claims/summit-date.yaml": claim_text(value="2025-08-20", modality="asserted",
                                               source="a3", quote="met in Anchorage")},
    )  # fmt: skip
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Record a3")
    write_files(repo, {"claims/summit-date.yaml": story_history()[1]["claims/summit-date.yaml"]})
    third = git(repo, "rev-parse", "HEAD").strip()[:12]
    out = checked(claims, repo)
    assert "in the story's version from a3 (commit " + third in out
    # The file on disk holding that reading: it is reported on the file, not on the story.
    git(repo, "checkout", "--", "claims/summit-date.yaml")
    out = checked(claims, repo)
    assert "in the story's version from a3" not in out
    assert "source a3 published by 2025-08-09, reports as past an event" in out
    if few < 1 <= many:  # the cache was used, and extended to the commit after it
        assert len([found for found in used if found is not None]) >= 4
