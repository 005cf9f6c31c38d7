"""Colours that carry meaning on every screen: red is overdue, amber is due soon.

Each is written so that Textual can parse it, in markup and in Rich ``Text``
styles alike (Textual re-parses those). Rich's name ``dark_orange`` is not a
Textual colour: Textual dropped the style without a word, so "due within 5
working days" showed in plain text, and every failed parse spent over a
millisecond looking for a suggestion. ``tests/tui/test_palette.py`` checks
each colour really reaches the screen.
"""

from __future__ import annotations

OVERDUE = "bold red"
AMBER = "#ff8700"
"""Due soon, or something to do before finalising."""
