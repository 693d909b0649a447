"""people: those named as taking part, at least; optionally those stated as absent.

A list is the people named: [Donald Trump, Vladimir Putin]. A mapping adds who the article
says was not there: {named: [Donald Trump], absent: [Vladimir Putin]}. Names compare through
the aliases in claims/_vocabulary.yaml, so "Trump" and "Donald Trump" are one person.
"""

from __future__ import annotations

from collections.abc import KeysView
from typing import Any, NamedTuple

from . import vocabulary
from .base import BROADENED, CONTRADICTED, OVERLAPPING, REFINED, SAME, Comparison, ValueType, key

NAMES = {"type": "array", "uniqueItems": True, "items": {"type": "string", "minLength": 1}}


def parts(value: Any) -> tuple[list, list]:
    """The names named and the names stated absent."""
    if isinstance(value, dict):
        named, absent = value.get("named") or [], value.get("absent") or []
        return (named if isinstance(named, list) else []), (
            absent if isinstance(absent, list) else []
        )
    return (value if isinstance(value, list) else []), []


class Persons(NamedTuple):
    """A people value prepared for comparing: the keys of the persons it names and states
    absent, and the value itself."""

    named: KeysView[str]
    absent: KeysView[str]
    value: Any


def persons(value: Any, people: vocabulary.Vocabulary) -> tuple[dict[str, str], dict[str, str]]:
    """The persons a value names and states absent, each as {person's key: name as written}
    (the last name written for a person). Worked out once per value and vocabulary: a long
    story compares the same few values again and again."""
    named, absent = parts(value)
    if not all(type(n) is str for n in named) or not all(type(n) is str for n in absent):
        person = people.person  # names that are not strings: no memo (True would be 1)
        return {person(n): str(n) for n in named}, {person(n): str(n) for n in absent}
    known = people.memo("people")
    memo_key = (tuple(named), tuple(absent))
    found = known.get(memo_key)
    if found is None:
        person = people.person
        found = known[memo_key] = {person(n): n for n in named}, {person(n): n for n in absent}
    return found


class People(ValueType):
    name = "people"
    description = "People named as taking part, at least; absent ones in a mapping."
    schema = {
        "description": "People named as taking part, at least: a list of names, or {named: [...], absent: [...]} to record who the article says was not there.",
        "type": ["array", "object"],
        "minItems": 1,
        "uniqueItems": True,
        "items": {"type": "string", "minLength": 1},
        "additionalProperties": False,
        "required": ["named"],
        "properties": {"named": NAMES, "absent": NAMES},
    }
    empty: list = []

    def from_words(self, words):
        """Each --value is a name; one written `absent:Name` is stated as absent."""
        if not words or not all(words):
            raise ValueError("a people value needs one or more non-empty --value options")
        named, absent = [], []
        for word in words:
            if word.startswith("absent:"):
                absent.append(word.removeprefix("absent:").strip())
            else:
                named.append(word)
        if not all(absent):
            raise ValueError("absent: needs a name after it")
        return {"named": named, "absent": absent} if absent else named

    def problems(self, value):
        named, absent = parts(value)
        names = [n for n in named + absent if isinstance(n, str)]
        if any(not n.strip() for n in names):
            return ["people has a blank entry"]
        people = vocabulary.current()
        found = []
        for group in (named, absent):
            names = [n for n in group if isinstance(n, str)]
            if len({key(n) for n in names}) < len(names):
                found.append("people lists the same name twice")
                continue
            by_person: dict[str, list[str]] = {}
            for n in names:
                by_person.setdefault(people.person(n), []).append(n)
            for same in by_person.values():
                if len(same) > 1:
                    found.append(f"people lists the same person twice: {', '.join(same)}")
        both = {people.person(n) for n in named} & {people.person(n) for n in absent}
        if both:
            found.append("people names someone both as taking part and as absent")
        return found

    def text(self, value):
        named, absent = parts(value)
        shown = ", ".join(str(n) for n in named)
        if absent:
            shown += ("; " if shown else "") + "absent: " + ", ".join(str(n) for n in absent)
        return shown

    def compare(self, old, new):
        """Named at least: fewer names is broadened, more is refined; a person named on one
        side and stated absent on the other is a contradiction."""
        if not isinstance(old, (list, dict)) or not isinstance(new, (list, dict)):
            return super().compare(old, new)
        people = vocabulary.current()
        (old_in, old_out), (new_in, new_out) = persons(old, people), persons(new, people)
        added = tuple(sorted(new_in[k] for k in new_in.keys() - old_in.keys()))
        removed = tuple(sorted(old_in[k] for k in old_in.keys() - new_in.keys()))
        clash = (old_in.keys() & new_out.keys()) | (old_out.keys() & new_in.keys())
        if clash:
            names = sorted({**old_in, **new_in, **old_out, **new_out}[k] for k in clash)
            return Comparison(
                CONTRADICTED,
                added,
                removed,
                "absent in one, named in the other: " + ", ".join(names),
            )
        more = bool(added) or bool(new_out.keys() - old_out.keys())
        fewer = bool(removed) or bool(old_out.keys() - new_out.keys())
        relation = {(False, False): SAME, (True, False): REFINED, (False, True): BROADENED}.get(
            (more, fewer), OVERLAPPING
        )
        return Comparison(relation, added, removed)

    def prepare(self, value):
        """The persons a list or mapping names and states absent; anything else as it is."""
        if isinstance(value, (list, dict)):
            named, absent = persons(value, vocabulary.current())
            return Persons(named.keys(), absent.keys(), value)
        return value

    def relation_prepared(self, old, new):
        """compare(old, new).relation, from the sets of persons alone."""
        if type(old) is not Persons or type(new) is not Persons:
            old = old.value if type(old) is Persons else old
            new = new.value if type(new) is Persons else new
            return super().relation_prepared(old, new)
        if not (old.named.isdisjoint(new.absent) and old.absent.isdisjoint(new.named)):
            return CONTRADICTED
        more = not (new.named <= old.named and new.absent <= old.absent)
        fewer = not (old.named <= new.named and old.absent <= new.absent)
        if more:
            return OVERLAPPING if fewer else REFINED
        return BROADENED if fewer else SAME

    def describe(self, old, new, comparison):
        if comparison.relation == SAME:
            return ""
        words = []
        if comparison.added:
            words.append("added " + ", ".join(comparison.added))
        if comparison.removed:
            words.append("not named again: " + ", ".join(comparison.removed))
        if comparison.note:
            words.append(comparison.note)
        (_, old_out), (_, new_out) = parts(old), parts(new)
        person = vocabulary.current().person
        before = {person(n) for n in old_out}
        newly_absent = [str(n) for n in new_out if person(n) not in before]
        if newly_absent and not comparison.note:
            words.append("stated absent: " + ", ".join(newly_absent))
        return "; ".join(words) or f"{self.text(old)} -> {self.text(new)}"


TYPE = People()
