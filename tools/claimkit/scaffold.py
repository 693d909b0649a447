"""Creating things: an empty claims repository, a new claim file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from . import gitcommand, gitwrite
from .errors import ConflictError, UsageError
from .files import atomic_write
from .model import MODALITIES, MODELINE, TYPES, Claim, is_source_id
from .repo import CLAIMS_DIR, SEEDS_DIR, ClaimsRepo
from .yamledit import dump_mapping

SCHEMAS = ("claim.schema.json", "source.schema.json")
GITATTRIBUTES = """\
# Article texts are kept byte for byte: their sha256 is recorded in the metadata beside them.
seeds/**/*.txt -text
# Saved pages an article was extracted from, byte for byte so that it can be extracted again.
seeds/**/*.html -text
claims/*.yaml text eol=lf
"""


WORKFLOW = ".github/workflows/claims.yml"
PRE_COMMIT = ".pre-commit-config.yaml"


def default_install_spec() -> str:
    """This very version of the tool, pinned, as pip takes it."""
    from importlib.metadata import version

    return f"claimkit=={version('claimkit')}"


def template(name: str, install: str) -> str:
    """A CI file from the package's templates, installing the tool from `install`."""
    if not install or any(c in install for c in '"\n\r'):
        raise UsageError(f"--install-from {install!r}: give a pip requirement or a git URL")
    text = resources.files("claimkit").joinpath("templates", name).read_text(encoding="utf-8")
    return text.replace("@CLAIMKIT@", install)


def init_repository(path: Path, install: str | None = None) -> list[str]:
    """Create what a claims repository needs at `path`; return what was created.

    `install` is what the CI workflow and the pre-commit hook install the tool from (default:
    this version, pinned).
    """
    install = install or default_install_spec()
    path.mkdir(parents=True, exist_ok=True)
    created = []
    for folder in (CLAIMS_DIR, SEEDS_DIR, "schema"):
        if not (path / folder).exists():
            (path / folder).mkdir()
            created.append(f"{folder}/")
    for folder in (CLAIMS_DIR, SEEDS_DIR):
        # git keeps no empty folder: without these a fresh clone would lack claims/ and seeds/.
        keep = path / folder / ".gitkeep"
        if not any((path / folder).iterdir()):
            keep.touch()
    for name in SCHEMAS:
        target = path / "schema" / name
        if not target.exists():
            atomic_write(target, resources.files("claimkit").joinpath("schema", name).read_bytes())
            created.append(f"schema/{name}")
    for target, name in ((WORKFLOW, "claims.yml"), (PRE_COMMIT, "pre-commit-config.yaml")):
        if not (path / target).exists():
            (path / target).parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path / target, template(name, install).encode("utf-8"))
            created.append(target)
    attributes = path / ".gitattributes"
    if not attributes.exists():
        atomic_write(attributes, GITATTRIBUTES.encode())
        created.append(".gitattributes")
    if not gitcommand.is_git_repository(path):
        gitwrite.init_repository(path)
        created.append(".git/")
    return created


def refuse_against_schema(name: str, word: str) -> None:
    """UsageError unless `word` is what the shipped claim schema allows in field `name`: the
    skeleton may leave fields empty, but never holds what check would refuse."""
    import json

    from .rules.schema import compiled

    text = resources.files("claimkit").joinpath("schema", "claim.schema.json").read_text("utf-8")
    rule = json.loads(text)["properties"][name]
    if not compiled(rule["pattern"]).search(word) or len(word) > rule.get("maxLength", len(word)):
        allowed = "'-' and '_'" if "_" in rule["pattern"] else "'-'"
        raise UsageError(
            f"invalid --{name} {word!r}: use lowercase ASCII letters, digits and {allowed}, "
            "starting with a letter or digit"
        )


def new_claim(
    repo: ClaimsRepo,
    claim_id: str,
    *,
    event: str,
    prop: str,
    kind: str,
    value: Any = "",
    modality: str = "asserted",
    source: str = "",
    quote: str = "",
) -> Path:
    """Write a claim skeleton, to be completed by hand or by `claims record`."""
    path = repo.claim_path(claim_id)
    if kind not in TYPES:
        raise UsageError(f"unknown type {kind!r}; one of {', '.join(TYPES)}")
    if modality not in MODALITIES:
        raise UsageError(f"unknown modality {modality!r}; one of {', '.join(MODALITIES)}")
    for name, word in (("event", event), ("property", prop)):
        refuse_against_schema(name, word)
    if source and not is_source_id(source):
        raise UsageError(f"invalid --source {source!r}: use letters, digits, '.', '_' and '-'")
    if path.exists():
        raise ConflictError(f"{repo.relative(path)} already exists")
    if not repo.inside(path.parent):
        raise UsageError(f"{CLAIMS_DIR}/ resolves outside the repository; refused")
    claim = Claim(claim_id, event, prop, kind, value, modality, source, quote)
    text = dump_mapping(claim.to_data(), header=MODELINE)
    path.parent.mkdir(exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
    return path
