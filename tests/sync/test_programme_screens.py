"""The programme's screens with three people at their own machines sharing a real folder hub.

Quinn (the QA lead) plans the month and picks an ended audit of hers for
moderation; her sync publishes both. Ann's sync brings her planned audits,
which her home screen lists under "Planned for you"; Enter starts one with
the case details filled in. Bob's sync brings the audit he is to moderate:
he starts it from his list of moderations, sees nothing of Quinn's answers
or grades until his own re-audit has ended, then both side by side, and
records the agreed grade, which Quinn hears of at her next sync.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from screen_support import open_moderation_view, screen_text
from sync_support import (
    TODAY,
    finish,
    finished_audit,
    lead_and_auditors,
    planned,
    trust_for_completions,
)
from textual.widgets import DataTable, Input

from auditui.services import audits, moderation, programme
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.tui.run import make_app
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.moderation_compare import ModerationCompareScreen
from auditui.tui.screens.moderations import ModerationsScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.audit_table import AuditTable
from auditui.tui.widgets.planned_panel import PlannedPanel
from auditui.tui.widgets.planned_table import PlannedTable

TEAM = "North Locality"
MONTH = f"{TODAY:%Y-%m}"
QUINN_EVIDENCE = "Quinn's own evidence, never shown to a blind moderator."


@pytest.fixture
def people(tmp_path: Path, hub: Path) -> dict[str, Workspace]:
    """Quinn made the hub; her organisation key file is on every auditor's machine."""
    found = lead_and_auditors(tmp_path, hub, target=True)
    yield found
    for ws in found.values():
        ws.close()


def test_ann_sees_her_planned_audits_at_home_and_enter_starts_one_with_the_case_details(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    quinn, ann = people["Quinn Lead"], people["Ann Khan"]
    made = planned(quinn, tmp_path)
    run_sync(quinn, str(hub))
    run_sync(ann, str(hub))
    hers = sorted((i for i in made.items if i.auditor == "Ann Khan"), key=lambda i: i.case_ref)
    assert len(hers) == 2

    async def scenario() -> None:
        app = make_app(ann)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            panel = app.screen.query_one(PlannedPanel)
            assert panel.display and panel.region.height > 0
            for part in ("#status-tabs", "#filter-hint", "#audits", "#home-count", "KeyBar"):
                region = app.screen.query_one(part).region
                assert region.height > 0 and region.bottom <= 24, f"{part} stays in view"
            assert app.screen.query_one(AuditTable).region.height >= 5, "a few audits too"
            table = panel.table
            rows = [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]
            assert [r[0] for r in rows] == [i.case_ref for i in hers]
            assert all(r[1] == TEAM and r[2] == "smart-plans" for r in rows)
            assert all(r[3] == "planned" and r[4] == "due by 31 Mar" for r in rows)
            await pilot.press("p")
            assert isinstance(app.screen.focused, PlannedTable)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, WalkerScreen)
            started = programme.find_item(ann, hers[0].id)
            assert started.status == "started" and started.audit_id == app.screen.audit_id
            audit = audits.load(ann, started.audit_id).audit
            assert (audit.case_ref, audit.team, audit.practitioner, audit.tool_id) == (
                hers[0].case_ref,
                TEAM,
                hers[0].practitioner,
                "smart-plans",
            )
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            now = {str(r[0]): str(r[3]) for r in map(panel.table.get_row_at, range(2))}
            assert now == {hers[0].case_ref: "started", hers[1].case_ref: "planned"}
            # Enter again (the cursor stayed on it) opens the same audit; no second one.
            panel.table.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, WalkerScreen)
            assert app.screen.audit_id == started.audit_id
            assert len(audits.list_audits(ann)) == 1

    asyncio.run(scenario())


def test_quinn_with_no_plan_item_of_her_own_sees_no_planned_panel(
    people: dict[str, Workspace], tmp_path: Path
) -> None:
    quinn = people["Quinn Lead"]
    planned(quinn, tmp_path)

    async def scenario() -> None:
        app = make_app(quinn)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert not app.screen.query_one(PlannedPanel).display
            # The key bar names the `p` key "Planned for you"; the panel's title is gone.
            shown = screen_text(app).replace("p Planned for you", "")
            assert "Planned for you" not in shown

    asyncio.run(scenario())


def test_bob_moderates_blind_then_sees_both_side_by_side_and_records_the_agreed_grade(
    people: dict[str, Workspace], hub: Path
) -> None:
    quinn, bob = people["Quinn Lead"], people["Bob Reid"]
    original = finished_audit(quinn, "CF0100", QUINN_EVIDENCE, team=TEAM, answer="no")
    quinn_grade = audits.load(quinn, original).audit.overall_grade
    run_sync(quinn, str(hub))  # her ended audit reaches the hub, which the sample reads
    [allocation] = moderation.sample(quinn, MONTH, 100, moderators=["Bob Reid"], seed="2")
    run_sync(quinn, str(hub))
    run_sync(bob, str(hub))

    async def scenario() -> None:
        app = make_app(bob)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("m")  # nothing highlighted: the list of his moderations
            await pilot.pause()
            assert isinstance(app.screen, ModerationsScreen)
            assert "Quinn Lead" in str(app.screen.query_one(DataTable).get_row_at(0))
            assert [a.id for a in app.screen.allocations] == [allocation.id]
            await pilot.press("enter")  # starts the blind re-audit
            await pilot.pause()
            assert isinstance(app.screen, WalkerScreen)
            again = app.screen.audit_id
            assert audits.load(bob, again).audit.kind == "moderation"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            # On his moderation audit, m opens the side by side: refused while it is a draft.
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, ModerationCompareScreen)
            assert app.screen.side is None
            shown = screen_text(app)
            assert "has not ended" in shown and "blind" in shown
            assert "(original)" not in shown and QUINN_EVIDENCE not in shown
            tool = bob.library.get("smart-plans")
            first_question = tool.sections[0].questions[0].text[:30]
            assert first_question not in shown, "no question, so no answer, of the original"
            assert quinn_grade is not None and tool.scale_def.label(quinn_grade) not in shown
            await pilot.press("g")  # no agreeing either
            await pilot.pause()
            assert isinstance(app.screen, ModerationCompareScreen)
            await pilot.press("escape")
            await pilot.pause()
            finish(bob, again)
            app.screen.refresh_all()
            await pilot.press("m")  # the drafts tab is empty now: his list, then Enter
            await pilot.pause()
            assert isinstance(app.screen, ModerationsScreen)
            assert "ended" in str(app.screen.query_one(DataTable).get_row_at(0))
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ModerationCompareScreen) and screen.side is not None
            shown = screen_text(app)
            assert "Quinn Lead (original)" in shown and "Bob Reid (moderator)" in shown
            assert first_question in shown and tool.scale_def.label(quinn_grade) in shown
            assert "≠" in shown, "Quinn answered no where Bob answered yes"
            differ = sum(1 for a in screen.side.answers if a.original != a.moderated)
            assert f"{differ} of {len(screen.side.answers)} answers differ" in shown
            await pilot.press("g")
            await pilot.pause()
            await pilot.press(*"Agreed at the moderation panel.", "enter")
            await pilot.pause()
            assert "Agreed grade:" in screen_text(app)

    asyncio.run(scenario())
    row = moderation.find(bob, allocation.id)
    bobs_own = audits.load(bob, moderation.find(bob, allocation.id)["moderation_audit_id"])
    assert row["agreed_grade"] == bobs_own.audit.overall_grade, "his own grade is offered"
    assert row["agreed_by"] == "Bob Reid"
    assert row["agreed_reason"] == "Agreed at the moderation panel."
    trust_for_completions(
        str(hub), bob, [TEAM], lead_root=quinn.config.sync.resolved_signing_key_file().parent
    )
    run_sync(bob, str(hub))
    heard = run_sync(quinn, str(hub))
    assert any("(recorded by Bob Reid)" in w for w in heard.warnings), heard.warnings
    assert moderation.show(quinn)[0].status == "agreed"

    async def quinn_sees_it() -> None:
        app = make_app(quinn)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("t")  # her finalised audits: the moderated one
            await pilot.pause()
            assert app.screen.query_one(AuditTable).current_audit_id == original
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, ModerationCompareScreen)
            shown = " ".join(screen_text(app).split())
            label = quinn.library.get("smart-plans").scale_def.label(row["agreed_grade"])
            assert f"Agreed grade: {label} (recorded by Bob Reid)" in shown, shown
            assert "Why: Agreed at the moderation panel." in shown

    asyncio.run(quinn_sees_it())


def test_typing_in_the_agree_window_goes_into_the_reason(people: dict[str, Workspace]) -> None:
    """The reason box has the focus, so a reason starting with g or d is typed, not a key."""
    from auditui.tui.screens.agree_grade import AgreeGradeScreen

    async def scenario() -> None:
        app = make_app(people["Bob Reid"])
        async with app.run_test(size=(80, 24)) as pilot:
            chosen: list[object] = []
            app.push_screen(
                AgreeGradeScreen([("good", "Good"), ("bad", "Bad")], "bad"), chosen.append
            )
            await pilot.pause()
            await pilot.press("enter")  # empty: refused, stays open
            await pilot.pause()
            assert "Please say why" in screen_text(app)
            await pilot.press(*"good and dull", "enter")
            await pilot.pause()
            assert chosen == [("bad", "good and dull")]
            assert not isinstance(app.focused, Input)

    asyncio.run(scenario())


def test_the_reports_moderation_view_reads_the_hub_as_report_moderation_hub_does(
    people: dict[str, Workspace], hub: Path
) -> None:
    """Quinn's machine holds no re-audit; with h the view shows the hub's pairs."""
    from auditui.services.moderation_hub import hub_report
    from auditui.tui.screens.reports import ReportsScreen

    quinn, bob = people["Quinn Lead"], people["Bob Reid"]
    finished_audit(quinn, "CF0100", "Seen.", team=TEAM, answer="no")
    run_sync(quinn, str(hub))
    moderation.sample(quinn, MONTH, 100, moderators=["Bob Reid"], seed="2")
    run_sync(quinn, str(hub))
    run_sync(bob, str(hub))
    [mine] = moderation.show(bob, mine=True)
    finish(bob, moderation.start_moderation(bob, mine.id))
    run_sync(bob, str(hub))
    expected = hub_report(quinn, str(hub), by="auditor")
    assert expected["pairs"] == 1

    async def scenario() -> None:
        app = make_app(quinn)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_moderation_view(app, pilot)
            screen = app.screen
            assert isinstance(screen, ReportsScreen) and screen.view == "view-moderation"
            assert "No moderation re-audit has ended" in screen_text(app), "none here"
            await pilot.press("h")
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = screen_text(app)
            assert f"From the {expected['source']}." in " ".join(shown.split())
            line = next(x for x in shown.splitlines() if x.startswith("Quinn Lead"))
            group = expected["groups"][0]
            assert line.split()[2:5] == [
                "1",
                f"{group['exact_agreement_pct']:.1f}%",
                f"{group['within_one_pct']:.1f}%",
            ]

    asyncio.run(scenario())
