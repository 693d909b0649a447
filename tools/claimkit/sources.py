"""Sources as history needs them: by id, read once each, and cached while their files hold.

Two cache files (see cache.py) spare reading seeds/ again: `seeds.json`, the listing of
seeds/, trusted while no folder under it has changed; and `sources.json`, each source's
parsed metadata, trusted while its file has not. Both are checked by stat data, with git's
racy-clean rule: a file or folder changed shortly before the cache was written is read again.
"""

from __future__ import annotations

import itertools
import json
import time

from .cache import Store, file_stat, stat_list, trusted_stat
from .errors import ClaimsError
from .model import Source
from .repo import ClaimsRepo, SourceListing
from .sourcestore import Fresh, SourceFile, open_file, write_file

LISTING_FILE = "seeds.json"
RECENT_SOURCES = 4096  # sources built from the cache and kept for another look
SOURCES_FILE = "sources.json"


def restore_listing(repo: ClaimsRepo, store: Store) -> bool:
    """Give `repo` its listing of seeds/ from the cache, if the cache holds one and no folder
    under seeds/ has changed since (adding, removing or renaming a file changes its folder's
    stat data). A walk reads every name under seeds/; this check, one stat per folder."""
    if repo._sources is not None:
        return False
    found = store.read(LISTING_FILE, {"root": str(repo.root)})
    if found is None:
        return False
    try:
        header, body = found
        written = int(header["written_ns"])
        data = json.loads(body)
        if not all(
            trusted_stat(stat, file_stat(folder), written)
            for folder, stat in data["folders"].items()
        ):
            return False
        repo.use_source_listing(SourceListing(repo.root, data["names"]), set(data["plain"]))
    except (ValueError, KeyError, TypeError):
        return False
    return True


def save_listing(repo: ClaimsRepo, store: Store) -> None:
    """Cache the listing of seeds/ if this process walked it."""
    if not repo.source_folders or not store.writable():
        return
    listing = repo.source_paths()
    names = {source_id: repo.relative(path) for source_id, path in listing.items()}
    folders = {folder: stat_list(st) for folder, st in repo.source_folders.items()}
    plain = sorted(source_id for source_id in listing if source_id in repo._plain_sources)
    body = {"folders": folders, "names": names, "plain": plain}
    store.write(LISTING_FILE, {"root": str(repo.root)}, json.dumps(body).encode(),
                written_ns=time.time_ns())  # fmt: skip
    repo.source_folders = {}


class SourceCache:
    """Source metadata by id, read from the working tree once each.

    With a cache Store, the listing of seeds/ comes from the cache while it holds, and (with
    `reuse`) so does each source's metadata while its file is unchanged, found in the cache
    file by id when asked for (sourcestore.py); `save()` records the sources that had to be
    read again.
    """

    def __init__(self, repo: ClaimsRepo, store: Store | None = None, reuse: bool = True):
        self.repo = repo
        self.store = store
        self._found: dict[str, Source | None] = {}  # read from their files, not to be cached
        # Built from the cache (or from what waits to be saved), the latest few, and the
        # latest few cache entries whose files were found unchanged.
        self._recent: dict[str, Source | None] = {}
        self._entries: dict[str, list] = {}
        self._file: SourceFile | None = None
        self._fresh = Fresh()
        self._reuse = reuse and store is not None
        if store is not None:
            restore_listing(repo, store)  # else seeds/ is walked when first needed
        if self._reuse:
            self._file = open_file(store, SOURCES_FILE, self._key())

    def _key(self) -> dict:
        return {"root": str(self.repo.root)}

    def _valid_entry(self, source_id: str) -> list | None:
        """The cached entry of a source whose file (and place) is unchanged; else None."""
        entry = self._entries.get(source_id)
        if entry is not None:
            return entry  # checked once this run: trusted for the rest of it
        if self._file is None:
            return None
        try:
            entry = self._file.entry(source_id)
        except (ValueError, OSError):
            entry = None
        if (
            entry is None
            or not entry[1]  # reached through a symbolic link: checked the long way
            or self.repo.source_name(source_id) != entry[0]
            or not trusted_stat(
                entry[2], file_stat(f"{self.repo.root}/{entry[0]}"), self._file.written
            )
        ):
            return None
        _keep(self._entries, source_id, entry)
        return entry

    def stamp(self, source_id: str | None) -> list | None:
        """What says a source's file is the one its cached fields were read from (its name and
        stat data, trusted by the racy-clean rule); None where the cache does not hold it."""
        if not isinstance(source_id, str) or source_id in self._found:
            return None
        fresh = self._fresh.get(source_id)  # read this run: the stat taken before reading
        entry = fresh if fresh is not None else self._valid_entry(source_id)
        if entry is None or entry[2] is None:
            return None
        return [entry[0], entry[2]]

    def get(self, source_id: str | None) -> Source | None:
        if not isinstance(source_id, str):
            return None
        found = self._found
        if source_id in found:
            return found[source_id]
        recent = self._recent
        if source_id in recent:
            return recent[source_id]
        source, again = self._load(source_id)
        if source is not None and again:
            # Built again from the cache at little cost, if asked for again: only the latest
            # few are kept, so that reading every claim's history claim by claim does not end
            # up holding every source.
            _keep(recent, source_id, source)
        else:
            found[source_id] = source
        return source

    def published(self, source_id: str | None):
        """A source's `published` field (None where the source is missing or unreadable),
        from the cache where the file is unchanged, without building the Source."""
        if source_id in self._found or source_id in self._recent or not isinstance(source_id, str):
            source = self.get(source_id)
            return source.published if source else None
        entry = self._valid_entry(source_id) if self._reuse else None
        if entry is not None:
            return entry[3]
        source = self.get(source_id)
        return source.published if source else None

    def fields(self, source_id: str | None) -> dict | None:
        """A source's metadata as `Source.to_data` gives it (None where the source is missing
        or unreadable), from the cache where the file is unchanged, without building the
        Source."""
        if isinstance(source_id, str) and source_id not in self._found and self._reuse:
            entry = self._valid_entry(source_id)
            if entry is not None:
                return entry[4]
        source = self.get(source_id)
        return None if source is None else source.to_data()

    def _load(self, source_id: str) -> tuple[Source | None, bool]:
        """The source, and whether it can be built again cheaply (from an entry)."""
        if self._reuse:
            entry = self._fresh.get(source_id) or self._valid_entry(source_id)
            if entry is not None:  # read from its file this run, or cached and unchanged
                return Source.from_data(entry[4], self.repo.source_paths()[source_id]), True
        try:
            path = self.repo.source_path(source_id)  # refuses what load_source refuses
            stat = file_stat(path)  # before reading: a change while reading shows next time
            source = self.repo.load_source(source_id)
        except ClaimsError:  # a missing or broken source shows as unknown; check names it
            return None, False
        if self._reuse:
            name = self.repo.relative(path)
            plain = source_id in self.repo._plain_sources
            entry = [name, plain, stat, source.published, source.to_data()]
            return source, self._fresh.add(source_id, entry)
        return source, False

    def preload(self) -> None:
        """Read every source now (while git walks the history). With a cache to fill, what
        was read waits on disk to be saved, and each Source is built again from it when
        asked for, so that every source is not held, nor held twice."""
        for source_id in self.repo.source_paths():
            if not self._reuse:
                self.get(source_id)
            elif source_id not in self._found and self._valid_entry(source_id) is None:
                if source_id not in self._fresh and self._load(source_id)[0] is None:
                    self._found[source_id] = None

    def save(self) -> None:
        """Write the listing of seeds/ if it was walked, and the sources read from files, with
        the rest of the cache as it was."""
        if self.store is not None:
            save_listing(self.repo, self.store)
        if not self._reuse or not self._fresh.count:
            return
        name_of = self.repo.source_name

        def kept(lines):
            for source_id, line in lines:
                name = name_of(source_id)
                try:
                    same = name is not None and json.loads(line)[0] == name
                except (ValueError, TypeError, IndexError, KeyError):
                    same = False  # an entry that does not decode is not kept
                if same:
                    yield source_id, line

        # What was read this run first: the first entry of an id is the one written.
        fresh = self._fresh.lines()  # named as the listing names them: read just now
        old = kept(self._file.lines()) if self._file is not None else iter(())
        write_file(self.store, SOURCES_FILE, self._key(), itertools.chain(fresh, old),
                   written_ns=time.time_ns())  # fmt: skip
        self._fresh.close()


def _keep(recent: dict, key: str, value) -> None:
    """Keep `value` among the latest RECENT_SOURCES."""
    if len(recent) >= RECENT_SOURCES:
        del recent[next(iter(recent))]
    recent[key] = value
