"""Actions as rows that fit the terminal, and the one action in full beneath them.

The team manager follows up actions by due date and owner, so those columns
always show, then as much of the action's text as fits; team and case join
when there is room (about 100 and 120 columns). Nothing is pushed off the
right edge: a column that does not fit is left out, and the text is cut with
an ellipsis, because the detail pane under the table shows the whole action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from auditui.domain.working_days import describe_due, format_day
from auditui.services.actions import ActionView
from auditui.tui.widgets.side_panel import days_left_words, due_style

CELL_PADDING = 2
"""A DataTable cell's padding, one each side."""
SCROLLBAR = 2
"""Kept free for the table's vertical scrollbar, so no column jumps when it appears."""
ACTION_FIRST = 30
"""The action's text keeps at least this many cells before team or case are added."""


class BoardTable(DataTable[object]):
    """The board's rows; its footer says that Enter opens the highlighted action's audit
    (a plain table's Enter is a hidden key, so the bar never showed it)."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open audit",
            tooltip="Open the audit the highlighted action belongs to.",
            id="board.open_row",
        )
    ]


@dataclass(frozen=True)
class ActionColumn:
    key: str
    title: str
    width: int


DUE = ActionColumn("due", "Due", 10)
DAYS = ActionColumn("left", "Days", 11)
OWNER = ActionColumn("owner", "Owner", 14)
TEAM = ActionColumn("team", "Team", 14)
CASE = ActionColumn("case", "Case", 10)
STATUS = ActionColumn("status", "Status", 11)
OWNER_NARROW = ActionColumn("owner", "Owner", 12)


def fitted_columns(
    width: int, fixed: tuple[ActionColumn, ...], optional: tuple[ActionColumn, ...]
) -> list[ActionColumn]:
    """``fixed`` columns, then each ``optional`` one while the action keeps ``ACTION_FIRST``
    cells, then the action's column taking the rest (in the order of ``fixed`` + action +
    optional)."""
    room = width - SCROLLBAR - CELL_PADDING - sum(c.width + CELL_PADDING for c in fixed)
    extra: list[ActionColumn] = []
    for column in optional:
        if room - (column.width + CELL_PADDING) >= ACTION_FIRST + len(extra) * 6:
            extra.append(column)
            room -= column.width + CELL_PADDING
    return [*fixed, ActionColumn("text", "Action", max(room, 12)), *extra]


def board_columns(width: int) -> list[ActionColumn]:
    """The actions board's columns for a table ``width`` cells wide."""
    return fitted_columns(width, (DUE, DAYS, OWNER), (TEAM, CASE))


def audit_action_columns(width: int) -> list[ActionColumn]:
    """One audit's actions list: every status shows, so Status always has its column."""
    return fitted_columns(width, (DUE, STATUS, OWNER_NARROW), (DAYS,))


def status_words(view: ActionView, today: dt.date) -> str:
    action = view.action
    if action.status == "done" and action.completed_on:
        return f"done {short_day(action.completed_on, today).split(' ', 1)[1]}"
    return action.status


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, an ellipsis marking a cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def short_day(day: dt.date, today: dt.date) -> str:
    """``Wed 25 Feb``, with the year only when it is not this year."""
    words = format_day(day)
    return words.rsplit(" ", 1)[0] if day.year == today.year else words


def days_left_text(left: int | None) -> Text:
    return Text(days_left_words(left), style=due_style(left), justify="right")


def action_cells(view: ActionView, columns: list[ActionColumn], today: dt.date) -> list[Text | str]:
    """One row of the board or of an audit's actions list, a cell per column."""
    action = view.action
    left = view.working_days_left
    cells: list[Text | str] = []
    for column in columns:
        if column.key == "due":
            style = due_style(left) if action.status == "open" else "dim"
            cells.append(Text(cut(short_day(action.due, today), column.width), style=style))
        elif column.key == "status":
            cells.append(cut(status_words(view, today), column.width))
        elif column.key == "left":
            cells.append(days_left_text(left if action.status == "open" else None))
        elif column.key == "text":
            # Over a hub, the text stays on the auditor's machine unless the organisation shares it.
            if action.text:
                cells.append(cut(action.text, column.width))
            else:
                cells.append(Text("(kept local)", style="dim"))
        elif column.key == "owner":
            cells.append(cut(action.owner, column.width))
        elif column.key == "team":
            cells.append(cut(action.team, column.width))
        elif column.key == "case":
            cells.append(cut(action.case_ref, column.width) or Text("-", style="dim"))
    return cells


def action_detail(view: ActionView | None, today: dt.date, calendar: str) -> Text:
    """The highlighted action in full: its text, then who, where and when."""
    text = Text()
    if view is None:
        return text
    action = view.action
    text.append(action.text or "(the action's text is kept on the auditor's machine)", "bold")
    text.append("\n")
    if action.status == "open":
        day = format_day(action.due)
        words = describe_due(action.due, today, calendar)
        words = words if day in words else f"{words} ({day})"
        text.append(words, style=due_style(view.working_days_left))
    else:
        text.append(f"due {format_day(action.due)}, {action.status}", style="dim")
        if action.completed_on:
            text.append(f" on {format_day(action.completed_on)}", style="dim")
    text.append(f" · {action.owner}")
    if action.team:
        text.append(f" · {action.team}")
    if action.case_ref:
        text.append(f" · case {action.case_ref}")
    else:  # a hub's copy: pseudonymised, the reference stays with the auditor
        text.append(" · case reference kept by the auditor", style="dim")
    if action.evidence:
        text.append(f"\nEvidence: {action.evidence}")
    return text
