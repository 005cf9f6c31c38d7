"""The export core imports no UI and no services (pyproject's layers contract), and runs no SQL.

Each module of ``auditui.export`` is imported alone in a fresh interpreter,
so one module pulling in ``textual`` cannot hide behind another.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import auditui.export

MODULES = sorted(
    ["auditui.export"]
    + [info.name for info in pkgutil.walk_packages(auditui.export.__path__, "auditui.export.")]
)

PROBE = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual' "
    "or m.startswith(('auditui.tui', 'auditui.cli', 'auditui.services')))))"
)


def test_the_export_modules_are_found() -> None:
    assert {"auditui.export.csv_export", "auditui.export.report_html"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_an_export_module_imports_no_ui_and_no_services(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


# SQL statements against the local database belong to auditui.store. ``cells`` builds
# SQL *expressions* for one cell (the export's escaping rule, handed to the store's
# answers query), never a statement, so it is the one module allowed SQL text.
STATEMENT = re.compile(
    r"\.execute(many)?\(|\b(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|BEGIN|ROLLBACK)\b[ \"']",
)


@pytest.mark.parametrize("module", [m for m in MODULES if m != "auditui.export.cells"])
def test_no_export_module_runs_sql_of_its_own(module: str) -> None:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    code = _code_without_docstrings(Path(spec.origin).read_text(encoding="utf-8"))
    found = STATEMENT.search(code)
    assert found is None, f"{module} has SQL ({found.group(0)!r}); move it to auditui.store"


def _code_without_docstrings(source: str) -> str:
    """The module's code with its docstrings and comments blanked (prose may say SELECT)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                for n in range(body[0].lineno - 1, body[0].end_lineno or body[0].lineno):
                    lines[n] = ""
    return "\n".join(line.split("#", 1)[0] for line in lines)
