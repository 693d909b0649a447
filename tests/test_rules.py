"""Check rules as declarations: id, severity and files, stamped by the runner; the docs' table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from claimkit.findings import CLAIMS, DECLARATIONS, ERROR, SOURCES, WARNING, Item, Problem, rule
from claimkit.rules import CLAIM_RULES, DECLARATION_RULES, RULES, SOURCE_RULES, rule_table
from conftest import claim_text, write_files

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tools" / "claimkit"


def test_the_rule_table_in_the_docs_is_current():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    match = re.search(
        r"a test keeps it current\. -->\n(.*?)<!-- end of the rule table -->", text, re.S
    )
    assert match, "docs/cli.md lost its rule table markers"
    assert match.group(1) == rule_table()


def test_every_rule_declares_id_severity_files_and_says_what_it_checks():
    assert set(CLAIM_RULES) | set(SOURCE_RULES) | set(DECLARATION_RULES) == set(RULES)
    for declared in RULES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", declared.id)
        assert declared.severity in (ERROR, WARNING)
        assert declared.files in (CLAIMS, SOURCES, DECLARATIONS)
        assert len(declared.description) > 10, declared.id


def test_the_rule_stamps_its_id_and_severity(repo):
    @rule("made-up", WARNING, CLAIMS)
    def made_up(context, item):
        """A check for this test."""
        return [item.problem(("value",), "looks odd")]

    from claimkit.yamlio import parse_mapping

    doc = parse_mapping(claim_text(), "claims/summit-date.yaml")
    item = Item("claims/summit-date.yaml", repo / "claims" / "summit-date.yaml", doc)
    assert made_up(None, item) == [
        Problem("claims/summit-date.yaml", 6, 8, WARNING, "looks odd", "made-up")
    ]
    with pytest.raises(ValueError):
        rule("bad", "fatal", CLAIMS)


def test_check_reports_each_rule_by_its_declared_id(claims, repo):
    write_files(
        repo, {"claims/summit-date.yaml": claim_text(value="2025-09-18", modality="asserted")}
    )
    result = claims("check", "--format", "json", repo=repo)
    assert '"rule": "time-sense"' in result.stdout and '"severity": "warning"' in result.stdout


def _imports(path: Path) -> set[str]:
    """The claimkit modules a module imports, at any level of its code."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level]
            if path.name == "__init__.py":
                base = package[: len(package) - node.level + 1]
            target = ".".join(base + ((node.module,) if node.module else ()))
            found.add(target)
    return found


def test_check_and_the_rules_import_no_cycle():
    rules = {f"claimkit.rules.{p.stem}" for p in (PACKAGE / "rules").glob("*.py")}
    for name in rules:
        path = PACKAGE / "rules" / f"{name.rsplit('.', 1)[1]}.py"
        assert "claimkit.check" not in _imports(path), name
    assert "claimkit.check" not in _imports(PACKAGE / "findings.py")
    assert "claimkit.rules" not in _imports(PACKAGE / "findings.py")
