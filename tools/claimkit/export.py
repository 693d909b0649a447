"""Exports of the whole history: rows from versions (pure), and JSON, CSV and SQLite from rows.

Every format carries the same version rows, documented in docs/export.md. A version row is
flat: the claim's fields, the value as text (and as data, and for dates its bounds), the change
kind against the chronologically previous version, the source's title and publication date
(and its bounds), and the commit that recorded it.
"""

from __future__ import annotations

import csv
import errno
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compare import CONTRADICTED
from .dates import DateRange, parse_date
from .files import replacing
from .history import Version, chronological
from .model import Source
from .quotes import quote_text
from .values import value_text

EXPORT_VERSION = 1  # bumped when a field changes meaning or goes away; new fields do not bump it

VERSION_FIELDS = (
    "claim", "position", "event", "property", "type",
    "value", "value_data", "value_lower", "value_upper",
    "modality", "change", "detail",
    "source", "title", "published", "published_lower", "published_upper",
    "commit_sha", "recorded", "out_of_order",
    "quote", "time_expression", "note", "error",
)  # fmt: skip
CLAIM_FIELDS = (
    "id", "event", "property", "type", "value", "value_data", "modality", "source",
    "versions", "contested", "first_published", "last_published",
)  # fmt: skip
SOURCE_FIELDS = (
    "id", "title", "outlet", "url", "published", "published_lower", "published_upper",
    "published_basis", "sha256", "path", "versions",
)  # fmt: skip


@dataclass(frozen=True)
class Export:
    claims: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    truncated: bool = False  # a shallow clone: older versions are missing


def _bounds(date: DateRange | None) -> tuple[str | None, str | None]:
    if date is None:
        return None, None
    return (
        date.lower.isoformat() if date.lower else None,
        date.upper.isoformat() if date.upper else None,
    )


def _date_or_none(text: Any) -> DateRange | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def version_row(version: Version, position: int) -> dict[str, Any]:
    """One version as a flat row; `position` is its place in the claim's story order, from 1."""
    claim, source = version.claim, version.source
    kind = claim.type if claim else None
    value_lower, value_upper = _bounds(_date_or_none(claim.value) if kind == "date" else None)
    published_lower, published_upper = _bounds(version.published)
    return {
        "claim": version.claim_id,
        "position": position,
        "event": claim.event if claim else None,
        "property": claim.property if claim else None,
        "type": kind,
        "value": value_text(claim.value, kind) if claim else None,
        "value_data": claim.value if claim else None,
        "value_lower": value_lower,
        "value_upper": value_upper,
        "modality": claim.modality if claim else None,
        "change": version.change,
        "detail": version.detail,
        "source": claim.source if claim else None,
        "title": source.title if source else None,
        "published": source.published if source else None,
        "published_lower": published_lower,
        "published_upper": published_upper,
        "commit_sha": version.commit,
        "recorded": version.recorded,
        "out_of_order": version.out_of_order,
        "quote": quote_text(claim.quote) if claim else None,
        "time_expression": claim.time_expression if claim else None,
        "note": claim.note if claim else None,
        "error": version.error,
    }


def claim_row(claim_id: str, story: list[Version]) -> dict[str, Any]:
    """A claim as its latest committed readable version has it, with a summary of its history."""
    readable = sorted((v for v in story if v.claim), key=lambda v: v.order)
    latest = readable[-1].claim if readable else None
    # By the lower bound of each source's published date, the day the story order goes by.
    lowers = [v.published.lower for v in story if v.published and v.published.lower]
    return {
        "id": claim_id,
        "event": latest.event if latest else None,
        "property": latest.property if latest else None,
        "type": latest.type if latest else None,
        "value": value_text(latest.value, latest.type) if latest else None,
        "value_data": latest.value if latest else None,
        "modality": latest.modality if latest else None,
        "source": latest.source if latest else None,
        "versions": len(story),
        "contested": any(v.change == CONTRADICTED for v in story),
        "first_published": min(lowers).isoformat() if lowers else None,
        "last_published": max(lowers).isoformat() if lowers else None,
    }


def source_row(
    source_id: str, source: Source | None, versions: int, path: str | None = None
) -> dict[str, Any]:
    """A source's metadata; a source that versions cite but seeds/ lacks has only its id."""
    lower, upper = _bounds(source.published_range if source else None)
    return {
        "id": source_id,
        "title": source.title if source else None,
        "outlet": source.outlet if source else None,
        "url": source.url if source else None,
        "published": source.published if source else None,
        "published_lower": lower,
        "published_upper": upper,
        "published_basis": source.published_basis if source else None,
        "sha256": source.sha256 if source else None,
        "path": path,
        "versions": versions,
    }


def build(
    histories: dict[str, list[Version]],
    sources: dict[str, Source | None],
    truncated: bool = False,
    source_path=lambda source: source.path.as_posix(),
) -> Export:
    """Rows for every version of every claim, in claim id order and each claim's story order.

    `sources` maps each source id in seeds/ to its metadata (None if unreadable); sources
    that versions cite but seeds/ lacks are added with their id only, so every version's
    source has a row. `source_path` shows a source's path (relative to the repository).
    """
    versions: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for claim_id in sorted(histories):
        story = chronological(histories[claim_id])
        versions.extend(version_row(v, position) for position, v in enumerate(story, 1))
        claims.append(claim_row(claim_id, story))
    citing: dict[str, int] = {}
    for row in versions:
        if row["source"] is not None:
            citing[row["source"]] = citing.get(row["source"], 0) + 1
    source_rows = []
    for source_id in sorted(set(sources) | set(citing)):
        source = sources.get(source_id)
        path = source_path(source) if source else None
        source_rows.append(source_row(source_id, source, citing.get(source_id, 0), path))
    return Export(claims, source_rows, versions, truncated)


# Formats ----------------------------------------------------------------------------------------


def to_json(export: Export) -> str:
    """One JSON document, one row a line: readable, diffable, and written by the C encoder
    (an indented dump runs Python's encoder instead, several times slower on a big history)."""
    row = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode

    def rows(name: str, items: list) -> str:
        body = ",\n".join(f"    {row(item)}" for item in items)
        return f'  "{name}": [\n{body}\n  ]' if items else f'  "{name}": []'

    head = f'  "export_version": {EXPORT_VERSION},\n  "truncated": {row(export.truncated)}'
    parts = [head, rows("claims", export.claims), rows("sources", export.sources)]
    parts.append(rows("versions", export.versions))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _sqlite_cell(name: str, value: Any) -> Any:
    """A value as one SQLite cell: value_data as JSON text, booleans as 0 and 1, None as NULL."""
    if name == "value_data" and value is not None:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return value


def _csv_cell(name: str, value: Any) -> str:
    """A value as one CSV cell: value_data as JSON text, booleans as true and false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "value_data":
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return str(value)


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """The version rows as CSV (RFC 4180: a header row, CRLF line ends, quotes where needed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(VERSION_FIELDS)
    for row in rows:
        writer.writerow([_csv_cell(name, row[name]) for name in VERSION_FIELDS])
    return out.getvalue()


SQLITE_SCHEMA = """
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_lower TEXT,
    published_upper TEXT,
    published_basis TEXT,
    sha256 TEXT,
    path TEXT,
    versions INTEGER NOT NULL
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    event TEXT,
    property TEXT,
    type TEXT,
    value TEXT,
    value_data TEXT,
    modality TEXT,
    source TEXT REFERENCES sources(id),
    versions INTEGER NOT NULL,
    contested INTEGER NOT NULL,
    first_published TEXT,
    last_published TEXT
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    claim TEXT NOT NULL REFERENCES claims(id),
    position INTEGER NOT NULL,
    event TEXT,
    property TEXT,
    type TEXT,
    value TEXT,
    value_data TEXT,
    value_lower TEXT,
    value_upper TEXT,
    modality TEXT,
    change TEXT NOT NULL,
    detail TEXT,
    source TEXT REFERENCES sources(id),
    title TEXT,
    published TEXT,
    published_lower TEXT,
    published_upper TEXT,
    commit_sha TEXT NOT NULL,
    recorded TEXT NOT NULL,
    out_of_order INTEGER NOT NULL,
    quote TEXT,
    time_expression TEXT,
    note TEXT,
    error TEXT
);
CREATE UNIQUE INDEX versions_claim_position ON versions (claim, position);
CREATE INDEX versions_source ON versions (source);
CREATE INDEX versions_change ON versions (change);
CREATE INDEX versions_published ON versions (published_lower);
CREATE INDEX versions_commit ON versions (commit_sha);
CREATE INDEX claims_event ON claims (event);
"""


def _insert(db, table: str, fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> None:
    names = ", ".join(fields)
    marks = ", ".join("?" * len(fields))
    db.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks})",
        ([_sqlite_cell(name, row[name]) for name in fields] for row in rows),
    )


def write_sqlite(export: Export, path: Path) -> None:
    """Write the export as a new SQLite database at `path`, atomically.

    The database is built in a temporary file beside `path` and renamed over it, so a reader
    never sees half a database and a failed export leaves the old file in place.
    """
    import sqlite3

    with replacing(path) as tmp:
        db = sqlite3.connect(tmp)
        try:
            db.executescript(SQLITE_SCHEMA)
            db.execute(f"PRAGMA user_version = {EXPORT_VERSION}")
            _insert(db, "sources", SOURCE_FIELDS, export.sources)
            _insert(db, "claims", CLAIM_FIELDS, export.claims)
            _insert(db, "versions", VERSION_FIELDS, export.versions)
            db.commit()
        except sqlite3.OperationalError as err:  # a full disk, an unwritable folder
            raise OSError(errno.EIO, f"SQLite: {err}", str(path)) from None
        finally:
            db.close()
