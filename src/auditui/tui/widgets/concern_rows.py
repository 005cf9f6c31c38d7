"""Open safeguarding concerns as rows on the team manager's board, and one in full.

A concern must be acknowledged the same working day it was raised (one
raised on a weekend or bank holiday, the next working day) and closed with
an outcome; so each row says how old it is in working days and whether it
was acknowledged in time, in red when it was not and the day has passed.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from auditui.domain.working_days import WorkingCalendar, format_day, working_calendar
from auditui.services.concerns import ConcernView, working_day
from auditui.tui.palette import AMBER, OVERDUE
from auditui.tui.widgets.action_rows import CELL_PADDING, SCROLLBAR, ActionColumn, cut, short_day

RAISED = ActionColumn("raised", "Raised", 10)
AGE = ActionColumn("age", "Age", 15)
"""Wide enough for ``14 working days``: the age in words, never ``0 wd``."""
ACK = ActionColumn("ack", "Acknowledged", 13)
TEAM = ActionColumn("team", "Team", 14)
LATE = ("not yet: late", "late")
"""Not acknowledged the same working day (as ``concern_counts`` counts them)."""
TEXT_FIRST = 24
"""The concern's text keeps at least this many cells before the team is added."""


def concern_columns(width: int) -> list[ActionColumn]:
    """Raised, age, acknowledgement and the concern's text; the team when there is room."""
    fixed = (RAISED, AGE, ACK)
    room = width - SCROLLBAR - CELL_PADDING - sum(c.width + CELL_PADDING for c in fixed)
    if room - (TEAM.width + CELL_PADDING) >= TEXT_FIRST:
        return [*fixed, TEAM, ActionColumn("text", "Concern", room - TEAM.width - CELL_PADDING)]
    return [*fixed, ActionColumn("text", "Concern", max(room, 12))]


def acknowledgement_due(concern: ConcernView, cal: WorkingCalendar) -> dt.date:
    """The working day the concern is to be acknowledged by (as ``concern_counts`` counts)."""
    raised = working_day(concern.raised_at)
    return raised if cal.is_working_day(raised) else cal.add_working_days(raised, 1)


def age_working_days(concern: ConcernView, today: dt.date, cal: WorkingCalendar) -> int:
    """Working days since the day it was due to be acknowledged: 0 on that day."""
    return max(0, cal.working_days_between(acknowledgement_due(concern, cal), today))


def age_words(age: int) -> str:
    """``today``, ``1 working day``, ``12 working days``."""
    if age == 0:
        return "today"
    return f"{age} working day" if age == 1 else f"{age} working days"


def acknowledgement(concern: ConcernView, today: dt.date, cal: WorkingCalendar) -> Text:
    """``same day``, ``late``, ``due today`` or ``NOT YET`` (red: the day has passed)."""
    due = acknowledgement_due(concern, cal)
    if concern.acknowledged_at is None:
        if today > due:
            return Text(LATE[0], style=OVERDUE)
        return Text("due today", style=AMBER)
    if working_day(concern.acknowledged_at) <= due:
        return Text("same day")
    return Text(LATE[1], style=AMBER)


def concern_cells(
    concern: ConcernView, columns: list[ActionColumn], today: dt.date, calendar: str
) -> list[Text | str]:
    cal = working_calendar(calendar)
    cells: list[Text | str] = []
    for column in columns:
        if column.key == "raised":
            cells.append(short_day(working_day(concern.raised_at), today))
        elif column.key == "age":
            cells.append(Text(age_words(age_working_days(concern, today, cal)), justify="right"))
        elif column.key == "ack":
            cells.append(acknowledgement(concern, today, cal))
        elif column.key == "team":
            cells.append(cut(concern.team, column.width))
        elif column.key == "text":
            cells.append(Text(cut(concern.text.replace("\n", " "), column.width), style="bold"))
    return cells


def concern_detail(concern: ConcernView, today: dt.date, calendar: str) -> Text:
    """The highlighted concern in full: its words, who raised it with whom, and its state."""
    cal = working_calendar(calendar)
    text = Text()
    text.append("Safeguarding concern: ", style=OVERDUE)
    text.append(concern.text, style="bold")
    raised = working_day(concern.raised_at)
    text.append(f"\nRaised {format_day(raised)} by {concern.raised_by}")
    if concern.raised_with:
        text.append(f", with {concern.raised_with}")
    if concern.team:
        text.append(f" · {concern.team}")
    age = age_working_days(concern, today, cal)
    text.append(f" · {age} working day{'' if age == 1 else 's'} old · acknowledged: ")
    ack = acknowledgement(concern, today, cal)
    if concern.acknowledged_at is not None:
        ack.append(f" ({format_day(working_day(concern.acknowledged_at))})")
    text.append_text(ack)
    return text
