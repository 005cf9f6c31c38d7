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
    assert result.schema_ == 4 and result.dump()["schema"] == 4
    assert result.themes.strengths == result.themes.development == ()  # none recorded
    assert result.moderation is None  # not a moderation
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
        {**record, "schema": 5},
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


def _answer_all_and_finalise(ws: Workspace, audit_id: str) -> None:
    from auditui.services import audits

    state = audits.load(ws, audit_id)
    tool = state.tool
    for _ in range(len(tool.questions) + 1):
        state = audits.load(ws, audit_id)
        todo = [q for q in state.grading.visible if q not in state.answers]
        todo = [q for q in todo if q not in state.grading.computed]
        if not todo:
            break
        question = tool.question(todo[0])
        assert question is not None
        audits.answer(ws, audit_id, question.id, _value_for(ws, tool, question, "yes"), NOTE)
    state = audits.load(ws, audit_id)
    for scope in state.grading.missing_grades:
        audits.set_grade(ws, audit_id, scope, tool.scale_def.grades[1], "Written analysis.")
    audits.finalise(ws, audit_id)


def test_schema_4_carries_the_themes_the_findings_raise(workspace: Workspace) -> None:
    from auditui.store.themes import set_themes
    from auditui.sync.result_extras import result_extras

    audit_id = finished_audit(workspace, CASE, NOTE, finalise=False)
    with workspace.store.transaction() as conn:
        set_themes(conn, audit_id, "strengths", ["Voice of the child", "Chronology"], "now")
        set_themes(conn, audit_id, "development", ["SMART planning"], "now")
    payload, created = _outbox(workspace, audit_id)
    key = load_or_create_key(workspace.config.sync.resolved_key_file())
    extras = result_extras(workspace.store, [audit_id, "no-such-audit"])
    assert set(extras) == {audit_id}
    result = graded_result(payload, created, key, False, extras=extras[audit_id])
    assert result.themes.strengths == ("Voice of the child", "Chronology")
    assert result.themes.development == ("SMART planning",)
    assert result.dump()["themes"] == {
        "strengths": ["Voice of the child", "Chronology"],
        "development": ["SMART planning"],
    }
    assert result.moderation is None
    # A snapshot that carries its own themes is taken first (the revision's own).
    own = {**payload, "themes": {"development": ["Drift and delay"]}}
    taken = graded_result(own, created, key, False, extras=extras[audit_id])
    assert taken.themes.strengths == () and taken.themes.development == ("Drift and delay",)


def test_a_moderation_names_the_audit_it_moderates_and_the_agreed_grade(
    tmp_path: Path, workspace: Workspace
) -> None:
    from auditui.services import moderation, moderation_review
    from auditui.sync.result_extras import result_extras

    original = finished_audit(workspace, CASE, NOTE)
    [allocation] = moderation.sample(workspace, "2026-03", 100, moderators=["Bob Reed"], seed="1")
    bob = open_workspace(workspace.store.path, make_config(tmp_path, user="Bob Reed"))
    try:
        again = moderation.start_moderation(bob, allocation.id)
        _answer_all_and_finalise(bob, again)
        key = load_or_create_key(bob.config.sync.resolved_key_file())
        payload, created = _outbox(bob, again)
        before = graded_result(
            payload, created, key, False, extras=result_extras(bob.store, [again])[again]
        )
        assert before.kind == "moderation" and before.moderation is not None
        assert before.moderation.moderates == original
        assert before.moderation.agreed_grade is None and before.moderation.agreed_at is None
        moderation_review.agree(bob, allocation.id, "good", "We looked at the plan again.")
        extras = result_extras(bob.store, [again, original])
        assert set(extras) == {again}  # the original is not a moderation
        after = graded_result(payload, created, key, False, extras=extras[again])
        assert after.moderation is not None
        assert (after.moderation.agreed_grade, after.moderation.agreed_by) == ("good", "Bob Reed")
        assert after.moderation.agreed_at is not None
        text = json.dumps(after.dump())
        assert "We looked at the plan again." not in text  # the reason is free text: local
        assert GradedResult.model_validate(after.dump()) == after  # what a hub reads back
    finally:
        bob.close()


def test_schema_3_records_are_still_read_with_no_themes_and_no_moderation(
    workspace: Workspace,
) -> None:
    audit_id = finished_audit(workspace, CASE, NOTE)
    payload, created = _outbox(workspace, audit_id)
    record = result_record(payload, created, None, False)
    old = {k: v for k, v in record.items() if k not in ("themes", "moderation")}
    read = GradedResult.model_validate({**old, "schema": 3})
    assert read.schema_ == 3 and read.moderation is None
    assert read.themes.strengths == read.themes.development == ()


def test_schema_4_refuses_themes_and_moderations_it_cannot_believe(workspace: Workspace) -> None:
    audit_id = finished_audit(workspace, CASE, NOTE)
    payload, created = _outbox(workspace, audit_id)
    record = result_record(payload, created, None, False)
    link = {"moderates": "a1b2c3", "agreed_grade": None, "agreed_by": None, "agreed_at": None}
    moderation_kind = {**record, "kind": "moderation"}
    assert GradedResult.model_validate({**moderation_kind, "moderation": link}).moderation
    for broken in (
        {**record, "themes": {"strengths": ["Chronology", "Chronology"]}},
        {**record, "themes": {"development": [""]}},
        {**record, "themes": {"development": ["SMART\x1b[31m planning"]}},
        {**record, "themes": {"development": ["Drift\x00"]}},  # no hub could store it
        {**record, "themes": {"strengths": ["\ud800"]}},
        {**record, "themes": {"development": ["x" * 201]}},
        {**record, "themes": {"development": [f"theme {n}" for n in range(101)]}},
        {**record, "themes": {"development": "Chronology"}},
        {**record, "themes": {"strengths": [], "evidence": ["typed words"]}},
        {**record, "moderation": link},  # a case-file audit moderates nothing
        {**moderation_kind, "moderation": {**link, "moderates": audit_id}},
        {**moderation_kind, "moderation": {**link, "moderates": "../etc"}},
        {**moderation_kind, "moderation": {**link, "agreed_grade": "good"}},  # no time
        {**moderation_kind, "moderation": {**link, "agreed_reason": "typed words"}},
    ):
        with pytest.raises(ValidationError):
            GradedResult.model_validate(broken)
