"""Relative dates resolved against the article's publication date, and hints for invalid dates."""

from __future__ import annotations

import pytest
from claimkit.datehints import suggestions
from claimkit.dates import parse_date
from claimkit.relative import PHRASES, Unresolvable, resolve
from conftest import assert_one_line_error


@pytest.mark.parametrize(
    ("phrase", "published", "value"),
    [
        ("today", "2025-08-08", "2025-08-08"),
        ("yesterday", "2025-08-08", "2025-08-07"),
        ("tomorrow", "2025-08-08", "2025-08-09"),
        ("the day after tomorrow", "2025-08-08", "2025-08-10"),
        ("the day before yesterday", "2025-08-08", "2025-08-06"),
        ("next Friday", "2025-08-08", "2025-08-15"),  # from a Friday: a week on
        ("next Friday", "2025-08-06", "2025-08-08"),
        ("the following Friday", "2025-08-08", "2025-08-15"),
        ("the coming Monday", "2025-08-08", "2025-08-11"),
        ("on Friday next", "2025-08-08", None),  # not in the table
        ("last Friday", "2025-08-08", "2025-08-01"),
        ("the previous Sunday", "2025-08-08", "2025-08-03"),
        ("this Friday", "2025-08-06", "2025-08-08"),
        ("this Monday", "2025-08-08", "2025-08-04"),
        ("next week", "2025-08-08", "2025-08-11/2025-08-17"),
        ("last week", "2025-08-08", "2025-07-28/2025-08-03"),
        ("this weekend", "2025-08-08", "2025-08-09/2025-08-10"),
        ("next weekend", "2025-08-08", "2025-08-16/2025-08-17"),
        ("next month", "2025-12-08", "2026-01"),
        ("last month", "2025-08-31", "2025-07"),
        ("this year", "2025-08-08", "2025"),
        ("next year", "2025-08-08", "2026"),
        ("in two weeks", "2025-08-08", "2025-08-22"),
        ("in 3 days", "2025-08-08", "2025-08-11"),
        ("in a month", "2025-01-31", "2025-02-28"),
        ("3 days ago", "2025-08-08", "2025-08-05"),
        ("two weeks earlier", "2025-08-08", "2025-07-25"),
        ("a year later", "2024-02-29", "2025-02-28"),
        ("Next  FRIDAY", "2025-08-08", "2025-08-15"),  # case and spacing aside
    ],
)
def test_phrase_table(phrase, published, value):
    if value is None:
        with pytest.raises(Unresolvable, match="cannot resolve"):
            resolve(phrase, parse_date(published))
    else:
        assert resolve(phrase, parse_date(published)).value == value


@pytest.mark.parametrize(
    ("phrase", "published", "value"),
    [
        ("next Friday", "2025-08-08?", "2025-08-15?"),  # uncertain day: uncertain result
        ("next Friday", "2025-08-08~", "2025-08-15?"),
        ("next Friday", "2025-08-24/2025-08-31", "2025-08-29/2025-09-05"),  # an interval: a span
        ("next Friday", "2025-08", "2025-08-08/2025-09-05"),  # a month: every day of it
        ("next month", "2025-08-24/2025-09-02", "2025-09/2025-10"),
        ("tomorrow", "2025-08~", "2025-08-02?/2025-09-01?"),
    ],
)
def test_an_uncertain_publication_date_never_gives_false_precision(phrase, published, value):
    assert resolve(phrase, parse_date(published)).value == value


def test_open_ended_publication_date_is_refused():
    with pytest.raises(Unresolvable, match="open end"):
        resolve("next Friday", parse_date("2025-08-01/.."))


def test_explanation_says_how():
    resolved = resolve("next Friday", parse_date("2025-08-08"))
    assert resolved.explanation == (
        "'next Friday' resolved against the published date 2025-08-08 (Friday): 2025-08-15."
    )


def test_documented_table_matches_the_code():
    text = open("docs/editing.md", encoding="utf-8").read()
    for phrase, meaning in PHRASES:
        assert f"| {phrase} | {meaning} |" in text


def test_record_resolves_time_expression_without_value(claims, repo):
    result = claims("record", "summit-date", "--source", "a1", "--time-expression",
                    "next Friday", "--quote", "scheduled to meet next Friday", repo=repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo / "claims" / "summit-date.yaml").read_text()
    assert "value: 2025-08-15\n" in text
    assert "time_expression: next Friday\n" in text
    assert (
        "note: \"'next Friday' resolved against the published date 2025-08-08 (Friday): "
        '2025-08-15."\n'
    ) in text


def test_record_resolves_against_an_interval(claims, repo):
    result = claims("record", "summit-date", "--source", "a2", "--time-expression",
                    "next Friday", "--note", "As the article put it.",
                    "--quote", "met in Anchorage", repo=repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo / "claims" / "summit-date.yaml").read_text()
    assert "value: 2025-08-29/2025-09-05\n" in text
    assert "note: \"As the article put it. 'next Friday' resolved against" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--time-expression", "sometime soon"), "cannot resolve 'sometime soon'"),
        ((), "give --value, or --time-expression"),
    ],
)
def test_record_refuses_what_it_cannot_resolve(claims, repo, args, message):
    before = (repo / "claims" / "summit-date.yaml").read_text()
    result = claims("record", "summit-date", "--source", "a1", *args,
                    "--quote", "next Friday", repo=repo)  # fmt: skip
    assert_one_line_error(result, message)
    assert (repo / "claims" / "summit-date.yaml").read_text() == before


@pytest.mark.parametrize(
    ("typed", "close"),
    [
        ("August 15, 2025", ["2025-08-15"]),
        ("15 August 2025", ["2025-08-15"]),
        ("Aug. 15, 2025", ["2025-08-15"]),
        ("15/08/2025", ["2025-08-15"]),
        ("08/15/2025", ["2025-08-15"]),
        ("2025/08/15", ["2025-08-15"]),
        ("15.08.2025", ["2025-08-15"]),
        ("08/05/2025", ["2025-05-08", "2025-08-05"]),  # either way round: both, day first
        ("August 2025", ["2025-08"]),
        ("31/02/2025", []),  # no such day either way
        ("next Friday", []),
        ("late August", []),
    ],
)
def test_date_hints(typed, close):
    assert suggestions(typed) == close


def test_invalid_date_message_teaches(claims, repo):
    result = claims("record", "summit-date", "--source", "a1", "--value", "August 15, 2025",
                    "--quote", "next Friday", repo=repo)  # fmt: skip
    assert_one_line_error(
        result,
        "--value 'August 15, 2025': not a valid EDTF date; write it as 2025-08-15 (EDTF forms: "
        "2025-08-15 (a day), 2025-08 (a month), 2025 (a year)",
    )
