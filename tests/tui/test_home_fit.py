"""Home at 100x30 and 80x24: nothing cut under the scrollbar or by the side panel
(issue 13 review item 8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Static
from tui_support import MEDIUM, SMALL, TODAY, on_day, run

from auditui.services import actions, programme
from auditui.services.cases import import_cases
from auditui.services.demo import generate_demo
from auditui.services.workspace import Workspace
from auditui.tui.run import make_app
from auditui.tui.widgets.planned_panel import PlannedPanel

TEAMS = ("Children in Care", "Disabled Children Service", "South Locality")


def _planned(workspace: Workspace, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    rows = [f"CF{n:04d},CP,{TEAMS[n % 3]},Worker {n}" for n in range(1, 16)]
    cases.write_text("case_ref,case_type,team,practitioner\n" + "\n".join(rows) + "\n")
    import_cases(workspace, cases)
    programme.plan(workspace, "2026-02", "case-file-audit", 2, ["Ann Auditor"], seed="1")
    programme.plan(workspace, "2026-03", "case-file-audit", 2, ["Ann Auditor"], seed="2")


def test_the_planned_due_column_and_the_count_line_are_whole(
    workspace: Workspace, new_audit, tmp_path: Path
) -> None:
    _planned(workspace, tmp_path)
    with on_day(workspace, TODAY - dt.timedelta(days=28)):
        audit = new_audit("NL/1")
        actions.add_action(workspace, audit, "Sam Taylor", "Record it", "2026-02-25")
    generate_demo(workspace, 300, seed=1)  # "40 of 42 shown (39 demo...": long

    async def scenario(size: tuple[int, int]) -> None:
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            for _ in range(3):
                await pilot.pause()
            panel = app.screen.query_one(PlannedPanel)
            assert panel.display and panel.items
            table = panel.table
            width = sum(c.get_render_width(table) for c in table.columns.values())
            assert width <= panel.size.width - 2, (size, width, panel.size.width)
            dues = [str(table.get_row_at(n)[4]) for n in range(table.row_count)]
            assert dues == [p.due for p in panel.items]  # whole: "overdue (Feb)", "due by 31 Mar"
            count = app.screen.query_one("#home-count", Static)
            words = str(count.render())
            assert len(words) <= count.size.width - 2, (size, words)
            # Beside the side panel (which says them) the action counts give way; alone,
            # the line says them.
            assert ("overdue" in words) is (size[0] < 100), words

    run(scenario(MEDIUM))
    run(scenario(SMALL))
