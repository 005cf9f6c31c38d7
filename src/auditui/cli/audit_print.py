"""How `auditui audit` prints an audit: the show text, the list table, JSON and CSV.

Kept apart from the commands (``audit_cmd``) so that the commands read as
what they ask of the services, and the words and columns an auditor or a
script sees are in one place. JSON and CSV keys follow spec/cli.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from auditui.cli.context import terminal_text, write_out
from auditui.domain.percent import round_half_up
from auditui.domain.records import Audit

LIST_FIELDS = (
    "id",
    "case_ref",
    "tool",
    "tool_version",
    "status",
    "revision",
    "case_type",
    "team",
    "auditor",
    "practitioner",
    "practitioner_present",
    "kind",
    "started_on",
    "finalised_on",
    "ended_on",
    "overall_grade",
    "complete",
    "progress",
)
"""What `audit list` gives for each audit, in order (the CSV header)."""


def show_json(state: Any, actions: list[dict[str, object]]) -> dict[str, Any]:
    """The `audit show --format json` object (spec/cli.md), from an ``AuditState``."""
    from auditui.tools.numbering import form_numbers

    answers: dict[str, Any] = {}
    for question in state.tool.questions:
        if question.id in state.answers or question.id in state.evidence:
            answers[question.id] = {
                "value": state.answers.get(question.id),
                "evidence": state.evidence.get(question.id),
            }
    return {
        **audit_json(state.audit),
        "answers": answers,
        "grading": state.grading.to_json(),
        "rationale": dict(state.rationale),
        "sections_na": dict(state.sections_na),
        "calendar": state.calendar,
        "numbers": form_numbers(state.tool),
        "actions": actions,
    }


def audit_json(audit: Audit) -> dict[str, Any]:
    """An audit's details, as `audit list` gives them."""
    return {
        "id": audit.id,
        "case_ref": audit.case_ref,
        "tool": audit.tool_id,
        "tool_version": audit.tool_version,
        "status": audit.status,
        "revision": audit.revision,
        "case_type": audit.case_type,
        "team": audit.team,
        "auditor": audit.auditor,
        "practitioner": audit.practitioner,
        "practitioner_present": audit.practitioner_present,
        "kind": audit.kind,
        "started_on": audit.started_on.isoformat(),
        "finalised_on": iso_date(audit.ended_on) if audit.status == "finalised" else None,
        "ended_on": iso_date(audit.ended_on),
        "end_reason": audit.end_reason,
        "overall_grade": audit.overall_grade,
        "complete": audit.complete,
        "progress": round(audit.progress, 4),
        "demo": audit.demo,
    }


def list_table(found: list[Audit]) -> None:
    """`audit list`: one line per audit, for a person at a terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from auditui.domain.records import STATUS_LABELS

    table = Table(
        "id",
        "case",
        "tool",
        "status",
        "team",
        "auditor",
        "started",
        "ended",
        "grade",
        "done",
        box=None,
    )
    for a in found:
        cells = [
            a.id[:8],
            a.case_ref,
            f"{a.tool_id} v{a.tool_version}",
            STATUS_LABELS.get(a.status, a.status),
            a.team,
            a.auditor,
            a.started_on.isoformat(),
            iso_date(a.ended_on) or "",
            _list_grade(a),
            f"{round_half_up(a.progress * 100, 0):.0f}%",
        ]
        table.add_row(*(Text(terminal_text(cell)) for cell in cells))
    Console().print(table)
    click.echo(f"{len(found)} audit(s).")


def _list_grade(a: Audit) -> str:
    """A draft's grade is not yet a result: "good so far" until the audit is complete."""
    if not a.overall_grade:
        return ""
    return (
        f"{a.overall_grade} so far" if a.status == "draft" and not a.complete else a.overall_grade
    )


def list_csv(rows: list[dict[str, Any]]) -> None:
    """`audit list --format csv`: the ``LIST_FIELDS`` of each row, formula-safe, on stdout."""
    from auditui.export.cells import csv_line

    lines = [csv_line(LIST_FIELDS), *(csv_line(row[k] for k in LIST_FIELDS) for row in rows)]
    write_out("".join(lines))


def show_text(state: Any, found: list[Any]) -> None:
    """`audit show`: an ``AuditState`` and its actions, section by section."""
    from auditui.domain.records import KIND_LABELS, STATUS_LABELS
    from auditui.domain.values import display_value
    from auditui.domain.working_days import format_day
    from auditui.export.computed import computed_figure
    from auditui.tools.numbering import form_numbers

    a, tool, grading = state.audit, state.tool, state.grading
    scale = tool.scale_def
    with_whom = "with" if a.practitioner_present else "without"

    def echo(text: str) -> None:
        # Names, notes and tool titles come from the database and tool files.
        click.echo(terminal_text(text, lines=True))

    echo(f"Audit {a.id}  ({STATUS_LABELS[a.status]}, revision {a.revision})")
    echo(
        f"  {tool.title} (tool {tool.id} version {tool.version}); {KIND_LABELS.get(a.kind, a.kind)}"
    )
    if tool.is_worker_audit:
        echo(f"  Worker audit of {a.practitioner}, team {a.team}")
    else:
        echo(f"  Case {a.case_ref} ({a.case_type}), team {a.team}; practitioner {a.practitioner}")
    numbers = form_numbers(tool)
    echo(
        f"  Audited by {a.auditor}, {with_whom} the practitioner; started "
        f"{format_day(a.started_on)}" + (f", ended {format_day(a.ended_on)}" if a.ended_on else "")
    )
    if a.end_reason:
        echo(f"  Reason: {a.end_reason}")
    for section in tool.sections:
        g = grading.sections[section.id]
        echo("")
        if section.id in state.sections_na:
            echo(f"{numbers[section.id]} {section.title}: not applicable")
            echo(f"  reason: {state.sections_na[section.id]}")
            continue
        if tool.format >= 2 and not section.graded_by_rule:
            echo(f"{numbers[section.id]} {section.title}")
        else:
            echo(f"{numbers[section.id]} {section.title}: {_grade_words(scale, g)}")
        for question in section.questions:
            if question.id not in grading.visible:
                continue
            if question.compute is not None:
                value = computed_figure(
                    question, grading.computed.get(question.id), state.answers, state.calendar
                )
            else:
                value = display_value(tool, question, state.answers.get(question.id)) or "-"
            echo(f"  {numbers[question.id]} {question.id}: {value}")
            if note := state.evidence.get(question.id):
                echo(f"      evidence: {note}")
        if rationale := state.rationale.get(section.id):
            echo(f"  rationale: {rationale}")
    echo("")
    overall = _grade_words(scale, grading.overall)
    if grading.overall.final and grading.overall.chosen is None and not a.ended:
        overall += " so far" if not grading.answers_in else " (suggested, not yet accepted)"
    echo(f"Overall: {overall}")
    if rationale := state.rationale.get("overall"):
        echo(f"  rationale: {rationale}")
    if found:
        echo("")
        echo("Actions:")
        for view in found:
            act = view.action
            due = format_day(act.due)
            echo(f"  {act.id[:8]} {act.status:<9} due {due}  {act.owner}: {act.text}")
    if not a.ended:
        problems = state.problems
        echo("")
        echo("Ready to finalise." if not problems else "Still to do before finalising:")
        for line in problems:
            echo(f"  - {line}")


def _grade_words(scale: Any, grade: Any) -> str:
    final = scale.label(grade.final) if grade.final else "no grade yet"
    parts = [final]
    if grade.percent is not None:
        parts.append(f"{round_half_up(grade.percent, 0):.0f}%")
    if grade.chosen is not None and grade.suggested not in (None, grade.chosen):
        parts.append(f"suggested {scale.label(grade.suggested)}")
    return ", ".join(parts)


def progress_line(state: Any) -> str:
    """How far the audit is, and what is left before it can be finalised."""
    grading = state.grading
    done = f"{round_half_up(grading.progress * 100, 0):.0f}% done"
    left = len(state.problems)
    if not left and grading.unconfirmed:
        return f"{done}; ready to finalise, which accepts the suggested grades not yet accepted."
    if not left:
        return f"{done}; ready to finalise."
    return f"{done}; {left} thing{'' if left == 1 else 's'} left before finalising."


def iso_date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def suggestion_to_accept(state: Any, scope: str) -> str | None:
    """The suggested grade `audit grade AUDIT SECTION accept` takes as the auditor's own
    (None for a scope the audit lacks: the service refuses it, naming the sections)."""
    from auditui.domain.names import section_name
    from auditui.errors import StateError

    grading = state.grading
    grade = grading.overall if scope == "overall" else grading.sections.get(scope)
    if grade is None:
        return None
    if grade.suggested is None:
        name = section_name(state.tool, scope)
        raise StateError(f"{name} has no suggested grade to accept; give a grade of the scale.")
    return str(grade.suggested)


def finalised_lines(state: Any, accepting: list[tuple[str, str]]) -> list[str]:
    """What `audit finalise` says: the audit, its date and grade, and the suggested grades
    finalising accepted (``audit_state.to_accept`` before it), so none is accepted unseen."""
    from auditui.domain.names import section_name

    label = state.tool.scale_def.label
    overall = state.grading.overall.final
    a = state.audit
    lines = [
        f"Finalised audit {a.id} ({a.case_ref or a.practitioner}) on {iso_date(a.ended_on)}: "
        f"{label(overall) if overall else 'no grade'}."
    ]
    if accepting:
        words = "; ".join(f"{section_name(state.tool, s)}: {label(g)}" for s, g in accepting)
        lines.append(f"Accepted the suggested grades: {words}.")
    return lines
