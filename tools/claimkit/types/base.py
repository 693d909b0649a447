"""What every value type supplies, and the relations a comparison of two values can give."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..quotes import normalise

SAME = "same"
REFINED = "refined"
BROADENED = "broadened"
CONTRADICTED = "contradicted"
OVERLAPPING = "overlapping"
CHANGED = "changed"
RELATIONS = (SAME, REFINED, BROADENED, CONTRADICTED, OVERLAPPING, CHANGED)
# What each relation reads as from the other side: compare(b, a) against compare(a, b).
INVERSE = {REFINED: BROADENED, BROADENED: REFINED}


@dataclass(frozen=True)
class Comparison:
    relation: str  # one of RELATIONS
    added: tuple[str, ...] = ()  # people only: named now, not before
    removed: tuple[str, ...] = ()  # people only: named before, not now
    note: str = ""  # a few words on why, e.g. "a later stage"


# The comparisons that carry nothing but their relation, made once (they are frozen).
PLAIN = {relation: Comparison(relation) for relation in RELATIONS}
AS_SAME, AS_CHANGED = PLAIN[SAME], PLAIN[CHANGED]


def key(text: Any) -> str:
    """A name or term as compared: normalised and case-folded."""
    return _text_key(text if type(text) is str else str(text))


@lru_cache(maxsize=1 << 16)
def _text_key(text: str) -> str:
    # The same few names are compared again and again across a whole history's stories.
    return normalise(text).casefold()


class ValueType:
    """A value type. Subclasses override what differs; `name` is the word used in claim files.

    Values arrive as YAML gives them. `problems` says what is wrong with one (beyond the JSON
    Schema's shape checks); `compare` must cope with any value the schema lets through.
    """

    name = ""
    description = ""
    schema: dict = {}
    empty: Any = ""  # the value of a new claim's skeleton

    def from_words(self, words: list[str]) -> Any:
        """The value from command-line words (the article's own words); ValueError if not."""
        if len(words) != 1:
            raise ValueError(f"a {self.name} value takes exactly one --value")
        if not words[0]:
            raise ValueError(f"a {self.name} value must not be empty")
        return words[0]

    def problems(self, value: Any) -> list[str]:
        """What is wrong with a value read from YAML that the schema does not say."""
        return []

    def text(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    def text_with_bounds(self, value: Any) -> str:
        """The one line, with the bounds the type derives where they are not in the words."""
        return self.text(value)

    def compare(self, old: Any, new: Any) -> Comparison:
        return AS_SAME if old == new else AS_CHANGED

    def relation(self, old: Any, new: Any) -> str:
        """compare(old, new).relation."""
        return self.relation_prepared(self.prepare(old), self.prepare(new))

    # A claim's standing needs only the relations between its values, each value against
    # each other: a type may work out once per value what comparing it takes.

    def prepare(self, value: Any) -> Any:
        """The value as relation_prepared takes it."""
        return value

    def relation_prepared(self, old: Any, new: Any) -> str:
        """relation() of two values as prepare() gave them."""
        return self.compare(old, new).relation

    def describe(self, old: Any, new: Any, comparison: Comparison) -> str:
        """What differs, in words (empty when the values are the same)."""
        if comparison.relation == SAME:
            return ""
        detail = f"{self.text(old)} -> {self.text(new)}"
        return f"{detail} ({comparison.note})" if comparison.note else detail

    def columns(self, value: Any) -> dict[str, Any]:
        """The value's export columns beyond value and value_data (see EXPORT_COLUMNS)."""
        return {}


# The export columns a type may fill: a date's first and last day, a quantity's (or number's)
# bounds as numbers and its unit.
EXPORT_COLUMNS = ("value_lower", "value_upper", "amount_lower", "amount_upper", "value_unit")
