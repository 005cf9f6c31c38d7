"""The graded result: what of a finalised audit may leave the machine, and in what shape."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError
from sync_support import _value_for, finished_audit, make_config, open_workspace

from auditui.errors import ConfigError
from auditui.services.sync import tool_lookup
from auditui.services.workspace import Workspace
from auditui.sync.build import graded_result, result_record
from auditui.sync.pseudonym import load_or_create_key
from auditui.sync.result import GradedResult

CASE = "CIN-448812"
NOTE = "Seen with Mum at the Elm Street flat; she disclosed the new partner."


def _outbox(ws: Workspace, audit_id: str) -> tuple[dict, str]:
    row = ws.store.one("SELECT payload, created_at FROM outbox WHERE audit_id = ?", (audit_id,))
    assert row is not None
    return json.loads(row[0]), row[1]


def test_result_carries_grades_and_no_case_reference_or_free_text(workspace: Workspace) -> None:
    audit_id = finished_audit(workspace, CASE, NOTE, answer="partly")
    payload, created = _outbox(workspace, audit_id)
    key = load_or_create_key(workspace.config.sync.resolved_key_file())
    result = graded_result(payload, created, key, share_text=False, tools=tool_lookup(workspace))
    text = json.dumps(result.dump())
    assert CASE not in text and NOTE not in text
    assert "Sam Taylor" not in text  # the practitioner's name stays local
    assert result.case_key == key.case_key(CASE) == key.case_key(" cin-448812 ")
    assert result.schema_ == 3 and result.dump()["schema"] == 3
    assert result.subject == "case" and result.calendar == "england-and-wales"
    assert result.demo is False
    assert result.status == "finalised" and result.complete and result.practitioner_present
    assert result.scale == "ofsted" and result.auditor == "Priya Shah"
    assert [s.section_id for s in result.sections] == ["smart", "contingency", "engagement"]
    assert result.overall.final is not None
    assert all(a.evidence is None for a in result.answers)
    specific = next(a for a in result.answers if a.question_id == "specific")
    assert specific.value == "partly" and "smart" in specific.tags


def test_evidence_travels_only_when_the_organisation_shares_it(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path, share=True))
    audit_id = finished_audit(ws, CASE, NOTE)
    payload, created = _outbox(ws, audit_id)
    key = load_or_create_key(ws.config.sync.resolved_key_file())
    result = graded_result(payload, created, key, share_text=True, tools=tool_lookup(ws))
    assert {a.evidence for a in result.answers} == {NOTE}
    assert CASE not in json.dumps(result.dump())


def test_text_answers_are_withheld_even_without_the_tool(workspace: Workspace) -> None:
    audit_id = finished_audit(workspace, CASE, NOTE, tool_id="case-file-audit")
    payload, created = _outbox(workspace, audit_id)
    key = load_or_create_key(workspace.config.sync.resolved_key_file())
    typed = {
        a["question_id"]
        for a in payload["answers"]
        if a["value"] == "Free text typed by the auditor."
    }
    for tools in (tool_lookup(workspace), None):
        result = graded_result(payload, created, key, False, tools)
        assert "Free text typed by the auditor." not in json.dumps(result.dump())
        withheld = {a.question_id for a in result.answers if a.withheld}
        assert typed <= withheld
    assert typed, "case-file-audit has text questions to withhold"


def test_the_model_refuses_what_it_does_not_know_and_reads_schema_1(
    workspace: Workspace,
) -> None:
    audit_id = finished_audit(workspace, CASE, NOTE)
    payload, created = _outbox(workspace, audit_id)
    record = result_record(
        payload, created, load_or_create_key(workspace.config.sync.resolved_key_file()), False
    )
    GradedResult.model_validate(record)
    # A schema-1 record (written before demo audits were marked) is still read: a real audit.
    old = {k: v for k, v in record.items() if k != "demo"}
    old["actions"] = [{k: v for k, v in a.items() if k != "agreed_on"} for a in record["actions"]]
    assert GradedResult.model_validate({**old, "schema": 1}).demo is False
    for broken in (
        {**record, "case_ref": CASE},
        {**record, "schema": 4},
        {**record, "demo": "yes"},
        {**record, "audit_id": "../../etc/passwd"},
        {**record, "revision": 0},
    ):
        with pytest.raises(ValidationError):
            GradedResult.model_validate(broken)


def test_schema_2_records_are_still_read_as_case_audits(workspace: Workspace) -> None:
    audit_id = finished_audit(workspace, CASE, NOTE)
    payload, created = _outbox(workspace, audit_id)
    record = result_record(payload, created, None, False)
    new_keys = {"subject", "calendar", "good_or_better"}
    old = {k: v for k, v in record.items() if k not in new_keys}
    old["sections"] = [
        {k: v for k, v in s.items() if k not in ("number", "not_applicable", "na_reason")}
        for s in record["sections"]
    ]
    old["answers"] = [
        {k: v for k, v in a.items() if k not in ("number", "computed")} for a in record["answers"]
    ]
    read = GradedResult.model_validate({**old, "schema": 2})
    assert read.subject == "case" and read.calendar is None
    assert not any(s.not_applicable for s in read.sections)
    assert not any(a.computed for a in read.answers)


def test_schema_3_carries_sections_na_computed_answers_numbers_and_worker_audits(
    workspace: Workspace,
) -> None:
    from auditui.services import audits

    audit_id = audits.start_audit(
        workspace, "worker-supervision-file", "", "", "North Locality", "Sam Taylor", True
    )
    for qid, value in [
        ("agreement_on_file", "yes"),
        ("last_supervision_on", "2026-02-27"),
        ("previous_supervision_on", "2026-01-16"),
        ("reflective", "good"),
        ("wellbeing_discussed", "yes"),
        ("development_agreed", "yes"),
    ]:
        audits.answer(workspace, audit_id, qid, value, NOTE)
    for scope in ("frequency", "quality", "overall"):
        audits.set_grade(workspace, audit_id, scope, "good", "Reflective and regular.")
    audits.finalise(workspace, audit_id)
    payload, created = _outbox(workspace, audit_id)
    key = load_or_create_key(workspace.config.sync.resolved_key_file())
    result = graded_result(payload, created, key, False, tool_lookup(workspace))
    assert result.subject == "worker" and result.case_type == "worker"
    assert result.case_key == key.case_key("Sam Taylor")  # pseudonymised like a case reference
    assert "Sam Taylor" not in json.dumps(result.dump())
    computed = {a.question_id: a.value for a in result.answers if a.computed}
    assert computed == {"days_between": 42, "within_6_weeks": "yes"}
    numbers = {a.question_id: a.number for a in result.answers}
    assert numbers["within_6_weeks"] == "1.5"

    cla = audits.start_audit(
        workspace, "case-file-audit", "CLA-1001", "CLA", "North Locality", "Sam Taylor", True
    )
    audits.set_section_na(workspace, cla, "looked_after", "Looked after last week.")
    tool = workspace.library.latest("case-file-audit")
    state = audits.load(workspace, cla)
    for qid in [q for q in state.grading.visible if q not in state.answers]:
        question = tool.question(qid)
        assert question is not None
        audits.answer(workspace, cla, qid, _value_for(workspace, tool, question, "yes"), NOTE)
    state = audits.load(workspace, cla)
    for scope in state.grading.missing_grades:
        audits.set_grade(workspace, cla, scope, "good", "Why.")
    audits.finalise(workspace, cla)
    payload, created = _outbox(workspace, cla)
    for share in (False, True):
        result = graded_result(payload, created, key, share, tool_lookup(workspace))
        looked_after = next(s for s in result.sections if s.section_id == "looked_after")
        assert looked_after.not_applicable and looked_after.final is None
        assert looked_after.na_reason == ("Looked after last week." if share else None)
        assert result.case_type == "CLA"


def test_key_file_is_made_once_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "hub-key"
    first = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path).secret == first.secret
    assert first.warning is None
    os.chmod(path, 0o644)
    assert "chmod 600" in (load_or_create_key(path).warning or "")
    path.write_text("not a key\n")
    with pytest.raises(ConfigError, match="not a key"):
        load_or_create_key(path)


def test_action_text_travels_unless_kept_local_and_demo_is_marked(workspace: Workspace) -> None:
    audit_id = finished_audit(workspace, CASE, NOTE, finalise=False)
    payload, created = _outbox(workspace, audit_id)
    payload["actions"] = [
        {"id": "a1", "owner": "Sam", "due": "2026-03-20", "status": "open", "text": "Ring school"}
    ]
    key = load_or_create_key(workspace.config.sync.resolved_key_file())
    shared = graded_result(payload, created, key, share_text=False)
    assert shared.actions[0].text == "Ring school"
    kept = graded_result(payload, created, key, share_text=False, share_action_text=False)
    assert kept.actions[0].text is None and "Ring school" not in json.dumps(kept.dump())
    assert graded_result(payload, created, key, False, demo=True).demo is True


def test_signing_key_is_made_once_owner_only_and_reused(tmp_path: Path) -> None:
    from auditui.sync.signing import load_or_create_machine_key, unseal

    path = tmp_path / "data" / "signing-key"
    first = load_or_create_machine_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = load_or_create_machine_key(path)
    assert again.public_hex == first.public_hex and first.warning is None
    sealed = first.seal("graded-result", {"a": 1})
    assert unseal(sealed, "graded-result") == ({"a": 1}, first.public_hex)
    assert "not a trust" in str(unseal(sealed, "trust"))
    os.chmod(path, 0o644)
    assert "chmod 600" in (load_or_create_machine_key(path).warning or "")
    path.write_text("not a key\n")
    with pytest.raises(ConfigError, match="not a key"):
        load_or_create_machine_key(path)
