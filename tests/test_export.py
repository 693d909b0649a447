"""`claims export` (JSON, CSV, SQLite) and `claims timeline` (the HTML page), on throwaway repos."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from claimkit.errors import EXIT_CONFLICT, EXIT_REPO, EXIT_USAGE
from conftest import (
    assert_one_line_error,
    base_files,
    claim_text,
    date_claim,
    git,
    source_files,
    write_files,
)
from htmlpage import Page
from shipped import full_history, shipped_root


def export_json(claims, repo) -> dict:
    result = claims("export", "--format", "json", repo=repo)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def git_version_count(repo: Path) -> int:
    """Story versions counted from git itself: one per claim file and source it was written
    with (a second reading of an article edits that article's version), one per unreadable
    file state. `claims/_*.yaml` files are declarations, not claims."""
    output = git(
        repo, "log", "--format=", "--raw", "--no-abbrev", "--no-renames", "--no-merges", "--",
        "claims/",
    )  # fmt: skip
    versions = set()
    for line in output.splitlines():
        meta, _, path = line.partition("\t")
        if not meta.startswith(":") or meta.split()[4].startswith("D"):
            continue
        if path.count("/") != 1 or not path.endswith(".yaml") or path[7:].startswith("_"):
            continue
        blob = meta.split()[3]
        source = re.search(r"^source: *[\"']?([^\"'\s]+)", git(repo, "cat-file", "-p", blob), re.M)
        versions.add((path, source.group(1) if source else blob))
    return len(versions)


# export --format json --------------------------------------------------------------------------


def test_export_json_rows(claims, story):
    data = export_json(claims, story)
    assert set(data) == {"export_version", "truncated", "claims", "sources", "versions"}
    assert data["export_version"] == 1 and data["truncated"] is False
    rows = [
        (v["claim"], v["position"], v["source"], v["change"], v["value"], v["value_lower"],
         v["value_upper"], v["published_lower"], v["published_upper"], v["out_of_order"])
        for v in data["versions"]
    ]  # fmt: skip
    assert rows == [
        ("summit-date", 1, "a1", "first-report", "2025-08-15", "2025-08-15", "2025-08-15", "2025-08-08", "2025-08-08", False),
        ("summit-date", 2, "a2", "broadened", "2025-08", "2025-08-01", "2025-08-31", "2025-08-15", None, True),
        ("summit-date", 3, "a3", "contradicted", "2025-09-18", "2025-09-18", "2025-09-18", "2025-08-24", "2025-08-31", False),
        ("summit-location", 1, "a1", "first-report", "Alaska", None, None, "2025-08-08", "2025-08-08", False),
        ("summit-location", 2, "a3", "refined", "Alaska > Anchorage", None, None, "2025-08-24", "2025-08-31", False),
    ]  # fmt: skip
    first = data["versions"][0]
    assert list(first) == [
        "claim", "position", "event", "property", "type", "value", "value_data", "value_lower",
        "value_upper", "amount_lower", "amount_upper", "value_unit", "modality", "change",
        "detail", "source", "title",
        "published", "published_lower", "published_upper", "commit_sha", "recorded",
        "out_of_order", "uncertain_order", "quote", "time_expression", "note", "also", "error",
    ]  # fmt: skip
    assert first["title"] == "Set to meet in Alaska" and first["published"] == "2025-08-08"
    assert first["quote"] == "scheduled to meet next Friday in Alaska"
    assert first["time_expression"] == "next Friday" and first["error"] is None
    assert first["commit_sha"] == git(story, "rev-list", "--max-parents=0", "HEAD").strip()
    assert first["recorded"].startswith("20") and "T" in first["recorded"]
    assert data["versions"][4]["value_data"] == ["Alaska", "Anchorage"]
    assert data["versions"][2]["detail"] == "2025-08 -> 2025-09-18"


def test_export_json_claims_and_sources(claims, story):
    data = export_json(claims, story)
    assert [
        (c["id"], c["value"], c["source"], c["versions"], c["contested"], c["first_published"],
         c["last_published"])
        for c in data["claims"]
    ] == [
        # The current value is the story's end (a3), though a2 was recorded last.
        ("summit-date", "2025-09-18", "a3", 3, True, "2025-08-08", "2025-08-24"),
        ("summit-location", "Alaska > Anchorage", "a3", 2, False, "2025-08-08", "2025-08-24"),
    ]  # fmt: skip
    assert [(s["id"], s["published_lower"], s["published_upper"], s["path"], s["versions"])
            for s in data["sources"]] == [
        ("a1", "2025-08-08", "2025-08-08", "seeds/a1.yaml", 2),
        ("a2", "2025-08-15", None, "seeds/a2.yaml", 1),
        ("a3", "2025-08-24", "2025-08-31", "seeds/a3.yaml", 2),
    ]  # fmt: skip


def add_unreadable_and_unsourced_versions(story):
    """Two more versions of summit-date: one that does not parse, one citing no known source."""
    write_files(story, {"claims/summit-date.yaml": "id: [\n"})
    git(story, "commit", "-qam", "Break it")
    write_files(story, {"claims/summit-date.yaml": date_claim("2025-09", "asserted", "gone", "x")})
    git(story, "commit", "-qam", "Cite a missing source")


def test_export_keeps_unreadable_versions_and_unknown_sources(claims, story):
    add_unreadable_and_unsourced_versions(story)
    data = export_json(claims, story)
    tail = [(v["change"], v["source"], v["title"], v["error"] is not None)
            for v in data["versions"] if v["claim"] == "summit-date"][-2:]  # fmt: skip
    # Neither has a publication date: they sort last, in commit order.
    assert tail == [("unreadable", None, None, True), ("broadened", "gone", None, False)]
    gone = [s for s in data["sources"] if s["id"] == "gone"]
    assert gone == [
        {"id": "gone", "title": None, "outlet": None, "url": None, "published": None,
         "published_lower": None, "published_upper": None, "published_basis": None,
         "sha256": None, "path": None, "versions": 1}
    ]  # fmt: skip


def test_export_of_a_repository_without_commits(claims, make_repo):
    data = export_json(claims, make_repo())
    assert (data["claims"], data["sources"], data["versions"]) == ([], [], [])


def test_export_says_a_shallow_history_is_truncated(claims, story, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{story}", str(clone)], check=True
    )
    data = export_json(claims, clone)
    assert data["truncated"] is True and len(data["versions"]) == 2


# export --format csv ---------------------------------------------------------------------------


def test_export_csv(claims, story):
    result = claims("export", "--format", "csv", repo=story)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("claim,position,event,property,type,value,value_data,")
    assert result.stdout_bytes.count(b"\r\n") == 6  # RFC 4180 line ends: a header and 5 rows
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 5
    location = rows[4]
    assert location["value"] == "Alaska > Anchorage"
    assert json.loads(location["value_data"]) == ["Alaska", "Anchorage"]
    assert (location["value_lower"], location["out_of_order"], location["note"]) == (
        "",
        "false",
        "",
    )
    assert rows[1]["published_upper"] == "" and rows[1]["out_of_order"] == "true"
    assert rows[0]["quote"] == "scheduled to meet next Friday in Alaska"


def test_export_csv_quotes_commas_quotes_and_newlines(claims, make_repo):
    quote = 'he said "no", then\nleft'
    claim = claim_text("c", source="s", quote="@").replace('"@"', '"he said \\"no\\", then\\nleft"')
    repo = make_repo([{**source_files("s", "x\n", "2025-08-08"), "claims/c.yaml": claim}])
    text = claims("export", "--format", "csv", repo=repo).stdout_bytes.decode()
    assert '"he said ""no"", then\nleft"' in text
    assert next(csv.DictReader(io.StringIO(text, newline="")))["quote"] == quote


def test_export_to_a_file(claims, story, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.csv"
    result = claims("export", "--format", "csv", "--output", str(target), repo=story)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {target}: 5 versions of 2 claims from 3 sources\n"
    assert target.read_bytes().startswith(b"claim,position,")
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"]


# export --format sqlite ------------------------------------------------------------------------


def test_export_sqlite(claims, story, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "claims.db"
    result = claims("export", "--format", "sqlite", "-o", str(target), repo=story)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"wrote {tmp_path / 'out' / 'claims.metadata.yml'}: Datasette metadata\n"
    )
    db = sqlite3.connect(target)
    assert (
        db.execute("select count(*) from versions").fetchone()[0] == 5 == git_version_count(story)
    )
    tables = [
        r[0] for r in db.execute(
            "select name from sqlite_master where type='table' and name not like '%fts%' order by name"
        )
    ]  # fmt: skip
    assert tables == ["claims", "commits", "sources", "versions"]
    views = [
        r[0] for r in db.execute("select name from sqlite_master where type='view' order by name")
    ]
    assert views == ["contradictions", "story"]
    indexes = {r[0] for r in db.execute("select name from sqlite_master where type='index'")}
    assert {"versions_claim_position", "versions_source", "versions_change",
            "versions_published_lower", "versions_commit_sha", "claims_event"} <= indexes  # fmt: skip
    assert db.execute("pragma foreign_key_check").fetchall() == []
    keys = {(r[3], r[2]) for r in db.execute("pragma foreign_key_list(versions)")}
    assert keys == {("claim", "claims"), ("source", "sources"), ("commit_sha", "commits")}
    assert db.execute("pragma user_version").fetchone()[0] == 1
    assert db.execute(
        "select v.claim, v.value, s.title, v.out_of_order from versions v "
        "join sources s on s.id = v.source where v.change = 'contradicted'"
    ).fetchall() == [("summit-date", "2025-09-18", "Summit in Anchorage", 0)]
    assert db.execute(
        "select value_data, contested from claims where id = 'summit-location'"
    ).fetchone() == ('["Alaska", "Anchorage"]', 0)
    # NULL, never '', where a field is empty (a first report has no change detail).
    empty = [
        (table, column)
        for table in ("claims", "sources", "versions", "commits")
        for (column,) in db.execute(f"select name from pragma_table_info('{table}')").fetchall()
        if db.execute(f"select count(*) from {table} where {column} = ''").fetchone()[0]
    ]
    assert empty == []
    assert db.execute("select detail from versions where position = 1").fetchall() == [
        (None,),
        (None,),
    ]
    # The commits that recorded the versions, each with its subject and author.
    subjects = db.execute(
        "select c.subject, c.author from versions v join commits c on c.sha = v.commit_sha "
        "where v.claim = 'summit-date' order by v.position"
    ).fetchall()
    assert len(subjects) == 3 and all(s and a for s, a in subjects)
    assert db.execute(
        "select claim, previous_value, value, source from contradictions"
    ).fetchall() == [("summit-date", "2025-08", "2025-09-18", "a3")]
    assert [r[:3] for r in db.execute("select claim, position, change from story where claim = 'summit-location'")] == [
        ("summit-location", 1, "first-report"), ("summit-location", 2, "refined")
    ]  # fmt: skip
    db.close()
    names = sorted(p.name for p in target.parent.iterdir())
    assert names == ["claims.db", "claims.metadata.yml"]  # no temporary left


def test_export_sqlite_full_text_search_with_sqlite_utils(claims, story, tmp_path):
    import sqlite_utils

    target = tmp_path / "claims.db"
    assert claims("export", "--format", "sqlite", "-o", str(target), repo=story).exit_code == 0
    db = sqlite_utils.Database(target)
    assert db["versions"].detect_fts() == "versions_fts"
    found = [(r["claim"], r["quote"]) for r in db["versions"].search("september")]
    assert found == [("summit-date", "on September 18, 2025")]
    assert [r["id"] for r in db["sources"].search("anchorage")] == ["a3"]
    assert db["versions"].count == 5 and db["commits"].count >= 3


def test_export_sqlite_metadata_is_what_datasette_reads(claims, story, tmp_path):
    from ruamel.yaml import YAML

    target = tmp_path / "claims.db"
    claims("export", "--format", "sqlite", "-o", str(target), repo=story)
    text = (tmp_path / "claims.metadata.yml").read_text()
    assert text.startswith("# Datasette metadata: datasette claims.db -m claims.metadata.yml\n")
    meta = YAML(typ="safe").load(text)
    database = meta["databases"]["claims"]
    assert database["tables"]["versions"]["facets"] == [
        "change",
        "claim",
        "source",
        "modality",
        "event",
    ]
    assert database["tables"]["story"]["description"].startswith("Each claim's story")
    db = sqlite3.connect(target)
    for name, query in database["queries"].items():  # every canned query runs
        params = {"claim": "summit-date", "words": "alaska"}
        rows = db.execute(query["sql"], params).fetchall()
        assert rows, name
    contradictions = db.execute(database["queries"]["every_contradiction"]["sql"]).fetchall()
    assert [r[0] for r in contradictions] == ["summit-date"]


def test_export_parquet_reads_back(claims, story, tmp_path):
    import pyarrow.parquet as pq

    target = tmp_path / "versions.parquet"
    result = claims("export", "--format", "parquet", "-o", str(target), repo=story)
    assert result.exit_code == 0, result.output
    table = pq.read_table(target)
    rows = table.to_pylist()
    assert len(rows) == 5 == git_version_count(story)
    json_rows = json.loads(claims("export", repo=story).stdout)["versions"]
    assert [r["claim"] for r in rows] == [r["claim"] for r in json_rows]
    assert [r["value"] for r in rows] == [r["value"] for r in json_rows]
    assert str(table.schema.field("published_lower").type) == "date32[day]"
    assert str(table.schema.field("out_of_order").type) == "bool"
    contradiction = next(r for r in rows if r["change"] == "contradicted")
    assert contradiction["value_data"] == '"2025-09-18"' and contradiction["commit_subject"]
    assert str(contradiction["published_upper"]) == "2025-08-31"
    assert table.schema.metadata[b"export_version"] == b"1"


def test_export_json_is_valid_json_even_for_nan(claims, make_repo):
    claim = claim_text("count", property="count", type="number", value=".nan", quote="x")
    repo = make_repo([{**base_files(), "claims/count.yaml": claim}])
    result = claims("export", repo=repo)
    text = result.stdout
    assert result.exit_code == 0 and "NaN" not in text and "Infinity" not in text
    # A number must be finite to be read at all (docs/format.md): the version is exported as
    # unreadable, with the reader's reason, and the rest of the history with it.
    row = next(v for v in json.loads(text)["versions"] if v["claim"] == "count")
    assert row["change"] == "unreadable" and row["value_data"] is None
    assert row["error"].endswith(":6:8: .nan is not a finite number [yaml-number]")


def test_export_sqlite_replaces_an_existing_file(claims, story, tmp_path):
    target = tmp_path / "claims.db"
    target.write_text("not a database")
    assert claims("export", "--format", "sqlite", "-o", str(target), repo=story).exit_code == 0
    with sqlite3.connect(target) as db:
        assert db.execute("select count(*) from claims").fetchone()[0] == 2


def test_export_sqlite_works_with_the_sqlite3_shell(claims, story, tmp_path):
    shell = pytest.importorskip("shutil").which("sqlite3")
    if not shell:
        pytest.skip("no sqlite3 shell installed")
    target = tmp_path / "claims.db"
    claims("export", "--format", "sqlite", "-o", str(target), repo=story)
    out = subprocess.run(
        [shell, str(target), "select claim, change from versions where position = 2 order by claim"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out == "summit-date|broadened\nsummit-location|refined\n"


@pytest.mark.parametrize(
    "args, message, code",
    [
        (["--format", "sqlite"], "--format sqlite writes a database file: give --output PATH", EXIT_USAGE),
        (["--format", "parquet"], "--format parquet writes a database file: give --output PATH", EXIT_USAGE),
        (["--format", "xml"], "Invalid value for '--format'", EXIT_USAGE),
        (["-o", "{tmp}"], "is a directory", EXIT_CONFLICT),
        (["-o", "{tmp}/missing/out.json"], "no such directory", EXIT_USAGE),
        (["-o", "{repo}/claims/summit-date.yaml"], "inside claims/, which holds the database", EXIT_CONFLICT),
        (["--format", "sqlite", "-o", "{repo}/seeds/x.db"], "inside seeds/", EXIT_CONFLICT),
    ],
)  # fmt: skip
def test_export_refuses(claims, story, tmp_path, args, message, code):
    args = [a.format(tmp=tmp_path, repo=story) for a in args]
    before = (story / "claims" / "summit-date.yaml").read_bytes()
    assert_one_line_error(claims("export", *args, repo=story), message, code=code)
    assert (story / "claims" / "summit-date.yaml").read_bytes() == before


def test_export_outside_git(claims, tmp_path):
    (tmp_path / "claims").mkdir()
    assert_one_line_error(claims("export", repo=tmp_path), "not a git repository", code=EXIT_REPO)


@pytest.mark.parametrize("fmt", ["sqlite", "json"])
def test_export_that_cannot_be_written(claims, story, tmp_path, monkeypatch, fmt):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = tmp_path / "x.out"
    result = claims("export", "--format", fmt, "-o", str(target), repo=story)
    assert_one_line_error(result, f"cannot write {target}: Permission denied", code=EXIT_USAGE)
    assert not target.exists()


# timeline --------------------------------------------------------------------------------------


def timeline(claims, repo, *args) -> str:
    result = claims("timeline", *args, repo=repo)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_timeline_draws_lanes_marks_and_values(claims, story):
    html = timeline(claims, story)
    page = Page(html)
    assert page.lanes == ["summit-date", "summit-location"]
    assert page.marks == {
        "summit-date": ["first-report", "broadened", "contradicted"],
        "summit-location": ["first-report", "refined"],
    }
    assert page.labels == [
        "2025-08-15",
        "2025-08",
        "≠ 2025-09-18 ⚠",
        "Alaska",
        "Alaska > Anchorage",
    ]
    assert "<title>Timeline: alaska-summit-2025</title>" in html
    assert "2 claims · 5 versions · 3 sources · published 2025-08-08 to 2025-08-31" in html


def sha256_source(text: str) -> str:
    import base64
    import hashlib

    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_timeline_is_self_contained(claims, story):
    html = timeline(claims, story)
    page = Page(html)
    assert not page.tags & {"link", "img", "iframe", "object", "embed"}
    # One inline script and one style, each allowed by its hash and nothing else.
    assert len(page.scripts) == 1 and len(page.styles) == 1
    policy = (
        "default-src 'none'; "
        f"style-src '{sha256_source(page.styles[0])}'; "
        f"script-src '{sha256_source(page.scripts[0])}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in html
    assert "unsafe-inline" not in html and "unsafe-eval" not in html
    for name, value in page.attributes:
        if name in ("src", "href", "xlink:href"):
            assert value.startswith("#"), (name, value)
    assert "url(" not in html.replace("url(#fade-", "")  # CSS loads nothing either


def test_timeline_hover_and_list_say_quote_and_source(claims, story):
    html = timeline(claims, story)
    tooltip = (
        "<title>summit-date · version 3 of 3 · contradicted\n"
        "published 2025-08-24/2025-08-31 (2025-08-24 to 2025-08-31)\n"
        "2025-09-18 [asserted]\n"
        "change: 2025-08 -&gt; 2025-09-18\n"
        "“on September 18, 2025”\n"
        "source a3: Summit in Anchorage\n"
        "⚠ source a3 published by 2025-08-31, reports as past an event on 2025-09-18</title>"
    )
    assert tooltip in html
    assert '<li id="v-summit-date-3" class="entry k-contradicted">' in html
    assert "<blockquote>on September 18, 2025</blockquote>" in html
    assert "Source <code>a3</code>: <cite>Summit in Anchorage</cite>" in html
    assert 'href="#v-summit-date-3"' in html
    assert "≠ 1 contradiction</h2>" in html


def test_timeline_draws_uncertain_dates_as_bars(claims, story):
    from claimkit.gitio import GitSession
    from claimkit.history import all_versions
    from claimkit.repo import ClaimsRepo
    from claimkit.timeline import build_page

    with GitSession(story) as history:
        histories = all_versions(ClaimsRepo.open(story), history)
    page = build_page(histories, sources=3)
    date_lane = page.lanes[0]
    exact, open_ended, interval = date_lane.marks
    assert exact.bar is None
    assert open_ended.bar[2:] == (False, True)  # from a known day, open towards the end
    x0, x1, *_ = interval.bar
    assert (x0, x1) == (
        page.x(interval.version.published.lower),
        page.x(interval.version.published.upper),
    )
    assert x0 < x1 <= page.plot_right
    html = timeline(claims, story)
    assert 'fill="url(#fade-right-broadened)"' in html


def test_timeline_labels_never_overlap(claims, make_repo):
    words = ["the first long statement of the outcome", "a second long statement of it",
             "and a third one on the same day", "and a fourth, also that day",
             "a fifth, left to the hover text", "and a sixth"]  # fmt: skip
    history = []
    for number, words_ in enumerate(words):
        source = f"s{number}"
        claim = claim_text(
            "outcome", property="outcome", type="text", value=words_, source=source, quote="x"
        )
        history.append({**source_files(source, "x\n", "2025-08-08"), "claims/outcome.yaml": claim})
    repo = make_repo(history)
    from claimkit.gitio import GitSession
    from claimkit.history import all_versions
    from claimkit.repo import ClaimsRepo
    from claimkit.timeline import CHAR_WIDTH, build_page

    with GitSession(repo) as history_:
        page = build_page(all_versions(ClaimsRepo.open(repo), history_), sources=6)
    lane = page.lanes[0]
    spans = {}
    for mark in (m for m in lane.marks if m.shown):
        start = mark.label_x - (len(mark.shown) * CHAR_WIDTH if mark.label_end else 0)
        spans.setdefault(mark.label_row, []).append((start, start + len(mark.shown) * CHAR_WIDTH))
    for row in spans.values():
        row.sort()
        assert all(a[1] <= b[0] for a, b in zip(row, row[1:])), row  # noqa: B905
    assert len({m.x for m in lane.marks}) == 6  # the same day, side by side
    assert lane.rows == 4 and [bool(m.shown) for m in lane.marks] == [True] * 4 + [False] * 2


def test_timeline_escapes_everything(claims, make_repo):
    evil = '<script>alert(1)</script> & "quoted"'
    meta_files = source_files("s", "x\n", "2025-08-08", title="'<b>Headline</b>'")
    meta_files["seeds/s.yaml"] = meta_files["seeds/s.yaml"].replace(
        "url: null", "url: 'javascript:alert(1)'"
    )
    claim = claim_text(
        "c", type="text", value="'<img src=x onerror=alert(1)>'", source="s", quote=evil
    )
    repo = make_repo([{**meta_files, "claims/c.yaml": claim}])
    html = timeline(claims, repo)
    page = Page(html)
    assert len(page.scripts) == 1 and "alert" not in page.scripts[0] and "img" not in page.tags
    assert "<cite>&lt;b&gt;Headline&lt;/b&gt;</cite>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html


def war_start(**extra) -> str:
    """A claim of another event, read from a1."""
    return claim_text("war-start", event="russia-ukraine-war", value="2014",
                      modality="asserted", source="a1", quote="x", **extra)  # fmt: skip


def commit_war_start(story, message: str, **extra) -> None:
    write_files(story, {"claims/war-start.yaml": war_start(**extra)})
    git(story, "add", "-A")
    git(story, "commit", "-qm", message)


def test_timeline_event_filter(claims, story):
    commit_war_start(story, "Another event")
    assert Page(timeline(claims, story)).lanes == ["summit-date", "summit-location", "war-start"]
    assert "<title>Timeline: alaska-summit-2025, russia-ukraine-war</title>" in timeline(
        claims, story
    )
    only = Page(timeline(claims, story, "--event", "russia-ukraine-war"))
    assert only.lanes == ["war-start"]
    assert_one_line_error(
        claims("timeline", "--event", "russia-ukraine", repo=story),
        "unknown event 'russia-ukraine'; did you mean russia-ukraine-war?",
        code=EXIT_USAGE,
    )


def test_timeline_leaves_retired_claims_out_unless_all(claims, story):
    commit_war_start(story, "Another claim")
    commit_war_start(story, "Retire war-start", superseded_by=["summit-date"])
    assert Page(timeline(claims, story)).lanes == ["summit-date", "summit-location"]
    assert Page(timeline(claims, story, "--all")).lanes == [
        "summit-date",
        "summit-location",
        "war-start",
    ]


def test_timeline_to_a_file(claims, story, tmp_path):
    target = tmp_path / "t.html"
    result = claims("timeline", "--output", str(target), repo=story)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {target}: 2 claims, 5 versions\n"
    assert target.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')


@pytest.mark.parametrize(
    "args, message, code",
    [
        (["-o", "{tmp}"], "is a directory", EXIT_CONFLICT),
        (["-o", "{tmp}/nope/t.html"], "no such directory", EXIT_USAGE),
        (["-o", "{repo}/claims/t.html"], "inside claims/", EXIT_CONFLICT),
    ],
)
def test_timeline_refuses(claims, story, tmp_path, args, message, code):
    args = [a.format(tmp=tmp_path, repo=story) for a in args]
    assert_one_line_error(claims("timeline", *args, repo=story), message, code=code)


def test_timeline_needs_history(claims, make_repo, tmp_path):
    assert_one_line_error(
        claims("timeline", repo=make_repo()),
        "no claim has a committed version yet",
        code=EXIT_USAGE,
    )
    (tmp_path / "plain" / "claims").mkdir(parents=True)
    assert_one_line_error(
        claims("timeline", repo=tmp_path / "plain"), "not a git repository", code=EXIT_REPO
    )


def test_timeline_shows_unreadable_and_undated_versions(claims, story):
    add_unreadable_and_unsourced_versions(story)
    html = timeline(claims, story)
    assert Page(html).marks["summit-date"][-2:] == ["unreadable", "broadened"]
    assert ">date unknown</text>" in html
    assert "Source <code>gone</code> (metadata missing)" in html


# the shipped database --------------------------------------------------------------------------


def test_shipped_database_exports_every_version(claims, tmp_path):
    shipped = shipped_root()
    target = tmp_path / "claims.db"
    result = claims("export", "--format", "sqlite", "-o", str(target), repo=shipped)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as db:
        versions = db.execute("select count(*) from versions").fetchone()[0]
        assert versions == git_version_count(shipped) > 0
        claim_files = len(list((shipped / "claims").glob("[!_]*.yaml")))
        assert db.execute("select count(*) from claims").fetchone()[0] == claim_files
        assert db.execute("select sum(versions) from claims").fetchone()[0] == versions
        assert db.execute("pragma foreign_key_check").fetchall() == []


def test_shipped_database_export_holds_the_story(claims, tmp_path):
    target = tmp_path / "claims.db"
    claims("export", "--format", "sqlite", "-o", str(target), repo=full_history())
    with sqlite3.connect(target) as db:
        # 004, weeks after the summit, has it in August against 003's September 18.
        assert db.execute(
            "select source, value, published from versions "
            "where claim = 'summit-date' and change = 'contradicted'"
        ).fetchall() == [("004_b4b5bb44ef53d473", "2025-08", "2025-08-29/..")]
        assert db.execute(
            "select source, value from versions where claim = 'summit-location' and change = 'refined'"
        ).fetchall() == [("003_99c0e5c040a02dc0", "Alaska > Anchorage")]
        # President, then former President in 001's headline, then President again in 003.
        assert db.execute(
            "select source, value from versions "
            "where claim = 'trump-us-office' and change = 'contradicted' order by position"
        ).fetchall() == [
            ("001_165394b9f31fcc89", "former President of the United States"),
            ("003_99c0e5c040a02dc0", "President of the United States"),
        ]
        # Magnitudes that fit: "thousands" is broader than "tens of thousands", not a change.
        assert db.execute(
            "select source, change from versions where claim = 'war-casualty-count' order by position"
        ).fetchall() == [
            ("000_4a205208f4f49833", "first-report"),
            ("002_38a17aba2a47e15a", "broadened"),
            ("001_165394b9f31fcc89", "refined"),
        ]
        assert [row[0] for row in db.execute(
            "select id from claims where contested and superseded_by is null order by id"
        )] == [
            "conflict-start", "meeting-format", "previous-trump-putin-meeting-date",
            "previous-trump-putin-meeting-place", "summit-agreement", "summit-date",
            "summit-stage", "trump-us-office", "us-ceasefire-sequencing",
        ]  # fmt: skip


def test_shipped_timeline_shows_the_contradiction_and_the_refinement(claims):
    html = timeline(claims, full_history())
    page = Page(html)
    assert "summit-date" in page.lanes and "summit-location" in page.lanes
    assert page.marks["summit-date"][-1] == "contradicted"
    assert "≠ 2025-08" in page.labels and "2025-09-18 ⚠" in page.labels
    assert "refined" in page.marks["summit-location"] and "Alaska > Anchorage" in page.labels
    assert page.marks["trump-us-office"] == [
        "first-report", "corroborated", "contradicted", "contradicted", "corroborated",
    ]  # fmt: skip
    assert (
        "<code>summit-date</code></a>: 2025-09-18 "
        '<span class="from">(003_99c0e5c040a02dc0, published 2025-08-24?)</span> <b>≠</b> '
        "<strong>2025-08</strong>"
    ) in html
    assert "reports as past an event on 2025-09-18" in html


def test_export_json_is_one_row_a_line(claims, story):
    text = claims("export", repo=story).stdout
    data = json.loads(text)
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "export_version": 1,', '  "truncated": false,']
    version_lines = lines[lines.index('  "versions": [') + 1 : -2]
    assert [json.loads(line.strip().rstrip(",")) for line in version_lines] == data["versions"]


@pytest.mark.parametrize(
    "text, kind, limit, shown",
    [
        ("Alaska > Anchorage > Joint Base Elmendorf-Richardson", "place", 48,
         "… > Anchorage > Joint Base Elmendorf-Richardson"),
        ("≠ Alaska > Anchorage > Joint Base Elmendorf-Richardson", "place", 40,
         "≠ … > Joint Base Elmendorf-Richardson"),
        ("Marco Rubio, Steve Witkoff, Sergei Lavrov, Yuri Ushakov", "people", 30,
         "Marco Rubio, Steve Witkoff +2"),
        ("a long statement of what was agreed at the summit", "text", 26, "a long statement of what…"),
        ("Alaska", "place", 26, "Alaska"),
    ],
)  # fmt: skip
def test_timeline_labels_keep_the_detail(text, kind, limit, shown):
    from claimkit.timeline.layout import fit_label

    assert fit_label(text, limit, kind) == shown and len(shown) <= limit
