"""What a commit hook checks: the files being committed, never untracked ones.

pre-commit passes the staged files under claims/ and seeds/. A draft claim nobody added yet is
not the commit's business; an article whose text changed is, for every committed claim that
quotes it.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import gitio
from .repo import CLAIMS_DIR, SEEDS_DIR, ClaimsRepo

SOURCE_LINE = re.compile(r"""^source:\s*["']?([^"'\s#]+)""", re.MULTILINE)


def hook_paths(repo: ClaimsRepo, given: list[Path]) -> list[Path]:
    """The claim and source metadata files to check for a commit of `given`: those of them in
    git's index, each changed source's metadata, and the indexed claims that cite it."""
    with gitio.GitSession(repo.root) as git:
        listed = git.run("ls-files", "-z", "--", CLAIMS_DIR, SEEDS_DIR).split("\0")
    tracked = {repo.root / name for name in listed if name}
    chosen: dict[Path, None] = {}
    sources: set[str] = set()
    for path in given:
        path = path if path.is_absolute() else Path.cwd() / path
        if path not in tracked:
            continue  # untracked: not part of any commit
        top = Path(repo.relative(path)).parts[0]
        if top == CLAIMS_DIR and path.suffix == ".yaml":
            chosen[path] = None
        elif top == SEEDS_DIR:
            sources.add(path.stem)
            meta = path.with_suffix(".yaml")
            if meta in tracked:
                chosen[meta] = None
    if sources:
        for path in sorted(tracked):
            if path.parent == repo.claims_dir and path.suffix == ".yaml" and path.is_file():
                found = SOURCE_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
                if found and found.group(1) in sources:
                    chosen[path] = None
    return list(chosen)
