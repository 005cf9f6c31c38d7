"""Every top-level command, registered on the `auditui` group.

Each face module exposes ``COMMANDS``; adding a module here is the one
place a new command group is wired in.
"""

from __future__ import annotations

import importlib

import click

MODULES = [
    "tools_cmd",
    "demo_cmd",
    "audit_cmd",
    "action_cmd",
    "sync_cmd",
    "hub_cmd",
    "report_cmd",
    "export_cmd",
    "cases_cmd",
    "programme_cmd",
    "concern_cmd",
    "moderation_cmd",
]


def all_commands() -> list[click.Command]:
    found: list[click.Command] = []
    for name in MODULES:
        found += importlib.import_module(f"auditui.cli.{name}").COMMANDS
    return found
