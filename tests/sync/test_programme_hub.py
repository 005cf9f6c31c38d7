"""The audit programme through a real folder hub, three people at their own machines.

Quinn (the QA lead, whose key hub.json names) plans the month and samples
ended audits for moderation; her sync publishes both, the case references
sealed with the organisation key. Ann's and Bob's syncs bring home what is
theirs: Ann her planned audits, Bob the audit he is to moderate. Bob
re-audits blind, agrees a grade, and his sync sends it; Quinn, the original
auditor, sees it after her next sync. Tom (write access to the share, not
the lead) forges a plan item; nobody believes it. A reader without the
organisation key sees pseudonyms only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_support import (
    TODAY,
    finish,
    finished_audit,
    lead_and_auditors,
    person,
    planned,
    trust_for_completions,
)

from auditui.services import moderation, moderation_review, programme
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.case_seal import CaseSeal
from auditui.sync.programme_records import PlanItemRecord
from auditui.sync.pseudonym import load_or_create_key
from auditui.sync.signing import canonical, load_or_create_machine_key

TEAM = "North Locality"
MONTH = f"{TODAY:%Y-%m}"


@pytest.fixture
def people(tmp_path: Path, hub: Path) -> dict[str, Workspace]:
    """Quinn made the hub; the organisation's key file is installed on every auditor's machine."""
    return lead_and_auditors(tmp_path, hub)


def _signing(ws: Workspace) -> Path:
    return ws.config.sync.resolved_signing_key_file()


def hub_text(hub: Path) -> str:
    return "\n".join(p.read_text() for p in sorted(hub.rglob("*.json")) if p.is_file())


def test_each_auditor_gets_their_own_planned_audits_and_the_hub_never_holds_a_case_ref(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn, ann, bob = people["Quinn Lead"], people["Ann Khan"], people["Bob Reid"]
    made = planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    text = hub_text(hub)
    assert len(list((hub / "programme").glob("plan.*.json"))) == 4
    for item in made.items:
        assert item.case_ref not in text, "a planned case reference is sealed in the hub"
        assert item.practitioner not in text
    organisation = load_or_create_key(quinn.config.sync.resolved_key_file())
    assert organisation.case_key(made.items[0].case_ref) in text  # the pseudonym, for readers

    report = run_sync(ann, str(hub))
    assert any("2 planned audits or moderations received" in w for w in report.warnings)
    theirs = {i.id: i for i in made.items if i.auditor == "Ann Khan"}
    got = programme.show(ann, mine=True)
    assert {i.id: (i.case_ref, i.practitioner, i.team) for i in got} == {
        i.id: (i.case_ref, i.practitioner, i.team) for i in theirs.values()
    }
    assert programme.show(ann) == got, "Bob's items stay off Ann's machine"
    again = run_sync(ann, str(hub))
    assert not any("received" in w for w in again.warnings), "received once"
    # Ann starts her planned audit with the case details filled in
    audit_id = programme.start_planned_audit(ann, got[0].id)
    assert programme.find_item(ann, got[0].id).status == "started"
    assert programme.find_item(ann, got[0].id).audit_id == audit_id

    # Quinn re-allocates one of Bob's items to Ann; Ann's next sync brings it
    bobs = next(i for i in made.items if i.auditor == "Bob Reid")
    programme.assign(quinn, bobs.id, "Ann Khan")
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    assert bobs.id in {i.id for i in programme.show(ann, mine=True)}
    run_sync(bob, str(hub))
    assert {i.auditor for i in programme.show(bob)} == {"Bob Reid"}


def test_a_plan_item_not_signed_by_the_qa_lead_is_refused(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn, ann = people["Quinn Lead"], people["Ann Khan"]
    planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    tom = person(tmp_path, "Tom Evans")
    tom_key = load_or_create_machine_key(_signing(tom))
    seal = CaseSeal.of(load_or_create_key(quinn.config.sync.resolved_key_file()))
    forged = PlanItemRecord(
        id="forged-item-1",
        plan_id="forged-plan",
        month=MONTH,
        case_ref=seal.seal("CF9999", "forged-item-1"),
        case_key="0" * 64,
        case_type="CP",
        team=TEAM,
        practitioner=None,
        tool="smart-plans",
        kind="case_file",
        auditor="Ann Khan",
        planned_by="Quinn Lead",
    )
    path = hub / "programme" / "plan.forged-item-1.json"
    path.write_bytes(canonical(tom_key.seal("plan-item", forged.dump())))
    (hub / "programme" / "plan.garbage.json").write_text("{not json")
    report = run_sync(ann, str(hub))
    assert any(
        "programme/plan.forged-item-1.json: signed by key" in r and "not by the QA lead" in r
        for r in report.refused
    ), report.refused
    assert any("programme/plan.garbage.json" in r for r in report.refused)
    assert "forged-item-1" not in {i.id for i in programme.show(ann)}
    assert len(programme.show(ann)) == 2


def test_an_auditor_without_the_organisation_key_cannot_open_a_plan(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn = people["Quinn Lead"]
    planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    # the same name at a machine whose organisation key file is another one
    stranger_home = tmp_path / "elsewhere"
    stranger_home.mkdir()
    other = person(stranger_home, "Ann Khan")
    report = run_sync(other, str(hub))
    assert any("do not open with this organisation's key file" in r for r in report.refused)
    assert programme.show(other) == []


def test_moderation_travels_blind_and_the_agreed_grade_reaches_the_original_auditor(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn, bob = people["Quinn Lead"], people["Bob Reid"]
    original = finished_audit(quinn, "CF0100", "Seen at home.", team=TEAM)
    [allocation] = moderation.sample(quinn, MONTH, 100, moderators=["Bob Reid"], seed="2")
    run_sync(quinn, str(hub))
    assert "CF0100" not in hub_text(hub)

    report = run_sync(bob, str(hub))
    assert any("1 planned audit or moderation received" in w for w in report.warnings)
    [mine] = moderation.show(bob, mine=True)
    assert (mine.id, mine.audit_id, mine.auditor, mine.status) == (
        allocation.id,
        original,
        "Quinn Lead",
        "allocated",
    )
    again = moderation.start_moderation(bob, original[:8])
    with pytest.raises(Exception, match="has not ended; the original's answers and grades"):
        moderation_review.comparison(bob, original)
    finish(bob, again)
    side = moderation_review.comparison(bob, original)
    overall = side.sections[0]
    assert overall.original is not None and overall.moderated is not None
    moderation_review.agree(bob, original, "good", "Agreed at the moderation panel.")

    trust_for_completions(str(hub), bob, [TEAM], lead_root=_signing(quinn).parent)
    run_sync(bob, str(hub))
    heard = run_sync(quinn, str(hub))
    assert any("agreed grade is good (recorded by Bob Reid)" in w for w in heard.warnings)
    [seen] = moderation.show(quinn)
    assert (seen.status, seen.agreed_grade) == ("agreed", "good")
    row = moderation.find(quinn, original)
    assert row["agreed_reason"] == "Agreed at the moderation panel."


def test_a_sample_from_the_hub_gets_its_case_details_from_the_original_auditors_machine(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    ann, bob = people["Ann Khan"], people["Bob Reid"]
    original = finished_audit(ann, "CF0200", "Seen at school.", team=TEAM)
    run_sync(ann, str(hub))  # the graded result reaches the hub
    quinn = person(tmp_path, "Quinn Lead", target=str(hub))  # her machine holds no audit
    [allocation] = moderation.sample(quinn, MONTH, 100, moderators=["Bob Reid"], seed="4")
    assert (allocation.audit_id, allocation.auditor) == (original, "Ann Khan")
    run_sync(quinn, str(hub))
    run_sync(bob, str(hub))
    assert moderation.show(bob) == [], "no case details yet: Bob's machine waits"
    run_sync(ann, str(hub))  # Ann's machine sends the case details, sealed
    assert "CF0200" not in hub_text(hub)
    report = run_sync(bob, str(hub))
    assert any("1 planned audit or moderation received" in w for w in report.warnings)
    again = moderation.start_moderation(bob, original)
    from auditui.services import audits

    started = audits.load(bob, again).audit
    ann_audit = audits.load(ann, original).audit
    assert (started.case_ref, started.tool_version, started.practitioner, started.kind) == (
        "CF0200",
        ann_audit.tool_version,
        ann_audit.practitioner,
        "moderation",
    )
    finish(bob, again)
    side = moderation_review.comparison(bob, original)
    assert ann_audit.overall_grade is not None
    assert side.sections[0].original == ann_audit.overall_grade


def test_the_qa_lead_can_moderate_an_audit_she_drew_from_the_hub(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    """Her allocation, drawn from the hub's results, is held without case details until the
    original auditor's machine sends them; her next sync fills them in (it once kept the
    empty row, and the re-audit was refused: 'no version 0')."""
    ann = people["Ann Khan"]
    original = finished_audit(ann, "CF0200", "Seen at school.", team=TEAM)
    run_sync(ann, str(hub))
    quinn = person(tmp_path, "Quinn Lead", target=str(hub))
    moderation.sample(quinn, MONTH, 100, moderators=["Quinn Lead"], seed="4")
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    report = run_sync(quinn, str(hub))
    assert any("1 planned audit or moderation received" in w for w in report.warnings)
    again = moderation.start_moderation(quinn, original)
    from auditui.services import audits

    started, ann_audit = audits.load(quinn, again).audit, audits.load(ann, original).audit
    assert (started.case_ref, started.tool_version, started.practitioner) == (
        "CF0200",
        ann_audit.tool_version,
        ann_audit.practitioner,
    )
    finish(quinn, again)
    side = moderation_review.comparison(quinn, original)
    assert side.sections[0].original == ann_audit.overall_grade


def test_a_result_from_an_untrusted_moderator_is_refused(
    people: dict[str, Workspace], hub: Path
) -> None:
    quinn, bob = people["Quinn Lead"], people["Bob Reid"]
    original = finished_audit(quinn, "CF0100", "Seen at home.", team=TEAM)
    moderation.sample(quinn, MONTH, 100, moderators=["Bob Reid"], seed="2")
    run_sync(quinn, str(hub))
    run_sync(bob, str(hub))
    finish(bob, moderation.start_moderation(bob, original))
    moderation_review.agree(bob, original, "inadequate", "I say so.")
    run_sync(bob, str(hub))
    heard = run_sync(quinn, str(hub))
    assert any("trust file does not allow" in r for r in heard.refused), heard.refused
    assert moderation.show(quinn)[0].status == "allocated"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=12,
        ).map(lambda v: json.dumps(v).encode()),
    ),
    st.sampled_from(
        [
            "plan.x1.json",
            "moderation.x1.json",
            "result.x1.json",
            "reaudit.x1.json",
            "progress.x1.json",
            "odd.json",
        ]
    ),
)
def test_hostile_programme_files_are_refused_never_raised(
    people: dict[str, Workspace], hub: Path, data: bytes, name: str
) -> None:
    folder = hub / "programme"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    report = run_sync(people["Ann Khan"], str(hub))
    assert any(f"programme/{name}" in r for r in report.refused)
    assert programme.show(people["Ann Khan"]) == []
    (folder / name).unlink()


@given(st.text(max_size=200), st.text(max_size=20))
def test_a_sealed_reference_opens_only_for_its_record_and_garbage_never_opens(
    text: str, record_id: str
) -> None:
    seal = CaseSeal(bytes(range(32)))
    sealed = seal.seal(text, record_id)
    assert seal.open(sealed, record_id) == text
    assert seal.open(sealed, record_id + "x") is None
    assert seal.open(sealed, record_id) == seal.open(seal.seal(text, record_id), record_id)
    assert CaseSeal(bytes(32)).open(sealed, record_id) is None
    assert seal.open(text, record_id) is None or text.startswith("aesgcm1:")
