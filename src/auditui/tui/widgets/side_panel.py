"""The home screen's side panel: how many audits in each state, and what is overdue or due soon.

An auditor starting the day sees at a glance the drafts still open, how many
follow-up actions are overdue (red) and how many fall due within five
working days (amber), counted separately, then the most urgent of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from auditui.domain.records import STATUS_LABELS
from auditui.services import actions, audits
from auditui.services.actions import ActionView
from auditui.services.workspace import Workspace
from auditui.tui.feedback import reported
from auditui.tui.palette import AMBER, OVERDUE

DUE_SOON_DAYS = 5
"""Working days ahead that count as "due soon" (the actions board uses the same)."""
SHOWN_ACTIONS = 6
"""The most urgent actions listed, when the panel is tall enough for them."""
SOON_WORDS = f"due within {DUE_SOON_DAYS} working days"
COUNT_CAP = 1000
"""Actions counted one by one for the panel; past this it says "1,000+ overdue"."""


def due_style(working_days_left: int | None) -> str:
    """Red when overdue, amber when due within five working days."""
    if working_days_left is None:
        return ""
    if working_days_left < 0:
        return OVERDUE
    if working_days_left <= DUE_SOON_DAYS:
        return AMBER
    return ""


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 open action``, ``2 open actions``: the count with the word agreeing."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def days_left_words(left: int | None) -> str:
    """``3 overdue``, ``today``, ``2 left``: working days, short enough for a column."""
    if left is None:
        return ""
    if left < 0:
        return f"{-left} overdue"
    return "today" if left == 0 else f"{left} left"


@dataclass(frozen=True)
class DueCounts:
    """Open actions past their due date, and due within five working days."""

    overdue: int = 0
    due_soon: int = 0
    capped: bool = False
    """True when there were more than ``COUNT_CAP``: the counts are lower bounds."""

    def phrases(self, soon: str = SOON_WORDS) -> list[tuple[str, str]]:
        """(words, style) for each count that is not zero, overdue first; ``soon`` names
        the second (``due soon`` where there is no room for the whole phrase)."""
        # Overdue ones come first (by due date), so only the last count can be cut short.
        more = "+" if self.capped else ""
        found = []
        if self.overdue:
            found.append((f"{self.overdue:,}{more if not self.due_soon else ''} overdue", OVERDUE))
        if self.due_soon:
            found.append((f"{self.due_soon:,}{more} {soon}", AMBER))
        return found


def count_due(views: list[ActionView]) -> DueCounts:
    """Count open actions listed by due date (at most ``COUNT_CAP + 1`` of them)."""
    capped = len(views) > COUNT_CAP
    lefts = [v.working_days_left for v in views[:COUNT_CAP] if v.working_days_left is not None]
    overdue = sum(1 for left in lefts if left < 0)
    soon = sum(1 for left in lefts if 0 <= left <= DUE_SOON_DAYS)
    return DueCounts(overdue, soon, capped=capped)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class SidePanel(Static):
    """Counts by status, then what is overdue and due soon, most urgent first."""

    class Counted(Message):
        """The overdue and due-soon counts are in."""

    def __init__(self, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace
        self.counts: dict[str, int] = {}
        self.due = DueCounts()
        self.counting = False
        """True while more actions are due than listed and their count is still to come."""
        self._urgent: list[ActionView] = []

    def refresh_panel(self) -> None:
        """Read the counts and the most urgent actions again (raises ``AuditUIError``).

        When more are due than the panel lists, counting them all (up to
        ``COUNT_CAP``) waits until the frame is drawn: on a QA lead's database
        that is a thousand actions, too slow to hold up the first screen.
        """
        counts = audits.status_counts(self.workspace)
        due = actions.list_actions(
            self.workspace, due_within=DUE_SOON_DAYS, limit=SHOWN_ACTIONS + 1
        )
        self.counts = counts
        self._urgent = due[:SHOWN_ACTIONS]
        self.counting = len(due) > SHOWN_ACTIONS
        if self.counting:
            self.call_after_refresh(self._count_all)
        else:  # every due action is in hand: the counts are exact already
            self.due = count_due(due)
        self.draw()

    def _count_all(self) -> None:
        with reported(self):
            due = actions.list_actions(
                self.workspace, due_within=DUE_SOON_DAYS, limit=COUNT_CAP + 1
            )
            self.due = count_due(due)
            self.counting = False
            self.draw()
            self.post_message(self.Counted())

    def on_resize(self) -> None:
        if self.counts:
            self.draw()

    def draw(self) -> None:
        width = self.content_size.width or 32
        text = Text()
        text.append("Audits\n", style="bold")
        for status, label in STATUS_LABELS.items():
            text.append(f"  {label:<18}{self.counts.get(status, 0):>6,}\n")
        text.append(f"  {'All':<18}{sum(self.counts.values()):>6,}\n")
        text.append("\nOpen actions\n", style="bold")
        phrases = [("counting…", "dim")] if self.counting else self.due.phrases("due soon")
        if self.due.due_soon and not self.counting:
            phrases.append((f"(within {DUE_SOON_DAYS} working days)", "dim"))
        if not phrases:
            text.append(f"  none due in the next {DUE_SOON_DAYS} working days\n", style="dim")
        for words, style in phrases:
            text.append(f"  {words}\n", style=style)
        # Each listed action takes two lines; list only as many as the panel has room for.
        room = (self.content_size.height or 24) - (len(STATUS_LABELS) + len(phrases) + 7)
        listed = self._urgent[: max(0, room // 2)]
        if listed:
            text.append("\n")
        for view in listed:
            action = view.action
            left = view.working_days_left
            text.append(f"  {days_left_words(left):<12}", style=due_style(left))
            text.append(_cut(action.case_ref, width - 14) + "\n")
            text.append(_cut(f"    {action.owner}: {action.text}", width) + "\n", style="dim")
        text.append("\na opens the actions board", style="dim italic")
        self.update(text, layout=False)  # a fixed-size panel: no need to re-lay the screen
