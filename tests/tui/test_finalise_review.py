"""The finalise review warns about missing findings and an unmet grade with no action, and asks once."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_support import SIZE, SMALL, answer_all, run

from auditui.services import actions, audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.confirm import ConfirmScreen
from auditui.tui.screens.finalise import FinaliseScreen
from auditui.tui.screens.findings import FindingsScreen

REASON = "Moderated with the team manager"


def graded_inadequate(workspace: Workspace, audit_id: str) -> None:
    """A complete audit the auditor graded Inadequate, with no findings and no action."""
    answer_all(workspace, audit_id)
    for scope in ("smart", "contingency", "overall"):
        audits.set_grade(workspace, audit_id, scope, "inadequate", REASON)
    assert audits.load(workspace, audit_id).problems == []


def review_lines(review: FinaliseScreen) -> list[str]:
    options = review.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def test_an_inadequate_audit_with_no_findings_or_action_is_warned_about(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    graded_inadequate(workspace, audit_id)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "f")
            review = app.screen
            assert isinstance(review, FinaliseScreen)
            assert review_lines(review) == [
                "No strengths recorded: F opens the findings",
                "No areas for development recorded: F opens the findings",
                "Graded Inadequate with no action agreed: add one with A",
            ]
            summary = str(review.query_one("#finalise-summary").render())
            assert "f finalises" in summary
            await pilot.press("enter")  # the first warning leads to the findings
            assert isinstance(app.screen, FindingsScreen)

    run(scenario())


def test_the_warnings_go_once_findings_and_an_action_are_there(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    graded_inadequate(workspace, audit_id)
    audits.set_findings(workspace, audit_id, strengths="Clear plan", development="Contingency")
    due = actions.default_due(workspace, audit_id)
    actions.add_action(workspace, audit_id, "Sam Taylor", "Write a contingency plan", due)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "f")
            review = app.screen
            assert isinstance(review, FinaliseScreen)
            assert review.warnings == [] and review_lines(review) == []

    run(scenario())


def test_finalising_asks_once_and_no_or_escape_changes_nothing(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    graded_inadequate(workspace, audit_id)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "f")
            review = app.screen
            assert isinstance(review, FinaliseScreen)
            for no in ("n", "escape"):
                await pilot.press("f")
                confirm = app.screen
                assert isinstance(confirm, ConfirmScreen)
                assert confirm.question == (
                    "Finalise this audit? It becomes read-only; reopening needs a reason.\n"
                    "It accepts the suggested grades: "
                    "Section 3 The child and family in the plan: Outstanding."
                )
                await pilot.press(no)
                await pilot.pause()
                assert app.screen is review
                assert audits.load(workspace, audit_id).audit.status == "draft"
            await pilot.press("f", "y")
            await pilot.pause()
            assert app.screen is review
            assert audits.load(workspace, audit_id).audit.status == "finalised"
            assert review_lines(review) == []  # ended: nothing left to warn about

    run(scenario())
