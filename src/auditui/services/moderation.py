"""Moderation: pick a month's ended audits, give each to a moderator, re-audit blind, agree.

The audits are the month's ended ones in the local store and in the
configured hub, folder or PostgreSQL (a QA lead's machine does not hold the
auditors' audits; those drawn from the hub get their case details from the
original auditor's machine on its next sync). A moderation allocation is never given to the audit's own auditor (the
sampler refuses, in one sentence, when the moderators named leave no one
else). ``start_moderation`` starts the blind re-audit on the same tool and
version with the case details copied and kind ``moderation``; what the
original auditor answered and graded is only given out by
``services.moderation_review`` once the re-audit has ended.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditui.domain import moderation_draw
from auditui.domain.plan_items import ENDED_AUDIT_STATUSES, same_name
from auditui.domain.plurals import counted
from auditui.domain.records import checked_name
from auditui.domain.sampling import unique_names
from auditui.errors import AuditUIError, NotFoundError, ProgrammeError, StateError
from auditui.services.programme import known_auditor, parse_month
from auditui.services.workspace import Workspace
from auditui.store import moderation as rows

MODERATION_STATUSES = ("allocated", "started", "ended", "agreed")
MAX_MIN_PER_AUDITOR = 1_000
SEED_LIMIT = 100


@dataclass(frozen=True)
class Allocation:
    """One audit picked for moderation, as ``moderation show`` lists it."""

    id: str
    month: str
    audit_id: str
    auditor: str
    team: str
    tool: str
    tool_version: int
    moderator: str
    status: str
    moderation_audit_id: str | None
    agreed_grade: str | None = None
    seed: str = ""
    case_ref: str = ""
    """Empty for an audit of a practitioner's own file, and while the case details of an
    audit drawn from the hub are still to come."""
    practitioner: str = ""
    """Empty only while the case details are still to come (every audit names one)."""

    @property
    def details_here(self) -> bool:
        return bool(self.practitioner)

    @classmethod
    def from_row(cls, row: Any) -> Allocation:
        return cls(
            id=row["id"],
            month=row["month"],
            audit_id=row["audit_id"],
            auditor=row["auditor"],
            team=row["team"],
            tool=row["tool_id"],
            tool_version=row["tool_version"],
            moderator=row["moderator"],
            status=allocation_status(row["moderation_status"], row["agreed_grade"]),
            moderation_audit_id=row["moderation_audit_id"],
            agreed_grade=row["agreed_grade"],
            seed=row["seed"],
            case_ref=row["case_ref"],
            practitioner=row["practitioner"],
        )

    def as_json(self) -> dict[str, Any]:
        """The object of ``moderation show --format json`` (spec/cli.md), keys in its order."""
        return {
            "id": self.id,
            "audit_id": self.audit_id,
            "auditor": self.auditor,
            "moderator": self.moderator,
            "status": self.status,
            "moderation_audit_id": self.moderation_audit_id,
        }


def allocation_status(moderation_status: str | None, agreed_grade: str | None) -> str:
    if agreed_grade is not None:
        return "agreed"
    if moderation_status in ENDED_AUDIT_STATUSES:
        return "ended"
    return "started" if moderation_status is not None else "allocated"


def sample(
    ws: Workspace,
    month: str,
    percent: float,
    min_per_auditor: int = 0,
    moderators: Sequence[str] = (),
    seed: str | None = None,
) -> list[Allocation]:
    """Pick ``percent`` of ``month``'s ended audits (at least ``min_per_auditor`` of each
    auditor's) and give each to a moderator other than its auditor; one transaction."""
    the_month = parse_month(month)
    if not 0 < percent <= 100:
        raise ProgrammeError(f"--percent: {percent:g} is not a percentage above 0, up to 100.")
    if not 0 <= min_per_auditor <= MAX_MIN_PER_AUDITOR:
        raise ProgrammeError(f"--min-per-auditor: give a number from 0 to {MAX_MIN_PER_AUDITOR:,}.")
    names = unique_names([known_auditor(ws, _moderator_name(m), "--moderator") for m in moderators])
    seed = _seed(seed)
    first, after = the_month.first_day.isoformat(), the_month.shift(1).first_day.isoformat()
    from_hub = _hub_audits(ws, first, after)
    now = ws.now()
    # Read, draw and write in one write transaction: two samples made at once never
    # pick the same audit twice.
    with ws.store.transaction() as conn:
        taken = rows.allocated_audit_ids(conn)
        ended = _merged(rows.ended_audits(conn, first, after), from_hub, conn)
        audits = {r["id"]: r for r in ended if r["id"] not in taken}
        if not audits:
            raise ProgrammeError(
                f"No audit that ended in {the_month} is left to moderate "
                "(none ended, or all are already picked)."
            )
        auditors = {audit_id: r["auditor"] for audit_id, r in audits.items()}
        # With no moderator named, the month's auditors moderate each other.
        moderators = names or sorted({r["auditor"] for r in ended})
        picked = moderation_draw.draw(auditors, percent, min_per_auditor, seed, str(the_month))
        given = moderation_draw.allocate(picked, auditors, moderators, seed)
        _refuse_own(given, auditors, moderators, named=bool(names))
        new = [_row(audits[a], str(the_month), given[a], seed, ws.user, now) for a in picked]
        rows.insert(conn, new)
    ids = {row["id"] for row in new}
    return [a for a in show(ws) if a.id in ids]


def _hub_audits(ws: Workspace, first: str, after: str) -> list[Any]:
    """The month's ended audits in the configured hub (folder or PostgreSQL); none with no
    hub configured."""
    target = ws.config.sync.target
    if not target:
        return []
    from auditui.sync.hub import is_postgres

    if is_postgres(target):
        from auditui.sync.postgres import PostgresHub

        pg = PostgresHub.connect(target)
        try:
            with pg._errors("read what the hub holds"):  # noqa: SLF001
                return _pg_ended(pg, first, after)
        finally:
            pg.close()
    from auditui.services.sync import open_folder_hub
    from auditui.sync.programme_hub_audits import hub_ended_audits

    hub = open_folder_hub(ws, target)
    try:
        return hub_ended_audits(hub, first, after, ws.today())
    finally:
        hub.close()


def _pg_ended(pg: Any, first: str, after: str) -> list[Any]:
    """The PostgreSQL hub's ended audits, for the QA lead's login; none for another login
    (only the lead's allocations travel, so theirs are drawn from this machine's audits)."""
    from auditui.sync.programme_pg_details import hub_ended_audits

    def exists(name: str) -> bool:
        found = pg.conn.execute("SELECT to_regproc(%s) IS NOT NULL", (name,)).fetchone()
        return bool(found and found[0])

    if not exists("auditui.am_lead"):
        return []  # a hub made before the programme: nothing travels through it
    lead = pg.conn.execute("SELECT auditui.am_lead()").fetchone()
    if not (lead and lead[0]):
        return []
    if not exists("auditui.ended_for_moderation"):
        raise ProgrammeError(
            f"The hub {pg.display} cannot list its ended audits yet; run auditui hub init on it "
            "(as its owner) to upgrade it. Nothing was picked."
        )
    return hub_ended_audits(pg.conn, first, after)


def _merged(local: Sequence[Any], hub: Sequence[Any], conn: Any) -> list[Any]:
    """This machine's ended audits (with their case details) and the hub's others; one of
    the hub's that this machine holds after all (a demo hub's demo audits, which the local
    list leaves out) takes its case details from here, as no other machine will send them."""
    listed = {row["id"] for row in local}
    others = [row for row in hub if row["id"] not in listed]
    held = rows.held_cases(conn, (row["id"] for row in others))
    for row in others:
        case = held.get(row["id"])
        if case is not None:
            row.update({k: case[k] for k in rows.CASE_COLUMNS})
    return [*local, *others]


def _refuse_own(
    given: dict[str, str | None],
    auditors: dict[str, str],
    moderators: Sequence[str],
    named: bool,
) -> None:
    for audit_id, moderator in given.items():
        if moderator is None:
            who = auditors[audit_id]
            only = (
                f"{who} is the only moderator named"
                if named
                else f"{who} is the month's only auditor"
            )
            raise ProgrammeError(
                f"Audit {audit_id[:8]} by {who} cannot be moderated: an audit is never given "
                f"to its own auditor and {only}; name another with --moderator."
            )


def _row(
    audit: Any, month: str, moderator: str | None, seed: str, by: str, now: str
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "month": month,
        "audit_id": audit["id"],
        "auditor": audit["auditor"],
        "team": audit["team"],
        "tool_id": audit["tool_id"],
        "tool_version": audit["tool_version"],
        "case_ref": audit["case_ref"],
        "case_type": audit["case_type"],
        "practitioner": audit["practitioner"],
        "practitioner_present": audit["practitioner_present"],
        "moderator": moderator,
        "original_grades": None,
        "seed": seed,
        "allocated_by": by,
        "created_at": now,
        "updated_at": now,
    }


def _moderator_name(text: str) -> str:
    name = checked_name(text, "Moderator")
    if not name:
        raise ProgrammeError("--moderator: give the name of who will moderate.")
    return name


def _seed(seed: str | None) -> str:
    if seed is None:
        return str(secrets.randbelow(10**9))
    seed = checked_name(seed, "Seed")
    if not seed or len(seed) > SEED_LIMIT:
        raise ProgrammeError(f"--seed: give a number or word of 1 to {SEED_LIMIT} characters.")
    return seed


def waiting_words(allocations: Sequence[Allocation]) -> str:
    """A sentence on the allocations whose case details are still to come; "" if none."""
    waiting = [a for a in allocations if not a.details_here]
    if not waiting:
        return ""
    return (
        f"{counted(len(waiting), 'audit')} drawn from the hub "
        f"{'waits' if len(waiting) == 1 else 'wait'} for {'its' if len(waiting) == 1 else 'their'}"
        " case details: the original auditor's machine sends them on its next sync, then a "
        "sync here brings them."
    )


def show(ws: Workspace, mine: bool = False) -> list[Allocation]:
    """Moderation allocations, optionally only those given to the configured user."""
    found = rows.allocations(ws.store, moderator=ws.user if mine else None)
    return [Allocation.from_row(r) for r in found]


def find(ws: Workspace, ref: str) -> Any:
    """The allocation row whose id, original audit's id or re-audit's id starts with ``ref``."""
    ref = ref.strip()
    if len(ref) < 4 or len(ref) > 36:
        raise NotFoundError(
            f"Moderation '{ref[:40]}': give its id or its audit's, or 4 or more of their first "
            "characters."
        )
    found = rows.by_reference(ws.store, ref)
    if not found:
        raise NotFoundError(f"No audit picked for moderation matches {ref}; see `moderation show`.")
    if len(found) > 1:
        raise NotFoundError(f"Moderation {ref} is ambiguous; give more of its id.")
    return found[0]


def _require_tool(ws: Workspace, row: Any) -> None:
    """Refuse, saying what to install, when this machine lacks the original's tool version."""
    try:
        ws.library.get(row["tool_id"], row["tool_version"])
    except AuditUIError:
        raise StateError(
            f"Audit {row['audit_id'][:8]} was made with audit tool '{row['tool_id']}' version "
            f"{row['tool_version']}, which this machine does not have; a re-audit uses the same "
            "tool version, so put that version's tool file in your tools directory (tools/ in "
            "the auditui config folder, or --tools-dir). Nothing was started."
        ) from None


def start_moderation(ws: Workspace, allocation_or_audit: str) -> str:
    """Start the blind re-audit an allocation asks for and link the two; the audit's id.

    Same tool and version, the case details copied, kind ``moderation``, by
    the allocation's moderator. As with a planned audit, an interrupted start
    is finished by the next call rather than started twice.
    """
    from auditui.services.audit_lifecycle import start_audit

    row = find(ws, allocation_or_audit)
    short = row["audit_id"][:8]
    if row["moderation_audit_id"] is not None:
        raise StateError(
            f"Audit {short} is already being moderated in audit {row['moderation_audit_id']}; "
            "open that one."
        )
    if same_name(ws.user, row["auditor"]):
        raise StateError(
            f"Audit {short} is {row['auditor']}'s own audit; an audit is never moderated by "
            "its own auditor."
        )
    if not row["practitioner"] or not row["tool_version"]:
        raise StateError(
            f"Audit {short} was picked from the hub and its case details are not on this "
            f"machine yet: {row['auditor']}'s machine sends them, sealed, on its next sync, "
            "then your next sync brings them here. Nothing was started."
        )
    _require_tool(ws, row)
    with ws.store.transaction() as conn:
        left = rows.unlinked_draft(
            conn, row["case_ref"], row["tool_id"], row["moderator"], row["created_at"]
        )
        if left is not None and rows.link_audit(conn, row["id"], left, ws.now()):
            return left
    audit_id = start_audit(
        ws,
        row["tool_id"],
        row["case_ref"],
        row["case_type"],
        row["team"],
        row["practitioner"],
        bool(row["practitioner_present"]),
        kind="moderation",
        auditor=row["moderator"],
        tool_version=row["tool_version"],
    )
    with ws.store.transaction() as conn:
        if not rows.link_audit(conn, row["id"], audit_id, ws.now()):
            raise StateError(
                f"Audit {short} was taken for moderation elsewhere at the same moment; audit "
                f"{audit_id} was started but is not linked to it."
            )
    return audit_id
