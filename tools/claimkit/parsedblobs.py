"""Claim files parsed by blob id, for `claims diff`: what a diff parsed, kept.

A blob's content never changes, so neither does what it parses to: the fields of every claim
file a diff read (from git, or from the working tree by the blob id it computes) are kept in
`<git dir>/claims-cache/claim-blobs.json` (a cache file like the others: the user's HMAC,
disposable, never read through a link), and a later diff that meets the same files reads no
YAML for them. Files that do not parse are not kept (their message names the revision they
were read at). The newest entries are kept, at most `LIMIT`, so the file stays the size of a
few diffs whatever the history.
"""

from __future__ import annotations

import json

from .cache import Store
from .cache import enabled as cache_enabled
from .claimfile import parse_claim, parse_claim_fields
from .model import CLAIM_FIELDS, Claim

FILE = "claim-blobs.json"
KEY = {"fields": list(CLAIM_FIELDS)}
LIMIT = 20_000


class ParsedBlobs:
    """Claims by blob id: from the cache file where it holds them, else parsed (and kept)."""

    def __init__(self, git_dir):
        self.store = Store(git_dir) if cache_enabled() else None
        self.known: dict[str, list] = {}
        self.added: dict[str, list] = {}
        if self.store is not None and (found := self.store.read(FILE, KEY)) is not None:
            try:
                known = json.loads(found[1])
            except ValueError:
                known = None
            if isinstance(known, dict):  # written by this tool (its HMAC holds), checked even so
                width = len(CLAIM_FIELDS)
                self.known = {
                    b: f for b, f in known.items() if isinstance(f, list) and len(f) == width
                }

    def parse(self, blob: str, data: bytes, display: str) -> tuple[Claim | None, str | None]:
        """parse_claim_blob's answer for the blob `blob` holding `data`."""
        fields = self.known.get(blob)
        if fields is not None:
            return Claim(*fields), None
        fields, error = parse_claim_fields(data, display)
        if fields is None:
            return None, error
        self.added[blob] = fields
        return Claim(*fields), None

    def parse_strict(self, blob: str, data: bytes, display: str) -> Claim:
        """parse_claim's answer for a working-tree file whose blob id is `blob`: DataError
        (naming line and column) where it does not parse."""
        fields = self.known.get(blob) or self.added.get(blob)
        if fields is not None:
            return Claim(*fields)
        claim = parse_claim(data, display)
        self.added[blob] = [getattr(claim, name) for name in CLAIM_FIELDS]
        return claim

    def save(self) -> None:
        """Write what was parsed this time after what was kept, the oldest dropped past LIMIT."""
        if self.store is None or not self.added or not self.store.writable():
            return
        kept = {b: f for b, f in self.known.items() if b not in self.added}
        entries = [*kept.items(), *self.added.items()][-LIMIT:]
        try:
            body = json.dumps(dict(entries), ensure_ascii=False, allow_nan=False).encode()
        except ValueError:  # a value JSON cannot hold (NaN, a lone surrogate): keep nothing
            return
        self.store.write(FILE, KEY, body)
