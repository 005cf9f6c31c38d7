"""A whole smart-plans audit from `n` to finalised, by key presses alone."""

from __future__ import annotations

from tui_support import SIZE, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.case_details import CaseDetailsScreen
from auditui.tui.screens.finalise import FinaliseScreen
from auditui.tui.screens.grades import GradesScreen
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.tool_chooser import ToolChooserScreen
from auditui.tui.screens.walker import WalkerScreen


def test_whole_audit_by_keys(app: AuditApp, workspace: Workspace) -> None:
    run(_walk(app, workspace))


async def _walk(app: AuditApp, workspace: Workspace) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ToolChooserScreen)
        smart = [t.id for t in app.screen.tools].index("smart-plans")
        await pilot.press(*["down"] * smart, "enter")
        assert isinstance(app.screen, CaseDetailsScreen)
        await pilot.press(*"NL/2001", "enter")  # case reference, on to case type
        await pilot.press("enter", "down", "down", "enter")  # CP
        await pilot.press("tab", *"North", "enter")
        await pilot.press(*"Sam", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        walker = app.screen
        assert isinstance(walker, WalkerScreen), app.screen
        audit_id = walker.audit_id
        # Five SMART questions, then the contingency (no -> evidence), then engagement.
        await pilot.press("y", "p", "y", "y", "y")
        await pilot.press("n")
        assert walker.focused is not None  # the evidence box asks for the note
        await pilot.press(*"None", "enter")
        # contingency_specific is hidden by the "no"; on to the child's views.
        assert walker.current == "childs_views_in_plan"
        await pilot.press("y", "y", "x")
        await pilot.press("G")
        assert isinstance(app.screen, GradesScreen)
        await pilot.press("enter", "enter", "enter", "enter")
        await pilot.press("escape")
        await pilot.press("f")
        assert isinstance(app.screen, FinaliseScreen)
        assert app.screen.state.problems == []
        await pilot.press("f", "y")  # finalising asks once for confirmation
        await pilot.pause()
        state = audits.load(workspace, audit_id)
        assert state.audit.status == "finalised"
        assert state.audit.case_ref == "NL/2001"
        assert state.audit.case_type == "CP"
        assert state.answers["specific"] == "yes"
        assert state.answers["measurable"] == "partly"
        assert state.answers["contingency_present"] == "no"
        assert state.evidence["contingency_present"] == "None"
        assert state.answers["plan_reviewed_in_timescale"] == "na"
        assert "contingency_specific" not in state.grading.visible
        assert state.grading.complete
