"""quote-verbatim: every quote appears in the source text, whitespace and quote marks normalised;
a quote with an elision (… or ...) has its fragments in the article in that order. A quote that
is not found is shown with the article's closest passage and the words that differ."""

from __future__ import annotations

from ..errors import DataError
from ..findings import CLAIMS, ERROR, Item, rule
from ..quotes import closest_passage, fragments, missing_fragment, normalise, quote_in, quote_list


@rule("quote-verbatim", ERROR, CLAIMS)
def quote_verbatim(context, item: Item):
    """Each quote (and each `also` statement's) is in the source text (whitespace runs and
    curly quotes normalised, nothing else); an elided quote's fragments occur in that order; a
    quote not found is shown with the closest passage and the words that differ."""
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
    for keys, label, quote in quotes:
        message = problem_with(quote, text, source_id, label)
        if message:
            problems.append(item.problem(keys, message, "quote-verbatim"))
    return problems


def _quotes(data: dict):
    """(keys, label, quote) for every quote of the reading: its own, then each `also`
    statement's."""
    places = [(("quote",), "quote", data.get("quote"))]
    also = data.get("also")
    for index, entry in enumerate(also if isinstance(also, list) else []):
        if isinstance(entry, dict):
            places.append((("also", index, "quote"), f"also {index + 1} quote", entry.get("quote")))
    for keys, label, value in places:
        several = isinstance(value, list)
        for index, quote in enumerate(quote_list(value)):
            if several:
                yield keys + (index,), f"{label} {index + 1}", quote
            else:
                yield keys, label, quote


def problem_with(quote: str, text: str, source_id: str, label: str = "quote") -> str | None:
    """What is wrong with one quote against its article's normalised text; None if nothing."""
    if normalise(quote) == text:
        return f"{label} is the whole text of source '{source_id}'; quote the passage that supports the value"
    if quote_in(quote, text):
        return None
    if not fragments(quote):
        return f"{label} holds no words to find in source '{source_id}'"
    part = missing_fragment(quote, text)
    elided = len(fragments(quote)) > 1
    if elided and part is not None and part in text:
        return f"{label}: '{part}' is in source '{source_id}', but not after the fragment before it"
    where = f"'{part}' of {label}" if elided else label
    message = f"{where} not found in the text of source '{source_id}'"
    near = closest_passage(part or quote, text)
    return f"{message}; {near.describe()}" if near is not None else message
