"""Long jobs from home: `s` syncs and `e` exports, in a worker, with progress; `r` opens reports."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from tui_support import SIZE, run, sample_audits, sync_to_a_team_hub

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.run import make_app
from auditui.tui.screens.progress_job import ProgressJobScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.screens.reports import ReportsScreen


async def _finished(pilot: Any, screen: ProgressJobScreen) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.finished, "the job did not finish"


def test_s_syncs_finalised_results_to_the_folder_hub(
    app: AuditApp, workspace: Workspace, isolated_env: Any
) -> None:
    ids = sample_audits(workspace)
    hub = sync_to_a_team_hub(workspace, isolated_env)
    summaries = []

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("s")
            screen = app.screen
            assert isinstance(screen, ProgressJobScreen)
            await _finished(pilot, screen)
            summaries.append(screen.summary)
            await pilot.press("escape")

    run(scenario())
    files = [json.loads(p.read_text()) for p in hub.glob("*.r*.json")]  # graded results
    assert ids["finalised"] in {f["record"]["audit_id"] for f in files}
    unsent = workspace.store.one("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0]
    assert unsent == 0
    # A reopened audit, finalised again, is one more result: not "(1 new)" beside it.
    audits.reopen(workspace, ids["finalised"], "The plan was updated after the audit.")
    audits.finalise(workspace, ids["finalised"])
    app = make_app(workspace)
    run(scenario())
    first, second = summaries
    assert first is not None and first.startswith("Sent 2 graded results and 3 action")
    assert second is not None and second.startswith("Sent 1 graded result ")
    assert "new" not in second


def test_e_exports_three_csv_tables_to_the_chosen_folder(
    app: AuditApp, workspace: Workspace, tmp_path: Path
) -> None:
    sample_audits(workspace)
    folder = tmp_path / "out"

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("e")
            assert isinstance(app.screen, ReasonScreen)
            await pilot.press("ctrl+a", "ctrl+k", *str(folder), "enter")
            screen = app.screen
            assert isinstance(screen, ProgressJobScreen)
            await _finished(pilot, screen)
            assert screen.summary is not None and "answers.csv" in screen.summary

    run(scenario())
    audits_csv = folder / "audits.csv"
    rows = list(csv.DictReader(audits_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == workspace.store.one("SELECT count(*) FROM audits")[0]
    assert (folder / "answers.csv").stat().st_mode & 0o077 == 0


def test_r_opens_the_reports_screen(app: AuditApp, workspace: Workspace) -> None:
    sample_audits(workspace)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            assert isinstance(app.screen, ReportsScreen)

    run(scenario())
