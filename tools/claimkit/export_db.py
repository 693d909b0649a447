"""The export as databases: SQLite built with sqlite-utils (keys, full-text search, views, and
a metadata file Datasette reads), and Parquet for DuckDB, Spark and other engines.

The rows are export.py's; this module only gives them a home. See docs/export.md.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .export import CLAIM_FIELDS, EXPORT_VERSION, SOURCE_FIELDS, VERSION_FIELDS, Export, Tally
from .files import replacing

if TYPE_CHECKING:
    import sqlite3

COMMIT_FIELDS = ("sha", "recorded", "subject", "author")
INTEGERS = {"position", "versions", "contested", "out_of_order"}
FLOATS = {"amount_lower", "amount_upper"}
JSON_TEXT = {"value_data", "also", "superseded_by"}  # lists and mappings, as JSON text
NOT_NULL = {
    "sources": {"versions"},
    "claims": {"versions", "contested"},
    "versions": {"claim", "position", "change", "commit_sha", "recorded", "out_of_order"},
    "commits": {"recorded"},
}
SEARCHED = {"versions": ["quote", "note", "title", "value"], "sources": ["title", "outlet"]}
INDEXES = {
    "versions": [("claim", "position"), ("source",), ("change",), ("published_lower",),
                 ("commit_sha",)],
    "claims": [("event",)],
}  # fmt: skip

# The story of each claim: every version beside the one before it in publication order.
STORY_VIEW = """
select v.claim, v.position, v.published, v.source, v.title, v.change,
       p.value as previous_value, v.value, v.modality, v.quote, v.note,
       v.commit_sha, c.subject as commit_subject, v.recorded
from versions v
left join versions p on p.claim = v.claim and p.position = v.position - 1
left join commits c on c.sha = v.commit_sha
order by v.claim, v.position
"""
CONTRADICTIONS_VIEW = """
select claim, position, previous_value, value, source, title, published, quote
from story where change = 'contradicted'
"""

DESCRIPTIONS = {
    "claims": "One row per claim, as its latest committed readable version has it.",
    "sources": "The articles: every source in seeds/ and any a version cites.",
    "versions": "Every version of every claim in history, in story order (by publication).",
    "commits": "The commits that recorded versions.",
    "story": "Each claim's story: every version beside the value it followed.",
    "contradictions": "Every version whose value contradicts the one before it.",
}
COLUMNS = {
    "versions": {
        "position": "The version's place in the claim's story order, from 1",
        "value": "The value as one line of text",
        "value_data": "The value as JSON",
        "value_lower": "For a date value, the first day it may denote",
        "value_upper": "For a date value, the last day it may denote",
        "amount_lower": "For a quantity or number, its lower bound (in value_unit); NULL if open",
        "amount_upper": "For a quantity or number, its upper bound (in value_unit); NULL if open",
        "value_unit": "A quantity's time unit (minute, hour, ...); NULL for a count",
        "also": "The article's other, incompatible statements on the claim, as JSON",
        "change": "first-report, corroborated, refined, broadened, contradicted, changed, edited or unreadable",
        "detail": "What changed, e.g. 2025-08 -> 2025-09-18; NULL when nothing to say",
        "published": "The source's published date (EDTF)",
        "commit_sha": "The commit that recorded the version",
        "recorded": "When that commit was made",
        "out_of_order": "1 when recorded after a version published later",
        "error": "Why the file at that commit does not parse; NULL when it does",
    },
    "claims": {
        "contested": "1 when some version contradicts the one before it, or itself",
        "superseded_by": "The claims that replace a retired one, as JSON",
    },
    "commits": {"recorded": "The committer date", "subject": "The commit message's first line"},
}  # fmt: skip
QUERIES = {
    "every_contradiction": {
        "title": "Every contradiction",
        "description": "Each version that contradicts the one before it, with both values.",
        "sql": "select * from contradictions order by claim, position",
    },
    "story_of_a_claim": {
        "title": "The story of one claim",
        "sql": "select * from story where claim = :claim order by position",
    },
    "search_quotes": {
        "title": "Search quotes, notes and titles",
        "sql": (
            "select versions.claim, versions.position, versions.value, versions.quote, "
            "versions.title from versions join versions_fts on versions_fts.rowid = versions.rowid "
            "where versions_fts match :words order by rank"
        ),
    },
    "what_each_article_changed": {
        "title": "What each article changed",
        "sql": "select source, change, count(*) as versions from versions "
        "group by source, change order by source",
    },
}


def _column_types(fields: tuple[str, ...]) -> dict[str, type]:
    return {name: int if name in INTEGERS else float if name in FLOATS else str for name in fields}


def sqlite_cells(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """A row as SQLite cells: value_data as JSON text, booleans as 0 and 1, None as NULL."""
    cells = {}
    for name in fields:
        value = row.get(name)
        if name in JSON_TEXT and value is not None:
            value = json.dumps(value, ensure_ascii=False, allow_nan=False)
        elif isinstance(value, bool):
            value = int(value)
        cells[name] = value
    return cells


def write_sqlite(exported, rest, path: Path) -> Tally:
    """A new SQLite database at `path`, replaced atomically, from each claim's row and version
    rows as they come (`exported`): the versions are inserted as they come, then the claims, then the sources and
    commits `rest(tally)` gives once every version is counted. Returns the tally."""
    tally = Tally()
    claims: list[dict[str, Any]] = []

    def versions():
        for claim, rows in exported:
            claims.append(claim)
            tally.add(rows)
            yield from rows

    _write_sqlite(path, versions(), lambda: (claims, *rest(tally)))
    return tally


def _write_sqlite(path: Path, versions, rest) -> None:
    import sqlite_utils

    with database_file(path) as conn:
        _build(sqlite_utils.Database(conn), versions, rest)


@contextmanager
def database_file(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a new SQLite database built in a temporary file beside `path` and
    renamed over it once whole; SQLite's failures (a full disk) as an OSError naming `path`."""
    import sqlite3

    with replacing(path) as tmp:
        conn = sqlite3.connect(tmp)
        # A file renamed into place (and flushed to disk) only once whole: a rollback journal
        # and a disk flush on each of sqlite-utils' per-batch commits would only slow it down
        # (6 s of a 14 s export of 8,000 versions).
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        try:
            yield conn
        except sqlite3.OperationalError as err:  # a full disk, an unwritable folder
            raise OSError(errno.EIO, f"SQLite: {err}", str(path)) from None
        finally:
            conn.close()


TABLES = [
    ("commits", COMMIT_FIELDS, "sha", []),
    ("sources", SOURCE_FIELDS, "id", []),
    ("claims", CLAIM_FIELDS, "id", [("source", "sources", "id")]),
    ("versions", ("id", *VERSION_FIELDS), "id",
     [("claim", "claims", "id"), ("source", "sources", "id"), ("commit_sha", "commits", "sha")]),
]  # fmt: skip


def _build(db, versions, rest) -> None:
    """The tables, in this order; the versions are inserted first (they may be streaming, and
    the other tables' rows are only known after them: `rest()` gives the claims, sources and
    commits), each table's rows in their own order, so the database holds what inserting
    table by table would."""
    for name, fields, pk, keys in TABLES:
        types = _column_types(fields)
        if name == "versions":
            types["id"] = int
        db[name].create(types, pk=pk, foreign_keys=keys, not_null=NOT_NULL.get(name, set()))
    fields = dict((name, fields) for name, fields, _, _ in TABLES)
    numbered = ({"id": n, **row} for n, row in enumerate(versions, 1))
    db["versions"].insert_all(
        (sqlite_cells(row, fields["versions"]) for row in numbered), batch_size=500
    )
    claims, sources, commits = rest()
    for name, rows in (("claims", claims), ("sources", sources), ("commits", commits)):
        db[name].insert_all((sqlite_cells(row, fields[name]) for row in rows), batch_size=500)
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(list(columns), f"{name}_{'_'.join(columns)}",
                                  unique=columns == ("claim", "position"))  # fmt: skip
    for name, columns in SEARCHED.items():
        db[name].enable_fts(columns, create_triggers=False, tokenize="unicode61")
    db.create_view("story", STORY_VIEW.strip())
    db.create_view("contradictions", CONTRADICTIONS_VIEW.strip())
    db.execute(f"PRAGMA user_version = {EXPORT_VERSION}")
    db.conn.commit()


def metadata(database: str) -> dict[str, Any]:
    """What Datasette shows about the export: descriptions, facets and canned queries."""
    tables: dict[str, Any] = {}
    for name, description in DESCRIPTIONS.items():
        tables[name] = {"description": description}
        if name in COLUMNS:
            tables[name]["columns"] = COLUMNS[name]
    tables["versions"]["facets"] = ["change", "claim", "source", "modality", "event"]
    tables["claims"]["facets"] = ["event", "type", "contested"]
    tables["versions"]["sort"] = "id"
    tables["sources"]["label_column"] = "id"  # a title may be NULL; the id never is
    return {
        "title": "claims",
        "description": "Every version of every claim, from `claims export --format sqlite`.",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }


def metadata_path(path: Path) -> Path:
    """Where the metadata of the database at `path` goes: beside it, `NAME.metadata.yml`."""
    return path.with_name(f"{path.stem}.metadata.yml")


def metadata_yaml(path: Path) -> str:
    from .yamledit import dump_mapping

    return dump_mapping(
        metadata(path.stem),
        header=f"# Datasette metadata: datasette {path.name} -m {metadata_path(path).name}\n",
    )


PARQUET_DATES = {"value_lower", "value_upper", "published_lower", "published_upper"}
PARQUET_FIELDS = (*VERSION_FIELDS, "commit_subject", "commit_author")


def write_parquet(export: Export, path: Path) -> None:
    """The version rows, with each commit's subject and author, as one Parquet file at `path`,
    atomically. Date bounds are dates, `recorded` a timestamp, booleans booleans."""
    import pyarrow.parquet as pq

    commits = {
        row["sha"]: (row["recorded"], row["author"], row["subject"]) for row in export.commits
    }
    schema = parquet_schema(PARQUET_FIELDS)
    table = parquet_table(export.versions, commits, schema)
    with replacing(path) as tmp:
        pq.write_table(table, tmp)


def _parquet_type(name: str):
    import pyarrow as pa

    if name == "position":
        return pa.int32()
    if name == "out_of_order":
        return pa.bool_()
    if name in PARQUET_DATES:
        return pa.date32()
    if name in FLOATS:
        return pa.float64()
    if name == "recorded":
        return pa.timestamp("s", tz="UTC")
    return pa.string()


def parquet_schema(fields: tuple[str, ...], required: set[str] = frozenset()):
    """The Parquet schema of version rows with `fields` (export_several adds `repository`)."""
    import pyarrow as pa

    not_null = NOT_NULL["versions"] | required
    return pa.schema(
        [pa.field(name, _parquet_type(name), nullable=name not in not_null) for name in fields],
        metadata={"export_version": str(EXPORT_VERSION)},
    )


def parquet_table(rows, commits: dict[str, tuple[str, str, str]], schema):
    """Version rows as a table of `schema`; `commits` maps a sha to (recorded, author,
    subject), as commit_details gives them."""
    import datetime as dt

    import pyarrow as pa

    columns: dict[str, list] = {name: [] for name in schema.names}
    own = [name for name in schema.names if name not in ("commit_subject", "commit_author")]
    for row in rows:
        _recorded, author, subject = commits.get(row["commit_sha"], (None, None, None))
        for name in own:
            value = row[name]
            if name in JSON_TEXT and value is not None:
                value = json.dumps(value, ensure_ascii=False, allow_nan=False)
            elif name in FLOATS and value is not None:
                value = float(value)
            elif name in PARQUET_DATES and value is not None:
                value = dt.date.fromisoformat(value)
            elif name == "recorded":
                value = dt.datetime.fromisoformat(value)
            columns[name].append(value)
        columns["commit_subject"].append(subject)
        columns["commit_author"].append(author)
    return pa.table(columns, schema=schema)
