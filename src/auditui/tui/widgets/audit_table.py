"""The home screen's list of audits, read a page at a time and drawn a line at a time.

A QA officer's database can hold ten thousand audits. The list asks the
service for one page (newest first) and fetches the next only when the
cursor or the view comes near the end, so opening the app never reads
every row; and it draws only the rows on screen, one ``Strip`` each, with
columns fitted to the width (long tool and team names are shortened, never
pushed off the edge of an 80-column terminal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from auditui.domain.percent import round_half_up
from auditui.domain.records import Audit
from auditui.errors import AuditUIError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.feedback import show_error
from auditui.tui.widgets.audit_columns import (
    COLUMNS,
    GRADE,
    SHORT_STATUS,
    STATUS,
    changed_label,
    column_titles,
    column_widths,
    fit,
    grade_cell,
    list_grade,
)

FIRST_PAGE = 40
"""Rows fetched when the list is (re)loaded: a screenful and some, so it opens fast."""
PAGE = 100
"""Rows fetched each time the cursor or the view nears the end."""
NEAR_END = 10
"""Fetch the next page when this close to the last loaded row."""


DEMO_MARK = "*"
"""Before a demo audit's case reference: the count line under the list says what it means."""


class AuditTable(Widget, can_focus=True):
    """Audits newest first, for the status and search the home screen sets."""

    DEFAULT_CSS = """
    AuditTable { height: 1fr; }
    AuditTable > .audit-table--header { text-style: bold; background: $primary 30%; }
    AuditTable > .audit-table--cursor { background: $block-cursor-blurred-background; }
    AuditTable:focus > .audit-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    AuditTable > .audit-table--dim { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "audit-table--header",
        "audit-table--cursor",
        "audit-table--dim",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,j", "move(1)", "Down", show=False, tooltip="The next audit.", id="audits.down"
        ),
        Binding(
            "up,k", "move(-1)", "Up", show=False, tooltip="The previous audit.", id="audits.up"
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            show=False,
            tooltip="A screenful further.",
            id="audits.page_down",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Page up",
            show=False,
            tooltip="A screenful back.",
            id="audits.page_up",
        ),
        Binding(
            "home", "first", "First", show=False, tooltip="The newest audit.", id="audits.first"
        ),
        Binding(
            "end",
            "last",
            "Last",
            show=False,
            tooltip="The oldest audit (reads every remaining page).",
            id="audits.last",
        ),
    ]

    @dataclass
    class Highlighted(Message):
        """The cursor moved."""

        table: AuditTable

        @property
        def control(self) -> AuditTable:
            return self.table

    @dataclass
    class Chosen(Message):
        """The auditor picked an audit (Enter or a second click)."""

        table: AuditTable
        audit_id: str

        @property
        def control(self) -> AuditTable:
            return self.table

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
        self.status: str | None = "draft"
        self.search: str = ""
        self.total = 0
        self.rows: list[Audit] = []
        self.cursor_row = 0
        self.top = 0
        self._cells: dict[str, tuple[str, ...]] = {}
        self._strips: dict[tuple[int, bool, bool], Strip] = {}
        self._widths: tuple[tuple[int, tuple[int, ...]], list[int]] = ((-1, ()), [])
        self._styles_key: tuple[bool, int] | None = None
        self._styles: tuple[Style, Style, Style, Style] = (Style(), Style(), Style(), Style())
        self._today = workspace.today()

    # --- data -------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def loaded(self) -> int:
        return len(self.rows)

    def reload(self, status: str | None = None, search: str | None = None) -> None:
        """Start again from the newest audit (raises ``AuditUIError`` if the store fails)."""
        if status is not None:
            self.status = status or None
        if search is not None:
            self.search = search.strip()
        keep = self.cursor_row
        self.total = audits.count_audits(self.workspace, self.status, self.search or None)
        self.rows = []
        self._cells.clear()
        self._strips.clear()
        self._today = self.workspace.today()
        self._fetch(max(FIRST_PAGE, keep + NEAR_END + 1))
        self._place(min(keep, max(self.row_count - 1, 0)))
        self.refresh()

    def load_more(self, size: int = PAGE) -> None:
        if self.loaded < self.total:
            self._fetch(size)
            self.refresh()

    def _fetch(self, size: int) -> None:
        page = audits.list_audits(
            self.workspace, self.status, self.search or None, limit=size, offset=self.loaded
        )
        seen = {a.id for a in self.rows[-size:]}
        self.rows += [a for a in page if a.id not in seen]  # a concurrent change may shift pages
        if len(page) < size:
            self.total = len(self.rows)

    def _more(self, size: int = PAGE) -> None:
        try:
            self.load_more(size)
        except AuditUIError as error:
            show_error(self, error)

    def cells(self, index: int) -> tuple[str, ...]:
        """The row's texts, before fitting: case ref, tool, team, status, done, grade id,
        changed."""
        audit = self.rows[index]
        found = self._cells.get(audit.id)
        if found is None:
            found = (
                f"{DEMO_MARK}{audit.case_ref}" if audit.demo else audit.case_ref,
                audit.tool_id,
                audit.team,
                SHORT_STATUS.get(audit.status, audit.status),
                f"{round_half_up(audit.progress * 100, 0):.0f}%",
                list_grade(audit),  # "good?" while a draft's grade is only so far
                changed_label(audit.updated_at, self._today),
            )
            self._cells[audit.id] = found
        return found

    @property
    def current_audit_id(self) -> str | None:
        return self.rows[self.cursor_row].id if self.rows else None

    # --- drawing ----------------------------------------------------------

    @property
    def page_rows(self) -> int:
        return max(1, self.size.height - 1)

    def _line_styles(self) -> tuple[Style, Style, Style, Style]:
        """(base, header, cursor, dim), read from the CSS once per restyle."""
        key = (self.has_focus, id(self.styles))
        if self._styles_key != key:
            base = self.rich_style
            self._styles = (
                base,
                base + self.get_component_rich_style("audit-table--header"),
                base + self.get_component_rich_style("audit-table--cursor"),
                base + self.get_component_rich_style("audit-table--dim"),
            )
            self._styles_key = key
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_key = None
        self._strips.clear()

    @property
    def shown_columns(self) -> tuple[int, ...]:
        """Every column, but Status only on the "All" tab: elsewhere the tab says it."""
        return tuple(i for i in range(len(COLUMNS)) if i != STATUS or self.status is None)

    def _line(self, cells: tuple[str, ...], widths: list[int]) -> str:
        parts = []
        for i in self.shown_columns:
            cell = grade_cell(cells[i], widths[i]) if i == GRADE and cells[i] else cells[i]
            parts.append(fit(cell, widths[i], COLUMNS[i].right))
        return " " + " ".join(parts)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base, header, cursor, dim = self._line_styles()
        layout = (width, self.shown_columns)
        if self._widths[0] != layout:
            self._widths = (layout, column_widths(width, self.shown_columns))
            self._strips.clear()
        widths = self._widths[1]
        if y == 0:
            line = self._line(column_titles(widths), widths)
            return Strip([Segment(fit(line, width), header)], width)
        index = self.top + y - 1
        if index >= self.row_count:
            return Strip([Segment(" " * width, base)], width)
        is_cursor = index == self.cursor_row
        key = (index, is_cursor, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            text = self._line(self.cells(index), widths)
            style = base
            if is_cursor:
                style = cursor
            elif self.rows[index].status == "closed_incomplete":
                style = dim
            strip = Strip([Segment(fit(text, width), style)], width)
            self._strips[key] = strip
        return strip

    def on_resize(self) -> None:
        self._place(self.cursor_row)

    # --- moving -----------------------------------------------------------

    def _place(self, row: int) -> None:
        """Put the cursor on ``row`` and scroll just enough to show it."""
        row = max(0, min(row, self.row_count - 1)) if self.row_count else 0
        moved = row != self.cursor_row
        self.cursor_row = row
        if row < self.top:
            self.top = row
        elif row >= self.top + self.page_rows:
            self.top = row - self.page_rows + 1
        self.refresh()
        if moved or not self.rows:
            self.post_message(self.Highlighted(self))
        if self.row_count and row >= self.row_count - NEAR_END and self.loaded < self.total:
            self.call_after_refresh(self._more)

    def move_cursor(self, row: int) -> None:
        self._place(row)

    def action_move(self, step: int) -> None:
        self._place(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.top = max(0, self.top + step * self.page_rows)
        self._place(self.cursor_row + step * self.page_rows)

    def action_first(self) -> None:
        self._place(0)

    def action_last(self) -> None:
        if self.loaded < self.total:
            self._more(self.total - self.loaded)
        self._place(self.row_count - 1)

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.Chosen(self, self.rows[self.cursor_row].id))

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.top = min(self.top + 3, max(0, self.row_count - self.page_rows))
        if self.top + self.page_rows >= self.row_count - NEAR_END:
            self._more()
        self.refresh()

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.top = max(0, self.top - 3)
        self.refresh()

    async def _on_click(self, event: events.Click) -> None:
        index = self.top + event.y - 1
        if event.y == 0 or index >= self.row_count:
            return
        if index == self.cursor_row and event.chain >= 2:
            self.action_choose()
        self._place(index)
