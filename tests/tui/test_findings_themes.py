"""Ticking themes on the findings screen: keyboard only, each tick saved at once, read-only
once the audit has ended, and a refused tick undone on screen with the reason shown."""

from __future__ import annotations

from typing import Any

from textual.widgets import Label, SelectionList, Static
from tui_support import MEDIUM, SMALL, run

from auditui.config import load_config
from auditui.services import audits, themes
from auditui.services.workspace import Workspace
from auditui.store.db import open_store
from auditui.store.themes import themes_of
from auditui.tui.app import AuditApp
from auditui.tui.run import make_app
from auditui.tui.screens.findings import FindingsScreen


def stored(workspace: Workspace, audit_id: str) -> dict[str, tuple[str, ...]]:
    """What a second connection (another process) reads from the file."""
    store = open_store(workspace.store.path)
    try:
        return themes_of(store.conn, audit_id)
    finally:
        store.close()


def picker(screen: Any, kind: str) -> SelectionList[str]:
    return screen.query_one(f"#{kind}_themes", SelectionList)


async def open_findings(app: AuditApp, pilot: Any) -> FindingsScreen:
    """From home, the first audit's findings screen (enter opens the audit, F its findings)."""
    await pilot.press("enter", "F")
    screen = app.screen
    assert isinstance(screen, FindingsScreen)
    return screen


def test_ticks_are_saved_at_once_from_the_keyboard(
    app: AuditApp, workspace: Workspace, new_audit: Any
) -> None:
    audit_id = new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            screen = await open_findings(app, pilot)
            await pilot.press("tab", "tab", "tab")  # past the three boxes to the themes
            assert app.focused is picker(screen, "strengths")
            await pilot.press("space", "down", "down", "space")
            await pilot.pause()
            assert stored(workspace, audit_id) == {
                "strengths": ("Voice of the child", "Contingency planning"),
                "development": (),
            }
            label = screen.query_one("#strengths_count", Label)
            assert str(label.render()) == "Strengths: 2 ticked"
            await pilot.press("tab", *["down"] * 8, "space")  # Drift and delay
            await pilot.pause()
            assert stored(workspace, audit_id)["development"] == ("Drift and delay",)
            await pilot.press("shift+tab", "space")  # back where it was: Contingency, off again
            await pilot.pause()
            assert stored(workspace, audit_id)["strengths"] == ("Voice of the child",)
            await pilot.resize_terminal(*MEDIUM)
            await pilot.press("escape")
            assert not isinstance(app.screen, FindingsScreen)

    run(scenario())


def test_an_ended_audit_shows_its_themes_read_only(
    app: AuditApp, workspace: Workspace, new_audit: Any
) -> None:
    audit_id = new_audit()
    themes.set_themes(workspace, audit_id, {"development": ["Chronology and genogram"]})
    audits.close_incomplete(workspace, audit_id, "The case was transferred.")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("t", "t", "enter", "F")  # All: a closed audit
            screen = app.screen
            assert isinstance(screen, FindingsScreen)
            assert not screen.query(SelectionList)  # nothing to tick
            named = {
                kind: str(screen.query_one(f"#{kind}_named", Static).render())
                for kind in ("strengths", "development")
            }
            assert named == {
                "strengths": "Strengths: none",
                "development": "Areas for development: Chronology and genogram",
            }
            await pilot.press("tab", "tab", "tab", "tab", "space")
            await pilot.pause()
            assert stored(workspace, audit_id)["development"] == ("Chronology and genogram",)

    run(scenario())


def test_a_refused_tick_is_undone_on_screen_and_the_reason_shown(
    app: AuditApp, workspace: Workspace, new_audit: Any
) -> None:
    audit_id = new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            screen = await open_findings(app, pilot)
            audits.close_incomplete(workspace, audit_id, "Ended in another window.")
            await pilot.press("tab", "tab", "tab", "space")
            await pilot.pause()
            assert picker(screen, "strengths").selected == []
            messages = [n.message for n in app._notifications]
            assert any("read-only; reopen it" in m for m in messages), messages
            assert stored(workspace, audit_id)["strengths"] == ()

    run(scenario())


def test_a_theme_the_organisation_dropped_is_shown_and_can_be_removed(
    isolated_env: Any, workspace: Workspace, new_audit: Any
) -> None:
    audit_id = new_audit()
    themes.set_themes(workspace, audit_id, {"strengths": ["Recording quality"]})
    isolated_env.config.write_text(
        '[user]\nname = "Ann Auditor"\n[organisation]\nthemes = ["Voice of the child"]\n',
        encoding="utf-8",
    )
    workspace.config = load_config(isolated_env.config)
    app = make_app(workspace)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("enter", "F")
            strengths = picker(app.screen, "strengths")
            prompts = [str(strengths.get_option_at_index(i).prompt) for i in range(2)]
            assert prompts == ["Voice of the child", "Recording quality (not listed now)"]
            await pilot.press("tab", "tab", "tab", "down", "space")
            await pilot.pause()
            assert stored(workspace, audit_id)["strengths"] == ()

    run(scenario())
