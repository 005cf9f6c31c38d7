"""Grades with their reasons, overrides with a rationale, and finalise refused while incomplete."""

from __future__ import annotations

from textual.widgets import DataTable
from tui_support import MEDIUM, SIZE, SMALL, answer_all, run, sample_audits

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.finalise import FinaliseScreen
from auditui.tui.screens.findings import FindingsScreen
from auditui.tui.screens.grades import GradesScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.key_bar import KeyBar


def test_a_grade_unlike_the_suggestion_needs_a_rationale(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    answer_all(workspace, audit_id, contingency_present="no")
    audits.set_evidence(workspace, audit_id, "contingency_present", "No contingency")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "G")
            grades = app.screen
            assert isinstance(grades, GradesScreen)
            await pilot.press("down")  # the contingency section, scored 0 by the "no"
            detail = str(grades.query_one("#grade-detail").render())
            # 0% is inadequate already: the cap at requires improvement changed nothing.
            assert "Scored 0%: Inadequate" in detail and "held at" not in detail
            await pilot.press("2")  # Good, unlike the suggestion
            assert isinstance(app.screen, ReasonScreen)
            await pilot.press("enter")  # an empty rationale is refused on the spot
            assert isinstance(app.screen, ReasonScreen)
            await pilot.press(*"Moderated", "enter")
            assert app.screen is grades
            await pilot.press("down", "3")  # engagement: Requires improvement, then back out
            assert isinstance(app.screen, ReasonScreen)
            await pilot.press("escape")
        state = audits.load(workspace, audit_id)
        assert state.chosen == {"contingency": "good"}
        assert state.rationale == {"contingency": "Moderated"}
        assert state.grading.sections["contingency"].final == "good"

    run(scenario())


def test_finalise_is_refused_in_one_sentence_and_each_problem_leads_back(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    for qid in ("specific", "measurable"):
        audits.answer(workspace, audit_id, qid, "yes")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "f")
            review = app.screen
            assert isinstance(review, FinaliseScreen)
            assert review.state.problems[0] == (
                "Q1.3 Achievable - is each action within reach of the person responsible?: "
                "not answered"
            )
            await pilot.press("f")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            # One short sentence: the list is on screen (a toast of it ran off the screen).
            count = len(review.state.problems)
            assert f"{count} things still to do; the list is above." in messages
            assert audits.load(workspace, audit_id).audit.status == "draft"
            await pilot.press("down", "enter")  # the second problem: realistic
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert walker.current == "realistic"
            # Close it as incomplete instead, with a reason.
            await pilot.press("f", "c")
            await pilot.press(*"Case moved", "enter")
            assert audits.load(workspace, audit_id).audit.status == "closed_incomplete"
            await pilot.press("escape")
            assert isinstance(app.screen, WalkerScreen)
            assert app.screen.read_only
            await pilot.press("y")  # read-only: the key does nothing
            assert "achievable" not in audits.load(workspace, audit_id).answers
            await pilot.press("R", *"More info", "enter")
            assert not app.screen.read_only
        state = audits.load(workspace, audit_id)
        assert state.audit.status == "draft"
        assert state.audit.revision == 2

    run(scenario())


def test_grades_show_whole_at_80_and_100_columns(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    answer_all(workspace, audit_id, contingency_present="no")
    audits.set_evidence(workspace, audit_id, "contingency_present", "No contingency")
    reason = "Moderated with the team manager"
    for scope in ("smart", "contingency", "overall"):
        audits.set_grade(workspace, audit_id, scope, "requires_improvement", reason)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "G")
            grades = app.screen
            assert isinstance(grades, GradesScreen)
            table = grades.query_one(DataTable)
            for size, words in (
                (SMALL, "Req. improv. (yours)"),  # the section names take the room
                (MEDIUM, "Requires improvement (yours)"),
            ):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                finals = [str(table.get_row_at(row)[-1]) for row in range(table.row_count)]
                assert finals[0] == words and finals[-1] == words, (size, finals)
                assert not any("…" in f for f in finals)
                widths = sum(c.get_render_width(table) for c in table.ordered_columns)
                assert widths <= size[0] - 6, (size, widths)

    run(scenario())


def test_an_ended_audits_findings_offer_no_save_key(app: AuditApp, workspace: Workspace) -> None:
    sample_audits(workspace)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("t", "enter", "F")  # the finalised audit, read-only
            findings = app.screen
            assert isinstance(findings, FindingsScreen)
            line = findings.query_one(KeyBar).render_line(0).text
            assert "Save" not in line and "Back" in line

    run(scenario())
