"""id-matches-file: a record's id equals its file name, so that a path always names its record."""

from __future__ import annotations

from ..check import Item


def _check(item: Item):
    value = item.doc.data.get("id")
    if isinstance(value, str) and value != item.file.stem:
        yield item.problem(
            ("id",),
            f"id '{value}' does not match the file name '{item.file.name}'",
            "id-matches-file",
        )


def claim_id_matches_file(context, item: Item):
    return list(_check(item))


def source_id_matches_file(context, item: Item):
    return list(_check(item))
