"""Colours that carry meaning reach the screen: amber for due soon, red for overdue.

Textual drops a style it cannot parse without a word; "dark_orange" (a Rich
name) left every "due soon" in plain text until these tests were written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.color import Color
from textual.style import Style
from textual.widget import Widget
from tui_support import SIZE, TODAY, on_day, run

from auditui.services import actions
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.palette import AMBER, OVERDUE
from auditui.tui.widgets.side_panel import SidePanel


def colours_of(widget: Widget, words: str) -> set[str]:
    """The foreground colours of the rendered segments that hold ``words``."""
    found = set()
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            if words in segment.text and segment.style and segment.style.color:
                found.add(segment.style.color.get_truecolor().hex.lower())
    return found


def is_red(hex_colour: str) -> bool:
    """Red whichever way it was written: the terminal's red (#800000) or #ff0000."""
    r, g, b = Color.parse(hex_colour).rgb
    return r >= 0x80 and g < 0x40 and b < 0x40


def test_each_colour_is_one_textual_understands() -> None:
    for style in (AMBER, OVERDUE):
        assert Style.parse(style).foreground == Color.parse(style.split()[-1])


def test_due_soon_is_amber_and_overdue_red_on_the_home_screen(
    app: AuditApp, workspace: Workspace, new_audit: Any
) -> None:
    audit_id = new_audit("NL/2001")
    actions.add_action(workspace, audit_id, "Priya", "Visit", due=TODAY + dt.timedelta(days=2))
    with on_day(workspace, TODAY - dt.timedelta(days=14)):
        overdue_id = new_audit("NL/2002")
        actions.add_action(workspace, overdue_id, "Sam", "Call", due=TODAY - dt.timedelta(days=3))

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            amber = Color.parse(AMBER).hex.lower()
            side = screen.query_one(SidePanel)
            assert amber in colours_of(side, "2 left"), colours_of(side, "2 left")
            assert amber in colours_of(side, "1 due soon")
            assert any(is_red(colour) for colour in colours_of(side, "1 overdue"))
            count = screen.query_one("#home-count", Widget)
            assert amber in colours_of(count, "1 due soon")
            assert any(is_red(colour) for colour in colours_of(count, "1 overdue"))

    run(scenario())
