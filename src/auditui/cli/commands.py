"""Every top-level command group, registered on the `auditui` group."""

from __future__ import annotations

import click

from auditui.cli.tools_cmd import tools

ALL: list[click.Command] = [tools]
