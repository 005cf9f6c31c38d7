"""Issue 13 review items 2, 4 and 5 in the real app: a draft's grade is "so far" wherever it
is shown, even one the auditor chose; the finalise review's refusal is one short sentence;
an ended audit's walker offers only what still works on it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static
from tui_support import SMALL, answer_all, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.finalise import FinaliseScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.audit_columns import GRADE, column_titles, grade_cell, list_grade
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.section_list import SectionList


def plain(widget: Static) -> str:
    shown = widget.render()
    return shown.plain if isinstance(shown, Text) else str(shown)


def footer_keys(screen: object) -> list[str]:
    bar = screen.query_one(KeyBar)  # type: ignore[attr-defined]
    return [keys for keys, _, _ in bar.keys()]


def chosen_on_a_partial_audit(workspace: Workspace, new_audit) -> str:
    """Section 1 answered, the overall grade chosen by the auditor at 15% or so."""
    audit_id = new_audit()
    for qid in ("specific", "measurable", "achievable", "realistic", "timely"):
        audits.answer(workspace, audit_id, qid, "yes")
    audits.set_grade(workspace, audit_id, "overall", "good", "Good enough on what I saw.")
    return audit_id


def test_a_grade_chosen_on_an_unfinished_audit_is_so_far_everywhere(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = chosen_on_a_partial_audit(workspace, new_audit)
    state = audits.load(workspace, audit_id)
    assert state.grading.overall.chosen == "good" and not state.grading.answers_in

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            sections = plain(walker.query_one(SectionList))
            overall = sections.split("Overall", 1)[1]
            assert "so far" in overall
            await pilot.press("f")
            await pilot.pause()
            review = app.screen
            assert isinstance(review, FinaliseScreen)
            summary = plain(review.query_one("#finalise-summary", Static))
            assert "Overall grade: Good so far." in summary

    run(scenario())


def test_a_section_grade_from_some_of_its_answers_is_so_far(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    audits.answer(workspace, audit_id, "specific", "no")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter")
            sections = plain(app.screen.query_one(SectionList)).splitlines()
            count = next(line for line in sections if "1/" in line)
            assert "so far" in count or "?" in count, count
            if count.endswith("?"):
                assert any(line.startswith("Overall") and "? so far" in line for line in sections)


def test_the_mark_for_so_far_is_explained_even_in_a_full_list_at_80x24(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit("CF/1", tool="case-file-audit")
    audits.answer(workspace, audit_id, "assessment_analysis", "outstanding")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            walker = WalkerScreen(workspace, audit_id)
            await app.push_screen(walker)
            await pilot.pause()
            listed = walker.query_one(SectionList)
            lines = plain(listed).splitlines()
            assert any(line.rstrip().endswith("Outstanding?") for line in lines), lines
            shown = lines[: listed.content_size.height]
            assert any(line.startswith("Overall") and "? so far" in line for line in shown)

    run(scenario())


def test_grade_cells_say_so_far_or_mark_it_within_the_width() -> None:
    assert grade_cell("good?", 20) == "Good so far"
    assert grade_cell("outstanding?", 12) == "Outstanding?"
    assert grade_cell("requires_improvement?", 16) == "Req. improv.?"
    assert grade_cell("requires_improvement", 20) == "Requires improvement"
    assert grade_cell("good", 12) == "Good"


def test_the_home_list_marks_only_an_unfinished_drafts_grade(
    workspace: Workspace, new_audit
) -> None:
    audit_id = chosen_on_a_partial_audit(workspace, new_audit)
    row = audits.list_audits(workspace, "draft")[0]
    assert list_grade(row) == "good?"
    done = new_audit("NL/2")
    answer_all(workspace, done)
    audits.finalise(workspace, done)
    row = next(a for a in audits.list_audits(workspace, None) if a.id == done)
    assert list_grade(row) == row.overall_grade
    assert audit_id


def test_f_on_the_review_with_work_left_says_so_in_one_short_sentence(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "f")
            await pilot.pause()
            assert isinstance(app.screen, FinaliseScreen)
            count = len(app.screen.state.problems)
            await pilot.press("f")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert f"{count} things still to do; the list is above." in messages
            assert all(m.count("\n") < 3 for m in messages)

    run(scenario())


def test_a_finalised_audit_offers_only_what_works_on_it(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    answer_all(workspace, audit_id)
    audits.finalise(workspace, audit_id)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("a")  # the All tab
            await pilot.pause()
            walker = WalkerScreen(workspace, audit_id)
            await app.push_screen(walker)
            await pilot.pause()
            keys = footer_keys(walker)
            for gone in ("u", "f", "G"):
                assert gone not in keys, keys
            for there in ("A", "R", "!"):
                assert there in keys, keys
            banner = plain(walker.query_one("#banner", Static))
            assert "A shows its actions" in banner
            await pilot.press("G")  # still opens the grades to read
            await pilot.pause()
            assert type(app.screen).__name__ == "GradesScreen"
            title = plain(app.screen.query_one("#grades-title", Static))
            assert "read-only" in title and "1 Outstanding" not in title

    run(scenario())


def test_a_closed_audit_shows_no_answer_keys_and_one_full_stop(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    audits.answer(workspace, audit_id, "contingency_present", "no")  # its note never written
    audits.close_incomplete(workspace, audit_id, "File transferred to another authority.")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            walker = WalkerScreen(workspace, audit_id)
            await app.push_screen(walker)
            await pilot.pause()
            banner = plain(walker.query_one("#banner", Static))
            assert "authority.." not in banner and "authority." in banner
            choices = plain(walker.query_one("#choices", Static))
            assert " y " not in choices and "Yes" not in choices
            label = plain(walker.query_one("#evidence-label", Static))
            assert "required" not in label
            assert "evidence" not in plain(walker.query_one(SectionList))
            keys = footer_keys(walker)
            assert "u" not in keys and "f" not in keys
            review = FinaliseScreen(workspace, audit_id)
            await app.push_screen(review)
            await pilot.pause()
            summary = plain(review.query_one("#finalise-summary", Static))
            assert "authority.." not in summary

    run(scenario())


def test_the_grade_heading_says_what_the_mark_means_where_it_fits() -> None:
    assert column_titles([10, 10, 10, 9, 4, 16, 8])[GRADE] == "Grade ?=so far"
    assert column_titles([10, 10, 10, 9, 4, 12, 8])[GRADE] == "Grade"
    # Through the table's own cell fitting, the heading is never shortened or cut.
    assert grade_cell("Grade ?=so far", 16) == "Grade ?=so far"


def test_the_last_answer_says_what_next_in_the_room_it_has_at_80_columns(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    answer_all(workspace, audit_id)
    audits.answer(workspace, audit_id, "plan_reviewed_in_timescale", "no")
    audits.set_evidence(workspace, audit_id, "plan_reviewed_in_timescale", "Late review.")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            walker = WalkerScreen(workspace, audit_id, "plan_reviewed_in_timescale")
            await app.push_screen(walker)
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            saved = walker.query_one("#saved", Static)
            words = plain(saved)
            assert words == "✓ all answered: G checks grades, f finalises"
            # "✓ every question answered: G checks grades, f finalises" ended "f" at 80.
            assert len(words) <= saved.content_size.width, saved.content_size.width

    run(scenario())
