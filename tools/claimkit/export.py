"""Exports of the whole history: rows from versions (pure), and JSON and CSV from rows.

Every format carries the same version rows, documented in docs/export.md. A version row is
flat: the claim's fields, the value as text (and as data, and for dates its bounds), the change
kind against the chronologically previous version, the source's title and publication date
(and its bounds), and the commit that recorded it. SQLite and Parquet are in export_db.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import types
from .dates import DateRange
from .model import Source
from .quotes import quote_text
from .story import Story, Version, build_story
from .types.base import EXPORT_COLUMNS
from .values import value_text

EXPORT_VERSION = 1  # bumped when a field changes meaning or goes away; new fields do not bump it

VERSION_FIELDS = (
    "claim", "position", "event", "property", "type",
    "value", "value_data", "value_lower", "value_upper", "amount_lower", "amount_upper",
    "value_unit", "modality", "change", "detail",
    "source", "title", "published", "published_lower", "published_upper",
    "commit_sha", "recorded", "out_of_order", "uncertain_order",
    "quote", "time_expression", "note", "also", "error",
)  # fmt: skip
CLAIM_FIELDS = (
    "id", "event", "property", "type", "value", "value_data", "modality", "source",
    "versions", "contested", "standing", "first_published", "last_published", "superseded_by",
)  # fmt: skip
JSON_TEXT_FIELDS = ("value_data", "also", "superseded_by")  # lists and mappings, as JSON text
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
    commits: list[dict[str, Any]] = field(default_factory=list)  # sha, recorded, subject, author


def _bounds(date: DateRange | None) -> tuple[str | None, str | None]:
    if date is None:
        return None, None
    return (
        date.lower.isoformat() if date.lower else None,
        date.upper.isoformat() if date.upper else None,
    )


def version_row(version: Version, position: int) -> dict[str, Any]:
    """One version as a flat row; `position` is its place in the claim's story order, from 1."""
    claim, source = version.claim, version.source
    kind = claim.type if claim else None
    value_type = types.get(kind) if claim else None
    columns = dict.fromkeys(EXPORT_COLUMNS)
    if value_type is not None:
        columns.update(value_type.columns(claim.value))
    published_lower, published_upper = _bounds(version.published)
    return {
        "claim": version.claim_id,
        "position": position,
        "event": claim.event if claim else None,
        "property": claim.property if claim else None,
        "type": kind,
        "value": value_text(claim.value, kind) if claim else None,
        "value_data": claim.value if claim else None,
        **{name: columns[name] for name in EXPORT_COLUMNS},
        "modality": claim.modality if claim else None,
        "change": version.change,
        "detail": version.detail or None,
        "source": claim.source if claim else None,
        "title": source.title if source else None,
        "published": source.published if source else None,
        "published_lower": published_lower,
        "published_upper": published_upper,
        "commit_sha": version.commit,
        "recorded": version.recorded,
        "out_of_order": version.out_of_order,
        "uncertain_order": ", ".join(version.uncertain) or None,
        "quote": quote_text(claim.quote) if claim else None,
        "time_expression": claim.time_expression if claim else None,
        "note": claim.note if claim else None,
        "also": claim.also if claim else None,
        "error": version.error,
    }


def claim_row(claim_id: str, told: Story) -> dict[str, Any]:
    """A claim as its story's last version has it, with its standing and a summary."""
    from .render.listing import standing_text

    story = told.versions
    current = told.current
    latest = current.claim if current else None
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
        "contested": told.standing.contested,
        "standing": standing_text(told.standing),
        "first_published": min(lowers).isoformat() if lowers else None,
        "last_published": max(lowers).isoformat() if lowers else None,
        "superseded_by": latest.superseded_by if latest else None,
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


def claim_export(claim_id: str, versions: list[Version]) -> tuple[dict, list[dict]]:
    """A claim's row and its versions' rows (story order), from its readings in commit order."""
    return story_export(build_story(claim_id, versions))


def story_export(told: Story) -> tuple[dict, list[dict]]:
    """A claim's row and its versions' rows (story order), from its story."""
    rows = [version_row(v, position) for position, v in enumerate(told.versions, 1)]
    return claim_row(told.claim_id, told), rows


@dataclass
class Tally:
    """What the source and commit rows need of the version rows, counted as they go by: how
    many versions cite each source, and each commit's first row's recorded time (in order)."""

    citing: dict[str, int] = field(default_factory=dict)
    first_recorded: dict[str, str] = field(default_factory=dict)
    claims: int = 0
    versions: int = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        citing, first = self.citing, self.first_recorded
        for row in rows:
            if row["source"] is not None:
                citing[row["source"]] = citing.get(row["source"], 0) + 1
            first.setdefault(row["commit_sha"], row["recorded"])
        self.claims += 1
        self.versions += len(rows)


def source_rows(
    source_ids: Iterable[str], lookup, citing: dict[str, int], source_path
) -> Iterator[dict[str, Any]]:
    """A row for each source in seeds/ (`source_ids`, `lookup(id)` its metadata or None) and
    each one versions cite without a file, by id."""
    for source_id in sorted(set(source_ids) | set(citing)):
        source = lookup(source_id)
        path = source_path(source) if source else None
        yield source_row(source_id, source, citing.get(source_id, 0), path)


def commit_rows(
    first_recorded: dict[str, str], details: dict[str, tuple[str, str, str]] | None
) -> list[dict[str, Any]]:
    """A row for each commit that recorded a version, in the order of their first rows."""
    details = details or {}
    found = []
    for sha, row_recorded in first_recorded.items():
        recorded, author, subject = details.get(sha, (None, None, None))
        found.append(
            {"sha": sha, "recorded": recorded or row_recorded, "subject": subject, "author": author}
        )
    return found


def build(
    histories: dict[str, list[Version]],
    sources: dict[str, Source | None],
    truncated: bool = False,
    source_path=lambda source: source.path.as_posix(),
    commits: dict[str, tuple[str, str, str]] | None = None,
) -> Export:
    """Rows for every version of every claim, in claim id order and each claim's story order.

    `sources` maps each source id in seeds/ to its metadata (None if unreadable); sources
    that versions cite but seeds/ lacks are added with their id only, so every version's
    source has a row. `source_path` shows a source's path (relative to the repository).
    """
    versions: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    tally = Tally()
    for claim_id in sorted(histories):
        claim, rows = claim_export(claim_id, histories[claim_id])
        versions.extend(rows)
        claims.append(claim)
        tally.add(rows)
    found = list(source_rows(sources, sources.get, tally.citing, source_path))
    return Export(claims, found, versions, truncated, commit_rows(tally.first_recorded, commits))


# Formats ----------------------------------------------------------------------------------------


class _JsonList:
    """One of the JSON document's lists, written an item at a time (in batches): one row a
    line, so the document is readable and diffable."""

    def __init__(self, name: str, write):
        self.name, self.write = name, write
        self.count = 0
        self.pending: list[str] = []

    def add(self, text: str) -> None:
        self.pending.append(
            f'  "{self.name}": [\n    {text}' if not self.count else f",\n    {text}"
        )
        self.count += 1
        if len(self.pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.write("".join(self.pending))
            self.pending = []

    def close(self) -> None:
        self.flush()
        self.write(f'  "{self.name}": []' if not self.count else "\n  ]")


def write_json_streamed(
    exported: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]],
    truncated: bool,
    sources_after,
    write,
) -> Tally:
    """One JSON document (written by the C encoder: an indented dump runs Python's, several
    times slower on a big history) from each claim's row and version rows as they come
    (`exported`), holding none of them: the claims are written as they come, the versions
    kept in a temporary file until the sources (`sources_after(tally)`, which needs every
    version counted) are written. Returns the tally."""
    import tempfile

    row = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    tally = Tally()
    write(f'{{\n  "export_version": {EXPORT_VERSION},\n  "truncated": {row(truncated)},\n')
    claims = _JsonList("claims", write)
    with tempfile.TemporaryFile(
        "w+", encoding="utf-8", errors="surrogatepass", newline=""
    ) as spool:
        versions = _JsonList("versions", spool.write)
        for claim, rows in exported:
            claims.add(row(finite(claim)))
            for item in rows:
                versions.add(row(finite(item)))
            tally.add(rows)
        claims.close()
        write(",\n")
        sources = _JsonList("sources", write)
        for item in sources_after(tally):
            sources.add(row(item))
        sources.close()
        write(",\n")
        versions.close()
        spool.seek(0)
        while chunk := spool.read(1 << 20):
            write(chunk)
    write("\n}\n")
    return tally


def finite(row: dict[str, Any]) -> dict[str, Any]:
    """A row whose value_data holds no NaN or infinity (a YAML `.nan`, `.inf`): those become
    null, JSON having no word for them; `value` keeps them as text."""
    data = row.get("value_data")

    def clean(value):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return None
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    cleaned = clean(data)
    return row if cleaned == data and data == data else {**row, "value_data": cleaned}


def _csv_cell(name: str, value: Any) -> str:
    """A value as one CSV cell: value_data as JSON text, booleans as true and false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name in JSON_TEXT_FIELDS:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return str(value)


def write_csv(
    rows: Iterable[dict[str, Any]], write, fields: tuple[str, ...] = VERSION_FIELDS
) -> None:
    """The version rows as CSV (RFC 4180: a header row, CRLF line ends, quotes where needed),
    passed to `write` a few hundred rows at a time; `fields` are the columns."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fields)
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(name, row[name]) for name in fields])
        if count % 500 == 0:
            write(out.getvalue())
            out.seek(0)
            out.truncate()
    write(out.getvalue())
