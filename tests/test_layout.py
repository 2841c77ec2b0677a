"""The source tree's layering, read from its imports with `ast` (nothing is imported):
`messages/` imports nothing from `bot`, `handlers` or `scheduler`; `handlers/` never reaches the
LINE gateway; and no two modules import each other, directly or round a loop.

Every import counts, at module level or inside a function. `from pkg import name` is an import of
the submodule `pkg.name` when that is a module. Importing `a.b.c` counts as an import of `a.b.c`
only, not of the packages `a` and `a.b` that Python runs first. Imports under `if TYPE_CHECKING:`
count for the layer rules (a type from `bot` is still a dependency on `bot`) but not for cycles,
since they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PACKAGES = ("bot", "handlers", "messages", "scheduler", "emulator")
# (importing package, forbidden module or package, why)
FORBIDDEN = [
    ("messages", "bot", "message builders are pure: they take plain values"),
    ("messages", "handlers", "message builders are pure: they take plain values"),
    ("messages", "scheduler", "message builders are pure: they take plain values"),
    ("handlers", "bot.line.gateway", "handlers return messages; only the webhook and jobs send"),
]


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    type_checking_only: bool


def module_names(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Every module of `packages` under `root`, by dotted name (a package by its own name)."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers inside `if TYPE_CHECKING:` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")):
            for statement in node.body:
                lines.update(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
    return lines


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """`name` if it is one of our modules, else the nearest enclosing one of ours (or None)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    """The imports of our own modules in one file, resolved to module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    guarded = _type_checking_lines(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            imported = _known(target, modules)
            if imported and imported != module:
                yield Import(module, imported, node.lineno, node.lineno in guarded)


def import_graph(root: Path, packages: Iterable[str] = SOURCE_PACKAGES) -> list[Import]:
    modules = module_names(root, packages)
    return [found for module, path in modules.items() for found in imports_of(module, path, modules)]


def forbidden_imports(imports: Iterable[Import], rules=FORBIDDEN) -> list[str]:
    """One line per import that breaks a layer rule."""
    def within(name: str, prefix: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    return list(dict.fromkeys(  # one line for `from a import b, c`
        f"{found.importer} (line {found.line}) imports {found.imported}: {why}"
        for found in imports for importer, forbidden, why in rules
        if within(found.importer, importer) and within(found.imported, forbidden)))


def import_cycles(imports: Iterable[Import]) -> list[list[str]]:
    """Each module's shortest cycle (a -> b -> ... -> a) and every pair importing each other, once each."""
    graph: dict[str, set[str]] = {}
    for found in imports:
        if not found.type_checking_only:
            graph.setdefault(found.importer, set()).add(found.imported)
            graph.setdefault(found.imported, set())
    found_cycles = []
    for group in _strongly_connected(graph):
        for member in group if len(group) > 1 else ():
            found_cycles.append(_shortest_cycle(member, group, graph))
            found_cycles += [[member, other, member] for other in graph[member] if member in graph[other]]
    cycles = set()
    for cycle in found_cycles:
        turn = cycle.index(min(cycle))  # the same cycle, whichever member it was found from
        cycles.add(tuple(cycle[turn:-1] + cycle[:turn + 1]))
    return sorted(list(cycle) for cycle in cycles)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph has a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
    return groups


def _shortest_cycle(start: str, group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from `start` back to itself, staying in its group."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & group):
                if successor == start:
                    return [*paths[node], start]
                if successor not in paths:
                    paths[successor] = [*paths[node], successor]
                    following.append(successor)
        frontier = following
    raise AssertionError(f"no cycle through {start} in {sorted(group)}")


def test_the_source_tree_keeps_its_layers_and_has_no_import_cycles():
    imports = import_graph(ROOT)
    cycles = ["import cycle: " + " -> ".join(cycle) for cycle in import_cycles(imports)]
    problems = forbidden_imports(imports) + cycles
    assert not problems, "\n".join(["the layout is broken:", *problems])


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_walker_finds_forbidden_imports_even_inside_functions(tmp_path):
    write_tree(tmp_path, {
        "bot/__init__.py": "",
        "bot/line/__init__.py": "",
        "bot/line/gateway.py": "",
        "bot/models.py": "",
        "messages/__init__.py": "",
        "messages/cards.py": "def card():\n    from bot.models import Friend\n",
        "messages/plain.py": "import json\nfrom messages import cards\n",
        "handlers/__init__.py": "",
        "handlers/faq.py": "from bot.line import gateway\n",
        "handlers/ok.py": "from bot.line import richmenu\nimport bot.models\n",
    })
    problems = forbidden_imports(import_graph(tmp_path, ["bot", "messages", "handlers"]))
    assert problems == [
        "messages.cards (line 2) imports bot.models: message builders are pure: they take plain values",
        "handlers.faq (line 1) imports bot.line.gateway: handlers return messages; only the webhook and jobs send",
    ]


def test_the_walker_reports_a_cycle_through_function_level_and_relative_imports(tmp_path):
    write_tree(tmp_path, {
        "bot/__init__.py": "from bot.web import create_app\n",
        "bot/web.py": "from bot.console import auth, nav\n",
        "bot/console/__init__.py": "",
        "bot/console/auth.py": "from .home import page\n",
        "bot/console/home.py": "def page():\n    from bot.console.auth import login_required\n",
        "bot/console/nav.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.web import x\n",
        "bot/classes.py": "import bot.web\n",
    })
    imports = import_graph(tmp_path, ["bot"])
    assert import_cycles(imports) == [["bot.console.auth", "bot.console.home", "bot.console.auth"]]
    # `from pkg import name` resolved to the submodule, relative imports to absolute names
    assert {(i.importer, i.imported) for i in imports} >= {
        ("bot", "bot.web"), ("bot.web", "bot.console.auth"), ("bot.web", "bot.console.nav"),
        ("bot.console.auth", "bot.console.home"), ("bot.classes", "bot.web")}
    # the type-only import back from nav to web is seen but makes no cycle
    assert [i.type_checking_only for i in imports if i.importer == "bot.console.nav"] == [True]
