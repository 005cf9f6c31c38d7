"""The grades table's columns: how wide each is, and a section title that needs two lines.

The grades are the point of the screen, so they get the room for their whole
label first; the section's title takes the rest, on two lines rather than cut
("The child's voice and li…" beside an empty Score column at 80x24).
"""

from __future__ import annotations

import textwrap

from rich.text import Text

from auditui.tui.widgets.action_rows import cut

YOURS = " (yours)"
"""After a grade the auditor chose instead of the suggestion."""


def grade_widths(screen_width: int, scored: bool = True) -> tuple[int, int, int, int]:
    """(section, score, suggested, grade) widths for the grades table on a screen this wide;
    a score of 0 means no Score column.

    The grades are the point: each gets the room for its whole label (shortened,
    never cut, at 80 columns); the section title takes what is left, on two lines
    if it must. Under 100 columns, or when no row has a score (``scored``), there
    is no Score column: the detail below says "Scored 75%: Good", and the names
    get the room (an empty Score column once cut "The child's voice and li…").
    """
    wide = screen_width >= 100
    score = 5 if wide and scored else 0
    room = screen_width - 4 - 2 - (4 if score else 3) * 2  # margins, scrollbar, padding
    # Under 100 columns "Req. improv." suggests and "Req. improv. (yours)" is chosen.
    suggested, final = (20, 20 + len(YOURS)) if wide else (12, 13 + len(YOURS))
    return max(room - score - suggested - final, 12), score, suggested, final


def title_lines(title: str, width: int, two: bool = True) -> tuple[Text, int]:
    """A section's title in ``width`` cells: whole on one line, else on two if ``two`` (the
    second cut if it must be), else cut; and the row height that takes."""
    if len(title) <= width:
        return Text(title), 1
    if not two:
        return Text(cut(title, width)), 1
    first = textwrap.wrap(title, width)[0]
    return Text(f"{first}\n{cut(title[len(first) :].strip(), width)}"), 2
