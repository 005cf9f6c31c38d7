"""The reports screen's words: its summary line, its table, its group labels, its period.

A report's groups are the store's keys (``2026-11``, ``case-file-audit/child_protection``,
``deep_dive``, ``CIN``); the QA lead reads them as ``Nov 2026``, the section's number
and title, ``Deep dive``, ``Child in Need`` (issue 13 review items 3 and 11). The
group column takes only the width the figures leave, and a long label wraps onto a
second line of its row rather than pushing the figures off the screen. The JSON and
CSV of ``auditui report`` keep the keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import DataTable

from auditui.domain.records import CASE_TYPE_LABELS, KIND_LABELS, parse_date
from auditui.domain.uk_dates import format_period, format_short_day, month_label
from auditui.errors import InvalidAnswerError
from auditui.tools.library import ToolLibrary

MEASURES = (
    ("with_practitioner_pct", "With practitioner", "Practitioner"),
    ("complete_against_framework_pct", "Complete", "Complete"),
    ("actions_on_time_pct", "Actions on time", "On time"),
)
"""(report key, label, the table's short heading): the three published measures."""
CUT_NAMES = {"case_type": "case type", "kind": "audit kind"}
FIGURES_WIDTH = 6 + 6 + 12 + 8 + 7 + 7 + 2 * 7
"""Cells the figure columns take (widest heading or value, two cells of padding each),
and the group column's padding."""
GROUP_MIN, GROUP_MAX = 12, 48


def percent(value: float | None, target: int | None = None) -> Text:
    if value is None:
        return Text("-", justify="right")
    style = "" if target is None else ("green" if value >= target else "bold red")
    return Text(f"{value:.1f}%", style=style, justify="right")


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def group_label(by: str, group: str, library: ToolLibrary | None) -> str:
    """A report group in the QA lead's words; the key itself when nothing better is known."""
    if by == "month":
        return month_label(group)
    if by == "kind":
        return KIND_LABELS.get(group, group)
    if by == "case_type":
        return CASE_TYPE_LABELS.get(group, group)
    if library is None or by not in ("tool", "section"):
        return group
    tool_id, _, section_id = group.partition("/")
    try:
        tool = library.latest(tool_id)
    except Exception:  # a tool this machine has not loaded: its id is all we know
        return group
    if by == "tool":
        return tool.title
    for number, section in enumerate(tool.sections, start=1):
        if section.id == section_id:
            return f"{number}. {section.title}"
    return section_id


def section_heading(group: str, library: ToolLibrary | None) -> str:
    """The tool a section cut's group belongs to, by its title: the heading over its
    sections' rows."""
    tool_id = group.partition("/")[0]
    try:
        return library.latest(tool_id).title if library is not None else tool_id
    except Exception:  # a tool this machine has not loaded
        return tool_id


def summary_line(report: dict[str, Any], by: str, period: tuple[str | None, str | None]) -> Text:
    """``By month, audits ended 1 Jun 2026 to 30 Nov 2026. 34 audits (...): ...``"""
    start, end = period
    when = (
        "audits ended " + format_period(_date(start), _date(end))
        if any(period)
        else "every ended audit"
    )
    line = Text(f"By {CUT_NAMES.get(by, by)}, {when}. ", style="bold")
    if report["suppressed"]:
        line.append(
            f"Fewer than {report['small_group_threshold']} audits: figures hidden to "
            "protect small groups."
        )
        return line
    targets = report["targets"]
    line.append(f"{report['audits']} audits ({report['source']}): ", style="")
    line.append(f"good or better {pct(report['good_or_better_pct'])}")
    for key, label, _ in MEASURES:
        line.append(f"; {label.lower()} ")
        line.append_text(percent(report[key], targets[key]))
        line.append(f" (target {targets[key]:g}%)")
    overdue = int(report["overdue_actions"])
    line.append(f"; {overdue} {'action' if overdue == 1 else 'actions'} overdue.")
    if report["suppressed_groups"]:
        hidden = int(report["suppressed_groups"])
        line.append(f" {hidden} small {'group' if hidden == 1 else 'groups'} hidden.")
    return line


def fill_table(
    table: DataTable[Any],
    report: dict[str, Any],
    by: str,
    library: ToolLibrary | None,
    width: int,
) -> None:
    """The report's rows, the group column as wide as the figures leave room for."""
    table.clear(columns=True)
    targets = report["targets"]
    groups = list(report["groups"])
    if by == "section":  # each tool's sections in the tool's order, not by their ids
        groups.sort(key=lambda g: _section_order(str(g["group"]), library))
    labels = [group_label(by, str(g["group"]), library) for g in groups]
    longest = max([len(label) for label in labels] + [len(CUT_NAMES.get(by, by)), 3])
    room = max(GROUP_MIN, min(GROUP_MAX, width - FIGURES_WIDTH))
    table.add_column(CUT_NAMES.get(by, by).capitalize(), key="group", width=min(longest, room))
    table.add_column("Audits", key="audits")
    table.add_column("Good+", key="good")
    for key, _, heading in MEASURES:
        table.add_column(heading, key=key)
    table.add_column("Overdue", key="overdue")
    tool = None
    for row, label in [
        ({"group": "All", **report}, "All"),
        *zip(groups, labels, strict=True),
    ]:
        if row.get("audits") is None:
            continue
        if by == "section" and row["group"] != "All" and tool != row["group"].partition("/")[0]:
            tool = row["group"].partition("/")[0]  # the sections' tool, once, over them
            heading = _cut(section_heading(row["group"], library), 2 * room)
            table.add_row(
                Text(heading, style="bold"),
                *[""] * 6,
                key=f"tool:{tool}",
                height=1 if len(heading) <= room else 2,
            )
        if by == "section" and row["group"] != "All":
            label = "  " + label
        label = _cut(label, 2 * room)
        table.add_row(
            Text(label),
            Text(str(row["audits"]), justify="right"),
            percent(row["good_or_better_pct"]),
            *(percent(row[key], targets[key]) for key, _, _ in MEASURES),
            Text(str(row["overdue_actions"]), justify="right"),
            key=str(row["group"]),
            height=1 if len(label) <= room else 2,
        )


def parse_period(typed: str) -> tuple[str | None, str | None]:
    """The period from what was typed: two dates (ISO or DD/MM/YYYY) or '-' each, as
    ISO; empty is every audit. Refused in one sentence with the dates the UK way."""
    parts = typed.split()
    if len(parts) not in (0, 2):
        shown = typed if len(typed) <= 40 else typed[:40] + "..."
        raise InvalidAnswerError(
            f"Report period: '{shown}' is not two dates (from and to), like 01/06/2026 30/11/2026."
        )
    days = [
        None if part == "-" else parse_date(part, f"Report {name}")
        for part, name in zip(parts, ("from", "to"), strict=False)
    ]
    start, end = (days + [None, None])[:2]
    if start is not None and end is not None and start > end:
        raise InvalidAnswerError(
            f"Report period: the first day ({format_short_day(start)}) is after the last "
            f"({format_short_day(end)}); type the earlier date first."
        )
    return (
        start.isoformat() if start is not None else None,
        end.isoformat() if end is not None else None,
    )


def _section_order(group: str, library: ToolLibrary | None) -> tuple[str, int, str]:
    tool_id, _, section_id = group.partition("/")
    try:
        ids = [s.id for s in library.latest(tool_id).sections] if library is not None else []
    except Exception:  # a tool this machine has not loaded: after the known ones, by id
        ids = []
    return (tool_id, ids.index(section_id) if section_id in ids else len(ids), section_id)


def _cut(text: str, room: int) -> str:
    """``text`` in ``room`` cells, an ellipsis where it had to be cut."""
    return text if len(text) <= room else text[: room - 1] + "…"


def _date(iso: str | None) -> dt.date | None:
    return None if iso is None else dt.date.fromisoformat(iso)


def view_heading(
    heading: str, report: dict[str, Any], from_hub: bool, counted: str
) -> tuple[list[RenderableType], bool]:
    """A figures view's opening lines: ``heading``, where the figures came from (a hub), and
    when the report has fewer than the small-group threshold of ``counted`` (pairs, audits),
    the sentence saying they are hidden; and whether they are hidden."""
    parts: list[RenderableType] = [Text(heading, style="bold")]
    if from_hub:
        parts.append(Text(f"From the {report.get('source', 'hub')}.", "dim"))
    hidden = bool(report.get("suppressed"))
    if hidden:
        parts.append(
            Text(
                f"Fewer than {report['small_group_threshold']} {counted}: figures hidden to "
                "protect small groups."
            )
        )
    return parts, hidden
