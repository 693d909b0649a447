"""Quotes: several per reading, elisions, the closest passage to a miss, and `claims quote`."""

from __future__ import annotations

import time

import pytest
from claimkit.errors import EXIT_FINDINGS
from claimkit.quotes import closest_passage, normalise, quote_in
from conftest import ARTICLE, assert_one_line_error, claim_text, git, write_files

TEXT = normalise(ARTICLE)


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("scheduled to meet next Friday", True),
        ("scheduled   to meet\nnext Friday", True),  # whitespace runs fold
        ("Donald Trump … are scheduled to meet", True),
        ("Donald Trump ... next Friday in Alaska", True),
        ("U.S. President … Vladimir Putin … conflict in Ukraine", True),
        ("… scheduled to meet", True),  # a leading elision: the passage starts mid-sentence
        ("next Friday … Donald Trump", False),  # fragments out of order
        ("Donald Trump … met in Alaska", False),  # one fragment missing
        ("…", False),  # no words at all
    ],
)
def test_quote_in_with_elisions(quote, found):
    assert quote_in(quote, TEXT) is found


@pytest.mark.parametrize(
    ("quote", "passage", "differences"),
    [
        (
            "are scheduled to meet around next Friday",
            "are scheduled to meet next Friday",
            (("around", ""),),
        ),
        (
            "Russian President Vladimir Putin are due to meet",
            "Russian President Vladimir Putin are scheduled to meet",
            (("due", "scheduled"),),
        ),
        (
            "the ongoing war in Ukraine",
            "the ongoing conflict in Ukraine.",
            (("war", "conflict"),),
        ),
        (
            "to adress diplomatic efforts",
            'to address "diplomatic efforts".',
            (("adress", "address"),),
        ),
    ],
)
def test_closest_passage_names_the_words_that_differ(quote, passage, differences):
    near = closest_passage(quote, TEXT)
    assert near.passage == passage
    assert near.differences == differences


def test_closest_passage_is_none_when_no_word_is_there():
    assert closest_passage("zebra quokka", TEXT) is None


def test_closest_passage_is_fast_on_a_20_mb_article():
    filler = "Officials said the talks would continue in the coming weeks. " * 330_000
    text = normalise(filler[: len(filler) // 2] + ARTICLE + filler[len(filler) // 2 :])
    assert len(text) > 20_000_000
    started = time.perf_counter()
    near = closest_passage("Putin are due to meet next Friday in Alaska", text)
    elapsed = time.perf_counter() - started
    assert near.passage == "Putin are scheduled to meet next Friday in Alaska"
    assert near.differences == (("due", "scheduled"),)
    assert elapsed < 3.0, f"{elapsed:.2f} s"


def test_check_takes_several_quotes_and_names_the_one_not_found(claims, repo):
    write_files(repo, {
        "claims/summit-date.yaml": claim_text(quote=[
            '"scheduled to meet next Friday"', '"Donald Trump … in Alaska"', '"to discuss the war"',
        ]),
    })  # fmt: skip
    result = claims("check", repo=repo)
    assert result.exit_code == EXIT_FINDINGS
    assert result.stdout == (
        "claims/summit-date.yaml:12:5: error: quote 3 not found in the text of source 'a1'; "
        "closest passage: \"to discuss the ongoing\" ('war' where the article has "
        "'ongoing') [quote-verbatim]\n"
        "1 error, 0 warnings in 3 files\n"
    )


def test_check_names_an_elided_fragment_out_of_order(claims, repo):
    write_files(repo, {"claims/summit-date.yaml": claim_text(quote="next Friday … Donald Trump")})
    result = claims("check", repo=repo)
    assert result.exit_code == EXIT_FINDINGS
    assert (
        "quote: 'Donald Trump' is in source 'a1', but not after the fragment before it"
        in result.stdout
    )


def test_record_repeats_quote_and_log_shows_every_quote(claims, repo):
    result = claims(
        "record", "summit-date", "--source", "a1", "--value", "2025-08-15",
        "--quote", "scheduled to meet next Friday", "--quote", "Donald Trump … in Alaska",
        "--commit", repo=repo,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo / "claims" / "summit-date.yaml").read_text()
    assert 'quote:\n  - "scheduled to meet next Friday"\n  - "Donald Trump … in Alaska"\n' in text
    message = git(repo, "log", "-1", "--format=%B")
    assert 'quote: "scheduled to meet next Friday"\nquote: "Donald Trump … in Alaska"\n' in message
    log = claims("log", "summit-date", repo=repo)
    assert log.exit_code == 0, log.output
    assert '  "scheduled to meet next Friday"\n  "Donald Trump … in Alaska"\n' in log.stdout
    assert claims("check", repo=repo).exit_code == 0


def test_record_refuses_the_same_quote_twice(claims, repo):
    result = claims("record", "summit-date", "--source", "a1", "--value", "2025-08-15",
                    "--quote", "next Friday", "--quote", "next  Friday", repo=repo)  # fmt: skip
    assert_one_line_error(result, "the same --quote is given twice")


def test_quote_command_prints_passages_ready_to_paste(claims, repo):
    result = claims("quote", "a1", "SCHEDULED to meet", repo=repo)
    assert result.exit_code == 0, result.output
    assert result.stdout == '--quote "scheduled to meet"\n'
    result = claims("quote", "a1", "aims to address diplomatic efforts", repo=repo)
    assert result.stdout == "--quote 'aims to address \"diplomatic efforts\"'\n"
    result = claims("quote", "a2", "in anchorage alaska", repo=repo)
    assert result.stdout == '--quote "in Anchorage, Alaska"\n'  # the comma after it left out


def test_quote_command_shows_the_closest_passage_when_nothing_matches(claims, repo):
    result = claims("quote", "a1", "scheduled to meet around next Friday", repo=repo)
    assert_one_line_error(
        result,
        'not in source a1 as given; closest passage: "scheduled to meet next Friday" '
        "('around' is not in the article)",
        code=EXIT_FINDINGS,
    )
    result = claims("quote", "nowhere", "words", repo=repo)
    assert_one_line_error(result, "unknown source 'nowhere'")
