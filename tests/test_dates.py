"""EDTF values reduced to bounds, for every form the brief lists."""

from __future__ import annotations

import datetime as dt

import pytest
from claimkit.dates import parse_calendar, parse_date, parse_with_library
from hypothesis import given, settings
from hypothesis import strategies as st

D = dt.date


@pytest.mark.parametrize(
    "text, lower, upper, uncertain",
    [
        ("2025-08-15", D(2025, 8, 15), D(2025, 8, 15), False),
        ("2025-08", D(2025, 8, 1), D(2025, 8, 31), False),
        ("2025", D(2025, 1, 1), D(2025, 12, 31), False),
        ("2025-08-11/2025-08-17", D(2025, 8, 11), D(2025, 8, 17), False),
        ("2025-08-11/..", D(2025, 8, 11), None, False),
        ("../2025-08-11", None, D(2025, 8, 11), False),
        ("2025-08-15?", D(2025, 8, 15), D(2025, 8, 15), True),
        ("2025-08~", D(2025, 8, 1), D(2025, 8, 31), True),
    ],
)
def test_bounds(text, lower, upper, uncertain):
    value = parse_date(text)
    assert (value.lower, value.upper, value.uncertain) == (lower, upper, uncertain)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2025-02-30", "not a valid EDTF date"),
        ("2025-13", "not a valid EDTF date"),
        ("next Friday", "not a valid EDTF date"),
        ("", "non-empty"),
        ("2025-08-17/2025-08-11", "ends (2025-08-11) before it starts (2025-08-17)"),
    ],
)
def test_invalid(text, reason):
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_date(text)


def test_describe_shows_bounds_only_when_not_one_day():
    assert parse_date("2025-08-15").describe() == "2025-08-15"
    assert parse_date("2025-08").describe() == "2025-08 (2025-08-01 to 2025-08-31)"
    assert parse_date("2025-08-15?").describe() == "2025-08-15? (2025-08-15 to 2025-08-15)"
    assert parse_date("2025-08-11/..").describe() == "2025-08-11/.."


# The shortcut for plain calendar dates, against the library it stands in for -------------------

YEARS = st.one_of(
    st.integers(0, 9999).map("{:04d}".format), st.sampled_from(["0000", "1900", "2000", "2024"])
)
MONTHS = st.one_of(st.integers(1, 12), st.integers(0, 99)).map("{:02d}".format)
DAYS = st.one_of(st.integers(28, 31), st.integers(0, 40)).map("{:02d}".format)
CALENDAR = st.one_of(
    YEARS,
    st.builds("{}-{}".format, YEARS, MONTHS),
    st.builds("{}-{}-{}".format, YEARS, MONTHS, DAYS),
)
EDTF_LIKE = st.one_of(
    st.builds("{}{}".format, CALENDAR, st.sampled_from(["", "?", "~", "%"])),
    st.builds("{}/{}".format, CALENDAR, CALENDAR),
    st.builds("{}/..".format, CALENDAR),
    st.builds("../{}".format, CALENDAR),
)


def outcome(parse, text):
    try:
        return parse(text)
    except ValueError as err:
        return f"ValueError: {err}"


@settings(max_examples=600, deadline=None)
@given(EDTF_LIKE)
def test_the_calendar_shortcut_agrees_with_the_library(text):
    shortcut = parse_calendar(text)
    if shortcut is not None:
        assert shortcut == parse_with_library(text)
    assert outcome(parse_date.__wrapped__, text) == outcome(parse_with_library, text)


@pytest.mark.parametrize(
    "text", ["2025", "2025-08", "2025-08-15", "2025-08-15?", "2025-08~", "2025-08-11/2025-08-17",
             "2025-08/2025-09-02", "2025-08-11/.."]
)  # fmt: skip
def test_plain_calendar_dates_take_the_shortcut(text):
    assert parse_calendar(text) == parse_with_library(text)


@pytest.mark.parametrize(
    "text", ["2025-21", "0000", "2025-02-29", "2025-08-17/2025-08-11", "2025-08-11/"]
)
def test_everything_else_goes_to_the_library(text):
    assert parse_calendar(text) is None
