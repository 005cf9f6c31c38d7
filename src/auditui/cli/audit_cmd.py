"""`auditui audit`: do a whole audit from a script, one service call per command.

Bulk jobs, tests and people who prefer a shell use these instead of the
terminal app; every check (value types, hidden questions, rationale for an
override, completeness at finalise) is the services', so both faces refuse
the same things with the same words (spec/cli.md).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import sys
from typing import Any

import click

from auditui.cli.context import Settings, fail_on_error, open_workspace, pass_settings, print_json
from auditui.domain.records import AUDIT_KINDS, CASE_TYPE_LABELS, STATUSES, Audit, parse_date

SUGGESTED = "suggested"
"""The GRADE word that clears the auditor's choice, so the suggestion stands."""

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


@click.group()
def audit() -> None:
    """Start, answer, grade and end audits from the command line."""


@audit.command("new")
@click.option("--tool", "tool_id", required=True, help="The audit tool's id (see `tools list`).")
@click.option("--tool-version", type=int, help="A version of the tool; default the newest.")
@click.option(
    "--case", "case_ref", required=True, help="The case reference from the recording system."
)
@click.option(
    "--case-type",
    required=True,
    help=f"The case type: {', '.join(CASE_TYPE_LABELS)} (one the tool applies to).",
)
@click.option("--team", required=True, help="The team that holds the case.")
@click.option("--practitioner", required=True, help="The child's social worker.")
@click.option("--auditor", help="Who audits; default the configured user name.")
@click.option(
    "--with-practitioner/--without-practitioner",
    "practitioner_present",
    default=True,
    show_default=True,
    help="Whether the practitioner takes part in the audit.",
)
@click.option(
    "--kind",
    type=click.Choice(AUDIT_KINDS),
    default="case_file",
    show_default=True,
    help="The kind of audit.",
)
@pass_settings
def new(
    settings: Settings,
    tool_id: str,
    tool_version: int | None,
    case_ref: str,
    case_type: str,
    team: str,
    practitioner: str,
    auditor: str | None,
    practitioner_present: bool,
    kind: str,
) -> None:
    """Start a draft audit; prints the new audit's id."""
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        audit_id = audits.start_audit(
            ws,
            tool_id,
            case_ref,
            case_type,
            team,
            practitioner,
            practitioner_present,
            kind=kind,
            auditor=auditor,
            tool_version=tool_version,
        )
    click.echo(audit_id)


@audit.command("answer")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("question_id", metavar="QUESTION")
@click.argument("value", metavar="VALUE")
@click.option("--evidence", help="The evidence note for this answer (replaces any earlier note).")
@pass_settings
def answer(
    settings: Settings, audit_id: str, question_id: str, value: str, evidence: str | None
) -> None:
    """Answer one question: VALUE as in the tool format, a JSON list for multi.

    For example `yes`, `partly`, `na`, `good`, `12`, `2026-03-01` or
    '["momo", "other"]'. Without --evidence, the earlier note is kept.
    """
    from auditui.domain.values import display_value, parse_typed
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        tool = audits.load(ws, audit_id).tool
        question = tool.question(question_id)
        typed: Any = parse_typed(question, value) if question is not None else value
        if evidence is None:
            state = audits.answer(ws, audit_id, question_id, typed)
        else:
            state = audits.answer(ws, audit_id, question_id, typed, evidence)
    assert question is not None  # the service refuses an unknown question first
    line = f"{question_id}: {display_value(tool, question, state.answers.get(question_id))}"
    if question_id in state.grading.missing_evidence:
        line += " (needs an evidence note before the audit can be finalised)"
    click.echo(line)
    click.echo(_progress(state))


@audit.command("grade")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("scope", metavar="SECTION|overall")
@click.argument("grade", metavar="GRADE")
@click.option("--rationale", help="Why; needed when the grade differs from the suggestion.")
@pass_settings
def grade(settings: Settings, audit_id: str, scope: str, grade: str, rationale: str | None) -> None:
    """Choose the final grade of a section or of the whole audit.

    GRADE is a grade id of the tool's scale (e.g. good), or `suggested` to
    clear an earlier choice so that the suggested grade stands.
    """
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        chosen = None if grade == SUGGESTED else grade
        state = audits.set_grade(ws, audit_id, scope, chosen, rationale)
    result = state.grading.overall if scope == "overall" else state.grading.sections[scope]
    scale = state.tool.scale_def
    final = scale.label(result.final) if result.final else "no grade"
    suggested = scale.label(result.suggested) if result.suggested else "none"
    click.echo(f"{scope}: {final} (suggested: {suggested})")


@audit.command("finalise")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--on", "on", metavar="DATE", help="The completion date (YYYY-MM-DD); default today.")
@pass_settings
def finalise(settings: Settings, audit_id: str, on: str | None) -> None:
    """Lock a complete audit; refused, listing what is missing, unless complete."""
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        day = parse_date(on, "Finalise date (--on)") if on is not None else None
        state = audits.finalise(ws, audit_id, day)
    overall = state.grading.overall.final
    label = state.tool.scale_def.label(overall) if overall else "no grade"
    click.echo(
        f"Finalised audit {state.audit.id} ({state.audit.case_ref}) on "
        f"{_date(state.audit.ended_on)}: {label}."
    )


@audit.command("close")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--reason", required=True, help="Why the audit cannot be completed.")
@click.option("--on", "on", metavar="DATE", help="The date it ended (YYYY-MM-DD); default today.")
@pass_settings
def close(settings: Settings, audit_id: str, reason: str, on: str | None) -> None:
    """End an audit that cannot be completed (status closed_incomplete)."""
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        day = parse_date(on, "Close date (--on)") if on is not None else None
        state = audits.close_incomplete(ws, audit_id, reason, day)
    click.echo(
        f"Closed audit {state.audit.id} ({state.audit.case_ref}) as incomplete on "
        f"{_date(state.audit.ended_on)}."
    )


@audit.command("reopen")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--reason", required=True, help="Why the ended audit is reopened.")
@pass_settings
def reopen(settings: Settings, audit_id: str, reason: str) -> None:
    """Back to draft as a new revision; the next end replaces the old result."""
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        state = audits.reopen(ws, audit_id, reason)
    click.echo(
        f"Reopened audit {state.audit.id} ({state.audit.case_ref}) as revision "
        f"{state.audit.revision}."
    )


@audit.command("show")
@click.argument("audit_id", metavar="AUDIT")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_settings
def show(settings: Settings, audit_id: str, fmt: str) -> None:
    """One audit: its details, answers, evidence, grades and actions."""
    from auditui.services import actions, audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        state = audits.load(ws, audit_id)
        found = actions.list_actions(ws, audit_id=state.audit.id)
    if fmt == "json":
        print_json(show_json(state, [view.to_json() for view in found]))
    else:
        _show_text(state, found)


def show_json(state: Any, actions: list[dict[str, object]]) -> dict[str, Any]:
    """The `audit show --format json` object (spec/cli.md), from an ``AuditState``."""
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
        "finalised_on": _date(audit.ended_on) if audit.status == "finalised" else None,
        "ended_on": _date(audit.ended_on),
        "end_reason": audit.end_reason,
        "overall_grade": audit.overall_grade,
        "complete": audit.complete,
        "progress": round(audit.progress, 4),
    }


@audit.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only audits with this status.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@pass_settings
def list_audits(settings: Settings, status: str | None, fmt: str) -> None:
    """Audits, most recently changed first; json and csv give every audit in full.

    The grading is summarised as overall_grade (the final overall grade) and
    complete (complete against the tool).
    """
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        found = audits.list_audits(ws, status=status, limit=None)
    rows = [audit_json(a) for a in found]
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        writer = csv.DictWriter(
            sys.stdout, fieldnames=LIST_FIELDS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(row[k]) for k in LIST_FIELDS})
    else:
        _list_table(found)


def _list_table(found: list[Audit]) -> None:
    from rich.console import Console
    from rich.table import Table

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
        table.add_row(
            a.id[:8],
            a.case_ref,
            f"{a.tool_id} v{a.tool_version}",
            STATUS_LABELS[a.status],
            a.team,
            a.auditor,
            a.started_on.isoformat(),
            _date(a.ended_on) or "",
            a.overall_grade or "",
            f"{a.progress:.0%}",
        )
    Console().print(table)
    click.echo(f"{len(found)} audit(s).")


def _show_text(state: Any, found: list[Any]) -> None:
    from auditui.domain.records import KIND_LABELS, STATUS_LABELS
    from auditui.domain.values import display_value

    a, tool, grading = state.audit, state.tool, state.grading
    scale = tool.scale_def
    with_whom = "with" if a.practitioner_present else "without"
    echo = click.echo
    echo(f"Audit {a.id}  ({STATUS_LABELS[a.status]}, revision {a.revision})")
    echo(
        f"  {tool.title} (tool {tool.id} version {tool.version}); {KIND_LABELS.get(a.kind, a.kind)}"
    )
    echo(f"  Case {a.case_ref} ({a.case_type}), team {a.team}; practitioner {a.practitioner}")
    echo(
        f"  Audited by {a.auditor}, {with_whom} the practitioner; started {a.started_on}"
        + (f", ended {a.ended_on}" if a.ended_on else "")
    )
    if a.end_reason:
        echo(f"  Reason: {a.end_reason}")
    for section in tool.sections:
        g = grading.sections[section.id]
        echo("")
        echo(f"{section.title}: {_grade_words(scale, g)}")
        for question in section.questions:
            if question.id not in grading.visible:
                continue
            value = display_value(tool, question, state.answers.get(question.id)) or "-"
            echo(f"  {question.id}: {value}")
            if note := state.evidence.get(question.id):
                echo(f"      evidence: {note}")
        if rationale := state.rationale.get(section.id):
            echo(f"  rationale: {rationale}")
    echo("")
    echo(f"Overall: {_grade_words(scale, grading.overall)}")
    if rationale := state.rationale.get("overall"):
        echo(f"  rationale: {rationale}")
    if found:
        echo("")
        echo("Actions:")
        for view in found:
            act = view.action
            echo(f"  {act.id[:8]} {act.status:<9} due {act.due}  {act.owner}: {act.text}")
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
        parts.append(f"{grade.percent:.0f}%")
    if grade.chosen is not None and grade.suggested not in (None, grade.chosen):
        parts.append(f"suggested {scale.label(grade.suggested)}")
    return ", ".join(parts)


def _progress(state: Any) -> str:
    grading = state.grading
    left = len(grading.missing) + len(grading.missing_evidence) + len(grading.missing_grades)
    if not left:
        return f"{grading.progress:.0%} done; ready to finalise."
    return f"{grading.progress:.0%} done; {left} thing(s) left before finalising."


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _attach_report() -> None:
    """`auditui audit report` is the export module's renderer, on the audit group."""
    from auditui.cli.export_cmd import audit_report

    audit.add_command(audit_report, "report")


_attach_report()

COMMANDS = [audit]
