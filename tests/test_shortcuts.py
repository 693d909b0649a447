"""Each shortcut taken for speed against the slow, plain way it stands in for."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest
from claimkit.errors import DataError
from claimkit.repo import ClaimsRepo
from claimkit.rules.schema import compile_shortcut, shortcut, validator
from claimkit.yamlio import parse_mapping
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The schema shortcut never calls valid what jsonschema calls invalid --------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.just(1.0),
    st.sampled_from(["", "x", "date", "place", "people", "text", "number", "boolean",
                     "asserted", "scheduled", "2025-08-15", "a1", "A b", "bad id", "00ff" * 16]),
    st.text(max_size=8),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=6,
)  # fmt: skip


def near_valid(fields: tuple[str, ...], example: dict):
    """Documents built from a valid example: fields dropped, replaced, or added."""
    return st.builds(
        lambda drop, changes, extra: {
            **{k: v for k, v in example.items() if k not in drop},
            **changes,
            **extra,
        },
        st.sets(st.sampled_from(fields), max_size=2),
        st.dictionaries(st.sampled_from(fields), VALUES, max_size=2),
        st.dictionaries(st.sampled_from(["extra", "notes"]), VALUES, max_size=1),
    )


CLAIM = {"id": "summit-date", "event": "alaska-summit-2025", "property": "date", "type": "date",
         "value": "2025-08-15", "modality": "scheduled", "source": "a1", "quote": "next Friday"}  # fmt: skip
SOURCE = {"id": "a1", "title": "T", "outlet": None, "url": None, "published": "2025-08-08",
          "published_basis": "Dateline.", "sha256": "0" * 64}  # fmt: skip
CLAIM_VALUES = {
    "date": st.sampled_from(["2025-08", "2025-08-11/..", "next Friday", 3]),
    "place": st.lists(st.sampled_from(["Alaska", "", "Anchorage", 1]), max_size=3),
    "people": st.lists(st.sampled_from(["Ann", "Ann", "Bo", ""]), max_size=3),
    "text": st.sampled_from(["x", "", 1]),
    "number": st.sampled_from([1, 1.5, True, "1"]),
    "boolean": st.sampled_from([True, False, 0, "true"]),
}


@st.composite
def claims_of_every_type(draw):
    kind = draw(st.sampled_from(sorted(CLAIM_VALUES)))
    return {**CLAIM, "type": kind, "value": draw(CLAIM_VALUES[kind])}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(near_valid(tuple(CLAIM), CLAIM), claims_of_every_type(), VALUES))
def test_claim_schema_shortcut_agrees_with_jsonschema(document):
    answer = shortcut("claim.schema.json")(document)
    if answer is not None:
        assert answer == validator("claim.schema.json").is_valid(document)


@settings(max_examples=300, deadline=None)
@given(st.one_of(near_valid(tuple(SOURCE), SOURCE), VALUES))
def test_source_schema_shortcut_agrees_with_jsonschema(document):
    answer = shortcut("source.schema.json")(document)
    if answer is not None:
        assert answer == validator("source.schema.json").is_valid(document)


def test_the_shortcut_answers_for_valid_files():
    assert shortcut("claim.schema.json")(CLAIM) is True
    assert shortcut("claim.schema.json")({**CLAIM, "type": "people", "value": ["A", "B"]}) is True
    assert shortcut("source.schema.json")(SOURCE) is True


@pytest.mark.parametrize(
    "schema",
    [{"oneOf": [{"type": "string"}]}, {"properties": {"x": {"$ref": "#/x"}}}, {"format": "date"}],
)
def test_a_schema_beyond_the_shortcut_gets_none(schema):
    assert compile_shortcut(schema) is None


def test_the_shipped_schemas_are_within_the_shortcut():
    for name in ("claim.schema.json", "source.schema.json"):
        text = resources.files("claimkit").joinpath("schema", name).read_text(encoding="utf-8")
        assert compile_shortcut(json.loads(text)) is not None


# Parsing without positions gives the same data and the same refusals -------------------------

YAMLISH = st.lists(
    st.sampled_from(["a: 1", "b: [x, y]", "c: &x 1", "d: *x", "e: !t 1", "a: 2", "- 1", "f:",
                     "  - g", "  h: 'q'", "---", "i: {j: k}", "\t", "k: \"2025-08-15\"", "l: ~"]),
    max_size=6,
).map("\n".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_parsing_without_positions_is_the_same_parse(text):
    def outcome(positions):
        try:
            return parse_mapping(text, "f.yaml", positions=positions).data
        except DataError as err:
            return str(err)

    assert outcome(False) == outcome(True)


# repo.inside, resolving each folder once, against resolving each path ------------------------


def test_inside_agrees_with_resolving_every_path(tmp_path):
    root = tmp_path / "repo"
    (root / "claims" / "sub").mkdir(parents=True)
    (root / "seeds").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("x")
    (root / "claims" / "a.yaml").write_text("a")
    (root / "claims" / "out.yaml").symlink_to(outside / "x.yaml")
    (root / "claims" / "in.yaml").symlink_to(root / "claims" / "a.yaml")
    (root / "seeds" / "linked").symlink_to(outside)
    paths = [
        root / "claims" / "a.yaml", root / "claims" / "out.yaml", root / "claims" / "in.yaml",
        root / "claims" / "missing.yaml", root / "seeds" / "linked" / "x.yaml",
        root / "claims" / ".." / ".." / "outside" / "x.yaml", root / "claims" / "..", root,
        root / "claims" / "sub" / ".." / "a.yaml", tmp_path, Path("/"),
    ]  # fmt: skip
    repo = ClaimsRepo(root)

    def resolving(path):
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            return False
        return True

    for path in paths * 2:  # the second time, from the folders already resolved
        assert repo.inside(path) == resolving(path), path


# The walk of seeds/ against os.walk -----------------------------------------------------------


def test_the_source_walk_finds_what_os_walk_finds(tmp_path):
    root = tmp_path / "repo"
    for name in ("seeds/b.yaml", "seeds/2025/08/a.yaml", "seeds/2025/08/b.yaml",
                 "seeds/2024/a.yaml", "seeds/.hidden.yaml", "seeds/2025/x.txt"):  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("id: x\n")
    (root / "seeds" / "dir.yaml").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.yaml").write_text("id: c\n")
    (root / "seeds" / "linked").symlink_to(tmp_path / "elsewhere")
    (root / "seeds" / "2024" / "d.yaml").symlink_to(tmp_path / "elsewhere" / "c.yaml")
    expected: dict[str, Path] = {}
    for folder, dirs, files in os.walk(root / "seeds"):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".yaml") and not name.startswith("."):
                expected.setdefault(name[: -len(".yaml")], Path(folder) / name)
    found = ClaimsRepo(root).source_paths()
    assert list(found.items()) == list(expected.items())
