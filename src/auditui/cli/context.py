"""What every command shares: where the data is, and how errors are shown.

Settings are resolved lazily, so `auditui --help` and `auditui tools list`
never open the database. Text that came from a file or the database (a
team, an owner, an action, a hub record) reaches the terminal only through
``terminal_text``: an escape sequence typed into an audit must not recolour,
retitle or rewrite the screen of the person reading it.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditui.errors import AuditUIError

HUB_HELP = "A folder hub (a directory) or a PostgreSQL hub (postgresql://...)."
"""The help every --hub option gives; here so a command names it without loading sync."""

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
        if self.db is not None:
            return self.db
        from auditui.config import default_db_path

        return default_db_path()


_OTHER_CONTROLS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069"
"""DEL, the C1 controls, and the bidirectional overrides that reorder what is shown."""
_UNSAFE = re.compile(f"[\x00-\x1f{_OTHER_CONTROLS}]")
_UNSAFE_IN_LINES = re.compile(f"\r(?!\n)|[\x00-\x09\x0b-\x0c\x0e-\x1f{_OTHER_CONTROLS}]")
"""As ``_UNSAFE``, but line breaks (``\n``, ``\r\n``) stay."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: object, *, lines: bool = False) -> str:
    """``text`` safe to print on a terminal: every control character shown as an escape.

    ``\x1b[31m`` arrives as the eight characters ``\x1b[31m``, a line break in a
    team name as ``\n``. With ``lines``, line breaks (``\n``, ``\r\n``) stay, for
    output that is made of lines (CSV, JSON); every other control is escaped.
    """
    value = "" if text is None else str(text)
    return (_UNSAFE_IN_LINES if lines else _UNSAFE).sub(_escaped, value)


def write_out(text: str) -> None:
    """Lines of CSV or JSON on stdout: exactly as made for a pipe or a file, escaped for a terminal."""
    if sys.stdout.isatty():
        text = terminal_text(text, lines=True)
    sys.stdout.write(text)


@contextlib.contextmanager
def fail_on_error() -> Iterator[None]:
    """Turn an ``AuditUIError`` into its message on stderr and exit code 1."""
    try:
        yield
    except AuditUIError as exc:
        for line in exc.message.splitlines() or [exc.title]:
            line = terminal_text(line)
            click.echo(f"auditui: {line}" if not line.startswith("/") else line, err=True)
        sys.exit(exc.exit_code)


_warned: set[Path] = set()
"""Databases whose start-up warnings this process has already shown."""


def open_workspace(settings: Settings) -> Workspace:
    """The services' workspace on the chosen database, tools and config.

    Warnings about the database (e.g. other users can read it) go to stderr,
    once per database per process. Call inside ``fail_on_error()``; the tools
    load on first use, inside it too.
    """
    from auditui.services.workspace import Workspace

    # The tools are read when a command first needs one: `actions` and `audit list`
    # work from the database alone and never import the tool models.
    # The config too is read when first needed: `export csv --table answers` never reads it.
    ws = Workspace.open(settings.db_path, lambda: settings.library, lambda: settings.config)
    if ws.store.path not in _warned:
        _warned.add(ws.store.path)
        for warning in ws.store.warnings:
            click.echo(f"auditui: warning: {warning}", err=True)
    return ws


def print_json(value: Any) -> None:
    """One JSON document on stdout (JSON itself escapes C0 controls; C1 ones too on a terminal)."""
    write_out(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


pass_settings = click.make_pass_decorator(Settings)
