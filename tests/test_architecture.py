"""The shape of the code (issue 12): the apps' import graph has no cycle, and
no module of the apps (migrations aside) is over 400 lines. Read with `ast`
from the sources, so a lazy import inside a function counts too.

The root URLconf, the admin site and the WSGI entry points compose the apps
(their URLs, the mixins files and imports add to production's admin, the live
event stream), so each is a node of its own: the API kit and the rest of the project shell must not import the apps
that import them."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("zou_site", "production", "files", "imports")
MAX_LINES = 400


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield package, path


def imported_packages(path):
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in PACKAGES)
    return found


# The WSGI entry points compose too: the live event stream of production in
# front of Django (wsgi.py without Redis), or alone (events_wsgi.py).
COMPOSERS = ("zou_site/urls.py", "zou_site/admin.py", "zou_site/wsgi.py", "zou_site/events_wsgi.py")


def import_graph():
    """{node: {package it imports: [module paths that do]}}, self-imports left out."""
    graph = {package: {} for package in PACKAGES + COMPOSERS}
    for package, path in modules():
        node = str(path.relative_to(ROOT))
        node = node if node in COMPOSERS else package
        for other in imported_packages(path) - {node}:
            graph[node].setdefault(other, []).append(str(path.relative_to(ROOT)))
    return graph


def find_cycle(graph):
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for other in graph[node]:
            if state.get(other) == "open":
                return trail[trail.index(other):] + [other]
            if other not in state:
                cycle = visit(other, trail + [other])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def test_the_apps_import_graph_has_no_cycle():
    graph = import_graph()
    cycle = find_cycle(graph)
    where = {f"{a} -> {b}": graph[a][b] for a, b in zip(cycle, cycle[1:])} if cycle else {}
    assert cycle is None, f"import cycle {' -> '.join(cycle)}, through {where}"


def test_the_project_shell_and_api_kit_import_no_app():
    """zou_site (settings, middleware, the API kit) knows no model: only the
    composers may name the apps."""
    assert import_graph()["zou_site"] == {}


def test_the_cycle_finder_sees_a_cycle():
    assert find_cycle({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": []}, "b": {}, "c": {"a": []}}) is None


def test_no_module_of_the_apps_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): n
        for _, path in modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
