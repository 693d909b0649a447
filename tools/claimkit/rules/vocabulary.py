"""vocabulary: claims/_vocabulary.yaml declares categories and people in the documented form."""

from __future__ import annotations

from ..check import Item
from ..types import vocabulary


def vocabulary_file(context, item: Item):
    return [
        item.problem(keys, message, "vocabulary")
        for keys, message in vocabulary.problems(item.doc.data)
    ]
