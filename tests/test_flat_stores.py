"""The cache files read by offset: the history a claim at a time, the sources by id."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from claimkit import cache, sourcestore
from claimkit.cache import Store
from conftest import cache_dir

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate  # noqa: E402

READS = [
    ("list", "--format", "json"),
    ("list", "--as-of", "2010-06-30", "--format", "json"),
    ("export", "--format", "json"),
    ("export", "--format", "csv"),
]


@pytest.fixture
def generated(tmp_path):
    generate(tmp_path / "repo", claims=12, commits=50, seed=5)
    return tmp_path / "repo"


def answers(claims, repo) -> list[str]:
    found = []
    for argv in READS:
        result = claims(*argv, repo=repo)
        assert result.exit_code == 0, result.output
        found.append(result.stdout)
    return found


@pytest.fixture
def expected(claims, generated, monkeypatch):
    monkeypatch.setenv("CLAIMS_CACHE", "0")
    found = answers(claims, generated)
    monkeypatch.delenv("CLAIMS_CACHE")
    return found


def test_without_the_cache_nothing_is_written_and_the_answers_agree(claims, generated, expected):
    assert not cache_dir(generated).exists()
    assert answers(claims, generated) == expected  # cold
    assert answers(claims, generated) == expected  # warm


@pytest.mark.parametrize("name", ["history.jsonl", "sources.json"])
@pytest.mark.parametrize("damage", ["truncated", "corrupt", "empty", "spans"])
def test_a_damaged_store_is_rebuilt_without_a_word(claims, generated, expected, name, damage):
    answers(claims, generated)
    file = cache_dir(generated) / name
    data = file.read_bytes()
    header, _, body = data.partition(b"\n")
    if damage == "truncated":
        file.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "corrupt":
        file.write_bytes(header + b"\n" + body.replace(b"2010-", b"2011-"))
    elif damage == "empty":
        file.write_bytes(b"")
    else:  # a head whose offsets point past the rows, with the checksum made to hold
        head, _, rows = body.partition(b"\n")
        key = "offsets" if name == "sources.json" else "spans"
        found = json.loads(head)
        if key == "offsets":
            found[key] = [n * 1000 for n in found[key]]
        else:
            found[key] = {c: [s[0] + 99999, s[1], s[2]] for c, s in found[key].items()}
        body = json.dumps(found).encode() + b"\n" + rows
        fields = json.loads(header)
        fields["mac"] = cache._mac(cache.user_key(), fields, body)
        file.write_bytes(json.dumps(fields).encode() + b"\n" + body)
    for argv, answer in zip(READS, expected, strict=True):
        result = claims(*argv, repo=generated)
        assert result.exit_code == 0 and result.stderr == "", result.output
        assert result.stdout == answer
    assert Store(generated / ".git").open(name) is not None  # written again, whole


def test_the_sources_store_finds_every_source_by_id(tmp_path):
    store = Store(tmp_path)
    entries = [
        (f"{n:06d}_article", [f"seeds/{n}.yaml", True, [1, n, 2, 3, 4], f"2010-01-{n % 28 + 1:02d}",
                              {"id": f"{n:06d}_article", "title": f"Article {n} ✓"}])
        for n in range(300)
    ]  # fmt: skip
    lines = [(i, json.dumps(e, ensure_ascii=False).encode()) for i, e in entries]
    lines.append(("tab\there", b'["x", true, null, null, {}]'))  # not storable: left out
    assert sourcestore.write_file(store, "s.json", {"k": 1}, lines, written_ns=5)
    assert sourcestore.open_file(store, "s.json", {"k": 2}) is None  # another key
    found = sourcestore.open_file(store, "s.json", {"k": 1})
    assert found is not None and found.written == 5
    assert len(found.offsets) == 300 // sourcestore.PER_BUCKET + 1
    for source_id, entry in entries:
        assert found.entry(source_id) == entry
    assert found.entry("000300_article") is None
    assert found.entry("000001_articl") is None  # a prefix of an id is not the id
    assert found.entry("tab\there") is None
    assert sorted(i for i, _ in found.lines()) == [i for i, _ in entries]
    found.close()


def test_the_first_entry_of_an_id_is_the_one_written(tmp_path):
    store = Store(tmp_path)
    lines = [("a", b'["new", true, null, null, {}]'), ("a", b'["old", true, null, null, {}]')]
    assert sourcestore.write_file(store, "s.json", {}, lines, written_ns=1)
    assert sourcestore.open_file(store, "s.json", {}).entry("a")[0] == "new"


def test_new_sources_wait_on_disk_until_saved():
    fresh = sourcestore.Fresh()
    assert fresh.get("a") is None and "a" not in fresh
    fresh.add("a", ["seeds/a.yaml", True, [1, 2, 3, 4, 5], "2010-01-01", {"id": "a"}])
    assert "a" in fresh and fresh.get("a")[4] == {"id": "a"}
    assert [i for i, _ in fresh.lines()] == ["a"]
    fresh.close()
    assert fresh.get("a") is None


def test_a_cache_folder_that_cannot_be_written_still_answers(claims, generated, expected):
    folder = cache_dir(generated)
    folder.parent.joinpath("claims-cache").write_text("not a folder")
    try:
        assert answers(claims, generated) == expected
    finally:
        os.remove(folder)
