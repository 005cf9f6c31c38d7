"""The PostgreSQL hub on a real server: upsert by revision, and each login's limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors
from sync_support import PgHub, finished_audit, new_hub

from auditui.errors import HubError
from auditui.services import audits
from auditui.services.report import build_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.postgres import init_hub

pytestmark = pytest.mark.postgres


def _refused(url: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    with psycopg.connect(url, autocommit=True) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(sql, params)


def _allowed(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def test_sync_upserts_by_revision_and_a_repeat_changes_nothing(
    workspace: Workspace, pg_hub: PgHub
) -> None:
    ids = [finished_audit(workspace, f"CIN-{n}", "note", answer="no") for n in range(3)]
    assert run_sync(workspace, pg_hub.submitter).results_new == 3
    before = pg_hub.query("SELECT audit_id, revision, received_at FROM auditui.results ORDER BY 1")
    workspace.store.conn.execute("UPDATE outbox SET sent_at = NULL")
    again = run_sync(workspace, pg_hub.submitter)
    assert again.results_sent == 3 and again.results_new == 0
    assert (
        pg_hub.query("SELECT audit_id, revision, received_at FROM auditui.results ORDER BY 1")
        == before
    )
    audits.reopen(workspace, ids[0], "Moderated")
    audits.answer(workspace, ids[0], "specific", "yes")
    audits.finalise(workspace, ids[0])
    assert run_sync(workspace, pg_hub.submitter).results_new == 1
    rows = dict(pg_hub.query("SELECT audit_id, revision FROM auditui.results"))
    assert rows == {ids[0]: 2, ids[1]: 1, ids[2]: 1}
    sections = pg_hub.query("SELECT count(*) FROM auditui.sections WHERE audit_id = %s", (ids[0],))
    assert sections == [(3,)]
    # An old revision arriving late (another machine's stale outbox) is ignored.
    workspace.store.conn.execute("UPDATE outbox SET sent_at = NULL WHERE revision = 1")
    late = run_sync(workspace, pg_hub.submitter)
    assert late.results_sent == 3 and late.results_new == 0
    assert dict(pg_hub.query("SELECT audit_id, revision FROM auditui.results")) == rows
    assert pg_hub.query("SELECT count(*) FROM auditui.staging_results") == [(0,)]


def test_the_submitter_can_only_submit(workspace: Workspace, pg_hub: PgHub) -> None:
    finished_audit(workspace, "CIN-1", "note")
    run_sync(workspace, pg_hub.submitter)
    url = pg_hub.submitter
    for table in ("results", "sections", "themes", "actions", "staging_results", "meta"):
        _refused(url, f"SELECT * FROM auditui.{table}")
    _refused(url, "DELETE FROM auditui.results")
    _refused(url, "UPDATE auditui.results SET team = 'x'")
    _refused(url, "DELETE FROM auditui.staging_results")
    _refused(url, "TRUNCATE auditui.results")
    _refused(url, "SELECT * FROM auditui.report_all")
    _refused(url, "SELECT * FROM auditui.actions_board")
    _refused(url, "SELECT auditui.complete_action('x', current_date, null)")
    _refused(url, "CREATE TABLE auditui.mine (x int)")


def test_the_reader_sees_only_aggregate_views(workspace: Workspace, pg_hub: PgHub) -> None:
    finished_audit(workspace, "CIN-1", "note")
    run_sync(workspace, pg_hub.submitter)
    url = pg_hub.reader
    for table in ("results", "sections", "themes", "actions", "staging_results", "meta"):
        _refused(url, f"SELECT * FROM auditui.{table}")
    _refused(url, "SELECT * FROM auditui.actions_board")
    _refused(url, "INSERT INTO auditui.staging_results (batch) VALUES (gen_random_uuid())")
    _refused(url, "SELECT * FROM auditui.submit(gen_random_uuid())")
    _refused(url, "SELECT * FROM auditui.action_states(ARRAY['x'])")
    assert _allowed(url, "SELECT audits FROM auditui.report_all") == [(1,)]
    for view in ("report_team", "report_month", "report_tool", "report_section", "report_themes"):
        _allowed(url, f"SELECT * FROM auditui.{view}")


def test_the_manager_sees_the_actions_board_and_nothing_else(
    workspace: Workspace, pg_hub: PgHub
) -> None:
    url = pg_hub.manager
    for table in ("results", "actions", "themes"):
        _refused(url, f"SELECT * FROM auditui.{table}")
    _refused(url, "SELECT * FROM auditui.report_all")
    _refused(url, "UPDATE auditui.actions SET status = 'done'")
    _refused(url, "SELECT * FROM auditui.action_states(ARRAY['x'])")
    assert _allowed(url, "SELECT * FROM auditui.actions_board") == []


def test_small_groups_are_hidden_from_the_reader(
    workspace: Workspace, pg_server: Any, tmp_path: Path
) -> None:
    hub = new_hub(pg_server, threshold=3)
    for n in range(3):
        finished_audit(workspace, f"CIN-{n}", "note", team="North Locality")
        finished_audit(workspace, f"CIN-E{n}", "note", team="East Locality")
    finished_audit(workspace, "CIN-9", "note", team="South Locality")
    run_sync(workspace, hub.submitter)
    # South (1 audit) is hidden, and East with it: the total minus North then tells only
    # that East and South hold 4 audits between them.
    rows = _allowed(hub.reader, "SELECT grp, audits FROM auditui.report_team")
    assert rows == [("North Locality", 3)]
    report = build_report(workspace, hub.reader, by="team")
    assert [g["group"] for g in report["groups"]] == ["North Locality"]
    assert report["suppressed_groups"] == 2 and report["small_group_threshold"] == 3
    assert report["audits"] == 7


def test_hub_init_is_repeatable_and_says_when_the_schema_is_missing(
    pg_server: Any, pg_hub: PgHub, workspace: Workspace
) -> None:
    assert "checked" in init_hub(pg_hub.admin, 1)
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE empty_hub")
    bare = pg_server.get_uri("empty_hub")
    finished_audit(workspace, "CIN-1", "note")
    with pytest.raises(HubError, match="hub init"):
        run_sync(workspace, bare)


def test_an_unreachable_server_is_one_sentence_and_the_outbox_is_kept(workspace: Workspace) -> None:
    finished_audit(workspace, "CIN-1", "note")
    with pytest.raises(HubError) as caught:
        run_sync(workspace, "postgresql://auditui_submitter:secret@127.0.0.1:9/hub")
    message = caught.value.message
    assert "cannot be reached" in message and "outbox is kept" in message
    assert "secret" not in message and len(message.splitlines()) == 1
    row = workspace.store.one("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    assert row is not None and row[0] == 1
