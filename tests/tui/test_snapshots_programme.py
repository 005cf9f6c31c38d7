"""SVG snapshots of the programme's screens at 100x30 and 80x24.

Home with "Planned for you" (one item overdue from last month), the
programme progress screen, a moderation side by side after the re-audit
ended, and the reports screen's moderation view. Data and clock are fixed
(see conftest); regenerate with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tui_support import MEDIUM, SMALL, answer_all, on_day

from auditui.services import audits, moderation, programme
from auditui.services.cases import import_cases
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp

SIZES = pytest.mark.parametrize("size", [MEDIUM, SMALL], ids=["100x30", "80x24"])
SnapCompare = Callable[..., bool]
TEAMS = ("North Locality", "South Locality", "Children in Care")


def programme_data(workspace: Workspace, folder: Path) -> None:
    """A case list, February's and March's plans (Ann and Bob), one audit started,
    one ended; Quinn's ended audit moderated by Ann, the re-audit ended."""
    lines = ["case_ref,case_type,team,practitioner"]
    lines += [f"CF{n:04d},CP,{TEAMS[n % 3]},Worker {n}" for n in range(1, 31)]
    path = folder / "cases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_cases(workspace, path)
    people = ["Ann Auditor", "Bob Reid"]
    with on_day(workspace, dt.date(2026, 2, 2)):
        programme.plan(workspace, "2026-02", "smart-plans", 1, people, seed="1")
    march = programme.plan(workspace, "2026-03", "smart-plans", 2, people, seed="2")
    anns = [i for i in march.items if i.auditor == "Ann Auditor"]
    programme.start_planned_audit(workspace, anns[0].id)
    done = programme.start_planned_audit(workspace, anns[1].id)
    original = audits.start_audit(
        workspace,
        "smart-plans",
        "QL/7001",
        "CP",
        "South Locality",
        "Robin Shaw",
        practitioner_present=True,
        auditor="Quinn Lead",
    )
    answer_all(workspace, original, measurable="no", timely="partly")
    audits.finalise(workspace, original)
    moderation.sample(workspace, "2026-03", 100, moderators=["Ann Auditor"], seed="3")
    again = moderation.start_moderation(workspace, original)
    answer_all(workspace, again)
    audits.finalise(workspace, again)
    answer_all(workspace, done)  # ended after the sample, so not picked for moderation
    audits.finalise(workspace, done)


@pytest.fixture
def programme_app(app: AuditApp, workspace: Workspace, tmp_path: Path) -> AuditApp:
    programme_data(workspace, tmp_path)
    return app


@SIZES
def test_home_planned_for_you(
    programme_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    assert snap_compare(programme_app, press=["p"], terminal_size=size)


@SIZES
def test_programme_progress(
    programme_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    assert snap_compare(programme_app, press=["P"], terminal_size=size)


@SIZES
def test_programme_progress_last_month(
    programme_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """February: over, nothing of it started, so every item missed (none under way); the
    legend says missed is a month over and not ended, started or not."""
    assert snap_compare(programme_app, press=["P", "left"], terminal_size=size)


@SIZES
def test_moderations_list(
    programme_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """Every moderation on this machine (`o`): the month as Nov 2026, the case, the status
    kept on screen at 80 columns."""
    assert snap_compare(programme_app, press=["m", "o"], terminal_size=size)


@SIZES
def test_moderation_side_by_side(
    programme_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    assert snap_compare(programme_app, press=["m", "o", "enter"], terminal_size=size)


@SIZES
def test_reports_moderation_view(
    programme_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    async def open_view(pilot: Any) -> None:
        await pilot.press("r")
        await pilot.pause()
        await pilot.app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*["v"] * 4)
        await pilot.pause()

    assert snap_compare(programme_app, run_before=open_view, terminal_size=size)
