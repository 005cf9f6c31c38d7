"""Entry points: the CLI's ``run_tui`` and the tests' ``make_app``.

Both build the app around a ``Workspace``, so a test hands in one on a
temporary database with a fixed clock and never touches the user's data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from auditui.config import Config
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp

if TYPE_CHECKING:
    from auditui.tools.library import ToolLibrary


class Settings(Protocol):
    """What the CLI resolved from ``--db``, ``--tools-dir`` and ``--config``."""

    @property
    def config(self) -> Config: ...

    @property
    def library(self) -> ToolLibrary: ...

    @property
    def db_path(self) -> Path: ...


def make_app(workspace: Workspace) -> AuditApp:
    return AuditApp(workspace)


def run_tui(settings: Settings) -> None:
    """Open the database named by the settings and run the app until the user quits."""
    workspace = Workspace.open(
        settings.db_path, library=lambda: settings.library, config=settings.config
    )
    try:
        make_app(workspace).run()
    finally:
        workspace.close()
