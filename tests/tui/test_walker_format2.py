"""The walker on format 2 tools: form numbers, computed answers read-only, sections N/A.

The real app driven by Pilot on shipped format 2 tools and a real database.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input
from tui_support import SIZE, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.grades import GradesScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.section_list import SectionList
from auditui.tui.widgets.typed_answer import TypedAnswer


def worker_audit(workspace: Workspace) -> str:
    return audits.start_audit(
        workspace, "worker-supervision-file", "", "", "North Locality", "Sam Taylor", True
    )


def rendered(walker: WalkerScreen, selector: str) -> str:
    return str(walker.query_one(selector).render())


def test_a_computed_answer_is_shown_with_its_figure_and_follows_its_dates(
    app: AuditApp, workspace: Workspace
) -> None:
    audit_id = worker_audit(workspace)
    audits.answer(workspace, audit_id, "agreement_on_file", "yes")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert walker.current == "last_supervision_on"
            assert "1 Frequency and the supervision agreement" in rendered(walker, "#position")
            await pilot.press(*"2026-02-27", "enter")
            await pilot.press(*"2026-01-16", "enter")
            assert walker.current == "days_between"
            assert "1.4  Days between" in rendered(walker, "#question")
            assert "= 42 days" in rendered(walker, "#choices")
            assert not walker.query_one(TypedAnswer).display  # read-only: nothing to type
            await pilot.press("j")
            assert walker.current == "within_6_weeks"
            assert "Yes (42 days; at most 42 days)" in rendered(walker, "#choices")
            await pilot.press("n")  # no key answers a computed question
            assert "within_6_weeks" not in audits.load(workspace, audit_id).answers
            # A date changed: the counts follow at once.
            walker.show_question("previous_supervision_on")
            await pilot.pause()
            walker.query_one(TypedAnswer).value = "2026-01-15"
            await pilot.press("enter")
            walker.show_question("within_6_weeks")
            await pilot.pause()
            assert "No (43 days; at most 42 days)" in rendered(walker, "#choices")

    run(scenario())


def test_x_marks_the_section_not_applicable_with_a_reason_and_grades_clears_it(
    app: AuditApp, workspace: Workspace, new_audit: Any
) -> None:
    audit_id = new_audit(tool="case-file-audit", case_type="CLA")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            walker.show_question("pep_in_date", save=False)
            await pilot.pause()
            await pilot.press("X")
            assert isinstance(app.screen, ReasonScreen)
            app.screen.query_one(Input).value = "Looked after for a week: no review yet."
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is walker
            state = audits.load(workspace, audit_id)
            assert state.sections_na == {"looked_after": "Looked after for a week: no review yet."}
            assert walker.current != "pep_in_date" and "pep_in_date" not in walker.shown_ids
            assert "N/A" in str(walker.query_one(SectionList).render())
            # X on a section the tool does not let be N/A does nothing.
            walker.show_question("plan_smart", save=False)
            await pilot.press("X")
            assert app.screen is walker
            await pilot.press("G")
            grades = app.screen
            assert isinstance(grades, GradesScreen)
            grades.query_one("DataTable").move_cursor(row=grades.scopes.index("looked_after"))
            await pilot.pause()
            assert "Not applicable: Looked after" in str(grades.query_one("#grade-detail").render())
            await pilot.press("X")
            assert audits.load(workspace, audit_id).sections_na == {}

    run(scenario())


def test_a_section_that_does_not_apply_to_the_case_type_is_never_walked(
    app: AuditApp, workspace: Workspace, new_audit: Any
) -> None:
    new_audit(tool="case-file-audit", case_type="CIN")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert "conference_in_timescale" not in walker.shown_ids
            assert "pep_in_date" not in walker.shown_ids
            assert "does not apply" in str(walker.query_one(SectionList).render())

    run(scenario())


def test_a_worker_audit_is_started_without_a_case(app: AuditApp, workspace: Workspace) -> None:
    from auditui.tui.screens.case_details import CaseDetailsScreen
    from auditui.tui.screens.tool_chooser import ToolChooserScreen

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("n")
            chooser = app.screen
            assert isinstance(chooser, ToolChooserScreen)
            place = [t.id for t in chooser.tools].index("worker-supervision-file")
            await pilot.press(*["down"] * place, "enter")
            details = app.screen
            assert isinstance(details, CaseDetailsScreen)
            assert not details.query("#case_ref") and not details.query("#case_type")
            await pilot.press(*"Sam Taylor", "enter")  # the practitioner whose file it is
            await pilot.press(*"North", "enter")
            await pilot.press("ctrl+s")
            await pilot.pause()
            walker = app.screen
            assert isinstance(walker, WalkerScreen), app.screen
            audit = audits.load(workspace, walker.audit_id).audit
            assert (audit.case_ref, audit.case_type, audit.practitioner) == ("", "", "Sam Taylor")
            assert walker.sub_title.startswith("Sam Taylor · Worker supervision file audit")

    run(scenario())


def test_opening_resumes_past_a_computed_question(app: AuditApp, workspace: Workspace) -> None:
    audit_id = worker_audit(workspace)
    audits.answer(workspace, audit_id, "agreement_on_file", "yes")
    audits.answer(workspace, audit_id, "last_supervision_on", "2026-02-27")
    audits.answer(workspace, audit_id, "previous_supervision_on", "2026-01-16")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert walker.current == "reflective"  # not days_between or within_6_weeks

    run(scenario())
