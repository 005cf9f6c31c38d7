"""A moderation drawn from a folder hub's results: its tool version and case details.

The QA lead's machine does not hold the auditors' audits, so an audit drawn
from the hub has no case reference there until the original auditor's
machine sends it, sealed. The allocation still carries the tool version the
audit was made with (the graded result says it), a re-audit asked for too
early is refused in one sentence saying whose machine and which syncs bring
the details, and an audit the hub lists that this machine holds itself (a
demo hub's demo audits, as `auditui demo --hub DIR` makes them) takes its
details from here. The reviewer once met "Audit tool 'private-fostering'
has no version 0 loaded." on every row.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import TODAY, finished_audit, lead_makes_hub, person, share_organisation_key

from auditui.errors import StateError
from auditui.services import audits, moderation
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace

TEAM = "North Locality"
MONTH = f"{TODAY:%Y-%m}"


def _lead_and_ann(tmp_path: Path, hub: Path) -> tuple[Workspace, Workspace]:
    quinn = person(tmp_path, "Quinn Lead", target=str(hub))
    ann = person(tmp_path, "Ann Khan")
    lead_makes_hub(hub, quinn, "Quinn")
    share_organisation_key(quinn, [ann])
    return quinn, ann


def test_an_audit_drawn_from_the_hub_keeps_its_tool_version_and_an_early_start_says_why(
    tmp_path: Path, hub: Path
) -> None:
    quinn, ann = _lead_and_ann(tmp_path, hub)
    original = finished_audit(ann, "CF0200", "Seen at school.", team=TEAM)
    version = audits.load(ann, original).audit.tool_version
    run_sync(ann, str(hub))
    [allocation] = moderation.sample(quinn, MONTH, 100, moderators=["Quinn Lead"], seed="4")
    assert allocation.tool_version == version, "the graded result says which version"
    assert not allocation.details_here, "no case details on the lead's machine yet"
    with pytest.raises(StateError) as refused:
        moderation.start_moderation(quinn, original)
    message = refused.value.message
    assert "version 0" not in message
    assert "Ann Khan's machine" in message and "next sync" in message, message
    assert "Nothing was started" in message
    held = quinn.store.query("SELECT count(*) AS n FROM audits WHERE kind = 'moderation'")
    assert held[0]["n"] == 0


def test_a_demo_hubs_audits_held_here_are_moderated_with_their_own_case_details(
    tmp_path: Path, hub: Path
) -> None:
    """`auditui demo --hub DIR` then `moderation sample`: the demo audits are this machine's
    own, so their case details and tool versions are here (a demo hub carries no programme:
    no other machine would ever send them)."""
    from auditui.services.demo import generate_demo

    quinn = person(tmp_path, "Quinn Lead", target=str(hub))
    generate_demo(quinn, 40, seed=9)
    run_sync(quinn, str(hub), demo_hub=True)
    ended = quinn.store.query(
        "SELECT substr(ended_on, 1, 7) AS month, count(*) AS n FROM audits"
        " WHERE status IN ('finalised', 'closed_incomplete') AND kind <> 'moderation'"
        " GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    )[0]
    picked = moderation.sample(quinn, ended["month"], 100, moderators=["Quinn Lead"], seed="1")
    assert len(picked) == ended["n"]
    first = picked[0]
    local = audits.load(quinn, first.audit_id).audit
    assert (first.case_ref, first.tool_version) == (local.case_ref, local.tool_version)
    again = moderation.start_moderation(quinn, first.id)
    started = audits.load(quinn, again).audit
    assert (started.case_ref, started.tool_version, started.kind) == (
        local.case_ref,
        local.tool_version,
        "moderation",
    )


def test_a_practitioner_file_audit_drawn_from_the_hub_gets_its_details_at_the_leads_machine(
    tmp_path: Path, hub: Path
) -> None:
    """An audit of a practitioner's own file has no case reference; its details are the
    practitioner, and they fill the lead's allocation in when Ann's machine sends them."""
    quinn, ann = _lead_and_ann(tmp_path, hub)
    original = audits.start_audit(
        ann, "worker-supervision-file", "", "", TEAM, "Robin Davies", True
    )
    _finish(ann, original)
    run_sync(ann, str(hub))
    [allocation] = moderation.sample(quinn, MONTH, 100, moderators=["Quinn Lead"], seed="4")
    assert not allocation.details_here
    with pytest.raises(StateError, match="Ann Khan's machine sends them"):
        moderation.start_moderation(quinn, original)
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    run_sync(quinn, str(hub))
    [allocation] = moderation.show(quinn)
    assert allocation.details_here and allocation.practitioner == "Robin Davies"
    again = moderation.start_moderation(quinn, original)
    started = audits.load(quinn, again).audit
    assert (started.case_ref, started.practitioner, started.tool_id) == (
        "",
        "Robin Davies",
        "worker-supervision-file",
    )


def _finish(ws: Workspace, audit_id: str) -> None:
    """Answer every shown question a person answers (computed ones answer themselves) and
    accept every suggested grade, then finalise."""
    from sync_support import _value_for

    for _ in range(200):
        state = audits.load(ws, audit_id)
        tool = ws.library.get(state.audit.tool_id, state.audit.tool_version)
        todo = [
            q
            for q in state.grading.visible
            if q not in state.answers and not getattr(tool.question(q), "computed", False)
        ]
        if not todo:
            break
        question = tool.question(todo[0])
        assert question is not None
        audits.answer(ws, audit_id, question.id, _value_for(ws, tool, question, "yes"), "Seen.")
    for scope in ["overall", *(section.id for section in tool.sections)]:
        state = audits.load(ws, audit_id)
        grade = state.grading.overall if scope == "overall" else state.grading.sections[scope]
        chosen = grade.suggested or tool.scale_def.grades[1]
        audits.set_grade(ws, audit_id, scope, chosen, "As the answers show.")
    audits.finalise(ws, audit_id, on=ws.today())


def test_the_leads_list_of_every_moderation_gets_the_details_of_those_she_gave_others(
    tmp_path: Path, hub: Path
) -> None:
    """Her `o` list showed "to come" for good: only a moderator's or auditor's sync took the
    details home, though the lead holds the organisation key and made the allocation."""
    quinn, ann = _lead_and_ann(tmp_path, hub)
    original = finished_audit(ann, "CF0300", "Seen at home.", team=TEAM)
    run_sync(ann, str(hub))
    moderation.sample(quinn, MONTH, 100, moderators=["Bob Reid"], seed="4")
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    run_sync(quinn, str(hub))
    [allocation] = moderation.show(quinn)
    assert (allocation.audit_id, allocation.moderator) == (original, "Bob Reid")
    assert allocation.details_here and allocation.case_ref == "CF0300"


def test_the_list_says_which_audits_wait_for_their_case_details(tmp_path: Path, hub: Path) -> None:
    quinn, ann = _lead_and_ann(tmp_path, hub)
    finished_audit(ann, "CF0400", "Seen at home.", team=TEAM)
    run_sync(ann, str(hub))
    moderation.sample(quinn, MONTH, 100, moderators=["Quinn Lead"], seed="4")
    words = moderation.waiting_words(moderation.show(quinn))
    assert words.startswith("1 audit drawn from the hub waits for its case details"), words
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    run_sync(quinn, str(hub))
    assert moderation.waiting_words(moderation.show(quinn)) == ""
