"""docs/performance.md's recipe for several repositories: each exported to SQLite, combined."""

from __future__ import annotations

import sqlite3

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
        with sqlite3.connect(path) as single:
            expected[name] = single.execute("SELECT count(*) FROM versions").fetchone()[0]
    assert counts == expected and counts["story-a"] == 5 and counts["story-b"] == 1
    claims_seen = {row[0] for row in combined.execute("SELECT DISTINCT claim FROM versions")}
    assert claims_seen == {"summit-date", "summit-location"}
