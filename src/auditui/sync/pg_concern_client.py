"""Safeguarding concerns over a PostgreSQL hub: the calls a sync, a manager and a report make.

The hub's functions (``pg_concerns``) decide who may do what; this module
only calls them and turns a refusal into one sentence. A hub made before
concerns existed has none of the functions: ``supports`` says so, and a sync
then leaves concerns queued here (delivery is recorded per hub) until the
hub is upgraded with ``auditui hub init``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import psycopg

from auditui.errors import HubError
from auditui.store import concerns as rows
from auditui.sync.concern_records import ConcernRecord, ConcernReply
from auditui.sync.concern_sync import ConcernSync, record_of, reply_of

if TYPE_CHECKING:
    from auditui.store.db import Store

BOARD_COLUMNS = (
    "id", "audit_id", "team", "text", "raised_with", "raised_by", "raised_at",
    "acknowledged_at", "outcome", "responded_by", "responded_at",
)  # fmt: skip


@contextlib.contextmanager
def refusals(display: str) -> Iterator[None]:
    try:
        yield
    except psycopg.errors.InsufficientPrivilege as exc:
        message = (exc.diag.message_primary or "not allowed").removeprefix("auditui: ")
        raise HubError(f"The hub {display} does not allow this: {message}.") from None
    except psycopg.Error as exc:
        message = (exc.diag.message_primary or str(exc)).removeprefix("auditui: ")
        raise HubError(f"The hub {display} refused this: {message}.") from None


def supports(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT to_regproc('auditui.submit_concern') IS NOT NULL").fetchone()
    return bool(row and row[0])


def send(
    conn: psycopg.Connection[Any],
    concerns: Sequence[ConcernRecord],
    replies: Sequence[ConcernReply],
) -> None:
    """Send concerns and this machine's own replies, all or none."""
    with conn.transaction():
        for c in concerns:
            conn.execute(
                "SELECT auditui.submit_concern(%s, %s, %s, %s, %s, %s, %s)",
                (c.concern_id, c.audit_id, c.team, c.text, c.raised_with, c.raised_by, c.raised_at),
            )
        for r in replies:
            conn.execute(
                "SELECT auditui.concern_reply(%s, %s, %s, %s, %s)",
                (r.concern_id, r.kind, r.by, r.outcome, r.at),
            )


def reply(
    conn: psycopg.Connection[Any], concern_id: str, kind: str, by: str, outcome: str | None
) -> None:
    """A manager's acknowledgement or response (timed by the hub)."""
    with conn.transaction():
        conn.execute(
            "SELECT auditui.concern_reply(%s, %s, %s, %s, NULL)", (concern_id, kind, by, outcome)
        )


def board(conn: psycopg.Connection[Any], open_only: bool) -> list[dict[str, Any]]:
    """The concerns of the teams this login is trusted for, as ``ConcernView`` fields."""
    found = conn.execute("SELECT * FROM auditui.concerns_board(%s)", (open_only,)).fetchall()
    return [
        {
            k: (_iso(v) if isinstance(v, dt.datetime) else v)
            for k, v in zip(BOARD_COLUMNS, r, strict=True)
        }
        for r in found
    ]


def times(
    conn: psycopg.Connection[Any], first: dt.date, last: dt.date
) -> list[tuple[str, str | None, str | None]]:
    """(raised, acknowledged, responded) of each concern raised in the period: no ids, no text."""
    start = dt.datetime.combine(first, dt.time(), dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime.combine(last, dt.time(), dt.UTC) + dt.timedelta(days=2)
    return [
        (_iso(a) or "", _iso(b), _iso(c))
        for a, b, c in conn.execute(
            "SELECT * FROM auditui.concern_times(%s, %s)", (start, end)
        ).fetchall()
    ]


def sync_concerns_pg(
    store: Store, conn: psycopg.Connection[Any], display: str, target: str, now: str, demo: bool
) -> ConcernSync:
    """The owner's sync over PostgreSQL: send what the hub has not confirmed, then bring home
    the acknowledgements and responses of this login's own concerns."""
    out = ConcernSync()
    if demo or not supports(conn):
        return out
    with store.transaction() as local:
        concerns = rows.concerns_of(local, False)
        sent = rows.delivered(local, target)
    parts = []
    with refusals(display), conn.transaction():
        for row in concerns:
            for part in rows.parts_of(row):
                if part in sent.get(row["id"], set()):
                    continue
                if part == "concern":
                    one: tuple[list[ConcernRecord], list[ConcernReply]] = (
                        [record_of(row, False)],
                        [],
                    )
                else:
                    one = ([], [reply_of(row, part, row["raised_by"])])
                try:
                    with conn.transaction():  # a savepoint: one refusal does not stop the rest
                        send(conn, *one)
                except psycopg.Error as exc:
                    why = (exc.diag.message_primary or str(exc)).removeprefix("auditui: ")
                    out.refused.append(f"concern {row['id'][:8]} ({part}): {why}")
                    continue
                parts.append((row["id"], part))
                out.sent += part == "concern"
        ids = [r["id"] for r in concerns if r["responded_at"] is None]
        heard = conn.execute("SELECT * FROM auditui.my_concerns(%s)", (ids,)).fetchall()
    with store.transaction() as local:
        if parts:
            rows.mark_delivered(local, target, parts, now)
        for concern_id, acked, outcome, by, responded in heard:
            short = concern_id[:8]
            if acked is not None and rows.acknowledge(local, concern_id, _iso(acked) or ""):
                rows.mark_delivered(local, target, [(concern_id, "acknowledged")], now)
                if responded is None:
                    out.heard.append(f"Safeguarding concern {short} was acknowledged.")
            if responded is not None and outcome is not None:
                if rows.respond(local, concern_id, outcome, by or "", _iso(responded) or ""):
                    rows.mark_delivered(local, target, [(concern_id, "response")], now)
                    out.heard.append(
                        f"Safeguarding concern {short}: {by} responded: {outcome[:200]}"
                    )
    return out


def _iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.astimezone(dt.UTC).isoformat(timespec="seconds")
