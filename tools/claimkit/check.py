"""`claims check`: run every rule over claim and source files and collect every problem."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import DataError, UsageError
from .findings import (  # noqa: F401 (the names other modules take from here)
    ERROR,
    MAX_TEXT_BYTES,
    WARNING,
    Context,
    Item,
    Problem,
    ProblemCounts,
    Report,
    Rule,
)
from .repo import CLAIMS_DIR, SEEDS_DIR, ClaimsRepo
from .rules import CLAIM_RULES, DECLARATION_RULES, SOURCE_RULES
from .rules.schema import schema_drift
from .types.vocabulary import VOCABULARY_FILE
from .yamlio import Document, load_mapping


def collect_files(repo: ClaimsRepo, paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Claim files and source metadata files to check: all of them, or those under `paths`."""
    paths = list(paths)
    if not paths:
        paths = [repo.claims_dir, repo.seeds_dir]
    claims: list[Path] = []
    sources: list[Path] = []
    for given in paths:
        path = given if given.is_absolute() else Path.cwd() / given
        if not path.exists():
            raise UsageError(f"{given}: no such file or directory")
        if not repo.inside(path):
            raise UsageError(f"{given}: outside the claims repository at {repo.root}")
        files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            # A FIFO or a device is checked, so that it is reported; a hidden claim file too.
            if file.is_dir() or (file.name.startswith(".") and file.parent != repo.claims_dir):
                continue
            top = Path(repo.relative(file)).parts[0]
            if top == CLAIMS_DIR:
                claims.append(file)
            elif top == SEEDS_DIR:
                sources.append(file)
            elif path.is_file():
                raise UsageError(f"{given}: neither a claim (claims/) nor a source (seeds/) file")
    return sorted(set(claims)), sorted(set(sources))


def check_files(repo: ClaimsRepo, paths: Iterable[Path] = (), history: bool = True) -> Report:
    claim_files, source_files = collect_files(repo, paths)
    # claims/_vocabulary.yaml holds declarations, checked by their own rules.
    declarations = [f for f in claim_files if f.name == VOCABULARY_FILE]
    claim_files = [f for f in claim_files if f.name != VOCABULARY_FILE]
    context = Context(repo)
    problems: list[Problem] = schema_drift(repo.root)
    misnamed = [f for f in repo.misnamed_claim_files() if f in claim_files or not paths]
    for file in misnamed:
        message = (
            f"file name {file.name!r} is not a claim id: claim files are named <id>.yaml, the id "
            "in lowercase letters, digits and '-'; files starting with '_' are declarations"
        )
        problems.append(Problem(repo.relative(file), 1, 1, ERROR, message, "file-name"))
    claim_files = [f for f in claim_files if f not in misnamed]
    for files, rules in (
        (declarations, DECLARATION_RULES),
        (claim_files, CLAIM_RULES),
        (source_files, SOURCE_RULES),
    ):
        for file in files:
            problems.extend(check_file(context, file, rules))
    if history:
        problems.extend(_story_findings(repo, claim_files))
    checked = len(declarations) + len(claim_files) + len(source_files)
    return Report(sorted(problems), checked + len(misnamed))


def _story_findings(repo: ClaimsRepo, claim_files: list[Path]) -> list[Problem]:
    """Findings about the articles behind every story version of the checked claims."""
    from .model import Claim, is_claim_id
    from .story_findings import story_findings

    wanted = {}
    for file in claim_files:
        if file.parent != repo.claims_dir or not is_claim_id(file.stem):
            continue
        try:
            on_disk = Claim.from_data(load_mapping(file, repo.relative(file)).data)
        except (DataError, TypeError):
            on_disk = None
        wanted[file.stem] = (repo.relative(file), on_disk)
    return story_findings(repo, wanted)


def check_file(context: Context, file: Path, rules: Iterable[Rule]) -> Iterator[Problem]:
    display = context.repo.relative(file)
    if not context.repo.inside(file):
        yield Problem(
            display, 1, 1, ERROR, "resolves outside the repository; not read", "path-outside"
        )
        return
    try:
        doc = load_mapping(file, display)
    except DataError as err:
        yield Problem(err.path, err.line, err.column, ERROR, err.message, err.rule)
        return
    item = Item(display, file, doc)
    for rule in rules:
        yield from rule(context, item)


def check_document(repo: ClaimsRepo, file: Path, doc: Document) -> list[Problem]:
    """Every claim rule on a document not yet written (used before a tool edit is saved)."""
    item = Item(repo.relative(file), file, doc)
    return sorted(p for rule in CLAIM_RULES for p in rule(Context(repo), item))
