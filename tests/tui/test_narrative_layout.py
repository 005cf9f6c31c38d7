"""The narrative screen: three boxes of one height, and its period written the UK way
(issue 13 review items 11 and 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Static, TextArea
from tui_support import MEDIUM, SIZE, SMALL, run

from auditui.services.workspace import Workspace
from auditui.tui.run import make_app
from auditui.tui.screens.narrative import AREA_IDS, NarrativeScreen


@pytest.mark.parametrize("size", [SMALL, MEDIUM, SIZE, (80, 25), (100, 31)])
def test_the_three_boxes_have_one_height(workspace: Workspace, size: tuple[int, int]) -> None:
    async def scenario() -> None:
        app = make_app(workspace)
        async with app.run_test(size=size) as pilot:
            app.push_screen(NarrativeScreen(workspace, dt.date(2026, 6, 1), "30/11/2026"))
            for _ in range(3):
                await pilot.pause()
            screen = app.screen
            heights = [screen.query_one(f"#{i}", TextArea).outer_size.height for i in AREA_IDS]
            assert len(set(heights)) == 1 and heights[0] >= 3, (size, heights)
            title = str(screen.query_one("#narrative-title", Static).render())
            assert title == "The board's pack, 1 Jun 2026 to 30 Nov 2026"
            await pilot.resize_terminal(size[0] + 1, size[1] + 2)
            for _ in range(3):
                await pilot.pause()
            again = [screen.query_one(f"#{i}", TextArea).outer_size.height for i in AREA_IDS]
            assert len(set(again)) == 1 and sum(again) >= sum(heights), (size, again)

    run(scenario())
