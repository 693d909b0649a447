"""git's commit-graph files, read (never written) here: how many commits they cover, whether
they carry changed-path Bloom filters, and whether they hold a commit. The format is git's
documented gitformat-commit-graph(5)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CommitGraph:
    """What claims needs to know of git's commit-graph files: read, never written, here."""

    layers: tuple[Path, ...]
    commits: int
    bloom: bool  # every layer carries changed-path Bloom filters
    _lookup: tuple[tuple[bytes, bytes], ...]  # per layer: the OID fanout and the sorted OIDs

    def contains(self, commit: str) -> bool:
        oid = bytes.fromhex(commit)
        for fanout, oids in self._lookup:
            width = len(oid)
            first = int.from_bytes(fanout[(oid[0] - 1) * 4 : oid[0] * 4], "big") if oid[0] else 0
            last = int.from_bytes(fanout[oid[0] * 4 : oid[0] * 4 + 4], "big")
            while first < last:  # binary search among the ids that share the first byte
                middle = (first + last) // 2
                found = oids[middle * width : (middle + 1) * width]
                if found == oid:
                    return True
                if found < oid:
                    first = middle + 1
                else:
                    last = middle
        return False


def read_commit_graph(info: Path) -> CommitGraph | None:
    """The commit-graph under objects/info (one file, or a chain of layers); None if absent
    or unreadable. The format is git's documented gitformat-commit-graph(5)."""
    chain = info / "commit-graphs" / "commit-graph-chain"
    try:
        if chain.is_file():
            names = chain.read_text(encoding="ascii").split()
            files = [info / "commit-graphs" / f"graph-{name}.graph" for name in names]
        elif (info / "commit-graph").is_file():
            files = [info / "commit-graph"]
        else:
            return None
        lookup, commits, bloom = [], 0, True
        for file in files:
            data = file.read_bytes()
            if data[:4] != b"CGPH" or data[4] != 1 or data[5] not in (1, 2):
                return None
            width = 20 if data[5] == 1 else 32
            chunks = {}
            for number in range(data[6] + 1):
                entry = data[8 + 12 * number : 20 + 12 * number]
                chunks[entry[:4]] = int.from_bytes(entry[4:], "big")
            ends = sorted(chunks.values())
            oidf = chunks[b"OIDF"]
            oidl = chunks[b"OIDL"]
            count = int.from_bytes(data[oidf + 1020 : oidf + 1024], "big")
            end = next(offset for offset in ends if offset > oidl)
            if end - oidl != count * width:
                return None
            lookup.append((data[oidf : oidf + 1024], data[oidl:end]))
            commits += count
            bloom = bloom and b"BIDX" in chunks and b"BDAT" in chunks
    except (OSError, KeyError, ValueError, IndexError, StopIteration):
        return None
    return CommitGraph(tuple(files), commits, bloom, tuple(lookup))
