"""The too-small screen (below 80x24) still lets the user leave, as every screen does."""

from __future__ import annotations

import pytest
from tui_support import run

from auditui.services.workspace import Workspace
from auditui.tui.run import make_app
from auditui.tui.screens.too_small import TooSmallScreen


@pytest.mark.parametrize("key", ["ctrl+c", "q", "ctrl+q"])
def test_ctrl_c_and_q_quit_on_the_too_small_screen(workspace: Workspace, key: str) -> None:
    app = make_app(workspace)

    async def scenario() -> None:
        async with app.run_test(size=(60, 20)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)
            words = str(app.screen.query_one("#too-small").render())
            assert "ctrl+c" in words and "saved" in words
            await pilot.press(key)
            await pilot.pause()
            assert app._exit, key  # the app is leaving

    run(scenario())
