"""`make bench`: claims against plain git on the same questions, at three sizes.

    python bench/run.py [--quick | --large | --size CLAIMSxCOMMITS ...] [--update-doc FILE]

Builds (or reuses) repositories under build/bench/ with bench/generate.py: 2,000 claims with
5,000, 20,000 and 80,000 commits (`--large`: 20,000 claims x 100,000 commits; `--quick`: small
sizes to try the harness), and 10,000 claims x 2,000 commits for `claims check`. Every figure is
the median wall time of several runs after one unmeasured run, with the peak resident memory of
the largest process the command ran, and its ratio to the plain-git way of answering the same
question:

- `claims log ID`, `show ID --as-of DATE` and `blame ID` against `git log -p -- claims/ID.yaml`;
- `claims diff REV HEAD` against `git diff REV HEAD -- claims/`;
- `claims list --as-of DATE`, `export` (json, csv, sqlite) and `timeline` against one raw pass:
  `git log --raw -- claims/` piped through `git cat-file --batch`;
- `claims check --changed BASE` against `git diff --name-only BASE` and `cat` of those files;
- `claims check claims` on 10,000 claim files against `cat` of the same files;
- `claims --help` against `python -c pass`.

Commands that read a repository run "cold" (the cache under .git/claims-cache/ deleted before
each run) and "warm" (the cache left from the run before, HEAD unchanged). Then: how time and
peak memory grow from the smallest size to the largest, next to git's own growth; `claims log`
in a blobless partial clone against a full clone, and whether every command works there; what
the commit-graph's Bloom filters do; and which targets are met. The report is Markdown on
stdout; --update-doc writes it into the marked section of a document, --json keeps the raw
figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import GENERATOR_VERSION, generate, schema_digest  # noqa: E402

OUT = PROJECT / "build" / "bench"
BIN = Path(sys.executable).parent
CLAIMS = str(BIN / "claims")
SIZES = [(2000, 5000), (2000, 20000), (2000, 80000)]  # (claims, commits)
QUICK_SIZES = [(200, 500), (200, 1000), (200, 4000)]
LARGE_SIZES = [(20000, 100000)]
CHECK_SIZE, QUICK_CHECK_SIZE = (10000, 2000), (1000, 200)
DIFF_DISTANCE = 1000  # `claims diff HEAD~N HEAD`: the same question at every size
CHANGED_DISTANCES = (10, 100)  # `claims check --changed HEAD~N`
SLOW = 5.0  # a run this long is measured twice, both runs counted
VERY_SLOW = 15.0  # a run this long is measured once: it is the one measurement
BLOBLESS_TIMEOUT = 60.0  # a command in a blobless clone that takes longer is stopped
MAX_REPEATS = 7
RUN_TIMEOUT = 600.0  # one run of one command longer than this is stopped and reported
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"

# Targets -----------------------------------------------------------------------------------------
SINGLE_COLD, SINGLE_WARM = 1.3, 1.0
DIFF_RATIO = 2.0
HELP_OVER_PYTHON = 0.030
WHOLE_COLD, WHOLE_WARM = 1.5, 0.5
MEMORY_GROWTH = 1.5
CHECK_SECONDS = 1.0


@dataclass
class Timing:
    seconds: float  # median wall time
    runs: int
    peak_mb: float  # the largest process's peak resident memory, over all runs
    error: str = ""

    def __str__(self) -> str:
        return f"failed: {self.error}" if self.error else fmt_seconds(self.seconds)


def fmt_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def environment() -> dict[str, str]:
    """What every measured command runs with: no pager, no user or system git configuration."""
    home = OUT / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "GIT_CONFIG_NOSYSTEM": "1", "PAGER": "cat", "GIT_PAGER": "cat", "LC_ALL": "C",
           "GIT_TERMINAL_PROMPT": "0"}  # fmt: skip
    # PYTHONDONTWRITEBYTECODE would make every run compile every module again (100 ms and
    # more): an installed claims has its bytecode.
    for name in ("CLAIMS_CACHE", "CLAIMS_AUTO_MAINTENANCE", "CLAIMS_DEBUG", "GIT_DIR",
                 "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"):  # fmt: skip
        env.pop(name, None)
    return env


class Failed(Exception):
    pass


def run_once(argv: list[str] | str, cwd: Path, env: dict, timeout: float | None = None):
    """Wall seconds and peak memory (KB, the largest process) of one run; output discarded.
    A run longer than `timeout` (default RUN_TIMEOUT) is stopped and reported as such."""
    import threading

    timeout = RUN_TIMEOUT if timeout is None else timeout
    shell = isinstance(argv, str)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, shell=shell, stdout=subprocess.DEVNULL, stderr=errors,
            start_new_session=True,
        )  # fmt: skip
        stopped = []

        def stop() -> None:
            stopped.append(True)
            try:
                os.killpg(process.pid, 9)
            except OSError:
                pass

        timer = threading.Timer(timeout, stop)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds, peak = time.perf_counter() - started, usage.ru_maxrss
        process.returncode = os.waitstatus_to_exitcode(status)
        if stopped:
            raise Failed(f"not done in {timeout:.0f} s")
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if process.returncode not in (0, 1):
        words = argv if shell else " ".join(argv)
        print(f"FAILED ({process.returncode}): {words}\n{stderr.strip()[-600:]}", file=sys.stderr)
        last = stderr.strip().splitlines()[-1:] or ["no message"]
        raise Failed(f"exit {process.returncode}: {last[0][:160]}")
    return seconds, peak


def measure(
    argv, cwd: Path, env: dict, before: Callable | None = None, repeats: int | None = None
) -> Timing:
    """Median of several runs after one unmeasured run; `before()` runs (untimed) before each.

    A first run of SLOW seconds or more is counted, and one more is made: two runs in all; one
    of VERY_SLOW seconds or more is the only run (the largest size must fit in a sitting)."""
    try:
        if before:
            before()
        first, first_peak = run_once(argv, cwd, env)
        if repeats is None:
            repeats = 7 if first < 0.3 else 5 if first < 1.5 else 3 if first < SLOW else 1
            repeats = min(repeats, MAX_REPEATS)
            if first >= VERY_SLOW:
                repeats = 0
        times, peaks = ([first], [first_peak]) if first >= SLOW and repeats <= 1 else ([], [])
        for _ in range(repeats):
            if before:
                before()
            seconds, peak = run_once(argv, cwd, env)
            times.append(seconds)
            peaks.append(peak)
    except Failed as err:
        return Timing(0.0, 0, 0.0, str(err))
    return Timing(statistics.median(times), len(times), max(peaks) / 1024)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
        env=environment(),
    ).stdout  # fmt: skip


def claims_help(*words: str) -> str:
    return subprocess.run([CLAIMS, *words, "--help"], capture_output=True, text=True,
                          env=environment()).stdout  # fmt: skip


# Repositories ------------------------------------------------------------------------------------


def generated(claims: int, commits: int) -> tuple[Path, dict, float | None]:
    """The repository for one size, its manifest, and how long it took to build (None: reused)."""
    repo = OUT / f"c{claims}-n{commits}"
    manifest = repo / ".git" / "bench-manifest.json"
    if manifest.is_file():
        found = json.loads(manifest.read_text())
        if (found.get("generator"), found.get("claims"), found.get("commits"),
                found.get("schema")) == (GENERATOR_VERSION, claims, commits, schema_digest()):  # fmt: skip
            print(f"reusing {repo}", file=sys.stderr)
            return repo, found, None
    if repo.exists():
        shutil.rmtree(repo)
    started = time.perf_counter()
    generate(repo, claims, commits)
    built = time.perf_counter() - started
    print(f"built {repo} in {built:.1f} s", file=sys.stderr)
    return repo, json.loads(manifest.read_text()), built


def clear_cache(repo: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(repo / ".git" / "claims-cache", ignore_errors=True)


# Questions ---------------------------------------------------------------------------------------

RAW_PASS = ("git log --raw --no-abbrev --no-renames --no-merges --format= -- claims/ "
            "| cut -d' ' -f4 | git cat-file --batch > /dev/null")  # fmt: skip


def changed_files(base: str) -> str:
    return (f"git diff --name-only {base} -- claims/ seeds/ | xargs -r cat > /dev/null")  # fmt: skip


@dataclass
class Question:
    key: str
    label: str  # Markdown
    argv: Callable[[dict], list[str]]
    baseline: str  # a key of BASELINES
    group: str  # single, diff, whole, changed: which target applies


BASELINES: dict[str, tuple[str, Callable[[dict], list[str] | str]]] = {
    "git log -p": ("`git log -p -- FILE`", lambda q: ["git", "log", "-p", "--", q["path"]]),
    "git diff": (
        "`git diff REV HEAD -- claims/`",
        lambda q: ["git", "diff", q["rev"], "HEAD", "--", "claims/"],
    ),  # fmt: skip
    "raw pass": ("`git log --raw -- claims/` + `cat-file --batch`", lambda q: RAW_PASS),
    "changed": ("`git diff --name-only BASE` + `cat`", lambda q: changed_files(q["base"])),
}

QUESTIONS = [
    Question("log", "`claims log ID`", lambda q: [CLAIMS, "log", q["claim"]], "git log -p", "single"),
    Question("show", "`claims show ID --as-of DATE`",
             lambda q: [CLAIMS, "show", q["claim"], "--as-of", q["day"]], "git log -p", "single"),
    Question("blame", "`claims blame ID`", lambda q: [CLAIMS, "blame", q["claim"]], "git log -p", "single"),
    Question("diff", "`claims diff REV HEAD`", lambda q: [CLAIMS, "diff", q["rev"], "HEAD"], "git diff", "diff"),
    Question("list", "`claims list --as-of DATE`",
             lambda q: [CLAIMS, "list", "--as-of", q["day"]], "raw pass", "whole"),
    Question("export json", "`claims export --format json`",
             lambda q: [CLAIMS, "export", "--format", "json"], "raw pass", "whole"),
    Question("export csv", "`claims export --format csv`",
             lambda q: [CLAIMS, "export", "--format", "csv"], "raw pass", "whole"),
    Question("export sqlite", "`claims export --format sqlite`",
             lambda q: [CLAIMS, "export", "--format", "sqlite", "--output", q["sqlite"]], "raw pass", "whole"),
    Question("timeline", "`claims timeline`", lambda q: [CLAIMS, "timeline"], "raw pass", "whole"),
    Question("check changed", "`claims check --changed BASE`",
             lambda q: [CLAIMS, "check", "--changed", q["base"]], "changed", "changed"),
]  # fmt: skip


def available(question: Question) -> str:
    """Why a question cannot be asked of this claims (an empty string when it can)."""
    if question.key == "check changed" and "--changed" not in claims_help("check"):
        return "not available: `claims check` has no --changed option"
    if question.key.startswith("export") and "--format" not in claims_help("export"):
        return "not available: no `claims export`"
    return ""


def context(repo: Path, manifest: dict) -> dict:
    commits = int(git(repo, "rev-list", "--count", "HEAD"))
    claim = manifest["busiest_claim"]
    return {
        "commits": commits,
        "claims": manifest["claims"],
        "claim": claim,
        "versions": manifest["versions_per_claim"][claim],
        "total_versions": manifest["versions"],
        "path": f"claims/{claim}.yaml",
        "day": manifest.get("middle_published") or manifest["last_published"],
        "rev": f"HEAD~{min(DIFF_DISTANCE, commits // 2)}",
        "base": f"HEAD~{min(CHANGED_DISTANCES[0], commits - 1)}",
        "sqlite": str(OUT / "export.sqlite"),
    }


def measure_size(repo: Path, manifest: dict, env: dict, skipped: dict[str, str]) -> dict:
    q = context(repo, manifest)
    print(f"measuring {repo.name}: claim {q['claim']} ({q['versions']} versions), as of "
          f"{q['day']}, diff {q['rev']}", file=sys.stderr)  # fmt: skip
    baselines: dict[str, Timing] = {}
    rows: dict[str, dict] = {}
    for question in QUESTIONS:
        if question.key in skipped:
            continue
        if question.baseline not in baselines:
            baselines[question.baseline] = measure(BASELINES[question.baseline][1](q), repo, env)
        argv = question.argv(q)
        print(f"  {' '.join(argv[1:])}", file=sys.stderr)
        cold = measure(argv, repo, env, before=clear_cache(repo))
        warm = measure(argv, repo, env)
        rows[question.key] = {"cold": cold, "warm": warm}
    return {"context": q, "baselines": baselines, "rows": rows}


def measure_check(repo: Path, env: dict, changed: bool) -> dict:
    """`claims check claims` on every claim file, and --changed against two bases."""
    files = len(list((repo / "claims").glob("*.yaml")))
    print(f"measuring check on {files} claim files", file=sys.stderr)
    result = {"files": files, "baseline": measure("cat claims/*.yaml > /dev/null", repo, env),
              "cold": measure([CLAIMS, "check", "claims"], repo, env, before=clear_cache(repo)),
              "warm": measure([CLAIMS, "check", "claims"], repo, env), "changed": []}  # fmt: skip
    if changed:
        for distance in CHANGED_DISTANCES:
            base = f"HEAD~{distance}"
            touched = len(git(repo, "diff", "--name-only", base, "--", "claims/", "seeds/").split())
            result["changed"].append({
                "base": base, "files": touched,
                "timing": measure([CLAIMS, "check", "--changed", base], repo, env),
                "baseline": measure(changed_files(base), repo, env),
            })  # fmt: skip
    return result


def measure_startup(env: dict) -> tuple[Timing, Timing]:
    with tempfile.TemporaryDirectory() as empty:
        return (measure([CLAIMS, "--help"], Path(empty), env, repeats=11),
                measure([sys.executable, "-c", "pass"], Path(empty), env, repeats=11))  # fmt: skip


def without_graph(repo: Path, env: dict, q: dict) -> dict:
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
            "claims log": measure([CLAIMS, "log", q["claim"]], repo, quiet),
            "git log -p": measure(["git", "log", "-p", "--", q["path"]], repo, quiet),
        }
    finally:
        for item in aside.iterdir():
            shutil.move(str(item), str(info / item.name))
        aside.rmdir()


def blobless_clone(source: Path, into: Path) -> float:
    """A fresh `--filter=blob:none` clone of `source` over file://; the seconds it took."""
    shutil.rmtree(into, ignore_errors=True)
    git(source, "config", "uploadpack.allowFilter", "true")
    started = time.perf_counter()
    git(OUT, "clone", "--quiet", "--filter=blob:none", f"file://{source}", str(into))
    return time.perf_counter() - started


def measure_blobless(source: Path, q: dict, env: dict) -> dict:
    """`claims log` and `git log -p` in a blobless clone: first (fetching blobs), then again."""
    into = OUT / "blobless"
    print(f"measuring log in a blobless clone of {source.name}", file=sys.stderr)
    result: dict = {"source": source.name}
    for name, argv in (("claims log", [CLAIMS, "log", q["claim"]]),
                       ("git log -p", ["git", "log", "-p", "--", q["path"]])):  # fmt: skip
        firsts = []
        clone = 0.0
        for _ in range(2):
            clone = blobless_clone(source, into)
            try:
                firsts.append(run_once(argv, into, env, timeout=BLOBLESS_TIMEOUT)[0])
            except Failed as err:
                firsts.append(None)
                result.setdefault("errors", []).append(f"{name}: {err}")
        done = [s for s in firsts if s is not None]
        result[name] = {
            "clone": clone,
            "first": statistics.median(done) if done else None,
            "again": measure(argv, into, env) if done else None,
        }
    shutil.rmtree(into, ignore_errors=True)
    return result


def survey_blobless(source: Path, q: dict, env: dict, skipped: dict[str, str]) -> list[tuple]:
    """Every question once, each in a fresh blobless clone: (label, seconds or None, error)."""
    into = OUT / "blobless"
    print(f"running every command in blobless clones of {source.name}", file=sys.stderr)
    found = []
    for question in QUESTIONS:
        if question.key in skipped:
            continue
        blobless_clone(source, into)
        try:
            seconds, _ = run_once(question.argv(q), into, env, timeout=BLOBLESS_TIMEOUT)
            found.append((question.label, seconds, ""))
        except Failed as err:
            found.append((question.label, None, str(err)))
    shutil.rmtree(into, ignore_errors=True)
    return found


# The report --------------------------------------------------------------------------------------


def ratio(mine: Timing | None, theirs: Timing | None) -> float | None:
    if not mine or not theirs or mine.error or theirs.error or not theirs.seconds:
        return None
    return mine.seconds / theirs.seconds


def fmt_ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def machine() -> list[str]:
    def first(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

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
        f"- load average when the run started: {LOAD_AT_START:.2f} "
        "(the machine may be shared: figures are medians, and ratios matter more than times)",
    ]


LOAD_AT_START = os.getloadavg()[0]


def size_name(result: dict) -> str:
    q = result["context"]
    return f"{q['commits']:,} commits"


def main_table(results: list[dict], skipped: dict[str, str]) -> list[str]:
    lines = ["| question | baseline | size | baseline | cold | cold ratio | warm | warm ratio "
             "| peak memory cold / warm | baseline memory |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for question in QUESTIONS:
        base_label = BASELINES[question.baseline][0]
        if question.key in skipped:
            lines.append(f"| {question.label} | {base_label} | all | {skipped[question.key]} "
                         "| | | | | | |")  # fmt: skip
            continue
        for result in results:
            row = result["rows"][question.key]
            base = result["baselines"][question.baseline]
            cold, warm = row["cold"], row["warm"]
            lines.append(
                f"| {question.label} | {base_label} | {size_name(result)} | {base} | {cold} "
                f"| {fmt_ratio(ratio(cold, base))} | {warm} | {fmt_ratio(ratio(warm, base))} "
                f"| {cold.peak_mb:.0f} / {warm.peak_mb:.0f} MB | {base.peak_mb:.0f} MB |"
            )
    return lines


def growth(results: list[dict]) -> dict[str, dict]:
    """Per question, from the smallest size to the largest: time and memory growth, git's too."""
    small, big = results[0], results[-1]
    found = {}
    for question in QUESTIONS:
        if question.key not in small["rows"]:
            continue
        mine_s, mine_b = small["rows"][question.key], big["rows"][question.key]
        base_s, base_b = small["baselines"][question.baseline], big["baselines"][question.baseline]

        def grew(a: Timing, b: Timing, field: str) -> float | None:
            if a.error or b.error or not getattr(a, field):
                return None
            return getattr(b, field) / getattr(a, field)

        found[question.key] = {
            "cold": grew(mine_s["cold"], mine_b["cold"], "seconds"),
            "warm": grew(mine_s["warm"], mine_b["warm"], "seconds"),
            "git": grew(base_s, base_b, "seconds"),
            "memory cold": grew(mine_s["cold"], mine_b["cold"], "peak_mb"),
            "memory warm": grew(mine_s["warm"], mine_b["warm"], "peak_mb"),
            "git memory": grew(base_s, base_b, "peak_mb"),
        }
    return found


def growth_tables(results: list[dict]) -> list[str]:
    if len(results) < 2:
        return []
    small, big = size_name(results[0]), size_name(results[-1])
    grown = growth(results)
    sizes = " | ".join(size_name(r) for r in results)
    lines = ["", f"### Time growth from {small} to {big}", "",
             "| question | claims cold | claims warm | its baseline |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
    for question in QUESTIONS:
        if question.key in grown:
            g = grown[question.key]
            lines.append(f"| {question.label} | {fmt_growth(g['cold'])} | {fmt_growth(g['warm'])} "
                         f"| {fmt_growth(g['git'])} |")  # fmt: skip
    lines += ["", f"### Peak memory at each size (cold / warm), and its growth from {small} to {big}", "",
              f"| question | {sizes} | growth cold / warm | baseline memory, growth |",
              "| --- |" + " ---: |" * (len(results) + 2)]  # fmt: skip
    for question in QUESTIONS:
        if question.key not in grown:
            continue
        g = grown[question.key]
        cells = " | ".join(
            f"{r['rows'][question.key]['cold'].peak_mb:.0f} / {r['rows'][question.key]['warm'].peak_mb:.0f} MB"
            for r in results
        )
        base = " → ".join(
            f"{r['baselines'][question.baseline].peak_mb:.0f}" for r in (results[0], results[-1])
        )
        lines.append(f"| {question.label} | {cells} | {fmt_growth(g['memory cold'])} / "
                     f"{fmt_growth(g['memory warm'])} | {base} MB, {fmt_growth(g['git memory'])} |")  # fmt: skip
    return lines


def fmt_growth(value: float | None) -> str:
    return "" if value is None else f"x{value:.2f}"


def targets(results: list[dict], extra: dict, skipped: dict[str, str]) -> list[str]:
    """Each target against the measured figures: the worst case over the sizes decides."""
    rows = []

    def worst(keys: list[str], which: str) -> tuple[float | None, str]:
        found = []
        for result in results:
            for key in keys:
                if key in result["rows"]:
                    base = result["baselines"][next(q.baseline for q in QUESTIONS if q.key == key)]
                    value = ratio(result["rows"][key][which], base)
                    if value is not None:
                        found.append((value, f"{key} at {size_name(result)}"))
        if not found:
            return None, "not measured"
        value, where = max(found)
        return value, where

    def add(target: str, value: float | None, limit: float, where: str, unit: str = "x") -> None:
        if value is None:
            rows.append(f"| {target} | {where} | not measured |")
            return
        shown = f"{value:.2f}{unit}" if unit == "x" else f"{value * 1000:.0f} ms"
        rows.append(f"| {target} | {shown} ({where}) | {'yes' if value <= limit else 'no'} |")

    single = ["log", "show", "blame"]
    add(
        f"`log`, `show --as-of`, `blame` cold ≤ {SINGLE_COLD}x `git log -p`",
        *worst(single, "cold")[:1],
        SINGLE_COLD,
        worst(single, "cold")[1],
    )
    add(
        f"`log`, `show --as-of`, `blame` warm ≤ {SINGLE_WARM}x `git log -p`",
        *worst(single, "warm")[:1],
        SINGLE_WARM,
        worst(single, "warm")[1],
    )
    for which in ("cold", "warm"):
        value, where = worst(["diff"], which)
        add(f"`diff REV REV` {which} ≤ {DIFF_RATIO}x `git diff`", value, DIFF_RATIO, where)
    whole = ["list", "export json", "export csv", "export sqlite", "timeline"]
    add(
        f"`list --as-of`, `export`, `timeline` cold ≤ {WHOLE_COLD}x the raw pass",
        *worst(whole, "cold")[:1],
        WHOLE_COLD,
        worst(whole, "cold")[1],
    )
    add(
        f"`list --as-of`, `export`, `timeline` warm < {WHOLE_WARM}x the raw pass",
        *worst(whole, "warm")[:1],
        WHOLE_WARM,
        worst(whole, "warm")[1],
    )
    start = extra["startup"]
    over = None if start[0].error else start[0].seconds - start[1].seconds
    add(
        f"`claims --help` ≤ {HELP_OVER_PYTHON * 1000:.0f} ms above `python -c pass`",
        over,
        HELP_OVER_PYTHON,
        "above Python's start",
        unit="s",
    )
    check = extra.get("check")
    if check:
        add(
            f"`check` on {check['files']:,} files ≤ {CHECK_SECONDS:.0f} s warm",
            None if check["warm"].error else check["warm"].seconds,
            CHECK_SECONDS,
            "warm",
            unit="s",
        )
    if len(results) > 1:
        grown = growth(results)
        streamed = [
            k for k in ("export json", "export csv", "export sqlite", "timeline") if k in grown
        ]
        memory = [
            (max(v for v in (grown[k]["memory cold"], grown[k]["memory warm"]) if v is not None), k)
            for k in streamed
        ]
        if memory:
            value, key = max(memory)
            add(
                f"export and timeline peak memory flat (≤ {MEMORY_GROWTH}x from {size_name(results[0])} to {size_name(results[-1])})",
                value,
                MEMORY_GROWTH,
                f"{key}, the most",
            )
        faster = [(key, which, g[which] / g["git"]) for key, g in grown.items() for which in ("cold", "warm")
                  if g[which] is not None and g["git"]]  # fmt: skip
        if faster:
            over_git = [
                f"{key} {which} x{excess:.2f} of git's"
                for key, which, excess in faster
                if excess > 1.0
            ]
            rows.append(f"| every command grows no faster than its git baseline | "
                        f"{'; '.join(over_git) if over_git else 'all within'} | {'no' if over_git else 'yes'} |")  # fmt: skip
        if "check changed" in grown:
            value = grown["check changed"]["warm"]
            add(
                "`check --changed BASE` does not grow with the repository (≤ 1.5x)",
                value,
                1.5,
                f"warm, {CHANGED_DISTANCES[0]} commits of change",
            )
    if "check changed" in skipped:
        rows.append(
            f"| `check --changed BASE` proportional to the change | {skipped['check changed']} | no |"
        )
    return ["| target | measured (worst case) | met |", "| --- | --- | --- |", *rows]


def report(results: list[dict], extra: dict, skipped: dict[str, str]) -> str:
    lines = ["## Results", "", *machine(), ""]
    lines += ["| size | claims | commits | versions | ID (versions) | DATE | REV | built in |",
              "| --- | ---: | ---: | ---: | --- | --- | --- | ---: |"]  # fmt: skip
    for result in results:
        q = result["context"]
        built = result.get("built")
        lines.append(f"| {size_name(result)} | {q['claims']:,} | {q['commits']:,} | {q['total_versions']:,} "
                     f"| {q['claim']} ({q['versions']}) | {q['day']} | {q['rev']} "
                     f"| {'reused' if built is None else f'{built:.0f} s'} |")  # fmt: skip
    lines += ["", *main_table(results, skipped)]
    check = extra.get("check")
    if check:
        base = check["baseline"]
        lines += ["", f"### `claims check` on {check['files']:,} claim files", "",
                  "| question | files | baseline | claims | ratio | per file | peak memory |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
        for which in ("cold", "warm"):
            t = check[which]
            per = "" if t.error else f"{t.seconds / check['files'] * 1e6:.0f} µs"
            lines.append(f"| `claims check claims`, {which} | {check['files']:,} | {base} (`cat`) | {t} "
                         f"| {fmt_ratio(ratio(t, base))} | {per} | {t.peak_mb:.0f} MB |")  # fmt: skip
        for item in check["changed"]:
            t = item["timing"]
            lines.append(f"| `claims check --changed {item['base']}` | {item['files']} | {item['baseline']} "
                         f"| {t} | {fmt_ratio(ratio(t, item['baseline']))} | | {t.peak_mb:.0f} MB |")  # fmt: skip
        if not check["changed"] and "check changed" in extra["skipped"]:
            lines.append(
                f"| `claims check --changed BASE` | | | {extra['skipped']['check changed']} | | | |"
            )
    start = extra["startup"]
    lines += ["", "### Start-up", "", "| command | time | above `python -c pass` |", "| --- | ---: | ---: |",
              f"| `claims --help` | {start[0]} | {(start[0].seconds - start[1].seconds) * 1000:.0f} ms |",
              f"| `python -c pass` | {start[1]} | |"]  # fmt: skip
    lines += growth_tables(results)
    blob = extra.get("blobless")
    if blob:
        full = next(r for r in results if r["context"]["commits"] == blob["commits"])
        lines += ["", f"### `claims log` in a blobless partial clone ({blob['source']})", "",
                  "| command | clone `--filter=blob:none` | first run (fetching blobs) | again | full clone |",
                  "| --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
        fulls = {
            "claims log": full["rows"]["log"]["warm"],
            "git log -p": full["baselines"]["git log -p"],
        }
        for name in ("claims log", "git log -p"):
            item = blob[name]
            first = "failed" if item["first"] is None else fmt_seconds(item["first"])
            lines.append(f"| `{name}` | {fmt_seconds(item['clone'])} | {first} | {item['again'] or ''} "
                         f"| {fulls[name]} |")  # fmt: skip
        for error in blob.get("errors", []):
            lines.append(f"\n{error}")
    survey = extra.get("survey")
    if survey:
        name, found = survey
        lines += ["", f"Every command once in a fresh blobless clone of {name} (fetching what it needs):", "",
                  "| command | time |", "| --- | ---: |"]  # fmt: skip
        for label, seconds, error in found:
            lines.append(f"| {label} | {fmt_seconds(seconds) if seconds is not None else error} |")
    bloom = extra.get("bloom")
    if bloom:
        name, off, on = bloom
        lines += ["", f"### Changed-path Bloom filters ({name})", "",
                  "| command | without commit-graph | with | speed-up |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
        for key, mine in (("claims log", on[0]), ("git log -p", on[1])):
            speed = fmt_ratio(ratio(off[key], mine))
            lines.append(f"| `{key}` | {off[key]} | {mine} | {speed} |")
    lines += ["", "### Targets", "", *targets(results, extra, skipped)]
    lines.append(f"\nThe whole run, building included, took {extra['seconds']:.0f} s.")
    return "\n".join(lines) + "\n"


def update_doc(doc: Path, text: str) -> None:
    content = doc.read_text() if doc.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in content or END not in content:
        content += f"\n{BEGIN}\n{END}\n"
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")


def parse_size(text: str) -> tuple[int, int]:
    try:
        claims, commits = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected CLAIMSxCOMMITS, e.g. 2000x5000: {text!r}"
        ) from None
    return claims, commits


def plain(value):
    """The results as JSON-ready data."""
    if isinstance(value, Timing):
        return asdict(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="small sizes, to try the harness")
    sizes.add_argument("--large", action="store_true", help="20,000 claims x 100,000 commits")
    sizes.add_argument("--size", type=parse_size, action="append", metavar="CLAIMSxCOMMITS")
    parser.add_argument("--no-blobless", action="store_true", help="skip the partial-clone figures")
    parser.add_argument("--timeout", type=float, help="stop a run after this many seconds (600)")
    parser.add_argument(
        "--repeats", type=int, help="at most this many measured runs (default 7; --quick 3)"
    )
    parser.add_argument("--update-doc", type=Path, help="write the report into this document")
    parser.add_argument("--json", type=Path, help="write the raw figures to this file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    chosen = args.size or (QUICK_SIZES if args.quick else LARGE_SIZES if args.large else SIZES)
    global MAX_REPEATS, BLOBLESS_TIMEOUT, RUN_TIMEOUT
    RUN_TIMEOUT = args.timeout or RUN_TIMEOUT
    MAX_REPEATS = args.repeats or (3 if args.quick else MAX_REPEATS)
    BLOBLESS_TIMEOUT = 15.0 if args.quick else BLOBLESS_TIMEOUT
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment()
    skipped = {q.key: why for q in QUESTIONS if (why := available(q))}
    results = []
    for claims, commits in sorted(chosen, key=lambda size: size[1]):
        repo, manifest, built = generated(claims, commits)
        result = measure_size(repo, manifest, env, skipped)
        result["repo"], result["built"] = repo, built
        results.append(result)
    extra: dict = {"skipped": skipped}
    check_repo, _, _ = generated(*(QUICK_CHECK_SIZE if args.quick else CHECK_SIZE))
    extra["check"] = measure_check(check_repo, env, "check changed" not in skipped)
    extra["startup"] = measure_startup(env)
    middle = results[len(results) // 2]
    print("measuring without the commit-graph", file=sys.stderr)
    extra["bloom"] = (size_name(middle), without_graph(middle["repo"], env, middle["context"]),
                      (middle["rows"]["log"]["warm"], middle["baselines"]["git log -p"]))  # fmt: skip
    if not args.no_blobless:
        extra["blobless"] = measure_blobless(middle["repo"], middle["context"], env)
        extra["blobless"]["commits"] = middle["context"]["commits"]
        smallest = results[0]
        extra["survey"] = (size_name(smallest),
                           survey_blobless(smallest["repo"], smallest["context"], env, skipped))  # fmt: skip
    extra["seconds"] = time.perf_counter() - started
    text = report(results, extra, skipped)
    print(text)
    if args.update_doc:
        update_doc(args.update_doc, text)
    if args.json:
        raw = {"results": [{k: v for k, v in r.items() if k != "repo"} for r in results],
               "extra": extra, "load": LOAD_AT_START}  # fmt: skip
        args.json.write_text(json.dumps(plain(raw), indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
