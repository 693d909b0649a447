"""source-exists, source-text, sha256: a claim's source is registered, and its text is intact."""

from __future__ import annotations

from ..errors import DataError
from ..findings import CLAIMS, ERROR, SOURCES, Item, rule
from ..model import is_source_id


@rule("source-exists", ERROR, CLAIMS)
def source_exists(context, item: Item):
    """The claim's source has a metadata file under `seeds/`."""
    source_id = item.doc.data.get("source")
    if not isinstance(source_id, str):
        return []  # the schema rule reports it
    if not is_source_id(source_id):
        # Said here as well as by the schema rule: no rule may rely on another to fail.
        return [
            item.problem(("source",), f"{source_id!r} is not a valid source id", "source-exists")
        ]
    found = context.source_doc(source_id)
    if found is None:
        return [
            item.problem(
                ("source",), f"source '{source_id}' not found under seeds/", "source-exists"
            )
        ]
    if isinstance(found, DataError):
        return [
            item.problem(
                ("source",), f"source '{source_id}' is unreadable: {found}", "source-exists"
            )
        ]
    return []


@rule("source-text", ERROR, SOURCES)
def source_text_exists(context, item: Item):
    """The article text `<id>.txt` is beside its metadata."""
    text = context.text_bytes(item.file.with_suffix(".txt"))
    if isinstance(text, DataError):
        return [item.problem((), f"article text {text.path}: {text.message}", "source-text")]
    return []


@rule("sha256", ERROR, SOURCES)
def sha256_matches(context, item: Item):
    """The text's sha256 matches the metadata."""
    expected = item.doc.data.get("sha256")
    actual = context.sha256(item.file.with_suffix(".txt"))
    if isinstance(expected, str) and actual is not None and expected != actual:
        return [
            item.problem(
                ("sha256",), f"sha256 does not match the article text (it is {actual})", "sha256"
            )
        ]
    return []
