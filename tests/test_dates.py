"""EDTF values reduced to bounds, for every form the brief lists."""

from __future__ import annotations

import datetime as dt

import pytest
from claimkit.dates import parse_date

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
