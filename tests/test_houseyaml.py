"""The house-layout reader gives what the YAML reader gives, or declines."""

from __future__ import annotations

import json

import pytest
from claimkit.errors import DataError
from claimkit.houseyaml import read_house_mapping
from claimkit.yamlio import parse_mapping
from hypothesis import given, settings
from hypothesis import strategies as st

WORDS = ["a", "Alaska", "2025-08-15", "../2025-08-24", "2025-08?", "~", "null", "true", "False",
         "1", "-1", "+1", "0x1F", "0o17", "1.5", "1e5", ".inf", ".nan", "1e999", "1_000", "12:30",
         "a: b", "#x", "x #y", "-", "- x", "? x", "%x", "&a", "*a", "!x", "[a]", "{a}", "'a'",
         '"a"', '"a\\"b"', '"a: b # c"', '"‘x’ — y"', "|", ">", "@x", "`x", "a,b", "...", "---",
         "", " ", "a ", " a", "a  b", "\t", "é", "\u2028", "\x85", "\ufeff", "x\ry"]  # fmt: skip
KEYS = ["id", "value", "quote", "yes", "on", "1", "a b", "a-b", "_x", "value"]


@st.composite
def documents(draw):
    lines = []
    if draw(st.booleans()):
        lines.append("# yaml-language-server: $schema=../schema/claim.schema.json")
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.sampled_from(KEYS))
        shape = draw(st.integers(0, 4))
        if shape == 0:
            lines.append(f"{key}:")
        elif shape == 1:
            lines.append(f"{key}:")
            indent = draw(st.sampled_from(["  - ", "- ", "    - ", "  -", "   - "]))
            lines.extend(
                indent + draw(st.sampled_from(WORDS)) for _ in range(draw(st.integers(1, 3)))
            )
        else:
            lines.append(f"{key}: {draw(st.sampled_from(WORDS))}")
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", "  # c", "  ", "---", "  x: 1"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def yaml_reads(text: str):
    """What the YAML parser reads (with positions: without them, the house reader goes first)."""
    try:
        return parse_mapping(text, "x.yaml", positions=True).data
    except DataError:
        return DataError


@settings(max_examples=1500, deadline=None)
@given(documents())
def test_the_house_reader_reads_as_yaml_does_or_declines(text):
    found = read_house_mapping(text)
    if found is not None:
        expected = yaml_reads(text)
        assert expected is not DataError
        # As JSON, so that types count inside lists too (1 == True, but "1" != "true").
        assert json.dumps(found) == json.dumps(expected)


def test_the_files_the_tool_writes_are_read_without_the_parser():
    text = (
        "# yaml-language-server: $schema=../schema/claim.schema.json\nid: summit-date\n"
        "event: alaska-summit-2025\nproperty: date\ntype: place\nvalue:\n  - Alaska\n"
        '  - Anchorage\nmodality: scheduled\nsource: a1\nquote: "meet: next Friday # in Alaska"\n'
        "time_expression: null\n"
    )
    assert read_house_mapping(text) == yaml_reads(text)
    assert read_house_mapping(text)["value"] == ["Alaska", "Anchorage"]


@pytest.mark.parametrize(
    "text",
    ["id: a\nid: b\n", "value: .nan\n", "value: 'a'\n", "value: a # c\n", "a:\n  - x\n  y: 1\n",
     "a: 1\n# c\n", "", "# only\n", "value: {a: 1}\n", "value:\n  - a: 1\n"],
)  # fmt: skip
def test_what_the_house_reader_is_not_sure_of_goes_to_the_yaml_reader(text):
    assert read_house_mapping(text) is None


def test_reading_without_positions_gives_the_parser_s_data_either_way():
    house = 'id: a1\ntitle: "Article: one"\npublished: 2025-08-15\n'
    other = "id: a1\ntitle: 'Article: one'\npublished: 2025-08-15\n"
    assert read_house_mapping(house) is not None and read_house_mapping(other) is None
    for text in (house, other):
        assert parse_mapping(text, "x.yaml", positions=False).data == yaml_reads(text)
