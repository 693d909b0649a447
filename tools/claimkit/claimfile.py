"""Claim files read from bytes (a blob, a file): the one place a claim file is parsed.

The same limits as a file on disk (size, UTF-8, one YAML mapping, the fields a claim needs).
"""

from __future__ import annotations

from .errors import DataError
from .files import MAX_FILE_BYTES, decode_utf8
from .model import CLAIM_FIELDS, Claim
from .repo import CLAIMS_DIR, claim_from_document, claim_from_document_check
from .yamlio import parse_mapping


def _claim_document(data: bytes, display: str):
    if len(data) > MAX_FILE_BYTES:
        raise DataError(
            display,
            1,
            1,
            f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit",
            "file-size",
        )
    # Without positions, a file in the layout the tool writes is read without the parser.
    return parse_mapping(decode_utf8(data, display), display, positions=False)


def parse_claim(data: bytes, display: str) -> Claim:
    """A claim from a file's bytes, with the same limits as a file on disk; DataError if not."""
    return claim_from_document(_claim_document(data, display))


def parse_claim_fields(data: bytes, display: str) -> tuple[list | None, str | None]:
    """parse_claim_blob's answer as the claim's fields (CLAIM_FIELDS order), without building
    the Claim: reading a whole history makes one per version."""
    try:
        doc = _claim_document(data, display)
        claim_from_document_check(doc)
    except DataError as err:
        return None, str(err)
    get = doc.data.get
    return [get(name) for name in CLAIM_FIELDS], None


def parse_claim_blob(data: bytes, display: str) -> tuple[Claim | None, str | None]:
    """Like parse_claim, but a version that does not parse is returned as its error."""
    try:
        return parse_claim(data, display), None
    except DataError as err:
        return None, str(err)


def is_claim_file(path: str) -> bool:
    """Whether a repository path names a claim file (`claims/<id>.yaml`, not `claims/_…`)."""
    return (
        path.endswith(".yaml")
        and path.count("/") == 1
        and path.startswith(CLAIMS_DIR + "/")
        and not path.startswith(CLAIMS_DIR + "/_")  # declarations, not a claim
    )


def claim_id_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")
