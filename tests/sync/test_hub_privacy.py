"""Nothing that names a child or quotes a case reaches a hub unless the organisation opts in.

A case reference and a piece of evidence text are seeded everywhere an
auditor can type them (answers, evidence, rationale, findings, the reopen
and close reasons, action evidence), the audits are synced
to both kinds of hub, and every byte of each hub is searched for them.
The audit's practitioner is seeded too: the hub measures practice, it does
not name the social worker audited (action owners are named: a team
manager's board needs to know who does what).
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from sync_support import PgHub, finished_audit, make_config, open_workspace

from auditui.services import actions, audits
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace

CASE = "CIN-SEED-99731"
NOTE = "SEEDED-EVIDENCE zebra crossing behind Mum's flat"
PRACTITIONER = "Practitioner Seedname"
ACTION = "Share the contingency plan with the family"
"""Action text travels by default (the team manager must act on it; an organisation can
keep it local with ``share_action_text = false``), so the seeded secrets are not in it."""


def _seed(ws: Workspace) -> None:
    first = finished_audit(ws, CASE, NOTE, practitioner=PRACTITIONER, answer="partly")
    audits.reopen(ws, first, f"Reopened: {NOTE}")
    audits.set_findings(ws, first, reflection=NOTE, strengths=NOTE, summary=NOTE)
    state = audits.load(ws, first)
    suggested = state.grading.sections["smart"].suggested
    other = next(g for g in state.tool.scale_def.grades if g != suggested)
    audits.set_grade(ws, first, "smart", other, rationale=NOTE)
    later = actions.add_action(ws, first, owner="Jo Allen", text=ACTION)
    audits.finalise(ws, first)
    actions.complete_action(ws, later, evidence=NOTE)
    after = actions.add_action(ws, first, owner="Team manager", text=ACTION)
    actions.cancel_action(ws, after, reason=NOTE)
    finished_audit(ws, f"{CASE}-B", NOTE, tool_id="case-file-audit", finalise=False)


def _folder_bytes(hub: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(hub.rglob("*")) if p.is_file())


def _postgres_dump(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'auditui'"
                " AND table_type = 'BASE TABLE'"
            )
        ]
        assert {"results", "sections", "themes", "actions", "meta"} <= set(tables)
        return "\n".join(
            str(row[0])
            for table in tables
            for row in conn.execute(f"SELECT row_to_json(t)::text FROM auditui.{table} t")
        )


@pytest.mark.postgres
def test_no_hub_holds_the_case_reference_or_the_evidence(
    workspace: Workspace, pg_hub: PgHub, tmp_path: Path
) -> None:
    _seed(workspace)
    folder = tmp_path / "hub"
    folder.mkdir()
    assert run_sync(workspace, str(folder)).results_sent == 3
    # Delivery is per hub: the PostgreSQL hub gets every revision too.
    assert run_sync(workspace, pg_hub.submitter).results_sent == 3
    stored = _folder_bytes(folder)
    results = [p for p in folder.glob("*.json") if p.name != "hub.json"]
    assert len(results) == 3 and (folder / "actions").is_dir()
    dump = _postgres_dump(pg_hub.admin)
    assert "smart-plans" in dump and len(stored) > 1000
    assert ACTION.encode() in stored and ACTION in dump
    for secret in (CASE, NOTE, "SEEDED-EVIDENCE", "zebra", PRACTITIONER, CASE.lower()):
        assert secret.encode() not in stored, secret
        assert secret not in dump, secret


def test_evidence_reaches_the_hub_only_when_the_organisation_opts_in(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path, share=True))
    _seed(ws)
    folder = tmp_path / "hub"
    folder.mkdir()
    run_sync(ws, str(folder))
    stored = _folder_bytes(folder)
    assert NOTE.encode() in stored  # evidence, rationale and findings now travel
    for path in folder.glob("*.r*.json"):
        record = json.loads(path.read_text())["record"]  # as sealed by the machine's key
        assert "case_ref" not in record and len(record["case_key"]) == 64
        assert PRACTITIONER not in path.read_text()
    ws.close()
