"""`n`, the case details: a reference typed in lower case is saved as the recording
system writes it (issue 13 review item 10)."""

from __future__ import annotations

from tui_support import SMALL, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.case_details import CaseDetailsScreen, recorded_reference
from auditui.tui.screens.tool_chooser import ToolChooserScreen
from auditui.tui.screens.walker import WalkerScreen


def test_a_lower_case_reference_is_saved_in_capitals(app: AuditApp, workspace: Workspace) -> None:
    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("n")
            assert isinstance(app.screen, ToolChooserScreen)
            smart = [t.id for t in app.screen.tools].index("smart-plans")
            await pilot.press(*["down"] * smart, "enter")
            assert isinstance(app.screen, CaseDetailsScreen)
            await pilot.press(*"c123456", "enter")
            await pilot.press("enter", "down", "down", "enter")  # CP
            await pilot.press("tab", *"North", "enter")
            await pilot.press(*"Sam", "enter")
            await pilot.press("ctrl+s")
            await pilot.pause()
            walker = app.screen
            assert isinstance(walker, WalkerScreen), app.screen
            assert audits.load(workspace, walker.audit_id).audit.case_ref == "C123456"

    run(scenario())


def test_only_a_wholly_lower_case_reference_is_changed(workspace: Workspace) -> None:
    org = workspace.config.organisation
    assert recorded_reference(org, " c123456 ") == "C123456"
    assert recorded_reference(org, "NL/2001") == "NL/2001"
    assert recorded_reference(org, "Ab12") == "Ab12"  # mixed case: as typed
    assert recorded_reference(org, "123456") == "123456"
