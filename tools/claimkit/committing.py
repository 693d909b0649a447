"""`claims commit`: one commit per article, holding its source (if new) and every claim it reports.

Record several claims from one article (`claims record` without --commit, or edits by hand),
then `claims commit` groups the uncommitted claim files by the source each cites and makes one
commit per source, in publication order, with a message naming the article and each claim's
change in the story.
"""

from __future__ import annotations

from dataclasses import dataclass

from .claimfile import is_claim_file
from .editing import WRITE_LOCK, commit_subject, refuse_problems, short, story_effect
from .errors import DataError, UsageError
from .files import exclusive_lock
from .gitio import GitSession
from .model import Claim
from .repo import CLAIMS_DIR, ClaimsRepo, claim_from_document
from .yamlio import load_mapping


@dataclass(frozen=True)
class ArticleCommit:
    """One article's commit: its source, the files it holds, each claim's change line."""

    source_id: str
    title: str | None
    paths: tuple[str, ...]
    changes: tuple[str, ...]
    message: str
    commit: str | None = None


def uncommitted(git: GitSession, folder: str) -> list[tuple[str, str]]:
    """(status, path) of every file under `folder` that differs from HEAD, deletions left out."""
    return [(code, path) for code, path in git.changes(folder) if "D" not in code]


def commit_articles(repo: ClaimsRepo, dry_run: bool = False) -> list[ArticleCommit]:
    """Commit the uncommitted claim files, one commit per cited source (with the source's
    own files when they are new or changed); every file must pass `claims check` first."""
    from .check import check_document

    with GitSession(repo.root) as git, exclusive_lock(git.git_path(WRITE_LOCK)):
        groups: dict[str, list[tuple[str, Claim]]] = {}
        for _status, path in uncommitted(git, CLAIMS_DIR):
            if not is_claim_file(path):
                continue
            file = repo.root / path
            doc = load_mapping(file, path)
            problems = check_document(repo, file, doc)
            refuse_problems(problems)
            claim = claim_from_document(doc)
            if not isinstance(claim.source, str) or not claim.source:
                raise DataError(path, 1, 1, "cites no source yet; record it first", "schema")
            groups.setdefault(claim.source, []).append((path, claim))
        if not groups:
            raise UsageError("no uncommitted claim file to commit")
        seeds = {path for _, path in uncommitted(git, "seeds")}
        sources = {source_id: repo.load_source(source_id) for source_id in groups}
        ordered = sorted(groups, key=lambda s: (sources[s].published_key(), s))
        made = []
        for source_id in ordered:
            source = sources[source_id]
            own = [repo.relative(source.path), repo.relative(source.text_path)]
            paths = [p for p in own if p in seeds] + [p for p, _ in groups[source_id]]
            changes = []
            for path, claim in groups[source_id]:
                old, change, notes = story_effect(repo, git, claim.id, path, claim)
                changes.append(commit_subject(claim.id, old, claim, change))
                changes.extend(f"  {note}" for note in notes)
            title = short(source.title or "(no headline)", 50)
            trailers = [f"Source: {source_id}"] + [f"Claim: {c.id}" for _, c in groups[source_id]]
            message = "\n\n".join(
                [f"Record {source_id}: {title}", "\n".join(changes), "\n".join(trailers)]
            )
            sha = None if dry_run else git.commit_paths(paths, message)
            made.append(
                ArticleCommit(source_id, source.title, tuple(paths), tuple(changes), message, sha)
            )
        return made
