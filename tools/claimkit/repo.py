"""A claims repository on disk: where its claims and sources are, and loading them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, NotFound, RepoError, UsageError
from .model import Claim, Source, is_claim_id, is_source_id
from .types import vocabulary
from .yamlio import Document, load_mapping

CLAIMS_DIR = "claims"
SEEDS_DIR = "seeds"


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds a claims/ folder."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / CLAIMS_DIR).is_dir():
            return candidate
    raise RepoError(f"{start}: not a claims repository (no claims/ folder here or above)")


@dataclass
class ClaimsRepo:
    root: Path
    _sources: dict[str, Path] | None = field(default=None, repr=False)
    _plain_sources: set[str] = field(default_factory=set, repr=False)
    source_folders: dict[str, os.stat_result] = field(default_factory=dict, repr=False)
    _folders_inside: dict[str, bool] = field(default_factory=dict, repr=False)
    _resolved_root: Path | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # Comparisons read the declared categories and people of the repository in use.
        vocabulary.use(vocabulary.load(self.claims_dir))

    @classmethod
    def open(cls, path: Path | None = None, *, search_up: bool = True) -> ClaimsRepo:
        start = Path(path) if path is not None else Path.cwd()
        if not start.exists():
            raise RepoError(f"{start}: no such directory")
        if not start.is_dir():
            raise RepoError(f"{start}: not a directory")
        if search_up:
            return cls(find_root(start))
        if not (start / CLAIMS_DIR).is_dir():
            raise RepoError(f"{start}: not a claims repository (no claims/ folder)")
        return cls(start.resolve())

    @property
    def claims_dir(self) -> Path:
        return self.root / CLAIMS_DIR

    @property
    def seeds_dir(self) -> Path:
        return self.root / SEEDS_DIR

    def relative(self, path: Path) -> str:
        """A path as shown in messages: relative to the repository root, with slashes."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep) and f"{os.sep}.." not in text[len(root) :]:
            return text[len(root) + 1 :].replace(os.sep, "/")  # what relpath gives, sooner
        try:
            return Path(os.path.relpath(path, self.root)).as_posix()
        except ValueError:
            return str(path)

    def inside(self, path: Path) -> bool:
        """Whether `path`, with links and '..' resolved, stays inside the repository."""
        name = path.name
        if (
            name not in ("", ".", "..")
            and self._folder_inside(path.parent)
            and not os.path.islink(path)
        ):
            return True  # not a link, in a folder that resolves inside: it resolves inside
        return self._resolves_inside(path)

    def _folder_inside(self, folder: Path) -> bool:
        # Checking ten thousand files resolves their one folder once, not ten thousand times.
        key = str(folder)
        found = self._folders_inside.get(key)
        if found is None:
            found = self._folders_inside[key] = self._resolves_inside(folder)
        return found

    def _resolves_inside(self, path: Path) -> bool:
        if self._resolved_root is None:
            self._resolved_root = self.root.resolve()
        try:
            path.resolve().relative_to(self._resolved_root)
        except ValueError:
            return False
        return True

    # Claims -------------------------------------------------------------------------------

    def claim_path(self, claim_id: str) -> Path:
        if not is_claim_id(claim_id):
            raise UsageError(
                f"invalid claim id {claim_id!r}: use lowercase letters, digits and '-', "
                "starting with a letter or digit"
            )
        path = self.claims_dir / f"{claim_id}.yaml"
        if path.exists() and not self.inside(path):
            raise UsageError(f"{self.relative(path)}: resolves outside the repository; refused")
        return path

    def claim_ids(self) -> list[str]:
        """The ids of claims/<id>.yaml, whatever kind of file each is (a FIFO is named, so that
        reading it is refused in one line). Other names are not claims: check reports them."""
        if not self.claims_dir.is_dir():
            return []
        return sorted(
            name[: -len(".yaml")]
            for name in os.listdir(self.claims_dir)
            if name.endswith(".yaml")
            and is_claim_id(name[: -len(".yaml")])
            and not os.path.isdir(self.claims_dir / name)
        )

    def misnamed_claim_files(self) -> list[Path]:
        """Files in claims/ that are not <valid-id>.yaml: neither `_` declarations such as
        _vocabulary.yaml nor the .gitkeep `claims init` leaves."""
        if not self.claims_dir.is_dir():
            return []
        return sorted(
            self.claims_dir / name
            for name in os.listdir(self.claims_dir)
            if not name.startswith("_")
            and name != ".gitkeep"
            and not (name.endswith(".yaml") and is_claim_id(name[: -len(".yaml")]))
            and not os.path.isdir(self.claims_dir / name)
        )

    def claim_files(self) -> list[Path]:
        return [self.claims_dir / f"{claim_id}.yaml" for claim_id in self.claim_ids()]

    def load_claim_document(self, claim_id: str) -> Document:
        path = self.claim_path(claim_id)
        if not path.exists() or path.is_dir():  # a FIFO exists: reading it is refused in one line
            raise NotFound(unknown("claim", claim_id, self.claim_ids()))
        return load_mapping(path, self.relative(path))

    def load_claim(self, claim_id: str) -> Claim:
        return claim_from_document(self.load_claim_document(claim_id))

    # Sources ------------------------------------------------------------------------------

    def source_paths(self) -> dict[str, Path]:
        """Every source metadata file under seeds/ (subfolders too), by id.

        Walks like `os.walk` (folders in name order, files before subfolders, symbolic links
        to folders not followed) and notes which sources are reached through no symbolic link
        at all: those lie inside the repository without resolving their paths one by one.
        """
        if self._sources is None:
            found: dict[str, Path] = {}
            plain: set[str] = set()
            self.source_folders = {}
            seeds = self.seeds_dir
            if seeds.is_dir():
                self._walk_sources(
                    seeds, not seeds.is_symlink() and self.inside(seeds), found, plain
                )
            self._sources, self._plain_sources = found, plain
        return self._sources

    def use_source_listing(self, found: Mapping[str, Path], plain: set[str]) -> None:
        """Take a listing of seeds/ known to be current (a cache checked against the folders)."""
        self._sources, self._plain_sources = found, plain  # type: ignore[assignment]

    def source_name(self, source_id: str) -> str | None:
        """A source's metadata file as shown in messages (relative, with slashes); None if absent."""
        listing = self.source_paths()
        if isinstance(listing, SourceListing):
            return listing.name(source_id)
        path = listing.get(source_id)
        return None if path is None else self.relative(path)

    def _walk_sources(self, folder: Path, plain: bool, found: dict, plain_ids: set) -> None:
        try:
            # Each folder's stat before its listing: what a cache of the listing is checked by.
            self.source_folders[str(folder)] = os.stat(folder)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        links = {entry.name for entry in entries if entry.is_symlink()}
        subfolders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(entry)
                continue
            name = entry.name
            if name.endswith(".yaml") and not name.startswith("."):
                source_id = name[: -len(".yaml")]
                if source_id not in found:
                    found[source_id] = folder / name
                    if plain and name not in links and f"{source_id}.txt" not in links:
                        plain_ids.add(source_id)
        for entry in subfolders:
            if entry.name not in links:  # like os.walk: links to folders are not followed
                self._walk_sources(Path(entry.path), plain, found, plain_ids)

    def source_path(self, source_id: str) -> Path:
        if not is_source_id(source_id):
            raise UsageError(f"invalid source id {source_id!r}")
        path = self.source_paths().get(source_id)
        if path is None:
            raise NotFound(unknown("source", source_id, list(self.source_paths())))
        if source_id not in self._plain_sources and (
            not self.inside(path) or not self.inside(path.with_suffix(".txt"))
        ):
            raise UsageError(f"{self.relative(path)}: resolves outside the repository; refused")
        return path

    def load_source(self, source_id: str) -> Source:
        path = self.source_path(source_id)
        return source_from_document(load_mapping(path, self.relative(path), positions=False), path)


class SourceListing(Mapping):
    """Source id -> metadata file, from names relative to the root; Paths made when asked for."""

    def __init__(self, root: Path, names: dict[str, str]):
        self._root = root
        self._names = names

    def name(self, source_id: str) -> str | None:
        return self._names.get(source_id)

    def __getitem__(self, source_id: str) -> Path:
        # Made each time, not kept: a whole history asks for every source's path once or twice.
        return self._root / self._names[source_id]

    def __contains__(self, source_id) -> bool:
        return source_id in self._names

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class PartialListing(dict):
    """Source id -> metadata file for the sources a command expects to need, found without
    walking seeds/; any other id (a source the scan did not foresee, or one that is not in
    git's index yet) is looked up in the full listing, walked only if it comes to that."""

    def __init__(self, found: dict[str, Path], root: Path):
        super().__init__(found)
        self._root = root
        self._full: dict[str, Path] | None = None

    def full(self) -> Mapping[str, Path]:
        if self._full is None:
            self._full = ClaimsRepo(self._root).source_paths()
        return self._full

    def __missing__(self, source_id: str) -> Path:
        return self.full()[source_id]

    def __contains__(self, source_id) -> bool:
        return dict.__contains__(self, source_id) or source_id in self.full()

    def get(self, source_id, default=None):
        if dict.__contains__(self, source_id):
            return dict.__getitem__(self, source_id)
        return self.full().get(source_id, default)

    def __iter__(self):
        return iter(self.full())

    def __len__(self) -> int:
        return len(self.full())


# `source: ID` in a claim file, quoted or not: which sources it needs, without parsing it.
_CITED = re.compile(r"""^[ \t]*source:[ \t]*["']?([^"'\s#]+)""", re.M)


def cited_sources(text: str) -> list[str]:
    return _CITED.findall(text)


def partial_listing(repo: ClaimsRepo, found_paths: Iterable[str]) -> PartialListing:
    """A PartialListing from paths relative to the root; an id two of them share, or whose
    file is gone, is left to the full listing."""
    found: dict[str, set[str]] = {}
    for path in found_paths:
        found.setdefault(Path(path).stem, set()).add(path)
    listing = {i: repo.root / min(paths) for i, paths in found.items() if len(paths) == 1}
    return PartialListing({i: p for i, p in listing.items() if p.is_file()}, repo.root)


def claim_from_document(doc: Document) -> Claim:
    claim_from_document_check(doc)
    return Claim.from_data(doc.data)


def claim_from_document_check(doc: Document) -> None:
    """What a document needs to be read as a claim at all: DataError if it lacks it."""
    missing = [name for name in ("id", "type", "value") if name not in doc.data]
    if missing:
        raise DataError(doc.path, 1, 1, f"missing required field '{missing[0]}'", "schema")


def source_from_document(doc: Document, path: Path) -> Source:
    if "id" not in doc.data:
        raise DataError(doc.path, 1, 1, "missing required field 'id'", "schema")
    return Source.from_data(doc.data, path)


def unknown(kind: str, name: str, known: list[str]) -> str:
    """'unknown claim X', with the closest known names as suggestions."""
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {kind} {name!r}{hint}"
