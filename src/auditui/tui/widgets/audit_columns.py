"""The home list's columns: which fit the width, and how wide each one is.

At 100 columns the side panel takes a third of the screen, and the list
used to lose its "Changed" column off the right edge and cut "Requires
improvement" to "Req. impro…". Each column now has a least width and a
width it wants; the grade grows first, then the names people search by,
and a grade too long for its column is written shorter, never cut.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditui.domain.records import Audit
from auditui.tools.scales import grade_label

SHORT_STATUS = {"draft": "Draft", "finalised": "Finalised", "closed_incomplete": "Closed"}
SHORTER_GRADES = {"requires_improvement": ("Req. improvement", "Req. improv.")}
"""Shorter words for a grade whose label does not fit, longest first; never an ellipsis."""
SO_FAR = "?"
"""After a grade id (``list_grade``) and a grade too wide for "so far" (``grade_cell``): the
grade of a draft not yet complete, not a result. The count line under the list says so."""
GRADE_HEADING = "Grade ?=so far"
"""The grade column's heading where it has the room: the legend for ``SO_FAR``."""


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    """The fewest cells it is given."""
    want: int = 0
    """Cells it grows to, once every column has its minimum, before any column gets more."""
    flex: int = 0
    """A share of whatever width is left after every ``want``."""
    right: bool = False


CASE, TOOL, TEAM, STATUS, DONE, GRADE, CHANGED = range(7)
COLUMNS = (
    Column("Case ref", 8, want=10, flex=1),
    Column("Tool", 8, want=14, flex=2),
    Column("Team", 8, want=14, flex=2),
    Column("Status", 9),
    Column("Done", 4, right=True),
    Column("Grade", 12, want=16),
    Column("Changed", 8),
)
GROWTH = ((GRADE,), (CASE, TOOL, TEAM))
"""Who grows to their ``want`` first: the grade (what a QA lead reads the list for), then
the names people search by."""
FULL_GRADE = 20
"""The grade column grows to this, for "Requires improvement" in full, when there is room."""


def changed_label(updated_at: str, today: dt.date) -> str:
    """When a row last changed, in local time: ``14:05`` today, else ``7 Apr``."""
    try:
        when = dt.datetime.fromisoformat(updated_at).astimezone()
    except ValueError:
        return updated_at[:10]
    if when.date() == today:
        return when.strftime("%H:%M")
    if when.year == today.year:
        return f"{when.day} {when:%b}"
    return f"{when:%b %Y}"


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: shortened with an ellipsis, or padded."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width else ""
    return text.rjust(width) if right else text.ljust(width)


def grade_words(grade: str, width: int) -> str:
    """The grade's label, or the longest shorter form that fits ``width``."""
    label = grade_label(grade)
    if len(label) <= width:
        return label
    for shorter in SHORTER_GRADES.get(grade, ()):
        if len(shorter) <= width:
            return shorter
    return label


def list_grade(audit: Audit) -> str:
    """The grade cell's id: the overall grade, with ``SO_FAR`` while it is not yet a result
    (a draft with anything left to do, even one whose grade the auditor chose)."""
    grade = audit.overall_grade or ""
    return f"{grade}{SO_FAR}" if grade and audit.status == "draft" and not audit.complete else grade


def grade_cell(grade: str, width: int) -> str:
    """What the grade column shows for ``list_grade``'s id in ``width`` cells: the label,
    "Good so far" for a grade not yet a result, else "Good?" where "so far" does not fit."""
    if not grade.endswith(SO_FAR):
        return grade_words(grade, width)
    grade = grade.removesuffix(SO_FAR)
    for words in (grade_label(grade), *SHORTER_GRADES.get(grade, ())):
        if len(words) + len(" so far") <= width:
            return f"{words} so far"
    return grade_words(grade, width - len(SO_FAR)) + SO_FAR


def column_titles(widths: list[int]) -> tuple[str, ...]:
    """The headings over columns this wide: the grade's with its legend where it fits."""
    titles = [c.title for c in COLUMNS]
    if widths[GRADE] >= len(GRADE_HEADING):
        titles[GRADE] = GRADE_HEADING
    return tuple(titles)


def column_widths(total: int, shown: tuple[int, ...] = tuple(range(len(COLUMNS)))) -> list[int]:
    """Each column's width for a list ``total`` cells wide (one space between columns);
    0 for a column not in ``shown``."""
    widths = [COLUMNS[i].width if i in shown else 0 for i in range(len(COLUMNS))]
    spare = total - sum(widths) - (len(shown) - 1) - 2

    def grow(i: int, to: int) -> None:
        nonlocal spare
        step = max(0, min(to - widths[i], spare))
        widths[i] += step
        spare -= step

    for group in GROWTH:
        if group == (GRADE,):
            # A grade label is whole or shortened: a width between two labels is wasted.
            if GRADE in shown and spare >= COLUMNS[GRADE].want - widths[GRADE]:
                grow(GRADE, COLUMNS[GRADE].want)
            continue
        # Round-robin, a cell at a time, so equal columns share a small spare evenly.
        while spare > 0 and any(widths[i] < COLUMNS[i].want for i in group if i in shown):
            for i in group:
                if i in shown and widths[i] < COLUMNS[i].want:
                    grow(i, widths[i] + 1)
    if GRADE in shown and spare >= FULL_GRADE - widths[GRADE]:
        grow(GRADE, FULL_GRADE)
    flexes = sum(COLUMNS[i].flex for i in shown)
    if spare > 0 and flexes:
        share = spare
        for i in shown:
            widths[i] += share * COLUMNS[i].flex // flexes
    return widths
