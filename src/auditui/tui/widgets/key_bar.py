"""The bottom line: the keys that work here, from the screen's own bindings.

Textual's ``Footer`` rebuilds a widget per key every time the bindings
change, which in the walker is every question; that cost more than the
answer itself. This bar draws the same information (show=True bindings,
grouped as ``Binding.Group`` says, dimmed when disabled) as one line of
text, so moving on stays instant.

When the keys do not fit, Quit gives way first (q, ctrl+q and ctrl+c still
quit, and `?` lists it), then each description is cut to its first word; a
screen with more keys than that (home: planned, progress, moderation) takes
a second line rather than hide any (issue 13 review item 14); only then is a
line clipped. The bar's height changes only when that choice does.
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
        self._lines = 1

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
        """The entries to show in ``room`` cells, every line's together."""
        return [entry for line in self.fitted_lines(room) for entry in line]

    def fitted_lines(self, room: int) -> list[list[tuple[str, str, bool]]]:
        """The entries, line by line, for ``room`` cells: one line of all, else without
        Quit, else shortened; else two lines, whole words if they fit, else shortened."""
        entries = self.keys()
        if _width(entries) <= room:
            return [entries]
        entries = [e for e in entries if e[1] != "Quit"]
        if _width(entries) <= room:
            return [entries]
        short = [(keys, description.split()[0], on) for keys, description, on in entries]
        if _width(short) <= room:
            return [short]
        for candidate in (entries, short):
            lines = _two_lines(candidate, room)
            if lines is not None:
                return lines
        return [short]

    def _redraw(self) -> None:
        fitted = self.fitted_lines(self.content_size.width or 78)
        text = "\n".join(_markup(entries) for entries in fitted)
        hint = "^p palette"
        room = self.content_size.width - _width(fitted[0]) - len(hint) - 2  # a margin
        if (
            len(fitted) == 1
            and self.size.width >= PALETTE_HINT_WIDTH
            and self.app.ENABLE_COMMAND_PALETTE
            and room > 0
        ):
            text += " " * room + "[b $footer-key-foreground]^p[/] palette"
        if text != self._line:
            self._line = text
            if len(fitted) != self._lines:
                # A second line (or back to one): the one layout pass this bar asks for.
                self._lines = len(fitted)
                self.styles.height = len(fitted)
                self.update(text)
            else:
                # Same height, docked: no layout pass (each one re-lays the whole
                # screen, and bindings change several times at start-up).
                self.update(text, layout=False)


def _markup(entries: list[tuple[str, str, bool]]) -> str:
    parts = []
    for keys, description, enabled in entries:
        style = "b $footer-key-foreground" if enabled else "dim"
        words = escape(description) if enabled else f"[dim]{escape(description)}[/]"
        parts.append(f"[{style}]{escape(keys)}[/] {words}")
    return "  ".join(parts)


def _two_lines(
    entries: list[tuple[str, str, bool]], room: int
) -> list[list[tuple[str, str, bool]]] | None:
    """The entries in order on two lines of ``room`` cells, the first as full as it can
    be; None when they need more."""
    first: list[tuple[str, str, bool]] = []
    for n, entry in enumerate(entries):
        if _width([*first, entry]) > room:
            rest = entries[n:]
            return [first, rest] if _width(rest) <= room else None
        first.append(entry)
    return [first]
