"""The `auditui` command: opens the TUI, or runs one scripted operation.

Every command is a thin face on the services in the core (spec/cli.md).
Errors raised as ``AuditUIError`` become one plain line on stderr and exit
code 1; click's own usage errors exit 2. No traceback for bad input.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import gc
import os
import sys
import threading
from pathlib import Path

import click

from auditui import __version__
from auditui.cli.context import Settings, fail_on_error
from auditui.errors import AuditUIError

HOMES = {
    "tools": "tools_cmd",
    "demo": "demo_cmd",
    "audit": "audit_cmd",
    "action": "action_cmd",
    "actions": "action_cmd",
    "sync": "sync_cmd",
    "hub": "hub_cmd",
    "report": "report_cmd",
    "export": "export_cmd",
    "moderation": "moderation_cmd",
    "concern": "concern_cmd",
    "concerns": "concern_cmd",
    "cases": "cases_cmd",
    "programme": "programme_cmd",
}
"""Which face module holds each command, so running one imports only its module. A name
not here (or not found there) loads every module listed in ``cli.commands``."""


class CommandGroup(click.Group):
    """The `auditui` group, whose commands are imported the first time click asks for one.

    Opening the terminal app (`auditui` alone) never asks, so it does not pay
    for importing any command module; `auditui export csv` imports the export
    command's module alone; only `--help` (which lists them all) loads every one.
    """

    loaded = False

    def _load(self) -> None:
        if not self.loaded:
            from auditui.cli import commands

            for command in commands.all_commands():
                self.add_command(command)
            self.loaded = True

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in HOMES and not self.loaded:
            import importlib

            module = importlib.import_module(f"auditui.cli.{HOMES[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        if cmd_name not in self.commands:
            self._load()
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db",
    type=click.Path(path_type=Path),
    envvar="AUDITUI_DB",
    help="The local database file (env AUDITUI_DB).",
)
@click.option(
    "--tools-dir",
    "tools_dirs",
    type=click.Path(path_type=Path),
    multiple=True,
    help="A directory of audit tool files; repeatable (env AUDITUI_TOOLS).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    envvar="AUDITUI_CONFIG",
    help="The configuration file (env AUDITUI_CONFIG).",
)
@click.version_option(__version__, prog_name="auditui")
@click.pass_context
def cli(
    ctx: click.Context, db: Path | None, tools_dirs: tuple[Path, ...], config_path: Path | None
) -> None:
    """Offline case-file audits for children's social care.

    With no command, opens the terminal app.
    """
    ctx.obj = Settings(db=db, tools_dirs=list(tools_dirs), config_path=config_path)
    if ctx.invoked_subcommand is None:
        global _ran_app
        _ran_app = True
        # Start-up makes ~100,000 long-lived objects (modules, classes, styles); letting the
        # cyclic GC scan them while the first frame is built cost 15-20 ms. The app freezes
        # them and turns the GC back on once that frame is up (AuditApp.on_ready).
        gc.set_threshold(*_DEFAULT_GC_THRESHOLD)  # a long session: the usual collector
        gc.disable()
        try:
            with fail_on_error():
                from auditui.tui.run import run_tui

                run_tui(ctx.obj)
        finally:
            gc.enable()


_ran_app = False
"""Whether this process ran the terminal app, which leaves by the usual exit."""

OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EBADF})
"""Errors writing standard output (``> /dev/full``, a full disk, a vanished terminal)."""


COMMAND_GC_THRESHOLD = (50_000, 20, 20)
"""The cyclic collector's thresholds while one command runs (Python's are (700, 10, 10)).
Loading a command's modules makes objects by the ten thousand, none of them garbage, and
the collector looked at them 36 times in `auditui export csv`: 5 ms. It runs far less
often now, and a command that does make cyclic garbage still has it collected."""
_DEFAULT_GC_THRESHOLD = gc.get_threshold()


def entry() -> None:
    """The `auditui` command itself (``python -m auditui`` too): ``main``, then ``leave``."""
    gc.set_threshold(*COMMAND_GC_THRESHOLD)
    try:
        main()
    except SystemExit as exc:
        leave(exc.code)
        raise
    leave(0)


def leave(code: object) -> None:
    """End a command's process without the interpreter's own teardown.

    A command's work is done and its files closed when it returns; what Python
    then does is take its 200-odd modules apart, one object at a time: 10-12
    ms, paid again by every command a script runs (measured with ``strace``
    on `auditui export csv`). Here the exit handlers still run (``atexit``:
    temporary folders, logging, anything a library registered) and the
    standard streams are flushed, then the process ends. Returns, so the
    usual exit happens, for the terminal app, for an exit code that is not a
    number, or while another thread runs (it would be cut short).
    """
    if _ran_app or not (code is None or isinstance(code, int)) or threading.active_count() > 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # let the usual exit report or drop what cannot be written
    atexit._run_exitfuncs()
    os._exit(code or 0)


def main() -> None:
    try:
        try:
            cli(prog_name="auditui")
        finally:
            # Output still buffered is written here, not in the interpreter's shutdown,
            # so a failure to write it is reported like any other.
            if sys.stdout is not None:
                sys.stdout.flush()
    except AuditUIError as exc:  # pragma: no cover - fail_on_error catches first
        click.echo(f"auditui: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _drop_output()  # `auditui actions | head`: the reader has what it wanted
        sys.exit(0)
    except OSError as exc:
        if exc.errno not in OUTPUT_ERRNOS:
            raise
        _drop_output()
        click.echo(f"auditui: cannot write the output: {exc.strerror or exc}.", err=True)
        sys.exit(1)


def _drop_output() -> None:
    """What is left in stdout's buffer cannot be written either: send it nowhere, so exit is quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
