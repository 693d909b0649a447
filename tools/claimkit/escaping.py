"""Text from the data made safe to print where a line or a markup matters.

A value, a source id or a quote can hold anything YAML can: a newline that would split a commit
subject or a conflict marker line, a NUL that git refuses in a message, an escape sequence for
the terminal. `check` refuses control characters in claim fields (rules/text.py), but what is
printed from files not yet checked, or from history, goes through here.
"""

from __future__ import annotations

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: each ends a line for
# some reader, or steers a terminal.
CONTROL = frozenset([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029])


def control_characters(text: str, allowed: str = "") -> list[str]:
    """The control characters in `text` (other than those `allowed`), in order, each once."""
    return list(dict.fromkeys(c for c in text if ord(c) in CONTROL and c not in allowed))


def one_line(text: str) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x00`, `\\u2028`)."""
    if not any(ord(c) in CONTROL for c in text):
        return text
    out = []
    for char in text:
        code = ord(char)
        if code not in CONTROL:
            out.append(char)
        elif char in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)
