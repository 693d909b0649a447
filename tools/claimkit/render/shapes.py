"""Every JSON shape the commands print, built from the core's records."""

from __future__ import annotations

import json
from typing import Any

from ..values import value_text


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False)


def problem(p) -> dict:
    return {
        "path": p.path,
        "line": p.line,
        "column": p.column,
        "severity": p.severity,
        "rule": p.rule,
        "message": p.message,
    }


def report(r) -> dict:
    return {
        "problems": [problem(p) for p in r.problems],
        "summary": {"files": r.files, "errors": r.errors, "warnings": r.warnings},
    }


def claim(c, path: str) -> dict:
    return {"path": path, **c.to_data()}


def source(s, path: str, claims: list[str]) -> dict:
    return {"path": path, **s.to_data(), "claims": claims}


def listing(rows: list) -> dict:
    """rows: (claim, path, versions in its story, standing or None)."""
    return {
        "claims": [
            {"path": path, **c.to_data(), "versions": count, "standing": standing(s)}
            for c, path, count, s in rows
        ]
    }


def version(v) -> dict:
    c, s = v.claim, v.source
    return {
        "commit": v.commit,
        "recorded": v.recorded,
        "source": c.source if c else None,
        "title": s.title if s else None,
        "published": s.published if s else None,
        "value": c.value if c else None,
        "modality": c.modality if c else None,
        "change": v.change,
        "detail": v.detail,
        "quote": c.quote if c else None,
        "out_of_order": v.out_of_order,
        "edits": len(v.edits),
        "uncertain_order": list(v.uncertain),
    }


def standing(s) -> dict | None:
    """A claim's standing: consistent (with its most specific value) or contested (groups)."""
    if s is None or not s.state:
        return None
    return {
        "state": s.state,
        "value": s.value if s.state == "consistent" else None,
        "groups": [
            {"value": g.value, "text": value_text(g.value, g.kind), "sources": list(g.sources)}
            for g in s.groups
        ],
    }


def shown(s, path: str) -> dict:
    """`show`: the claim, its standing, the version it is, and the file where that differs."""
    data: dict = {"claim": claim(s.claim, path)}
    if s.standing is not None:
        data["standing"] = standing(s.standing)
    if s.current is not None:
        data["current"] = {"source": s.current.source_id, "commit": s.current.commit}
    if s.file_claim is not None:
        data["file"] = claim(s.file_claim, path)
    if s.may_be_later:
        data["may_be_later"] = list(s.may_be_later)
    return data


def log(claim_id: str, versions: list, truncated: bool, standing_of=None) -> dict:
    return {"claim": claim_id, "truncated": truncated, "standing": standing(standing_of),
            "versions": [version(v) for v in versions]}  # fmt: skip


def claim_side(c) -> dict | None:
    """One side of a change: what a version says."""
    if c is None:
        return None
    return {"value": c.value, "modality": c.modality, "source": c.source, "quote": c.quote}


def claim_diff(d) -> dict:
    return {"claim": d.claim_id, "change": d.change, "detail": d.detail,
            "old": claim_side(d.old), "new": claim_side(d.new), "error": d.error,
            "notes": list(d.notes)}  # fmt: skip


def blame_rows(lines: list) -> list[dict]:
    return [
        {
            "field": line.field,
            "value": line.value,
            "commit": line.version.commit,
            "recorded": line.version.recorded,
            "source": line.version.claim.source,
            "published": line.version.source.published if line.version.source else None,
        }
        for line in lines
    ]


def maintenance(report) -> dict:
    def graph(state) -> dict:
        return {"commits": state.commits, "layers": state.layers, "bloom": state.bloom,
                "covers_head": state.covers_head}  # fmt: skip

    return {
        "commits": report.commits,
        "commit_graph": {
            "action": report.graph_action,
            "before": graph(report.graph_before),
            "after": graph(report.graph_after),
        },  # fmt: skip
        "cache": {
            "cleared": report.cache_cleared,
            "files": [{"name": name, "bytes": size} for name, size in report.cache_files],
        },
        "seconds": round(report.seconds, 3),
    }


def recorded(r) -> dict:
    return {
        "claim": r.claim_id,
        "path": r.path,
        "change": r.change.kind,
        "detail": r.change.detail,
        "old": claim_side(r.old),
        "new": claim_side(r.new),
        "written": r.written,
        "commit": r.commit,
        "message": r.message,
        "notes": list(r.notes),
        "warnings": [problem(p) for p in r.warnings],
    }


def commits(made: list) -> dict:
    """`claims commit`: one entry per article committed (or, with --dry-run, to commit)."""
    return {"commits": [{"source": m.source_id, "title": m.title, "paths": list(m.paths),
                         "changes": list(m.changes), "commit": m.commit} for m in made]}  # fmt: skip


def reading(r) -> dict:
    """One reading a reviewed branch adds, at its place in the story."""
    v = r.reading
    return {
        "commit": v.commit,
        "source": v.claim.source if v.claim else None,
        "published": v.source.published if v.source else None,
        "value": v.claim.value if v.claim else None,
        "quote": v.claim.quote if v.claim else None,
        "change": v.change,
        "detail": v.detail,
        "superseded": r.superseded,
        "out_of_order": v.out_of_order,
        "uncertain_order": list(v.uncertain),
        "notes": list(r.notes),
        "findings": list(r.findings),
        "contradicts": [
            {"commit": c.version.commit, "source": c.version.claim.source,
             "published": c.version.source.published if c.version.source else None,
             "value": c.version.claim.value, "published_side": c.published}
            for c in r.contradictions
        ],
    }  # fmt: skip


def review(r, verdict_text: str) -> dict:
    def old_version(v):
        return {
            "commit": v.commit,
            "source": v.claim.source,
            "published": v.source.published if v.source else None,
            "value": v.claim.value,
        }

    def source_of(s):
        return None if s is None else {"id": s.id, "title": s.title, "published": s.published}

    return {
        "range": r.range,
        "base": r.base,
        "head": r.head,
        "claims": [
            {
                **claim_diff(c.diff),
                "path": c.path,
                "source": source_of(c.source),
                "contradicts": [old_version(v) for v in c.contradicted],
                "problems": [problem(p) for p in c.problems],
                "standing": standing(c.standing),
                "readings": [reading(x) for x in c.readings],
            }
            for c in r.claims
        ],
        "sources": [
            {
                "id": s.source_id,
                "path": s.path,
                "status": s.status,
                "source": source_of(s.source),
                "problems": [problem(p) for p in s.problems],
            }
            for s in r.sources
        ],
        "summary": {
            "claims": len(r.claims),
            "sources": len(r.sources),
            "errors": r.errors,
            "warnings": r.warnings,
            "contradicting": r.contradicting,
        },
        "verdict": {"status": r.status, "text": verdict_text},
    }
