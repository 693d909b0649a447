"""The repository's declarations in claims/_vocabulary.yaml: category terms with their optional
progressions, and people with their aliases.

    categories:
      office:                      # the claim property the terms are for
        terms: [President, former President]
        progression: [President, former President]   # stages, earliest first
    people:
      Donald Trump: [Trump, President Trump]          # a name and its aliases

Comparison reads the vocabulary of the repository in use (`use`, called when a repository is
opened), so that every caller of compare_values sees the same declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .base import key

VOCABULARY_FILE = "_vocabulary.yaml"
# Answers worked out from one vocabulary are kept with it, up to this many of each kind (a
# long-lived process meets many values; past the limit the kind starts afresh).
MEMO_LIMIT = 1 << 16


@dataclass(frozen=True)
class Category:
    terms: tuple[str, ...]
    progression: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    categories: dict[str, Category] = field(default_factory=dict)  # by claim property
    people: dict[str, str] = field(default_factory=dict)  # key of a name or alias -> name
    # What comparisons work out from these declarations, kept with them (never shared with
    # another vocabulary, so another repository's aliases cannot answer): see memo().
    _memos: dict[str, dict] = field(default_factory=dict, init=False, compare=False, repr=False)

    def person(self, name: Any) -> str:
        """The key a name compares by: its declared person's, else its own."""
        if type(name) is not str:
            return key(self.people.get(key(name), name))
        persons = self.memo("person")
        found = persons.get(name)
        if found is None:
            found = persons[name] = key(self.people.get(key(name), name))
        return found

    def memo(self, kind: str) -> dict:
        """A dict of answers of one kind worked out from this vocabulary (a name's person,
        a value's people), for comparisons to keep: they hold for this vocabulary only, and
        go with it. Emptied once it holds MEMO_LIMIT answers."""
        found = self._memos.get(kind)
        if found is None or len(found) >= MEMO_LIMIT:
            found = self._memos[kind] = {}
        return found

    def stages(self, old: str, new: str) -> tuple[int, int] | None:
        """Where `old` and `new` stand in a declared progression that holds both."""
        old_key, new_key = key(old), key(new)
        for category in self.categories.values():
            keys = [key(stage) for stage in category.progression]
            if old_key in keys and new_key in keys:
                return keys.index(old_key), keys.index(new_key)
        return None


EMPTY = Vocabulary()


def problems(data: Any) -> list[tuple[tuple, str]]:
    """What is wrong with a parsed _vocabulary.yaml: (keys, message) pairs."""
    found: list[tuple[tuple, str]] = []
    if not isinstance(data, dict):
        return [((), "the vocabulary file must be a mapping")]
    for name in data:
        if name not in ("categories", "people"):
            found.append(((name,), f"unknown section '{name}'; use categories or people"))
    categories = data.get("categories", {})
    if not isinstance(categories, dict):
        found.append((("categories",), "categories must map a property to its terms"))
        categories = {}
    for prop, body in categories.items():
        where = ("categories", prop)
        if not isinstance(body, dict) or not set(body) <= {"terms", "progression"} or not body:
            found.append((where, f"category '{prop}' needs terms and/or progression, nothing else"))
            continue
        lists = {}
        for part in ("terms", "progression"):
            items = body.get(part, [])
            if not isinstance(items, list) or not all(
                isinstance(i, str) and i.strip() for i in items
            ):
                found.append((where + (part,), f"{part} must be a list of non-empty strings"))
                items = []
            if len({key(i) for i in items}) < len(items):
                found.append((where + (part,), f"{part} names the same term twice"))
            lists[part] = items
        if "terms" in body:
            outside = [
                t for t in lists["progression"] if key(t) not in {key(i) for i in lists["terms"]}
            ]
            if outside:
                found.append(
                    (
                        (*where, "progression"),
                        f"progression stage '{outside[0]}' is not one of the terms",
                    )
                )
    people = data.get("people", {})
    if not isinstance(people, dict):
        found.append((("people",), "people must map a name to its aliases"))
        people = {}
    seen: dict[str, str] = {}
    for name, aliases in people.items():
        if aliases is None:
            aliases = []
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            found.append((("people", name), "aliases must be a list of non-empty strings"))
            continue
        for alias in [name, *aliases]:
            other = seen.setdefault(key(alias), str(name))
            if other != str(name):
                found.append((("people", name), f"'{alias}' is also a name or alias of {other}"))
    return found


def from_data(data: Any) -> Vocabulary:
    """The vocabulary in a parsed file; EMPTY when it has problems (check reports them)."""
    if data is None or problems(data):
        return EMPTY
    categories = {}
    for prop, body in (data.get("categories") or {}).items():
        progression = tuple(body.get("progression", ()))
        categories[prop] = Category(tuple(body.get("terms", progression)), progression)
    people = {}
    for name, aliases in (data.get("people") or {}).items():
        for alias in [name, *(aliases or [])]:
            people[key(alias)] = str(name)
    return Vocabulary(categories, people)


_active: list[Vocabulary] = [EMPTY]


def use(vocabulary: Vocabulary) -> None:
    _active[0] = vocabulary


def current() -> Vocabulary:
    return _active[0]


def fingerprint() -> str:
    """A short digest of the vocabulary in use, for caches of answers that depend on it."""
    import hashlib

    vocabulary = current()
    text = repr((sorted(vocabulary.categories.items()), sorted(vocabulary.people.items())))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def load(claims_dir: Path) -> Vocabulary:
    """The vocabulary declared under `claims_dir`; EMPTY if there is none or it is unreadable."""
    from ..errors import DataError
    from ..yamlio import load_mapping

    path = claims_dir / VOCABULARY_FILE
    if not path.is_file():
        return EMPTY
    try:
        return from_data(load_mapping(path, str(path)).data)
    except (DataError, OSError):
        return EMPTY
