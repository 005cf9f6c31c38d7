"""Safeguarding concerns: recorded at once, answered by the team manager, counted in reports.

An auditor who finds that a child may be unsafe acts now: ``raise_concern``
records the concern the moment it is typed (a draft audit too), with who it
was raised with, and the next sync takes it to the hub. The team manager
acknowledges it (the same working day) and responds with an outcome, over
the hub or, where the manager works at the auditor's machine, locally; the
auditor's next sync brings a hub response home.

Text travels because the team manager must act on it, but it is never
counted: ``concern_counts`` turns a list of concerns into numbers and
response times only, and that is all a report or the board's pack shows.
"""

from __future__ import annotations

import datetime as dt
import getpass
import statistics
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from auditui.domain.records import checked_name, checked_note
from auditui.domain.working_days import working_calendar
from auditui.errors import HubError, InvalidAnswerError, NotFoundError, StateError
from auditui.store import audits as audit_rows
from auditui.store import concerns as rows
from auditui.sync.hub import is_postgres

if TYPE_CHECKING:
    import sqlite3

    from auditui.services.workspace import Workspace
    from auditui.sync.concern_records import HubConcern
    from auditui.sync.folder import FolderHub

T = TypeVar("T")
LOCAL_TIME = ZoneInfo("Europe/London")
"""Which day a moment falls on, for 'the same working day' (UK councils)."""


@dataclass(frozen=True)
class ConcernView:
    id: str
    audit_id: str
    team: str
    text: str
    raised_with: str
    raised_by: str
    raised_at: str
    acknowledged_at: str | None
    outcome: str | None
    responded_by: str | None
    responded_at: str | None

    @property
    def status(self) -> str:
        if self.responded_at is not None:
            return "closed"
        return "acknowledged" if self.acknowledged_at is not None else "open"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


def raise_concern(ws: Workspace, audit_ref: str, text: str, raised_with: str = "") -> ConcernView:
    """Record a concern against an audit now, whatever the audit's state."""
    note = checked_note(text, "--text")
    if not note:
        raise InvalidAnswerError("--text: say what the concern is; nothing was recorded.")
    with_whom = checked_name(raised_with or "", "--raised-with")
    by = _who(ws)
    with ws.store.transaction() as conn:
        audit = audit_rows.get_audit(conn, audit_ref)
        concern_id = str(uuid.uuid4())
        rows.insert_concern(
            conn,
            {
                "id": concern_id,
                "audit_id": audit.id,
                "team": audit.team,
                "text": note,
                "raised_with": with_whom,
                "raised_by": by,
                "raised_at": _stamp(ws.now()),
            },
        )
        return _view(rows.get_concern(conn, concern_id))


def list_concerns(
    ws: Workspace, open_only: bool = False, hub: str | None = None
) -> list[ConcernView]:
    """This machine's concerns, or (``hub``) every concern the hub holds and this reader
    believes. ``open_only``: those without a response yet."""
    if hub is None:
        with ws.store.transaction() as conn:
            return [_view(r) for r in rows.list_concerns(conn, open_only)]
    from auditui.sync.concern_records import read_concerns

    if is_postgres(hub):
        from auditui.sync.pg_concern_client import board

        return [ConcernView(**row) for row in _pg(ws, hub, lambda c: board(c, open_only))]
    folder = _open_folder(ws, hub)
    seen = read_concerns(folder, dt.datetime.fromisoformat(ws.now()))
    views = sorted((_hub_view(c) for c in seen.concerns.values()), key=lambda v: v.raised_at)
    return [v for v in views if not (open_only and v.status == "closed")]


def respond(ws: Workspace, concern_id: str, outcome: str, hub: str | None = None) -> ConcernView:
    """The team manager's response, closing the concern (the first response stands)."""
    text = checked_note(outcome, "--outcome")
    if not text:
        raise InvalidAnswerError("--outcome: say what was done; nothing was recorded.")
    return _reply(ws, concern_id, "response", text, hub)


def acknowledge(ws: Workspace, concern_id: str, hub: str | None = None) -> ConcernView:
    """The team manager has seen the concern (to be done the same working day)."""
    return _reply(ws, concern_id, "ack", None, hub)


def _reply(
    ws: Workspace, concern_id: str, kind: str, outcome: str | None, hub: str | None
) -> ConcernView:
    by, now = _who(ws), _stamp(ws.now())
    if hub is None:
        with ws.store.transaction() as conn:
            row = rows.get_concern(conn, concern_id)
            _refuse_closed(row["responded_at"], row["id"])
            if kind == "response":
                assert outcome is not None
                rows.respond(conn, row["id"], outcome, by, now)
            elif not rows.acknowledge(conn, row["id"], now):
                raise StateError(f"Concern {row['id'][:8]} was already acknowledged.")
            return _view(rows.get_concern(conn, row["id"]))
    if is_postgres(hub):
        return _pg(ws, hub, lambda conn: _pg_reply(conn, concern_id, kind, by, outcome))
    from auditui.sync.concern_records import ConcernReply, read_concerns, write_records

    folder = _open_folder(ws, hub)
    when = dt.datetime.fromisoformat(now)
    seen = read_concerns(folder, when)
    found = _find(seen.concerns, concern_id, folder)
    _refuse_closed(found.responded_at, found.record.concern_id)
    if kind == "ack" and found.acknowledged_at is not None:
        raise StateError(f"Concern {found.record.concern_id[:8]} was already acknowledged.")
    mine, team = folder.key.public_hex, found.record.team
    if mine != found.signer and not _trust(folder, when).allows(mine, team):
        raise HubError(
            f"This machine's key {mine[:16]} may not respond to concerns for team {team!r} on "
            f"this hub; ask the QA lead to run: auditui hub trust {folder.root} --key {mine} "
            f"--teams '{team}'. Nothing was recorded."
        )
    reply = ConcernReply(
        concern_id=found.record.concern_id,
        kind="response" if kind == "response" else "ack",
        at=when,
        by=by,
        outcome=outcome,
    )
    write_records(folder, [], [reply])
    after = read_concerns(folder, when).concerns[found.record.concern_id]
    return _hub_view(after)


def _refuse_closed(responded_at: object, concern_id: str) -> None:
    if responded_at is not None:
        raise StateError(f"Concern {concern_id[:8]} already has a response; it is closed.")


def _find(concerns: dict[str, HubConcern], concern_id: str, folder: FolderHub) -> HubConcern:
    typed = concern_id.strip()
    if typed in concerns:
        return concerns[typed]
    found = [c for k, c in concerns.items() if len(typed) >= 6 and k.startswith(typed)]
    if len(found) != 1:
        raise NotFoundError(f"The hub {folder.root} has no safeguarding concern '{typed[:80]}'.")
    return found[0]


def _trust(folder: FolderHub, when: dt.datetime) -> Any:
    index = folder.open_index()
    try:
        assert folder.marker is not None
        index.refresh(folder.root, folder.marker, when.date())
        return index.trust
    finally:
        index.close()


def _pg(ws: Workspace, hub: str, work: Callable[[Any], T]) -> T:
    """Run ``work`` on a connection to the PostgreSQL hub, refusals as one sentence."""
    from auditui.sync.pg_concern_client import refusals, supports
    from auditui.sync.postgres import connect, display_url

    conn = connect(hub)
    try:
        with refusals(display_url(hub)):
            if not supports(conn):
                raise HubError(
                    f"The hub {display_url(hub)} does not take safeguarding concerns yet; its "
                    "administrator can upgrade it with: auditui hub init URL"
                )
            return work(conn)
    finally:
        conn.close()


def _pg_reply(conn: Any, concern_id: str, kind: str, by: str, outcome: str | None) -> ConcernView:
    from auditui.sync.pg_concern_client import board, reply

    views = {row["id"]: ConcernView(**row) for row in board(conn, False)}
    typed = concern_id.strip()
    found = [v for k, v in views.items() if k == typed or (len(typed) >= 6 and k.startswith(typed))]
    if len(found) != 1:
        raise NotFoundError(
            f"The hub has no safeguarding concern '{typed[:80]}' for the teams you may answer."
        )
    _refuse_closed(found[0].responded_at, found[0].id)
    if kind == "ack" and found[0].acknowledged_at is not None:
        raise StateError(f"Concern {found[0].id[:8]} was already acknowledged.")
    reply(conn, found[0].id, kind, by, outcome)
    return next(ConcernView(**r) for r in board(conn, False) if r["id"] == found[0].id)


def _open_folder(ws: Workspace, hub: str) -> FolderHub:
    from auditui.services.sync import open_folder_hub

    return open_folder_hub(ws, hub)


def _who(ws: Workspace) -> str:
    name = ws.config.user.name.strip() or getpass.getuser()
    return checked_name(name, "Your name ([user] name)") or "unknown"


def _stamp(now: str) -> str:
    return dt.datetime.fromisoformat(now).astimezone(dt.UTC).isoformat(timespec="seconds")


def _view(row: sqlite3.Row) -> ConcernView:
    return ConcernView(**{k: row[k] for k in ConcernView.__dataclass_fields__})


def _hub_view(c: HubConcern) -> ConcernView:
    r = c.record

    def iso(when: dt.datetime | None) -> str | None:
        return None if when is None else when.astimezone(dt.UTC).isoformat(timespec="seconds")

    return ConcernView(
        id=r.concern_id,
        audit_id=r.audit_id,
        team=r.team,
        text=r.text,
        raised_with=r.raised_with,
        raised_by=r.raised_by,
        raised_at=iso(r.raised_at) or "",
        acknowledged_at=iso(c.acknowledged_at),
        outcome=c.outcome,
        responded_by=c.responded_by,
        responded_at=iso(c.responded_at),
    )


def concerns_in_period(
    ws: Workspace, first: dt.date, last: dt.date, hub: str | None = None
) -> list[ConcernView]:
    """The concerns raised in the period (by the UK day), for counting: over a PostgreSQL
    hub the reader's view has times only (no id, team or text), which is all a count needs."""
    if hub is not None and is_postgres(hub):
        from auditui.sync.pg_concern_client import times

        found = [
            ConcernView("", "", "", "", "", "", raised, acked, None, None, responded)
            for raised, acked, responded in _pg(ws, hub, lambda c: times(c, first, last))
        ]
    else:
        found = list_concerns(ws, hub=hub)
    return [c for c in found if first <= working_day(c.raised_at) <= last]


def working_day(stamp: str) -> dt.date:
    """The day (UK local time) a UTC timestamp falls on."""
    when = dt.datetime.fromisoformat(stamp)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(LOCAL_TIME).date()


def concern_counts(concerns: list[ConcernView], calendar: str, today: dt.date) -> dict[str, Any]:
    """Numbers only, never text: how many were raised, open and closed, how many were
    acknowledged the same working day (a concern raised on a weekend or bank holiday is
    due the next working day), and the working days from that day to the response."""
    cal = working_calendar(calendar)
    same_day = late = waiting = 0
    days: list[int] = []
    for c in concerns:
        raised = working_day(c.raised_at)
        due = raised if cal.is_working_day(raised) else cal.add_working_days(raised, 1)
        if c.acknowledged_at is None:
            if today > due:
                late += 1
            else:
                waiting += 1
        elif working_day(c.acknowledged_at) <= due:
            same_day += 1
        else:
            late += 1
        if c.responded_at is not None:
            days.append(max(0, cal.working_days_between(due, working_day(c.responded_at))))
    closed = len(days)
    return {
        "raised": len(concerns),
        "open": len(concerns) - closed,
        "closed": closed,
        "acknowledged_same_working_day": same_day,
        "not_acknowledged_same_working_day": late,
        "awaiting_acknowledgement_today": waiting,
        "median_response_working_days": statistics.median(days) if days else None,
        "longest_response_working_days": max(days) if days else None,
    }
