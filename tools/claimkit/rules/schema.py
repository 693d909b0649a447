"""schema: the file matches the shipped JSON Schema (the same file editors use)."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from ..findings import CLAIMS, ERROR, SOURCES, Item, Problem, rule


def python_pattern(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern as Python reads it the same way.

    In ECMA-262 `$` matches only at the end of the input; in Python it matches before a final
    newline too, so `^[a-z]+$` would let `"a2\n"` through. Every `$` outside a character class
    becomes `\\Z`, which anchors at the very end.
    """
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


@cache
def compiled(pattern: str) -> re.Pattern:
    return re.compile(python_pattern(pattern))


def _pattern(validator, pattern, instance, schema):
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def validator(name: str):
    from jsonschema import Draft202012Validator, validators

    text = resources.files("claimkit").joinpath("schema", name).read_text(encoding="utf-8")
    # jsonschema runs patterns with Python's `re.search`: anchored as editors anchor them.
    anchored = validators.extend(Draft202012Validator, {"pattern": _pattern})
    return anchored(json.loads(text))


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


# A shortcut for documents that plainly satisfy the schema ------------------------------------
#
# jsonschema spends most of `claims check` on files that are valid. The shortcut evaluates the
# few keywords the shipped schemas use, exactly, and answers True (valid), False (invalid) or
# None (cannot tell); only True is trusted, and every other document goes to jsonschema, which
# alone words the messages. A schema with a keyword the shortcut does not know gets none.

ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "examples", "default"}
TYPES = {
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


def _all(results):
    """Three-valued AND: False if any is False, else None if any is None, else True."""
    answer = True
    for result in results:
        if result is False:
            return False
        if result is None:
            answer = None
    return answer


def _every(checks: list):
    """A check that is the three-valued AND of `checks` on the same value, in order, stopping
    at the first False: _all without a generator made for every value checked."""
    if len(checks) == 1:
        return checks[0]

    def every(value):
        answer = True
        for check in checks:
            result = check(value)
            if result is False:
                return False
            if result is None:
                answer = None
        return answer

    return every


def compile_shortcut(schema):
    """A function document -> True/False/None for `schema`; None if the schema is beyond it."""
    if not isinstance(schema, dict):
        return None
    checks = []
    for keyword, value in schema.items():
        if keyword in ANNOTATIONS:
            continue
        check = _keyword(keyword, value, schema)
        if check is None:
            return None
        checks.append(check)
    return _every(checks) if checks else (lambda instance: True)


def _keyword(keyword: str, value, schema):
    if keyword == "type":
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(name in TYPES for name in names):
            return None
        tests = [TYPES[name] for name in names]
        return lambda v: any(test(v) for test in tests)
    if keyword in ("enum", "const"):
        options = value if keyword == "enum" else [value]
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            return None
        allowed = set(options)
        # jsonschema compares a string with anything by ==: only a string can equal one.
        return lambda v: isinstance(v, str) and v in allowed
    if keyword == "pattern":
        regex = compiled(value)
        return lambda v: not isinstance(v, str) or regex.search(v) is not None
    if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        kind = str if keyword.endswith("Length") else list
        if keyword.startswith("min"):
            return lambda v: not isinstance(v, kind) or len(v) >= value
        return lambda v: not isinstance(v, kind) or len(v) <= value
    if keyword == "required":
        if not isinstance(value, list):
            return None
        return lambda v: not isinstance(v, dict) or all(name in v for name in value)
    if keyword == "properties":
        if not isinstance(value, dict):
            return None
        shortcuts = {name: compile_shortcut(sub) for name, sub in value.items()}
        if any(shortcut is None for shortcut in shortcuts.values()):
            return None
        pairs = list(shortcuts.items())

        def properties(v):
            if not isinstance(v, dict):
                return True
            answer = True
            for name, shortcut in pairs:
                if name in v:
                    result = shortcut(v[name])
                    if result is False:
                        return False
                    if result is None:
                        answer = None
            return answer

        return properties
    if keyword == "additionalProperties":
        if value is True:
            return lambda v: True
        if value is not False or set(schema) & {"patternProperties"}:
            return None
        known = set(schema.get("properties", {}))
        return lambda v: not isinstance(v, dict) or set(v) <= known
    if keyword == "items":
        shortcut = compile_shortcut(value)
        if shortcut is None:
            return None
        return lambda v: not isinstance(v, list) or _all(shortcut(item) for item in v)
    if keyword == "uniqueItems":
        if value is not True:
            return None if value is not False else (lambda v: True)

        def unique(v):
            if not isinstance(v, list):
                return True
            if not all(isinstance(item, str) for item in v):
                return None  # jsonschema's equality across types: let it decide
            return len(set(v)) == len(v)

        return unique
    if keyword == "allOf":
        if not isinstance(value, list):
            return None
        shortcuts = [compile_shortcut(sub) for sub in value]
        if any(shortcut is None for shortcut in shortcuts):
            return None
        return _every(shortcuts) if shortcuts else (lambda v: True)
    if keyword == "if":
        condition = compile_shortcut(value)
        then = compile_shortcut(schema.get("then", {}))
        otherwise = compile_shortcut(schema.get("else", {}))
        if condition is None or then is None or otherwise is None:
            return None

        def conditional(v):
            holds = condition(v)
            if holds is None:
                return None
            return then(v) if holds else otherwise(v)

        return conditional
    if keyword in ("then", "else"):
        return (lambda v: True) if "if" in schema else None  # without "if" they do nothing
    return None


@cache
def shortcut(name: str):
    text = resources.files("claimkit").joinpath("schema", name).read_text(encoding="utf-8")
    return compile_shortcut(json.loads(text))


def _check(name: str, item: Item):
    quick = shortcut(name)
    if quick is not None and quick(item.doc.data) is True:
        return
    for error in validator(name).iter_errors(item.doc.data):
        keys, message, at_key = _message(error)
        yield item.problem(keys, message, "schema", key=at_key)


@rule("schema", ERROR, CLAIMS)
def claim_schema(context, item: Item) -> list[Problem]:
    """The claim file matches the shipped JSON Schema (`schema/claim.schema.json`), the one
    editors use."""
    return list(_check("claim.schema.json", item))


@rule("schema", ERROR, SOURCES)
def source_schema(context, item: Item) -> list[Problem]:
    """The source metadata matches the shipped JSON Schema (`schema/source.schema.json`)."""
    return list(_check("source.schema.json", item))


def schema_drift(root) -> list[Problem]:
    """The repository's schema/ must equal the schema `check` validates with, or editors and
    `check` would judge files by different rules."""
    problems = []
    for name in ("claim.schema.json", "source.schema.json"):
        local = root / "schema" / name
        if not local.is_file():
            continue  # a repository without schema/ leaves editors without one; nothing differs
        shipped = resources.files("claimkit").joinpath("schema", name).read_bytes()
        try:
            same = json.loads(local.read_bytes()) == json.loads(shipped)
        except (OSError, ValueError):
            same = False
        if not same:
            problems.append(
                Problem(
                    f"schema/{name}", 1, 1, "error",
                    "differs from the schema `claims check` validates with; "
                    "copy it from the installed claims (`claims init` writes it) or update claims",
                    "schema-drift",
                )
            )  # fmt: skip
    return problems
