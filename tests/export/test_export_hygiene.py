"""The export core imports no UI and no services (pyproject's layers contract).

Each module of ``auditui.export`` is imported alone in a fresh interpreter,
so one module pulling in ``textual`` cannot hide behind another.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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
