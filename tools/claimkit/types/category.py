"""category: a term from the vocabulary declared for the claim's property in
claims/_vocabulary.yaml. Distinct terms contradict, unless a declared progression puts the
new one at a later stage (a development); an earlier stage after a later one contradicts."""

from __future__ import annotations

from . import vocabulary
from .base import CHANGED, CONTRADICTED, SAME, Comparison, ValueType, key


class Category(ValueType):
    name = "category"
    description = "A term from the property's vocabulary in claims/_vocabulary.yaml."
    schema = {
        "description": "A term from the vocabulary declared for the claim's property in claims/_vocabulary.yaml, e.g. former President.",
        "type": "string",
        "minLength": 1,
    }

    def compare(self, old, new):
        if not (isinstance(old, str) and isinstance(new, str)):
            return super().compare(old, new)
        if key(old) == key(new):
            return Comparison(SAME)
        stages = vocabulary.current().stages(old, new)
        if stages is None:
            return Comparison(CONTRADICTED)
        if stages[1] > stages[0]:
            return Comparison(CHANGED, note="a later stage")
        return Comparison(CONTRADICTED, note="an earlier stage")


def term_problems(value, prop: str, declared: vocabulary.Vocabulary) -> list[str]:
    """Whether `value` is a term of the vocabulary declared for `prop`."""
    category = declared.categories.get(prop)
    if category is None:
        return [
            f"no vocabulary for property '{prop}': declare its terms under categories in "
            f"claims/{vocabulary.VOCABULARY_FILE}"
        ]
    if isinstance(value, str) and key(value) not in {key(t) for t in category.terms}:
        return [f"'{value}' is not a term of '{prop}'; one of: {', '.join(category.terms)}"]
    return []


TYPE = Category()
