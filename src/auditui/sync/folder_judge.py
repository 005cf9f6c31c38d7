"""Whether a folder hub file is believed: the one set of rules every reader applies.

A file is believed only when all of these hold, and otherwise refused with
the reason (reported, never read into a report, a board or a local store):

- it is a regular file under the size cap (``folder_files``);
- it is a record sealed with an Ed25519 signature that matches its content
  (``signing``), of the kind its folder holds, in the schema this code knows;
- its name says the audit (and revision) or action it holds;
- a graded result is a demo audit's exactly when the hub is a demo hub;
- a graded result is signed by the key that signed the audit's first
  revision (the reader binds an audit to that key the first time it sees it);
- an action change is signed by the audit's key, or, for a completion over
  the hub, by a key the QA lead's trust file allows for the audit's team;
- a completion's date is neither missing, nor before the action was agreed,
  nor in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import ValidationError

from auditui.sync.facts import (
    ActionRecord,
    canonical_stamp,
    completion_problem,
    latest_possible,
)
from auditui.sync.folder_files import Problem, read_json
from auditui.sync.result import ActionState, GradedResult
from auditui.sync.signing import short, unseal
from auditui.sync.trust import Trust


def open_result(
    path: Path, match: re.Match[str], demo_hub: bool
) -> tuple[GradedResult, str] | Problem:
    """(result, signer) of a result file, or why it is refused (before any binding check)."""
    data = read_json(path)
    if isinstance(data, Problem):
        return data
    opened = unseal(data, "graded-result")
    if isinstance(opened, str):
        return Problem(opened)
    record, signer = opened
    try:
        result = GradedResult.model_validate(record)
    except ValidationError as exc:
        return Problem(schema_problem(exc, "graded result"))
    if (result.audit_id, result.revision) != (match.group(1), int(match.group(2))):
        return Problem(
            f"holds audit {result.audit_id!r} revision {result.revision}, not the one its name says"
        )
    if result.demo and not demo_hub:
        return Problem("a demo audit's result: a real hub takes real audits only")
    if demo_hub and not result.demo:
        return Problem("a real audit's result: a demo hub takes demo audits only")
    return result, signer


def open_action(path: Path, match: re.Match[str]) -> tuple[ActionState, str] | Problem:
    """(action change, signer) of an action file, or why it is refused."""
    data = read_json(path)
    if isinstance(data, Problem):
        return data
    opened = unseal(data, "action-state")
    if isinstance(opened, str):
        return Problem(opened)
    record, signer = opened
    try:
        state = ActionState.model_validate(record)
    except ValidationError as exc:
        return Problem(schema_problem(exc, "action change"))
    if state.action_id != match.group(1):
        return Problem(f"holds action {state.action_id!r}, not the one its name says")
    return state, signer


def binding_problem(result: GradedResult, signer: str, bound: str | None) -> str | None:
    if bound is None or bound == signer:
        return None
    return (
        f"revision {result.revision} of audit {result.audit_id} is signed by key {short(signer)},"
        f" not by key {short(bound)} that signed the audit first"
    )


def action_problem(
    state: ActionState,
    signer: str,
    bound: str,
    team: str,
    trust: Trust,
    agreed_on: str | None,
    today: dt.date,
) -> str | None:
    """Why an action change for an audit the reader believes is refused, or None."""
    if signer != bound:
        if state.source == "owner":
            return (
                f"an owner's change signed by key {short(signer)}, "
                f"not by the audit's key {short(bound)}"
            )
        if not trust.allows(signer, team):
            why = f" ({trust.problem})" if trust.problem else ""
            return (
                f"a completion signed by key {short(signer)}, which the hub's trust file does "
                f"not allow to record completions for team {team!r}{why}"
            )
    return completion_problem(
        state.status,
        state.completed_on.isoformat() if state.completed_on else None,
        agreed_on,
        latest_possible(state.recorded_at, today),
    )


def schema_problem(exc: ValidationError, what: str) -> str:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = exc.error_count() - 1
    extra = f" (and {more} more)" if more else ""
    return f"not a {what} this auditui knows: {where}: {first['msg']}{extra}"


def record_of_state(state: ActionState) -> ActionRecord:
    return ActionRecord(
        action_id=state.action_id,
        audit_id=state.audit_id,
        source=state.source,
        recorded_at=canonical_stamp(state.recorded_at.isoformat()),
        status=state.status,
        completed_on=state.completed_on.isoformat() if state.completed_on else None,
        owner=state.owner,
        due=state.due.isoformat() if state.due else None,
        text=state.text,
        evidence=state.evidence,
        agreed_on=state.agreed_on.isoformat() if state.agreed_on else None,
    )
