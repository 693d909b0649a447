"""One claim in three ways: now, at a commit, or as the press had it on a date."""

from __future__ import annotations

from .dates import date_argument
from .errors import NotFound
from .gitio import GitHistory
from .history import as_of, parse_claim
from .model import Claim
from .repo import ClaimsRepo


def claim_now(repo: ClaimsRepo, claim_id: str) -> tuple[Claim, str]:
    claim = repo.load_claim(claim_id)
    return claim, repo.claim_path(claim_id).read_text(encoding="utf-8")


def claim_at(repo: ClaimsRepo, claim_id: str, rev: str) -> tuple[Claim, str]:
    display = repo.relative(repo.claim_path(claim_id))
    with GitHistory(repo.root) as git:
        data = git.file_at(rev, display)
    if data is None:
        raise NotFound(f"{display} does not exist at {rev}")
    return parse_claim(data, f"{display}@{rev}"), data.decode("utf-8", errors="replace")


def claim_as_of(repo: ClaimsRepo, claim_id: str, date: str) -> tuple[Claim, str]:
    from .readings import claim_readings

    day = date_argument(date, end=True)
    versions, _, texts = claim_readings(repo, claim_id, with_text=True)
    if not versions and not repo.claim_path(claim_id).exists():
        repo.load_claim_document(claim_id)  # the unknown-claim error, with suggestions
    version = as_of(versions, day)
    if version is None:
        raise NotFound(f"no version of {claim_id} from a source published by {day}")
    return version.claim, texts[version.blob]
