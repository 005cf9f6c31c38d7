"""SVG snapshots of the learning screens at 100x30 and 80x24: the concern form, the board with
open concerns above its actions, and the narrative editor for the board's pack.

The data and clock are fixed (see conftest); regenerate with ``--snapshot-update`` and look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from tui_support import MEDIUM, SMALL, sample_audits, ticking_clock

from auditui.services import concerns
from auditui.services.pack_narrative import Narrative, store_narrative
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.narrative import NarrativeScreen

SIZES = pytest.mark.parametrize("size", [MEDIUM, SMALL], ids=["100x30", "80x24"])
SnapCompare = Callable[..., bool]


@pytest.fixture
def filled_app(app: AuditApp, workspace: Workspace) -> AuditApp:
    sample_audits(workspace)
    return app


@SIZES
def test_concern_form(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """The walker's `!`: an empty concern refused beside its box."""
    press = ["enter", "exclamation_mark", "tab", *"Jo Smith", "enter"]
    assert snap_compare(filled_app, press=press, terminal_size=size)


@SIZES
def test_actions_board_with_concerns(
    app: AuditApp, workspace: Workspace, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """Open concerns above every action: age, acknowledgement, the highlighted one in full."""
    audit_id = sample_audits(workspace)["finalised"]
    before = workspace.now
    workspace.now = ticking_clock(dt.datetime(2026, 2, 25, 10, tzinfo=dt.UTC))
    concerns.raise_concern(
        workspace, audit_id, "Child said she is scared to go home; bruising on her arm.", "Jo Smith"
    )
    workspace.now = before
    concerns.raise_concern(workspace, audit_id, "New partner in the home, not assessed.", "Duty TM")
    assert snap_compare(app, press=["a"], terminal_size=size)


@SIZES
def test_narrative(
    app: AuditApp, workspace: Workspace, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    first, last = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    store_narrative(
        workspace,
        first,
        last,
        Narrative(
            "Plans are SMARTer than last quarter: 78% of audits found them specific.",
            "41 audits with practitioners; moderation agreed exactly on 7 of 9 pairs.",
        ),
    )

    async def open_it(pilot: Any) -> None:
        app.push_screen(NarrativeScreen(workspace, first, last))
        await pilot.pause()

    assert snap_compare(app, run_before=open_it, terminal_size=size)
