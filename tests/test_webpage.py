"""`claims add-source` on saved web pages: the article, its metadata and its date, no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claimkit.webpage import read_page
from conftest import assert_one_line_error, git

PAGES = Path(__file__).parent / "fixtures" / "pages"

NEWS_TEXT = (
    "Trump and Putin to meet in Alaska next Friday\n"
    "WASHINGTON — President Donald Trump said on Friday that he will meet Russian President "
    "Vladimir Putin next Friday in Alaska, the first summit between the two leaders since 2019.\n"
    '"The highly anticipated meeting between myself, as President of the United States of America, '
    "and President Vladimir Putin, of Russia, will take place next Friday, August 15, 2025, in the "
    'Great State of Alaska," Trump wrote on social media.\n'
    "The Kremlin confirmed the meeting on Saturday morning. A spokesman said the two delegations "
    'would discuss "options for a long-term peaceful settlement" of the war in Ukraine.\n'
    "Ukrainian President Volodymyr Zelensky has not been invited. European officials said they "
    "were seeking assurances that no agreement on Ukrainian territory would be reached without "
    "Kyiv.\n"
)


@pytest.mark.parametrize(
    ("page", "title", "outlet", "url", "published", "basis", "first", "last"),
    [
        (
            "news-jsonld.html",
            "Trump and Putin to meet in Alaska next Friday",
            "Northern Ledger",
            "https://www.northernledger.example/world/2025/trump-putin-alaska-summit",
            "2025-08-08",
            'published 2025-08-08, from the JSON-LD "datePublished" (2025-08-08T21:14:00-04:00)',
            "Trump and Putin to meet in Alaska next Friday\nWASHINGTON — President",
            "reached without Kyiv.\n",
        ),
        (
            "blog-post.html",
            "Why Anchorage? Notes on a summit venue",
            "Arctic Policy Notes",
            "https://arcticpolicynotes.example/2025/08/12/why-anchorage/",
            "2025-08-12",
            "published 2025-08-12, from the URL path "
            "(https://arcticpolicynotes.example/2025/08/12/why-anchorage/)",
            'When the White House said the summit would be held "in the Great State of Alaska"',
            "flying in and out on the same day.\n",
        ),
        (
            "live-updates.html",
            "Live: Trump-Putin summit in Alaska – latest updates",
            "Coastal Wire",
            "https://coastalwire.example/live/trump-putin-summit-alaska",
            "2025-08-15/2025-08-16",
            'published 2025-08-15, from <meta property="article:published_time"> '
            '(2025-08-15T09:02:00Z); updated until 2025-08-16, from <meta property="article:'
            'modified_time"> (2025-08-16T01:40:00Z): the text is the page as last updated, so its '
            "date is the interval",
            "Live: Trump-Putin summit in Alaska – latest updates\nBoth leaders have left",
            "We will bring you the latest as it happens.\n",
        ),
    ],
)
def test_each_kind_of_page(page, title, outlet, url, published, basis, first, last):
    found = read_page((PAGES / page).read_text(encoding="utf-8"))
    assert (found.title, found.outlet, found.url) == (title, outlet, url)
    assert (found.published, found.basis) == (published, basis)
    assert found.text.startswith(first) and found.text.endswith(last)
    for boilerplate in ("Subscribe", "Most read", "All rights reserved", "Archives", "comments",
                        "Great analysis", "Newsletters"):  # fmt: skip
        assert boilerplate not in found.text


def test_the_news_text_in_full():
    assert read_page((PAGES / "news-jsonld.html").read_text()).text == NEWS_TEXT


def test_add_source_from_a_page_keeps_the_page_and_commits_all_three(claims, repo):
    result = claims("add-source", str(PAGES / "news-jsonld.html"), "--id", "n1", "--commit",
                    repo=repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    head = git(repo, "rev-parse", "HEAD").strip()
    assert result.stdout == (
        "added source n1: seeds/n1.yaml, seeds/n1.txt, seeds/n1.html\n"
        "  title: Trump and Putin to meet in Alaska next Friday\n"
        "  outlet: Northern Ledger\n"
        "  url: https://www.northernledger.example/world/2025/trump-putin-alaska-summit\n"
        '  published: 2025-08-08 (published 2025-08-08, from the JSON-LD "datePublished" '
        "(2025-08-08T21:14:00-04:00))\n"
        f"committed {head[:12]}\n"
    )
    assert (repo / "seeds" / "n1.txt").read_text() == NEWS_TEXT
    assert (repo / "seeds" / "n1.html").read_bytes() == (PAGES / "news-jsonld.html").read_bytes()
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "seeds/n1.html", "seeds/n1.txt", "seeds/n1.yaml",
    ]  # fmt: skip
    check = claims("check", repo=repo)
    assert check.exit_code == 0, check.output  # the kept page is no problem for check
    assert "n1" in claims("sources", repo=repo).stdout
    recorded = claims("record", "summit-date", "--source", "n1", "--time-expression",
                      "next Friday", "--quote", "will meet Russian President Vladimir Putin "
                      "next Friday in Alaska", repo=repo)  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    assert "value: 2025-08-15\n" in (repo / "claims" / "summit-date.yaml").read_text()


def test_every_field_can_be_overridden(claims, repo):
    result = claims(
        "add-source", str(PAGES / "live-updates.html"), "--id", "live", "--title", "Live blog",
        "--outlet", "CW", "--url", "https://cw.example/l", "--published", "2025-08-15",
        "--basis", "The first update's timestamp.", "--format", "json", repo=repo,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    source = data["source"]
    assert (source["title"], source["outlet"], source["url"]) == (
        "Live blog", "CW", "https://cw.example/l",
    )  # fmt: skip
    assert (source["published"], source["published_basis"]) == (
        "2025-08-15", "The first update's timestamp.",
    )  # fmt: skip
    assert data["html"] == "seeds/live.html"


def test_a_page_without_a_date_asks_for_published(claims, repo, tmp_path):
    page = tmp_path / "undated.html"
    page.write_text(
        "<html><head><title>Talks end</title></head><body><article><p>"
        + "The talks ended without an agreement, officials said after the meeting. " * 5
        + "</p></article></body></html>"
    )
    result = claims("add-source", str(page), repo=repo)
    assert_one_line_error(
        result,
        f"{page}: no publication date found in the page; give it with --published",
        code=2,
    )
    assert sorted(p.name for p in (repo / "seeds").iterdir()) == [
        "a1.txt", "a1.yaml", "a2.txt", "a2.yaml",
    ]  # fmt: skip
    result = claims("add-source", str(page), "--published", "2025-08-16?", repo=repo)
    assert result.exit_code == 0, result.output
    meta = (repo / "seeds" / "undated.yaml").read_text()
    assert "title: Talks end\n" in meta and "published: 2025-08-16?\n" in meta


def test_a_page_with_no_article_is_refused(claims, repo, tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    result = claims("add-source", str(page), "--published", "2025-08-16", repo=repo)
    assert_one_line_error(result, "no article text found in the page", code=2)
