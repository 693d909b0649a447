"""quote-verbatim: the quote appears in the source text, whitespace and quote marks normalised."""

from __future__ import annotations

from ..check import Item
from ..errors import DataError
from ..quotes import normalise, quote_in


def quote_verbatim(context, item: Item):
    quote = item.doc.data.get("quote")
    source_id = item.doc.data.get("source")
    if not isinstance(quote, str) or not isinstance(source_id, str):
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
    if normalise(quote) == text:
        message = f"quote is the whole text of source '{source_id}'; quote the passage that supports the value"
        return [item.problem(("quote",), message, "quote-verbatim")]
    if not quote_in(quote, text):
        return [
            item.problem(
                ("quote",), f"quote not found in the text of source '{source_id}'", "quote-verbatim"
            )
        ]
    return []
