"""The export of several repositories together: one file whose every row says, in a
`repository` column, which repository it comes from.

Each repository is exported as export.py exports one (the same rows, claim by claim), one
repository after another, its vocabulary in use while it is read; this module names the
repositories, adds the column, and writes the rows as they come into one SQLite database, one
Parquet file (export_several_db.py), one CSV or one JSON document. See docs/export.md,
"Several repositories".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import export as exporting
from .errors import UsageError
from .export import EXPORT_VERSION, VERSION_FIELDS
from .repo import ClaimsRepo

if TYPE_CHECKING:
    from .queries import ClaimByClaim

REPOSITORY = "repository"
REPOSITORY_HELP = (
    "The repository the row comes from: the name given to --repository, or its folder's name"
)


@dataclass(frozen=True)
class Named:
    """A repository to export and the name its rows carry."""

    name: str
    path: Path


def named(values: Iterable[str]) -> list[Named]:
    """`[NAME=]DIR` values as named repositories, each checked to be a claims repository.

    A value that is an existing folder is a folder even if it holds `=`; otherwise the text
    before the first `=` is the name. Without a name, the folder's own name is used. Two
    repositories may not share a name: their rows could not be told apart.
    """
    found: list[Named] = []
    for value in values:
        name, folder = None, value
        if "=" in value and not Path(value).is_dir():
            name, folder = value.split("=", 1)
            if not name:
                raise UsageError(f"--repository {value}: the name before '=' is empty")
            if not folder:
                raise UsageError(f"--repository {value}: the folder after '=' is empty")
        repo = ClaimsRepo.open(Path(folder), search_up=False)
        _readable(repo, folder)
        found.append(Named(name or repo.root.name, repo.root))
    seen: dict[str, Named] = {}
    for item in found:
        if item.name in seen:
            raise UsageError(
                f"two repositories named {item.name!r}: {seen[item.name].path} and {item.path}; "
                f"name one: --repository OTHER={item.path}"
            )
        seen[item.name] = item
    return found


def _readable(repo: ClaimsRepo, given: str) -> None:
    """A claims folder outside git has no history to export: refused before anything is written."""
    from .errors import RepoError
    from .gitcommand import is_git_repository

    if not is_git_repository(repo.root):
        raise RepoError(f"{given}: not a git repository; history needs git")


# Reading, one repository after another ---------------------------------------------------------


class Part:
    """One repository's rows, each with its name in `repository`: the claims and their
    versions as they come (claim by claim, each let go of before the next is read), then,
    once every version is counted, its sources and commits."""

    def __init__(self, name: str, repo: ClaimsRepo, whole: ClaimByClaim):
        self.name, self.repo, self.whole = name, repo, whole
        self.tally = exporting.Tally()
        self.sources_written = 0

    @property
    def truncated(self) -> bool:
        return self.whole.truncated

    def claims(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        name = self.name
        for _claim_id, story in self.whole.claims:
            claim, rows = exporting.story_export(story)
            self.tally.add(rows)
            yield {REPOSITORY: name, **claim}, [{REPOSITORY: name, **row} for row in rows]

    def source_ids(self) -> set[str]:
        """The sources a JSON export lists: seeds/ and any the versions cite."""
        return set(self.repo.source_paths()) | set(self.tally.citing)

    def sources(self) -> Iterator[dict[str, Any]]:
        listing = self.repo.source_paths()
        cache = self.whole.sources

        def lookup(source_id: str):
            return cache.get(source_id) if source_id in listing else None

        def path_of(source) -> str:
            return self.repo.relative(source.path)

        for row in exporting.source_rows(listing, lookup, self.tally.citing, path_of):
            self.sources_written += 1
            yield {REPOSITORY: self.name, **row}

    def details(self, shas: list[str]) -> dict[str, tuple[str, str, str]]:
        return self.whole.details(shas)

    def commits(self) -> list[dict[str, Any]]:
        first = self.tally.first_recorded
        rows = exporting.commit_rows(first, self.details(list(first)))
        return [{REPOSITORY: self.name, **row} for row in rows]


def parts(repositories: list[Named]) -> Iterator[Part]:
    """Each repository's Part in turn, read while it is the one in use: a Part is done with
    before the next is asked for."""
    from .queries import collector_paused, history_by_claim

    for item in repositories:
        repo = ClaimsRepo.open(item.path, search_up=False)  # its vocabulary, for comparisons
        with collector_paused(), history_by_claim(repo, told=True) as whole:
            yield Part(item.name, repo, whole)


@dataclass
class Written:
    """What an export wrote, for its one-line summary."""

    claims: int = 0
    versions: int = 0
    sources: int = 0
    repositories: int = 0

    def add(self, part: Part) -> None:
        self.claims += part.tally.claims
        self.versions += part.tally.versions
        self.sources += part.sources_written
        self.repositories += 1


# CSV and JSON ----------------------------------------------------------------------------------

CSV_FIELDS = (REPOSITORY, *VERSION_FIELDS)


def write_csv(repositories: list[Named], write) -> Written:
    """The version rows of every repository, a `repository` column first, as one CSV."""
    written = Written()

    def rows():
        for part in parts(repositories):
            for _claim, found in part.claims():
                yield from found
            part.sources_written = len(part.source_ids())
            written.add(part)

    exporting.write_csv(rows(), write, fields=CSV_FIELDS)
    return written


def write_json(repositories: list[Named], write) -> Written:
    """One JSON document, laid out as a single repository's (one row a line), with
    `repositories` (each one's name and whether its history is cut short) and every claim,
    source and version row holding its `repository`. The lists are kept in temporary files
    until every repository is read, never whole in memory."""
    import tempfile

    row = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    written = Written()
    names: list[dict[str, Any]] = []
    spools = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in ("claims", "sources", "versions"):
            spools[name] = open(  # noqa: SIM115 - closed below, all three together
                Path(folder) / name, "w+", encoding="utf-8", errors="surrogatepass", newline=""
            )
        try:
            # Each list written into its own file as one repository's export writes it.
            lists = {name: exporting._JsonList(name, spool.write) for name, spool in spools.items()}
            for part in parts(repositories):
                for claim, found in part.claims():
                    lists["claims"].add(row(exporting.finite(claim)))
                    for item in found:
                        lists["versions"].add(row(exporting.finite(item)))
                for item in part.sources():
                    lists["sources"].add(row(item))
                names.append({"name": part.name, "truncated": part.truncated})
                written.add(part)
            write(f'{{\n  "export_version": {EXPORT_VERSION},\n  "truncated": '
                  f'{row(any(n["truncated"] for n in names))},\n')  # fmt: skip
            write('  "repositories": [\n' + ",\n".join(f"    {row(n)}" for n in names))
            write("\n  ]")
            for name, spool in spools.items():
                lists[name].close()
                write(",\n")
                spool.seek(0)
                while chunk := spool.read(1 << 20):
                    write(chunk)
            write("\n}\n")
        finally:
            for spool in spools.values():
                spool.close()
    return written
