"""The reports screen (`r`): counted in a worker, shown as a table and two charts."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sync_support import make_config, open_workspace
from textual.app import App
from textual.widgets import DataTable, Input, Static

from auditui.domain.records import CASE_TYPE_LABELS, KIND_LABELS
from auditui.domain.uk_dates import month_label
from auditui.services.demo import generate_demo
from auditui.services.report import build_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.hub_marker import init_folder_hub
from auditui.tui.screens.actions_board import hub_label
from auditui.tui.screens.reports import ReportsScreen
from auditui.tui.widgets.key_bar import KeyBar


class ReportsApp(App[None]):
    def __init__(self, workspace: Workspace, hub: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.hub = hub

    def on_mount(self) -> None:
        self.push_screen(ReportsScreen(self.workspace, self.hub))


def _rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _keys(table: DataTable[object]) -> list[str]:
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


def test_reports_screen_shows_the_measures_by_month_and_regroups(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path))
    generate_demo(ws, 80, seed=2)
    asyncio.run(_by_month_then_section(ws))
    ws.close()


async def _by_month_then_section(ws: Workspace) -> None:
    expected = build_report(ws, by="month")
    app = ReportsApp(ws)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(DataTable)
        rows = _rows(table)
        assert rows[0][:2] == ["All", str(expected["audits"])]
        # Months the UK way on screen; the row keys stay the report's ISO groups.
        assert [r[0] for r in rows[1:]] == [month_label(g["group"]) for g in expected["groups"]]
        assert rows[1][0][:3] in ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
        assert _keys(table)[1:] == [g["group"] for g in expected["groups"]]
        assert f"{expected['with_practitioner_pct']:.1f}%" in rows[0]
        summary = str(screen.query_one("#report-summary", Static).render())
        assert "(targets 75%)" not in summary and summary.count("(target 75%)") == 3
        keys = [description for _, description, _ in screen.query_one(KeyBar).keys()]
        assert "Narrative" in keys  # N, once only in `?`
        await pilot.press("g")  # month -> tool
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.by == "tool"  # the tool's title, not its id
        tools = [r[0] for r in _rows(screen.query_one(DataTable))]
        assert ws.library.latest("smart-plans").title in tools and "smart-plans" not in tools
        await pilot.press("g")  # tool -> section
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.by == "section"  # the tool's title over its sections' numbers and titles
        rows, keys = _rows(screen.query_one(DataTable)), _keys(screen.query_one(DataTable))
        tool_id, section_id = keys[2].split("/")
        tool = ws.library.latest(tool_id)
        assert keys[1] == f"tool:{tool_id}" and rows[1][0] == tool.title
        number = [s.id for s in tool.sections].index(section_id) + 1
        title = next(s.title for s in tool.sections if s.id == section_id)
        assert rows[2][0] == f"  {number}. {title}"
        assert not any("/" in row[0] for row in rows)
        numbers = [
            int(r[0].split(".")[0])
            for r, k in zip(rows, keys, strict=True)
            if k.startswith(tool_id + "/")
        ]
        assert numbers == sorted(numbers), numbers  # in the tool's order
        await pilot.press("escape")


def test_every_measure_against_its_target_a_period_and_the_new_cuts(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path))
    generate_demo(ws, 80, seed=2)
    asyncio.run(_views_period_and_cuts(ws))
    ws.close()


def _body(screen: ReportsScreen, view: str) -> str:
    return str(screen.query_one(f"#{view}-body", Static).render())


async def _views_period_and_cuts(ws: Workspace) -> None:
    app = ReportsApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = build_report(ws, by="month")
        themed = _body(screen, "view-themed")
        counted = [m for m in report["measures"] if m["counted"]]
        assert len(counted) > 5
        lines = themed.splitlines()
        for m in counted:  # every measure whole, its value printed and its target beside it
            line = next(
                y
                for n, x in enumerate(lines)
                if x == m["label"] or x.startswith(m["label"] + " ")
                for y in lines[n : n + 2]
                if f"{m['pct']:5.1f}%" in y
            )
            if m["target"] is not None:
                verdict = "met" if m["met"] else "not met"
                assert line.rstrip().endswith(f"target {m['target']:g}% {verdict}"), line
        assert "trend" in themed and "…" not in themed
        assert "Trend by month, Mar 2025 to " in themed
        grades = _body(screen, "view-grades")
        assert "Ofsted scale" in grades and "Met / Partly met / Not met" in grades
        assert grades.index("Outstanding") < grades.index("Grades by month, Met")
        measures = _body(screen, "view-measures")
        assert f"{report['with_practitioner_pct']:5.1f}%" in measures
        for _ in range(6):  # every view in turn (themes last), back to the table
            await pilot.press("v")
        assert screen.view == "view-table"
        # A period, typed the UK way, as report --from --to counts it.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"01/06/2026 -", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.period == ("2026-06-01", None)
        expected = build_report(ws, by="month", start="2026-06-01")
        assert _rows(screen.query_one(DataTable))[0][1] == str(expected["audits"])
        assert expected["audits"] < report["audits"]
        # The cuts by case type, kind and auditor, as report --by.
        for by in ("case_type", "kind", "auditor"):
            while screen.by != by:
                await pilot.press("g")
                await app.workers.wait_for_complete()
                await pilot.pause()
            cut = build_report(ws, by=by, start="2026-06-01")
            groups = [r[0] for r in _rows(screen.query_one(DataTable))[1:]]
            words = {"case_type": CASE_TYPE_LABELS, "kind": KIND_LABELS}.get(by, {})
            assert groups == [words.get(g["group"], g["group"]) for g in cut["groups"]], by
            assert not set(groups) & {"case_file", "deep_dive", "CIN"}, by
            # Every figure column is on screen at 80 columns, the group column narrowed.
            table = screen.query_one(DataTable)
            assert sum(c.get_render_width(table) for c in table.columns.values()) <= 78, by
        # A period that is not one is said in one sentence, and nothing changes.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+u", *"31/02/2026 01/03/2026", "enter")
        await pilot.pause()
        assert screen.period == ("2026-06-01", None)
        # Refused in the dialog itself, asked again with what was typed: dates the UK way.
        await pilot.press("ctrl+u", *"30/11/2026 1/6/2026", "enter")
        await pilot.pause()
        await pilot.pause()
        assert screen.period == ("2026-06-01", None)
        dialog = app.screen
        assert dialog.query_one(Input).value == "30/11/2026 1/6/2026"
        error = str(dialog.query_one("#reason-error", Static).render())
        assert "30 Nov 2026" in error and "1 Jun 2026" in error and "2026-11-30" not in error
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


def test_reports_screen_reads_a_hub_and_shows_its_errors(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path))
    generate_demo(ws, 30, seed=4)
    hub = tmp_path / "hub"
    init_folder_hub(hub, None, demo=True)  # demo audits go to a demo hub only
    run_sync(ws, str(hub))
    asyncio.run(_over_hubs(ws, hub, tmp_path / "unmounted" / "hub"))
    ws.close()


async def _over_hubs(ws: Workspace, hub: Path, missing_hub: Path) -> None:
    app = ReportsApp(ws, str(hub))
    async with app.run_test(size=(140, 44)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = _rows(app.screen.query_one(DataTable))
        assert rows[0][1] == str(build_report(ws)["audits"])
    missing = ReportsApp(ws, str(missing_hub))
    async with missing.run_test(size=(140, 44)) as pilot:
        await missing.workers.wait_for_complete()
        await pilot.pause()
        summary = str(missing.screen.query_one("#report-summary", Static).render())
        assert "cannot be reached" in summary


def test_h_switches_the_reports_between_this_machine_and_the_hub(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    init_folder_hub(hub, None, demo=True)  # demo audits go to a demo hub only
    auditor = open_workspace(tmp_path / "a.db", make_config(tmp_path))
    generate_demo(auditor, 30, seed=5)
    run_sync(auditor, str(hub))
    auditor.close()
    lead = open_workspace(
        tmp_path / "lead.db", make_config(tmp_path, user="QA Lead", target=str(hub))
    )
    asyncio.run(_switching(lead, str(hub)))
    lead.close()


async def _switching(ws: Workspace, hub: str) -> None:
    on_hub = build_report(ws, hub)["audits"]
    assert on_hub > 0
    app = ReportsApp(ws)
    async with app.run_test(size=(140, 44)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.sub_title == "Reports: this machine"
        assert _rows(screen.query_one(DataTable))[0][1] == "0"
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.sub_title == f"Reports: the hub ({hub_label(str(hub))})"
        assert _rows(screen.query_one(DataTable))[0][1] == str(on_hub)


LONG_THEME = "Management oversight of the plan and reflective supervision"  # 59 of 60
THEMED = [  # (team, ended on, development, strengths): a count written here, not by auditui
    ("North Locality", "2026-02-03", ["Drift and delay", LONG_THEME], ["Voice of the child"]),
    (
        "North Locality",
        "2026-02-10",
        ["Drift and delay"],
        ["Voice of the child", "Chronology and genogram"],
    ),
    ("North Locality", "2026-03-02", ["SMART planning", LONG_THEME], []),
    ("South Locality", "2026-03-04", ["Drift and delay", "SMART planning"], [LONG_THEME]),
    ("South Locality", "2026-03-09", [], ["Voice of the child", "Partnership working"]),
]


def _themed_audits(ws: Workspace) -> None:
    """Real audits, their themes recorded through the themes service while each is open."""
    import dataclasses
    import datetime as dt

    from sync_support import finished_audit

    from auditui.config import DEFAULT_THEMES
    from auditui.services import audits
    from auditui.services import themes as theme_service

    organisation = ws.config.organisation
    ws.config = dataclasses.replace(  # a long theme of the organisation's, to be read whole
        ws.config,
        organisation=dataclasses.replace(organisation, themes=(*DEFAULT_THEMES, LONG_THEME)),
    )
    for n, (team, ended, development, strengths) in enumerate(THEMED):
        day = dt.date.fromisoformat(ended)
        audit_id = finished_audit(
            ws, f"CIN-{8000 + n}", "note", team=team, ended_on=day, finalise=False
        )
        audits.reopen(ws, audit_id, "Themes to record")
        theme_service.set_themes(ws, audit_id, {"development": development, "strengths": strengths})
        audits.close_incomplete(ws, audit_id, "Closed again", on=day)


def _expected_themes(team: str | None) -> dict[str, list[tuple[str, int]]]:
    """Audits raising each theme (all teams, or one), most raised first, then by name."""
    from collections import Counter

    counts = {"development": Counter[str](), "strengths": Counter[str]()}
    for audit_team, _, development, strengths in THEMED:
        if team in (None, audit_team):
            counts["development"].update(set(development))
            counts["strengths"].update(set(strengths))
    return {k: sorted(c.items(), key=lambda i: (-i[1], i[0])) for k, c in counts.items()}


def _drawn(screen: ReportsScreen, view: str) -> list[str]:
    """The view's body as drawn on screen, line by line."""
    from textual.geometry import Region

    body = screen.query_one(f"#{view}-body", Static)
    return [s.text.rstrip() for s in body.render_lines(Region(0, 0, *body.size))]


def _theme_blocks(lines: list[str]) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """Each heading's two columns read back from the drawn lines: (theme, audits) in order,
    a wrapped name joined to its first line."""
    import re

    blocks: dict[str, dict[str, list[tuple[str, int]]]] = {}
    heading, split = "", 0
    for line in lines:
        if line.startswith(("Every audit", "Team: ")):
            heading, split = line, 0
            blocks[heading] = {"development": [], "strengths": []}
        elif heading and line.startswith("For development"):
            split = line.index("Strengths")
        elif heading and split and line.strip():
            for kind, part in (("development", line[:split]), ("strengths", line[split:])):
                if not part.strip():
                    continue
                found = re.match(r"^(.*?)\s+(\d+) audits?$", part.strip())
                items = blocks[heading][kind]
                if found:
                    items.append((found[1], int(found[2])))
                else:  # the rest of a wrapped name
                    items[-1] = (f"{items[-1][0]} {part.strip()}", items[-1][1])
        elif not line.strip():
            split = 0 if heading and split and blocks[heading]["development"] else split
    return blocks


def test_themes_view_counts_the_themes_raised_here_and_on_the_hub(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    init_folder_hub(hub, None)
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path, target=str(hub)))
    _themed_audits(ws)
    run_sync(ws, str(hub))
    asyncio.run(_themes_here_then_hub(ws))
    ws.close()


async def _themes_here_then_hub(ws: Workspace) -> None:
    app = ReportsApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        while screen.by != "team":
            await pilot.press("g")
            await app.workers.wait_for_complete()
            await pilot.pause()
        while screen.view != "view-themes":
            await pilot.press("v")
        await pilot.pause()
        views = str(screen.query_one("#report-views", Static).render())
        assert " Themes " in views and views.rstrip().endswith("v: next")
        for source in ("here", "hub"):
            lines = _drawn(screen, "view-themes")
            assert max(len(x) for x in lines) <= 78 and "…" not in "".join(lines), source
            blocks = _theme_blocks(lines)
            assert blocks["Every audit"] == _expected_themes(None), source
            for team in ("North Locality", "South Locality"):
                audits = sum(t == team for t, *_ in THEMED)
                assert blocks[f"Team: {team} ({audits} audits)"] == _expected_themes(team)
            # The long theme wraps onto a second line rather than being cut.
            assert not any(LONG_THEME in x for x in lines)
            assert any(x.startswith(LONG_THEME.split()[0]) for x in lines)
            if source == "here":
                assert "From the" not in "\n".join(lines)
                await pilot.press("h")
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert screen.sub_title.startswith("Reports: the hub")
            else:
                assert any(x.startswith("From the folder hub") for x in lines[:4]), lines[:4]
        # A cut themes are not counted by is said in words; the overall themes stay.
        while screen.by != "section":
            await pilot.press("g")
            await app.workers.wait_for_complete()
            await pilot.pause()
        lines = _drawn(screen, "view-themes")
        assert _theme_blocks(lines)["Every audit"] == _expected_themes(None)
        assert "no themes by section" in " ".join(lines)
        assert not any(x.startswith("Section: ") for x in lines)
        # A period with no theme raised says so.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"01/01/2026 31/01/2026", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "raised a theme" in " ".join(_drawn(screen, "view-themes"))
