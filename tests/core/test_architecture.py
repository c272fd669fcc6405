"""The import boundaries of STYLE.md: core imports no domain app; apps form layers."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "connective"
# Lower index = lower layer. An app may import only from apps at a strictly lower layer
# (or from itself). web and demo are the top.
LAYERS = [
    {"core"},
    {"topics"},
    {"accounts"},
    {"credentials"},
    {"notifications"},
    {"network"},
    {"content"},
    {"spaces"},
    {"courses"},
    {"feeds"},
    {"stream"},
    {"search"},
    {"discovery"},
    {"federation"},
    {"portability"},
    {"web", "demo"},
]
LEVEL = {app: i for i, group in enumerate(LAYERS) for app in group}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "connective" and len(parts) > 1 and parts[1] in LEVEL:
                found.add(parts[1])
    return found


def app_files():
    for app in sorted(LEVEL):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


@pytest.mark.parametrize(("app", "path"), list(app_files()), ids=str)
def test_apps_import_only_lower_layers(app, path):
    for other in imported_apps(path) - {app}:
        assert LEVEL[other] < LEVEL[app], f"{path.relative_to(ROOT)} imports {other} (upward)"


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps == set(LEVEL)
