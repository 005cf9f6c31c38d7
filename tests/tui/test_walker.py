"""The walker's promises: resume, show_if live, evidence asked for, typed answers."""

from __future__ import annotations

from tui_support import SIZE, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.evidence_box import EvidenceBox
from auditui.tui.widgets.typed_answer import TypedAnswer


def test_opening_a_draft_resumes_at_the_first_unanswered_question(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    for qid in ("specific", "measurable", "achievable"):
        audits.answer(workspace, audit_id, qid, "yes")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert walker.current == "realistic"
            assert "question 4 of 9" in str(walker.query_one("#position").render())

    run(scenario())


def test_a_no_hides_the_question_that_depends_on_it_and_a_yes_brings_it_back(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    for qid in ("specific", "measurable", "achievable", "realistic", "timely"):
        audits.answer(workspace, audit_id, qid, "yes")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert walker.current == "contingency_present"
            await pilot.press("n")
            assert "contingency_specific" not in walker.shown_ids
            assert "of 9" in str(walker.query_one("#position").render())
            await pilot.press("escape")  # leave the evidence box; stays on the question
            assert walker.current == "contingency_present"
            await pilot.press("y")
            assert "contingency_specific" in walker.shown_ids
            assert walker.current == "contingency_specific"
            assert "of 10" in str(walker.query_one("#position").render())

    run(scenario())


def test_an_answer_that_needs_evidence_asks_for_it_and_keeps_every_word(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    for qid in ("specific", "measurable", "achievable", "realistic", "timely"):
        audits.answer(workspace, audit_id, qid, "yes")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            await pilot.press("n")
            box = walker.query_one(EvidenceBox)
            assert walker.focused is box
            assert "required for this answer" in str(walker.query_one("#evidence-label").render())
            state = audits.load(workspace, audit_id)
            assert state.grading.missing_evidence == ["contingency_present"]
            await pilot.press(*"Not in the plan")
            # Leaving by the mouse or a screen change must not lose the note: quit mid-word.
            await app.action_quit()
        state = audits.load(workspace, audit_id)
        assert state.evidence["contingency_present"] == "Not in the plan"
        assert state.grading.missing_evidence == []

    run(scenario())


def test_typed_and_multi_answers_are_saved_from_the_keyboard(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit("CV/1", tool="childs-voice")
    tool = audits.load(workspace, audit_id).tool
    date_q = next(q for q in tool.questions if q.type == "date")
    multi_q = next(q for q in tool.questions if q.type == "multi")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            walker.show_question(date_q.id)
            await pilot.pause()
            await pilot.press(*"2026-02-20", "enter")
            assert audits.load(workspace, audit_id).answers[date_q.id] == "2026-02-20"
            state = audits.load(workspace, audit_id)
            for q in tool.questions:  # make the multi question visible
                if q.id == multi_q.id:
                    break
                if (
                    q.id in state.grading.visible
                    and q.id not in state.answers
                    and q.type in ("yes_no", "yes_partly_no")
                ):
                    audits.answer(workspace, audit_id, q.id, "yes", evidence="seen")
            walker.reload()
            walker.show_question(multi_q.id)
            await pilot.pause()
            await pilot.press("space", "down", "down", "space", "enter")
            saved = audits.load(workspace, audit_id).answers[multi_q.id]
            options = [o.id for o in multi_q.options or ()]
            assert saved == [options[0], options[2]]

    run(scenario())


def test_back_from_grades_a_key_is_a_command_not_text_for_the_box(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    """Found in tmux: Escape, G, Escape, F typed "F" into the date box instead of opening findings."""
    audit_id = new_audit("CV/2", tool="childs-voice")
    date_q = next(q for q in audits.load(workspace, audit_id).tool.questions if q.type == "date")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            walker.show_question(date_q.id)
            await pilot.pause()
            assert isinstance(walker.focused, TypedAnswer)  # arriving: ready to type
            await pilot.press("escape", "G")
            await pilot.pause()
            assert app.screen is not walker
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is walker and walker.focused is None
            await pilot.press("F")
            await pilot.pause()
            assert type(app.screen).__name__ == "FindingsScreen"
            assert walker.query_one(TypedAnswer).value == ""

    run(scenario())


def test_a_second_terminal_sees_saved_answers_when_it_refreshes(
    app: AuditApp, workspace: Workspace, new_audit, isolated_env, library
) -> None:
    audit_id = new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            other = Workspace.open(isolated_env.db, library=library, config=workspace.config)
            try:
                audits.answer(other, audit_id, "specific", "no")
            finally:
                other.close()
            await pilot.press("r")
            assert walker.state.answers["specific"] == "no"
            assert "✓" in str(walker.query_one("#choices").render())

    run(scenario())


def test_evidence_takes_line_breaks_and_keeps_focus_across_the_palette(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            first = walker.current
            await pilot.press("e", *"Plan seen", "ctrl+j", *"Child seen alone")
            box = walker.query_one(EvidenceBox)
            assert box.text == "Plan seen\nChild seen alone"
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is walker
            assert walker.focused is box, "the palette must hand the keys back to the note"
            await pilot.press(*" (visit)", "escape")
            assert walker.current == first
        state = audits.load(workspace, audit_id)
        assert state.evidence[first] == "Plan seen\nChild seen alone (visit)"

    run(scenario())
