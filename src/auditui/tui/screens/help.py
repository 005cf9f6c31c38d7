"""`?`: the keys of the screen underneath, generated from its bindings.

Nothing here is written by hand: each row is a ``Binding``'s key,
description and tooltip, so help cannot drift from what the keys do.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from auditui.tui.widgets.key_bar import KeyBar


class HelpScreen(ModalScreen[None]):
    """The keys that work on ``screen``, with what each one does."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box {
        width: 94%;
        max-width: 110;
        height: 90%;
        padding: 0 1;
        border: thick $primary;
        background: $surface;
    }
    HelpScreen #help-title { height: auto; padding: 1 0; }
    HelpScreen #help-foot { height: auto; padding-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Back to the screen.", id="help.close"),
        Binding(
            "question_mark",
            "close",
            "Close",
            show=False,
            key_display="?",
            tooltip="Back to the screen.",
            id="help.close2",
        ),
        Binding("q", "close", "Close", show=False, tooltip="Back to the screen.", id="help.close3"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            title = getattr(self.target, "HELP_TITLE", None) or type(self.target).__name__
            yield Static(f"[b]Keys: {title}[/b]", id="help-title")
            with VerticalScroll():
                yield Static(self._table(), id="help-table")
            yield Static(self._foot(), id="help-foot", markup=False)
        yield KeyBar()  # this window's keys, not those of the screen beneath

    def _foot(self) -> Text:
        foot = Text(
            "ctrl+p opens the command palette with the same actions. Escape closes this help.",
            style="dim",
        )
        mine = getattr(self.app, "user_keymap", {})
        if mine:
            foot.append(
                "\nYour keys ([keys] in config.toml, marked *): "
                + ", ".join(f"{binding_id} = {keys}" for binding_id, keys in mine.items()),
                style="",
            )
        return foot

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """(keys, description, tooltip) for each action, in binding order."""
        return [row for row, _ in self._rows()]

    def _rows(self) -> list[tuple[tuple[str, str, str], bool]]:
        keys: dict[tuple[int, str], list[str]] = {}
        found: dict[tuple[int, str], tuple[str, str, bool]] = {}
        mine = getattr(self.app, "user_keymap", {})
        for key, active in self.target.active_bindings.items():
            binding = active.binding
            if binding.system or not binding.description or binding.id is None:
                continue
            marker = (id(active.node), binding.action)
            shown = self.app.get_key_display(binding.with_key(key))
            keys.setdefault(marker, []).append(f"{shown}*" if binding.id in mine else shown)
            found.setdefault(marker, (binding.description, binding.tooltip, active.enabled))
        return [
            ((" ".join(dict.fromkeys(keys[marker])), description, tooltip), enabled)
            for marker, (description, tooltip, enabled) in found.items()
        ]

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_header=True, header_style="bold", padding=(0, 1))
        table.add_column("Key", no_wrap=True, style="bold")
        table.add_column("Action", no_wrap=True)
        table.add_column("What it does", ratio=1)
        for (keys, description, tooltip), enabled in self._rows():
            table.add_row(keys, description, tooltip, style="" if enabled else "dim")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
