"""Drafts / Finalised / All: which audits the home list shows.

One line of text rather than Textual's ``Tabs`` (whose animated underline
costs more at start-up than the whole audit list); `s` cycles, a click
chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import Static

STATUS_TABS = (("draft", "Drafts"), ("finalised", "Finalised"), ("all", "All"))


class StatusTabs(Static):
    """The status filter; ``value`` is a status, or "all"."""

    DEFAULT_CSS = """
    StatusTabs { height: 1; padding: 0 1; }
    """

    @dataclass
    class Changed(Message):
        tabs: StatusTabs
        value: str

        @property
        def control(self) -> StatusTabs:
            return self.tabs

    def __init__(self, value: str = "draft", **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.value = value
        self._draw()

    def _draw(self) -> None:
        parts = []
        for key, label in STATUS_TABS:
            if key == self.value:
                parts.append(f"[b reverse] {label} [/]")
            else:
                parts.append(f" [dim]{label}[/] ")
        self.update("  ".join(parts) + "   [dim](t switches)[/]", layout=False)  # one fixed line

    def select(self, value: str) -> None:
        if value != self.value:
            self.value = value
            self._draw()
            self.post_message(self.Changed(self, value))

    def next(self) -> None:
        keys = [key for key, _ in STATUS_TABS]
        self.select(keys[(keys.index(self.value) + 1) % len(keys)])

    async def _on_click(self, event: events.Click) -> None:
        x = event.x - 1
        for key, label in STATUS_TABS:
            if 0 <= x < len(label) + 2:
                self.select(key)
                return
            x -= len(label) + 4
