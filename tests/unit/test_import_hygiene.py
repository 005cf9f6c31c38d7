"""The core never imports the UI (Harlequin's test_import_hygiene, for auditui).

Each core module is imported alone in a fresh interpreter, so one module
pulling in ``textual`` cannot hide behind another; then import-linter checks
the contracts in pyproject.toml over the whole package.
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest

import auditui

FACES = ("auditui.tui", "auditui.cli", "auditui.__main__")
"""Everything else in the package is core, so a new core module is covered unasked."""


def core_modules() -> list[str]:
    names = ["auditui"]
    for info in pkgutil.walk_packages(auditui.__path__, "auditui."):
        if not info.name.startswith(FACES):
            names.append(info.name)
    return sorted(names)


CORE_MODULES = core_modules()

PROBE = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "ui = sorted(m for m in sys.modules "
    "if m.split('.')[0] == 'textual' or m.startswith(('auditui.tui', 'auditui.cli'))); "
    "print(','.join(ui))"
)


def test_the_core_modules_are_found() -> None:
    for expected in (
        "auditui.errors",
        "auditui.config",
        "auditui.tools.loader",
        "auditui.tools.models",
        "auditui.domain.grading",
        "auditui.domain.conditions",
        "auditui.config_readers",
        "auditui.user_cache",
    ):
        assert expected in CORE_MODULES
    assert not [m for m in CORE_MODULES if m.startswith(FACES)]


def _ui_pulled_in(env: dict[str, str], module: str) -> tuple[str, int, str, str]:
    """Import ``module`` alone in a new interpreter; report the UI modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return module, done.returncode, done.stdout.strip(), done.stderr


def test_no_core_module_imports_the_ui_in_a_fresh_interpreter(child_env: dict[str, str]) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(partial(_ui_pulled_in, child_env), CORE_MODULES))
    failed = {m: err.strip().splitlines()[-1:] for m, rc, _, err in results if rc != 0}
    assert failed == {}, f"core modules that do not import at all: {failed}"
    pulled = {m: out for m, _, out, _ in results if out}
    assert pulled == {}, f"core modules that import the UI: {pulled}"


def test_the_probe_would_notice_textual(child_env: dict[str, str]) -> None:
    _, rc, out, _ = _ui_pulled_in(child_env, "textual.app")
    assert rc == 0
    assert "textual" in out.split(",")


def test_the_import_contracts_in_pyproject_are_kept(
    repo_root: Path, child_env: dict[str, str]
) -> None:
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(lint_imports).exists():
        pytest.skip("import-linter's lint-imports is not installed")
    done = subprocess.run(
        [lint_imports],
        capture_output=True,
        text=True,
        cwd=repo_root,
        env=child_env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "broken" in done.stdout and "0 broken" in done.stdout


def test_the_services_facade_gives_every_name_it_lists() -> None:
    """``services.audits`` imports each name on first use; each must be the real one."""
    import importlib

    from auditui.services import audits

    assert sorted(audits.__all__) == sorted(audits._HOMES)
    for name in audits.__all__:
        home = importlib.import_module(f"auditui.services.{audits._HOMES[name]}")
        assert getattr(audits, name) is getattr(home, name)
    with pytest.raises(AttributeError):
        audits.no_such_service  # noqa: B018
