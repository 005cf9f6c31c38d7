"""Home's "Planned for you": the QA lead's plan items allocated to this auditor.

A few lines above the list of audits (at most four items in view, the
rest a scroll away), so the audits stay on screen at 80x24. Hidden when
the user has nothing planned. The rows and their due status come from
``services.planned_for_you``; Enter on one is the home screen's to act on.

The first reading waits for home's first frame (as the side panel's count
of due actions does): the programme's modules are not needed to draw it,
and most people have nothing planned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.palette import AMBER, OVERDUE

if TYPE_CHECKING:
    from auditui.services.planned_for_you import PlannedForYou
    from auditui.tui.widgets.planned_table import PlannedTable


def _due_style(planned: PlannedForYou) -> str:
    """Red when overdue, amber when the month ends within a few working days."""
    if planned.overdue:
        return OVERDUE
    return AMBER if planned.due_soon else ""


COLUMNS = ("Case", "Team", "Tool", "Status", "Due")
SCROLLBAR = 2
"""Kept free for the table's scrollbar (more than four items scroll)."""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class PlannedPanel(Vertical):
    """A title line and the user's plan items; not shown when there are none."""

    DEFAULT_CSS = """
    PlannedPanel { height: auto; display: none; margin-bottom: 1; }
    PlannedPanel #planned-title { height: 1; padding: 0 1; }
    PlannedPanel PlannedTable { height: auto; max-height: 5; }
    """

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
        self.items: list[PlannedForYou] = []
        self._first_frame_drawn = False

    def compose(self) -> ComposeResult:
        yield Static("", id="planned-title")  # the table is mounted when there are items

    @property
    def table(self) -> PlannedTable:
        from auditui.tui.widgets.planned_table import PlannedTable

        found = self.query(PlannedTable)
        if found:
            return found.first()
        table = PlannedTable(id="planned", cursor_type="row", zebra_stripes=True)
        self.mount(table)
        return table

    @property
    def current(self) -> PlannedForYou | None:
        """The highlighted item, if any."""
        if not self.items:
            return None
        row = self.table.cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    def refresh_items(self) -> None:
        """Read the user's plan items again (raises ``AuditUIError``), keeping the cursor;
        the first time, once the first frame is drawn."""
        if not self._first_frame_drawn:
            self._first_frame_drawn = True
            self.call_after_refresh(self._first_reading)
            return
        self._read()

    def _first_reading(self) -> None:
        with reported(self):
            self._read()

    def on_resize(self) -> None:
        if self.items:  # the columns share the new width
            row = self.table.cursor_row
            self._fill(self.table)
            self.table.move_cursor(row=row)

    def _fill(self, table: PlannedTable) -> None:
        """The rows, every column inside the panel: case, status and due whole, team and
        tool sharing what is left (cut with an ellipsis), so Due is never under the
        scrollbar (issue 13 review item 8)."""
        table.clear(columns=True)
        cells = [
            (p.item.case_ref, p.item.team, p.item.tool, p.item.status, p.due) for p in self.items
        ]
        whole = [max(len(row[n]) for row in cells) for n in range(5)]
        whole = [max(w, len(name)) for w, name in zip(whole, COLUMNS, strict=True)]
        room = (self.size.width or 66) - SCROLLBAR - 2 * len(COLUMNS)
        left = room - whole[0] - whole[3] - whole[4]
        team = min(whole[1], max(6, left * 55 // 100))
        tool = min(whole[2], max(6, left - team))
        team = min(whole[1], max(6, left - tool))  # what the tool does not need
        for name, width in zip(COLUMNS, (whole[0], team, tool, whole[3], whole[4]), strict=True):
            table.add_column(name, key=name.lower(), width=width)
        for planned, row in zip(self.items, cells, strict=True):
            # Text, not str: a DataTable reads a str as markup, and a team is typed by people.
            widths = (whole[0], team, tool, whole[3], whole[4])
            texts = [Text(_cut(value, width)) for value, width in zip(row, widths, strict=True)]
            texts[4].stylize(_due_style(planned))
            table.add_row(*texts, key=planned.item.id)

    def _read(self) -> None:
        from auditui.services.planned_for_you import planned_for_you

        before = self.current
        self.items = planned_for_you(self.workspace)
        self.display = bool(self.items)
        if not self.items:
            return
        table = self.table
        row = table.cursor_row
        ids = [p.item.id for p in self.items]
        if before is not None and before.item.id in ids:
            row = ids.index(before.item.id)  # the same item, wherever its new status sorts it
        self._fill(table)
        table.move_cursor(row=min(max(row, 0), len(self.items) - 1))
        waiting = sum(1 for p in self.items if p.item.status != "ended")
        overdue = sum(1 for p in self.items if p.overdue)
        title = Text("Planned for you", style="bold")
        title.append(f": {waiting} to do", style="")
        if overdue:
            title.append(f", {overdue} overdue", style=OVERDUE)
        title.append("  p then Enter: start or open", style="dim")
        self.query_one("#planned-title", Static).update(title)
