"""schema: the file matches the shipped JSON Schema (the same file editors use)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from ..check import Item, Problem


@cache
def validator(name: str):
    from jsonschema import Draft202012Validator

    text = resources.files("claimkit").joinpath("schema", name).read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text))


def _message(error) -> tuple[tuple, str, bool]:
    """The keys the error is about, a short message, and whether it points at a key."""
    keys = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return keys + (extra[0],), f"unknown field '{extra[0]}'", True
    if error.validator == "required":
        return keys, error.message.replace("is a required property", "is missing"), False
    where = ".".join(str(k) for k in keys)
    return keys, f"{where}: {error.message}" if where else error.message, False


def _check(name: str, item: Item):
    for error in validator(name).iter_errors(item.doc.data):
        keys, message, at_key = _message(error)
        yield item.problem(keys, message, "schema", key=at_key)


def claim_schema(context, item: Item) -> list[Problem]:
    return list(_check("claim.schema.json", item))


def source_schema(context, item: Item) -> list[Problem]:
    return list(_check("source.schema.json", item))
