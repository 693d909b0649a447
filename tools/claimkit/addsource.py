"""A new article in the database (`claims add-source`): its text copied byte for byte into
seeds/, its metadata beside it, validated with the `claims check` rules first, written
atomically and committed alone when asked to."""

from __future__ import annotations

import hashlib
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .check import Context, Item
from .dates import parse_date
from .editing import MAX_ARTICLE_BYTES, WRITE_LOCK, refuse_problems, short
from .errors import ConflictError, DataError, UsageError
from .files import atomic_write, exclusive_lock, read_bytes, read_text
from .gitio import GitSession
from .model import Source, is_source_id
from .repo import ClaimsRepo, source_from_document
from .yamledit import dump_mapping
from .yamlio import parse_mapping

DEFAULT_BASIS = "As given to `claims add-source`; no basis recorded."


@dataclass(frozen=True)
class AddedSource:
    source: Source
    meta_path: str
    text_path: str
    commit: str | None = None
    html_path: str | None = None  # the saved page the text was extracted from


def _folder(repo: ClaimsRepo, folder: str | None) -> Path:
    """seeds/ or the subfolder of it given, refusing one that leads outside the repository."""
    target = repo.seeds_dir
    if folder:
        parts = PurePosixPath(folder).parts
        if PurePosixPath(folder).is_absolute() or not parts or any(p in ("..", ".") for p in parts):
            raise UsageError(f"--into {folder!r}: give a folder inside seeds/, like 2025-08")
        target = target.joinpath(*parts)
    existing = next(p for p in (target, *target.parents) if p.exists())
    if not repo.inside(existing):
        raise UsageError(f"{repo.relative(target)}: resolves outside the repository; refused")
    return target


def add_source(
    repo: ClaimsRepo,
    file: Path,
    *,
    published: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    basis: str | None = None,
    source_id: str | None = None,
    folder: str | None = None,
    commit: bool = False,
) -> AddedSource:
    """Copy an article's text into seeds/ byte for byte and write its metadata beside it.

    A saved web page (HTML) has its article extracted: the text is what seeds/<id>.txt holds,
    the page is kept as seeds/<id>.html, and the title, outlet, url and published date (with
    its basis) come from the page wherever they are not given."""
    from .rules import published_parses, source_schema
    from .webpage import article_from_file

    source_id = source_id or file.stem
    if not is_source_id(source_id):
        raise UsageError(
            f"invalid source id {source_id!r}: use letters, digits, '.', '_' and '-' "
            "(give one with --id)"
        )
    if published is not None:
        try:
            parse_date(published)
        except ValueError as err:
            raise UsageError(f"--published {published!r}: {err}") from None
    data = read_bytes(file, str(file), MAX_ARTICLE_BYTES)
    if not data.strip():
        raise UsageError(f"{file}: the article text is empty")
    given = {"published": published, "title": title, "outlet": outlet, "url": url, "basis": basis}
    data, page, fields = article_from_file(file, data, given)
    published, title, outlet, url, basis = (fields[name] for name in given)
    existing = repo.source_paths().get(source_id)
    if existing is not None:
        raise ConflictError(f"source {source_id} already exists: {repo.relative(existing)}")
    digest = hashlib.sha256(data).hexdigest()
    for other_id, other_path in repo.source_paths().items():
        try:
            other = parse_mapping(read_text(other_path, other_id), other_id).data
        except DataError:
            continue  # check reports it
        if other.get("sha256") == digest:
            raise ConflictError(f"{file}: the same text is already source {other_id}")
    target = _folder(repo, folder)
    meta_path = target / f"{source_id}.yaml"
    text_path = target / f"{source_id}.txt"
    html_path = target / f"{source_id}.html" if page is not None else None
    for path in (text_path, html_path):
        if path is not None and path.exists():
            raise ConflictError(f"{repo.relative(path)} already exists")
    meta = {
        "id": source_id, "title": title, "outlet": outlet or None, "url": url or None,
        "published": published, "published_basis": basis or DEFAULT_BASIS, "sha256": digest,
    }  # fmt: skip
    # The modeline lets editors validate the file; its path climbs from the file's folder.
    depth = len(Path(repo.relative(meta_path)).parts) - 1
    modeline = f"# yaml-language-server: $schema={'../' * depth}schema/source.schema.json\n"
    meta_text = dump_mapping(meta, header=modeline)
    doc = parse_mapping(meta_text, repo.relative(meta_path))
    item = Item(doc.path, meta_path, doc)
    context = Context(repo)
    refuse_problems(sorted(source_schema(context, item) + published_parses(context, item)))

    with ExitStack() as held:
        git = held.enter_context(GitSession(repo.root)) if commit else None
        if git is not None:
            # The lock record --commit holds: neither commits while the other has staged a file.
            held.enter_context(exclusive_lock(git.git_path(WRITE_LOCK)))
            git.refuse_if_locked()
        target.mkdir(parents=True, exist_ok=True)
        written = []
        files = [(text_path, data), (meta_path, meta_text.encode("utf-8"))]
        if html_path is not None:
            files.append((html_path, page))
        try:
            for path, content in files:
                atomic_write(path, content)
                written.append(path)
            sha = None
            if git is not None:
                names = [repo.relative(path) for path, _ in files]
                message = f"Add source {source_id}: {short(title, 50)}\n\nSource: {source_id}"
                sha = git.commit_paths(names, message)
        except BaseException:
            for path in written:  # all or nothing
                path.unlink(missing_ok=True)
            raise
    source = source_from_document(doc, meta_path)
    html_name = repo.relative(html_path) if html_path is not None else None
    return AddedSource(source, repo.relative(meta_path), repo.relative(text_path), sha, html_name)
