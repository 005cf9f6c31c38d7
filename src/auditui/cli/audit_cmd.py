"""`auditui audit`: do a whole audit from a script, one service call per command.

Bulk jobs, tests and people who prefer a shell use these instead of the
terminal app; every check (value types, hidden questions, rationale for an
override, completeness at finalise) is the services', so both faces refuse
the same things with the same words (spec/cli.md).
"""

from __future__ import annotations

import contextlib
from typing import Any

import click

from auditui.cli.audit_print import (
    audit_json,
    finalised_lines,
    iso_date,
    list_csv,
    list_table,
    progress_line,
    show_json,
    show_text,
    suggestion_to_accept,
)
from auditui.cli.context import (
    Settings,
    fail_on_error,
    open_workspace,
    pass_settings,
    print_json,
    terminal_text,
)
from auditui.domain.records import (
    AUDIT_KINDS,
    CASE_TYPE_LABELS,
    STATUSES,
    checked_note,
    parse_date,
)

SUGGESTED = "suggested"
"""The GRADE word that clears the auditor's choice, so the suggestion stands."""
ACCEPT = "accept"
"""The GRADE word that takes the suggested grade as the auditor's own."""


@click.group()
def audit() -> None:
    """Start, answer, grade and end audits from the command line."""


@audit.command("new")
@click.option("--tool", "tool_id", help="The audit tool's id (see `tools list`).")
@click.option("--tool-version", type=int, help="A version of the tool; default the newest.")
@click.option(
    "--case",
    "case_ref",
    help="The case reference from the recording system (not for a worker audit).",
)
@click.option(
    "--case-type",
    help=f"The case type: {', '.join(CASE_TYPE_LABELS)} (one the tool applies to; "
    "not for a worker audit).",
)
@click.option("--team", help="The team that holds the case (or the worker).")
@click.option(
    "--practitioner",
    help="The child's social worker; for a worker audit, the practitioner whose file it is.",
)
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
@click.option(
    "--plan",
    "plan_item",
    metavar="ITEM",
    help="Start a plan item's audit (see `programme show`): tool, case, team and kind come "
    "from the item; --practitioner and --case-type only if the case list gave none.",
)
@click.option(
    "--moderate",
    metavar="AUDIT",
    help="Re-audit an audit picked for moderation, blind: same tool and version, case "
    "details copied, kind moderation (no other option needed).",
)
@pass_settings
def new(
    settings: Settings,
    tool_id: str | None,
    tool_version: int | None,
    case_ref: str | None,
    case_type: str | None,
    team: str | None,
    practitioner: str | None,
    auditor: str | None,
    practitioner_present: bool,
    kind: str,
    plan_item: str | None,
    moderate: str | None,
) -> None:
    """Start a draft audit; prints the new audit's id.

    A worker audit (a tool with `subject: worker`, such as a supervision
    file audit) takes no --case or --case-type: the practitioner is audited.
    """
    from auditui.services import audits

    if plan_item is not None and moderate is not None:
        raise click.UsageError("Give --plan ITEM or --moderate AUDIT, not both.")
    if moderate is not None:
        from auditui.services.moderation import start_moderation

        with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
            click.echo(start_moderation(ws, moderate))
        return
    if plan_item is not None:
        given = [o for o, v in (("--tool", tool_id), ("--case", case_ref), ("--team", team)) if v]
        if given:
            raise click.UsageError(
                f"--plan takes the case details from the plan item; leave out {', '.join(given)}."
            )
        from auditui.services.programme import start_planned_audit

        with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
            click.echo(
                start_planned_audit(
                    ws,
                    plan_item,
                    practitioner=practitioner,
                    auditor=auditor,
                    practitioner_present=practitioner_present,
                    tool_version=tool_version,
                    case_type=case_type,
                )
            )
        return
    needed = (("--tool", tool_id), ("--team", team), ("--practitioner", practitioner))
    missing = [option for option, value in needed if not value]
    if missing:
        raise click.UsageError(
            f"Missing option(s) {', '.join(missing)} (or give --plan ITEM or --moderate AUDIT)."
        )
    assert tool_id is not None and team is not None and practitioner is not None
    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        audit_id = audits.start_audit(
            ws,
            tool_id,
            case_ref or "",
            case_type or "",
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

    For example `yes`, `partly`, `na`, `good`, `12`, `31/10/2026` (or `2026-10-31`) or
    '["momo", "other"]'. Without --evidence, the earlier note is kept.
    """
    from auditui.domain.names import question_name
    from auditui.domain.values import display_value, parse_typed
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        tool = audits.load(ws, audit_id).tool
        question = tool.question(question_id)
        # A date may be typed DD/MM/YYYY or D/M/YYYY as well as ISO; it is stored as ISO.
        typed: Any = parse_typed(question, value, tool) if question is not None else value
        if evidence is None:
            state = audits.answer(ws, audit_id, question_id, typed)
        else:
            state = audits.answer(ws, audit_id, question_id, typed, evidence)
    assert question is not None  # the service refuses an unknown question first
    shown = display_value(tool, question, state.answers.get(question_id))
    line = f"{question_name(tool, question_id)}: {shown}"
    if question_id in state.grading.missing_evidence:
        line += " (needs an evidence note before the audit can be finalised)"
    click.echo(terminal_text(line))
    click.echo(progress_line(state))


@audit.command("grade")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("scope", metavar="SECTION|overall")
@click.argument("grade", metavar="GRADE")
@click.option(
    "--rationale",
    help="Why; needed when the grade differs from the suggestion, "
    "and for every grade where the tool asks for one always.",
)
@pass_settings
def grade(settings: Settings, audit_id: str, scope: str, grade: str, rationale: str | None) -> None:
    """Choose the final grade of a section or of the whole audit.

    GRADE is a grade id of the tool's scale (e.g. good), `accept` to accept
    the suggested grade as yours, or `suggested` to clear an earlier choice so
    that the suggestion stands (not yet accepted: it still counts as to do).
    """
    from auditui.domain.names import section_name
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        chosen = None if grade == SUGGESTED else grade
        if grade == ACCEPT:
            chosen = suggestion_to_accept(audits.load(ws, audit_id), scope)
        if rationale is not None:  # bounded where typed: a hub takes notes up to 20,000
            rationale = checked_note(rationale, "Rationale (--rationale)")
        state = audits.set_grade(ws, audit_id, scope, chosen, rationale)
    result = state.grading.overall if scope == "overall" else state.grading.sections[scope]
    scale = state.tool.scale_def
    final = scale.label(result.final) if result.final else "no grade"
    suggested = scale.label(result.suggested) if result.suggested else "none"
    name = section_name(state.tool, scope)
    click.echo(terminal_text(f"{name}: {final} (suggested: {suggested})"))


@audit.command("section-na")
@click.argument("audit_id", metavar="AUDIT")
@click.argument("section_id", metavar="SECTION")
@click.option("--reason", help="Why the section does not apply to this audit.")
@click.option("--clear", is_flag=True, help="Remove the mark: the section applies again.")
@pass_settings
def section_na(
    settings: Settings, audit_id: str, section_id: str, reason: str | None, clear: bool
) -> None:
    """Mark a section not applicable, with a reason (a format 2 tool's `allow_na` sections)."""
    from auditui.domain.names import section_name
    from auditui.errors import InvalidAnswerError
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        if clear == (reason is not None):
            raise InvalidAnswerError("Give either --reason TEXT or --clear, not both or neither.")
        state = audits.set_section_na(ws, audit_id, section_id, None if clear else reason)
    why = "applies again" if clear else f"not applicable ({state.sections_na[section_id]})"
    click.echo(terminal_text(f"{section_name(state.tool, section_id)}: {why}"))
    click.echo(progress_line(state))


@audit.command("finalise")
@click.argument("audit_id", metavar="AUDIT")
@click.option(
    "--on",
    "on",
    metavar="DATE",
    help="The completion date (DD/MM/YYYY or YYYY-MM-DD); default today.",
)
@pass_settings
def finalise(settings: Settings, audit_id: str, on: str | None) -> None:
    """Lock a complete audit; refused, listing what is missing, unless complete."""
    from auditui.services import audits
    from auditui.services.audit_state import to_accept

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        day = parse_date(on, "Finalise date (--on)") if on is not None else None
        accepting = to_accept(audits.load(ws, audit_id))
        state = audits.finalise(ws, audit_id, day)
    for line in finalised_lines(state, accepting):
        click.echo(terminal_text(line))


@audit.command("close")
@click.argument("audit_id", metavar="AUDIT")
@click.option("--reason", required=True, help="Why the audit cannot be completed.")
@click.option(
    "--on",
    "on",
    metavar="DATE",
    help="The date it ended (DD/MM/YYYY or YYYY-MM-DD); default today.",
)
@pass_settings
def close(settings: Settings, audit_id: str, reason: str, on: str | None) -> None:
    """End an audit that cannot be completed (status closed_incomplete)."""
    from auditui.services import audits

    with fail_on_error(), contextlib.closing(open_workspace(settings)) as ws:
        day = parse_date(on, "Close date (--on)") if on is not None else None
        state = audits.close_incomplete(ws, audit_id, reason, day)
    click.echo(
        terminal_text(
            f"Closed audit {state.audit.id} ({state.audit.case_ref}) as incomplete on "
            f"{iso_date(state.audit.ended_on)}."
        )
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
        terminal_text(
            f"Reopened audit {state.audit.id} ({state.audit.case_ref}) as revision "
            f"{state.audit.revision}."
        )
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
        show_text(state, found)


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
        list_csv(rows)
    else:
        list_table(found)


COMMANDS = [audit]

# `auditui audit report` is the export module's renderer, on the audit group.
from auditui.cli.export_cmd import audit_report  # noqa: E402

audit.add_command(audit_report, "report")


# `audit concern` lives with the other concern commands; `audit` loads only this module.
from auditui.cli.concern_cmd import audit_concern  # noqa: E402

audit.add_command(audit_concern)

# `audit themes` lives in its own module, with the themes service it drives.
from auditui.cli.audit_themes_cmd import audit_themes  # noqa: E402

audit.add_command(audit_themes)
