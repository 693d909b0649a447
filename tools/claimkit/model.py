"""The data model: claims and sources, as typed records."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .dates import DateRange, parse_date_or_none
from .types import NAMES

CLAIM_FIELDS = (
    "id", "event", "property", "type", "value", "modality", "source", "quote",
    "time_expression", "note", "also", "superseded_by",
)  # fmt: skip
REQUIRED_CLAIM_FIELDS = CLAIM_FIELDS[:8]
SOURCE_FIELDS = ("id", "title", "outlet", "url", "published", "published_basis", "sha256")
TYPES = NAMES  # from the value-type registry (types/)
MODALITIES = ("asserted", "scheduled", "alleged", "denied")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
SOURCE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
MODELINE = "# yaml-language-server: $schema=../schema/claim.schema.json\n"


def is_claim_id(text: str) -> bool:
    return bool(ID_PATTERN.fullmatch(text))


def is_source_id(text: str) -> bool:
    return bool(SOURCE_ID_PATTERN.fullmatch(text)) and ".." not in text


@dataclass(frozen=True)
class Claim:
    id: str
    event: str
    property: str
    type: str
    value: Any
    modality: str
    source: str
    quote: str | list[str]  # one quote, or several
    time_expression: str | None = None
    note: str | None = None
    # The article's other, incompatible statements on this claim: {value, quote, modality?,
    # note?} each. A reading that has them contradicts itself.
    also: list[dict] | None = None
    superseded_by: list[str] | None = None  # the claims that replace this one: it is retired

    @property
    def retired(self) -> bool:
        return bool(self.superseded_by)

    @classmethod
    def from_data(cls, data: dict) -> Claim:
        """Build from a mapping that has every required field (extra keys are ignored)."""
        return cls(**{name: data.get(name) for name in CLAIM_FIELDS})

    def to_data(self) -> dict[str, Any]:
        """The fields in file order, leaving out the optional ones that are unset."""
        return {
            name: getattr(self, name)
            for name in CLAIM_FIELDS
            if getattr(self, name) is not None or name in REQUIRED_CLAIM_FIELDS
        }


@dataclass(frozen=True)
class Source:
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str
    published_basis: str
    sha256: str
    path: Path  # the metadata file; the text sits beside it as <id>.txt
    after: tuple[str, ...] | None = None  # sources it was published after, where dates tie

    @property
    def display_title(self) -> str:
        return self.title or "(no headline)"

    @property
    def text_path(self) -> Path:
        return self.path.with_suffix(".txt")

    @cached_property
    def published_range(self) -> DateRange | None:
        # Kept once worked out (a frozen record's field never changes): a story asks for it
        # several times per version, in ordering it and reading it as of a date.
        return parse_date_or_none(self.published)

    def published_key(self) -> dt.date:
        """Where the source falls in the story: its earliest possible publication day."""
        published = self.published_range
        return published.sort_key() if published else dt.date.max

    @classmethod
    def from_data(cls, data: dict, path: Path) -> Source:
        after = data.get("after")
        after = tuple(a for a in after if isinstance(a, str)) if isinstance(after, list) else None
        return cls(**{name: data.get(name) for name in SOURCE_FIELDS}, path=path, after=after)

    def to_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in SOURCE_FIELDS}
        if self.after:
            data["after"] = list(self.after)
        return data
