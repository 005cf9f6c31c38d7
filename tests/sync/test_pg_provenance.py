"""The PostgreSQL hub believes a record only from its owner: attacks by SQL under a login.

Each person has a personal login (``hub add-user``). Here a hostile team
member, ``mallory`` (a submitter, like every auditor), tries what the shared
login used to allow: staging forged rows, replacing ``alice``'s finalised
audit from a copy of her database, marking her actions done, reading her
actions' evidence; a manager of one team tries to complete another team's
action, and impossible completion dates are tried on every path. Everything
runs on a real server (``pgserver``), through the real sync and raw SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors
from sync_support import PgHub, finished_audit, make_config, open_workspace

from auditui.errors import HubError, InvalidAnswerError, StateError
from auditui.services import actions, audits
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.pg_users import add_user, trust_user
from auditui.sync.postgres import PostgresHub, init_hub

pytestmark = pytest.mark.postgres


def _login(hub: PgHub, base: str, role: str) -> tuple[str, str]:
    """A personal login (name, URL); logins are cluster-wide, so each test's are its own."""
    name = f"{base}_{uuid.uuid4().hex[:6]}"
    return name, add_user(hub.admin, name, role)


def _sql(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def _stage_and_submit(url: str, payload: dict[str, Any], table: str = "staging_results") -> Any:
    """What an attacker can do by hand: stage a record and ask the hub to take it."""
    batch = uuid.uuid4()
    with psycopg.connect(url) as conn:
        conn.execute(
            f"INSERT INTO auditui.{table} (batch, payload) VALUES (%s, %s)",
            (batch, json.dumps(payload)),
        )
        return conn.execute("SELECT * FROM auditui.submit(%s)", (batch,)).fetchone()


def _alice_with_an_action(tmp_path: Path, hub: PgHub) -> tuple[Workspace, str, str, str]:
    _, alice_url = _login(hub, "alice", "submitter")
    alice = open_workspace(tmp_path / "alice.db", make_config(tmp_path, user="Alice"))
    audit_id = finished_audit(alice, "CIN-1", "note", answer="no", team="North Locality")
    action = actions.add_action(alice, audit_id, owner="Sam Taylor", text="Review the plan")
    assert run_sync(alice, alice_url).results_new == 1
    return alice, alice_url, audit_id, action


def test_add_user_makes_a_personal_login_with_a_password_shown_once(pg_hub: PgHub) -> None:
    name, url = _login(pg_hub, "alice", "submitter")
    assert url.startswith(f"postgresql://{name}:") and len(url.split(":")[2].split("@")[0]) >= 24
    rows = _sql(
        pg_hub.admin,
        "SELECT r.rolcanlogin, a.rolpassword, array(SELECT g.rolname FROM pg_auth_members m"
        " JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid)"
        " FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname = %s",
        (name,),
    )
    can_login, stored, groups = rows[0]
    assert can_login and groups == ["auditui_submitter"]
    assert stored.startswith("SCRAM-SHA-256$4096:")  # a verifier, never the password
    assert url.split(":")[2].split("@")[0] not in stored
    assert _sql(url, "SELECT session_user") == [(name,)]
    with pytest.raises(HubError, match="already exists"):
        add_user(pg_hub.admin, name, "reader")
    for bad in ("Alice", "pg_x", "auditui_x", "a b", "x" * 64, "robert'); DROP"):
        with pytest.raises(InvalidAnswerError):
            add_user(pg_hub.admin, bad, "reader")
    with pytest.raises(HubError, match="administrator"):  # a submitter cannot make logins
        add_user(url, f"x{uuid.uuid4().hex[:8]}", "submitter")


def test_an_audit_belongs_to_the_login_that_first_submitted_it(
    tmp_path: Path, pg_hub: PgHub
) -> None:
    alice, alice_url, audit_id, _ = _alice_with_an_action(tmp_path, pg_hub)
    alice_name = alice_url.split("//")[1].split(":")[0]
    mallory, mallory_url = _login(pg_hub, "mallory", "submitter")
    # Mallory copies Alice's database to her own machine and re-finalises the audit there.
    alice.close()
    shutil.copy(tmp_path / "alice.db", tmp_path / "copy.db")
    copy = open_workspace(tmp_path / "copy.db", make_config(tmp_path / "m", user="Alice"))
    (tmp_path / "m").mkdir(exist_ok=True)
    shutil.copy(tmp_path / "hub-key", tmp_path / "m" / "hub-key")
    audits.reopen(copy, audit_id, "Regraded")
    audits.set_grade(copy, audit_id, "overall", "outstanding", rationale="Forged")
    audits.finalise(copy, audit_id)
    with pytest.raises(HubError, match=f"first submitted by login {alice_name}, not {mallory}"):
        run_sync(copy, mallory_url)
    rows = pg_hub.query("SELECT revision, submitted_by FROM auditui.results")
    assert rows == [(1, alice_name)]
    # By hand: her own staged copy of the record, with a higher revision, is refused too.
    record = pg_hub.query("SELECT payload FROM auditui.results")[0][0]
    forged = {**record, "revision": 9, "overall": {**record["overall"], "final": "outstanding"}}
    with pytest.raises(errors.RaiseException, match=f"first submitted by login {alice_name}"):
        _stage_and_submit(mallory_url, forged)
    # She cannot stage rows in Alice's name, nor submit, read or delete what Alice staged.
    with psycopg.connect(mallory_url) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO auditui.staging_results (batch, payload, login) VALUES (%s, %s, %s)",
            (uuid.uuid4(), json.dumps(forged), alice_name),
        )
    for sql in (
        "SELECT * FROM auditui.staging_results",
        "DELETE FROM auditui.staging_results",
        "UPDATE auditui.results SET submitted_by = 'mallory'",
        f"SET SESSION AUTHORIZATION {alice_name}",
    ):
        with pytest.raises(errors.InsufficientPrivilege):
            _sql(mallory_url, sql)
    assert pg_hub.query("SELECT revision, overall_grade <> 'outstanding' FROM auditui.results") == [
        (1, True)
    ]
    # Nor can she create temporary tables to shadow anything (TEMP is revoked from PUBLIC).
    with pytest.raises(errors.InsufficientPrivilege):
        _sql(mallory_url, "CREATE TEMP TABLE results (x int)")
    copy.close()


def test_completions_come_only_from_the_owner_or_a_login_trusted_for_the_team(
    tmp_path: Path, pg_hub: PgHub
) -> None:
    alice, alice_url, audit_id, action = _alice_with_an_action(tmp_path, pg_hub)
    _, mallory_url = _login(pg_hub, "mallory", "submitter")
    north_name, north = _login(pg_hub, "north_tm", "manager")
    south_name, south = _login(pg_hub, "south_tm", "manager")
    trust_user(pg_hub.admin, north_name, ["North Locality"])
    trust_user(pg_hub.admin, south_name, ["South Locality"])
    done = {"schema": 1, "action_id": action, "audit_id": audit_id, "source": "hub",
            "recorded_at": "2026-03-02T10:00:00+00:00", "status": "done",
            "completed_on": "2026-03-02"}  # fmt: skip
    # A staged completion of Alice's action, by a login that is neither hers nor trusted.
    with pytest.raises(errors.RaiseException, match="may not record changes to team North"):
        _stage_and_submit(mallory_url, done, "staging_actions")
    # Mallory's own audit record carrying Alice's action id, marked done: changes nothing.
    mallory = open_workspace(tmp_path / "mallory.db", make_config(tmp_path, user="Mallory"))
    own = finished_audit(mallory, "CIN-2", "note", team="South Locality")
    run_sync(mallory, mallory_url)
    record = pg_hub.query("SELECT payload FROM auditui.results WHERE audit_id = %s", (own,))[0][0]
    hijack = {**record, "revision": 2, "actions": [{"id": action, "owner": "x",
              "due": "2026-04-01", "status": "done", "completed_on": "2026-03-02"}]}  # fmt: skip
    _stage_and_submit(mallory_url, hijack)
    board = dict(_sql(north, "SELECT action_id, status FROM auditui.actions_board"))
    assert board[action] == "open"
    # Mallory cannot read where Alice's actions stand (their evidence is Alice's).
    assert _sql(mallory_url, "SELECT * FROM auditui.action_states(%s)", ([action],)) == []
    # The south team's manager cannot complete a north action; the north manager can.
    with pytest.raises(errors.RaiseException, match="not trusted .* team 'North Locality'"):
        _sql(south, "SELECT auditui.complete_action(%s, '2026-03-02', NULL)", (action,))
    hub = PostgresHub.connect(south)
    with pytest.raises(
        StateError, match=f"not trusted .* hub trust {re.escape(hub.display)} --user"
    ):
        hub.complete_action(action, dt.date(2026, 3, 2), None, "")
    hub.close()
    _sql(north, "SELECT auditui.complete_action(%s, '2026-03-02', NULL)", (action,))
    rows = pg_hub.query(
        "SELECT status, status_by FROM auditui.actions WHERE action_id = %s", (action,)
    )
    assert rows == [("done", north_name)]
    # Alice's next sync hears of it (her own action), and records who did it on the hub.
    assert run_sync(alice, alice_url).completions_received == 1
    alice.close()
    mallory.close()


def test_impossible_completion_dates_are_refused_in_sql_and_in_python(
    tmp_path: Path, pg_hub: PgHub
) -> None:
    alice, alice_url, audit_id, action = _alice_with_an_action(tmp_path, pg_hub)
    north_name, north = _login(pg_hub, "north_tm", "manager")
    trust_user(pg_hub.admin, north_name, ["North Locality"])
    started = pg_hub.query("SELECT started_on FROM auditui.results")[0][0]
    call = "SELECT auditui.complete_action(%s, %s, NULL)"
    for day, reason in (
        (None, "it has no date"),
        (dt.date(2099, 1, 1), "it is in the future"),
        (started - dt.timedelta(days=1), "before the action was agreed"),
    ):
        with pytest.raises(errors.RaiseException, match=reason):
            _sql(north, call, (action, day))
    state = {"schema": 1, "action_id": action, "audit_id": audit_id, "source": "owner",
             "recorded_at": "2026-03-02T10:00:00+00:00", "status": "done"}  # fmt: skip
    for day in (None, "2099-01-01", "2001-01-01"):
        with pytest.raises(errors.RaiseException, match="completed on"):
            _stage_and_submit(alice_url, {**state, "completed_on": day}, "staging_actions")
    # Not even the hub's owner can store one: the table's trigger and constraints refuse it.
    with pytest.raises(errors.CheckViolation):
        pg_hub.query(
            "UPDATE auditui.actions SET status = 'done', completed_on = '2099-01-01'"
            " WHERE action_id = %s",
            (action,),
        )
    with pytest.raises(errors.CheckViolation):
        pg_hub.query("UPDATE auditui.actions SET status = 'done' WHERE action_id = %s", (action,))
    # In Python, before anything is sent.
    hub = PostgresHub.connect(north)
    with pytest.raises(StateError, match="in the future"):
        hub.complete_action(action, dt.date(2099, 1, 1), None, "")
    hub.close()
    assert pg_hub.query("SELECT status FROM auditui.actions") == [("open",)]
    alice.close()


def test_a_real_hub_refuses_demo_records(workspace: Workspace, pg_hub: PgHub) -> None:
    finished_audit(workspace, "CIN-1", "note")
    run_sync(workspace, pg_hub.submitter)
    record = pg_hub.query("SELECT payload FROM auditui.results")[0][0]
    demo = {**record, "audit_id": "demo-1", "demo": True}
    with pytest.raises(errors.CheckViolation, match="results_never_demo"):
        _stage_and_submit(pg_hub.submitter, demo)
    from auditui.sync.result import GradedResult

    result = GradedResult.model_validate({**record, "audit_id": "demo-2", "demo": True})
    hub = PostgresHub.connect(pg_hub.submitter)
    with pytest.raises(HubError, match="demo audit"):
        hub.submit([result], [])
    hub.close()
    assert pg_hub.query("SELECT count(*) FROM auditui.results") == [(1,)]


def test_held_says_which_revision_the_hub_holds(workspace: Workspace, pg_hub: PgHub) -> None:
    ids = [finished_audit(workspace, f"CIN-{n}", "note") for n in range(2)]
    run_sync(workspace, pg_hub.submitter)
    hub = PostgresHub.connect(pg_hub.submitter)
    assert hub.held([*ids, "not-there"]) == {ids[0]: 1, ids[1]: 1}
    hub.close()


def test_hub_init_says_how_logins_are_authenticated(pg_hub: PgHub) -> None:
    said = init_hub(pg_hub.admin, 1)
    assert "authenticates logins by" in said and "hub add-user" in said
    assert "trust" in said and "Warning" in said  # pgserver trusts local logins
    rows = _sql(pg_hub.admin, "SELECT has_database_privilege('public', current_database(), 'TEMP')")
    assert rows == [(False,)]


def test_a_version_1_hub_migrates_and_its_audits_stay_with_the_shared_login(
    pg_server: Any,
) -> None:
    from auditui.sync import pg_schema

    name = f"hub_v1_{uuid.uuid4().hex[:8]}"
    _sql(pg_server.get_uri(), f"CREATE DATABASE {name}")
    url = pg_server.get_uri(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(pg_schema.BOOTSTRAP)
        conn.execute(pg_schema.MIGRATIONS[0])
        conn.execute("INSERT INTO auditui.meta VALUES ('schema_version', '1')")
        conn.execute(
            "INSERT INTO auditui.results (audit_id, revision, status, recorded_at, tool_id,"
            " tool_version, case_key, case_type, team, auditor, practitioner_present, kind,"
            " started_on, ended_on, complete, overall_overridden, payload) VALUES ('old', 1,"
            " 'finalised', now(), 't', 1, 'k', 'CIN', 'North', 'A', true, 'case_file',"
            " '2026-01-01', '2026-01-02', true, false, '{}')"
        )
        conn.execute(  # an old impossible row: kept, never refused by the migration
            "INSERT INTO auditui.actions (action_id, audit_id, fields_at, status, status_at)"
            " VALUES ('x1', 'old', now(), 'done', now())"
        )
    assert "migrated" in init_hub(url, 1)
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT audit_id, submitted_by, demo FROM auditui.results").fetchall()
        assert rows == [("old", "auditui_submitter", False)]
        assert conn.execute("SELECT count(*) FROM auditui.actions").fetchone() == (1,)


def test_moving_to_a_personal_login_does_not_resend_to_the_same_hub(
    workspace: Workspace, pg_hub: PgHub
) -> None:
    finished_audit(workspace, "CIN-1", "note")
    assert run_sync(workspace, pg_hub.submitter).results_sent == 1
    name, url = _login(pg_hub, "alice", "submitter")
    shared, personal = PostgresHub.connect(pg_hub.submitter), PostgresHub.connect(url)
    assert shared.delivery_id == personal.delivery_id and shared.delivery_id.startswith(
        "postgresql:"
    )
    shared.close()
    personal.close()
    again = run_sync(workspace, url)
    assert again.results_sent == 0 and again.results_new == 0
    finished_audit(workspace, "CIN-2", "note")
    assert run_sync(workspace, url).results_new == 1
    rows = pg_hub.query("SELECT submitted_by FROM auditui.results ORDER BY received_at")
    assert rows == [("auditui_submitter",), (name,)]
