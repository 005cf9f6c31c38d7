"""The bottom line: the keys that work here, from the screen's own bindings.

Textual's ``Footer`` rebuilds a widget per key every time the bindings
change, which in the walker is every question; that cost more than the
answer itself. This bar draws the same information (show=True bindings,
grouped as ``Binding.Group`` says, dimmed when disabled) as one line of
text, so moving on stays instant.

When the keys do not fit (home at 80 columns), Quit gives way first (q,
ctrl+q and ctrl+c still quit, and `?` lists it), then each description is
cut to its first word; only then is the line clipped.
"""

from __future__ import annotations

from typing import Any

from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Static

PALETTE_HINT_WIDTH = 100
"""Below this width the "^p palette" hint gives way to the screen's own keys."""


def _width(entries: list[tuple[str, str, bool]]) -> int:
    """Cells the entries take: "key description", two spaces between."""
    return sum(len(keys) + 1 + len(description) for keys, description, _ in entries) + 2 * max(
        len(entries) - 1, 0
    )


class KeyBar(Static):
    """A one-line footer of the active, shown bindings."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self._line: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._redraw()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._redraw()

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self._redraw()

    def keys(self) -> list[tuple[str, str, bool]]:
        """(keys, description, enabled) in footer order, one entry per action or group."""
        entries: list[tuple[str, str, bool]] = []
        groups: dict[object, int] = {}
        actions: set[str] = set()
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            key = self.app.get_key_display(binding)
            if binding.group is not None:
                if binding.group in groups:
                    keys, description, was_enabled = entries[groups[binding.group]]
                    joiner = "" if binding.group.compact else " "
                    entries[groups[binding.group]] = (
                        f"{keys}{joiner}{key}",
                        description,
                        was_enabled or enabled,
                    )
                    continue
                groups[binding.group] = len(entries)
                entries.append((key, binding.group.description, enabled))
            else:
                entries.append((key, binding.description, enabled))
        return entries

    def fitted_keys(self, room: int) -> list[tuple[str, str, bool]]:
        """The entries to show in ``room`` cells: all, else without Quit, else shortened."""
        entries = self.keys()
        if _width(entries) <= room:
            return entries
        entries = [e for e in entries if e[1] != "Quit"]
        if _width(entries) <= room:
            return entries
        return [(keys, description.split()[0], on) for keys, description, on in entries]

    def _redraw(self) -> None:
        parts = []
        entries = self.fitted_keys(self.content_size.width or 78)
        width = _width(entries)
        for keys, description, enabled in entries:
            style = "b $footer-key-foreground" if enabled else "dim"
            words = escape(description) if enabled else f"[dim]{escape(description)}[/]"
            parts.append(f"[{style}]{escape(keys)}[/] {words}")
        line = "  ".join(parts)
        hint = "^p palette"
        room = self.content_size.width - width - len(hint) - 2  # a margin before the edge
        if self.size.width >= PALETTE_HINT_WIDTH and self.app.ENABLE_COMMAND_PALETTE and room > 0:
            line += " " * room + "[b $footer-key-foreground]^p[/] palette"
        if line != self._line:
            # One line, docked: its size never changes, so no layout pass (each one
            # re-lays the whole screen, and bindings change several times at start-up).
            self._line = line
            self.update(line, layout=False)
