"""The top line of every screen: "auditui — where you are".

Textual's ``Header`` composes three child widgets (icon, title, clock
space) and re-lays the screen when its title changes; at start-up that was
a measurable share of the time to the home screen. auditui needs only the
title and the screen's sub-title on one line, so this is one ``Static``
that redraws in place when either changes.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static


class TitleBar(Static):
    """The app's title and the screen's sub-title, centred on one docked line."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._retitle, init=False)
        self.watch(self.app, "sub_title", self._retitle, init=False)
        self.watch(self.screen, "title", self._retitle, init=False)
        self.watch(self.screen, "sub_title", self._retitle, init=False)
        self._retitle()

    def _retitle(self) -> None:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        self.update(app.format_title(title, sub_title), layout=False)
