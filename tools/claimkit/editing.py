"""Tool edits of a claim: a new version from an article (`claims record`), its place in the
story, and the quote finder. A new article is addsource.py's; committing, committing.py's.

Edits validate what they would write with the `claims check` rules first, write atomically,
and commit only the files they wrote when asked to.
"""

from __future__ import annotations

from dataclasses import dataclass

from .check import ERROR, MAX_TEXT_BYTES, Problem, check_document
from .compare import SAME, Change, change_between, compare_values
from .dates import parse_date_or_none
from .errors import CheckFailed, ConflictError, UsageError
from .escaping import one_line
from .files import atomic_write, decode_utf8, exclusive_lock, read_bytes, read_text
from .gitio import GitSession
from .model import CLAIM_FIELDS, MODALITIES, TYPES, Claim
from .quotes import (
    NearMatch,
    closest_passage,
    fragments,
    normalise,
    quote_list,
    verbatim_passages,
)
from .render.text import problem_line
from .repo import ClaimsRepo, claim_from_document
from .values import value_from_words, value_text
from .yamledit import edit_mapping
from .yamlio import parse_mapping

QUOTED_FIELDS = ("quote", "note")  # written double-quoted, as the house format has them
MAX_ARTICLE_BYTES = MAX_TEXT_BYTES
STATUS_WORDS = {"?": "untracked", "A": "added", "M": "modified", "D": "deleted", "R": "renamed"}


@dataclass(frozen=True)
class Recorded:
    """What `record` did: the claim before and after, the change kind, the commit if any."""

    claim_id: str
    path: str
    old: Claim | None  # None when the file held no reported version yet (a skeleton)
    new: Claim
    change: Change
    message: str  # the commit message, whether or not a commit was made
    warnings: tuple[Problem, ...] = ()
    written: bool = True
    commit: str | None = None
    notes: tuple[str, ...] = ()  # the reading's effect on the story beyond its own change


def refuse_problems(problems: list[Problem]) -> None:
    """Raise CheckFailed naming the first error, when there is one."""
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise CheckFailed(
            problem_line(first.path, first.line, first.column, first.message, first.rule)
            + f"{more}; nothing written"
        )


def describe_status(status: str) -> str:
    return ", ".join(dict.fromkeys(STATUS_WORDS.get(c, "changed") for c in status if c != " "))


def refuse_uncommitted(git: GitSession, display: str, skeleton: bool = False) -> None:
    """Refuse a file with uncommitted changes, except a new skeleton (`claims new`'s) that
    reports nothing yet: completing it is what it was made for."""
    status = git.status(display)
    if status and not (skeleton and status[0] in "?A"):
        # Also what an interrupted `record --commit` leaves (killed between writing the file and
        # committing it): say how to finish that record, or undo it.
        raise ConflictError(
            f"{display} has uncommitted changes ({describe_status(status)}); commit or stash "
            "them first, or pass --force to edit it anyway; if they are a `claims record` that "
            f"was interrupted, finish it with `git commit -- {display}` or undo it with "
            f"`git restore --staged --worktree -- {display}`"
        )


def commit_subject(claim_id: str, old: Claim | None, new: Claim, change: Change) -> str:
    """`summit-date: 2025-08-15 -> 2025-09-18 (contradicted) [a3]`, on one line whatever the
    values hold (the old one has not been checked)."""
    new_text = short(one_line(value_text(new.value, new.type)))
    values = new_text
    if old is not None and old.type == new.type:
        old_text = short(one_line(value_text(old.value, old.type)))
        if compare_values(new.type, old.value, new.value).relation != SAME:
            values = f"{old_text} -> {new_text}"
    return f"{claim_id}: {values} ({change.kind}) [{new.source}]"


def commit_message(
    claim_id: str, old: Claim | None, new: Claim, change: Change, notes: tuple[str, ...] = ()
) -> str:
    body = []
    if old is not None and old.modality != new.modality:
        body.append(f"modality: {one_line(str(old.modality))} -> {new.modality}")
    for quote in quote_list(new.quote):
        body.append(f'quote: "{one_line(" ".join(quote.split()))}"')
    body.extend(one_line(note) for note in notes)
    trailers = [f"Claim: {claim_id}", f"Source: {new.source}"]
    return "\n\n".join(
        [commit_subject(claim_id, old, new, change), "\n".join(body), "\n".join(trailers)]
    )


def short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# Held by every command that writes and commits, for the whole of its read-check-write-commit.
WRITE_LOCK = "claims-write.lock"


def record(
    repo: ClaimsRepo,
    claim_id: str,
    *,
    source: str,
    values: tuple[str, ...],
    quote: str | tuple[str, ...],
    modality: str | None = None,
    time_expression: str | None = None,
    note: str | None = None,
    force: bool = False,
    commit: bool = False,
) -> Recorded:
    """Rewrite claims/<id>.yaml as `source` puts it, keeping every other line of the file.

    The value, source and quote are replaced; the modality too when given (else it is kept);
    time_expression and note belong to the article they were read from, so they are set when
    given and otherwise removed; `also` (the previous article's other statements) is removed.
    Nothing is written unless every claim rule passes.
    """
    with GitSession(repo.root) as git, exclusive_lock(git.git_path(WRITE_LOCK)):
        # Everything from reading the file to committing it happens under the lock, so two
        # records at once run in turn and neither commits the other's edit.
        path = repo.claim_path(claim_id)
        if not path.is_file():
            repo.load_claim_document(claim_id)  # the unknown-claim error, with close matches
        display = repo.relative(path)
        text = read_text(path, display)  # read once: the edit below starts from these bytes
        doc = parse_mapping(text, display)
        kind = doc.data.get("type")
        if kind not in TYPES:
            raise CheckFailed(
                f"{display}: type {kind!r} is not one of {', '.join(TYPES)}; fix it first"
            )
        if modality is not None and modality not in MODALITIES:
            raise UsageError(f"unknown modality {modality!r}; one of {', '.join(MODALITIES)}")
        repo.source_path(source)  # an unknown source is named, with close matches
        quotes = [quote] if isinstance(quote, str) else list(quote)
        if not quotes or any(not q.strip() for q in quotes):
            raise UsageError("--quote must not be empty")
        if len(set(map(normalise, quotes))) < len(quotes):
            raise UsageError("the same --quote is given twice")
        if not values:
            values, note = resolve_time_expression(repo, source, kind, time_expression, note)
        changes = {
            "value": value_from_words(kind, values), "source": source,
            "quote": quotes[0] if len(quotes) == 1 else quotes,
        }  # fmt: skip
        if modality is not None:
            changes["modality"] = modality
        remove = ["also"]  # the previous article's other statements are not this one's
        for name, given in (("time_expression", time_expression), ("note", note)):
            if given is not None and given.strip():
                changes[name] = given
            else:
                remove.append(name)

        if not force:
            refuse_uncommitted(git, display, skeleton=not doc.data.get("source"))
        if commit:
            git.refuse_if_locked()
        new_text = edit_mapping(
            text, changes, remove, order=CLAIM_FIELDS, quoted=QUOTED_FIELDS, path=display
        )
        new_doc = parse_mapping(new_text, display)
        problems = check_document(repo, path, new_doc)
        refuse_problems(problems)
        new = claim_from_document(new_doc)
        # Against the committed story, never the file on disk: the reading's place by publication.
        old, change, notes = story_effect(repo, git, claim_id, display, new)
        message = commit_message(claim_id, old, new, change, notes)
        warnings = tuple(p for p in problems if p.severity != ERROR)
        if new_text == text:
            if not (commit and git.status(display)):
                return Recorded(
                    claim_id, display, old, new, change, message, warnings, False, None, notes
                )
            # The file already reads so but is not committed: --commit commits it as it is.
            sha = git.commit_paths([display], message)
            return Recorded(claim_id, display, old, new, change, message, warnings, False, sha,
                            notes)  # fmt: skip
        atomic_write(path, new_text.encode("utf-8"))
        sha = None
        if commit:
            try:
                sha = git.commit_paths([display], message)
            except BaseException:
                atomic_write(path, text.encode("utf-8"))  # all or nothing: the file as it was
                raise

        return Recorded(
            claim_id, display, old, new, change, message, warnings, commit=sha, notes=notes
        )


def story_effect(
    repo: ClaimsRepo, git: GitSession, claim_id: str, display: str, new: Claim
) -> tuple[Claim | None, Change, tuple[str, ...]]:
    """A new reading's story predecessor, its change kind against it, and notes on its effect:
    recorded out of story order (the current value stays), and a successor whose kind changes."""
    from .history import claim_versions
    from .story import Version, build_story, place

    readings = claim_versions(repo, git, claim_id) if git.has_commits() else []
    source = repo.load_source(new.source)
    reading = Version(claim_id, "", "", display, "", len(readings), new, None, source)
    before = build_story(claim_id, readings)
    after = build_story(claim_id, [*readings, reading])
    placed = place(before, after, new.source)
    version = placed.version
    old = placed.predecessor.claim if placed.predecessor else None
    change = Change(version.change, version.detail) if version else change_between(old, new)
    return old, change, placement_notes(placed)


def placement_notes(placed) -> tuple[str, ...]:
    """`recorded out of story order: …` and `effect on …` lines for a placed reading."""
    notes = []
    version, current = placed.version, placed.current_after
    if version is None or version.claim is None:
        return ()
    if placed.edit:
        notes.append(f"edits {version.claim.source}'s version (an article read again)")
    if placed.out_of_order and current is not None and current.claim is not None:
        value = value_text(version.claim.value, version.claim.type)
        current_value = value_text(current.claim.value, current.claim.type)
        notes.append(
            f"recorded out of story order: {short(value)} precedes "
            f"{current.claim.source}'s version; the current value stays {short(current_value)}"
        )
    successor = placed.successor
    if successor is not None and successor.claim is not None:
        now = successor.change + (f" ({successor.detail})" if successor.detail else "")
        was = placed.successor_was
        effect = f"{was} -> {now}" if was and was != successor.change else f"stays {now}"
        notes.append(f"effect on {successor.claim.source}: {effect}")
    return tuple(notes)


def resolve_time_expression(
    repo: ClaimsRepo, source: str, kind: str, phrase: str | None, note: str | None
) -> tuple[tuple[str], str]:
    """The value a relative phrase gives against the source's published date, and the note
    saying how (after the note given, if any)."""
    from .relative import Unresolvable, resolve

    if not phrase or not phrase.strip():
        raise UsageError("give --value, or --time-expression to resolve a date from the article")
    if kind != "date":
        raise UsageError(
            f"--time-expression without --value resolves dates only; this is a {kind} claim: "
            "give --value"
        )
    published = parse_date_or_none(repo.load_source(source).published)
    if published is None:
        raise UsageError(
            f"source {source} has no valid published date to resolve {phrase!r} against"
        )
    try:
        resolved = resolve(phrase, published)
    except Unresolvable as err:
        raise UsageError(str(err)) from None
    explanation = resolved.explanation
    return (
        resolved.value,
    ), f"{note.strip()} {explanation}" if note and note.strip() else explanation


@dataclass(frozen=True)
class QuoteSearch:
    """Where words occur in an article: its verbatim passages, else the closest one."""

    source_id: str
    passages: tuple[str, ...]
    near: NearMatch | None


def find_quote(repo: ClaimsRepo, source_id: str, words: str) -> QuoteSearch:
    """The article's passages that match `words` (case and whitespace aside), as they stand in
    it; when there are none, the closest passage and the words that differ."""
    if not normalise(words):
        raise UsageError("give the words to look for")
    path = repo.source_path(source_id).with_suffix(".txt")
    display = repo.relative(path)
    text = normalise(decode_utf8(read_bytes(path, display, MAX_ARTICLE_BYTES), display))
    passages: list[str] = []
    for part in fragments(words) if len(fragments(words)) > 1 else [words]:
        found = verbatim_passages(part, text)
        if not found:
            return QuoteSearch(source_id, (), closest_passage(part, text))
        passages.extend(p for p in found if p not in passages)
    return QuoteSearch(source_id, tuple(passages), None)
