"""Safeguarding concerns through a real folder hub, with the forgeries an attacker could make.

Priya (an auditor) records a concern on a draft audit; her next sync takes it
to the hub; Maria (the team manager, trusted by the QA lead for Priya's team)
reads it over the hub, acknowledges and responds; Priya's next sync brings
the response home. Tom (a colleague with write access to the share, trusted
for nothing) tries to answer, forge and edit concerns by writing files.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_support import finished_audit, person, trust_for_completions

from auditui.errors import HubError, InvalidAnswerError, StateError
from auditui.services import audits, concerns
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.concern_records import ConcernRecord, ConcernReply, reply_file_name
from auditui.sync.signing import canonical, load_or_create_machine_key

TEAM = "North Locality"


@pytest.fixture
def priya(tmp_path: Path) -> Workspace:
    return person(tmp_path, "Priya Shah")


@pytest.fixture
def maria(tmp_path: Path) -> Workspace:
    return person(tmp_path, "Maria Lopez")


@pytest.fixture
def tom(tmp_path: Path) -> Workspace:
    return person(tmp_path, "Tom Evans")


def draft(ws: Workspace, case: str = "CIN-9") -> str:
    return audits.start_audit(ws, "smart-plans", case, "CP", TEAM, "Sam Taylor", True)


def raised(priya: Workspace, hub: Path) -> str:
    audit_id = draft(priya)
    concern = concerns.raise_concern(
        priya, audit_id, "Child left alone overnight; no safety plan.", "Maria Lopez"
    )
    report = run_sync(priya, str(hub))
    assert any("1 safeguarding concern sent" in w for w in report.warnings)
    return concern.id


def key_of(ws: Workspace) -> Any:
    return load_or_create_machine_key(ws.config.sync.resolved_signing_key_file())


def on_hub(ws: Workspace, hub: Path) -> dict[str, concerns.ConcernView]:
    return {c.id: c for c in concerns.list_concerns(ws, hub=str(hub))}


def test_a_concern_on_a_draft_is_recorded_at_once_and_reaches_the_hub(
    priya: Workspace, maria: Workspace, hub: Path
) -> None:
    audit_id = draft(priya)
    concern = concerns.raise_concern(priya, audit_id, "  Bruises seen on the child.  ", "Maria")
    assert [c.id for c in concerns.list_concerns(priya, open_only=True)] == [concern.id]
    assert concern.text == "Bruises seen on the child."
    assert (concern.raised_by, concern.raised_with, concern.status) == (
        "Priya Shah",
        "Maria",
        "open",
    )
    assert concern.team == TEAM
    assert audits.load(priya, audit_id).audit.status == "draft"

    run_sync(priya, str(hub))
    seen = on_hub(maria, hub)[concern.id]
    assert (seen.text, seen.audit_id, seen.raised_with) == (concern.text, audit_id, "Maria")
    assert seen.status == "open"
    again = run_sync(priya, str(hub))
    assert not any("concern" in w for w in again.warnings), "sent once per hub"


def test_the_managers_response_reaches_the_auditor_on_her_next_sync(
    priya: Workspace, maria: Workspace, hub: Path
) -> None:
    concern_id = raised(priya, hub)
    with pytest.raises(HubError, match="hub trust"):
        concerns.acknowledge(maria, concern_id, hub=str(hub))
    trust_for_completions(str(hub), maria, [TEAM])

    acked = concerns.acknowledge(maria, concern_id[:8], hub=str(hub))
    assert acked.status == "acknowledged"
    closed = concerns.respond(maria, concern_id, "Strategy discussion held; child safe.", str(hub))
    assert (closed.status, closed.responded_by) == ("closed", "Maria Lopez")
    with pytest.raises(StateError, match="closed"):
        concerns.respond(maria, concern_id, "Again", str(hub))

    report = run_sync(priya, str(hub))
    assert any("Maria Lopez responded" in w for w in report.warnings), report.warnings
    mine = concerns.list_concerns(priya)[0]
    assert mine.outcome == "Strategy discussion held; child safe."
    assert (mine.status, mine.responded_by) == ("closed", "Maria Lopez")
    assert mine.acknowledged_at == acked.acknowledged_at
    assert concerns.list_concerns(priya, open_only=True) == []

    from auditui.services.report_pack import build_pack

    today = dt.datetime.now(dt.UTC).date()
    counted = build_pack(maria, today - dt.timedelta(days=7), today, hub=str(hub))
    assert counted.figures["concerns"]["raised"] == 1
    assert counted.figures["concerns"]["closed"] == 1
    assert "Strategy discussion" not in repr(counted), "a concern's words never reach a report"


def test_a_reply_from_an_untrusted_key_is_refused_everywhere(
    priya: Workspace, tom: Workspace, hub: Path
) -> None:
    concern_id = raised(priya, hub)
    with pytest.raises(HubError, match="may not respond"):
        concerns.respond(tom, concern_id, "Nothing to see", str(hub))
    forged = ConcernReply(
        concern_id=concern_id,
        kind="response",
        at=dt.datetime.now(dt.UTC),
        by="Maria Lopez",
        outcome="Closed, no concerns.",
    )
    path = hub / "concerns" / reply_file_name(forged)
    path.write_bytes(canonical(key_of(tom).seal("concern-reply", forged.dump())))

    assert on_hub(priya, hub)[concern_id].status == "open"
    report = run_sync(priya, str(hub))
    assert any("does not allow" in r for r in report.refused), report.refused
    assert concerns.list_concerns(priya)[0].outcome is None


def test_an_edited_concern_and_an_impossible_reply_are_not_believed(
    priya: Workspace, maria: Workspace, hub: Path
) -> None:
    concern_id = raised(priya, hub)
    trust_for_completions(str(hub), maria, [TEAM])
    early = ConcernReply(
        concern_id=concern_id,
        kind="response",
        at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        by="Maria Lopez",
        outcome="Done long ago.",
    )
    (hub / "concerns" / reply_file_name(early)).write_bytes(
        canonical(key_of(maria).seal("concern-reply", early.dump()))
    )
    assert on_hub(maria, hub)[concern_id].status == "open"

    path = hub / "concerns" / f"{concern_id}.json"
    sealed = json.loads(path.read_bytes())
    sealed["record"]["text"] = "Nothing of concern."
    path.write_bytes(canonical(sealed))
    assert concern_id not in on_hub(maria, hub)
    report = run_sync(priya, str(hub))  # the owner's sync puts her own record back
    assert any("does not match its content" in r for r in report.refused), report.refused
    assert on_hub(maria, hub)[concern_id].text.startswith("Child left alone")


def test_a_concern_forged_for_someone_elses_audit_is_refused(
    priya: Workspace, tom: Workspace, hub: Path
) -> None:
    audit_id = finished_audit(priya, "CIN-1", "note")
    run_sync(priya, str(hub))
    forged = ConcernRecord(
        concern_id="forged-1",
        audit_id=audit_id,
        team=TEAM,
        text="Invented concern",
        raised_with="",
        raised_by="Priya Shah",
        raised_at=dt.datetime.now(dt.UTC),
    )
    (hub / "concerns").mkdir(exist_ok=True)
    (hub / "concerns" / "forged-1.json").write_bytes(
        canonical(key_of(tom).seal("concern", forged.dump()))
    )
    assert "forged-1" not in on_hub(tom, hub)


def test_typed_fields_are_bounded_and_nothing_is_recorded_when_refused(
    priya: Workspace,
) -> None:
    audit_id = draft(priya)
    with pytest.raises(InvalidAnswerError, match="--text"):
        concerns.raise_concern(priya, audit_id, "x" * 20_001)
    with pytest.raises(InvalidAnswerError, match="--text"):
        concerns.raise_concern(priya, audit_id, "   ")
    with pytest.raises(InvalidAnswerError, match="--raised-with"):
        concerns.raise_concern(priya, audit_id, "Concern", "Maria\x1b[31m")
    with pytest.raises(InvalidAnswerError, match="--raised-with"):
        concerns.raise_concern(priya, audit_id, "Concern", "M" * 201)
    assert concerns.list_concerns(priya) == []
    concern = concerns.raise_concern(priya, audit_id, "Concern")
    with pytest.raises(InvalidAnswerError, match="--outcome"):
        concerns.respond(priya, concern.id, "y" * 20_001)
    assert concerns.list_concerns(priya)[0].status == "open"


def test_hostile_files_in_concerns_are_refused_with_a_reason(
    priya: Workspace, maria: Workspace, hub: Path
) -> None:
    import os

    concern_id = raised(priya, hub)
    folder = hub / "concerns"
    os.mkfifo(folder / "pipe-1.json")
    (folder / "huge-1.json").write_bytes(b"{" + b" " * (200 * 1024) + b"}")
    (folder / "junk-1.json").write_bytes(b"\xff\xfe not json")
    (folder / "deep-1.json").write_bytes(b"[" * 100_000)
    os.symlink("/etc/passwd", folder / "link-1.json")
    (folder / "x.ack.0123456789abcdef.json").write_bytes(b'{"kind": "trust"}')
    seen = on_hub(maria, hub)
    assert list(seen) == [concern_id]
    from auditui.sync.concern_records import read_concerns
    from auditui.sync.folder import FolderHub

    folder_hub = FolderHub.open(hub, signing_key=maria.config.sync.resolved_signing_key_file())
    refused = dict(read_concerns(folder_hub, dt.datetime.now(dt.UTC)).refused)
    assert "named pipe" in refused["concerns/pipe-1.json"]
    assert "larger than" in refused["concerns/huge-1.json"]
    assert "UTF-8" in refused["concerns/junk-1.json"]
    assert "nested too deeply" in refused["concerns/deep-1.json"] or (
        "not signed" in refused["concerns/deep-1.json"]
    )
    assert "link" in refused["concerns/link-1.json"]
    assert "not signed" in refused["concerns/x.ack.0123456789abcdef.json"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    record=st.dictionaries(
        st.sampled_from(
            ["schema", "concern_id", "audit_id", "team", "text", "raised_with", "raised_by",
             "raised_at", "demo", "extra"]
        ),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30),
                  st.lists(st.integers(), max_size=3)),
    ),
    kind=st.sampled_from(["concern", "concern-reply", "trust"]),
)  # fmt: skip
def test_fuzz_any_signed_record_is_believed_or_refused_never_an_error(
    tmp_path_factory: pytest.TempPathFactory, record: dict[str, Any], kind: str
) -> None:
    from auditui.sync.concern_records import read_concerns
    from auditui.sync.folder import FolderHub

    root = tmp_path_factory.mktemp("fuzz") / "hub"
    root.mkdir()
    key_file = root.parent / "signing-key"
    hub = FolderHub.open(root, signing_key=key_file, mark_empty=True)
    (root / "concerns").mkdir()
    key = load_or_create_machine_key(key_file)
    (root / "concerns" / "c-1.json").write_bytes(canonical(key.seal(kind, record)))
    (root / "concerns" / "c-1.response.0123456789abcdef.json").write_bytes(
        canonical(key.seal(kind, record))
    )
    hub.index_path = root.parent / "index.db"
    seen = read_concerns(hub, dt.datetime.now(dt.UTC))
    assert len(seen.concerns) + len(seen.refused) >= 1
    for name, reason in seen.refused:
        assert name.startswith("concerns/") and reason
