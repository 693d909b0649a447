"""Rendering in one place: tables, JSON and messages, from the core's records."""

from __future__ import annotations

import json
from typing import Any

from .check import Report
from .model import Claim, Source
from .values import value_text


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def table(rows: list[list[Any]], headers: list[str]) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def truncate(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# check ------------------------------------------------------------------------------------------


def report_text(report: Report) -> str:
    lines = [
        f"{p.path}:{p.line}:{p.column}: {p.severity}: {p.message} [{p.rule}]"
        for p in report.problems
    ]
    lines.append(
        f"{report.errors} error{'s' * (report.errors != 1)}, "
        f"{report.warnings} warning{'s' * (report.warnings != 1)} in {report.files} files"
    )
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(report: Report) -> str:
    """GitHub workflow commands: one annotation per problem."""
    return "\n".join(
        f"::{p.severity} file={_escape_property(p.path)},line={p.line},col={p.column},"
        f"title={_escape_property(p.rule)}::{_escape_data(p.message)}"
        for p in report.problems
    )


def report_json(report: Report) -> str:
    return to_json(report.to_json())


# claims and sources -----------------------------------------------------------------------------


def claim_json(claim: Claim, path: str) -> dict:
    return {"path": path, **claim.to_data()}


def claims_table(claims: list[Claim]) -> str:
    rows = [
        [c.id, c.type, truncate(value_text(c.value, c.type), 40), c.modality, c.source]
        for c in claims
    ]
    return table(rows, ["id", "type", "value", "modality", "source"])


def claim_text(claim: Claim) -> str:
    lines = [f"{name:16}{value_text(value, claim.type)}" for name, value in claim.to_data().items()]
    return "\n".join(lines)


def source_json(source: Source, path: str, claims: list[str]) -> dict:
    return {"path": path, **source.to_data(), "claims": claims}


def sources_table(sources: list[tuple[Source, list[str]]]) -> str:
    rows = [[s.id, s.published, truncate(s.title or "", 50), len(claims)] for s, claims in sources]
    return table(rows, ["id", "published", "title", "claims"])
