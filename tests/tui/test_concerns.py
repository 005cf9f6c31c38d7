"""Safeguarding concerns in the TUI: `!` in the walker records one at once; the board shows them."""

from __future__ import annotations

from textual.widgets import Static
from tui_support import SMALL, run

from auditui.services import concerns
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.concern_form import ConcernFormScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.key_bar import KeyBar


def test_the_concern_key_records_at_once_and_says_where_it_goes(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    notes: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert "! Concern" in str(walker.query_one(KeyBar).render())
            original = app.notify
            app.notify = lambda message, **kw: notes.append(str(message)) or original(message, **kw)
            await pilot.press("exclamation_mark")
            assert isinstance(app.screen, ConcernFormScreen)
            await pilot.press(*"Bruise on arm, no explanation", "tab", *"Jo Manager", "enter")
            assert app.screen is walker
            # recorded before the audit ends: the audit is still a draft
            assert [c.text for c in concerns.list_concerns(workspace)] == [
                "Bruise on arm, no explanation"
            ]

    run(scenario())
    (concern,) = concerns.list_concerns(workspace)
    assert (concern.audit_id, concern.raised_with, concern.team, concern.status) == (
        audit_id,
        "Jo Manager",
        "North Locality",
        "open",
    )
    assert any("goes to the team manager on the next sync" in n for n in notes), notes


def test_escape_records_nothing_and_an_empty_concern_is_refused(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "exclamation_mark", *"typed then cancelled", "escape")
            assert isinstance(app.screen, WalkerScreen)
            await pilot.press("exclamation_mark", " ", "ctrl+s")
            form = app.screen
            assert isinstance(form, ConcernFormScreen), "refused: the form stays"
            said = str(form.query_one("#concern-text-error", Static).render())
            assert said == "What the concern is: say what the concern is; nothing was recorded."
            await pilot.press("escape")
            assert isinstance(app.screen, WalkerScreen)

    run(scenario())
    assert concerns.list_concerns(workspace) == []
