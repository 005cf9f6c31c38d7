"""Fixtures for the export tests; the data and helpers are in ``export_support``."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_support import EXPORT_TOOL, Filled, fill, make_workspace

from auditui.services.workspace import Workspace


@pytest.fixture
def tools_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "export-tools"
    directory.mkdir()
    (directory / "export-test.yaml").write_text(EXPORT_TOOL, encoding="utf-8")
    return directory


@pytest.fixture
def ws(tmp_path: Path, tools_dir: Path) -> Iterator[Workspace]:
    workspace = make_workspace(tmp_path / "export.db", tools_dir)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Filled]:
    """The filled database, built once (through the services, about a second)."""
    root = tmp_path_factory.mktemp("export-template")
    tools = root / "tools"
    tools.mkdir()
    (tools / "export-test.yaml").write_text(EXPORT_TOOL, encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        # Built before any test's own isolation: keep auditui's records of the
        # databases it opened (store.first_start) out of the real data directory.
        env.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
        ws = make_workspace(root / "filled.db", tools)
        try:
            ids = fill(ws)
        finally:
            ws.close()
    return root / "filled.db", ids


@pytest.fixture
def filled(
    filled_template: tuple[Path, Filled], tmp_path: Path, tools_dir: Path
) -> Iterator[Filled]:
    """A private copy of the filled database, open in a workspace."""
    template, ids = filled_template
    db = tmp_path / "filled.db"
    shutil.copyfile(template, db)
    db.chmod(0o600)
    ws = make_workspace(db, tools_dir)
    yield dataclasses.replace(ids, ws=ws)
    ws.close()
