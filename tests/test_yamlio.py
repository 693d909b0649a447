"""Reading YAML: positions for messages, and refusal of what a claim file must not hold."""

from __future__ import annotations

import pytest
from claimkit.errors import DataError
from claimkit.files import read_text
from claimkit.yamledit import edit_mapping
from claimkit.yamlio import parse_mapping


def refused(text: str) -> DataError:
    with pytest.raises(DataError) as caught:
        parse_mapping(text, "claims/x.yaml")
    return caught.value


def test_values_keep_their_positions_and_dates_stay_strings():
    doc = parse_mapping("# c\nid: x\nvalue: 2025-08-15\nplace:\n  - Alaska\n  - Anchorage\n", "f")
    assert doc.data == {"id": "x", "value": "2025-08-15", "place": ["Alaska", "Anchorage"]}
    assert doc.position(("value",)) == (3, 8)
    assert doc.key_position(("value",)) == (3, 1)
    assert doc.position(("place", 1)) == (6, 5)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: null", None),
        ("a: ~", None),
        ("a:", None),
        ("a: true", True),
        ("a: False", False),
        ("a: 12", 12),
        ("a: 0x1f", 31),
        ("a: 1.5", 1.5),
        ("a: yes", "yes"),  # YAML 1.2: not a boolean
        ("a: '12'", "12"),
        ("a: !!str 12", "12"),
        ("a: 2025-08", "2025-08"),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text, expected):
    assert parse_mapping(text, "f").data["a"] == expected


@pytest.mark.parametrize(
    "text, rule, where",
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate-key", (3, 1)),
        ("a: &x 1\nb: *x\n", "yaml-anchor", (1, 4)),
        ("a: !!python/object:os.system 1\n", "yaml-tag", (1, 4)),
        ("a: !custom 1\n", "yaml-tag", (1, 4)),
        ("---\na: 1\n---\nb: 2\n", "yaml-documents", (3, 1)),
        ("", "yaml-mapping", (1, 1)),
        ("# only a comment\n", "yaml-mapping", (1, 1)),
        ("- 1\n- 2\n", "yaml-mapping", (1, 1)),
        ("just a scalar\n", "yaml-mapping", (1, 1)),
        ("a: [1,\n  b: c", "yaml-syntax", (3, 1)),
        ("a:\n\tb: 1\n", "yaml-syntax", (2, 1)),
        ('a: 1\nb: "open\nc: 2\nd: 3\n', "yaml-syntax", (2, 4)),  # where the quote opens
        ("? [a, b]\n: 1\n", "yaml-key", (1, 3)),
        ("a: " + "[" * 30 + "]" * 30 + "\n", "yaml-depth", (1, 24)),
    ],
)
def test_refusals_name_rule_and_position(text, rule, where):
    err = refused(text)
    assert err.rule == rule
    assert (err.line, err.column) == where
    assert str(err).startswith(f"claims/x.yaml:{where[0]}:{where[1]}: ")


def test_alias_bomb_fails_at_the_first_alias():
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    assert refused(bomb).rule == "yaml-anchor"


def test_bom_invalid_utf8_and_size_are_refused(tmp_path):
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfa: 1\n")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 2_000_000 + b"\n")
    with pytest.raises(DataError, match="byte-order mark"):
        read_text(bom, "bom.yaml")
    with pytest.raises(DataError) as caught:
        read_text(bad, "bad.yaml")
    assert (caught.value.line, caught.value.column, caught.value.rule) == (2, 7, "encoding")
    with pytest.raises(DataError, match="over the 1048576-byte limit"):
        read_text(big, "big.yaml")


def test_round_trip_update_keeps_comments_order_and_style():
    text = (
        "# yaml-language-server: $schema=../schema/claim.schema.json\n"
        "id: summit-date  # the id\n"
        "# the value as the latest article put it\n"
        "value: 2025-08-15\n"
        'quote: "scheduled to meet next Friday in Alaska"\n'
        "note: old\n"
    )
    updated = edit_mapping(
        text, {"value": "2025-09-18", "time_expression": "next Friday"}, remove=("note",)
    )
    assert updated == (
        "# yaml-language-server: $schema=../schema/claim.schema.json\n"
        "id: summit-date  # the id\n"
        "# the value as the latest article put it\n"
        "value: 2025-09-18\n"
        'quote: "scheduled to meet next Friday in Alaska"\n'
        "time_expression: next Friday\n"
    )


ODD = """\
---
# odd but valid formatting that a tool edit must not touch
id:    summit-place      # padded
value:
- Alaska    # state, unindented list
# the city comes next
- Juneau
people: [Donald Trump, Vladimir Putin]   # flow list
quote:   'single quoted'
note: >-
  folded
  text
...
"""


def test_edit_keeps_untouched_lines_byte_for_byte():
    from claimkit.yamledit import edit_mapping

    updated = edit_mapping(
        ODD,
        {"value": ["Alaska", "Anchorage"], "quote": "new words", "time_expression": "now"},
        remove=("note",),
        order=("id", "value", "quote", "time_expression", "note"),
        quoted=("quote",),
    )
    assert updated == (
        "---\n"
        "# odd but valid formatting that a tool edit must not touch\n"
        "id:    summit-place      # padded\n"
        "value:\n"
        "  - Alaska  # state, unindented list\n"
        "# the city comes next\n"
        "  - Anchorage\n"
        "people: [Donald Trump, Vladimir Putin]   # flow list\n"
        "quote: 'new words'\n"
        "time_expression: now\n"
        "...\n"
    )


def test_edit_places_new_keys_by_order_and_returns_the_same_text_when_nothing_changes():
    from claimkit.yamledit import edit_mapping

    text = "id: x\nquote: q\n# last\n"
    order = ("id", "quote", "time_expression", "note")
    assert edit_mapping(text, {"quote": "q"}, remove=("note",)) is text
    assert edit_mapping(text, {"note": "n", "time_expression": "t"}, order=order) == (
        "id: x\nquote: q\ntime_expression: t\nnote: n\n# last\n"
    )
    assert edit_mapping("id: x\nquote: q", {"id": "y"}) == "id: y\nquote: q"
    assert edit_mapping("id: x\nquote: q", {"extra": True}) == "id: x\nquote: q\nextra: true\n"


def test_edit_of_a_flow_mapping_falls_back_to_the_round_trip():
    from claimkit.yamledit import edit_mapping

    assert (
        edit_mapping("{id: x, value: 1}  # flow\n", {"value": 2}) == "{id: x, value: 2}  # flow\n"
    )


def test_edit_refuses_what_it_cannot_parse():
    from claimkit.yamledit import edit_mapping

    with pytest.raises(DataError) as caught:
        edit_mapping("id: [\n", {"id": "x"}, path="claims/x.yaml")
    assert caught.value.rule == "yaml-syntax" and caught.value.path == "claims/x.yaml"
