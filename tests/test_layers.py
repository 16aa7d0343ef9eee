"""The import contract of docs/architecture.md: layers import downward only, one door to git.

Every `import` in src/bpmcli is read with `ast` (module-level and inside functions alike: a
lazy import is still a dependency), and checked against the layers below. The checker is
tested on made-up modules first, so a contract that silently checks nothing fails too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "bpmcli"

# Lowest first. A module may import from its own layer or any layer below it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "bpmcli",
            "bpmcli.config",
            "bpmcli.errors",
            "bpmcli.files",
            "bpmcli.parallel",
            "bpmcli.times",
        ),
    ),
    ("format", ("bpmcli.format",)),
    ("store", ("bpmcli.store",)),
    ("net", ("bpmcli.net",)),
    ("lint", ("bpmcli.lint",)),
    (
        "features",
        (
            "bpmcli.scaffold",
            "bpmcli.templates",
            "bpmcli.catalog",
            "bpmcli.actions",
            "bpmcli.timeline",
            "bpmcli.report",
            "bpmcli.stats",
            "bpmcli.importer",
            "bpmcli.demo",
            "bpmcli.remind",
            "bpmcli.tickets",
        ),
    ),
    ("site", ("bpmcli.site",)),
    ("output", ("bpmcli.output",)),
    ("cli", ("bpmcli.cli", "bpmcli.__main__")),
)
# lint reads files (the workspace says which are postmortems) and its cache; what git
# knows (lines changed since a revision) is handed to it, never asked for.
LINT_MAY_NOT_IMPORT = ("bpmcli.store.repo", "bpmcli.store.history", "bpmcli.store.snapshots")
# Only the store starts processes; the CLI's editor launch is the one other place.
SUBPROCESS_ALLOWED = ("bpmcli.store.repo", "bpmcli.cli.postmortems")


def layer_of(module: str) -> int:
    """The index of the most specific layer prefix that `module` falls under."""
    best, best_length = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            exact = module == prefix
            if (exact or module.startswith(prefix + ".")) and len(prefix) > best_length:
                if prefix == "bpmcli" and not exact:
                    continue  # the package root is base; its sub-packages are not
                best, best_length = index, len(prefix)
    if best < 0:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")
    return best


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every module `tree` imports, absolute; `from x import y` also yields x.y."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_relative(node, module, is_package)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def resolve_relative(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    return ".".join([*parts[:keep], *([node.module] if node.module else [])])


def internal(name: str, known: set[str]) -> str | None:
    """The bpmcli module `name` refers to (a name imported from a module maps to it)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def graph(package: Path) -> dict[str, set[str]]:
    """Module -> the bpmcli modules and the outside modules it imports."""
    sources = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    edges: dict[str, set[str]] = {}
    for module, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found: set[str] = set()
        for name in imports_of(tree, module, path.name == "__init__.py"):
            target = internal(name, set(sources)) if name.startswith("bpmcli") else name
            if target and target != module:
                found.add(target)
        edges[module] = found
    return edges


def violations(edges: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            if target.split(".")[0] == "subprocess" and module not in SUBPROCESS_ALLOWED:
                problems.append(f"{module} imports subprocess: git goes through store/repo.py")
            if not target.startswith("bpmcli"):
                continue
            if layer_of(target) > layer_of(module):
                problems.append(
                    f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]}): an upward import"
                )
            if module.startswith("bpmcli.lint") and target.startswith(LINT_MAY_NOT_IMPORT):
                problems.append(f"{module} imports {target}: lint never reads git")
    return problems + [f"import cycle: {' -> '.join(c)}" for c in cycles(edges)]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of bpmcli modules (Tarjan's algorithm)."""
    inside = {m: {t for t in ts if t in edges} for m, ts in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(inside[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(inside):
        if node not in index:
            visit(node)
    return found


def write_package(root: Path, files: Iterable[tuple[str, str]]) -> Path:
    package = root / "bpmcli"
    for name, text in files:
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


CHECKER_CASES = [
    (
        "upward",
        [
            ("format/__init__.py", ""),
            ("format/x.py", "from bpmcli.cli import app\n"),
            ("cli/__init__.py", ""),
        ],
        "an upward import",
    ),
    (
        "lazy upward",
        [
            ("store/__init__.py", ""),
            ("store/repo.py", "def f():\n    from bpmcli.output import terminal\n"),
            ("output/__init__.py", ""),
            ("output/terminal.py", ""),
        ],
        "an upward import",
    ),
    (
        "subprocess",
        [("format/__init__.py", ""), ("format/x.py", "import subprocess\n")],
        "imports subprocess",
    ),
    (
        "lint and git",
        [
            ("lint/__init__.py", ""),
            ("lint/engine.py", "from ..store import repo\n"),
            ("store/__init__.py", ""),
            ("store/repo.py", ""),
        ],
        "lint never reads git",
    ),
    (
        "cycle",
        [
            ("format/__init__.py", ""),
            ("format/a.py", "from bpmcli.format import b\n"),
            ("format/b.py", "import bpmcli.format.a\n"),
        ],
        "import cycle",
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [c[1:] for c in CHECKER_CASES], ids=[c[0] for c in CHECKER_CASES]
)
def test_the_checker_catches(tmp_path: Path, files: list[tuple[str, str]], expected: str) -> None:
    package = write_package(tmp_path, [("__init__.py", ""), *files])
    assert any(expected in problem for problem in violations(graph(package)))


def test_the_checker_accepts_downward_imports(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        [
            ("__init__.py", ""),
            ("errors.py", ""),
            ("format/__init__.py", ""),
            ("format/x.py", "from bpmcli.errors import BpmError\n"),
            ("cli/__init__.py", "from bpmcli.format import x\n"),
        ],
    )
    assert violations(graph(package)) == []


def test_bpm_keeps_its_layers() -> None:
    edges = graph(PACKAGE)
    assert len(edges) > 40  # the real package was read
    assert violations(edges) == []
