"""The dossier format and its readers import each other in one direction only (imports inside
functions included, so no cycle hides behind a late import)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WATCHED = {
    "khoiapp.services.payload",
    "khoiapp.services.diff",
    "khoiapp.services.importer",
    "khoiapp.services.verify",
    "khoiapp.services.extract",
    "khoiapp.services.summary",
}


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in (ROOT / "khoiapp").rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for n in names:
                if n in files and n != mod:
                    graph[mod].add(n)
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        m = todo.pop()
        if m == goal:
            return True
        if m not in seen:
            seen.add(m)
            todo.extend(graph.get(m, ()))
    return False


def test_no_import_cycle_through_the_dossier_format_or_its_readers() -> None:
    graph = _graph()
    watched = WATCHED | {m for m in graph if m.startswith("khoiapp.dossier")}
    cycles = [
        (m, dep) for m in sorted(watched) for dep in sorted(graph[m]) if _reaches(graph, dep, m)
    ]
    assert cycles == []
