"""Safeguarding concerns from the command line: record on a draft, list, respond, refuse.

Real `python -m auditui` subprocesses on a database in tmp_path (``run_cli``).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

Result = subprocess.CompletedProcess[str]
RunCli = Callable[..., Result]

NEW = (
    "audit", "new", "--tool", "smart-plans", "--case", "CF123456", "--case-type", "CP",
    "--team", "North", "--practitioner", "Pat Jones", "--auditor", "Sam Auditor",
)  # fmt: skip
FIELDS = {
    "id", "audit_id", "team", "text", "raised_with", "raised_by", "raised_at",
    "acknowledged_at", "outcome", "responded_by", "responded_at", "status",
}  # fmt: skip


def ok(result: Result) -> str:
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


def refused(result: Result) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return str(result.stderr)


def test_audit_concern_is_a_subcommand_of_audit(run_cli: RunCli) -> None:
    audit_id = ok(run_cli(*NEW)).strip()
    concern_id = ok(run_cli("audit", "concern", audit_id[:8], "--text", "Child seen alone"))
    assert json.loads(ok(run_cli("concerns", "--format", "json")))[0]["id"] == concern_id.strip()
    assert "--raised-with" in refused(
        run_cli("audit", "concern", audit_id, "--text", "x", "--raised-with", "a\tb")
    )
    assert "no audit" in refused(run_cli("audit", "concern", "nosuchaudit", "--text", "x")).lower()


def raise_concern(isolated_env: Any, audit_id: str, text: str, raised_with: str) -> str:
    """`audit concern`'s service, in-process on the same database."""
    from auditui.config import load_config
    from auditui.services import concerns
    from auditui.services.workspace import Workspace

    ws = Workspace.open(isolated_env.db, config=load_config(isolated_env.config))
    try:
        return concerns.raise_concern(ws, audit_id, text, raised_with).id
    finally:
        ws.close()


def test_a_concern_recorded_listed_and_answered(run_cli: RunCli, isolated_env: Any) -> None:
    audit_id = ok(run_cli(*NEW)).strip()
    concern_id = raise_concern(
        isolated_env, audit_id[:8], "Child seen alone: bruising", "Maria Lopez (team manager)"
    )
    listed = json.loads(ok(run_cli("concerns", "--open", "--format", "json")))
    assert [c["id"] for c in listed] == [concern_id]
    assert set(listed[0]) == FIELDS
    assert listed[0]["audit_id"] == audit_id and listed[0]["team"] == "North"
    assert listed[0]["raised_with"] == "Maria Lopez (team manager)"
    assert (listed[0]["status"], listed[0]["outcome"]) == ("open", None)
    assert "Child seen alone" in ok(run_cli("concerns"))

    ok(run_cli("concern", "acknowledge", concern_id[:8]))
    out = ok(run_cli("concern", "respond", concern_id, "--outcome", "Strategy meeting held"))
    assert "closed" in out
    assert json.loads(ok(run_cli("concerns", "--open", "--format", "json"))) == []
    closed = json.loads(ok(run_cli("concerns", "--format", "json")))[0]
    assert (closed["status"], closed["outcome"]) == ("closed", "Strategy meeting held")
    assert closed["acknowledged_at"] <= closed["responded_at"]
    assert "already has a response" in refused(
        run_cli("concern", "respond", concern_id, "--outcome", "again")
    )


def test_bad_input_is_one_sentence_and_changes_nothing(run_cli: RunCli) -> None:
    assert "no safeguarding concern" in refused(
        run_cli("concern", "respond", "nosuchconcern", "--outcome", "x")
    )
    assert "--outcome" in refused(run_cli("concern", "respond", "nosuchconcern", "--outcome", " "))
    assert "folder" in refused(run_cli("concerns", "--hub", "/nonexistent/share")).lower()
    assert json.loads(ok(run_cli("concerns", "--format", "json"))) == []
