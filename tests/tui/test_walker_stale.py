"""The walker never writes back an answer or note changed elsewhere since it showed it.

Another shell runs ``auditui audit answer ... --evidence NEW`` (a real
subprocess), or another window saves through its own connection, while
the walker shows the audit. Whatever key the auditor presses next, the
stored newer value must survive, and the walker must say so and show it.
"""

from __future__ import annotations

from tui_support import SIZE, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.evidence_box import EvidenceBox


def _messages(app: AuditApp) -> list[str]:
    return [n.message for n in app._notifications]


def _other_window(workspace: Workspace, isolated_env, library) -> Workspace:
    return Workspace.open(isolated_env.db, library=library, config=workspace.config)


def test_an_answer_key_after_a_command_changed_the_note_keeps_and_shows_the_newer_note(
    app: AuditApp, workspace: Workspace, new_audit, run_cli
) -> None:
    audit_id = new_audit()
    audits.answer(workspace, audit_id, "specific", "no", evidence="OLD")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            walker.show_question("specific")
            await pilot.pause()
            box = walker.query_one(EvidenceBox)
            assert box.text == "OLD"
            done = run_cli("audit", "answer", audit_id, "specific", "no", "--evidence", "NEW")
            assert done.returncode == 0, done.stderr
            await pilot.press("p")
            await pilot.pause()
            assert audits.load(workspace, audit_id).evidence["specific"] == "NEW"
            assert any("changed elsewhere" in m for m in _messages(app)), _messages(app)
            assert walker.current != "specific", "the note is there, so the walk went on"
            walker.show_question("specific")
            await pilot.pause()
            assert box.text == "NEW", "the newer note is shown"
            await pilot.press("e", "escape")  # in and out of the box: nothing to save
            await pilot.pause()
        state = audits.load(workspace, audit_id)
        assert state.answers["specific"] == "partly"
        assert state.evidence["specific"] == "NEW"

    run(scenario())


def test_a_note_typed_over_one_changed_elsewhere_is_refused_and_kept_in_the_box(
    app: AuditApp, workspace: Workspace, new_audit, isolated_env, library
) -> None:
    audit_id = new_audit()
    audits.answer(workspace, audit_id, "specific", "no", evidence="OLD")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            walker.show_question("specific")
            await pilot.pause()
            await pilot.press("e", "end", *" and more")
            other = _other_window(workspace, isolated_env, library)
            try:
                audits.set_evidence(other, audit_id, "specific", "NEW from the other window")
            finally:
                other.close()
            await pilot.press("escape")  # leaving the box saves: refused
            await pilot.pause()
            stored = audits.load(workspace, audit_id).evidence["specific"]
            assert stored == "NEW from the other window"
            box = walker.query_one(EvidenceBox)
            assert box.text == "NEW from the other window\n\nOLD and more"
            said = [m for m in _messages(app) if "was changed elsewhere" in m]
            assert said, _messages(app)
            # In the question's words (issue 13 item 8), not its id.
            assert said[0].startswith("The evidence for Q1.1 Specific - does the plan say")
            assert "'specific'" not in said[0]
            assert "not saved" in str(walker.query_one("#saved").render())
            await pilot.press("escape")  # the merged note, saved on purpose
            await pilot.pause()
        stored = audits.load(workspace, audit_id).evidence["specific"]
        assert stored == "NEW from the other window\n\nOLD and more"

    run(scenario())


def test_an_answer_changed_elsewhere_is_not_replaced_by_the_next_key(
    app: AuditApp, workspace: Workspace, new_audit, isolated_env, library
) -> None:
    audit_id = new_audit()
    audits.answer(workspace, audit_id, "specific", "no", evidence="seen")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            walker.show_question("specific")
            await pilot.pause()
            other = _other_window(workspace, isolated_env, library)
            try:
                audits.answer(other, audit_id, "specific", "yes")
            finally:
                other.close()
            await pilot.press("p")
            await pilot.pause()
            assert audits.load(workspace, audit_id).answers["specific"] == "yes"
            assert walker.state.answers["specific"] == "yes", "the newer answer is shown"
            assert walker.current == "specific"
            assert any(
                m.startswith("The answer to Q1.1 Specific - does the plan say")
                and "was changed elsewhere" in m
                and "Your answer was: Partly" in m
                for m in _messages(app)
            ), _messages(app)
            await pilot.press("p")  # given again, having seen the newer one
            await pilot.pause()
            assert audits.load(workspace, audit_id).answers["specific"] == "partly"

    run(scenario())
