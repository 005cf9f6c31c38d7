"""What the sync tests that drive the real TUI (Pilot) share: the current screen's text, and
the way to the Reports screen's moderation view.

Kept apart from ``sync_support`` so that the hub tests that never draw a screen do not
import Textual.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from auditui.tui.app import AuditApp


def screen_text(app: AuditApp) -> str:
    """Everything the current screen's text widgets hold, as plain text (tables drawn)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    for widget in app.screen.query(Static):
        content = widget.content
        console.print(content if not isinstance(content, str) else Text.from_markup(content))
    return console.export_text()


async def open_moderation_view(app: AuditApp, pilot: Any) -> None:
    """From home: `r` opens Reports (its figures counted in a worker), four `v` reach the
    moderation view."""
    await pilot.press("r")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press(*"vvvv")
    await pilot.pause()
