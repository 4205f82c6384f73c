"""The package's shape: no two modules of radar/ import each other, even through others.

Read statically (ast) so the answer does not depend on what happens to be imported first.
Module-level imports count, `if TYPE_CHECKING:` ones too (a circle of types is still a
circle of modules); those inside functions are how a module reaches a heavy one lazily.
"""

from __future__ import annotations

import ast
from pathlib import Path

RADAR = Path(__file__).resolve().parents[1] / "radar"


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements at module level, in `if`/`try` blocks too, never in a function
    or class body."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            pending += [*node.body, *node.orelse]
        elif isinstance(node, ast.Try):
            pending += [*node.body, *node.orelse, *node.finalbody,
                        *(s for handler in node.handlers for s in handler.body)]
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports at module level (`from a import b` counts as
    importing module a.b when there is one, else a)."""
    paths = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                targets.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in paths
                            else base)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that reach each other (strongly connected, more than one)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_through_a_third_module_is_found_and_lazy_imports_are_not(tmp_path) -> None:
    package = write_package(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg import b\n",
        "b.py": "import pkg.c\n",
        "c.py": "from .a import thing\n",                      # a → b → c → a
        "d.py": "def later():\n    from pkg import e\n",       # lazy: no edge
        "e.py": "class E:\n    def m(self):\n        import pkg.d\n",      # lazy too
        "sub/__init__.py": "", "sub/f.py": "from .. import e\nfrom . import g\n",
        "sub/g.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from pkg.sub import f\n"),
    })
    graph = import_graph(package)
    assert graph["pkg.d"] == set() and graph["pkg.e"] == set()
    assert graph["pkg.sub.f"] == {"pkg.e", "pkg.sub.g"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"], ["pkg.sub.f", "pkg.sub.g"]]


def test_no_import_cycle_in_radar() -> None:
    graph = import_graph(RADAR)
    assert len(graph) == len(list(RADAR.rglob("*.py")))
    assert {"radar.policy", "radar.errors"} <= graph["radar.store.trends"]  # as it reads
    assert cycles(graph) == []
