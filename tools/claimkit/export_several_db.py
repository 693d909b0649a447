"""The export of several repositories as one SQLite database or one Parquet file: export_db's
tables and columns with `repository` first, and keys, views and queries that go by it.

The rows are export_several's, a repository at a time; see docs/export.md, "Several
repositories".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .export import CLAIM_FIELDS, EXPORT_VERSION, SOURCE_FIELDS, VERSION_FIELDS
from .export_several import REPOSITORY, REPOSITORY_HELP, Named, Part, Written, parts

# SQLite ------------------------------------------------------------------------------------------

# The views of export_db, joined on the repository as well: a claim id, a position and a
# commit are only unique within their repository.
STORY_VIEW = """
select v.repository, v.claim, v.position, v.published, v.source, v.title, v.change,
       p.value as previous_value, v.value, v.modality, v.quote, v.note,
       v.commit_sha, c.subject as commit_subject, v.recorded
from versions v
left join versions p
  on p.repository = v.repository and p.claim = v.claim and p.position = v.position - 1
left join commits c on c.repository = v.repository and c.sha = v.commit_sha
order by v.repository, v.claim, v.position
"""
CONTRADICTIONS_VIEW = """
select repository, claim, position, previous_value, value, source, title, published, quote
from story where change = 'contradicted'
"""
INDEXES = {
    "versions": [(REPOSITORY, "claim", "position"), (REPOSITORY, "source"), ("change",),
                 ("published_lower",), (REPOSITORY, "commit_sha")],
    "claims": [("event",)],
}  # fmt: skip
TABLES = {  # name: (fields, primary key, foreign keys as (columns, table, their columns))
    "commits": ((REPOSITORY, "sha", "recorded", "subject", "author"), (REPOSITORY, "sha"), []),
    "sources": ((REPOSITORY, *SOURCE_FIELDS), (REPOSITORY, "id"), []),
    "claims": ((REPOSITORY, *CLAIM_FIELDS), (REPOSITORY, "id"),
               [((REPOSITORY, "source"), "sources", (REPOSITORY, "id"))]),
    "versions": (("id", REPOSITORY, *VERSION_FIELDS), ("id",),
                 [((REPOSITORY, "claim"), "claims", (REPOSITORY, "id")),
                  ((REPOSITORY, "source"), "sources", (REPOSITORY, "id")),
                  ((REPOSITORY, "commit_sha"), "commits", (REPOSITORY, "sha"))]),
}  # fmt: skip


def _create(name: str) -> str:
    """A table's CREATE statement: export_db's columns, `repository` first, and keys that
    include it."""
    from .export_db import FLOATS, INTEGERS, NOT_NULL

    fields, key, foreign = TABLES[name]
    required = {REPOSITORY, *NOT_NULL.get(name, ())}
    lines = []
    for column in fields:
        kind = "INTEGER" if column in INTEGERS or column == "id" else (
            "FLOAT" if column in FLOATS else "TEXT")  # fmt: skip
        if key == (column,):
            kind += " PRIMARY KEY"
        elif column in required:
            kind += " NOT NULL"
        lines.append(f"   [{column}] {kind}")
    if len(key) > 1:
        lines.append(f"   PRIMARY KEY ({', '.join(f'[{c}]' for c in key)})")
    for columns, table, theirs in foreign:
        lines.append(
            f"   FOREIGN KEY({', '.join(f'[{c}]' for c in columns)}) "
            f"REFERENCES [{table}]({', '.join(f'[{c}]' for c in theirs)})"
        )
    return f"CREATE TABLE [{name}] (\n" + ",\n".join(lines) + "\n)"


class _Inserts:
    """Rows for one table, inserted a few hundred at a time."""

    def __init__(self, conn, name: str):
        from .export_db import sqlite_cells

        self.fields = TABLES[name][0]
        self.cells = sqlite_cells
        self.conn, self.pending = conn, []
        marks = ", ".join("?" * len(self.fields))
        columns = ", ".join(f"[{c}]" for c in self.fields)
        self.sql = f"INSERT INTO [{name}] ({columns}) VALUES ({marks})"

    def add(self, row: dict[str, Any]) -> None:
        cells = self.cells(row, self.fields)
        self.pending.append(tuple(cells[name] for name in self.fields))
        if len(self.pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.conn.executemany(self.sql, self.pending)
            self.pending = []


def write_sqlite(repositories: list[Named], path: Path) -> Written:
    """The SQLite database of export_db, every table with `repository`, of every repository,
    at `path`, atomically. Versions are numbered (`id`) across repositories, in the order
    given, each repository's in story order."""
    from .export_db import database_file

    written = Written()
    with database_file(path) as conn:
        _build(conn, repositories, written)
    return written


def _build(conn, repositories: list[Named], written: Written) -> None:
    import sqlite_utils

    from .export_db import SEARCHED

    for name in TABLES:
        conn.execute(_create(name))
    inserts = {name: _Inserts(conn, name) for name in TABLES}
    number = 0
    for part in parts(repositories):
        for claim, rows in part.claims():
            inserts["claims"].add(claim)
            for row in rows:
                number += 1
                inserts["versions"].add({"id": number, **row})
        for row in part.sources():
            inserts["sources"].add(row)
        for row in part.commits():
            inserts["commits"].add(row)
        for table in inserts.values():
            table.flush()
        written.add(part)
    db = sqlite_utils.Database(conn)
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(list(columns), f"{name}_{'_'.join(columns)}",
                                  unique=columns == (REPOSITORY, "claim", "position"))  # fmt: skip
    for name, columns in SEARCHED.items():
        db[name].enable_fts(columns, create_triggers=False, tokenize="unicode61")
    db.create_view("story", STORY_VIEW.strip())
    db.create_view("contradictions", CONTRADICTIONS_VIEW.strip())
    db.execute(f"PRAGMA user_version = {EXPORT_VERSION}")
    conn.commit()


def metadata(database: str, repositories: list[Named]) -> dict[str, Any]:
    """export_db's Datasette metadata, for a database of several repositories: the
    `repository` column described and faceted on, and the canned queries asking for it."""
    import copy

    from .export_db import metadata as single

    found = copy.deepcopy(single(database))
    tables = found["databases"][database]["tables"]
    for name in ("claims", "sources", "versions", "commits", "story", "contradictions"):
        tables[name].setdefault("columns", {})[REPOSITORY] = REPOSITORY_HELP
    for name in ("versions", "claims"):
        tables[name]["facets"] = [REPOSITORY, *tables[name]["facets"]]
    queries = found["databases"][database]["queries"]
    queries["story_of_a_claim"]["sql"] = (
        "select * from story where repository = :repository and claim = :claim order by position"
    )
    queries["every_contradiction"]["sql"] = (
        "select * from contradictions order by repository, claim, position"
    )
    queries["search_quotes"]["sql"] = queries["search_quotes"]["sql"].replace(
        "select versions.claim", "select versions.repository, versions.claim"
    )
    queries["what_each_article_changed"]["sql"] = (
        "select repository, source, change, count(*) as versions from versions "
        "group by repository, source, change order by repository, source"
    )
    found["description"] = (
        "Every version of every claim of "
        + ", ".join(item.name for item in repositories)
        + ", from `claims export --format sqlite --repository ...`."
    )
    return found


def metadata_yaml(path: Path, repositories: list[Named]) -> str:
    from .export_db import metadata_path
    from .yamledit import dump_mapping

    return dump_mapping(
        metadata(path.stem, repositories),
        header=f"# Datasette metadata: datasette {path.name} -m {metadata_path(path).name}\n",
    )


# Parquet -----------------------------------------------------------------------------------------

PARQUET_BATCH = 10_000  # version rows a row group: bounded memory, few groups


def write_parquet(repositories: list[Named], path: Path) -> Written:
    """export_db's Parquet rows, with `repository` first, of every repository, as one file at
    `path`, atomically; written a row group at a time."""
    import pyarrow.parquet as pq

    from .export_db import PARQUET_FIELDS, parquet_schema
    from .files import replacing

    schema = parquet_schema((REPOSITORY, *PARQUET_FIELDS), required={REPOSITORY})
    written = Written()
    with replacing(path) as tmp, pq.ParquetWriter(tmp, schema) as writer:
        for part in parts(repositories):
            commits: dict[str, tuple[str, str, str]] = {}  # the details asked for so far
            batch: list[dict[str, Any]] = []
            for _claim, rows in part.claims():
                batch.extend(rows)
                if len(batch) >= PARQUET_BATCH:
                    writer.write_table(_parquet_batch(part, batch, commits, schema))
                    batch = []
            if batch:
                writer.write_table(_parquet_batch(part, batch, commits, schema))
            part.sources_written = len(part.source_ids())
            written.add(part)
    return written


def _parquet_batch(part: Part, rows: list[dict[str, Any]], commits: dict, schema):
    """Rows as a table, with their commits' subject and author (asked of git once a commit)."""
    from .export_db import parquet_table

    missing = list(dict.fromkeys(r["commit_sha"] for r in rows if r["commit_sha"] not in commits))
    if missing:
        commits.update(part.details(missing))
    return parquet_table(rows, commits, schema)
