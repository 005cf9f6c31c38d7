"""What every command shares: where the data is, and how errors are shown.

Settings are resolved lazily, so `auditui --help` and `auditui tools list`
never open the database.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditui.errors import AuditUIError

if TYPE_CHECKING:
    from auditui.config import Config
    from auditui.services.workspace import Workspace
    from auditui.tools.library import ToolLibrary


@dataclass
class Settings:
    """The common options: ``--db``, ``--tools-dir``, ``--config``."""

    db: Path | None = None
    tools_dirs: list[Path] = field(default_factory=list)
    config_path: Path | None = None

    @cached_property
    def config(self) -> Config:
        from auditui.config import load_config

        return load_config(self.config_path)

    @cached_property
    def library(self) -> ToolLibrary:
        from auditui.tools.library import ToolLibrary, user_tools_dirs

        return ToolLibrary.load(user_tools_dirs(self.tools_dirs))

    @property
    def db_path(self) -> Path:
        from auditui.config import default_db_path

        return self.db if self.db is not None else default_db_path()


@contextlib.contextmanager
def fail_on_error() -> Iterator[None]:
    """Turn an ``AuditUIError`` into its message on stderr and exit code 1."""
    try:
        yield
    except AuditUIError as exc:
        for line in exc.message.splitlines() or [exc.title]:
            click.echo(f"auditui: {line}" if not line.startswith("/") else line, err=True)
        sys.exit(exc.exit_code)


_warned: set[Path] = set()
"""Databases whose start-up warnings this process has already shown."""


def open_workspace(settings: Settings) -> Workspace:
    """The services' workspace on the chosen database, tools and config.

    Warnings about the database (e.g. other users can read it) go to stderr,
    once per database per process. Call inside ``fail_on_error()``.
    """
    from auditui.services.workspace import Workspace

    ws = Workspace.open(settings.db_path, settings.library, settings.config)
    if ws.store.path not in _warned:
        _warned.add(ws.store.path)
        for warning in ws.store.warnings:
            click.echo(f"auditui: warning: {warning}", err=True)
    return ws


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


pass_settings = click.make_pass_decorator(Settings)
