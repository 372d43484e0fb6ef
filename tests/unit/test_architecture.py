"""The walls of the house (docs/architecture.md) hold: the engine reads only the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import topofmind.engine

ENGINE = Path(topofmind.engine.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_engine_imports_nothing_but_the_standard_library_and_itself() -> None:
    outside = {
        f"{path.relative_to(ENGINE)}: {name}"
        for path in ENGINE.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith("topofmind.engine")
    }
    assert not outside, sorted(outside)


def test_the_check_sees_an_outside_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import holidays\nfrom django.db import models\nfrom datetime import date\n", encoding="utf-8")
    assert imported_modules(probe) == {"holidays", "django.db", "datetime"}
