"""The action form's due-date line says what saving will say (issue 13 review item 6):
no "-232 working days" for a date in the past, no "21 working days" for a Saturday, and
days written one way."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input
from tui_support import SMALL, TODAY, on_day, run

from auditui.services import actions
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.action_form import ActionFormScreen
from auditui.tui.screens.audit_actions import AuditActionsScreen


async def _type_due(pilot, form: ActionFormScreen, typed: str) -> str:
    form.query_one("#action-due", Input).value = typed
    await pilot.pause()
    return str(form.query_one("#due-words").render())


def test_the_due_line_refuses_what_saving_refuses(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    assert TODAY == dt.date(2026, 3, 2)  # a Monday

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "A", "a")
            form = app.screen
            assert isinstance(form, ActionFormScreen)
            await pilot.press(*"Add dates")
            past = await _type_due(pilot, form, "01/01/2026")
            assert past == (
                "Thu 1 Jan 2026 is before Mon 2 Mar 2026; an action cannot be due before "
                "it is agreed."
            )
            assert "-" not in past and "working days" not in past
            saturday = await _type_due(pilot, form, "7/3/2026")
            assert saturday == (
                "Sat 7 Mar 2026 is not a working day; the next one is Mon 9 Mar 2026."
            )
            await pilot.press("ctrl+s")  # refused, beside the box, in the same words
            assert app.screen is form
            error = str(form.query_one("#action-due-error").render())
            assert error.startswith("Due date: Sat 7 Mar 2026 is not a working day")
            assert str(form.query_one("#due-words").render()) == ""  # said once, not twice
            monday = await _type_due(pilot, form, "9/3/2026")
            assert monday == "due Mon 9 Mar 2026, 5 working days"
            assert str(form.query_one("#action-due-error").render()) == ""
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, AuditActionsScreen)

    run(scenario())
    (view,) = actions.list_actions(workspace, audit_id=audit_id)
    assert view.action.due == dt.date(2026, 3, 9)


def test_an_overdue_due_date_left_as_it_was_reads_as_overdue(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    with on_day(workspace, TODAY - dt.timedelta(days=28)):
        audit_id = new_audit()
        actions.add_action(workspace, audit_id, "Sam Taylor", "Record it", "2026-02-25")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "A", "enter")
            form = app.screen
            assert isinstance(form, ActionFormScreen)
            words = str(form.query_one("#due-words").render())
            assert words == "due Wed 25 Feb 2026, overdue by 3 working days"
            await pilot.press("ctrl+s")  # the due date was not changed: saved
            assert isinstance(app.screen, AuditActionsScreen)

    run(scenario())
