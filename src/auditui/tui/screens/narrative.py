"""The QA lead's words for the board's pack: "What do we know", "How do we know", "What next".

Each section is kept with the period as it is typed (the file
``report pack`` reads for the same dates, through
``services.pack_narrative``), so Escape, a closed terminal or a crash
loses nothing. A kept file this screen cannot read (edited by hand into
something else) is shown as the refusal and left alone: the boxes are
read-only, so nothing typed here can overwrite it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Static, TextArea

from auditui.domain.records import parse_date
from auditui.domain.uk_dates import format_period
from auditui.errors import AuditUIError
from auditui.services.pack_narrative import (
    NARRATIVE_HEADINGS,
    Narrative,
    store_narrative,
    stored_narrative,
)
from auditui.services.workspace import Workspace
from auditui.tui.feedback import show_error
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.title_bar import TitleBar

AREA_IDS = ("what-we-know", "how-we-know", "what-next")


class NarrativeScreen(Screen[None]):
    """Three boxes of plain text for one period, kept as typed."""

    DEFAULT_CSS = """
    NarrativeScreen #narrative { padding: 0 1; }
    NarrativeScreen #narrative-state { height: auto; color: $text-muted; }
    NarrativeScreen #narrative-error { height: auto; color: $error; display: none; }
    NarrativeScreen #narrative-error.-shown { display: block; }
    NarrativeScreen .narrative-label { text-style: bold; margin-top: 1; }
    NarrativeScreen.-short .narrative-label { margin-top: 0; }
    NarrativeScreen .narrative-text { height: 1fr; min-height: 3; }
    """

    HELP_TITLE = "Narrative for the board's pack"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            tooltip="Go back; what you typed is already kept with the period.",
            id="narrative.back",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Keep the three sections now (they are kept as you type too).",
            id="narrative.save",
        ),
    ]

    def __init__(self, workspace: Workspace, start: dt.date | str, end: dt.date | str) -> None:
        super().__init__()
        self.workspace = workspace
        self.start = parse_date(start, "Report from")
        self.end = parse_date(end, "Report to")
        self.problem: AuditUIError | None = None
        self.warned = False
        try:
            self.saved = stored_narrative(workspace, self.start, self.end)
        except AuditUIError as error:
            self.saved, self.problem = Narrative(), error

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="narrative"):
            yield Static(
                f"[b]The board's pack[/b], {format_period(self.start, self.end)}",
                id="narrative-title",
            )
            yield Static(self._state(), id="narrative-state")
            yield Static("", id="narrative-error", markup=False)
            for heading, area_id, text in zip(
                NARRATIVE_HEADINGS, AREA_IDS, self.saved.texts, strict=True
            ):
                yield Label(heading, classes="narrative-label")
                area = TextArea(
                    text,
                    id=area_id,
                    soft_wrap=True,
                    tab_behavior="focus",
                    show_line_numbers=False,
                    classes="narrative-text",
                )
                area.read_only = self.problem is not None
                yield area
        yield KeyBar()

    def _state(self) -> str:
        if self.problem is not None:
            return "Read-only: the kept file cannot be read, so nothing here will change it."
        return "Kept with the period as you type; report pack prints it. Tab: next box."

    def on_resize(self) -> None:
        """Three boxes of one height: each takes a third again, then all take the smallest
        (thirds of an odd number of rows made the first box a row shorter)."""
        for area in self.query(".narrative-text"):
            area.styles.height = "1fr"
        self.call_after_refresh(self._even_boxes)

    def _even_boxes(self) -> None:
        areas = list(self.query(".narrative-text"))
        heights = {area.outer_size.height for area in areas}
        if len(heights) > 1:
            for area in areas:
                area.styles.height = min(heights)

    def on_mount(self) -> None:
        self.sub_title = "Narrative"
        if self.problem is not None:
            self._say(self.problem.message)
            show_error(self, self.problem)
        self.query_one(f"#{AREA_IDS[0]}", TextArea).focus()

    def current(self) -> Narrative:
        return Narrative(*(self.query_one(f"#{i}", TextArea).text for i in AREA_IDS))

    def keep(self) -> bool:
        """Keep what is typed if it differs from what is kept; a refusal is shown."""
        if self.problem is not None:
            return False
        typed = self.current()
        if typed == self.saved:
            return True
        try:
            store_narrative(self.workspace, self.start, self.end, typed)
        except AuditUIError as error:
            self._say(error.message)
            return False
        self._say("")
        self.saved = typed
        return True

    def _say(self, sentence: str) -> None:
        box = self.query_one("#narrative-error", Static)
        box.update(sentence)
        box.set_class(bool(sentence), "-shown")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.keep()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "save" and self.problem is not None)

    def action_save(self) -> None:
        if self.keep():
            self.notify("The narrative is kept with the period.", timeout=2)

    def action_back(self) -> None:
        """Leave; if the last change was refused, say so once and stay (a second Escape
        leaves, keeping what was kept before it)."""
        if self.keep() or self.warned:
            self.dismiss(None)
            return
        self.warned = True
        self.notify(
            "The last change was not kept (see above); press Escape again to leave without it.",
            severity="warning",
            timeout=6,
        )
