"""The small tables, one Python row at a time: audits, actions and grades.

One row per audit or per action is thousands, not millions, so these are
plain Python over a streaming cursor, with the cell rules of ``cells``.

Grades are already stored per audit (the ``grades`` table, scope = section id
or ``overall``), so nothing is regraded here.

The audits table's layout, for a BI analyst:

- fixed columns first, the same for every export, so a Power BI query keeps
  working as tools change: ids, case details (the case reference, never a
  name), status, dates, revision, the overall grade (percent, suggested,
  final, and ``overall_overridden`` = 1 when the auditor's final grade
  differs from the suggestion, which needs a written rationale),
  ``grades_overridden`` (how many sections plus overall were overridden),
  and the action counts;
- with ``--tool``: three columns per section of that tool, named
  ``<section_id>_suggested``, ``<section_id>_final`` and
  ``<section_id>_overridden``, in tool order (sections of older versions
  after), one wide row per audit as ODK and REDCap exports are;
- without ``--tool`` (tools have different sections): ``sections_suggested``
  and ``sections_final`` packed as ``section_id=grade;section_id=grade``;
  the ``grades`` table has the same long, one row per audit and section.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from auditui.domain.records import CASE_TYPE_LABELS, KIND_LABELS, STATUS_LABELS
from auditui.export.cells import date_cell, line, number_cell, text_cell
from auditui.export.filters import ExportFilter
from auditui.store.export_rows import actions_with_audits, audits_with_summaries, grades_with_audits

if TYPE_CHECKING:  # imported with csv_export, which an answers export loads: no tool models
    from auditui.domain.working_days import WorkingCalendar
    from auditui.tools.library import ToolLibrary
    from auditui.tools.models import AuditTool
    from auditui.tools.scales import Scale

AUDIT_HEADER = (
    "audit_id",
    "tool_id",
    "tool_version",
    "tool_title",
    "case_ref",
    "case_type",
    "kind",
    "team",
    "auditor",
    "practitioner",
    "practitioner_present",
    "status",
    "revision",
    "started_on",
    "ended_on",
    "end_reason",
    "complete",
    "progress_pct",
    "overall_percent",
    "overall_suggested",
    "overall_final",
    "overall_overridden",
    "grades_overridden",
    "actions_open",
    "actions_open_overdue",
    "actions_done",
    "actions_done_on_time",
)

ACTION_HEADER = (
    "action_id",
    "audit_id",
    "tool_id",
    "team",
    "owner",
    "text",
    "created_on",
    "audit_ended_on",
    "due",
    "status",
    "completed_on",
    "working_days_taken",
    "on_time",
)
"""``working_days_taken``: from the audit's end (day 0) to completion. ``on_time``:
1 done by the due date, 0 done late or open past it, empty while open and not
yet due, or cancelled (as the "actions on time" measure counts them)."""

GRADE_HEADER = (
    "audit_id",
    "tool_id",
    "tool_version",
    "scope",
    "scope_title",
    "percent",
    "suggested",
    "chosen",
    "final",
    "overridden",
    "rationale",
    "scope_number",
    "not_applicable",
)
"""``scope_number``: the section's number on the form (format 2's own, else its position);
``not_applicable``: the auditor's reason a section was marked not applicable, else empty."""

ACTION_STATUS_LABELS = {"open": "Open", "done": "Done", "cancelled": "Cancelled"}


class _Labels:
    """Ids by default; with ``--labels`` the words a person reads."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def flag(self, value: Any) -> str:
        if value is None:
            return ""
        if self.on:
            return text_cell("Yes" if value else "No")
        return "1" if value else "0"

    def word(self, value: str | None, table: dict[str, str]) -> str:
        if value is None:
            return ""
        return text_cell(table.get(value, value) if self.on else value)

    def grade(self, value: str | None, tool: AuditTool | None) -> str:
        if value is None:
            return ""
        if self.on:
            scale = tool.scale_def if tool is not None else _ofsted()
            return text_cell(scale.label(value))
        return text_cell(value)

    def grade_text(self, value: str | None, tool: AuditTool | None) -> str:
        if value is None or not self.on:
            return value or ""
        return (tool.scale_def if tool is not None else _ofsted()).label(value)


def _ofsted() -> Scale:
    """The default scale, for an audit whose tool is not loaded."""
    from auditui.tools.scales import SCALES

    return SCALES["ofsted"]


def _tool(library: ToolLibrary, tool_id: str, version: int) -> AuditTool | None:
    return library.tools.get((tool_id, version))


def section_columns(library: ToolLibrary, tool_id: str) -> list[str]:
    """Section ids of every loaded version of a tool: newest version's order, then older ones."""
    versions = sorted(
        (t for (tid, _), t in library.tools.items() if tid == tool_id), key=lambda t: -t.version
    )
    seen: dict[str, None] = {}
    for tool in versions:
        for section in tool.sections:
            seen.setdefault(section.id, None)
    return list(seen)


def _overridden(suggested: str | None, chosen: str | None) -> bool:
    return chosen is not None and suggested is not None and chosen != suggested


def audit_rows(
    conn: sqlite3.Connection,
    library: ToolLibrary,
    labels: bool,
    where: ExportFilter,
    today: dt.date,
) -> Iterator[str]:
    """The header, then one CSV line per audit."""
    from auditui.domain.percent import round_half_up

    lab = _Labels(labels)
    sections = section_columns(library, where.tool) if where.tool else []
    header = list(AUDIT_HEADER)
    if where.tool:
        for sid in sections:
            for part in ("suggested", "final", "overridden"):
                name = f"{sid}_{part}"
                header.append(f"section_{name}" if name in AUDIT_HEADER else name)
    else:
        header += ["sections_suggested", "sections_final"]
    yield line([text_cell(h) for h in header])
    clause, params = where.where("u")
    for row in audits_with_summaries(conn, clause, params, today):
        tool = _tool(library, row[1], row[2])
        grades = {g[0]: g for g in json.loads(row[17] or "[]")}
        counts = [c or 0 for c in json.loads(row[18] or "[0,0,0,0]")]
        overall = grades.get("overall", [None] * 5)
        overridden = sum(1 for g in grades.values() if _overridden(g[2], g[3]))
        cells = [
            text_cell(row[0]),
            text_cell(row[1]),
            number_cell(row[2]),
            text_cell(tool.title if tool else None),
            text_cell(row[3]),
            lab.word(row[4], CASE_TYPE_LABELS),
            lab.word(row[5], KIND_LABELS),
            text_cell(row[6]),
            text_cell(row[7]),
            text_cell(row[8]),
            lab.flag(row[9]),
            lab.word(row[10], STATUS_LABELS),
            number_cell(row[11]),
            date_cell(row[12]),
            date_cell(row[13]),
            text_cell(row[14]),
            lab.flag(row[15]),
            number_cell(round_half_up(row[16] * 100, 1) if row[16] is not None else None),
            number_cell(overall[1]),
            lab.grade(overall[2], tool),
            lab.grade(overall[4], tool),
            lab.flag(_overridden(overall[2], overall[3])),
            number_cell(overridden),
            *(number_cell(c) for c in counts),
        ]
        if where.tool:
            for sid in sections:
                g = grades.get(sid)
                if g is None:
                    cells += ["", "", ""]
                else:
                    cells += [
                        lab.grade(g[2], tool),
                        lab.grade(g[4], tool),
                        lab.flag(_overridden(g[2], g[3])),
                    ]
        else:
            order = (
                [s.id for s in tool.sections]
                if tool
                else sorted(s for s in grades if s != "overall")
            )
            for index in (2, 4):
                packed = ";".join(
                    f"{sid}={lab.grade_text(grades[sid][index], tool)}"
                    for sid in order
                    if sid in grades and grades[sid][index] is not None
                )
                cells.append(text_cell(packed))
        yield line(cells)


def action_rows(
    conn: sqlite3.Connection,
    library: ToolLibrary,
    labels: bool,
    where: ExportFilter,
    today: dt.date,
    calendar: WorkingCalendar,
) -> Iterator[str]:
    """The header, then one CSV line per action."""
    lab = _Labels(labels)
    yield line([text_cell(h) for h in ACTION_HEADER])
    clause, params = where.where("u")
    for row in actions_with_audits(conn, clause, params):
        due = dt.date.fromisoformat(row[8])
        done = dt.date.fromisoformat(row[10]) if row[10] else None
        start = dt.date.fromisoformat(row[7] or row[6])
        taken = calendar.working_days_between(start, done) if done else None
        on_time: bool | None = None
        if row[9] == "done" and done is not None:
            on_time = done <= due
        elif row[9] == "open" and due < today:
            on_time = False
        yield line(
            [
                text_cell(row[0]),
                text_cell(row[1]),
                text_cell(row[2]),
                text_cell(row[3]),
                text_cell(row[4]),
                text_cell(row[5]),
                date_cell(row[6]),
                date_cell(row[7]),
                date_cell(row[8]),
                lab.word(row[9], ACTION_STATUS_LABELS),
                date_cell(row[10]),
                number_cell(taken),
                lab.flag(on_time),
            ]
        )


def grade_rows(
    conn: sqlite3.Connection, library: ToolLibrary, labels: bool, where: ExportFilter
) -> Iterator[str]:
    """The header, then one CSV line per audit and scope (each section, then overall)."""
    from auditui.tools.numbering import form_numbers

    lab = _Labels(labels)
    yield line([text_cell(h) for h in GRADE_HEADER])
    clause, params = where.where("u")
    by_audit = itertools.groupby(grades_with_audits(conn, clause, params), key=lambda r: r[0])
    for _, group in by_audit:
        rows = list(group)
        tool = _tool(library, rows[0][1], rows[0][2])
        order = {s.id: n for n, s in enumerate(tool.sections)} if tool else {}
        titles = {s.id: s.title for s in tool.sections} if tool else {}
        numbers = form_numbers(tool) if tool else {}
        rows.sort(key=lambda r: (r[3] == "overall", order.get(r[3], len(order)), r[3]))
        for row in rows:
            title = "Overall" if row[3] == "overall" else titles.get(row[3])
            yield line(
                [
                    text_cell(row[0]),
                    text_cell(row[1]),
                    number_cell(row[2]),
                    text_cell(row[3]),
                    text_cell(title),
                    number_cell(row[4]),
                    lab.grade(row[5], tool),
                    lab.grade(row[6], tool),
                    lab.grade(row[7], tool),
                    lab.flag(_overridden(row[5], row[6])),
                    text_cell(row[8]),
                    text_cell(numbers.get(row[3])),
                    text_cell(row[9]),
                ]
            )
