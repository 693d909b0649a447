"""`claims export --repository` several times: several repositories in one file, every row
saying which repository it comes from; and one repository's export left as it was."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
import yaml
from claimkit.export import VERSION_FIELDS
from conftest import (
    assert_one_line_error,
    base_files,
    claim_text,
    git,
    source_files,
)

TABLES = ("versions", "claims", "sources", "commits")


@pytest.fixture
def three(make_repo, story, repo):
    """story-a (the story: 5 versions of 2 claims), story-b (summit-date again: 1 version)
    and a folder named story-c (summit-date in a third repository, a different value)."""
    third = make_repo(
        [{**source_files("c1", "Summit in Alaska on August 15.\n", "2025-08-09"),
          "claims/summit-date.yaml": claim_text(source="c1", modality="asserted",
                                                quote="Summit in Alaska on August 15")}],
        name="story-c",
    )  # fmt: skip
    return {"story-a": story, "story-b": repo, "story-c": third}


def together(claims, three, *args):
    options = []
    for name, path in three.items():
        options += ["--repository", str(path) if name == "story-c" else f"{name}={path}"]
    return claims("export", *options, *args)


def single(claims, path, tmp_path, fmt):
    target = tmp_path / f"{path.name}.{fmt}"
    result = claims("export", "--format", fmt, "--output", str(target), repo=path)
    assert result.exit_code == 0, result.stderr
    return target


def rows(db, sql, *args):
    db.row_factory = sqlite3.Row
    return [dict(row) for row in db.execute(sql, args)]


def test_sqlite_holds_each_repository_as_its_own_export_does(claims, three, tmp_path):
    target = tmp_path / "all.db"
    result = together(claims, three, "--format", "sqlite", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"wrote {tmp_path / 'all.metadata.yml'}: Datasette metadata",
        f"wrote {target}: 7 versions of 4 claims from 6 sources in 3 repositories",
    ]
    db = sqlite3.connect(target)
    counts = {
        table: dict(db.execute(f"select repository, count(*) from {table} group by repository"))
        for table in TABLES
    }
    assert counts == {
        "versions": {"story-a": 5, "story-b": 1, "story-c": 1},
        "claims": {"story-a": 2, "story-b": 1, "story-c": 1},
        "sources": {"story-a": 3, "story-b": 2, "story-c": 1},
        "commits": {"story-a": 3, "story-b": 1, "story-c": 1},
    }
    # Every row of each repository is its own export's row, with the repository's name added;
    # the versions in story order, numbered across the repositories in the order given.
    order = {"versions": "id", "claims": "id", "sources": "id", "commits": "rowid"}
    for name, path in three.items():
        one = sqlite3.connect(single(claims, path, tmp_path, "sqlite"))
        for table in TABLES:
            alone = rows(one, f"select * from {table} order by {order[table]}")
            combined = rows(
                db, f"select * from {table} where repository = ? order by {order[table]}", name
            )
            for row in combined:
                assert row.pop("repository") == name
                if table == "versions":
                    row.pop("id")
            for row in alone:
                if table == "versions":
                    row.pop("id")
            assert combined == alone, (name, table)
    ids = [row[0] for row in db.execute("select id from versions order by repository, id")]
    assert ids == list(range(1, 8))
    assert db.execute("pragma user_version").fetchone()[0] == 1


def test_sqlite_keys_views_and_search_go_by_repository(claims, three, tmp_path):
    target = tmp_path / "all.db"
    assert together(claims, three, "--format", "sqlite", "--output", str(target)).exit_code == 0
    db = sqlite3.connect(target)
    # One claim id in three repositories: three claims, three first versions.
    assert rows(db, "select repository, value from claims where id = 'summit-date' order by 1") == [
        {"repository": "story-a", "value": "2025-09-18"},
        {"repository": "story-b", "value": "2025-08-15"},
        {"repository": "story-c", "value": "2025-08-15"},
    ]
    keys = {row["name"]: row["pk"] for row in rows(db, "pragma table_info(claims)") if row["pk"]}
    assert keys == {"repository": 1, "id": 2}
    keys = {row["name"]: row["pk"] for row in rows(db, "pragma table_info(commits)") if row["pk"]}
    assert keys == {"repository": 1, "sha": 2}
    foreign = {
        (r["table"], r["from"], r["to"]) for r in rows(db, "pragma foreign_key_list(versions)")
    }
    assert foreign == {
        ("claims", "repository", "repository"), ("claims", "claim", "id"),
        ("sources", "repository", "repository"), ("sources", "source", "id"),
        ("commits", "repository", "repository"), ("commits", "commit_sha", "sha"),
    }  # fmt: skip
    assert db.execute("pragma foreign_key_check").fetchall() == []
    unique = [
        r for r in rows(db, "pragma index_list(versions)") if r["unique"] and r["origin"] == "c"
    ]
    assert [r["name"] for r in unique] == ["versions_repository_claim_position"]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "insert into versions (id, repository, claim, position, change, commit_sha, recorded,"
            " out_of_order) select 99, repository, claim, position, change, commit_sha, recorded,"
            " out_of_order from versions where id = 1"
        )
    # The story view joins a version to the one before it in its own repository only.
    firsts = rows(
        db,
        "select repository, position, previous_value, value, commit_subject from story "
        "where claim = 'summit-date' and position = 1 order by repository",
    )
    assert [(r["repository"], r["previous_value"]) for r in firsts] == [
        ("story-a", None),
        ("story-b", None),
        ("story-c", None),
    ]
    assert {r["commit_subject"] for r in firsts} == {"Record a1", "commit 1"}
    assert rows(db, "select repository, claim, previous_value, value from contradictions") == [
        {"repository": "story-a", "claim": "summit-date", "previous_value": "2025-08",
         "value": "2025-09-18"}
    ]  # fmt: skip
    # Full-text search finds versions in every repository, each row with its repository.
    found = rows(
        db,
        "select v.repository, v.claim, v.position from versions v join versions_fts f "
        "on f.rowid = v.rowid where versions_fts match 'alaska' order by v.id",
    )
    assert {r["repository"] for r in found} == {"story-a", "story-b", "story-c"}
    sources = rows(
        db,
        "select s.repository, s.id from sources s join sources_fts f on f.rowid = s.rowid "
        "where sources_fts match 'anchorage'",
    )
    assert sources == [{"repository": "story-a", "id": "a3"}]
    import sqlite_utils

    hits = list(sqlite_utils.Database(target)["versions"].search("anchorage"))
    assert {(h["repository"], h["claim"]) for h in hits} == {
        ("story-a", "summit-date"),
        ("story-a", "summit-location"),
    }


def test_sqlite_metadata_describes_the_column_and_its_queries_run(claims, three, tmp_path):
    target = tmp_path / "all.db"
    assert together(claims, three, "--format", "sqlite", "--output", str(target)).exit_code == 0
    meta = yaml.safe_load((tmp_path / "all.metadata.yml").read_text())
    database = meta["databases"]["all"]
    for table in ("versions", "claims", "sources", "commits", "story", "contradictions"):
        assert database["tables"][table]["columns"]["repository"].startswith("The repository")
    assert database["tables"]["versions"]["facets"][0] == "repository"
    db = sqlite3.connect(target)
    params = {"repository": "story-a", "claim": "summit-date", "words": "alaska"}
    answers = {}
    for name, query in database["queries"].items():
        answers[name] = db.execute(query["sql"], params).fetchall()
    assert len(answers["story_of_a_claim"]) == 3
    assert answers["every_contradiction"][0][:2] == ("story-a", "summit-date")
    assert {row[0] for row in answers["search_quotes"]} == {"story-a", "story-b", "story-c"}
    assert {row[0] for row in answers["what_each_article_changed"]} == set(three)


def test_parquet_has_the_repository_column_and_each_repository_s_rows(claims, three, tmp_path):
    import pyarrow.parquet as pq  # the parquet extra, in the dev extras

    target = tmp_path / "all.parquet"
    result = together(claims, three, "--format", "parquet", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    table = pq.read_table(target)
    assert table.schema.names[0] == "repository"
    assert not table.schema.field("repository").nullable
    assert table.schema.metadata[b"export_version"] == b"1"
    combined = {name: [] for name in three}
    for row in table.to_pylist():
        combined[row.pop("repository")].append(row)
    for name, path in three.items():
        alone = pq.read_table(single(claims, path, tmp_path, "parquet"))
        assert alone.schema.names == table.schema.names[1:]
        assert combined[name] == alone.to_pylist(), name
    # What DuckDB and Spark do with it: filter and group by the column, reading the file.
    dataset = pq.ParquetDataset(target, filters=[("repository", "=", "story-c")])
    assert dataset.read().column("claim").to_pylist() == ["summit-date"]


def test_csv_is_each_repository_s_csv_behind_a_repository_column(claims, three, tmp_path):
    result = together(claims, three, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = list(csv.reader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    assert table[0] == ["repository", *VERSION_FIELDS]
    for name, path in three.items():
        alone = single(claims, path, tmp_path, "csv").read_bytes().decode()
        lines = alone.split("\r\n")
        mine = [row[1:] for row in table[1:] if row[0] == name]
        assert mine == list(csv.reader(io.StringIO(alone, newline="")))[1:], name
        assert len(mine) == len(lines) - 2  # the header and the empty end


def test_json_lists_the_repositories_and_each_one_s_rows(claims, three, tmp_path):
    result = together(claims, three, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == [
        "export_version", "truncated", "repositories", "claims", "sources", "versions"
    ]  # fmt: skip
    assert document["repositories"] == [
        {"name": name, "truncated": False} for name in ("story-a", "story-b", "story-c")
    ]
    for key in ("claims", "sources", "versions"):
        combined = {name: [] for name in three}
        for row in document[key]:
            combined[row.pop("repository")].append(row)
        for name, path in three.items():
            alone = json.loads(single(claims, path, tmp_path, "json").read_text())
            assert combined[name] == alone[key], (name, key)


def test_two_repositories_of_one_name_are_refused(claims, make_repo, repo, tmp_path):
    other = make_repo([base_files()], name="elsewhere")
    target = tmp_path / "all.db"
    target.write_text("old")
    result = claims(
        "export", "--repository", f"same={repo}", "--repository", f"same={other}",
        "--format", "sqlite", "--output", str(target),
    )  # fmt: skip
    assert_one_line_error(result, "two repositories named 'same'", str(repo), str(other), code=2)
    assert target.read_text() == "old"


def test_c_and_repository_are_not_combined(claims, make_repo, repo, tmp_path):
    other = make_repo([base_files()], name="elsewhere")
    target = tmp_path / "all.csv"
    result = claims("export", "--repository", str(other), "--format", "csv",
                    "--output", str(target), repo=repo)  # fmt: skip
    assert_one_line_error(result, "-C and --repository cannot be combined", code=2)
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["sqlite", "parquet", "csv"])
def test_a_folder_that_is_not_a_claims_repository_is_refused(claims, repo, tmp_path, fmt):
    plain = tmp_path / "plain"
    plain.mkdir()
    no_git = tmp_path / "no-git"
    (no_git / "claims").mkdir(parents=True)
    target = tmp_path / f"all.{fmt}"
    target.write_text("old")
    for folder, message in ((plain, "not a claims repository"), (no_git, "not a git repository")):
        result = claims("export", "--repository", str(repo), "--repository", str(folder),
                        "--format", fmt, "--output", str(target))  # fmt: skip
        assert_one_line_error(result, str(folder), message, code=4)
        assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if "all" in p.name) == [target.name]


@pytest.mark.parametrize("fmt", ["sqlite", "parquet", "csv", "json"])
def test_a_failure_in_a_later_repository_leaves_the_old_file(
    claims, three, tmp_path, monkeypatch, fmt
):
    import errno

    from claimkit import export

    rows = []
    original = export.version_row

    def full_disk_at_the_sixth_row(*args):
        rows.append(args)
        if len(rows) == 6:  # the first row of the second repository
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(*args)

    monkeypatch.setattr(export, "version_row", full_disk_at_the_sixth_row)
    target = tmp_path / f"all.{fmt}"
    target.write_text("old")
    result = together(claims, three, "--format", fmt, "--output", str(target))
    assert_one_line_error(result, f"cannot write {target}", "No space left on device", code=2)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if "all" in p.name) == [target.name]


def test_the_output_may_not_lie_inside_any_of_the_repositories(claims, three):
    target = three["story-b"] / "claims" / "all.db"
    result = together(claims, three, "--format", "sqlite", "--output", str(target))
    assert_one_line_error(result, "inside claims/", code=5)


# One repository, without --repository: the export it always was, no repository column.

FIXED = "2025-09-01T12:00:00+00:00"


@pytest.fixture
def fixed_dates(monkeypatch):
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_DATE", FIXED)


def test_one_repository_s_csv_and_json_are_as_they_were(claims, make_repo, fixed_dates):
    path = make_repo([base_files()])
    sha = git(path, "rev-parse", "HEAD").strip()
    expected_csv = (
        ",".join(VERSION_FIELDS) + "\r\n"
        'summit-date,1,alaska-summit-2025,date,date,2025-08-15,"""2025-08-15""",'
        "2025-08-15,2025-08-15,,,,scheduled,first-report,,a1,"
        "Trump and Putin Set to Meet in Alaska,2025-08-08,2025-08-08,2025-08-08,"
        f"{sha},{FIXED},false,,scheduled to meet next Friday in Alaska,,,,\r\n"
    )
    result = claims("export", "--format", "csv", repo=path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.decode() == expected_csv
    result = claims("export", "--format", "json", repo=path)
    document = json.loads(result.stdout)
    assert list(document) == ["export_version", "truncated", "claims", "sources", "versions"]
    assert list(document["versions"][0]) == list(VERSION_FIELDS)
    assert "repository" not in document["claims"][0] and "repository" not in document["sources"][0]
    assert result.stdout.splitlines()[-3].startswith('    {"claim": "summit-date", "position": 1,')


def test_one_repository_s_sqlite_and_parquet_have_no_repository_column(claims, repo, tmp_path):
    db = sqlite3.connect(single(claims, repo, tmp_path, "sqlite"))
    schema = " ".join(
        sql for (sql,) in db.execute("select sql from sqlite_master where sql is not null")
    )
    assert "repository" not in schema
    assert [r[1] for r in db.execute("pragma table_info(versions)")] == ["id", *VERSION_FIELDS]
    assert [r[1] for r in db.execute("pragma index_list(versions)") if r[2]] == [
        "versions_claim_position"
    ]
    meta = (tmp_path / f"{repo.name}.metadata.yml").read_text()
    assert "repository" not in meta
    import pyarrow.parquet as pq

    names = pq.read_table(single(claims, repo, tmp_path, "parquet")).schema.names
    assert names == [*VERSION_FIELDS, "commit_subject", "commit_author"]


# docs/performance.md's recipe for those who export one at a time and combine with sqlite3.

RECIPE = """
ATTACH '{a}' AS a;
ATTACH '{b}' AS b;
CREATE TABLE versions AS
  SELECT 'story-a' AS repository, * FROM a.versions
  UNION ALL SELECT 'story-b', * FROM b.versions;
"""


def test_two_exports_combine_into_one_database(claims, story, repo, tmp_path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for source, target in ((story, a), (repo, b)):
        result = claims("export", "--format", "sqlite", "--output", str(target), repo=source)
        assert result.exit_code == 0, result.stderr
    combined = sqlite3.connect(tmp_path / "all.sqlite")
    combined.executescript(RECIPE.format(a=a, b=b))
    counts = dict(combined.execute("SELECT repository, count(*) FROM versions GROUP BY repository"))
    expected = {}
    for name, path in (("story-a", a), ("story-b", b)):
        with sqlite3.connect(path) as single_db:
            expected[name] = single_db.execute("SELECT count(*) FROM versions").fetchone()[0]
    assert counts == expected and counts["story-a"] == 5 and counts["story-b"] == 1
    claims_seen = {row[0] for row in combined.execute("SELECT DISTINCT claim FROM versions")}
    assert claims_seen == {"summit-date", "summit-location"}


@pytest.mark.parametrize("value", ["a=", "=somewhere"])
def test_a_repository_without_its_name_or_folder_is_a_usage_error(
    claims, repo, tmp_path, monkeypatch, value
):
    monkeypatch.chdir(repo)  # an empty folder must not quietly mean this one
    target = tmp_path / "all.csv"
    result = claims("export", "--repository", value, "--format", "csv", "--output", str(target))
    part = "the folder after '=' is empty" if value.endswith("=") else "the name before '='"
    assert_one_line_error(result, f"--repository {value}", part, code=2)
    assert not target.exists()
