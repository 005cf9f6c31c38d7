"""Helpers the TUI tests share: the fixed day, the screen sizes, quick ways to make data."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditui.services import audits
from auditui.services.workspace import Workspace

if TYPE_CHECKING:
    from auditui.tui.screens.actions_board import ActionsBoardScreen

TODAY = dt.date(2026, 3, 2)
"""A Monday with no bank holiday near it."""
SIZE = (120, 36)
MEDIUM = (100, 30)
SMALL = (80, 24)
"""The smallest terminal every screen is made for."""

SMART_QUESTIONS = (
    "specific",
    "measurable",
    "achievable",
    "realistic",
    "timely",
    "contingency_present",
    "contingency_specific",
    "childs_views_in_plan",
    "family_understands_plan",
    "plan_reviewed_in_timescale",
)


def run(scenario: Coroutine[Any, Any, None]) -> None:
    """Run one async Pilot scenario (the suite has no asyncio plugin)."""
    asyncio.run(scenario)


def ticking_clock(start: dt.datetime) -> Callable[[], str]:
    """``now`` one second later at each call: stable, distinct timestamps."""
    counter = itertools.count()

    def now() -> str:
        return (start + dt.timedelta(seconds=next(counter))).isoformat(timespec="microseconds")

    return now


@contextlib.contextmanager
def on_day(workspace: Workspace, day: dt.date) -> Iterator[None]:
    """Work as if ``day`` were today, then come back to ``TODAY``.

    A due date before the audit ended is refused, so an overdue action is made
    the honest way: agreed in an audit that ended weeks ago.
    """
    workspace.today = lambda: day
    try:
        yield
    finally:
        workspace.today = lambda: TODAY


def answer_all(workspace: Workspace, audit_id: str, **overrides: Any) -> None:
    """Answer every shown smart-plans question yes, except ``overrides``."""
    for qid in SMART_QUESTIONS:
        state = audits.load(workspace, audit_id)
        if qid in state.grading.visible:
            audits.answer(workspace, audit_id, qid, overrides.get(qid, "yes"))


def sample_audits(workspace: Workspace) -> dict[str, str]:
    """A small, fixed set of audits in every state, with actions, for the snapshots."""
    from auditui.services import actions

    def start(case_ref: str, tool: str, team: str, practitioner: str, case_type: str = "CP") -> str:
        return audits.start_audit(
            workspace, tool, case_ref, case_type, team, practitioner, practitioner_present=True
        )

    ids = {}
    with on_day(workspace, dt.date(2026, 2, 2)):
        done = start("NL/1002", "smart-plans", "North Locality", "Jordan Lee")
        answer_all(workspace, done, measurable="partly", contingency_present="no")
        audits.set_evidence(workspace, done, "contingency_present", "No contingency in the plan.")
        audits.finalise(workspace, done)
        actions.add_action(
            workspace, done, "Jordan Lee", "Record the contingency plan", "2026-02-25"
        )
        actions.add_action(
            workspace,
            done,
            "Jordan Lee",
            "Share the plan with the family at the next core group, and record their views",
            "2026-03-04",
        )
    actions.add_action(workspace, done, "Sam Taylor", "Review the plan at core group", "2026-03-30")
    ids["finalised"] = done
    closed = start("CC/3001", "case-file-audit", "Children in Care", "Casey Jones", "CLA")
    audits.close_incomplete(workspace, closed, "Case transferred to another authority.")
    ids["closed"] = closed
    voice = start("SL/2001", "childs-voice", "South Locality", "Alex Morgan")
    ids["voice"] = voice
    draft = start("NL/1001", "smart-plans", "North Locality", "Sam Taylor")
    for qid, value in (("specific", "yes"), ("measurable", "partly"), ("achievable", "yes")):
        audits.answer(workspace, draft, qid, value)
    ids["draft"] = draft
    return ids


def sync_to_a_team_hub(workspace: Workspace, env: Any) -> Path:
    """Ann Auditor's config names an empty folder as her sync target (it becomes a hub on
    the first sync; no other folder does) and the workspace reads it again; the folder."""
    from auditui.config import load_config

    hub = env.root / "team-hub"
    hub.mkdir()
    env.config.write_text(
        f'[user]\nname = "Ann Auditor"\n[sync]\ntarget = "{hub}"\n', encoding="utf-8"
    )
    workspace.config = load_config(env.config)
    return Path(hub)


async def open_hub_board(app: Any, pilot: Any) -> ActionsBoardScreen:
    """From home: `a` opens the actions board and `h` reads the hub (in a worker, waited
    for); the board screen."""
    from auditui.tui.screens.actions_board import ActionsBoardScreen

    await pilot.press("a", "h")
    board = app.screen
    assert isinstance(board, ActionsBoardScreen)
    await board.workers.wait_for_complete()
    await pilot.pause()
    return board
