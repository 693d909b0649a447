"""place: a path from broad to narrow, e.g. [Alaska, Anchorage]."""

from __future__ import annotations

from .base import BROADENED, CONTRADICTED, PLAIN, REFINED, SAME, ValueType, key

HINT = "write a place as a list from broad to narrow, e.g. [Alaska, Anchorage]"


def split_place(text: str) -> list[str] | None:
    """A place written as one string: "Alaska > Anchorage" (broad to narrow; a level may hold
    a comma: "US > Washington, D.C.") or "Anchorage, Alaska" (narrow to broad, as datelines
    have it); None if a level would be empty."""
    if ">" in text:
        parts = [p.strip() for p in text.split(">")]
    elif "," in text:
        parts = [p.strip() for p in reversed(text.split(","))]
    else:
        return [text.strip()]
    return parts if all(parts) else None


class Place(ValueType):
    name = "place"
    description = "Places from broad to narrow."
    schema = {
        "description": "Places from broad to narrow, e.g. [Alaska, Anchorage].",
        "type": "array",
        "minItems": 1,
        "items": {"type": "string", "minLength": 1},
    }
    empty: list = []

    def from_words(self, words):
        if not words or not all(words):
            raise ValueError("a place value needs one or more non-empty --value options")
        if len(words) == 1:
            path = split_place(words[0])
            if path is None:
                raise ValueError(f"--value {words[0]!r}: {HINT}, or 'Alaska > Anchorage'")
            return path
        for word in words:
            if ">" in word:
                raise ValueError(f"--value {word!r} holds several levels; {HINT}")
        return list(words)

    def problems(self, value):
        if isinstance(value, str):
            path = split_place(value)
            suggestion = f"; here: [{', '.join(path)}]" if path and len(path) > 1 else ""
            return [f"place '{value}' is one string; {HINT}{suggestion}"]
        if isinstance(value, list):
            for part in value:
                # One level holding a comma is a place written as one string; deeper paths
                # may hold a name with a comma ("Washington, D.C.").
                if isinstance(part, str) and (">" in part or ("," in part and len(value) == 1)):
                    path = split_place(part) or []
                    return [
                        f"place level '{part}' holds several levels; {HINT}"
                        + (f"; here: [{', '.join(path)}]" if len(path) > 1 else "")
                    ]
                if isinstance(part, str) and not part.strip():
                    return ["place has a blank entry"]
        return []

    def text(self, value):
        if isinstance(value, list):
            return " > ".join(str(v) for v in value)
        return super().text(value)

    def compare(self, old, new):
        """A longer path that starts with the old one refines it."""
        if not (isinstance(old, list) and isinstance(new, list)):
            return super().compare(old, new)
        old_path, new_path = [key(p) for p in old], [key(p) for p in new]
        if old_path == new_path:
            return PLAIN[SAME]
        if new_path[: len(old_path)] == old_path:
            return PLAIN[REFINED]
        if old_path[: len(new_path)] == new_path:
            return PLAIN[BROADENED]
        return PLAIN[CONTRADICTED]


TYPE = Place()
