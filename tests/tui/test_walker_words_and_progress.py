"""Issue 13 items 7-9 in the real app: UK dates, questions named in their own words, and
progress and the overall grade that say what the auditor still has to do."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import DataTable, ProgressBar, Static
from tui_support import SMALL, answer_all, on_day, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.finalise import FinaliseScreen
from auditui.tui.screens.grades import GradesScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.question_view import QuestionView
from auditui.tui.widgets.section_list import SectionList
from auditui.tui.widgets.typed_answer import TypedAnswer


def plain(widget: Static) -> str:
    shown = widget.render()
    return shown.plain if isinstance(shown, Text) else str(shown)


def test_a_date_typed_the_uk_way_is_stored_as_iso_and_shown_the_uk_way(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    with on_day(workspace, dt.date(2027, 3, 1)):
        audit_id = new_audit("AT/1", tool="assessment-timeliness")

        async def scenario() -> None:
            async with app.run_test(size=SMALL) as pilot:
                await pilot.press("enter")
                walker = app.screen
                assert isinstance(walker, WalkerScreen)
                assert walker.current == "assessment_start"
                box = walker.query_one(TypedAnswer)
                assert box.placeholder == "DD/MM/YYYY"
                await pilot.press(*"31/10/2026", "enter")
                await pilot.pause()
                assert audits.load(workspace, audit_id).answers["assessment_start"] == (
                    "2026-10-31"
                )
                await pilot.press(*"1/2/2027", "enter")
                await pilot.pause()
                state = audits.load(workspace, audit_id)
                assert state.answers["assessment_signed_off"] == "2027-02-01"
                saved = plain(walker.query_one("#saved", Static))
                assert saved == "✓ saved Q1.2 = Mon 1 Feb 2027"
                walker.show_question("assessment_start")
                await pilot.pause()
                assert "Sat 31 Oct 2026" in plain(walker.query_one(QuestionView))
                assert box.value == "31/10/2026"  # back in its box the way it was typed

        run(scenario())


def test_a_refused_date_names_the_question_in_its_own_words(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    with on_day(workspace, dt.date(2027, 3, 1)):
        audit_id = new_audit("AT/2", tool="assessment-timeliness")

        async def scenario() -> None:
            async with app.run_test(size=SMALL) as pilot:
                await pilot.press("enter")
                await pilot.press(*"31/10/2028", "enter")
                await pilot.pause()
                messages = [n.message for n in app._notifications]
                assert (
                    "Q1.1 Date the assessment started takes a date on or before "
                    "Mon 1 Mar 2027, not Tue 31 Oct 2028."
                ) in messages
                assert not any("assessment_start" in m for m in messages)
                assert "assessment_start" not in audits.load(workspace, audit_id).answers

        run(scenario())


def test_one_answer_of_nine_is_about_a_tenth_and_the_overall_grade_is_only_so_far(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    audits.answer(workspace, audit_id, "specific", "yes")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            # 9 questions and 4 grades to confirm (3 sections, overall): 1 of 13 done.
            assert walker.query_one(ProgressBar).progress == 8
            sections = plain(walker.query_one(SectionList))
            assert "Outstanding so far" in sections
            assert "Overall\n   Outstanding\n" not in sections + "\n"
            await pilot.press("G")
            grades = app.screen
            assert isinstance(grades, GradesScreen)
            table = grades.query_one(DataTable)
            # no suggestion yet: the answers are not in
            assert str(table.get_cell("overall", "suggested")) == "-"
            assert str(table.get_cell("overall", "grade")) == "Outstanding so far"

    run(scenario())


def test_progress_reaches_100_only_when_every_grade_is_accepted(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    answer_all(workspace, audit_id)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            # Every answer in, no grade accepted: 10 of 14 (10 questions, 4 grades).
            assert walker.query_one(ProgressBar).progress == 71
            sections = plain(walker.query_one(SectionList))
            assert "Overall\n   Outstanding\n   suggested, G accepts" in sections
            await pilot.press("G")
            grades = app.screen
            assert isinstance(grades, GradesScreen)
            table = grades.query_one(DataTable)
            assert str(table.get_cell("smart", "grade")) == "Enter accepts"
            for _ in range(3):
                await pilot.press("enter")  # accept the three sections
                await pilot.pause()
            assert audits.load(workspace, audit_id).grading.progress < 1
            await pilot.press("enter")  # and the overall grade
            await pilot.pause()
            state = audits.load(workspace, audit_id)
            assert state.grading.progress == 1.0
            assert state.chosen == {
                "smart": "outstanding",
                "contingency": "outstanding",
                "engagement": "outstanding",
                "overall": "outstanding",
            }
            assert str(table.get_cell("overall", "grade")) == "Outstanding"
            await pilot.press("escape")
            await pilot.pause()
            assert walker.query_one(ProgressBar).progress == 100
            assert "Overall\n   Outstanding" in plain(walker.query_one(SectionList))

    run(scenario())


def test_the_finalise_review_names_questions_and_sections_in_their_own_words(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    audits.answer(workspace, audit_id, "specific", "yes")
    audits.answer(workspace, audit_id, "contingency_present", "no")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "f")
            review = app.screen
            assert isinstance(review, FinaliseScreen)
            problems = review.state.problems
            assert "Q3.1 Are the child's views included in the plan?: not answered" in problems
            assert "Q2.1 Is there a contingency plan?: evidence needed for this answer" in (
                problems
            )
            for scope in ("childs_views_in_plan", "contingency_present", "engagement:"):
                assert not any(scope in line for line in problems)
            summary = plain(review.query_one("#finalise-summary", Static))
            assert "Overall grade: Good so far." in summary
            assert "Progress: 14%." in summary  # 2 of 9 answers, 1 note, 4 grades

    run(scenario())


def test_a_grade_accepted_before_the_answers_changed_is_accepted_afresh_on_finalising(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    answer_all(workspace, audit_id)
    for scope in ("smart", "contingency", "engagement", "overall"):
        audits.set_grade(workspace, audit_id, scope, "outstanding")  # as Enter accepts
    audits.answer(workspace, audit_id, "specific", "no")  # the suggestion moves
    moved = audits.load(workspace, audit_id)
    new_grade = moved.grading.sections["smart"].suggested
    assert new_grade not in (None, "outstanding")
    assert moved.problems == []  # not an override wanting a rationale: a grade to accept

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "G")
            grades = app.screen
            assert isinstance(grades, GradesScreen)
            assert str(grades.query_one(DataTable).get_cell("smart", "grade")) == "Enter accepts"
            detail = plain(grades.query_one("#grade-detail", Static))
            assert "You accepted Outstanding; the answers have changed since" in detail
            await pilot.press("escape", "f")
            review = app.screen
            assert isinstance(review, FinaliseScreen)
            label = review.state.tool.scale_def.label
            summary = plain(review.query_one("#finalise-summary", Static))
            assert f"Section 1 Is the plan SMART?: {label(new_grade)} (was Outstanding)" in summary
            await pilot.press("f", "y")
            await pilot.pause()
            state = audits.load(workspace, audit_id)
            assert state.audit.status == "finalised"
            assert state.chosen["smart"] == new_grade
            assert state.chosen["overall"] == state.grading.overall.suggested
            assert state.grading.progress == 1.0 and state.grading.complete

    run(scenario())
