"""Safeguarding concerns in a real PostgreSQL hub (``pgserver``), attacked by SQL under
personal logins as a hostile colleague would.

The hub is made by ``hub init``, which creates the concern tables, functions
and grants of ``sync.pg_concerns`` (hub schema 3). Priya (submitter) sends a concern; Tom (another
submitter) tries to take it over or answer it; Maria (a manager) must be
trusted for the team before she sees or answers it; Rita (a reader) sees
times only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sync_support import PgHub, finished_audit, person, role_url

from auditui.services.sync import run_sync
from auditui.sync.pg_users import add_user, trust_user

TEAM = "North Locality"
NOW = dt.datetime.now(dt.UTC)


def login(hub: PgHub, role: str) -> str:
    name = f"{role[:3]}_{uuid.uuid4().hex[:10]}"
    add_user(hub.admin, name, role)
    return role_url(hub.admin, name)  # pgserver trusts local logins


def call(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def refused(url: str, sql: str, params: tuple[Any, ...], says: str) -> None:
    with pytest.raises(psycopg.Error) as caught:
        call(url, sql, params)
    assert says in str(caught.value), str(caught.value)


SUBMIT = "SELECT auditui.submit_concern(%s, %s, %s, %s, %s, %s, %s)"
REPLY = "SELECT auditui.concern_reply(%s, %s, %s, %s, %s)"


def test_concerns_travel_only_as_the_roles_allow(pg_hub: PgHub, tmp_path: Path) -> None:
    priya, tom = login(pg_hub, "submitter"), login(pg_hub, "submitter")
    maria, rita = login(pg_hub, "manager"), login(pg_hub, "reader")
    ws = person(tmp_path, "Priya Shah")
    audit_id = finished_audit(ws, "CIN-1", "note", team=TEAM)
    run_sync(ws, priya)

    args = ("c-1", audit_id, TEAM, "Child left alone", "Maria", "Priya Shah", NOW)
    assert call(priya, SUBMIT, args) == [("c-1",)]
    assert call(priya, SUBMIT, args) == [("c-1",)], "sent again: harmless"
    refused(tom, SUBMIT, args, "was submitted by login")
    taken = ("c-1", "draft-9", TEAM, "Taken over", "", "Tom", NOW)
    refused(tom, SUBMIT, taken, "was sent by login")
    refused(priya, SUBMIT, ("c-3", audit_id, "South", "x", "", "P", NOW), "names team")
    refused(
        priya, SUBMIT, ("c-4", "d-1", TEAM, "x", "", "P", NOW + dt.timedelta(days=3)), "to come"
    )
    refused(priya, SUBMIT, ("c-5", "d-1", TEAM, "x" * 20_001, "", "P", NOW), "check constraint")
    refused(priya, SUBMIT, ("bad id!", "d-1", TEAM, "x", "", "P", NOW), "check constraint")

    refused(tom, REPLY, ("c-1", "response", "Tom", "Closed", None), "may not respond")
    assert call(maria, "SELECT * FROM auditui.concerns_board(false)") == []
    refused(maria, REPLY, ("c-1", "ack", "Maria", None, None), "may not respond")
    trust_user(pg_hub.admin, maria.split("//")[1].split("@")[0], [TEAM])
    board = call(maria, "SELECT concern_id, text, outcome FROM auditui.concerns_board(true)")
    assert board == [("c-1", "Child left alone", None)]
    early = NOW - dt.timedelta(days=30)
    call(maria, REPLY, ("c-1", "ack", "Maria", None, early))  # a manager's time is the hub's
    call(maria, REPLY, ("c-1", "response", "Maria", "Strategy meeting held", None))
    refused(maria, REPLY, ("c-1", "response", "Maria", "Again", None), "already has a response")

    mine = call(priya, "SELECT * FROM auditui.my_concerns(%s)", (["c-1"],))
    assert [(r[0], r[2], r[3]) for r in mine] == [("c-1", "Strategy meeting held", "Maria")]
    assert mine[0][1] >= NOW and mine[0][4] >= mine[0][1]
    assert call(tom, "SELECT * FROM auditui.my_concerns(%s)", (["c-1"],)) == []

    times = call(
        rita, "SELECT * FROM auditui.concern_times(%s, %s)", (early, NOW + dt.timedelta(1))
    )
    assert len(times) == 1 and len(times[0]) == 3
    refused(rita, "SELECT * FROM auditui.concerns", (), "permission denied")
    refused(rita, "SELECT * FROM auditui.concerns_board(false)", (), "permission denied")
    refused(priya, "SELECT * FROM auditui.concerns_board(false)", (), "permission denied")
    refused(maria, "SELECT * FROM auditui.concern_times(now(), now())", (), "permission denied")
    refused(priya, "UPDATE auditui.concerns SET outcome = 'x'", (), "permission denied")


def test_the_owner_reports_its_own_times_within_bounds(pg_hub: PgHub) -> None:
    priya = login(pg_hub, "submitter")
    raised = NOW - dt.timedelta(days=2)
    call(priya, SUBMIT, ("c-9", "draft-1", TEAM, "Concern", "", "Priya", raised))
    refused(priya, REPLY, ("c-9", "ack", "Priya", None, raised - dt.timedelta(hours=1)), "refused")
    call(priya, REPLY, ("c-9", "ack", "Priya", None, raised + dt.timedelta(hours=3)))
    mine = call(priya, "SELECT acknowledged_at FROM auditui.my_concerns(%s)", (["c-9"],))
    assert mine == [(raised + dt.timedelta(hours=3),)]


def test_a_concern_goes_through_the_postgres_hub_and_its_response_comes_home(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    from auditui.services import audits, concerns
    from auditui.services.report_pack import build_pack

    priya, maria = login(pg_hub, "submitter"), login(pg_hub, "manager")
    reader = login(pg_hub, "reader")
    ws = person(tmp_path, "Priya Shah")
    manager = person(tmp_path, "Maria Lopez")
    draft = audits.start_audit(ws, "smart-plans", "CIN-7", "CP", TEAM, "Sam", True)
    concern = concerns.raise_concern(ws, draft, "Child left alone overnight.", "Maria Lopez")

    sent = run_sync(ws, priya)  # hub init made the concern tables: sent on the first sync
    assert any("1 safeguarding concern sent" in w for w in sent.warnings), sent.warnings
    again = run_sync(ws, priya)
    assert not any("sent to" in w for w in again.warnings), "sent once"

    trust_user(pg_hub.admin, maria.split("//")[1].split("@")[0], [TEAM])
    board = concerns.list_concerns(manager, open_only=True, hub=maria)
    assert [(c.id, c.text, c.status) for c in board] == [
        (concern.id, "Child left alone overnight.", "open")
    ]
    closed = concerns.respond(manager, concern.id[:8], "Visited the same day; child safe.", maria)
    assert (closed.status, closed.responded_by) == ("closed", "Maria Lopez")

    home = run_sync(ws, priya)
    assert any("Maria Lopez responded" in w for w in home.warnings), home.warnings
    mine = concerns.list_concerns(ws)[0]
    assert (mine.status, mine.outcome) == ("closed", "Visited the same day; child safe.")

    today = dt.datetime.now(dt.UTC).date()
    pack = build_pack(ws, today - dt.timedelta(days=7), today, hub=reader)
    assert pack.figures["concerns"]["raised"] == 1
    assert pack.figures["concerns"]["closed"] == 1
