"""The QA lead's month: draw a plan from the case list, allocate it, re-allocate, start it.

``plan`` is reproducible: the same case list, earlier plans, audits and seed
give the same items (``domain.sampling`` says how). Every refusal is one
sentence raised before anything is written; the plan and its items are
written in one transaction. Progress lives in ``programme_progress``.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditui.domain import sampling
from auditui.domain.plan_items import PlanItem
from auditui.domain.plurals import counted
from auditui.domain.records import AUDIT_KINDS, CASE_TYPE_LABELS, checked_name
from auditui.domain.sampling import Month
from auditui.errors import AuditUIError, NotFoundError, ProgrammeError, StateError
from auditui.services.programme_hub_cases import HubAudited, hub_audited
from auditui.services.workspace import Workspace
from auditui.store import cases as case_rows
from auditui.store import programme as plan_rows

PLAN_KINDS = tuple(k for k in AUDIT_KINDS if k != "moderation")
"""Moderation is allocated from ended audits (``moderation sample``), never planned."""
MAX_PER_TEAM = 10_000
MAX_WINDOW_MONTHS = 120
SEED_LIMIT = 100


@dataclass(frozen=True)
class Plan:
    """What ``programme plan`` made, for the lines a face prints."""

    id: str
    month: str
    seed: str
    items: list[PlanItem]
    left_out_by_hub: int = 0
    """Listed cases left out because the hub holds an audit of them in the window."""
    hub: str = ""

    def summary(self) -> str:
        teams = len({i.team for i in self.items})
        text = (
            f"Planned {counted(len(self.items), 'audit')} for {self.month} in "
            f"{counted(teams, 'team')} "
            f"(seed {self.seed}; the same case list and seed give the same plan)."
        )
        if self.hub and self.left_out_by_hub:
            text += (
                f" {counted(self.left_out_by_hub, 'listed case')} left out: audited at another "
                f"machine within the window, as the hub {self.hub} holds."
            )
        elif self.hub:
            text += f" The hub {self.hub} holds no audit of a listed case within the window."
        return text


def parse_month(text: str, option: str = "--month") -> Month:
    month = Month.parse(text)
    if month is None:
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise ProgrammeError(
            f"{option}: '{shown}' is not a month; write it as YYYY-MM, e.g. 2026-12."
        )
    return month


def known_auditor(ws: Workspace, name: str, option: str = "--auditor") -> str:
    """``name`` as the organisation's list of auditors spells it, or a refusal naming
    ``option`` and the list; any name passes when the list is empty (``[organisation]
    auditors``), so a mistyped name never becomes an auditor of its own in the reports."""
    organisation = ws.config.organisation
    try:
        organisation.check_auditor(name)
    except AuditUIError as exc:
        raise ProgrammeError(f"{option}: {exc}") from None
    wanted = name.strip().casefold()
    return next((known for known in organisation.auditors if known.casefold() == wanted), name)


def plan(
    ws: Workspace,
    month_text: str,
    tool_id: str,
    per_team: int,
    auditors: Sequence[str],
    case_types: Sequence[str] = (),
    kind: str = "case_file",
    seed: str | None = None,
    not_within_months: int = 12,
) -> Plan:
    """Draw ``per_team`` cases per team for the month and deal them to ``auditors``."""
    month = parse_month(month_text)
    tool = ws.library.get(tool_id)
    if tool.is_worker_audit:
        raise ProgrammeError(
            f"--tool: {tool.title} audits a practitioner's own file, not a case; a plan draws "
            "cases from the case list."
        )
    names = sampling.unique_names([checked_name(a, "Auditor") for a in auditors])
    if not [n for n in names if n]:
        raise ProgrammeError("Name at least one auditor with --auditor; nobody was given the plan.")
    if "" in names:
        raise ProgrammeError("--auditor: an auditor's name is empty.")
    names = sampling.unique_names([known_auditor(ws, n) for n in names])
    if not 1 <= per_team <= MAX_PER_TEAM:
        raise ProgrammeError(
            f"--per-team: give a number from 1 to {MAX_PER_TEAM:,}, not {per_team}."
        )
    if not 0 <= not_within_months <= MAX_WINDOW_MONTHS:
        raise ProgrammeError(
            f"--not-within-months: give a number from 0 to {MAX_WINDOW_MONTHS}, not {not_within_months}."
        )
    if kind not in PLAN_KINDS:
        raise ProgrammeError(f"--kind: '{kind}' is not one of {', '.join(PLAN_KINDS)}.")
    types = _case_types(case_types, tool.applies_to or [], tool.title)
    seed = _seed(seed)
    elsewhere = hub_audited(ws, month.shift(-not_within_months).first_day)
    plan_id, now = str(uuid.uuid4()), ws.now()
    # Read, draw and write under one write lock, so two plans made at once (two
    # windows, two scripts) can never both take the same case.
    with ws.store.transaction() as conn:
        drawn, allocated, by_ref, left_out = _draw(
            ws, month, types, per_team, names, seed, not_within_months, elsewhere
        )
        plan_rows.insert_plan(
            conn,
            {
                "id": plan_id,
                "month": str(month),
                "tool_id": tool.id,
                "kind": kind,
                "per_team": per_team,
                "case_types": json.dumps(list(types)),
                "auditors": json.dumps(names),
                "seed": seed,
                "not_within_months": not_within_months,
                "planned_by": ws.user,
                "created_at": now,
            },
        )
        plan_rows.insert_items(
            conn,
            (
                {
                    "id": str(uuid.uuid4()),
                    "plan_id": plan_id,
                    "position": position,
                    "month": str(month),
                    "case_ref": ref,
                    "case_type": by_ref[ref]["case_type"],
                    "team": team,
                    "practitioner": by_ref[ref]["practitioner"],
                    "tool_id": tool.id,
                    "kind": kind,
                    "auditor": auditor,
                    "created_at": now,
                    "updated_at": now,
                }
                for team in sorted(drawn)
                for position, (ref, auditor) in enumerate(
                    zip(drawn[team], allocated[team], strict=True)
                )
            ),
        )
    shown = [i for i in show(ws, str(month)) if i.plan_id == plan_id]
    return Plan(plan_id, str(month), seed, shown, left_out, elsewhere.hub)


def _draw(
    ws: Workspace,
    month: Month,
    types: Sequence[str],
    per_team: int,
    auditors: Sequence[str],
    seed: str,
    not_within_months: int,
    elsewhere: HubAudited,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, Any], int]:
    """The drawn case references and their auditors per team, each drawn case's row, and
    how many cases the hub's audits left out; or the refusal that says why the month
    cannot be planned."""
    since = month.shift(-not_within_months)
    rows = case_rows.eligible_cases(
        ws.store,
        types,
        since.first_day.isoformat(),
        str(since),
        str(month.shift(not_within_months)),
    )
    if not case_rows.count_cases(ws.store):
        raise ProgrammeError("There is no case list to plan from; import one with `cases import`.")
    # Every team with a case of these types, so a team whose cases were all audited
    # lately is named in the refusal (with 0), not silently left out of the month.
    eligible: dict[str, list[str]] = {team: [] for team in case_rows.teams(ws.store, types)}
    by_ref = {}
    left_out = 0
    for row in rows:
        if elsewhere.audited(row["case_ref"]):
            left_out += 1
            continue
        eligible[row["team"]].append(row["case_ref"])
        by_ref[row["case_ref"]] = row
    _refuse_shortfall(eligible, per_team, since, types)
    drawn = sampling.draw(eligible, per_team, seed)
    return drawn, sampling.allocate(drawn, auditors), by_ref, left_out


def _case_types(given: Sequence[str], applies_to: Sequence[str], title: str) -> list[str]:
    """The case types to draw from: those given (each checked), else those the tool applies to."""
    types = list(dict.fromkeys(t.strip() for t in given))
    for case_type in types:
        if case_type not in CASE_TYPE_LABELS:
            raise ProgrammeError(
                f"--case-type: '{case_type}' is not one of {', '.join(CASE_TYPE_LABELS)}."
            )
        if applies_to and case_type not in applies_to:
            raise ProgrammeError(
                f"--case-type: {title} applies to {', '.join(applies_to)}, not {case_type}."
            )
    return types or list(applies_to)


def _seed(seed: str | None) -> str:
    if seed is None:
        return str(secrets.randbelow(10**9))
    seed = checked_name(seed, "Seed")
    if not seed or len(seed) > SEED_LIMIT:
        raise ProgrammeError(f"--seed: give a number or word of 1 to {SEED_LIMIT} characters.")
    return seed


def _refuse_shortfall(
    eligible: dict[str, list[str]], per_team: int, since: Month, types: Sequence[str]
) -> None:
    if not eligible:
        which = f" of type {', '.join(types)}" if types else ""
        raise ProgrammeError(f"The case list has no case{which} with a team to plan from.")
    short = sampling.shortfalls(eligible, per_team)
    if short:
        available = ", ".join(f"{s.team} {s.available}" for s in short)
        raise ProgrammeError(
            f"A plan of {per_team} per team is larger than the case list allows; available "
            f"(not audited or planned since {since}): {available}."
        )


def show(ws: Workspace, month: str | None = None, mine: bool = False) -> list[PlanItem]:
    """Plan items, optionally one month's or only the configured user's."""
    if month is not None:
        month = str(parse_month(month))
    rows = plan_rows.items(ws.store, month=month, auditor=ws.user if mine else None)
    today = ws.today()
    return [PlanItem.from_row(row, today) for row in rows]


def find_item(ws: Workspace, item_ref: str) -> PlanItem:
    """The item whose id is ``item_ref`` or starts with it (at least 4 characters)."""
    ref = item_ref.strip()
    if len(ref) < 4 or len(ref) > 36:
        raise NotFoundError(
            f"Plan item '{ref[:40]}': give its id or the first 4 or more characters."
        )
    found = plan_rows.items_by_prefix(ws.store, ref)
    if not found:
        raise NotFoundError(f"There is no plan item {ref}; see `programme show`.")
    if len(found) > 1:
        raise NotFoundError(f"Plan item {ref} is ambiguous; give more of its id.")
    return PlanItem.from_row(found[0], ws.today())


def assign(ws: Workspace, item_ref: str, auditor: str) -> PlanItem:
    """Give a plan item to another auditor (not once it has ended)."""
    who = checked_name(auditor, "Auditor")
    if not who:
        raise ProgrammeError("--auditor: give the name of who will audit the case.")
    who = known_auditor(ws, who)
    item = find_item(ws, item_ref)
    if item.status == "ended":
        raise StateError(
            f"Plan item {item.id[:8]} has ended; it cannot be given to another auditor."
        )
    with ws.store.transaction() as conn:
        plan_rows.assign(conn, item.id, who, ws.now())
    return find_item(ws, item.id)


def start_planned_audit(
    ws: Workspace,
    item_ref: str,
    practitioner: str | None = None,
    auditor: str | None = None,
    practitioner_present: bool = True,
    tool_version: int | None = None,
    case_type: str | None = None,
) -> str:
    """Start the audit a plan item asks for, with its case details, and link the two;
    returns the audit's id. The item then shows as started, and as ended when the
    audit ends.

    Starting the audit and linking it are two transactions (``start_audit`` is
    one of its own): if the second never happens (a crash, a kill), the next call
    finds the draft the first left and links that, rather than start another.
    """
    from auditui.services.audit_lifecycle import start_audit

    item = find_item(ws, item_ref)
    if item.audit_id is not None:
        if not plan_rows.holds_audit(ws.store, item.audit_id):
            raise StateError(
                f"Plan item {item.id[:8]} was started as audit {item.audit_id[:8]} on "
                f"{item.auditor}'s machine (as the hub reported); that audit is not on this "
                "machine, so nothing was started here."
            )
        raise StateError(
            f"Plan item {item.id[:8]} already has audit {item.audit_id}; open that one."
        )
    who = known_auditor(ws, auditor) if auditor else item.auditor
    practitioner = practitioner or item.practitioner
    if not practitioner:
        raise ProgrammeError(
            f"Plan item {item.id[:8]}: the case list gave no practitioner; give --practitioner."
        )
    case_type = case_type or item.case_type
    if not case_type:
        raise ProgrammeError(
            f"Plan item {item.id[:8]}: the case list gave no case type; give --case-type."
        )
    since = Month.parse(item.month)
    assert since is not None  # written by plan() in this form
    with ws.store.transaction() as conn:
        left = plan_rows.unlinked_draft(
            conn, item.case_ref, item.tool, who, since.shift(-1).first_day.isoformat()
        )
        if left is not None and plan_rows.link_audit(conn, item.id, left, ws.now()):
            return left
    audit_id = start_audit(
        ws,
        item.tool,
        item.case_ref,
        case_type,
        item.team,
        practitioner,
        practitioner_present,
        kind=item.kind,
        auditor=who,
        tool_version=tool_version,
    )
    with ws.store.transaction() as conn:
        if not plan_rows.link_audit(conn, item.id, audit_id, ws.now()):
            raise StateError(
                f"Plan item {item.id[:8]} was started elsewhere at the same moment; audit "
                f"{audit_id} was started but is not linked to it."
            )
    return audit_id
