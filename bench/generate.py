"""Build a synthetic claims repository of any size, deterministically, through `git fast-import`.

    python bench/generate.py OUT --claims 2000 --commits 20000

Each commit records one article: its text and metadata under seeds/YYYY/MM/ (dated
subfolders, so that no tree grows to tens of thousands of entries) and a new version of a few
claims that cite it, each with a quote taken verbatim from the text. Claims are dates, places,
people and text; their values are corroborated, refined, broadened and contradicted from one
article to the next, and about one article in twenty is recorded after a later-published one.

The same arguments always give the same commit ids: every name, text and date comes from a
seeded random generator, and author and committer dates are fixed. The repository passes
`claims check` without errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 2
START = dt.date(2010, 1, 4)
ARTICLES_PER_DAY = 4
EPOCH = int(dt.datetime(2010, 1, 4, 6, 0, tzinfo=dt.timezone.utc).timestamp())
IDENTITY = "Bench Editor <bench@example.org>"
MODELINE = "# yaml-language-server: $schema=../schema/claim.schema.json\n"

PROPERTIES = (
    ("date", "date"),
    ("location", "place"),
    ("participants", "people"),
    ("outcome", "text"),
)
REGIONS = {
    "Alaska": ["Anchorage", "Fairbanks", "Juneau"],
    "Bavaria": ["Munich", "Nuremberg", "Augsburg"],
    "Geneva": ["Geneva", "Carouge", "Meyrin"],
    "Lapland": ["Rovaniemi", "Kemi", "Inari"],
    "Hokkaido": ["Sapporo", "Hakodate", "Otaru"],
    "Ontario": ["Toronto", "Ottawa", "Kingston"],
}
VENUES = ["Convention Centre", "Joint Base", "City Hall", "Grand Hotel", "Palace of Nations"]
GIVEN = ["Anna", "Boris", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jana",
         "Karim", "Lena", "Marek", "Nadia", "Olek", "Petra", "Quinn", "Rosa", "Sami", "Tomas"]  # fmt: skip
FAMILY = ["Abbott", "Berg", "Costa", "Dahl", "Ekman", "Fischer", "Gray", "Holm", "Ivanova",
          "Jensen", "Kovacs", "Lund", "Moreau", "Novak", "Olsen", "Petrov", "Quist", "Rossi"]  # fmt: skip
OUTCOMES = [
    "talks ended without an agreement",
    "both sides agreed to meet again",
    "a ceasefire was announced",
    "the delegations signed a joint statement",
    "the meeting was postponed",
    "negotiators reported progress on prisoner exchanges",
]
OUTLETS = ["Northern Courier", "Daily Ledger", "Wire Service", "Evening Standard Post", "The Observer Desk"]  # fmt: skip
WORDS = (
    "officials said the delegation would review the proposal before the next round of talks "
    "while observers noted that several questions remained open and that statements issued "
    "overnight differed from earlier accounts given by aides familiar with the preparations"
).split()


@dataclass
class Story:
    """One event: its claims share a subject and a true date, place and cast."""

    name: str
    day: dt.date
    region: str
    city: str
    venue: str
    cast: list[str]


@dataclass(eq=False)
class ClaimState:
    claim_id: str
    story: Story
    prop: str
    kind: str
    versions: int = 0
    value: object = None


@dataclass
class Generated:
    """What the generator made, for the benchmark to choose its questions."""

    claims: int
    commits: int
    versions: int = 0
    head: str = ""
    versions_per_claim: dict[str, int] = field(default_factory=dict)
    first_published: str = ""
    last_published: str = ""
    middle_published: str = ""  # the article halfway through the history


def cast_of(rng: random.Random) -> list[str]:
    """Six different people."""
    cast: list[str] = []
    while len(cast) < 6:
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if name not in cast:
            cast.append(name)
    return cast


def published_on(index: int, rng: random.Random) -> tuple[dt.date, str, str]:
    """The article's publication date: its lower bound, its EDTF text and the basis for it."""
    day = START + dt.timedelta(days=index // ARTICLES_PER_DAY)
    roll = rng.random()
    if roll < 0.05 and index > 400:  # published well before others recorded earlier
        day -= dt.timedelta(days=rng.randint(10, 60))
    if roll > 0.95:
        end = day + dt.timedelta(days=6)
        return day, f"{day.isoformat()}/{end.isoformat()}", "No dateline; indexed within a week."
    if 0.93 < roll <= 0.95:
        return day.replace(day=1), day.strftime("%Y-%m"), "Only the month is known."
    return day, day.isoformat(), "Dateline."


def date_value(story: Story, published: dt.date, rng: random.Random) -> tuple[str, str, str]:
    """(EDTF value, modality, sentence) for a date claim, as one article might report it."""
    roll = rng.random()
    day = story.day
    if roll < 0.15:
        value, phrase = day.strftime("%Y-%m"), f"in {day.strftime('%B %Y')}"
        lower = day.replace(day=1)
    elif roll < 0.25:
        start, end = day - dt.timedelta(days=2), day + dt.timedelta(days=2)
        value = f"{start.isoformat()}/{end.isoformat()}"
        phrase = f"between {start.isoformat()} and {end.isoformat()}"
        lower = start
    elif roll < 0.32:
        value, phrase, lower = f"{day.isoformat()}?", f"probably on {day.isoformat()}", day
    elif roll < 0.40:
        other = day + dt.timedelta(days=rng.randint(1, 9))
        value, phrase, lower = other.isoformat(), f"on {other.isoformat()}", other
    else:
        value, phrase, lower = day.isoformat(), f"on {day.isoformat()}", day
    if lower > published:
        return value, "scheduled", f"The {story.name} meeting is scheduled to take place {phrase}."
    return value, "asserted", f"The {story.name} meeting took place {phrase}."


def place_value(story: Story, rng: random.Random) -> tuple[list[str], str]:
    roll = rng.random()
    if roll < 0.1:
        region = rng.choice([r for r in REGIONS if r != story.region])
        value = [region, REGIONS[region][0]]
    else:
        value = [story.region, story.city, story.venue][: 1 + int(roll * 10) % 3]
    where = ", ".join(reversed(value))
    return value, f"Delegates for {story.name} gathered in {where}."


def people_value(story: Story, rng: random.Random) -> tuple[list[str], str]:
    value = sorted(rng.sample(story.cast, rng.randint(2, 4)))
    return value, f"Present at {story.name}: {', '.join(value)}."


def text_value(story: Story, rng: random.Random) -> tuple[str, str]:
    value = rng.choice(OUTCOMES)
    return value, f"Reports on {story.name} said {value}."


def claim_file(state: ClaimState, value, modality: str, source: str, quote: str) -> str:
    lines = [
        MODELINE.rstrip("\n"),
        f"id: {state.claim_id}",
        f"event: {state.story.name}",
        f"property: {state.prop}",
        f"type: {state.kind}",
    ]
    if isinstance(value, list):
        lines.append("value:")
        lines.extend(f"  - {item}" for item in value)
    elif state.kind == "text":
        lines.append(f'value: "{value}"')
    else:
        lines.append(f"value: {value}")
    lines += [f"modality: {modality}", f"source: {source}", f'quote: "{quote}"']
    return "\n".join(lines) + "\n"


def source_meta(
    source_id: str, title: str, outlet: str, published: str, basis: str, text: bytes
) -> str:
    return (
        f"id: {source_id}\n"
        f'title: "{title}"\n'
        f'outlet: "{outlet}"\n'
        f'url: "https://news.example.org/{source_id}"\n'
        f"published: {published}\n"
        f'published_basis: "{basis}"\n'
        f"sha256: {hashlib.sha256(text).hexdigest()}\n"
    )


def filler(rng: random.Random, paragraphs: list[str]) -> str:
    return "\n\n".join(rng.sample(paragraphs, 3))


def blob(path: str, data: bytes) -> bytes:
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)


def schema_digest() -> str:
    """What the repository's schema/ copy depends on: a repository built with another schema
    fails `claims check` (schema-drift) and is built again."""
    digest = hashlib.sha1()
    for name, data in sorted(static_files().items()):
        digest.update(name.encode() + b"\0" + data)
    return digest.hexdigest()


def static_files() -> dict[str, bytes]:
    """The files a claims repository carries besides claims and sources."""
    files = {
        ".gitattributes": b"seeds/**/*.txt -text\nclaims/*.yaml text eol=lf\n",
        "README.md": b"# A synthetic claims repository, generated for benchmarks\n",
    }
    schema = Path(__file__).resolve().parent.parent / "tools" / "claimkit" / "schema"
    for name in ("claim.schema.json", "source.schema.json"):
        if (schema / name).is_file():
            files[f"schema/{name}"] = (schema / name).read_bytes()
    return files


def stream(claims: int, commits: int, seed: int, out, result: Generated) -> None:
    """Write the fast-import stream for the whole history to `out`."""
    rng = random.Random(f"claims-bench-{seed}")
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."
        for _ in range(200)
    ]
    states: list[ClaimState] = []
    stories: list[Story] = []
    # Claim i is introduced by article i * commits // claims, so every claim exists by the end.
    introduced_at = [i * commits // claims for i in range(claims)]
    next_claim = 0
    for index in range(commits):
        published, published_text, basis = published_on(index, rng)
        source_id = f"{index:06d}_{hashlib.sha256(f'{seed}/{index}'.encode()).hexdigest()[:16]}"
        chosen: list[ClaimState] = []
        while next_claim < claims and introduced_at[next_claim] <= index:
            story_number = next_claim // len(PROPERTIES)
            if story_number == len(stories):
                region = rng.choice(sorted(REGIONS))
                stories.append(
                    Story(
                        f"story-{story_number:04d}",
                        published + dt.timedelta(days=rng.randint(3, 30)),
                        region,
                        rng.choice(REGIONS[region]),
                        rng.choice(VENUES),
                        cast_of(rng),
                    )
                )
            story = stories[story_number]
            prop, kind = PROPERTIES[next_claim % len(PROPERTIES)]
            states.append(ClaimState(f"{story.name}-{prop}", story, prop, kind))
            chosen.append(states[-1])
            next_claim += 1
        for _ in range(rng.randint(1, 3) if states else 0):
            # Most follow-ups are about recent stories; some return to old ones.
            recent = states[-40:] if rng.random() < 0.7 else states
            pick = rng.choice(recent)
            if pick not in chosen:
                chosen.append(pick)
        title = f"Article {index}: " + " and ".join(s.story.name for s in chosen[:3])
        sentences, claim_blobs = [], []
        for state in chosen:
            if state.kind == "date":
                value, modality, sentence = date_value(state.story, published, rng)
            elif state.kind == "place":
                (value, sentence), modality = place_value(state.story, rng), "asserted"
            elif state.kind == "people":
                (value, sentence), modality = people_value(state.story, rng), "asserted"
            else:
                (value, sentence), modality = text_value(state.story, rng), "asserted"
            quote = sentence.rstrip(".")
            sentences.append(sentence)
            state.versions += 1
            text = claim_file(state, value, modality, source_id, quote).encode()
            claim_blobs.append(blob(f"claims/{state.claim_id}.yaml", text))
        dateline = published_text if basis == "Dateline." else "(no dateline)"
        article = (
            f"{title}\n\n{dateline}\n\n{' '.join(sentences)}\n\n{filler(rng, paragraphs)}\n"
        ).encode()
        meta = source_meta(
            source_id, title, OUTLETS[index % len(OUTLETS)], published_text, basis, article
        ).encode()
        folder = f"seeds/{published.year:04d}/{published.month:02d}"
        when = EPOCH + index * (86400 // ARTICLES_PER_DAY)
        message = f"Record {source_id}: {title}\n".encode()
        parts = [
            b"commit refs/heads/main\n",
            b"author %s %d +0000\n" % (IDENTITY.encode(), when),
            b"committer %s %d +0000\n" % (IDENTITY.encode(), when),
            b"data %d\n%s\n" % (len(message), message),
        ]
        if index == 0:
            parts += [blob(path, data) for path, data in static_files().items()]
        parts += [
            blob(f"{folder}/{source_id}.txt", article),
            blob(f"{folder}/{source_id}.yaml", meta),
        ]
        parts += claim_blobs
        out.write(b"".join(parts) + b"\n")
        result.versions += len(chosen)
        if index == 0:
            result.first_published = published.isoformat()
        if index == commits // 2:
            result.middle_published = published.isoformat()
        result.last_published = max(result.last_published, published.isoformat())
    out.write(b"done\n")
    result.versions_per_claim = {s.claim_id: s.versions for s in states}


def git(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(
        ["git", "-C", str(root), "-c", "core.hooksPath=/dev/null", *args],
        check=True,
        env=env,
        **kwargs,
    )


def generate(
    out: Path, claims: int, commits: int, seed: int = 1, commit_graph: bool = True
) -> Generated:
    """Build the repository at `out` (which must not exist yet); return what it holds."""
    if claims < 1 or commits < 1:
        raise ValueError("need at least one claim and one commit")
    if out.exists():
        raise FileExistsError(f"{out} already exists")
    out.mkdir(parents=True)
    git(out, "init", "-q", "-b", "main")
    git(out, "config", "core.autocrlf", "false")
    git(out, "config", "gc.auto", "0")
    result = Generated(claims, commits)
    importer = subprocess.Popen(
        ["git", "-C", str(out), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    try:
        stream(claims, commits, seed, importer.stdin, result)
    finally:
        importer.stdin.close()
        if importer.wait() != 0:
            raise RuntimeError("git fast-import failed")
    git(out, "reset", "-q", "--hard")
    if commit_graph:
        git(out, "commit-graph", "write", "--reachable", "--changed-paths")
    result.head = git(out, "rev-parse", "HEAD", capture_output=True, text=True).stdout.strip()
    manifest = {
        "generator": GENERATOR_VERSION,
        "schema": schema_digest(),
        "seed": seed,
        **{k: v for k, v in vars(result).items() if k != "versions_per_claim"},
        "busiest_claim": max(sorted(result.versions_per_claim), key=result.versions_per_claim.get),
        "versions_per_claim": result.versions_per_claim,
    }
    (out / ".git" / "bench-manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="where to create the repository (must not exist)")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-commit-graph",
        action="store_true",
        help="leave out the commit-graph and its Bloom filters",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = generate(args.out, args.claims, args.commits, args.seed, not args.no_commit_graph)
    print(
        f"{args.out}: {result.claims} claims, {result.commits} commits, {result.versions} "
        f"versions, HEAD {result.head[:12]}, in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
