"""The reports screen's themes view: what audits most often find to develop, and to praise.

The QA lead tells the forum which themes come up again and again: the areas
for development (drift and delay, SMART planning ...) and the strengths. The
figures are the report document's ``themes`` (``sync.theme_counts``), the same
document the table and charts are drawn from: overall, then in each group of
the cut shown (a theme belongs to a whole audit, so a section has none of its
own, and the view says so). Each count is the number of audits that raised the
theme. Names wrap rather than being cut, so a long theme from the
organisation's list is read whole at 80 columns.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from auditui.tools.library import ToolLibrary
from auditui.tui.widgets.report_table import CUT_NAMES, group_label, view_heading

OVERALL_SHOWN = 10
"""Themes of each kind shown for every audit in the period."""
GROUP_SHOWN = 5
"""Themes of each kind shown for each group of the cut."""
COUNT_WIDTH = len("99 audits")
"""The count columns' least width, so every table's columns line up under the first's."""
NO_GROUP_THEMES = ("section",)
"""Cuts a theme cannot be counted by: a theme is raised by a whole audit."""


def audits_count(n: int) -> str:
    """``1 audit``, ``7 audits``."""
    return f"{n} audit" if n == 1 else f"{n} audits"


def _printable(text: str) -> str:
    """A name from a hub as plain text: no control character reaches the terminal."""
    return "".join(c if c.isprintable() else "?" for c in text)


def themes_table(themes: dict[str, Any] | None, shown: int) -> RenderableType:
    """Areas for development beside strengths, most often raised first, names wrapped."""
    development = list((themes or {}).get("development") or [])[:shown]
    strengths = list((themes or {}).get("strengths") or [])[:shown]
    if not development and not strengths:
        return Text("No theme raised.", style="dim")
    table = Table(box=None, pad_edge=False, header_style="bold", expand=True)
    table.add_column("For development", ratio=1, overflow="fold")
    table.add_column("", justify="right", no_wrap=True, min_width=COUNT_WIDTH)
    table.add_column("Strengths", ratio=1, overflow="fold")
    table.add_column("", justify="right", no_wrap=True, min_width=COUNT_WIDTH)
    for left, right in zip_longest(development, strengths):
        cells: list[Text] = []
        for item in (left, right):
            if item is None:
                cells += [Text(""), Text("")]
            else:
                cells += [Text(_printable(str(item["theme"]))), Text(audits_count(item["audits"]))]
        table.add_row(*cells)
    return table


def themes_view(
    report: dict[str, Any], by: str, library: ToolLibrary | None, from_hub: bool
) -> RenderableType:
    """The view's body: the heading, every audit's top themes, then each group's."""
    parts, suppressed = view_heading(
        "The themes findings raise most often: areas for development and strengths "
        "(audits raising each).",
        report,
        from_hub,
        "audits",
    )
    if suppressed:
        return Group(*parts)
    themes = report.get("themes") or {}
    if not themes.get("development") and not themes.get("strengths"):
        parts.append(Text("No audit that ended in this period raised a theme.", style="dim"))
        return Group(*parts)
    parts += [
        Text(""),
        Text("Every audit", style="bold underline"),
        themes_table(themes, OVERALL_SHOWN),
    ]
    cut = CUT_NAMES.get(by, by)
    if by in NO_GROUP_THEMES:
        parts += [
            Text(""),
            Text(
                f"By {cut}: a theme is raised by a whole audit, not by one {cut}, so there "
                f"are no themes by {cut}; press g for another cut (team, month ...).",
                style="italic",
            ),
        ]
        return Group(*parts)
    for group in report.get("groups", []):
        label = _printable(group_label(by, str(group["group"]), library))
        heading = Text(f"{cut.capitalize()}: {label}", style="bold underline")
        if group.get("audits") is not None:
            heading.append(f" ({audits_count(int(group['audits']))})", style="not underline dim")
        parts += [Text(""), heading, themes_table(group.get("themes"), GROUP_SHOWN)]
    if hidden := int(report.get("suppressed_groups") or 0):
        groups = "group" if hidden == 1 else "groups"
        parts += [Text(""), Text(f"{hidden} small {groups} hidden.", style="dim")]
    return Group(*parts)
