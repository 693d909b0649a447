"""The check rules, one small module per concern. Each rule is `rule(context, item) -> problems`.

Errors are faults in the record; warnings are findings about the articles themselves.
"""

from .identity import claim_id_matches_file, source_id_matches_file
from .quote import quote_verbatim
from .schema import claim_schema, source_schema
from .sources import sha256_matches, source_exists, source_text_exists
from .text import control_characters
from .time_sense import time_sense
from .values import published_parses, value_parses

CLAIM_RULES = (
    claim_schema,
    control_characters,
    claim_id_matches_file,
    value_parses,
    source_exists,
    quote_verbatim,
    time_sense,
)
SOURCE_RULES = (
    source_schema,
    control_characters,
    source_id_matches_file,
    published_parses,
    source_text_exists,
    sha256_matches,
)
