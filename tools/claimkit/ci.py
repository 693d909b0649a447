"""The review on a pull request: one sticky comment and the job summary, within GitHub's limits.

GitHub takes about 65,536 characters in a comment and 1 MiB in a step's summary. A review that
is longer keeps its head, as many whole claim sections as fit, and its verdict, and says how
many sections it left out.
"""

from __future__ import annotations

COMMENT_MARKER = "<!-- claims-review -->"  # finds the comment again, to update it in place
COMMENT_LIMIT = 65_000  # characters, under GitHub's 65,536
SUMMARY_LIMIT = 1_000_000  # bytes, under GitHub's 1 MiB


def cut_review(markdown: str, limit: int, measure=len, where: str = "") -> str:
    """`markdown` if it fits in `limit`, else its head, the whole `### ` sections that fit,
    a line counting the sections left out, and the verdict (the last line)."""
    if measure(markdown) <= limit:
        return markdown
    lines = markdown.rstrip("\n").split("\n")
    verdict = lines.pop() if lines and lines[-1].startswith("**Verdict:**") else ""
    head: list[str] = []
    sections: list[list[str]] = []
    for line in lines:
        if line.startswith("### "):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
        else:
            head.append(line)
    kept: list[str] = list(head)
    left = len(sections)

    def note(count: int) -> str:
        return (
            f"**{count} more section{'s' * (count != 1)} left out** to keep within GitHub's "
            f"limit{where}."
        )

    for section in sections:
        trial = "\n".join([*kept, *section, note(left - 1), "", verdict]) + "\n"
        if measure(trial) > limit:
            break
        kept += section
        left -= 1
    text = "\n".join([*kept, note(left), "", verdict]) + "\n"
    while measure(text) > limit and len(kept) > 1:  # a head too long by itself: cut lines
        kept.pop()
        text = "\n".join([*kept, note(left), "", verdict]) + "\n"
    return text


def comment_body(markdown: str) -> str:
    """The sticky pull-request comment: a hidden marker, then the review cut to fit."""
    room = COMMENT_LIMIT - len(COMMENT_MARKER) - 1
    where = "; the whole review is in the job summary and the claims-review artifact"
    return f"{COMMENT_MARKER}\n{cut_review(markdown, room, where=where)}"


def summary_text(markdown: str) -> str:
    """The review for $GITHUB_STEP_SUMMARY, cut to its 1 MiB."""

    def size(text: str) -> int:
        return len(text.encode("utf-8"))

    return cut_review(
        markdown, SUMMARY_LIMIT, size, "; the whole review is in the claims-review artifact"
    )
