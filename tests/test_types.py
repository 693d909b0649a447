"""Value types: each type's comparisons as a table, their symmetry as a property, the
registry as the one list of types, and reading quantities from the article's words."""

from __future__ import annotations

import json

import pytest
from claimkit import model, types
from claimkit.cli import main
from claimkit.compare import compare_values
from claimkit.types import base, vocabulary
from claimkit.types.base import INVERSE
from claimkit.types.quantity import parse_quantity
from claimkit.values import value_from_words
from hypothesis import given, settings
from hypothesis import strategies as st

DECLARATIONS = {
    "categories": {
        "office": {"progression": ["President-elect", "President", "former President"]},
        "status": {
            "terms": ["planned", "held", "cancelled"],
            "progression": ["planned", "held"],
        },
    },
    "people": {"Donald Trump": ["Trump", "President Trump"], "Vladimir Putin": ["Putin"]},
}
DECLARED = vocabulary.from_data(DECLARATIONS)


@pytest.fixture
def declared():
    vocabulary.use(DECLARED)


def q(text):
    return parse_quantity(text)


# Each type's comparisons: old, new -> relation ----------------------------------------------

COMPARISONS = [
    ("date", "2025-08-15", "2025-08-15", "same"),
    ("date", "2025-08", "2025-08-15", "refined"),
    ("date", "2025-08-15", "2025-08", "broadened"),
    ("date", "2025-08-15", "2025-09-18", "contradicted"),
    ("date", "2025-08-11/2025-08-17", "2025-08-15/2025-08-20", "overlapping"),
    ("date", "2025-08-15?", "2025-08-15", "refined"),
    ("place", ["Alaska"], ["alaska"], "same"),
    ("place", ["Alaska"], ["Alaska", "Anchorage"], "refined"),
    ("place", ["Alaska", "Anchorage"], ["Alaska"], "broadened"),
    ("place", ["Alaska"], ["Finland"], "contradicted"),
    ("people", ["Trump", "Putin"], ["Vladimir Putin", "Donald Trump"], "same"),
    ("people", ["Trump"], ["Trump", "Rubio"], "refined"),
    ("people", ["Trump", "Rubio", "Witkoff"], ["Trump"], "broadened"),
    ("people", ["Trump", "Rubio"], ["Trump", "Witkoff"], "overlapping"),
    ("people", ["Trump", "Zelensky"], {"named": ["Trump"], "absent": ["Zelensky"]}, "contradicted"),
    ("people", {"named": ["Trump"], "absent": ["Zelensky"]}, ["Zelensky"], "contradicted"),
    ("people", ["Trump"], {"named": ["Trump"], "absent": ["Zelensky"]}, "refined"),
    ("text", "no  deal", "no deal", "same"),
    ("text", "no deal", "a deal", "changed"),
    ("number", 9, 9, "same"),
    ("number", 9, 2, "changed"),
    ("boolean", True, True, "same"),
    ("boolean", True, False, "contradicted"),
    ("quantity", q("nearly three hours"), q("about 2 1/2 hours"), "overlapping"),
    ("quantity", q("90 minutes"), q("1 1/2 hours"), "same"),
    ("quantity", q("about 3 hours"), q("2.5 hours"), "refined"),
    ("quantity", q("2.5 hours"), q("about 3 hours"), "broadened"),
    ("quantity", q("more than 100"), q("about 150"), "refined"),
    ("quantity", q("at least 3"), q("2"), "contradicted"),
    ("quantity", q("thousands"), q("tens of thousands"), "refined"),
    ("quantity", q("tens of thousands"), q("thousands"), "broadened"),
    ("quantity", q("tens of thousands"), q("hundreds of thousands"), "contradicted"),
    ("quantity", q("millions"), q("hundreds of thousands"), "contradicted"),
    ("quantity", q("hundreds"), q("fewer than thousands"), "overlapping"),
    ("quantity", q("thousands"), q("about 5,000"), "refined"),
    ("quantity", q("3 hours"), q("3"), "changed"),
    ("category", "President", "president", "same"),
    ("category", "President", "former President", "changed"),
    ("category", "former President", "President", "contradicted"),
    ("category", "planned", "held", "changed"),
    ("category", "held", "cancelled", "contradicted"),
    ("category", "planned", "cancelled", "contradicted"),
]


@pytest.mark.parametrize("kind, old, new, relation", COMPARISONS)
def test_each_types_comparisons(declared, kind, old, new, relation):
    assert compare_values(kind, old, new).relation == relation


def test_every_type_has_comparisons_in_the_table():
    assert {row[0] for row in COMPARISONS} == set(types.NAMES)


def test_people_say_who_was_added_and_who_not_named_again(declared):
    result = compare_values("people", ["Trump", "Rubio", "Witkoff"], ["Donald Trump", "Lavrov"])
    assert (result.relation, result.added, result.removed) == (
        "overlapping",
        ("Lavrov",),
        ("Rubio", "Witkoff"),
    )


def test_categories_without_a_vocabulary_contradict_when_distinct():
    assert compare_values("category", "President", "former President").relation == "contradicted"


# compare(a, b) and compare(b, a): inverse or symmetric, for every type ------------------------

NAMES = st.sampled_from(["Trump", "Donald Trump", "Putin", "Rubio", "Witkoff", "Lavrov"])
QUANTITY_WORDS = st.builds(
    lambda qualifier, amount, unit: f"{qualifier}{amount}{unit}".strip(),
    st.sampled_from(
        ["", "about ", "nearly ", "more than ", "at least ", "fewer than ", "just over "]
    ),
    st.sampled_from(["1", "2", "2 1/2", "three", "90", "100", "2.5", "1,000"]),
    st.sampled_from(["", " minutes", " hours", " days"]),
)
VALUES = {
    "date": st.sampled_from(
        [
            "2025-08",
            "2025-08-15",
            "2025-08-15?",
            "2025-09-18",
            "2025-08-11/2025-08-17",
            "2025-08-11/..",
            "2025",
            "2025-08-15~",
            "garbage",
        ]
    ),  # fmt: skip
    "place": st.lists(st.sampled_from(["Alaska", "Anchorage", "Finland"]), min_size=1, max_size=3),
    "people": st.one_of(
        st.lists(NAMES, min_size=1, max_size=4),
        st.fixed_dictionaries(
            {"named": st.lists(NAMES, max_size=3), "absent": st.lists(NAMES, max_size=2)}
        ),
    ),
    "text": st.text(max_size=6),
    "number": st.one_of(st.integers(-3, 3), st.floats(-3, 3, allow_nan=False)),
    "boolean": st.booleans(),
    "quantity": QUANTITY_WORDS.map(parse_quantity)
    | st.sampled_from(["tens of thousands", "thousands", "hundreds", "between 2 and 4 hours"]).map(
        parse_quantity
    ),
    "category": st.sampled_from(
        ["President-elect", "President", "former President", "planned", "held", "cancelled"]
    ),
}


def test_every_type_has_a_strategy():
    assert set(VALUES) == set(types.NAMES)


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_comparison_is_inverse_or_symmetric(declared, kind):
    @settings(deadline=None, max_examples=150)
    @given(VALUES[kind], VALUES[kind])
    def check(a, b):
        forward = compare_values(kind, a, b).relation
        backward = compare_values(kind, b, a).relation
        if kind == "category" and DECLARED.stages(a, b) and forward != backward:
            # Along a declared progression time has a direction: a later stage is a
            # development, an earlier one after it a contradiction.
            later = DECLARED.stages(a, b)[1] > DECLARED.stages(a, b)[0]
            assert (forward, backward) == (
                ("changed", "contradicted") if later else ("contradicted", "changed")
            )
            return
        assert backward == INVERSE.get(forward, forward), (a, b, forward, backward)

    check()


# Reading quantities from the article's words --------------------------------------------------


@pytest.mark.parametrize(
    "words, lower, upper, unit",
    [
        ("nearly three hours", 2.5, 3, "hour"),
        ("about 2 1/2 hours", 2.25, 2.75, "hour"),
        ("about 2½ hours", 2.25, 2.75, "hour"),
        ("more than 100", 100, None, None),
        ("at least 3", 3, None, None),
        ("tens of thousands", 20000, 99999, None),
        ("thousands", 2000, None, None),
        ("millions", 2000000, None, None),
        ("dozens", 24, None, None),
        ("hundreds of thousands", 200000, 999999, None),
        ("fewer than thousands", 0, 2000, None),
        ("fewer than tens of thousands", 0, 99999, None),
        ("more than tens of thousands", 20000, None, None),
        ("2.5 hours", 2.5, 2.5, "hour"),
        ("90 minutes", 90, 90, "minute"),
        ("an hour and a half", 1.5, 1.5, "hour"),
        ("two and a half hours", 2.5, 2.5, "hour"),
        ("about 2,000", 1800, 2200, None),
        ("between 3 and 5 hours", 3, 5, "hour"),
        ("2-3 days", 2, 3, "day"),
        ("fewer than 20 people", 0, 20, None),
        ("10,000 or more", 10000, None, None),
        ("some 40 minutes", 36, 44, "minute"),
        ("1.2 million", 1200000, 1200000, None),
        ("a dozen", 12, 12, None),
        ("one hundred and twenty", 120, 120, None),
        ("just over an hour", 1, 1.5, "hour"),
        ("half an hour", 0.5, 0.5, "hour"),
        ("a half hour", 0.5, 0.5, "hour"),
        ("half a million", 500000, 500000, None),
        ("a few hours", 2, 5, "hour"),
        ("a couple of days", 2, 3, "day"),
        ("several hundred thousand", 300000, 900000, None),
        ("more than a few hours", 2, None, "hour"),
    ],
)
def test_quantity_words_give_bounds(words, lower, upper, unit):
    value = parse_quantity(words)
    assert (value["text"], value.get("lower"), value.get("upper"), value.get("unit")) == (
        words,
        lower,
        upper,
        unit,
    )


def test_quantity_keeps_the_words_and_the_amount():
    assert parse_quantity("nearly  three hours") == {
        "text": "nearly three hours", "amount": 3, "lower": 2.5, "upper": 3, "unit": "hour",
    }  # fmt: skip


@pytest.mark.parametrize("words", ["lots", "3 4", "", "between 5 and 3", "about"])
def test_quantity_refuses_what_it_cannot_read(words):
    with pytest.raises(ValueError):
        parse_quantity(words)


# One list of types ---------------------------------------------------------------------------


def test_the_registry_is_the_one_list_of_types():
    from importlib import resources

    schema = json.loads(
        resources.files("claimkit").joinpath("schema", "claim.schema.json").read_text()
    )
    assert model.TYPES == types.NAMES
    assert schema["properties"]["type"]["enum"] == list(types.NAMES)
    assert schema["allOf"] == types.schema_rules()
    new = next(c for c in main.get_command(None, "new").params if c.name == "kind")
    assert tuple(new.type.choices) == types.NAMES


@pytest.mark.parametrize("name", types.NAMES)
def test_every_type_supplies_each_part(name):
    value_type = types.REGISTRY[name]
    assert value_type.name == name and value_type.description and value_type.schema
    for part in ("from_words", "problems", "text", "compare", "describe", "columns"):
        assert callable(getattr(value_type, part))


def test_words_for_each_type():
    assert value_from_words("quantity", ["about 2 1/2 hours"])["lower"] == 2.25
    assert value_from_words("place", ["Anchorage, Alaska"]) == ["Alaska", "Anchorage"]
    assert value_from_words("place", ["Alaska > Anchorage"]) == ["Alaska", "Anchorage"]
    assert value_from_words("place", ["Alaska"]) == ["Alaska"]
    assert value_from_words("place", ["US > Washington, D.C."]) == ["US", "Washington, D.C."]
    assert value_from_words("place", ["US", "Washington, D.C."]) == ["US", "Washington, D.C."]
    assert value_from_words("people", ["Trump", "absent:Zelensky"]) == {
        "named": ["Trump"],
        "absent": ["Zelensky"],
    }
    assert value_from_words("category", ["former President"]) == "former President"
    assert value_from_words("boolean", ["True"]) is True
    assert value_from_words("number", ["9"]) == 9


def test_every_example_claim_in_the_format_docs_is_valid():
    """docs/format.md's example claim files pass the schema and their type's checks."""
    import re
    from pathlib import Path

    from claimkit.rules.schema import validator
    from ruamel.yaml import YAML

    text = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    yaml = YAML(typ="safe")
    declared = [yaml.load(b) for b in blocks if b.startswith("categories:")]
    assert len(declared) == 1 and not vocabulary.problems(declared[0])
    vocabulary.use(vocabulary.from_data(declared[0]))
    examples = [yaml.load(b) for b in blocks if b.startswith("# yaml-language-server")]
    shown = {data["type"] for data in examples}
    assert shown == set(types.NAMES)
    for data in examples:
        for key in ("value", "published"):
            if hasattr(data.get(key), "isoformat"):  # the safe loader reads days as dates
                data[key] = data[key].isoformat()
        errors = [e.message for e in validator("claim.schema.json").iter_errors(data)]
        assert errors == [], data["id"]
        assert types.REGISTRY[data["type"]].problems(data["value"]) == [], data["id"]


ANY_YAML = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["text", "lower", "upper", "unit", "amount", "named", "absent", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=8,
)


@pytest.mark.parametrize("kind", types.NAMES)
def test_any_hand_written_value_is_handled_without_a_crash(declared, kind):
    """What the schema refuses may still reach comparison (history keeps old versions)."""
    value_type = types.REGISTRY[kind]

    @settings(deadline=None, max_examples=150)
    @given(ANY_YAML, ANY_YAML)
    def check(a, b):
        assert compare_values(kind, a, b).relation in base.RELATIONS
        assert isinstance(value_type.problems(a), list)
        assert isinstance(value_type.text(a), str)
        assert isinstance(value_type.text_with_bounds(a), str)
        assert isinstance(value_type.describe(a, b, compare_values(kind, a, b)), str)
        assert set(value_type.columns(a)) <= set(base.EXPORT_COLUMNS)

    check()


# Comparisons worked out once per value, and kept with the vocabulary --------------------------


@pytest.mark.parametrize("kind", types.NAMES)
def test_a_relation_from_prepared_values_is_the_comparisons(declared, kind):
    """relation() and relation_prepared() (what a claim's standing asks, many times over)
    give compare()'s relation; and what a vocabulary kept from earlier comparisons gives the
    answers a fresh one with the same declarations gives."""
    value_type = types.REGISTRY[kind]

    @settings(deadline=None, max_examples=150)
    @given(VALUES[kind] | ANY_YAML, VALUES[kind] | ANY_YAML)
    def check(a, b):
        vocabulary.use(DECLARED)
        warm = compare_values(kind, a, b)
        assert value_type.relation(a, b) == warm.relation
        prepared = value_type.prepare(a), value_type.prepare(b)
        assert value_type.relation_prepared(*prepared) == warm.relation
        vocabulary.use(vocabulary.from_data(DECLARATIONS))  # nothing remembered yet
        assert compare_values(kind, a, b) == warm
        assert value_type.relation(b, a) == compare_values(kind, b, a).relation

    try:
        check()
    finally:
        vocabulary.use(vocabulary.EMPTY)


def test_names_compare_by_the_vocabulary_in_use_not_by_one_used_before():
    from claimkit.standing import CONSISTENT, CONTESTED, standing_of

    before, after = ["Trump", "Putin"], ["Donald Trump"]
    absent = {"named": ["Putin"], "absent": ["Donald Trump"]}
    source = model.Source("s", "t", None, None, "2025-08-01", "b", "0", "s.yaml")

    def story(*values):
        from claimkit.story import Version

        return [
            Version("c", f"{n:040d}", "r", "p", "b", n, model.Claim(
                "c", "e", "p", "people", value, "asserted", f"s{n}", "q"), None, source)
            for n, value in enumerate(values)
        ]  # fmt: skip

    try:
        for declared, relation, state in [
            (vocabulary.EMPTY, "overlapping", CONSISTENT),
            (DECLARED, "broadened", CONTESTED),
            (vocabulary.EMPTY, "overlapping", CONSISTENT),
            (vocabulary.from_data({"people": {"Donald Trump": ["Trump"]}}), "broadened", CONTESTED),
            (vocabulary.from_data({"people": {"Vladimir Putin": ["Putin", "Donald Trump",
                                                                  "Trump"]}}), "same", CONTESTED),
        ]:  # fmt: skip
            vocabulary.use(declared)
            assert compare_values("people", before, after).relation == relation
            assert types.REGISTRY["people"].relation(before, after) == relation
            assert standing_of(story(["Trump"], absent)).state == state
    finally:
        vocabulary.use(vocabulary.EMPTY)


def test_names_that_are_not_strings_are_not_taken_for_others_that_equal_them():
    assert compare_values("people", [1], [True]).relation == "overlapping"
    assert compare_values("people", [True], [1]).relation == "overlapping"
    assert compare_values("people", [True], ["true"]).relation == "same"
    assert compare_values("people", [1], ["1"]).relation == "same"


def test_a_vocabulary_keeps_a_bounded_number_of_answers():
    declared = vocabulary.from_data(DECLARATIONS)
    for n in range(vocabulary.MEMO_LIMIT + 10):
        declared.person(f"name {n}")
    assert 0 < len(declared.memo("person")) <= vocabulary.MEMO_LIMIT
    assert declared.person("President Trump") == "donald trump"


WORDS = st.lists(
    st.sampled_from(
        [
            "about",
            "nearly",
            "more",
            "than",
            "at",
            "least",
            "a",
            "an",
            "half",
            "and",
            "to",
            "-",
            "between",
            "3",
            "2,000",
            "1/2",
            "0/0",
            "½",
            "2.5",
            "three",
            "hundred",
            "thousands",
            "tens",
            "of",
            "hours",
            "minutes",
            "or",
            "so",
            "several",
            "few",
            "people",
            "~",
            "under",
        ]
    ),  # fmt: skip
    max_size=6,
).map(" ".join)


@settings(deadline=None, max_examples=400)
@given(st.one_of(WORDS, st.text(max_size=12)))
def test_any_words_give_a_quantity_or_a_reason(words):
    try:
        value = parse_quantity(words)
    except ValueError as err:
        assert str(err)
        return
    assert value["text"] == " ".join(words.split())
    lower, upper = value.get("lower", float("-inf")), value.get("upper", float("inf"))
    assert lower <= upper
    assert types.REGISTRY["quantity"].problems(value) == []
