"""The rooms keep their doors: which module may import which (read from the source with ast).

- Pure modules (matching, pairing, calendar, geo, availability, timeutil) import neither Flask nor
  the database, and from Neighborly only other pure modules.
- Models and services import no views or forms.
- No domain imports the top floor: the coordinator console, one's own data, the demo (only the
  app's wiring mounts them).
- The ground floor (extensions, errors, audit, records, policy, forms, ...) imports no domain.
- No import cycle between packages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "neighborly"

PURE = (
    "neighborly.availability",
    "neighborly.calendars.ics",
    "neighborly.geo",
    "neighborly.help_requests.matching",
    "neighborly.help_requests.dispatch",
    "neighborly.mentoring.calendar",
    "neighborly.mentoring.pairing",
    "neighborly.timeutil",
)
FLASK_OR_DATABASE = ("flask", "flask_", "werkzeug", "sqlalchemy", "alembic", "psycopg", "redis")
TOP_FLOOR = ("neighborly.coordination", "neighborly.my_data", "neighborly.demo")
GROUND_FLOOR = (
    "neighborly.extensions",
    "neighborly.errors",
    "neighborly.audit",
    "neighborly.records",
    "neighborly.policy",
    "neighborly.forms",
    "neighborly.availability",
    "neighborly.wording",
    "neighborly.dbtypes",
    "neighborly.timeutil",
    "neighborly.limits",
    "neighborly.request_log",
    "neighborly.assets",
    "neighborly.paging",
    "neighborly.cache",
    "neighborly.transactions",
)
WIRING = ("neighborly", "neighborly.setup", "neighborly.cli")

Graph = Mapping[str, frozenset[str]]


def _module_name(path: Path) -> str:
    """neighborly/help_requests/views.py -> neighborly.help_requests.views."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_of(path: Path) -> frozenset[str]:
    """Every module a file imports, anywhere in it (function-level imports count too)."""
    name, is_package = _module_name(path), path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                anchor = here[: len(here) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(found)


def import_graph(root: Path = PACKAGE) -> dict[str, frozenset[str]]:
    """Module name -> the modules it imports, for every file in the package."""
    return {_module_name(path): _imports_of(path) for path in sorted(root.rglob("*.py"))}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    """Whether a dotted name is one of the prefixes or inside one."""
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _is_flask_or_database(name: str) -> bool:
    """Flask, its extensions, Werkzeug or a database library."""
    top = name.split(".")[0]
    return top == "flask" or top.startswith("flask_") or top in FLASK_OR_DATABASE


def impure_imports(graph: Graph) -> Iterator[str]:
    """Pure modules reaching for Flask, the database, or a Neighborly module that is not pure."""
    for module, imported in graph.items():
        if not _within(module, PURE):
            continue
        for name in sorted(imported):
            neighborly_but_not_pure = name.startswith("neighborly") and not _within(name, PURE)
            if _is_flask_or_database(name) or neighborly_but_not_pure:
                yield f"{module} imports {name}"


def _is_view_or_form(name: str) -> bool:
    """A views or forms module (or package) of any domain, or the shared forms."""
    return any(part in ("views", "forms") for part in name.split(".")[1:])


def _is_model_or_service(name: str) -> bool:
    """A models or services module (or package)."""
    return any(part in ("models", "services") for part in name.split(".")[1:])


def upward_imports(graph: Graph) -> Iterator[str]:
    """Models or services importing views or forms."""
    for module, imported in graph.items():
        if _is_model_or_service(module):
            for name in sorted(imported):
                if name.startswith("neighborly.") and _is_view_or_form(name):
                    yield f"{module} imports {name}"


def top_floor_imports(graph: Graph) -> Iterator[str]:
    """A domain importing the top floor (the console, one's own data, the demo)."""
    for module, imported in graph.items():
        if _within(module, TOP_FLOOR) or module in WIRING:
            continue
        for name in sorted(imported):
            if _within(name, TOP_FLOOR):
                yield f"{module} imports {name}"


def ground_floor_imports(graph: Graph) -> Iterator[str]:
    """A ground-floor module (shared by every domain) importing anything above the ground floor."""
    for module, imported in graph.items():
        if module not in GROUND_FLOOR:
            continue
        for name in sorted(imported):
            if name.startswith("neighborly.") and not _within(name, GROUND_FLOOR):
                yield f"{module} imports {name}"


def _room(name: str) -> str | None:
    """The package (or top-level module) a Neighborly module lives in."""
    parts = name.split(".")
    return parts[1] if parts[0] == "neighborly" and len(parts) > 1 else None


def package_edges(graph: Graph) -> dict[str, set[str]]:
    """Room -> the other rooms it imports."""
    edges: dict[str, set[str]] = {}
    for module, imported in graph.items():
        source = _room(module)
        for name in imported:
            target = _room(name)
            if source and target and target != source:
                edges.setdefault(source, set()).add(target)
    return edges


def package_cycles(graph: Graph) -> Iterator[str]:
    """Each import cycle between packages, as 'a -> b -> a'."""
    edges = package_edges(graph)
    seen: set[tuple[str, ...]] = set()

    def walk(path: list[str]) -> Iterator[str]:
        for target in sorted(edges.get(path[-1], ())):
            if target == path[0]:
                cycle = path[path.index(min(path)) :] + path[: path.index(min(path))]
                if tuple(cycle) not in seen:
                    seen.add(tuple(cycle))
                    yield " -> ".join([*cycle, cycle[0]])
            elif target not in path and target > path[0]:
                yield from walk([*path, target])

    for start in sorted(edges):
        yield from walk([start])


CHECKS = {
    "pure modules stay pure": impure_imports,
    "models and services never import views or forms": upward_imports,
    "no domain imports the top floor": top_floor_imports,
    "the ground floor imports no domain": ground_floor_imports,
    "no import cycle between packages": package_cycles,
}


@pytest.mark.parametrize("rule", list(CHECKS))
def test_the_code_keeps_the_rule(rule):
    broken = list(CHECKS[rule](import_graph()))
    assert broken == [], f"{rule}:\n" + "\n".join(broken)


def test_the_package_is_read():
    graph = import_graph()
    assert "neighborly.help_requests.matching" in graph
    assert "neighborly.geo.cells" in graph["neighborly.help_requests.matching"]
    assert len(graph) > 40


FORBIDDEN = {
    "pure modules stay pure": ("neighborly.help_requests.matching", "flask"),
    "models and services never import views or forms": (
        "neighborly.mentoring.services.pairs",
        "neighborly.mentoring.forms",
    ),
    "no domain imports the top floor": (
        "neighborly.accounts.services",
        "neighborly.coordination.views",
    ),
    "the ground floor imports no domain": ("neighborly.audit", "neighborly.accounts.models"),
    "no import cycle between packages": ("neighborly.geo.cells", "neighborly.help_requests.models"),
}


@pytest.mark.parametrize("rule", list(FORBIDDEN))
def test_each_rule_catches_a_forbidden_import_added_to_the_real_code(rule):
    module, forbidden = FORBIDDEN[rule]
    graph = import_graph()
    graph[module] = graph[module] | {forbidden}
    assert list(CHECKS[rule](graph)), f"{rule} did not notice {module} importing {forbidden}"


def test_a_cycle_is_named_once_with_its_packages():
    graph = {
        "neighborly.a.x": frozenset({"neighborly.b.y"}),
        "neighborly.b.y": frozenset({"neighborly.c.z"}),
        "neighborly.c.z": frozenset({"neighborly.a.x"}),
    }
    assert list(package_cycles(graph)) == ["a -> b -> c -> a"]
