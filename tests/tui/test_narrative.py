"""The narrative screen: three sections for a period, kept as typed where `report pack` reads."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static, TextArea
from tui_support import SMALL, run

from auditui.services.pack_narrative import Narrative, store_narrative, stored_narrative
from auditui.services.report_pack import build_pack
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.narrative import NarrativeScreen

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def test_typed_sections_are_kept_at_once_and_the_pack_prints_them(
    app: AuditApp, workspace: Workspace
) -> None:
    store_narrative(workspace, FIRST, LAST, Narrative("Known before."))

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            app.push_screen(NarrativeScreen(workspace, FIRST, LAST))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, NarrativeScreen)
            assert screen.query_one("#what-we-know", TextArea).text == "Known before."
            await pilot.press("end", *" More.")
            # kept before any key that leaves: a crash now would lose nothing
            assert stored_narrative(workspace, FIRST, LAST).what_we_know == "Known before. More."
            await pilot.press("tab", *"Audits", "tab", "#", " ", *"Workshops")
            assert stored_narrative(workspace, FIRST, LAST) == Narrative(
                "Known before. More.", "Audits", "# Workshops"
            )
            await pilot.press("escape")
            assert not isinstance(app.screen, NarrativeScreen)

    run(scenario())
    pack = build_pack(workspace, FIRST, LAST)
    words = {s.heading: s.paragraphs for s in pack.sections}
    assert words["What do we know"] == ["Known before. More."]
    assert words["What next"] == ["# Workshops"]


def test_a_refused_change_is_shown_and_what_was_kept_stays(
    app: AuditApp, workspace: Workspace
) -> None:
    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            app.push_screen(NarrativeScreen(workspace, FIRST, LAST))
            await pilot.pause()
            await pilot.press(*"Fine")
            area = app.screen.query_one("#what-we-know", TextArea)
            area.insert("\x07")
            await pilot.pause()
            said = str(app.screen.query_one("#narrative-error", Static).render())
            assert said.startswith("What do we know: a control character")
            await pilot.press("escape")
            assert isinstance(app.screen, NarrativeScreen), "warned once, not left"
            await pilot.press("escape")
            assert not isinstance(app.screen, NarrativeScreen)

    run(scenario())
    assert stored_narrative(workspace, FIRST, LAST).what_we_know == "Fine"


def test_a_kept_file_that_cannot_be_read_is_left_alone(app: AuditApp, workspace: Workspace) -> None:
    path = store_narrative(workspace, FIRST, LAST, Narrative("x"))
    path.write_text("# Something else\nhand edited\n", encoding="utf-8")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            app.push_screen(NarrativeScreen(workspace, FIRST, LAST))
            await pilot.pause()
            area = app.screen.query_one("#what-we-know", TextArea)
            assert area.read_only
            said = str(app.screen.query_one("#narrative-error", Static).render())
            assert "Something else" in said
            await pilot.press(*"typed", "escape")

    run(scenario())
    assert path.read_text(encoding="utf-8") == "# Something else\nhand edited\n"
