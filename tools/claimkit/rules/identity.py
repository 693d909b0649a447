"""id-matches-file: a record's id equals its file name, so that a path always names its record."""

from __future__ import annotations

from ..findings import CLAIMS, ERROR, SOURCES, Item, rule


def _check(item: Item):
    value = item.doc.data.get("id")
    if isinstance(value, str) and value != item.file.stem:
        yield item.problem(
            ("id",),
            f"id '{value}' does not match the file name '{item.file.name}'",
            "id-matches-file",
        )


@rule("id-matches-file", ERROR, CLAIMS)
def claim_id_matches_file(context, item: Item):
    """`id` equals the file name."""
    return list(_check(item))


@rule("id-matches-file", ERROR, SOURCES)
def source_id_matches_file(context, item: Item):
    """A source's `id` equals its metadata file's name."""
    return list(_check(item))
