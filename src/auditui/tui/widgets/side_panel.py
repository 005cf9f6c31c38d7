"""The home screen's side panel: how many audits in each state, and what is due soon.

An auditor starting the day sees at a glance the drafts still open and the
follow-up actions about to fall due (overdue in red, due soon in amber).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from auditui.domain.records import STATUS_LABELS
from auditui.domain.working_days import format_day
from auditui.services import actions, audits
from auditui.services.workspace import Workspace
from auditui.tui.palette import AMBER, OVERDUE

DUE_SOON_DAYS = 5
"""Working days ahead that count as "due soon" (the actions board uses the same)."""
SHOWN_ACTIONS = 6


def due_style(working_days_left: int | None) -> str:
    """Red when overdue, amber when due within five working days."""
    if working_days_left is None:
        return ""
    if working_days_left < 0:
        return OVERDUE
    if working_days_left <= DUE_SOON_DAYS:
        return AMBER
    return ""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class SidePanel(Static):
    """Counts by status and the actions due within five working days."""

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
        self.counts: dict[str, int] = {}
        self.due_soon = 0

    def refresh_panel(self) -> None:
        """Read the counts and the due actions again (raises ``AuditUIError``)."""
        counts = audits.status_counts(self.workspace)
        due = actions.list_actions(self.workspace, due_within=DUE_SOON_DAYS, limit=SHOWN_ACTIONS)
        self.counts = counts
        self.due_soon = len(due)
        width = self.content_size.width or 32
        text = Text()
        text.append("Audits\n", style="bold")
        for status, label in STATUS_LABELS.items():
            text.append(f"  {label:<18}{counts.get(status, 0):>6,}\n")
        text.append(f"  {'All':<18}{sum(counts.values()):>6,}\n")
        text.append("\nActions due soon\n", style="bold")
        if not due:
            text.append("  none in the next 5 working days\n", style="dim")
        for view in due:
            action = view.action
            left = view.working_days_left
            when = " ".join(format_day(action.due).split()[:3])
            if left is not None and left < 0:
                when = "overdue"
            text.append(f"  {when:<11}", style=due_style(left))
            text.append(f"{action.case_ref}\n")
            text.append(_cut(f"    {action.owner}: {action.text}", width) + "\n", style="dim")
        text.append("\na opens the actions board", style="dim italic")
        self.update(text, layout=False)  # a fixed-size panel: no need to re-lay the screen
