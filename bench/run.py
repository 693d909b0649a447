"""`make bench`: claims against plain git on the same questions, at three sizes.

    python bench/run.py [--quick] [--update-doc docs/performance.md]

Builds (or reuses) repositories under build/bench/ with bench/generate.py: the shipped database
(a clone of this repository), 1,000 claims x 5,000 commits, 2,000 claims x 20,000 commits, and
10,000 claims x 2,000 commits for `claims check`. Every figure is the median wall time of
several runs (after one unmeasured run), with the peak resident memory of the largest process
the command ran, and the ratio to the plain-git way of answering the same question:

- `claims log ID` against `git log -p -- claims/ID.yaml`;
- `claims show ID --as-of DATE` against `git log -1 --until=DATE -- FILE` then `git show`;
- `claims list --as-of DATE` and `claims export --format json`, with no cache ("cold") and
  with it ("warm"), against `git log --raw -- claims/` piped through `git cat-file --batch`;
- `claims check` on 10,000 claim files;
- `claims --help` against `python -c pass`.

It also shows what the commit-graph's Bloom filters do for `git log` and `claims log`, and how
`claims log` grows from 5,000 to 20,000 commits next to git's own. The report is Markdown on
stdout; --update-doc writes it into the marked section of a document.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import GENERATOR_VERSION, generate  # noqa: E402

OUT = PROJECT / "build" / "bench"
BIN = Path(sys.executable).parent
CLAIMS = str(BIN / "claims")
SIZES = {  # name: (claims, commits)
    "medium": (1000, 5000),
    "large": (2000, 20000),
    "check": (10000, 2000),
}
QUICK_SIZES = {"medium": (200, 500), "large": (400, 2000), "check": (1000, 200)}
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


@dataclass
class Timing:
    seconds: float  # median wall time
    runs: int
    peak_mb: float

    def __str__(self) -> str:
        return fmt_seconds(self.seconds)


def fmt_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def environment() -> dict[str, str]:
    """What every measured command runs with: no pager, no user or system git configuration."""
    home = OUT / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "GIT_CONFIG_NOSYSTEM": "1", "PAGER": "cat", "GIT_PAGER": "cat", "LC_ALL": "C"}  # fmt: skip
    env.pop("CLAIMS_CACHE", None)
    env.pop("CLAIMS_AUTO_MAINTENANCE", None)
    return env


def run_once(argv: list[str] | str, cwd: Path, env: dict) -> tuple[float, int]:
    """Wall seconds and peak memory (KB, the largest process) of one run; output discarded."""
    shell = isinstance(argv, str)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, shell=shell, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{argv} failed ({process.returncode}): {stderr.strip()[-300:]}")
    return seconds, usage.ru_maxrss


def measure(argv, cwd: Path, env: dict, before=None, repeats: int | None = None) -> Timing:
    """Median of several runs after one unmeasured run; `before()` runs (untimed) before each."""
    if before:
        before()
    first, _ = run_once(argv, cwd, env)
    if repeats is None:
        repeats = 7 if first < 0.3 else 5 if first < 1.5 else 3
    times, peaks = [], []
    for _ in range(repeats):
        if before:
            before()
        seconds, peak = run_once(argv, cwd, env)
        times.append(seconds)
        peaks.append(peak)
    return Timing(statistics.median(times), repeats, max(peaks) / 1024)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
        env=environment(),
    ).stdout  # fmt: skip


# Repositories ---------------------------------------------------------------------------------


def generated(name: str, claims: int, commits: int) -> Path:
    """The repository for one size: reused when it was built by this generator with these sizes."""
    repo = OUT / name
    manifest = repo / ".git" / "bench-manifest.json"
    if manifest.is_file():
        found = json.loads(manifest.read_text())
        if (found.get("generator"), found.get("claims"), found.get("commits")) == (
            GENERATOR_VERSION, claims, commits,
        ):  # fmt: skip
            print(f"reusing {repo} ({claims} claims, {commits} commits)", file=sys.stderr)
            return repo
        shutil.rmtree(repo)
    started = time.perf_counter()
    generate(repo, claims, commits)
    print(f"built {repo}: {claims} claims x {commits} commits in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)  # fmt: skip
    return repo


def shipped() -> Path | None:
    """A clone of this repository at HEAD, with a commit-graph like the others'."""
    repo = OUT / "shipped"
    head = git(PROJECT, "rev-parse", "HEAD").strip()
    if repo.is_dir() and git(repo, "rev-parse", "HEAD").strip() == head:
        return repo
    if repo.exists():
        shutil.rmtree(repo)
    git(PROJECT, "clone", "--quiet", "--no-hardlinks", str(PROJECT), str(repo))
    git(repo, "commit-graph", "write", "--reachable", "--changed-paths")
    if not list((repo / "claims").glob("*.yaml")):
        return None
    return repo


def busiest_claim(repo: Path) -> tuple[str, int]:
    """The claim with the most versions, and how many it has."""
    manifest = repo / ".git" / "bench-manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text())
        return data["busiest_claim"], data["versions_per_claim"][data["busiest_claim"]]
    counts: dict[str, int] = {}
    for line in git(repo, "log", "--format=", "--name-only", "--", "claims/").splitlines():
        if line.endswith(".yaml"):
            counts[Path(line).stem] = counts.get(Path(line).stem, 0) + 1
    claim = max(sorted(counts), key=counts.get)
    return claim, counts[claim]


def middle_date(repo: Path) -> str:
    """A day halfway through the story: the median publication date of the sources."""
    days = sorted(
        match.group(1)
        for meta in (repo / "seeds").rglob("*.yaml")
        if (match := re.search(r"^published: *'?\"?([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)", meta.read_text(), re.M))
    )  # fmt: skip
    return days[len(days) // 2] if days else "2025-08-20"


def has_export(env: dict) -> bool:
    out = subprocess.run([CLAIMS, "--help"], capture_output=True, text=True, env=env).stdout
    return re.search(r"^\s+export\s", out, re.M) is not None


# Measurements ---------------------------------------------------------------------------------


def clear_cache(repo: Path):
    return lambda: shutil.rmtree(repo / ".git" / "claims-cache", ignore_errors=True)


def raw_pass(repo: Path) -> str:
    return ("git log --raw --no-abbrev --no-renames --no-merges --format= -- claims/ "
            "| cut -d' ' -f4 | git cat-file --batch > /dev/null")  # fmt: skip


def show_baseline(repo: Path, path: str, day: str) -> list[str]:
    # Two processes, as a person would type them: the commit, then the file at that commit.
    script = (f'c=$(git log -1 --format=%H --until="{day} 23:59:59" -- {path}) && '
              f'git show "$c:{path}" > /dev/null')  # fmt: skip
    return ["sh", "-c", script]


def measure_repo(name: str, repo: Path, env: dict, export: bool) -> dict:
    claim, versions = busiest_claim(repo)
    path = f"claims/{claim}.yaml"
    day = middle_date(repo)
    commits = int(git(repo, "rev-list", "--count", "HEAD"))
    print(f"measuring {name}: {commits} commits, claim {claim} ({versions} versions), "
          f"as of {day}", file=sys.stderr)  # fmt: skip
    rows = {}
    rows["log"] = (measure([CLAIMS, "log", claim], repo, env),
                   measure(["git", "log", "-p", "--", path], repo, env))  # fmt: skip
    rows["show"] = (measure([CLAIMS, "show", claim, "--as-of", day], repo, env),
                    measure(show_baseline(repo, path, day), repo, env))  # fmt: skip
    raw = measure(raw_pass(repo), repo, env)
    listing = [CLAIMS, "list", "--as-of", day]
    rows["list cold"] = (measure(listing, repo, env, before=clear_cache(repo)), raw)
    rows["list warm"] = (measure(listing, repo, env), raw)
    if export:
        exporting = [CLAIMS, "export", "--format", "json"]
        rows["export cold"] = (measure(exporting, repo, env, before=clear_cache(repo)), raw)
        rows["export warm"] = (measure(exporting, repo, env), raw)
    return {"name": name, "commits": commits, "claim": claim, "versions": versions, "day": day,
            "rows": rows}  # fmt: skip


def without_graph(repo: Path, env: dict, claim: str) -> dict:
    """claims log and git log -p with the commit-graph moved aside, then put back."""
    info = repo / ".git" / "objects" / "info"
    aside = repo / ".git" / "graph-aside"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir()
    for name in ("commit-graph", "commit-graphs"):
        if (info / name).exists():
            shutil.move(str(info / name), str(aside / name))
    quiet = {**env, "CLAIMS_AUTO_MAINTENANCE": "0"}
    try:
        return {
            "claims log": measure([CLAIMS, "log", claim], repo, quiet),
            "git log -p": measure(["git", "log", "-p", "--", f"claims/{claim}.yaml"], repo, quiet),
        }
    finally:
        for item in aside.iterdir():
            shutil.move(str(item), str(info / item.name))
        aside.rmdir()


def ratio(mine: Timing, theirs: Timing) -> str:
    return f"{mine.seconds / theirs.seconds:.2f}x"


# The report -----------------------------------------------------------------------------------


def machine() -> list[str]:
    def first(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                   .splitlines() if line.startswith("model name"))  # fmt: skip
    except (OSError, StopIteration):
        cpu = platform.processor() or "?"
    memory = first(["free", "-h"]).splitlines()
    mem = next((line.split()[1] for line in memory if line.startswith("Mem:")), "?")
    return [
        f"- CPU: {cpu}; `nproc`: {os.cpu_count()}",
        f"- memory (`free -h`): {mem} total",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"{first(['git', '--version'])}",
        f"- load average when the run started: {os.getloadavg()[0]:.2f} "
        "(the machine is shared: figures are medians, and ratios matter more than times)",
    ]


def report(results: list[dict], extra: dict) -> str:
    lines = ["## Results", "", *machine(), ""]
    lines += ["| repository | question | claims | plain git | ratio | claims peak memory |",
              "| --- | --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    labels = {
        "log": ("`claims log ID`", "`git log -p -- FILE`"),
        "show": ("`claims show ID --as-of DATE`", "`git log -1` + `git show`"),
        "list cold": ("`claims list --as-of DATE`, no cache", "`git log --raw` + `cat-file`"),
        "list warm": ("`claims list --as-of DATE`, cache", "`git log --raw` + `cat-file`"),
        "export cold": ("`claims export --format json`, no cache", "`git log --raw` + `cat-file`"),
        "export warm": ("`claims export --format json`, cache", "`git log --raw` + `cat-file`"),
    }
    for result in results:
        where = f"{result['name']} ({result['commits']} commits)"
        for key, (mine, theirs) in result["rows"].items():
            question = labels[key][0]
            lines.append(f"| {where} | {question} | {mine} | {theirs} | {ratio(mine, theirs)} | "
                         f"{mine.peak_mb:.0f} MB |")  # fmt: skip
        if not extra["export"]:
            lines.append(f"| {where} | `claims export --format json` | n/a | | | |")
    lines.append("")
    claims = ", ".join(f"{r['name']}: {r['claim']}, {r['versions']} versions" for r in results)
    days = ", ".join(f"{r['name']}: {r['day']}" for r in results)
    lines.append(f"ID: the claim with the most versions ({claims}). "
                 f"DATE: the median publication date of the sources ({days}).")  # fmt: skip
    check = extra.get("check")
    if check:
        timing, files = check
        lines += ["", "| check | files | time | per file | peak memory |", "| --- | ---: | ---: | ---: | ---: |",
                  f"| `claims check claims` | {files} | {timing} | {timing.seconds / files * 1e6:.0f} µs | {timing.peak_mb:.0f} MB |"]  # fmt: skip
    start = extra["startup"]
    lines += ["", "| start-up | time | ratio |", "| --- | ---: | ---: |",
              f"| `claims --help` | {start[0]} | {ratio(start[0], start[1])} |",
              f"| `python -c pass` | {start[1]} | |"]  # fmt: skip
    bloom = extra.get("bloom")
    if bloom:
        name, off, on = bloom
        lines += ["", f"Changed-path Bloom filters ({name}):", "",
                  "| command | without commit-graph | with | speed-up |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
        for key, mine in (("claims log", on[0]), ("git log -p", on[1])):
            lines.append(
                f"| `{key}` | {off[key]} | {mine} | {off[key].seconds / mine.seconds:.1f}x |"
            )
    growth = extra.get("growth")
    if growth:
        small, big = growth
        mine = big["rows"]["log"][0].seconds / small["rows"]["log"][0].seconds
        theirs = big["rows"]["log"][1].seconds / small["rows"]["log"][1].seconds
        lines += ["", f"Growth of `claims log` from {small['commits']} to {big['commits']} commits: "
                  f"x{mine:.2f} (plain `git log -p`: x{theirs:.2f})."]  # fmt: skip
    lines.append(f"\nThe whole run, building included, took {extra['seconds']:.0f} s.")
    return "\n".join(lines) + "\n"


def update_doc(doc: Path, text: str) -> None:
    content = doc.read_text() if doc.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in content or END not in content:
        content += f"\n{BEGIN}\n{END}\n"
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the harness")
    parser.add_argument("--update-doc", type=Path, help="write the report into this document")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sizes = QUICK_SIZES if args.quick else SIZES
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment()
    export = has_export(env)
    repos = [("shipped", shipped())] + [
        (name, generated(name if not args.quick else f"quick-{name}", *sizes[name]))
        for name in ("medium", "large")
    ]
    results = [measure_repo(name, repo, env, export) for name, repo in repos if repo is not None]
    extra: dict = {"export": export}
    check_repo = generated("check" if not args.quick else "quick-check", *sizes["check"])
    files = len(list((check_repo / "claims").glob("*.yaml")))
    print(f"measuring check on {files} claim files", file=sys.stderr)
    extra["check"] = (measure([CLAIMS, "check", "claims"], check_repo, env), files)
    with tempfile.TemporaryDirectory() as empty:
        extra["startup"] = (measure([CLAIMS, "--help"], Path(empty), env, repeats=11),
                            measure([sys.executable, "-c", "pass"], Path(empty), env, repeats=11))  # fmt: skip
    large = next(r for r in results if r["name"] == "large")
    print("measuring without the commit-graph", file=sys.stderr)
    extra["bloom"] = ("large", without_graph(OUT / ("quick-large" if args.quick else "large"), env,
                                             large["claim"]), large["rows"]["log"])  # fmt: skip
    extra["growth"] = (next(r for r in results if r["name"] == "medium"), large)
    extra["seconds"] = time.perf_counter() - started
    text = report(results, extra)
    print(text)
    if args.update_doc:
        update_doc(args.update_doc, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
