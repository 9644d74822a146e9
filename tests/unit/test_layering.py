"""The dependency rules, checked on the source: Qt only under app/ui, a Qt-free core.

Walks the AST of every module under app/ (imports inside functions count, except
where a rule is about module level only).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[2] / "app"
QT_ROOTS = {"PySide6", "shiboken6", "qasync"}


def modules() -> list[Path]:
    return sorted(APP_DIR.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(APP_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.AST, *, top_level_only: bool = False) -> Iterator[tuple[int, str]]:
    """(line, dotted module name) for each import; relative imports are not used here."""
    nodes = _top_level(tree) if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            for alias in node.names:  # `from app import ui`
                yield node.lineno, f"{node.module}.{alias.name}"


def _top_level(tree: ast.AST) -> Iterator[ast.AST]:
    """Statements that run on import: the module body, including if/try blocks, not functions."""
    stack = list(getattr(tree, "body", []))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        yield node
        if isinstance(node, ast.ClassDef):
            stack.extend(n for n in node.body if not isinstance(n, ast.FunctionDef))
        else:
            stack.extend(ast.iter_child_nodes(node))


def is_under(name: str, root: str) -> bool:
    return name == root or name.startswith(root + ".")


def is_qt(name: str) -> bool:
    return any(is_under(name, root) for root in QT_ROOTS) or is_under(name, "app.ui")


def violations(package: str, rule, *, top_level_only: bool = False) -> list[str]:
    found = []
    for path in modules():
        name = module_name(path)
        if not is_under(name, package):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, imported in imported_names(tree, top_level_only=top_level_only):
            if rule(name, imported):
                found.append(f"{path.relative_to(APP_DIR.parent)}:{line} imports {imported}")
    return found


def test_the_tree_is_found():
    names = {module_name(p) for p in modules()}
    assert {"app.core.errors", "app.ui.main_window", "app.cli"} <= names


def test_core_has_no_qt():
    assert violations("app.core", lambda _m, imp: is_qt(imp)) == []


def test_emulator_has_no_qt_and_no_app_internals():
    allowed_app = (
        "app.emulator",
        "app.core.models",
        "app.core.validation",
        "app.about",
        "app.resource_files",
    )

    def rule(_module: str, imported: str) -> bool:
        if is_qt(imported):
            return True
        return is_under(imported, "app") and not any(is_under(imported, a) for a in allowed_app)

    assert violations("app.emulator", rule) == []


def test_cli_loads_qt_only_lazily():
    assert violations("app.cli", lambda _m, imp: is_qt(imp), top_level_only=True) == []


def test_ui_never_talks_to_http_or_the_keyring_directly():
    # Controllers reach both through the core client and token store.
    banned = ("httpx", "keyring", "secretstorage")
    assert violations("app.ui", lambda _m, imp: any(is_under(imp, b) for b in banned)) == []


def test_only_ui_imports_qt():
    def rule(module: str, imported: str) -> bool:
        return (
            is_qt(imported) and not is_under(module, "app.ui") and not is_under(module, "app.cli")
        )

    assert violations("app", rule) == []


@pytest.mark.parametrize(
    ("source", "top_level_only", "expected"),
    [
        ("import PySide6.QtCore", False, ["PySide6.QtCore"]),
        ("from PySide6 import QtCore", False, ["PySide6", "PySide6.QtCore"]),
        ("def f():\n    import qasync", True, []),
        ("def f():\n    import qasync", False, ["qasync"]),
        ("try:\n    import httpx\nexcept ImportError:\n    pass", True, ["httpx"]),
        ("class A:\n    import keyring", True, ["keyring"]),
    ],
)
def test_the_import_walker(source, top_level_only, expected):
    found = [name for _, name in imported_names(ast.parse(source), top_level_only=top_level_only)]
    assert found == expected
