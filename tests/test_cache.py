"""The cache under .git/claims-cache: it only ever saves work, and is never trusted over git."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest
from claimkit import cache, history
from conftest import cache_dir, date_claim, git, source_files, write_files

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import generate  # noqa: E402

READS = [
    ("list", "--format", "json"),
    ("list", "--as-of", "2010-03-01", "--format", "json"),
    ("list", "--as-of", "2010-06-30", "--format", "json"),
    ("sources", "--format", "json"),
]


@pytest.fixture
def generated(tmp_path):
    generate(tmp_path / "repo", claims=16, commits=60, seed=3)
    return tmp_path / "repo"


def uncached(claims, repo, *argv):
    os.environ["CLAIMS_CACHE"] = "0"
    try:
        return claims(*argv, repo=repo).stdout
    finally:
        del os.environ["CLAIMS_CACHE"]


def answers(claims, repo, reads):
    return [claims(*argv, repo=repo).stdout for argv in reads]


def reads_for(repo: Path):
    """READS, with two real source ids of this repository for diff --sources."""
    ids = sorted(p.stem for p in (repo / "seeds").rglob("*.yaml"))
    return [*READS, ("diff", "--sources", ids[2], ids[30], "--format", "json")]


def test_cold_warm_and_uncached_answers_agree(claims, generated):
    reads = reads_for(generated)
    expected = [uncached(claims, generated, *argv) for argv in reads]
    assert not cache_dir(generated).exists()
    assert answers(claims, generated, reads) == expected  # cold: fills the cache
    names = sorted(p.name for p in cache_dir(generated).iterdir())
    assert names == ["history.jsonl", "seeds.json", "sources.json", "stories.jsonl"]
    assert answers(claims, generated, reads) == expected  # warm


def test_a_new_commit_extends_the_cache_and_the_answer_follows(claims, generated):
    claims("list", "--format", "json", repo=generated)
    old_key = json.loads(
        cache_dir(generated).joinpath("history.jsonl").read_bytes().split(b"\n")[0]
    )
    path = generated / "claims" / "story-0000-date.yaml"
    path.write_text(path.read_text().replace("modality: asserted", "modality: alleged"))
    git(generated, "commit", "-qam", "Correct the modality")
    for argv in reads_for(generated):
        assert claims(*argv, repo=generated).stdout == uncached(claims, generated, *argv)
    header = json.loads(cache_dir(generated).joinpath("history.jsonl").read_bytes().split(b"\n")[0])
    assert header["key"]["head"] == git(generated, "rev-parse", "HEAD").strip()
    assert header["key"]["head"] != old_key["key"]["head"]


def test_a_rewritten_history_is_read_again(claims, generated):
    claims("list", "--format", "json", repo=generated)
    git(generated, "reset", "-q", "--hard", "HEAD~5")
    argv = ("list", "--as-of", "2010-06-30", "--format", "json")
    assert claims(*argv, repo=generated).stdout == uncached(claims, generated, *argv)


def test_a_tampered_cache_is_not_trusted(claims, generated):
    argv = ("list", "--format", "json")
    expected = uncached(claims, generated, *argv)
    claims(*argv, repo=generated)
    file = cache_dir(generated) / "history.jsonl"
    data = file.read_bytes()
    # Change every recorded version of one claim's value, keeping the file well-formed.
    tampered = data.replace(b'"asserted"', b'"denied"')
    assert tampered != data
    file.write_bytes(tampered)
    assert claims(*argv, repo=generated).stdout == expected
    assert file.read_bytes() == data  # rebuilt from git


def test_a_cache_with_a_forged_checksum_but_another_key_is_not_used(claims, generated):
    argv = ("list", "--as-of", "2010-06-30", "--format", "json")
    expected = uncached(claims, generated, *argv)
    claims(*argv, repo=generated)
    file = cache_dir(generated) / "history.jsonl"
    header, _, body = file.read_bytes().partition(b"\n")
    forged = json.loads(header)
    forged["key"]["head"] = "0" * 40  # a history for some other commit
    body = body.replace(b'"asserted"', b'"denied"')
    forged["sha1"] = hashlib.sha1(body).hexdigest()
    file.write_bytes(json.dumps(forged).encode() + b"\n" + body)
    assert claims(*argv, repo=generated).stdout == expected


def test_an_edited_source_is_read_again(claims, generated, monkeypatch):
    # Files just written are never trusted (git's racy-clean rule); here they must be, so that
    # only the stat data can tell that one has changed.
    monkeypatch.setattr(cache, "RACY_NS", 0)
    argv = ("list", "--as-of", "2012-12-31", "--format", "json")
    before = claims(*argv, repo=generated).stdout
    claims(*argv, repo=generated)
    # Move the article behind a claim's latest version to much later, keeping the file's size
    # and modification time: the claim now stands as an earlier article had it.
    cited = next(
        line.split(": ", 1)[1]
        for line in (generated / "claims" / "story-0000-date.yaml").read_text().splitlines()
        if line.startswith("source: ")
    )
    meta = next((generated / "seeds").rglob(f"{cited}.yaml"))
    text = meta.read_text()
    published = next(line for line in text.splitlines() if line.startswith("published: "))
    value = published.split(": ", 1)[1]
    later = value.replace(value[:4], "2019", 1)
    stat = meta.stat()
    meta.write_text(text.replace(published, f"published: {later}"))
    os.utime(meta, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert meta.stat().st_size == stat.st_size
    after = claims(*argv, repo=generated).stdout
    assert after == uncached(claims, generated, *argv)
    assert after != before


def test_a_new_source_folder_is_seen(claims, generated):
    # One-claim commands find their sources in git's index; a whole listing caches seeds/.
    claims("sources", repo=generated)
    assert (cache_dir(generated) / "seeds.json").exists()
    write_files(generated, source_files("late", "Published late.\n", "2030-01-01", "Late"))
    moved = {f"seeds/2030/{name}": (generated / name).read_text() for name in
             ("seeds/late.txt", "seeds/late.yaml")}  # fmt: skip
    for name in ("seeds/late.txt", "seeds/late.yaml"):
        (generated / name).unlink()
    write_files(generated, moved)
    result = claims("sources", "--format", "json", repo=generated)
    assert "late" in [s["id"] for s in json.loads(result.stdout)["sources"]]


def test_cache_off_writes_nothing(claims, generated, monkeypatch):
    monkeypatch.setenv("CLAIMS_CACHE", "0")
    for argv in reads_for(generated):
        claims(*argv, repo=generated)
    assert not cache_dir(generated).exists()


def test_a_read_only_repository_is_read_without_a_cache(claims, generated, monkeypatch):
    expected = [uncached(claims, generated, *argv) for argv in reads_for(generated)]
    real_access = os.access
    monkeypatch.setattr(
        cache.os, "access", lambda path, mode: False if mode & os.W_OK else real_access(path, mode)
    )
    assert answers(claims, generated, reads_for(generated)) == expected
    assert not cache_dir(generated).exists()


def test_an_unwritable_cache_never_fails_a_read(claims, generated):
    cache_dir(generated).write_text("not a folder")
    for argv in reads_for(generated):
        assert claims(*argv, repo=generated).exit_code == 0


def versions_of(repo: Path) -> dict:
    from claimkit.gitio import GitSession
    from claimkit.repo import ClaimsRepo

    with GitSession(repo) as git:
        histories = history.all_versions(ClaimsRepo.open(repo), git)
    return {
        claim_id: [(v.commit, v.order, v.blob, v.claim, v.source) for v in versions]
        for claim_id, versions in histories.items()
    }


def test_an_extended_history_is_the_history_read_whole(generated, monkeypatch):
    versions_of(generated)  # cached at HEAD
    for value in ("2010-03-01", "2010-03-02", "2010-03-03"):
        path = generated / "claims" / "story-0001-date.yaml"
        lines = path.read_text().splitlines()
        path.write_text("\n".join(f"value: {value}" if line.startswith("value: ") else line
                                  for line in lines) + "\n")  # fmt: skip
        git(generated, "commit", "-qam", f"Record {value}")
    extended = versions_of(generated)
    monkeypatch.setenv("CLAIMS_CACHE", "0")
    assert extended == versions_of(generated)
    assert [v[0] for v in extended["story-0001-date"][-3:]] == git(
        generated, "rev-list", "--reverse", "HEAD~3..HEAD"
    ).split()


def test_the_story_fixture_reads_the_same_through_the_cache(claims, story):
    argv = ("list", "--as-of", "2025-09", "--format", "json")
    expected = uncached(claims, story, *argv)
    assert claims(*argv, repo=story).stdout == expected
    assert claims(*argv, repo=story).stdout == expected
    write_files(story, {"claims/summit-date.yaml": date_claim("2025-09-19", "asserted", "a3", "on September 18, 2025")})  # fmt: skip
    git(story, "commit", "-qam", "Correct a3")
    assert claims(*argv, repo=story).stdout == uncached(claims, story, *argv)


def test_each_worktree_keeps_its_own_cache(claims, generated, tmp_path):
    other = tmp_path / "older"
    git(generated, "worktree", "add", "-q", "--detach", str(other), "HEAD~20")
    argv = ("list", "--format", "json")
    for repo in (generated, other, generated, other):
        assert claims(*argv, repo=repo).stdout == uncached(claims, repo, *argv)
    assert (cache_dir(generated) / "history.jsonl").exists()
    own = Path(git(other, "rev-parse", "--absolute-git-dir").strip()) / "claims-cache"
    assert (own / "history.jsonl").exists()
    keys = {json.loads((d / "history.jsonl").read_bytes().split(b"\n")[0])["key"]["head"]
            for d in (cache_dir(generated), own)}  # fmt: skip
    assert len(keys) == 2


def test_a_diff_keeps_what_it_parsed_by_blob_and_reads_it_back(claims, generated, monkeypatch):
    from claimkit import claimfile, parsedblobs

    reads = [
        ("diff", "HEAD~40", "HEAD~5", "--format", "json"),
        ("diff", "HEAD~30", "HEAD~10"),
        ("diff", "HEAD~20", "--format", "json"),  # the working tree, by the blob ids it computes
    ]
    expected = [uncached(claims, generated, *argv) for argv in reads]
    assert not cache_dir(generated).exists()
    assert answers(claims, generated, reads) == expected  # cold: keeps the parsed files
    kept = cache_dir(generated) / parsedblobs.FILE
    assert kept.exists()

    def no_yaml(*args):
        raise AssertionError("a kept blob was parsed again")

    monkeypatch.setattr(parsedblobs, "parse_claim_fields", no_yaml)
    monkeypatch.setattr(parsedblobs, "parse_claim", no_yaml)
    monkeypatch.setattr(claimfile, "parse_mapping", no_yaml)
    assert answers(claims, generated, reads) == expected  # warm: no YAML read at all
    monkeypatch.undo()
    # Tampered with, the file is not the cache's: everything is parsed again.
    data = kept.read_bytes()
    tampered = data.replace(b'"asserted"', b'"denied"')
    assert tampered != data
    kept.write_bytes(tampered)
    assert answers(claims, generated, reads) == expected
    # A working-tree file that does not parse is never taken from what was kept.
    path = generated / "claims" / "story-0000-date.yaml"
    path.write_text(path.read_text() + "value: [unclosed\n")
    broken = claims("diff", "HEAD~20", repo=generated)
    assert broken.exit_code == 3
    assert "claims/story-0000-date.yaml:" in broken.stderr


def test_the_parsed_blobs_kept_stay_bounded(claims, generated, monkeypatch):
    from claimkit import parsedblobs

    monkeypatch.setattr(parsedblobs, "LIMIT", 5)
    claims("diff", "HEAD~40", "HEAD", repo=generated)
    kept = json.loads((cache_dir(generated) / parsedblobs.FILE).read_bytes().split(b"\n", 1)[1])
    assert len(kept) == 5
    newest = claims("diff", "HEAD~3", "HEAD", "--format", "json", repo=generated).stdout
    assert newest == uncached(claims, generated, "diff", "HEAD~3", "HEAD", "--format", "json")


def test_files_named_finds_each_name_in_git_s_order_however_often_asked(make_repo):
    from claimkit.gitio import GitSession

    names = ["seeds/2025/b.yaml", "seeds/a.yaml", "seeds/2024/b.yaml", "seeds/2025/c.yaml"]
    root = make_repo([{name: "id: x\n" for name in names} | {"seeds/2025/b.txt": "text"}])
    with GitSession(root) as git:
        # The first question is answered by one pass of the listing; later ones by a table.
        assert git.files_named(["b.yaml"], "seeds") == ["seeds/2024/b.yaml", "seeds/2025/b.yaml"]
        assert git.files_named(["c.yaml", "a.yaml", "b.yaml"], "seeds") == [
            "seeds/2024/b.yaml", "seeds/2025/b.yaml", "seeds/2025/c.yaml", "seeds/a.yaml",
        ]  # fmt: skip
        assert git.files_named(["b.txt", "none.yaml"], "seeds") == ["seeds/2025/b.txt"]
        assert git.files_named([], "seeds") == []
