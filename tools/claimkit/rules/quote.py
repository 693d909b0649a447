"""quote-verbatim: the quote appears in the source text, whitespace and quote marks normalised.

Every quote is checked: a list of quotes item by item, and the quote of each `also` statement.
"""

from __future__ import annotations

from ..check import Item
from ..errors import DataError
from ..quotes import normalise, quote_in


def _quotes(data: dict):
    """(keys, quote) for every quote the reading holds."""
    places = [(("quote",), data.get("quote"))]
    also = data.get("also")
    for index, entry in enumerate(also if isinstance(also, list) else []):
        if isinstance(entry, dict):
            places.append((("also", index, "quote"), entry.get("quote")))
    for keys, quote in places:
        if isinstance(quote, str):
            yield keys, quote
        elif isinstance(quote, list):
            yield from ((keys + (i,), q) for i, q in enumerate(quote) if isinstance(q, str))


def quote_verbatim(context, item: Item):
    source_id = item.doc.data.get("source")
    quotes = list(_quotes(item.doc.data))
    if not quotes or not isinstance(source_id, str):
        return []
    found = context.source_doc(source_id)
    if found is None or isinstance(found, DataError):
        return []  # reported by source-exists
    text_path = context.repo.source_paths()[source_id].with_suffix(".txt")
    text = context.normalised_text(text_path)
    if text is None:
        return [
            item.problem(
                ("quote",), f"cannot read the text of source '{source_id}'", "quote-verbatim"
            )
        ]
    problems = []
    for keys, quote in quotes:
        if normalise(quote) == text:
            message = f"quote is the whole text of source '{source_id}'; quote the passage that supports the value"
            problems.append(item.problem(keys, message, "quote-verbatim"))
        elif not quote_in(quote, text):
            message = f"quote not found in the text of source '{source_id}'"
            problems.append(item.problem(keys, message, "quote-verbatim"))
    return problems
