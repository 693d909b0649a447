"""The check rules, one small module per concern. Each rule is declared with `@rule(id,
severity, files)` (findings.py) on a check `(context, item) -> problems`; the runner calls
the Rule, which stamps its id and severity on what the check finds. The rule table in
docs/cli.md is generated from these declarations and their docstrings (`python -m
claimkit.rules`), and a test keeps it current.

Errors are faults in the record; warnings are findings about the articles themselves.
"""

from ..findings import CLAIMS, DECLARATIONS, ERROR, SOURCES, Rule
from .identity import claim_id_matches_file, source_id_matches_file
from .quote import quote_verbatim
from .schema import claim_schema, source_schema
from .sources import sha256_matches, source_exists, source_text_exists
from .text import control_characters, source_control_characters
from .time_sense import time_sense
from .values import published_parses, superseded_exists, value_parses
from .vocabulary import vocabulary_file

RULES: tuple[Rule, ...] = (
    claim_schema,
    control_characters,
    claim_id_matches_file,
    value_parses,
    superseded_exists,
    source_exists,
    quote_verbatim,
    time_sense,
    source_schema,
    source_control_characters,
    source_id_matches_file,
    published_parses,
    source_text_exists,
    sha256_matches,
    vocabulary_file,
)
CLAIM_RULES = tuple(r for r in RULES if r.files == CLAIMS)
SOURCE_RULES = tuple(r for r in RULES if r.files == SOURCES)
DECLARATION_RULES = tuple(r for r in RULES if r.files == DECLARATIONS)

# Reported while a file is read, before any rule runs (yamlio, files): a file that breaks one
# is not checked further.
READING_RULES = (
    "duplicate-key", "yaml-anchor", "yaml-alias", "yaml-tag", "yaml-documents", "yaml-mapping",
    "yaml-depth", "yaml-key", "yaml-syntax", "yaml-number", "encoding", "file-size", "file-type", "file-name",
)  # fmt: skip
FILE_WORDS = {CLAIMS: "claims/", SOURCES: "seeds/", DECLARATIONS: "claims/_vocabulary.yaml"}


def rule_table() -> str:
    """The Markdown table of every rule, as docs/cli.md has it."""
    lines = ["| rule | severity | files | what it checks |", "| --- | --- | --- | --- |"]
    for declared in sorted(RULES, key=lambda r: (r.severity != ERROR, RULES.index(r))):
        lines.append(
            f"| `{declared.id}` | {declared.severity} | `{FILE_WORDS[declared.files]}` "
            f"| {declared.description} |"
        )
    reading = ", ".join(f"`{name}`" for name in READING_RULES)
    lines.insert(
        len(lines) - sum(r.severity != ERROR for r in RULES),
        f"| {reading} | error | both | what a file may not hold, found while reading it (see "
        "[format.md](format.md)); such a file is not checked further |",
    )
    return "\n".join(lines) + "\n"
