"""`claims check`: run every rule over claim and source files and collect every problem."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import DataError, UsageError
from .files import MAX_FILE_BYTES, decode_utf8
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
    content_digest,
)
from .model import is_source_id
from .repo import CLAIMS_DIR, SEEDS_DIR, ClaimsRepo, cited_sources, partial_listing
from .rules import CLAIM_RULES, DECLARATION_RULES, SOURCE_RULES
from .rules.schema import schema_drift
from .types.vocabulary import VOCABULARY_FILE
from .yamlio import Document, load_mapping, parse_mapping


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
        files = _yaml_files(path) if path.is_dir() else [(path, False)]
        for file, is_dir in files:
            # A FIFO or a device is checked, so that it is reported; a hidden claim file too.
            if is_dir or (file.name.startswith(".") and file.parent != repo.claims_dir):
                continue
            top = repo.relative(file).partition("/")[0]
            if top == CLAIMS_DIR:
                claims.append(file)
            elif top == SEEDS_DIR:
                sources.append(file)
            elif path.is_file():
                raise UsageError(f"{given}: neither a claim (claims/) nor a source (seeds/) file")
    return _sorted_unique(claims), _sorted_unique(sources)


def _sorted_unique(paths: list[Path]) -> list[Path]:
    """Paths in order, each once: by their text, which for paths under one root is the order
    Path's comparison gives, at a fraction of its cost."""
    unique = {str(path): path for path in paths}
    return [unique[text] for text in sorted(unique, key=lambda text: text.split(os.sep))]


def _yaml_files(folder: Path) -> list[tuple[Path, bool]]:
    """(path, whether it is a folder) of every `*.yaml` under `folder`, as `rglob` finds them
    (links to folders not followed, hidden names included), in one scandir per folder."""
    found: list[tuple[Path, bool]] = []
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return found
    for entry in entries:
        name = entry.name
        if name.endswith(".yaml"):
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            found.append((folder / name, is_dir))
        try:
            walk = entry.is_dir(follow_symlinks=False)
        except OSError:
            walk = False
        if walk:
            found.extend(_yaml_files(folder / name))
    return found


def check_files(repo: ClaimsRepo, paths: Iterable[Path] = (), history: bool = True) -> Report:
    paths = list(paths)
    return _check(repo, *collect_files(repo, paths), history=history, whole=not paths)


def changed_files(repo: ClaimsRepo, base: str) -> tuple[list[Path], list[Path]]:
    """The claim and source files a change since commit `base` can have broken: every claim
    and source metadata file changed or added in the working tree, and every claim that
    cites a source whose files changed or went. Time grows with the change, not with the
    repository: git lists the changes and finds the citing claims (`git grep`)."""
    from .gitio import GitSession

    with GitSession(repo.root) as git:
        commit = git.resolve(base)
        present, deleted = git.changed_since(commit, [CLAIMS_DIR, SEEDS_DIR])
        claims, sources, touched = [], [], set()
        for path in present:
            parts = Path(path).parts
            if parts[0] == SEEDS_DIR:
                touched.add(Path(path).stem)
                # The text changed: its metadata (the sha256) is checked again too.
                sources.append((repo.root / path).with_suffix(".yaml"))
            elif path.endswith(".yaml") and len(parts) == 2:
                claims.append(repo.root / path)
        touched.update(Path(path).stem for path in deleted if Path(path).parts[0] == SEEDS_DIR)
        if any(
            Path(p).parts[0] == CLAIMS_DIR and Path(p).name.startswith("_")
            for p in [*present, *deleted]
        ):
            # A declaration (claims/_vocabulary.yaml) changed: any claim may read differently.
            claims.extend(collect_files(repo, [repo.claims_dir])[0])
        for path in git.files_mentioning(sorted(touched), CLAIMS_DIR):
            if path.endswith(".yaml") and len(Path(path).parts) == 2:
                claims.append(repo.root / path)
        # A file can be listed yet gone (deleted in the index, or a path git cannot stat).
        claims = sorted({p for p in claims if p.is_file() and not p.name.startswith(".")})
        sources = sorted({p for p in sources if p.is_file() and not p.name.startswith(".")})
        # The sources those claims cite, found by name in git's index rather than by walking
        # every folder of seeds/.
        cited = set(touched)
        for claim in claims:
            if repo.inside(claim):  # one that is not is refused unread by its check
                try:
                    with open(claim, "rb") as handle:
                        head = handle.read(1 << 20).decode("utf-8", "replace")
                except OSError:
                    continue  # its check reports it
                cited.update(cited_sources(head))
        plain = sorted(i for i in cited if is_source_id(i))
        named = git.files_named([f"{i}.yaml" for i in plain], SEEDS_DIR)
    repo.use_source_listing(partial_listing(repo, [*named, *map(repo.relative, sources)]), set())
    return claims, sources


def check_changed(repo: ClaimsRepo, base: str, history: bool = True) -> Report:
    """check_files over what changed since `base` (see changed_files)."""
    return _check(repo, *changed_files(repo, base), history=history)


def _check(
    repo: ClaimsRepo,
    claim_files: list[Path],
    source_files: list[Path],
    history: bool = True,
    whole: bool = False,
) -> Report:
    # Checking builds many small objects and no reference cycles: the cyclic collector would
    # only scan them again and again (a tenth of the time, or more, of a warm check).
    from .history import collector_paused

    with collector_paused():
        return _check_all(repo, claim_files, source_files, history, whole)


def _check_all(
    repo: ClaimsRepo, claim_files: list[Path], source_files: list[Path], history: bool, whole: bool
) -> Report:
    # claims/_vocabulary.yaml holds declarations, checked by their own rules.
    declarations = [f for f in claim_files if f.name == VOCABULARY_FILE]
    claim_files = [f for f in claim_files if f.name != VOCABULARY_FILE]
    context = Context(repo)
    problems: list[Problem] = schema_drift(repo.root)
    misnamed = [f for f in repo.misnamed_claim_files() if f in claim_files or whole]
    for file in misnamed:
        message = (
            f"file name {file.name!r} is not a claim id: claim files are named <id>.yaml, the id "
            "in lowercase letters, digits and '-'; files starting with '_' are declarations"
        )
        problems.append(Problem(repo.relative(file), 1, 1, ERROR, message, "file-name"))
    claim_files = [f for f in claim_files if f not in misnamed]
    from .check_cache import check_cache

    cache = check_cache(repo)
    if cache is not None:
        from .sources import restore_listing

        restore_listing(repo, cache.store)  # seeds/ by one stat a folder, not a walk
    # The claim files' data as read once, for the story findings: a mapping, or a function
    # that gives it from the cache (None where the file did not parse or was refused).
    parsed: dict[Path, object] = {}
    for files, rules, keep in (
        (declarations, DECLARATION_RULES, None),
        (claim_files, CLAIM_RULES, parsed),
        (source_files, SOURCE_RULES, None),
    ):
        for file in files:
            problems.extend(_checked(context, cache, file, rules, keep))
    if cache is not None:
        cache.save()
        from .sources import save_listing

        save_listing(repo, cache.store)
    if history:
        problems.extend(_story_findings(repo, claim_files, parsed))
    checked = len(declarations) + len(claim_files) + len(source_files)
    return Report(sorted(problems), checked + len(misnamed))


def _checked(context: Context, cache, file: Path, rules, parsed: dict | None) -> list[Problem]:
    """check_file, answered from the check cache where the file and all it read are unchanged
    (check_cache.py), and recorded there otherwise."""
    repo = context.repo
    display = repo.relative(file)
    # A file in a folder that resolves elsewhere is refused unread, and never cached.
    cached = cache is not None and repo._folder_inside(file.parent)
    found = cache.fingerprint(file, display) if cached else None
    if found is None:
        if cache is not None:
            cache.forget(display)
        return list(check_file(context, file, rules, parsed))
    from .check_cache import Reads

    fingerprint, data = found
    digest = cache.entries[display][1] if data is None else content_digest(data)
    entry = cache.lookup(display, digest)
    if entry is not None:
        if parsed is not None:
            # The same bytes as when it was checked: read again only if the story needs it.
            parsed[file] = lambda: _reread(file, display)
        return cache.problems(entry, display)
    if data is None:  # named by its stat data, but what it read has changed: read it now
        data = cache.read(file)
        if data is not None:
            digest = content_digest(data)
    kept: dict[Path, dict] = {}
    context.reads = reads = Reads()
    try:
        problems = list(check_file(context, file, rules, kept, data))
    finally:
        context.reads = None
    if parsed is not None and file in kept:
        parsed[file] = kept[file]
    if data is not None:  # the bytes checked are the bytes named by the digest
        cache.record(display, fingerprint, digest, problems, reads, context)
    return problems


def _reread(file: Path, display: str) -> dict | None:
    try:
        return load_mapping(file, display, positions=False).data
    except DataError:
        return None


def _story_findings(
    repo: ClaimsRepo, claim_files: list[Path], parsed: dict[Path, object]
) -> list[Problem]:
    """Findings about the articles behind every story version of the checked claims.
    `parsed`: the data of the claim files their check read, or a function giving it (one that
    did not parse, or was refused, is missing)."""
    from .model import Claim, is_claim_id
    from .story_findings import story_findings

    def on_disk(file: Path):
        def claim() -> Claim | None:
            data = parsed.get(file)
            if callable(data):
                data = data()
            try:
                return None if data is None else Claim.from_data(data)
            except TypeError:
                return None

        return claim

    wanted = {}
    folder = str(repo.claims_dir)
    for file in claim_files:
        text = str(file)
        name = os.path.basename(text)
        if os.path.dirname(text) != folder or not name.endswith(".yaml"):
            continue
        if is_claim_id(name[: -len(".yaml")]):
            # A file directly in claims/ is shown as repo.relative shows it, without its work.
            wanted[name[: -len(".yaml")]] = (f"{CLAIMS_DIR}/{name}", on_disk(file))
    return story_findings(repo, wanted)


def check_file(
    context: Context,
    file: Path,
    rules: Iterable[Rule],
    parsed: dict | None = None,
    data: bytes | None = None,
) -> Iterator[Problem]:
    """Every rule on one file; `parsed`, if given, keeps the data read; `data`, if given, is
    the file's bytes, already read."""
    display = context.repo.relative(file)
    if not context.repo.inside(file):
        yield Problem(
            display, 1, 1, ERROR, "resolves outside the repository; not read", "path-outside"
        )
        return
    try:
        if data is None or len(data) > MAX_FILE_BYTES:
            doc = load_mapping(file, display)
        else:
            doc = parse_mapping(decode_utf8(data, display), display)
    except DataError as err:
        yield Problem(err.path, err.line, err.column, ERROR, err.message, err.rule)
        return
    if parsed is not None:
        parsed[file] = doc.data
    item = Item(display, file, doc)
    for rule in rules:
        yield from rule(context, item)


def check_document(repo: ClaimsRepo, file: Path, doc: Document) -> list[Problem]:
    """Every claim rule on a document not yet written (used before a tool edit is saved)."""
    item = Item(repo.relative(file), file, doc)
    return sorted(p for rule in CLAIM_RULES for p in rule(Context(repo), item))
