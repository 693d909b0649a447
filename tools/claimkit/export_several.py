"""The export of several repositories together: one file whose every row says, in a
`repository` column, which repository it comes from.

Each repository is exported as export.py exports one (the same rows, claim by claim), one
repository after another, its vocabulary in use while it is read; this module names the
repositories, adds the column, and writes the rows as they come into one SQLite database, one
Parquet file, one CSV or one JSON document. See docs/export.md, "Several repositories".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import export as exporting
from .errors import UsageError
from .export import CLAIM_FIELDS, EXPORT_VERSION, SOURCE_FIELDS, VERSION_FIELDS
from .repo import ClaimsRepo

REPOSITORY = "repository"
REPOSITORY_HELP = (
    "The repository the row comes from: the name given to --repository, or its folder's name"
)


@dataclass(frozen=True)
class Named:
    """A repository to export and the name its rows carry."""

    name: str
    path: Path


def named(values: Iterable[str]) -> list[Named]:
    """`[NAME=]DIR` values as named repositories, each checked to be a claims repository.

    A value that is an existing folder is a folder even if it holds `=`; otherwise the text
    before the first `=` is the name. Without a name, the folder's own name is used. Two
    repositories may not share a name: their rows could not be told apart.
    """
    found: list[Named] = []
    for value in values:
        name, folder = None, value
        if "=" in value and not Path(value).is_dir():
            name, folder = value.split("=", 1)
            if not name:
                raise UsageError(f"--repository {value}: the name before '=' is empty")
        repo = ClaimsRepo.open(Path(folder), search_up=False)
        _readable(repo, folder)
        found.append(Named(name or repo.root.name, repo.root))
    seen: dict[str, Named] = {}
    for item in found:
        if item.name in seen:
            raise UsageError(
                f"two repositories named {item.name!r}: {seen[item.name].path} and {item.path}; "
                f"name one: --repository OTHER={item.path}"
            )
        seen[item.name] = item
    return found


def _readable(repo: ClaimsRepo, given: str) -> None:
    """A claims folder outside git has no history to export: refused before anything is written."""
    from .errors import RepoError
    from .gitcommand import is_git_repository

    if not is_git_repository(repo.root):
        raise RepoError(f"{given}: not a git repository; history needs git")


# Reading, one repository after another ---------------------------------------------------------


@dataclass
class Tally:
    """What the source and commit rows need of the version rows, counted as they go by."""

    citing: dict[str, int] = field(default_factory=dict)
    first_recorded: dict[str, str] = field(default_factory=dict)
    claims: int = 0
    versions: int = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if row["source"] is not None:
                self.citing[row["source"]] = self.citing.get(row["source"], 0) + 1
            self.first_recorded.setdefault(row["commit_sha"], row["recorded"])
        self.claims += 1
        self.versions += len(rows)


@dataclass
class Reading:
    """One repository's history, claim by claim (see `_claim_by_claim`)."""

    claims: Iterator[tuple[str, list]]
    sources: Any
    truncated: bool
    details: Any  # shas -> {sha: (recorded, author, subject)}


@contextmanager
def _claim_by_claim(repo: ClaimsRepo):
    """A repository's claims with their readings, in claim id order, each let go of once read."""
    from .gitio import GitSession
    from .gitlog import commit_details
    from .history import all_versions, source_cache

    with GitSession(repo.root) as git:
        sources = source_cache(repo, git)
        histories = all_versions(repo, git, sources)
        truncated = git.is_shallow() if histories else False
        claims = ((claim_id, histories.pop(claim_id)) for claim_id in sorted(histories))
        yield Reading(claims, sources, truncated, lambda shas: commit_details(git, shas))


class Part:
    """One repository's rows, each with its name in `repository`: the claims and their
    versions as they come, then (once every version is counted) its sources and commits."""

    def __init__(self, name: str, repo: ClaimsRepo, reading: Reading):
        self.name, self.repo, self.reading = name, repo, reading
        self.tally = Tally()
        self.sources_written = 0

    @property
    def truncated(self) -> bool:
        return self.reading.truncated

    def claims(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        from .story import build_story

        name = self.name
        for claim_id, versions in self.reading.claims:
            told = build_story(claim_id, versions)
            rows = [
                {REPOSITORY: name, **exporting.version_row(version, position)}
                for position, version in enumerate(told.versions, 1)
            ]
            self.tally.add(rows)
            yield {REPOSITORY: name, **exporting.claim_row(claim_id, told)}, rows

    def sources(self) -> Iterator[dict[str, Any]]:
        listing = self.repo.source_paths()
        cache, citing = self.reading.sources, self.tally.citing
        for source_id in sorted(set(listing) | set(citing)):
            source = cache.get(source_id) if source_id in listing else None
            path = self.repo.relative(source.path) if source else None
            self.sources_written += 1
            row = exporting.source_row(source_id, source, citing.get(source_id, 0), path)
            yield {REPOSITORY: self.name, **row}

    def details(self, shas: list[str]) -> dict[str, tuple[str, str, str]]:
        return self.reading.details(shas)

    def commits(self) -> list[dict[str, Any]]:
        first = self.tally.first_recorded
        details = self.details(list(first))
        found = []
        for sha, row_recorded in first.items():
            recorded, author, subject = details.get(sha, (None, None, None))
            found.append({REPOSITORY: self.name, "sha": sha, "recorded": recorded or row_recorded,
                          "subject": subject, "author": author})  # fmt: skip
        return found


def parts(repositories: list[Named]) -> Iterator[Part]:
    """Each repository's Part in turn, read while it is the one in use: a Part is done with
    before the next is asked for."""
    from .queries import collector_paused

    for item in repositories:
        repo = ClaimsRepo.open(item.path, search_up=False)  # its vocabulary, for comparisons
        with collector_paused(), _claim_by_claim(repo) as reading:
            yield Part(item.name, repo, reading)


@dataclass
class Written:
    """What an export wrote, for its one-line summary."""

    claims: int = 0
    versions: int = 0
    sources: int = 0
    repositories: int = 0

    def add(self, part: Part) -> None:
        self.claims += part.tally.claims
        self.versions += part.tally.versions
        self.sources += part.sources_written
        self.repositories += 1


# CSV and JSON ----------------------------------------------------------------------------------

CSV_FIELDS = (REPOSITORY, *VERSION_FIELDS)


def write_csv(repositories: list[Named], write) -> Written:
    """The version rows of every repository, a `repository` column first, as one CSV."""
    written = Written()

    def rows():
        for part in parts(repositories):
            for _claim, found in part.claims():
                yield from found
            part.sources_written = len(set(part.repo.source_paths()) | set(part.tally.citing))
            written.add(part)

    exporting.write_csv(rows(), write, fields=CSV_FIELDS)
    return written


def write_json(repositories: list[Named], write) -> Written:
    """One JSON document, laid out as a single repository's (one row a line), with
    `repositories` (each one's name and whether its history is cut short) and every claim,
    source and version row holding its `repository`. The lists are kept in temporary files
    until every repository is read, never whole in memory."""
    import tempfile

    row = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    written = Written()
    names: list[dict[str, Any]] = []
    spools = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in ("claims", "sources", "versions"):
            spools[name] = open(  # noqa: SIM115 - closed below, all three together
                Path(folder) / name, "w+", encoding="utf-8", errors="surrogatepass", newline=""
            )
        try:
            counts = dict.fromkeys(spools, 0)

            def add(name: str, text: str) -> None:
                spools[name].write(("    " if not counts[name] else ",\n    ") + text)
                counts[name] += 1

            for part in parts(repositories):
                for claim, found in part.claims():
                    add("claims", row(exporting.finite(claim)))
                    for item in found:
                        add("versions", row(exporting.finite(item)))
                for item in part.sources():
                    add("sources", row(item))
                names.append({"name": part.name, "truncated": part.truncated})
                written.add(part)
            write(f'{{\n  "export_version": {EXPORT_VERSION},\n  "truncated": '
                  f'{row(any(n["truncated"] for n in names))},\n')  # fmt: skip
            write('  "repositories": [\n' + ",\n".join(f"    {row(n)}" for n in names))
            write("\n  ]")
            for name, spool in spools.items():
                write(f',\n  "{name}": []' if not counts[name] else f',\n  "{name}": [\n')
                spool.seek(0)
                while chunk := spool.read(1 << 20):
                    write(chunk)
                if counts[name]:
                    write("\n  ]")
            write("\n}\n")
        finally:
            for spool in spools.values():
                spool.close()
    return written


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
        from .export_db import _cells

        self.fields = TABLES[name][0]
        self.cells = _cells
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
    import errno
    import sqlite3

    from .files import replacing

    written = Written()
    with replacing(path) as tmp:
        conn = sqlite3.connect(tmp)
        # A file being built, renamed into place only once whole (as export_db does).
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        try:
            _build(conn, repositories, written)
        except sqlite3.OperationalError as err:  # a full disk, an unwritable folder
            raise OSError(errno.EIO, f"SQLite: {err}", str(path)) from None
        finally:
            conn.close()
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
            part.sources_written = len(set(part.repo.source_paths()) | set(part.tally.citing))
            written.add(part)
    return written


def _parquet_batch(part: Part, rows: list[dict[str, Any]], commits: dict, schema):
    """Rows as a table, with their commits' subject and author (asked of git once a commit)."""
    from .export_db import parquet_table

    missing = list(dict.fromkeys(r["commit_sha"] for r in rows if r["commit_sha"] not in commits))
    if missing:
        commits.update(part.details(missing))
    return parquet_table(rows, commits, schema)
