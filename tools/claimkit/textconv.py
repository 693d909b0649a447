"""git's textconv filter for claim files: `python -m claimkit.textconv FILE` (installed by
`claims git-setup`). Prints FILE as it is, then its meaning in lines starting `#= `.

It imports only what reading one claim needs, since git starts it once per version it has not
cached yet.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .history import parse_claim_blob
from .values import value_text

MEANING = "#= "  # the lines textconv adds below a claim file's own text


def textconv(data: bytes, path: str) -> str:
    """A claim file's text with its meaning below it, for git to diff with its own options.

    The meaning depends on the blob alone, so git may cache it by blob (cachetextconv).
    """
    text = data.decode("utf-8", errors="replace")
    if text and not text.endswith("\n"):
        text += "\n"
    claim, error = parse_claim_blob(data, path)
    if claim is None:
        return f"{text}{MEANING}not readable as a claim: {error}\n"
    lines = [f"{MEANING}reading: {_reading_words(claim.value, claim.type, claim.modality)}"]
    for other in getattr(claim, "also", None) or []:
        if isinstance(other, dict):
            words = _reading_words(other.get("value"), claim.type, other.get("modality"))
            lines.append(f"{MEANING}also, contradicting it: {words}")
    lines.append(f"{MEANING}source: {claim.source or '(none)'}")
    return text + "\n".join(lines) + "\n"


def _reading_words(value, kind, modality) -> str:
    from .dates import parse_date

    shown = value_text(value, kind)
    if kind == "date":
        try:
            date = parse_date(value)
            if date.lower and date.upper and date.lower != date.upper:
                shown += f" (between {date.lower.isoformat()} and {date.upper.isoformat()})"
        except (ValueError, TypeError):
            pass
    return f"{shown} [{kind}, {modality or 'asserted'}]"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m claimkit.textconv FILE\n")
        return 2
    try:
        data = Path(argv[0]).read_bytes()
    except OSError as err:
        sys.stderr.write(f"claims textconv: {argv[0]}: {err.strerror}\n")
        return 3
    sys.stdout.write(textconv(data, argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
