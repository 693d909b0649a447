"""How a quote is matched against its source: whitespace runs and quote characters, nothing else."""

from __future__ import annotations

_QUOTE_CHARS = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)  # fmt: skip


def normalise(text: str) -> str:
    """Fold every whitespace run to one space and curly quotes to straight ones."""
    return " ".join(text.translate(_QUOTE_CHARS).split())


def quote_in(quote: str, normalised_text: str) -> bool:
    needle = normalise(quote)
    return bool(needle) and needle in normalised_text
