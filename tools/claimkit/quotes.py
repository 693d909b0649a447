"""Quotes and their article: matching (whitespace runs and quote characters folded, nothing else),
several quotes per reading, elisions, and the finder that shows the closest passage to a miss.

A reading's `quote` is one string or a list of them. Each quote is verbatim; an elision (`…` or
`...`) stands between verbatim fragments that occur in the article in that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTE_CHARS = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u201b", "'"), ("\u2032", "'"),
    ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u201f", '"'), ("\u2033", '"'),
)  # fmt: skip
ELISION = re.compile(r"\s*(?:\u2026|\.\.\.)\s*")
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")


def normalise(text: str) -> str:
    """Fold every whitespace run to one space and curly quotes to straight ones."""
    for curly, straight in _QUOTE_CHARS:
        if curly in text:  # str.replace is many times faster than str.translate on megabytes
            text = text.replace(curly, straight)
    return " ".join(text.split())


def quote_list(value) -> list[str]:
    """A reading's quotes as a list: a string is one quote; anything else that is not a list of
    strings holds none (the schema rule reports it)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [q for q in value if isinstance(q, str)]
    return []


def quote_text(value, separator: str = " / ") -> str:
    """A reading's quotes as one string: a single quote as it is, several joined."""
    return value if isinstance(value, str) else separator.join(quote_list(value))


def fragments(quote: str) -> list[str]:
    """The verbatim fragments of a quote, its elisions taken out (normalised, none empty)."""
    return [part for part in ELISION.split(normalise(quote)) if part]


def quote_in(quote: str, normalised_text: str) -> bool:
    """Whether the quote occurs in the (normalised) text: verbatim, or fragment by fragment in
    order where it holds elisions."""
    needle = normalise(quote)
    if not needle:
        return False
    if needle in normalised_text:
        return True  # an article may print "..." itself
    return missing_fragment(quote, normalised_text) is None and bool(fragments(quote))


def missing_fragment(quote: str, normalised_text: str) -> str | None:
    """The first fragment of the quote not found after the ones before it; None if all are."""
    position = 0
    for part in fragments(quote):
        found = normalised_text.find(part, position)
        if found < 0:
            return part
        position = found + len(part)
    return None


# The finder ----------------------------------------------------------------------------------
#
# An article may run to megabytes: aligning a quote with every window of it is out of reach.
# The quote's rarest words (counted by str.count, in C) anchor a few candidate windows; each
# window is aligned word by word with difflib, and the best alignment is the passage shown.

MAX_ANCHORS = 3
MAX_PLACES = 200  # windows aligned per anchor word


@dataclass(frozen=True)
class NearMatch:
    """The article's passage closest to a quote, and where the two differ."""

    passage: str  # the article's words, normalised, as they stand
    differences: tuple[tuple[str, str], ...]  # (the quote's words, the article's words)
    score: float  # the share of the quote's words found in order, 0 to 1

    def describe(self) -> str:
        """`closest passage: "..."; differs: 'around' for 'about'`."""
        parts = []
        for ours, theirs in self.differences:
            if ours and theirs:
                parts.append(f"'{ours}' where the article has '{theirs}'")
            elif ours:
                parts.append(f"'{ours}' is not in the article")
            else:
                parts.append(f"the article also has '{theirs}'")
        differs = "; ".join(parts[:4]) + ("; ..." if len(parts) > 4 else "")
        return f'closest passage: "{self.passage}"' + (f" ({differs})" if differs else "")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _anchor_positions(needle: str, text: str, lowered: str) -> list[int]:
    """Character offsets in `text` of the quote's rarest words (at most MAX_PLACES each)."""
    words = sorted({w for w in _words(needle) if len(w) > 2} or set(_words(needle)))
    counted = [(lowered.count(w), w) for w in words]
    counted = sorted((n, w) for n, w in counted if n)
    positions: list[int] = []
    for _count, word in counted[:MAX_ANCHORS]:
        # str.find, not a regular expression with look-arounds: ten times faster on megabytes.
        found, start = 0, lowered.find(word)
        while start >= 0 and found < MAX_PLACES:
            end = start + len(word)
            if (start == 0 or not lowered[start - 1].isalnum()) and (
                end == len(lowered) or not lowered[end].isalnum()
            ):
                positions.append(start)
                found += 1
            start = lowered.find(word, end)
    return positions


def closest_passage(quote: str, normalised_text: str) -> NearMatch | None:
    """The passage of the article that best matches the quote's words; None when no word of the
    quote is in the article at all."""
    import difflib  # here: only a quote not found verbatim needs it; every command imports quotes

    needle = normalise(quote)
    lowered = normalised_text.lower()
    if len(lowered) != len(normalised_text):  # a letter whose lower case is longer: rare
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in normalised_text)
    needle_tokens = _TOKEN.findall(needle)
    needle_keys = [_key(t) for t in needle_tokens]
    if not needle_tokens:
        return None
    reach = len(needle) + 40
    best: tuple[float, int, int, list[str], list[tuple[int, int]]] | None = None
    seen: set[int] = set()
    for position in _anchor_positions(needle, normalised_text, lowered):
        start = max(0, normalised_text.rfind(" ", 0, max(0, position - reach)) + 1)
        if start in seen:
            continue
        seen.add(start)
        end = normalised_text.find(" ", position + reach)
        end = len(normalised_text) if end < 0 else end
        spans = [
            (m.start() + start, m.end() + start)
            for m in _TOKEN.finditer(normalised_text[start:end])
        ]
        keys = [_key(normalised_text[a:b]) for a, b in spans]
        matcher = difflib.SequenceMatcher(None, needle_keys, keys, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        matched = sum(b.size for b in blocks)
        first = max(0, blocks[0].b - blocks[0].a)
        last = min(
            len(keys),
            blocks[-1].b + blocks[-1].size + (len(needle_keys) - blocks[-1].a - blocks[-1].size),
        )
        score = matched / max(len(needle_keys), last - first)
        if best is None or score > best[0]:
            best = (score, first, last, keys, spans)
    if best is None:
        return None
    score, first, last, keys, spans = best
    passage = normalised_text[spans[first][0] : spans[last - 1][1]]
    passage_tokens = _TOKEN.findall(passage)
    matcher = difflib.SequenceMatcher(None, needle_keys, keys[first:last], autojunk=False)
    differences = tuple(
        (" ".join(needle_tokens[i1:i2]), " ".join(passage_tokens[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
    return NearMatch(passage, differences, round(score, 3))


_PUNCTUATION = ".,;:!?\"'()[]"


def _key(token: str) -> str:
    """A word as the finder compares it: case and surrounding punctuation set aside."""
    return token.strip(_PUNCTUATION).casefold() or token


def verbatim_passages(words: str, normalised_text: str, limit: int = 20) -> list[str]:
    """The article's own text wherever `words` occur, each as it stands there: case, and the
    punctuation around each word (quote marks, commas), are set aside when looking."""
    words_only = [w.strip(_PUNCTUATION) for w in normalise(words).split(" ")]
    words_only = [w for w in words_only if w]
    if not words_only:
        return []
    between = r"[^\w\s]*\s[^\w\s]*"
    # An opening or closing quote mark or bracket is kept with the words; a comma or full stop
    # after them is not, unless a closing mark follows it.
    pattern = re.compile(
        r"[\"'(\[]?" + between.join(re.escape(w) for w in words_only) + r"(?:[.,;:!?]*[\"')\]])?",
        re.IGNORECASE,
    )
    passages = []
    for match in pattern.finditer(normalised_text):
        passages.append(match.group(0))
        if len(passages) >= limit:
            break
    return passages
