"""vocabulary: claims/_vocabulary.yaml declares categories and people in the documented form."""

from __future__ import annotations

from ..findings import DECLARATIONS, ERROR, Item, rule
from ..types import vocabulary


@rule("vocabulary", ERROR, DECLARATIONS)
def vocabulary_file(context, item: Item):
    """The vocabulary file declares categories (terms, and progressions among them) and people
    (aliases given to one person only) in the documented form."""
    return [
        item.problem(keys, message, "vocabulary")
        for keys, message in vocabulary.problems(item.doc.data)
    ]
