"""Follow-up actions: agreed in the audit, due within 20 working days of its end.

A team manager reviews and completes them; "actions on time" (target 75%) is
computed from the due dates these functions set.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from auditui.domain.records import (
    ACTION_STATUSES,
    DUE_WITHIN_LIMIT,
    Action,
    Audit,
    checked_action_text,
    checked_name,
    checked_note,
    parse_date,
)
from auditui.domain.uk_dates import format_day
from auditui.errors import InvalidAnswerError, StateError
from auditui.services.workspace import Workspace, rows_read
from auditui.store import actions as rows
from auditui.store import audits as audit_rows


@dataclass(frozen=True)
class ActionView:
    action: Action
    working_days_left: int | None
    """Working days from today to the due date; negative when overdue; None once ended."""

    def to_json(self) -> dict[str, object]:
        a = self.action
        return {
            "id": a.id,
            "audit_id": a.audit_id,
            "team": a.team,
            "owner": a.owner,
            "text": a.text,
            "due": a.due.isoformat(),
            "status": a.status,
            "completed_on": a.completed_on.isoformat() if a.completed_on else None,
            "working_days_left": self.working_days_left,
        }


def default_due(ws: Workspace, audit_id: str) -> dt.date:
    """The audit's completion date (or today, while a draft) plus the tool's working days."""
    with rows_read(ws):
        audit = audit_rows.get_audit(ws.store.conn, audit_id)
    tool = ws.library.get(audit.tool_id, audit.tool_version)
    return ws.calendar.add_working_days(audit.ended_on or ws.today(), tool.due_working_days)


def add_action(
    ws: Workspace, audit_id: str, owner: str, text: str, due: dt.date | str | None = None
) -> str:
    owner, text = checked_name(owner, "Owner"), checked_action_text(text)
    if not owner:
        raise InvalidAnswerError("Owner: say who will do this action.")
    due_date = parse_date(due, "Due date") if due is not None else default_due(ws, audit_id)
    action_id = str(uuid.uuid4())
    with ws.store.transaction() as conn:
        audit = audit_rows.get_audit(conn, audit_id)
        if audit.status == "closed_incomplete":
            raise StateError(
                f"Audit {audit.case_ref} was closed as incomplete; reopen it to add actions."
            )
        if due is not None:
            _check_due(ws, due_date, audit)
        rows.insert_action(
            conn,
            {
                "id": action_id,
                "audit_id": audit.id,
                "owner": owner,
                "text": text,
                "due": due_date.isoformat(),
                "due_is_default": int(due is None),
                "created_on": ws.today().isoformat(),
                "updated_at": ws.now(),
            },
        )
    return action_id


DUE_YEARS_AHEAD = 10
"""A due date further ahead than this is a typing slip, not a plan."""


def _check_due(ws: Workspace, day: dt.date, audit: Audit) -> None:
    """A due date a person chose: a working day, not before the audit ended (or today, for a
    draft), and not years away."""
    earliest = audit.ended_on if audit.ended_on is not None else ws.today()
    if day < earliest:
        since = f"the audit ended ({format_day(earliest)})" if audit.ended_on else "today"
        raise InvalidAnswerError(
            f"Due date: {format_day(day)} is before {since}; an action cannot be due "
            "before it is agreed."
        )
    if day.year > earliest.year + DUE_YEARS_AHEAD:
        raise InvalidAnswerError(
            f"Due date: {format_day(day)} is more than {DUE_YEARS_AHEAD} years away; check the year."
        )
    if not ws.calendar.is_working_day(day):
        after = ws.calendar.add_working_days(day, 0)
        raise InvalidAnswerError(
            f"Due date: {format_day(day)} is not a working day; the next one is {format_day(after)}."
        )


def edit_action(
    ws: Workspace,
    action_id: str,
    owner: str | None = None,
    text: str | None = None,
    due: dt.date | str | None = None,
) -> Action:
    changes: dict[str, object] = {}
    if owner is not None:
        owner = checked_name(owner, "Owner")
        if not owner:
            raise InvalidAnswerError("Owner: say who will do this action.")
        changes["owner"] = owner
    if text is not None:
        changes["text"] = checked_action_text(text)
    due_date = parse_date(due, "Due date") if due is not None else None
    with ws.store.transaction() as conn:
        action = rows.get_action(conn, action_id)
        if action.status != "open":
            raise StateError(
                f"Action {action.id[:8]} is {action.status}; only open actions can be edited."
            )
        if due_date is not None:
            _check_due(ws, due_date, audit_rows.get_audit(conn, action.audit_id))
            changes["due"] = due_date.isoformat()
            changes["due_is_default"] = 0
        if changes:
            rows.update_action(conn, action.id, {**changes, "updated_at": ws.now()})
        return rows.get_action(conn, action.id)


def complete_action(
    ws: Workspace, action_id: str, on: dt.date | str | None = None, evidence: str | None = None
) -> Action:
    done_on = parse_date(on, "Completed on") if on is not None else ws.today()
    evidence = checked_note(evidence or "", "Evidence") or None
    with ws.store.transaction() as conn:
        action = rows.get_action(conn, action_id)
        if action.status != "open":
            raise StateError(f"Action {action.id[:8]} is already {action.status}.")
        if done_on < action.created_on:
            raise InvalidAnswerError(
                f"Completed on: {done_on} is before the action was agreed ({action.created_on})."
            )
        if done_on > ws.today():
            raise InvalidAnswerError(
                f"Completed on: {done_on} is in the future; record an action done once it is done."
            )
        rows.update_action(
            conn,
            action.id,
            {
                "status": "done",
                "completed_on": done_on.isoformat(),
                "evidence": evidence,
                "updated_at": ws.now(),
            },
        )
        return rows.get_action(conn, action.id)


def cancel_action(ws: Workspace, action_id: str, reason: str) -> Action:
    reason = checked_note(reason or "", "Reason")
    if not reason:
        raise InvalidAnswerError("Reason: say why the action is cancelled.")
    with ws.store.transaction() as conn:
        action = rows.get_action(conn, action_id)
        if action.status != "open":
            raise StateError(f"Action {action.id[:8]} is already {action.status}.")
        rows.update_action(
            conn,
            action.id,
            {"status": "cancelled", "cancel_reason": reason, "updated_at": ws.now()},
        )
        return rows.get_action(conn, action.id)


def resolve_filter(
    ws: Workspace, status: str | None, due_within: int | None, overdue: bool
) -> tuple[str | None, dt.date | None]:
    """(status, latest due date) for the filters; ``due_within``/``overdue`` imply open actions.

    Shared by the local list and the hub's board so both mean the same thing.
    """
    if status is not None and status not in ACTION_STATUSES:
        raise InvalidAnswerError(f"Status: '{status}' is not one of {', '.join(ACTION_STATUSES)}.")
    if due_within is not None and not 0 <= due_within <= DUE_WITHIN_LIMIT:
        raise InvalidAnswerError(
            f"Due within: {due_within} is not a number of working days from 0 to {DUE_WITHIN_LIMIT:,}."
        )
    today = ws.today()
    due_before = None
    if due_within is not None or overdue:
        status = "open"
        if due_within is not None:
            due_before = ws.calendar.add_working_days(today, due_within)
        if overdue:
            due_before = today - dt.timedelta(days=1)
    return status, due_before


def list_actions(
    ws: Workspace,
    status: str | None = None,
    due_within: int | None = None,
    overdue: bool = False,
    team: str | None = None,
    owner: str | None = None,
    audit_id: str | None = None,
    limit: int | None = None,
) -> list[ActionView]:
    """Actions by due date; ``due_within``/``overdue`` imply open actions."""
    status, due_before = resolve_filter(ws, status, due_within, overdue)
    due_text = due_before.isoformat() if due_before is not None else None
    today = ws.today()
    cal = ws.calendar
    with rows_read(ws):
        if audit_id is not None:
            found = rows.actions_of(ws.store.conn, audit_row_id(ws, audit_id))
        else:
            found = rows.list_actions(ws.store.conn, status, team, owner, due_text, limit)
    return [
        ActionView(a, cal.working_days_between(today, a.due) if a.status == "open" else None)
        for a in found
    ]


def audit_row_id(ws: Workspace, audit_id: str) -> str:
    return audit_rows.get_audit(ws.store.conn, audit_id).id
