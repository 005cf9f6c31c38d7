"""The auditor's own share of the programme, as the home screen lists it.

An auditor opening auditui wants to know which planned audits are theirs
this month and which are late. This month's items allocated to the
configured user are listed with when they are due (the month's last day);
an earlier month's item that never ended is listed too, as overdue (its
status is ``missed``, spec/cli.md's word), until it ends or the QA lead
re-allocates it; a missed one whose audit is under way says so in its due
words ("started, not ended (Nov)"), so the auditor sees the work is begun.
The items and their status are ``services.programme``'s; this module only
chooses, orders and words them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditui.domain.plan_items import PlanItem
from auditui.domain.sampling import Month
from auditui.services import programme
from auditui.services.workspace import Workspace

ORDER = {"missed": 0, "planned": 1, "started": 2, "ended": 3}
"""Overdue (missed) first, then those not started, then those under way; ended ones last."""


@dataclass(frozen=True)
class PlannedForYou:
    """One plan item of the user's, with its due status in words."""

    item: PlanItem
    due: str
    """``due by 30 Nov``, ``overdue (Oct)`` (``overdue (Dec 25)`` from another year),
    ``started, not ended (Oct)`` (missed, its audit under way) or ``done``."""
    overdue: bool
    due_soon: bool = False
    """Not ended, and the month ends within ``SOON_DAYS`` working days."""


SOON_DAYS = 5
"""Working days before the month's end that count as due soon (as for actions)."""


def month_end(month: Month) -> dt.date:
    return month.shift(1).first_day - dt.timedelta(days=1)


def due_words(item: PlanItem, this_month: Month) -> tuple[str, bool]:
    """When ``item`` is due, in words, and whether it is overdue (missed: its month over
    and not ended, started or not)."""
    if item.status == "ended":
        return "done", False
    month = Month.parse(item.month) or this_month
    if item.status == "missed":
        # Short enough for the home screen's narrow panel; the year only when it is not this one.
        when = (
            f"{month.first_day:%b}" if month.year == this_month.year else f"{month.first_day:%b %y}"
        )
        return (f"started, not ended ({when})" if item.under_way else f"overdue ({when})"), True
    last = month_end(month)
    return f"due by {last.day} {last:%b}", False


def planned_for_you(ws: Workspace) -> list[PlannedForYou]:
    """This month's items allocated to the user, and earlier ones missed; none with no user."""
    if not ws.user:
        return []
    this_month = Month.of(ws.today())
    mine = [
        i
        for i in programme.show(ws, mine=True)
        if i.month == str(this_month) or i.status == "missed"
    ]
    mine.sort(key=lambda i: (ORDER.get(i.status, 9), i.month, i.case_ref))
    today = ws.today()
    left = ws.calendar.working_days_between(today, month_end(this_month))
    return [
        PlannedForYou(
            i,
            *due_words(i, this_month),
            due_soon=i.status in ("planned", "started") and left <= SOON_DAYS,
        )
        for i in mine
    ]
