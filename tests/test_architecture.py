"""The house rules that keep the package's layers apart, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import claimkit
from claimkit import cli, tophelp

PACKAGE = Path(claimkit.__file__).parent


def module_imports(path: Path, top_level_only: bool) -> set[str]:
    """The claimkit modules a file imports (relative imports, resolved to dotted names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            # `from . import x` in a package's module loads x; the package is already loading.
            if node.module is not None:
                found.add(target)
            if node.module is None or (PACKAGE.parent / target.replace(".", "/")).is_dir():
                found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def modules() -> dict[str, Path]:
    return {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in PACKAGE.rglob("*.py")
    }


# The modules that run git or read its files; the command layer reaches none of them.
GIT_MODULES = {
    "claimkit.gitio", "claimkit.gitcommand", "claimkit.gitlog", "claimkit.gitstream",
    "claimkit.gitwrite", "claimkit.gitfiles", "claimkit.commitgraph",
}  # fmt: skip
MAX_MODULE_LINES = 400


def test_the_git_modules_exist():
    assert GIT_MODULES <= modules().keys()


def test_the_command_layer_touches_neither_git_nor_the_history_reader():
    for name, path in modules().items():
        if name.startswith("claimkit.cli"):
            imported = module_imports(path, top_level_only=False)
            assert not imported & {*GIT_MODULES, "claimkit.history"}, name


def too_long(package: Path, limit: int) -> dict[str, int]:
    """The modules under `package` longer than `limit` lines, with their lengths."""
    lengths = {
        path.relative_to(package).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in package.rglob("*.py")
    }
    return {name: count for name, count in lengths.items() if count > limit}


def test_no_module_is_over_400_lines():
    assert too_long(PACKAGE, MAX_MODULE_LINES) == {}


def test_the_length_check_counts_lines(tmp_path):
    (tmp_path / "inner").mkdir()
    (tmp_path / "short.py").write_text("x = 1\n" * 400, encoding="utf-8")
    (tmp_path / "inner" / "long.py").write_text("x = 1\n" * 401, encoding="utf-8")
    assert too_long(tmp_path, MAX_MODULE_LINES) == {"inner/long.py": 401}


def test_no_import_cycle_at_module_level():
    known = modules()
    graph = {
        name: {m for m in module_imports(path, top_level_only=True) if m in known and m != name}
        for name, path in known.items()
    }
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            assert state.get(other) != 1, " -> ".join([*trail, name, other])
            if other not in state:
                visit(other, [*trail, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_the_command_table_names_every_command_its_modules_register():
    import importlib

    for module in tophelp.MODULE_COMMANDS:
        importlib.import_module(f"claimkit.{module}")
    homes = {
        name: command.callback.__module__.removeprefix("claimkit.")
        for name, command in cli.main.commands.items()
    }
    assert {name: home for name, home in homes.items() if home != "cli"} == tophelp.COMMAND_MODULES


def load_every_command() -> dict:
    import importlib

    for module in tophelp.MODULE_COMMANDS:
        importlib.import_module(f"claimkit.{module}")
    return dict(cli.main.commands)


def test_the_command_table_holds_each_command_s_first_paragraph_of_help():
    for name, command in load_every_command().items():
        assert not command.hidden, name  # the table lists every command
        first = " ".join(command.help.split("\n\n")[0].split())
        assert tophelp.COMMAND_SUMMARIES[name] == first, name


def test_help_from_the_table_is_help_from_the_commands(monkeypatch):
    from click.testing import CliRunner

    load_every_command()
    loaded = CliRunner().invoke(cli.main, ["--help"]).output
    monkeypatch.setattr(cli.main, "commands", {})  # as in a process that loaded none
    from_table = CliRunner().invoke(cli.main, ["--help"]).output
    assert "  log           Every version of a claim, in the order the press" in from_table
    assert from_table == loaded


def test_help_loads_no_command_module():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from claimkit.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('claimkit')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "['claimkit', 'claimkit.cli', 'claimkit.errors', 'claimkit.tophelp']"
    )
