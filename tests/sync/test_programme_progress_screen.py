"""The QA lead's screens on one machine: programme progress, the moderation view, the narrative.

Real SQLite files, real plans drawn from a real case list, real audits;
the figures on screen are compared with the services the CLI prints from.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from screen_support import open_moderation_view, screen_text
from sync_support import TODAY, finish, finished_audit, person

from auditui.config import UserConfig
from auditui.services import audits, moderation, moderation_review, programme
from auditui.services import programme_progress as progress_service
from auditui.services.cases import import_cases
from auditui.services.planned_for_you import planned_for_you
from auditui.services.workspace import Workspace
from auditui.tui.commands import screen_actions
from auditui.tui.run import make_app
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.moderation_compare import ModerationCompareScreen
from auditui.tui.screens.programme_progress import ProgrammeProgressScreen
from auditui.tui.screens.reason import ReasonScreen
from auditui.tui.screens.reports import ReportsScreen
from auditui.tui.screens.walker import WalkerScreen

TEAMS = ("North Locality", "South Locality")


@contextlib.contextmanager
def as_user(ws: Workspace, name: str) -> Iterator[None]:
    """Work as ``name`` (another auditor's audit in this database, or no user at all)."""
    before = ws.config
    ws.config = dataclasses.replace(before, user=UserConfig(name=name))
    try:
        yield
    finally:
        ws.config = before


def case_list(ws: Workspace, folder: Path, practitioner: bool = True) -> None:
    head = "case_ref,case_type,team" + (",practitioner" if practitioner else "")
    lines = [head] + [
        f"CF{n:04d},CP,{TEAMS[n % 2]}" + (f",Worker {n}" if practitioner else "")
        for n in range(1, 21)
    ]
    path = folder / "cases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_cases(ws, path)


def test_progress_by_team_and_auditor_month_by_month_from_home_reports_and_the_palette(
    tmp_path: Path,
) -> None:
    quinn = person(tmp_path, "Quinn Lead")
    case_list(quinn, tmp_path)
    last = TODAY.replace(day=1) - dt.timedelta(days=1)
    quinn.today = lambda: last
    earlier = programme.plan(
        quinn, f"{last:%Y-%m}", "smart-plans", 2, ["Ann Khan", "Bob Reid"], seed="1"
    )
    programme.start_planned_audit(quinn, earlier.items[0].id, auditor=earlier.items[0].auditor)
    quinn.today = lambda: TODAY
    made = programme.plan(quinn, f"{TODAY:%Y-%m}", "smart-plans", 3, ["Ann Khan"], seed="2")
    programme.start_planned_audit(quinn, made.items[0].id, auditor="Ann Khan")

    async def scenario() -> None:
        app = make_app(quinn)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            titles = [t for t, _ in screen_actions(app.screen.active_bindings)]
            assert "Programme progress (P)" in titles and "Moderation (m)" in titles
            await pilot.press("P")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ProgrammeProgressScreen)
            shown = screen_text(app)
            now = progress_service.progress(quinn, f"{TODAY:%Y-%m}")
            assert progress_service.forum_line(now) in shown.replace("\n", " ")
            assert f"{TODAY:%b %Y}: {now['ended_pct']:.1f}% done" in shown
            assert "Ann Khan" in shown and "Bob Reid" not in shown  # March: Ann's alone
            await pilot.press("left")  # the month before: all 4 missed, one of them under way
            await pilot.pause()
            shown = screen_text(app)
            before = progress_service.progress(quinn, f"{last:%Y-%m}", "auditor")
            assert (before["planned"], before["missed"], before["started"]) == (4, 4, 0)
            assert before["missed_under_way"] == 1
            assert f"{last:%b %Y}" in shown and "Bob Reid" in shown
            words = " ".join(shown.split())
            assert "4 missed (1 of them started, not yet ended)." in words
            assert "Under way" in shown
            assert "Missed: the month over and the audit not ended, started or not." in words
            assert progress_service.forum_line(before) in shown.replace("\n", " ")
            await pilot.press("left")  # nothing planned then
            await pilot.pause()
            assert "Nothing is planned for" in screen_text(app)
            await pilot.press("t")
            await pilot.pause()
            assert f"{TODAY:%b %Y}" in screen_text(app)
            await pilot.press("escape", "r")
            await pilot.pause()
            assert isinstance(app.screen, ReportsScreen)
            await app.workers.wait_for_complete()
            titles = [t for t, _ in screen_actions(app.screen.active_bindings)]
            assert "Programme progress (P)" in titles and "Narrative (N)" in titles
            await pilot.press("P")
            await pilot.pause()
            assert isinstance(app.screen, ProgrammeProgressScreen)

    asyncio.run(scenario())
    quinn.close()


def test_the_reports_moderation_view_shows_what_report_moderation_counts(tmp_path: Path) -> None:
    ann = person(tmp_path, "Ann Khan")
    with as_user(ann, "Quinn Lead"):
        finished_audit(ann, "CF0001", "Seen.", answer="no", team=TEAMS[0])
    with as_user(ann, "Bob Reid"):
        finished_audit(ann, "CF0002", "Seen.", team=TEAMS[1])
    moderation.sample(ann, f"{TODAY:%Y-%m}", 100, moderators=["Ann Khan"], seed="1")
    for allocation in moderation.show(ann):
        again = moderation.start_moderation(ann, allocation.id)
        finish(ann, again)
    by_auditor = moderation_review.report(ann, by="auditor")
    assert by_auditor["pairs"] == 2

    async def scenario() -> None:
        app = make_app(ann)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_moderation_view(app, pilot)
            assert app.screen.view == "view-moderation"
            body = screen_text(app)
            for group in by_auditor["groups"]:
                line = next(x for x in body.splitlines() if x.startswith(group["group"]))
                assert f"{group['exact_agreement_pct']:.1f}%" in line
                assert f"{group['within_one_pct']:.1f}%" in line
            assert "By team" in body and "By section" in body
            # The narrative key needs a period with both ends, as the board's pack does.
            await pilot.press("N")
            await pilot.pause()
            assert isinstance(app.screen, ReportsScreen)
            app.screen.set_period(f"{TODAY.replace(day=1)} {TODAY}")
            await app.workers.wait_for_complete()
            await pilot.press("N")
            await pilot.pause()
            from auditui.tui.screens.narrative import NarrativeScreen

            assert isinstance(app.screen, NarrativeScreen)
            assert (app.screen.start, app.screen.end) == (TODAY.replace(day=1), TODAY)

    asyncio.run(scenario())
    ann.close()


def test_a_moderator_on_the_same_machine_never_sees_the_original_before_the_end(
    tmp_path: Path,
) -> None:
    """Even with the original audit in the same database, the side by side stays blind."""
    ann = person(tmp_path, "Ann Khan")
    with as_user(ann, "Quinn Lead"):
        original = finished_audit(ann, "CF0001", "Original evidence words.", answer="no")
    [allocation] = moderation.sample(ann, f"{TODAY:%Y-%m}", 100, moderators=["Ann Khan"])
    again = moderation.start_moderation(ann, allocation.id)

    async def scenario() -> None:
        app = make_app(ann)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert home.table.current_audit_id == again  # the drafts tab: her re-audit
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, ModerationCompareScreen) and app.screen.side is None
            shown = screen_text(app)
            assert "No" not in shown.split(), "none of the original's answers"
            assert "(original)" not in shown and "Original evidence" not in shown

    asyncio.run(scenario())
    assert audits.load(ann, original).audit.status == "finalised"
    ann.close()


def test_a_planned_case_with_no_practitioner_asks_for_one_then_starts(tmp_path: Path) -> None:
    ann = person(tmp_path, "Ann Khan")
    case_list(ann, tmp_path, practitioner=False)
    [item] = programme.plan(ann, f"{TODAY:%Y-%m}", "smart-plans", 1, ["Ann Khan"], seed="3").items[
        :1
    ]
    assert [p.item.id for p in planned_for_you(ann)][0] == item.id

    async def scenario() -> None:
        app = make_app(ann)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("p", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReasonScreen)
            await pilot.press(*"Robin Shaw", "enter")
            await pilot.pause()
            assert isinstance(app.screen, WalkerScreen)
            assert app.screen.state.audit.practitioner == "Robin Shaw"
            assert app.screen.state.audit.case_ref == item.case_ref

    asyncio.run(scenario())
    assert programme.find_item(ann, item.id).status == "started"
    ann.close()


def test_planned_for_you_lists_this_month_and_what_was_missed_and_nothing_without_a_user(
    tmp_path: Path,
) -> None:
    ann = person(tmp_path, "Ann Khan")
    case_list(ann, tmp_path)
    ann.today = lambda: dt.date(2025, 12, 10)
    programme.plan(ann, "2025-12", "smart-plans", 1, ["Ann Khan"], seed="4")
    ann.today = lambda: TODAY
    programme.plan(ann, f"{TODAY:%Y-%m}", "smart-plans", 1, ["Ann Khan", "Bob Reid"], seed="5")
    shown = planned_for_you(ann)
    assert [(p.item.status, p.due, p.overdue, p.due_soon) for p in shown] == [
        ("missed", "overdue (Dec 25)", True, False),
        ("missed", "overdue (Dec 25)", True, False),
        ("planned", "due by 31 Mar", False, False),
    ]
    # Missed, started late and not ended: still missed (spec/cli.md), and the words say
    # the work is under way.
    programme.start_planned_audit(ann, shown[1].item.id)
    shown = planned_for_you(ann)
    assert [(p.item.status, p.due, p.overdue) for p in shown][:2] == [
        ("missed", "overdue (Dec 25)", True),
        ("missed", "started, not ended (Dec 25)", True),
    ]
    ann.today = lambda: dt.date(2026, 3, 24)  # five working days to the 31st: due soon
    assert [p.due_soon for p in planned_for_you(ann)] == [False, False, True]
    ann.today = lambda: dt.date(2026, 3, 23)
    assert [p.due_soon for p in planned_for_you(ann)] == [False, False, False]
    ann.today = lambda: TODAY
    with as_user(ann, ""):
        assert planned_for_you(ann) == []
    ann.close()


def test_names_that_look_like_markup_are_shown_as_typed(tmp_path: Path) -> None:
    """A team typed as '[b]North[/x]' is words on every programme screen, not markup."""
    ann = person(tmp_path, "Ann Khan")
    team = "[b]North[/x] Team"
    path = tmp_path / "cases.csv"
    path.write_text(f"case_ref,case_type,team,practitioner\nCF0001,CP,{team},Worker\n")
    import_cases(ann, path)
    programme.plan(ann, f"{TODAY:%Y-%m}", "smart-plans", 1, ["Ann Khan"], seed="1")

    async def scenario() -> None:
        app = make_app(ann)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            panel = app.screen.query_one("#planned-panel")
            assert str(panel.table.get_row_at(0)[1]) == team
            assert team in panel.table.render_line(1).text
            await pilot.press("P")
            await pilot.pause()
            assert team in screen_text(app)

    asyncio.run(scenario())
    ann.close()


def test_m_in_the_walker_of_a_moderation_audit_opens_the_side_by_side(tmp_path: Path) -> None:
    ann = person(tmp_path, "Ann Khan")
    with as_user(ann, "Quinn Lead"):
        finished_audit(ann, "CF0001", "Seen.", answer="no")
    [allocation] = moderation.sample(ann, f"{TODAY:%Y-%m}", 100, moderators=["Ann Khan"])
    again = moderation.start_moderation(ann, allocation.id)
    other = finished_audit(ann, "CF0002", "Not moderated.", finalise=False)

    async def scenario() -> None:
        app = make_app(ann)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.push_screen(WalkerScreen(ann, again))
            await pilot.pause()
            await pilot.press("M")
            await pilot.pause()
            assert isinstance(app.screen, ModerationCompareScreen)
            assert app.screen.side is None, "still blind: the re-audit is a draft"
            await pilot.press("escape")
            await pilot.pause()
            finish(ann, again)
            app.pop_screen()
            app.push_screen(WalkerScreen(ann, again))
            await pilot.pause()
            await pilot.press("M")
            await pilot.pause()
            assert isinstance(app.screen, ModerationCompareScreen)
            assert app.screen.side is not None
            await pilot.press("escape")
            await pilot.pause()
            app.pop_screen()
            app.push_screen(WalkerScreen(ann, other))
            await pilot.pause()
            await pilot.press("M")
            await pilot.pause()
            assert isinstance(app.screen, WalkerScreen), "not a moderation: it stays"

    asyncio.run(scenario())
    ann.close()
