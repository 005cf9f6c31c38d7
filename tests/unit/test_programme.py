"""The month's plan through the services, on a real SQLite file with the shipped tools.

Plan, show, assign, progress and ``start_planned_audit``: the sample is
reproducible, never repeats a case audited or planned in the window, is
refused in one sentence when it cannot be made (nothing written), and an
item's status follows its audit from planned to started to ended, or to
missed when the month is over.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditui.config import Config, UserConfig
from auditui.errors import AuditUIError, NotFoundError, ProgrammeError, StateError, UnknownToolError
from auditui.services import audits
from auditui.services import programme as service
from auditui.services.cases import import_cases
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

TODAY = dt.date(2026, 12, 3)
LIBRARY = ToolLibrary.load([], include_shipped=True)


def make_ws(db: Path, user: str = "Quinn Lead") -> Workspace:
    ws = Workspace.open(db, LIBRARY, Config(user=UserConfig(name=user)))
    ws.today = lambda: TODAY
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path / "auditui.db")
    yield workspace
    workspace.close()


def case_lines(teams: dict[str, int], case_type: str = "CP") -> list[str]:
    lines, n = ["case_ref,case_type,team,practitioner"], 0
    for team, count in teams.items():
        for _ in range(count):
            n += 1
            lines.append(f"CF{n:05d},{case_type},{team},Worker {n}")
    return lines


def load_cases(ws: Workspace, tmp_path: Path, lines: list[str], name: str = "cases.csv") -> None:
    path = tmp_path / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    import_cases(ws, path)


def make_plan(
    ws: Workspace, month: str = "2026-12", per_team: int = 3, **kw: object
) -> service.Plan:
    args: dict[str, object] = {"auditors": ["Ann", "Bob"], "seed": "42"}
    args.update(kw)
    return service.plan(ws, month, "smart-plans", per_team, **args)  # type: ignore[arg-type]


def drawn(plan: service.Plan) -> list[tuple[str, str, str]]:
    return [(i.team, i.case_ref, i.auditor) for i in plan.items]


def test_a_plan_draws_the_quota_per_team_and_deals_it_to_the_auditors(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 20, "South": 15, "East": 4}))
    made = make_plan(ws, per_team=4, auditors=["Ann", "Bob", "Cai"])
    assert Counter(i.team for i in made.items) == {"North": 4, "South": 4, "East": 4}
    assert Counter(i.auditor for i in made.items) == {"Ann": 4, "Bob": 4, "Cai": 4}
    assert {i.status for i in made.items} == {"planned"}
    assert {(i.month, i.tool, i.kind) for i in made.items} == {
        ("2026-12", "smart-plans", "case_file")
    }
    item = made.items[0]
    assert item.practitioner == f"Worker {int(item.case_ref[2:])}" and item.case_type == "CP"
    assert "seed 42" in made.summary()


def test_the_same_list_and_seed_give_the_same_plan_on_another_machine(
    ws: Workspace, tmp_path: Path
) -> None:
    lines = case_lines({"North": 30, "South": 30})
    load_cases(ws, tmp_path, lines)
    first = make_plan(ws, per_team=5, seed="spring")
    other = make_ws(tmp_path / "other.db")
    try:
        shuffled = [lines[0], *reversed(lines[1:])]  # the export came out in another order
        load_cases(other, tmp_path, shuffled, "other.csv")
        assert drawn(make_plan(other, per_team=5, seed="spring")) == drawn(first)
        assert drawn(make_plan(other, "2027-06", per_team=5, seed="summer")) != drawn(first)
    finally:
        other.close()


def test_no_seed_given_means_a_new_one_recorded_so_the_plan_can_be_redrawn(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 40}))
    made = make_plan(ws, seed=None)
    row = ws.store.one("SELECT seed FROM plans WHERE id = ?", (made.id,))
    assert row is not None and row["seed"] == made.seed and made.seed


def test_cases_audited_within_the_window_are_never_drawn(ws: Workspace, tmp_path: Path) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 7}))
    recent = audits.start_audit(ws, "smart-plans", "CF00001", "CP", "North", "Pat", True)
    audits.close_incomplete(ws, recent, "Moved away")
    # Started and ended 2025-12-01, the first day of the 12 months before December 2026.
    boundary = audits.start_audit(
        ws, "smart-plans", "CF00002", "CP", "North", "Pat", True, started_on=dt.date(2025, 12, 1)
    )
    audits.close_incomplete(ws, boundary, "Case closed", on=dt.date(2025, 12, 1))
    # Started and ended in November 2025: outside the window, so it may be drawn.
    old = audits.start_audit(
        ws, "smart-plans", "CF00003", "CP", "North", "Pat", True, started_on=dt.date(2025, 11, 3)
    )
    audits.close_incomplete(ws, old, "Old", on=dt.date(2025, 11, 28))
    # A draft, however old, is an audit still going on.
    audits.start_audit(
        ws, "smart-plans", "CF00007", "CP", "North", "Pat", True, started_on=dt.date(2024, 1, 3)
    )
    made = make_plan(ws, per_team=4)
    assert sorted(i.case_ref for i in made.items) == ["CF00003", "CF00004", "CF00005", "CF00006"]
    # A month later the window has moved past December 2025: CF00002 may come round.
    with pytest.raises(
        ProgrammeError, match=r"available \(not audited or planned since 2026-01\): North 1\."
    ):
        make_plan(ws, "2027-01", per_team=2)
    assert [i.case_ref for i in make_plan(ws, "2027-01", per_team=1).items] == ["CF00002"]


def test_cases_planned_within_the_window_are_never_drawn_again(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    december = {i.case_ref for i in make_plan(ws, per_team=6).items}
    january = {i.case_ref for i in make_plan(ws, "2027-01", per_team=4).items}
    assert not december & january
    with pytest.raises(ProgrammeError) as refused:
        make_plan(ws, "2027-02", per_team=1)
    assert refused.value.message == (
        "A plan of 1 per team is larger than the case list allows; available (not audited or "
        "planned since 2026-02): North 0."
    )
    # One month's window: December is two months back, so its cases may come round again.
    february = {i.case_ref for i in make_plan(ws, "2027-02", per_team=4, not_within_months=1).items}
    assert february <= december
    assert len(service.show(ws, "2027-02")) == 4
    assert not {i.case_ref for i in service.show(ws, "2027-02")} & january


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        (
            {"month_text": "2026-13"},
            ProgrammeError,
            "'2026-13' is not a month; write it as YYYY-MM",
        ),
        ({"month_text": "12/2026"}, ProgrammeError, "is not a month"),
        ({"tool_id": "no-such-tool"}, UnknownToolError, "no-such-tool"),
        (
            {"per_team": 8},
            ProgrammeError,
            "available (not audited or planned since 2025-12): East 2, North 5",
        ),
        ({"per_team": 0}, ProgrammeError, "--per-team: give a number from 1"),
        ({"auditors": []}, ProgrammeError, "Name at least one auditor"),
        ({"auditors": ["  "]}, ProgrammeError, "Name at least one auditor"),
        ({"auditors": ["Ann\x1b[2J"]}, AuditUIError, "control characters"),
        ({"kind": "moderation"}, ProgrammeError, "'moderation' is not one of"),
        ({"case_types": ["EH"]}, ProgrammeError, "applies to CIN, CP, CLA, not EH"),
        ({"case_types": ["XX"]}, ProgrammeError, "'XX' is not one of"),
        (
            {"case_types": ["CLA"]},
            ProgrammeError,
            "The case list has no case of type CLA with a team",
        ),
        ({"seed": "x" * 101}, ProgrammeError, "--seed"),
        ({"not_within_months": -1}, ProgrammeError, "--not-within-months"),
    ],
)
def test_a_plan_that_cannot_be_made_is_refused_in_one_sentence_and_nothing_is_written(
    ws: Workspace, tmp_path: Path, kwargs: dict[str, object], error: type, words: str
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 5, "South": 9, "East": 2}))
    args: dict[str, object] = {
        "month_text": "2026-12",
        "tool_id": "smart-plans",
        "per_team": 2,
        "auditors": ["Ann"],
        "seed": "1",
    }
    args.update(kwargs)
    with pytest.raises(error) as refused:
        service.plan(ws, **args)  # type: ignore[arg-type]
    assert words in refused.value.message
    assert "\n" not in refused.value.message
    assert service.show(ws) == []
    row = ws.store.one("SELECT count(*) AS n FROM plans")
    assert row is not None and row["n"] == 0


def test_a_plan_without_a_case_list_says_to_import_one(ws: Workspace) -> None:
    with pytest.raises(ProgrammeError, match="no case list to plan from; import one"):
        make_plan(ws)


def test_show_lists_the_spec_s_fields_and_mine_is_the_user_s(ws: Workspace, tmp_path: Path) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    make_plan(ws, per_team=4, auditors=["Quinn Lead", "Bob"])
    item = service.show(ws)[0]
    assert list(item.as_json()) == [
        "id",
        "month",
        "case_ref",
        "case_type",
        "team",
        "tool",
        "kind",
        "auditor",
        "status",
        "audit_id",
        "under_way",  # added after the spec's keys; none of theirs changes meaning
    ]
    assert {i.auditor for i in service.show(ws, mine=True)} == {"Quinn Lead"}
    assert len(service.show(ws, mine=True)) == 2
    assert service.show(ws, "2027-01") == []
    with pytest.raises(ProgrammeError, match="not a month"):
        service.show(ws, "December")


def test_assign_gives_an_item_to_another_auditor(ws: Workspace, tmp_path: Path) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    item = make_plan(ws).items[0]
    moved = service.assign(ws, item.id[:8], "Dee Auditor")
    assert (moved.id, moved.auditor) == (item.id, "Dee Auditor")
    assert service.find_item(ws, item.id).auditor == "Dee Auditor"
    with pytest.raises(NotFoundError, match="no plan item ffffffff"):
        service.assign(ws, "ffffffff", "Ann")
    with pytest.raises(NotFoundError, match="first 4 or more"):
        service.assign(ws, "ab", "Ann")
    with pytest.raises(ProgrammeError, match="give the name"):
        service.assign(ws, item.id, " ")


def test_an_item_moves_planned_started_ended_with_its_audit(ws: Workspace, tmp_path: Path) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    item = make_plan(ws).items[0]
    audit_id = service.start_planned_audit(ws, item.id[:6])
    state = audits.load(ws, audit_id)
    a = state.audit
    assert (a.case_ref, a.case_type, a.team, a.practitioner, a.auditor, a.tool_id, a.kind) == (
        item.case_ref,
        "CP",
        "North",
        item.practitioner,
        item.auditor,
        "smart-plans",
        "case_file",
    )
    started = service.find_item(ws, item.id)
    assert (started.status, started.audit_id) == ("started", audit_id)
    with pytest.raises(StateError, match=f"already has audit {audit_id}"):
        service.start_planned_audit(ws, item.id)
    audits.close_incomplete(ws, audit_id, "The case closed")
    assert service.find_item(ws, item.id).status == "ended"
    with pytest.raises(StateError, match="has ended"):
        service.assign(ws, item.id, "Bob")
    audits.reopen(ws, audit_id, "More evidence came")
    assert service.find_item(ws, item.id).status == "started"


def test_items_not_ended_when_the_month_is_over_are_missed_started_or_not(
    ws: Workspace, tmp_path: Path
) -> None:
    """spec/cli.md: missed is "month over and not ended"; a started one is also under way."""
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    items = make_plan(ws).items
    started = service.start_planned_audit(ws, items[0].id)
    ended = service.start_planned_audit(ws, items[1].id)
    audits.close_incomplete(ws, ended, "Case closed")
    ws.today = lambda: dt.date(2027, 1, 4)
    found = [service.find_item(ws, i.id) for i in items]
    assert [(i.status, i.under_way) for i in found] == [
        ("missed", True),
        ("ended", False),
        ("missed", False),
    ]
    assert service.find_item(ws, items[0].id).audit_id == started


def test_a_start_interrupted_before_the_link_is_healed_not_doubled(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, case_lines({"North": 10}))
    item = make_plan(ws).items[0]
    # What the first of start_planned_audit's two transactions leaves if killed after it.
    left = audits.start_audit(
        ws,
        "smart-plans",
        item.case_ref,
        "CP",
        "North",
        item.practitioner,
        True,
        auditor=item.auditor,
    )
    assert service.start_planned_audit(ws, item.id) == left
    row = ws.store.one("SELECT count(*) AS n FROM audits WHERE case_ref = ?", (item.case_ref,))
    assert row is not None and row["n"] == 1


def test_start_planned_audit_asks_for_what_the_case_list_did_not_give(
    ws: Workspace, tmp_path: Path
) -> None:
    load_cases(ws, tmp_path, ["case_ref,case_type,team", "CF1,CP,North", "CF2,CP,North"])
    item = make_plan(ws, per_team=1).items[0]
    with pytest.raises(ProgrammeError, match="gave no practitioner; give --practitioner"):
        service.start_planned_audit(ws, item.id)
    assert service.find_item(ws, item.id).status == "planned"
    audit_id = service.start_planned_audit(ws, item.id, practitioner="Pat Jones")
    assert audits.load(ws, audit_id).audit.practitioner == "Pat Jones"


WORKER_TOOL = """\
format: 2
id: worker-file
version: 1
title: Worker file audit
subject: worker
grading: {overall: lowest_section}
sections:
  - id: supervision
    title: Supervision
    questions:
      - id: regular
        text: Is supervision regular?
        type: yes_no
"""


def test_a_tool_that_audits_a_worker_is_not_planned_from_cases(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "worker-file.yaml").write_text(WORKER_TOOL, encoding="utf-8")
    library = ToolLibrary.load([tools], include_shipped=False)
    ws = Workspace.open(tmp_path / "worker.db", library, Config(user=UserConfig(name="Quinn")))
    try:
        load_cases(ws, tmp_path, case_lines({"North": 5}))
        with pytest.raises(ProgrammeError, match="audits a practitioner's own file, not a case"):
            service.plan(ws, "2026-12", "worker-file", 1, ["Ann"], seed="1")
        assert service.show(ws) == []
    finally:
        ws.close()
