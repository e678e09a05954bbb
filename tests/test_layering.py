"""Imports point down the pipeline: no upward edge, no edge between siblings, no cycle.

Every module under ``briefgen/`` is parsed with ``ast``; every ``import`` and ``from … import``
counts, also those inside functions and ``if TYPE_CHECKING:`` blocks (a lazy import is still a
dependency). docs/architecture.md repeats the table below.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"

# The stages from the bottom up; a stage may import only from stages on lower rows, never from
# one beside it. "briefgen" is the package's own __init__ (its version).
STAGES: tuple[tuple[str, ...], ...] = (
    ("briefgen", "diagnostics", "errors"),
    ("load", "model"),
    ("provenance", "history"),
    ("validate", "render"),
    ("pdf",),
    ("editions",),
    ("build", "site"),
    ("cli",),
)
LEVEL = {stage: level for level, row in enumerate(STAGES) for stage in row}
# Modules that belong to a stage of another name: `python -m briefgen` is the command line.
ALIASES = {"__main__": "cli"}


@dataclass(frozen=True)
class Edge:
    """One import of a briefgen module by another: where it is written, and the stages."""

    module: str
    line: int
    target: str

    @property
    def source_stage(self) -> str:
        """The stage of the importing module."""
        return stage_of(self.module)

    @property
    def target_stage(self) -> str:
        """The stage of the imported module."""
        return stage_of(self.target)

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def stage_of(module: str) -> str:
    """'briefgen.site.publish' -> 'site'; 'briefgen' -> 'briefgen'."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else parts[0]
    return ALIASES.get(name, name)


def module_name(path: Path) -> str:
    """The dotted name of a file under briefgen/ ('briefgen.site' for site/__init__.py)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {
        module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts
    }


def _targets(node: ast.AST, package: str, modules: set[str]) -> list[str]:
    """The briefgen modules one import statement names (``from x import module`` included)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        kept = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*kept, *([node.module] if node.module else [])])
    # `from briefgen import build` imports the module briefgen.build, not the package.
    named = [f"{base}.{alias.name}" for alias in node.names]
    return [name for name in named if name in modules] or [base]


def imports(module: str, path: Path, modules: set[str]) -> Iterator[Edge]:
    """Every import of another briefgen stage in one module, wherever it is written."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        for target in _targets(node, package, modules):
            if target.split(".")[0] == "briefgen" and stage_of(target) != stage_of(module):
                yield Edge(module, getattr(node, "lineno", 0), target)


def all_edges() -> list[Edge]:
    """Every import between two stages in the package."""
    modules = all_modules()
    names = set(modules)
    return [edge for name, path in modules.items() for edge in imports(name, path, names)]


def edge_problems(edges: list[Edge]) -> list[str]:
    """An unknown stage, an upward edge or an edge between siblings, each with where it is."""
    problems = []
    for edge in edges:
        source, target = edge.source_stage, edge.target_stage
        unknown = [s for s in (source, target) if s not in LEVEL]
        if unknown:
            problems.append(f"{edge}: stage {unknown[0]!r} is not in STAGES; add it")
        elif LEVEL[target] > LEVEL[source]:
            problems.append(f"{edge}: upward ({source} is below {target})")
        elif LEVEL[target] == LEVEL[source]:
            problems.append(f"{edge}: between siblings ({source} and {target})")
    return problems


def stage_cycles(edges: list[Edge]) -> list[list[str]]:
    """Each cycle of the stage graph, as the stages around it (first repeated at the end)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source_stage, set()).add(edge.target_stage)
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(stage: str, path: list[str]) -> None:
        if stage in path:
            cycles.append([*path[path.index(stage) :], stage])
            return
        if stage in done:
            return
        for target in sorted(graph.get(stage, ())):
            visit(target, [*path, stage])
        done.add(stage)

    for stage in sorted(graph):
        visit(stage, [])
    return cycles


def test_every_import_points_down_the_pipeline() -> None:
    problems = edge_problems(all_edges())
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def test_no_cycle_between_stages() -> None:
    cycles = stage_cycles(all_edges())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_every_stage_of_the_table_exists_and_every_module_has_one() -> None:
    stages = {stage_of(name) for name in all_modules()}
    assert stages == set(LEVEL), f"in the package only: {stages - set(LEVEL)}; " + (
        f"in STAGES only: {set(LEVEL) - stages}"
    )


def test_lazy_and_type_checking_imports_are_seen(tmp_path: Path) -> None:
    # The checker itself: an import inside a function or a TYPE_CHECKING block still counts.
    path = tmp_path / "publish.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from briefgen.build import BuildError\n"
        "def f():\n    from briefgen import cli\n",
        encoding="utf-8",
    )
    edges = list(imports("briefgen.site.publish", path, {"briefgen.cli", "briefgen.build"}))
    assert [str(e) for e in edges] == [
        "briefgen.site.publish:3 imports briefgen.build",
        "briefgen.site.publish:5 imports briefgen.cli",
    ]
    assert edge_problems(edges) == [
        "briefgen.site.publish:3 imports briefgen.build: between siblings (site and build)",
        "briefgen.site.publish:5 imports briefgen.cli: upward (site is below cli)",
    ]
    upward = [*edges, Edge("briefgen.cli", 1, "briefgen.site")]
    assert stage_cycles(upward) == [["cli", "site", "cli"]]
