"""The QA lead's progress learns what the auditors did, through a real folder hub.

Quinn (the QA lead) plans the month; Ann, at her own machine, starts one
planned audit and ends another, and syncs. Her sync publishes a signed
progress record per linked item; Quinn's next sync believes it (signed by
the key that signed the audit, or by a key the hub knows as Ann's) and her
``programme progress`` and ``programme show`` say started and ended. A
record signed by someone else's key is refused and counts for nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_support import TODAY, finish, lead_and_auditors, person, planned

from auditui.domain.plan_items import PlanItem
from auditui.services import programme
from auditui.services.programme_progress import progress
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.programme_records import ProgressRecord
from auditui.sync.signing import canonical, load_or_create_machine_key


@pytest.fixture
def people(tmp_path: Path, hub: Path) -> dict[str, Workspace]:
    return lead_and_auditors(tmp_path, hub)


def ann_ends_one_starts_another(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> tuple[PlanItem, PlanItem]:
    """Quinn plans the month and syncs; Ann's sync brings her two items: she ends the
    first and starts the second, and has not synced since."""
    quinn, ann = people["Quinn Lead"], people["Ann Khan"]
    planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    first, second = programme.show(ann, mine=True)
    finish(ann, programme.start_planned_audit(ann, first.id))
    programme.start_planned_audit(ann, second.id)
    return first, second


def test_the_leads_progress_hears_what_an_auditor_started_and_ended(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn, ann = people["Quinn Lead"], people["Ann Khan"]
    first, second = ann_ends_one_starts_another(people, hub, tmp_path)
    assert progress(quinn)["started"] == 0 and progress(quinn)["ended"] == 0
    run_sync(ann, str(hub))
    assert (hub / "programme" / f"progress.{first.id}.json").is_file()
    heard = run_sync(quinn, str(hub))
    assert not heard.refused, heard.refused
    report = progress(quinn, by="auditor")
    assert (report["planned"], report["started"], report["ended"]) == (4, 1, 1)
    ann_row = next(g for g in report["groups"] if g["group"] == "Ann Khan")
    assert (ann_row["started"], ann_row["ended"]) == (1, 1)
    statuses = {i.id: i.status for i in programme.show(quinn)}
    assert (statuses[first.id], statuses[second.id]) == ("ended", "started")

    # Ann ends the second; her next sync says so, and Quinn's progress follows
    finish(ann, programme.find_item(ann, second.id).audit_id or "")
    run_sync(ann, str(hub))
    run_sync(quinn, str(hub))
    assert (progress(quinn)["started"], progress(quinn)["ended"]) == (0, 2)
    assert programme.find_item(quinn, second.id).status == "ended"


def test_a_progress_record_signed_by_another_key_is_refused(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn = people["Quinn Lead"]
    made = planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    bobs = next(i for i in made.items if i.auditor == "Bob Reid")
    tom = person(tmp_path, "Tom Evans")
    tom_key = load_or_create_machine_key(tom.config.sync.resolved_signing_key_file())
    forged = ProgressRecord(
        item_id=bobs.id,
        audit_id="forged-audit-1",
        auditor="Bob Reid",
        status="finalised",
        started_on=TODAY,
        ended_on=TODAY,
    )
    path = hub / "programme" / f"progress.{bobs.id}.json"
    path.write_bytes(canonical(tom_key.seal("plan-item-progress", forged.dump())))
    report = run_sync(quinn, str(hub))
    assert any(
        f"programme/progress.{bobs.id}.json: signed by key" in r and "Bob Reid" in r
        for r in report.refused
    ), report.refused
    assert progress(quinn)["ended"] == 0
    assert programme.find_item(quinn, bobs.id).status == "planned"


def test_an_item_given_to_someone_else_leaves_the_old_auditors_list_unless_started(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn, ann, bob = people["Quinn Lead"], people["Ann Khan"], people["Bob Reid"]
    planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    waiting, begun = programme.show(ann, mine=True)
    started = programme.start_planned_audit(ann, begun.id)
    for item in (waiting, begun):
        programme.assign(quinn, item.id, "Bob Reid")
    run_sync(quinn, str(hub))
    report = run_sync(ann, str(hub))
    mine = {i.id for i in programme.show(ann, mine=True)}
    assert waiting.id not in mine and waiting.id not in {i.id for i in programme.show(ann)}
    assert any(
        f"Plan item {waiting.id[:8]} was given to Bob Reid; it is no longer on your list" in w
        for w in report.warnings
    ), report.warnings
    assert begun.id in mine, "a started item stays, with its audit"
    assert programme.find_item(ann, begun.id).audit_id == started
    assert any(
        f"Plan item {begun.id[:8]} was given to Bob Reid, but you have started its audit" in w
        for w in report.warnings
    )
    run_sync(bob, str(hub))
    assert {waiting.id, begun.id} <= {i.id for i in programme.show(bob, mine=True)}
    # the lead's own plan is untouched by her sync
    assert {i.auditor for i in programme.show(quinn) if i.id in (waiting.id, begun.id)} == {
        "Bob Reid"
    }


def test_the_leads_sync_says_how_many_plan_items_it_published(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn = people["Quinn Lead"]
    made = planned(quinn, tmp_path)
    report = run_sync(quinn, str(hub))
    assert f"4 plan items or allocations published to {hub}." in report.warnings
    assert report.summary().startswith(f"Published 4 plan items or allocations to {hub};")
    again = run_sync(quinn, str(hub))
    assert not any("published" in w for w in again.warnings), again.warnings
    programme.assign(
        quinn, made.items[0].id, "Ann Khan" if made.items[0].auditor != "Ann Khan" else "Bob Reid"
    )
    moved = run_sync(quinn, str(hub))
    assert f"1 plan item or allocation published to {hub}." in moved.warnings


def test_an_auditor_whose_name_is_typed_in_other_case_still_gets_their_items(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn = people["Quinn Lead"]
    made = planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    ann = person(tmp_path / "lower", "ann khan")
    shutil.copyfile(
        people["Ann Khan"].config.sync.resolved_key_file(), ann.config.sync.resolved_key_file()
    )
    run_sync(ann, str(hub))
    theirs = {i.id for i in made.items if i.auditor == "Ann Khan"}
    assert {i.id for i in programme.show(ann, mine=True)} == theirs
    run_sync(ann, str(hub))
    assert {i.id for i in programme.show(ann, mine=True)} == theirs, "not dropped as another's"


def test_the_progress_screen_shows_what_the_leads_sync_heard(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    import asyncio

    from screen_support import screen_text

    from auditui.services.programme_progress import forum_line
    from auditui.tui.run import make_app
    from auditui.tui.screens.programme_progress import ProgrammeProgressScreen

    quinn, ann = people["Quinn Lead"], people["Ann Khan"]
    first, second = ann_ends_one_starts_another(people, hub, tmp_path)
    run_sync(ann, str(hub))
    run_sync(quinn, str(hub))
    heard = progress(quinn, f"{TODAY:%Y-%m}")
    assert (heard["started"], heard["ended"]) == (1, 1)

    async def scenario() -> None:
        app = make_app(quinn)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("P")
            await pilot.pause()
            assert isinstance(app.screen, ProgrammeProgressScreen)
            shown = screen_text(app).replace("\n", " ")
            assert forum_line(heard) in shown
            assert "1 of 4 planned audits ended (25.0%), 1 in progress" in shown

    asyncio.run(scenario())


def test_a_new_auditors_first_draft_counts_once_their_audit_or_the_lead_vouches(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    """Bob has no audit in the hub yet, so nothing says his key is Bob's: his started item is
    refused (with the reason) until the lead's trust file allows his key for the team."""
    from sync_support import trust_for_completions

    quinn, bob = people["Quinn Lead"], people["Bob Reid"]
    made = planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    run_sync(bob, str(hub))
    [first, *_] = programme.show(bob, mine=True)
    programme.start_planned_audit(bob, first.id)
    run_sync(bob, str(hub))
    report = run_sync(quinn, str(hub))
    assert any(
        f"progress.{first.id}.json" in r and "believed once that audit is in the hub" in r
        for r in report.refused
    ), report.refused
    assert progress(quinn)["started"] == 0
    team = next(i.team for i in made.items if i.id == first.id)
    lead_root = quinn.config.sync.resolved_signing_key_file().parent
    trust_for_completions(str(hub), bob, [team], lead_root=lead_root)
    again = run_sync(quinn, str(hub))
    assert not any(f"progress.{first.id}.json" in r for r in again.refused), again.refused
    assert progress(quinn)["started"] == 1


_FIELD = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.sampled_from(
        ["draft", "finalised", "closed_incomplete", "2026-02-30", f"{TODAY}", "x1", "Bob Reid"]
    ),
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            k: _FIELD
            for k in (
                "schema",
                "item_id",
                "audit_id",
                "auditor",
                "status",
                "started_on",
                "ended_on",
                "extra",
            )  # fmt: skip
        },
    )
)
def test_a_signed_progress_record_of_any_shape_is_refused_or_believed_never_raised(
    people: dict[str, Workspace], hub: Path, record: dict[str, object]
) -> None:
    """Signed by the lead's own key (so only its shape is judged), for an item the hub does
    not hold: refused with the file named, and Quinn's counts unchanged."""
    quinn = people["Quinn Lead"]
    key = load_or_create_machine_key(quinn.config.sync.resolved_signing_key_file())
    folder = hub / "programme"
    folder.mkdir(exist_ok=True)
    path = folder / "progress.x1.json"
    path.write_bytes(canonical(key.seal("plan-item-progress", record)))
    report = run_sync(quinn, str(hub))
    assert any("programme/progress.x1.json" in r for r in report.refused), report.refused
    assert progress(quinn)["planned"] == 0
    path.unlink()
