"""The measures exactly as ../shared/domain.md defines them, on hand-made facts."""

from __future__ import annotations

from auditui.sync.facts import (
    ActionFact,
    ActionRecord,
    AuditFact,
    Facts,
    SectionFact,
    ThemeFact,
    canonical_stamp,
    merge_action,
)
from auditui.sync.measures import GOOD_OR_BETTER, build_report
from auditui.tools.scales import SCALES

TODAY = "2026-03-02"


def audit(
    aid: str,
    status: str = "finalised",
    grade: str | None = "good",
    present: bool = True,
    complete: bool = True,
    team: str = "North",
    month: str = "2026-01",
    tool: str = "smart-plans",
) -> AuditFact:
    return AuditFact(aid, status, f"{month}-15", team, tool, present, complete, grade)


def test_each_measure_counts_what_the_definition_says() -> None:
    facts = Facts(
        audits=[
            audit("a1", grade="outstanding"),
            audit("a2", grade="good", present=False),
            audit("a3", grade="requires_improvement"),
            audit("a4", grade="met", tool="life-story-work"),  # met alone is good on its scale
            audit("a5", grade="partly_met", tool="life-story-work"),
            audit("c1", status="closed_incomplete", grade="outstanding", complete=True),
            audit("c2", status="closed_incomplete", grade=None, complete=False, present=False),
        ],
        actions=[
            ActionFact("x1", "a1", "2026-02-01", "done", "2026-02-01"),  # on the due date: on time
            ActionFact("x2", "a1", "2026-02-01", "done", "2026-02-02"),  # a day late
            ActionFact("x3", "a2", "2026-03-01", "open", None),  # open, past due: counts, late
            ActionFact("x4", "a2", "2026-03-02", "open", None),  # due today: not yet counted
            ActionFact("x5", "a3", "2026-01-01", "cancelled", None),  # cancelled: never counted
            ActionFact("x6", "zz", "2026-01-01", "done", "2025-12-01"),  # not an ended audit here
        ],
    )
    report = build_report(facts, None, TODAY)
    assert report["audits"] == 7
    assert report["finalised"] == 5 and report["closed_incomplete"] == 2
    # ended audits with the practitioner / ended audits
    assert report["with_practitioner_pct"] == round(100 * 5 / 7, 1)
    # audits finalised complete / ended audits (a closed audit never counts, complete or not)
    assert report["complete_against_framework_pct"] == round(100 * 5 / 7, 1)
    # finalised with a top grade of their scale / finalised
    assert report["good_or_better_pct"] == round(100 * 3 / 5, 1)
    # completed on or before due / (completed + open past due)
    assert report["actions_on_time_pct"] == round(100 * 1 / 3, 1)
    assert report["overdue_actions"] == 1
    assert report["actions"] == {
        "total": 5,
        "open": 2,
        "done": 2,
        "cancelled": 1,
        "on_time": 1,
        "late": 1,
        "overdue": 1,
    }
    assert report["grades"] == {
        "outstanding": 1,
        "good": 1,
        "requires_improvement": 1,
        "met": 1,
        "partly_met": 1,
    }


def test_percentages_are_null_when_there_is_nothing_to_divide_by() -> None:
    report = build_report(
        Facts(audits=[audit("c", status="closed_incomplete", grade=None)]), None, TODAY
    )
    assert report["good_or_better_pct"] is None
    assert report["actions_on_time_pct"] is None
    assert report["with_practitioner_pct"] == 100.0
    empty = build_report(Facts(), "month", TODAY)
    assert empty["audits"] == 0 and empty["groups"] == []
    assert all(empty[k] is None for k in ("good_or_better_pct", "with_practitioner_pct"))


def test_groups_carry_the_same_measures_and_small_ones_are_hidden() -> None:
    facts = Facts(
        audits=[audit(f"n{i}", team="North", grade="good") for i in range(6)]
        + [audit(f"e{i}", team="East", grade="good") for i in range(5)]
        + [audit(f"s{i}", team="South", grade="inadequate") for i in range(2)],
    )
    report = build_report(facts, "team", TODAY, min_group=5)
    # South is small; East (the smallest other) is hidden with it, so the total minus North
    # tells only what East and South hold together (7 audits), never South alone.
    assert [g["group"] for g in report["groups"]] == ["North"]
    assert report["groups"][0]["good_or_better_pct"] == 100.0
    assert report["suppressed_groups"] == 2
    assert report["audits"] == 13  # the whole is big enough to show
    tiny = build_report(Facts(audits=facts.audits[11:]), "team", TODAY, min_group=5)
    assert tiny["suppressed"] and tiny["audits"] is None and tiny["groups"] == []


def test_by_section_grades_each_section_and_by_month_uses_the_end_date() -> None:
    facts = Facts(
        audits=[audit("a1", month="2026-01"), audit("a2", month="2026-02")],
        sections=[
            SectionFact("a1", "smart-plans/smart", "good"),
            SectionFact("a1", "smart-plans/contingency", "inadequate"),
            SectionFact("a2", "smart-plans/smart", "inadequate"),
        ],
    )
    by_section = {g["group"]: g for g in build_report(facts, "section", TODAY)["groups"]}
    assert by_section["smart-plans/smart"]["good_or_better_pct"] == 50.0
    assert by_section["smart-plans/contingency"]["audits"] == 1
    by_month = [g["group"] for g in build_report(facts, "month", TODAY)["groups"]]
    assert by_month == ["2026-01", "2026-02"]


def test_themes_are_tagged_questions_most_often_answered_no_or_partly() -> None:
    facts = Facts(
        audits=[audit("a1"), audit("a2"), audit("a3")],
        themes=[
            ThemeFact("a1", "smart-plans", "timely", ("drift_delay",), "no"),
            ThemeFact("a2", "smart-plans", "timely", ("drift_delay",), "partly"),
            ThemeFact("a3", "smart-plans", "timely", ("drift_delay",), "yes"),
            ThemeFact("a1", "smart-plans", "specific", ("smart",), "partly"),
            ThemeFact("a2", "smart-plans", "realistic", ("smart",), "yes"),
        ],
    )
    themes = build_report(facts, None, TODAY)["question_themes"]
    assert [(t["question_id"], t["no"], t["partly"], t["answered"]) for t in themes] == [
        ("timely", 1, 1, 3),
        ("specific", 0, 1, 1),
    ]
    assert themes[0]["no_or_partly_pct"] == 66.7


def test_good_or_better_is_each_scales_top_grades() -> None:
    assert GOOD_OR_BETTER == {"outstanding", "good", "met"}
    names = [g for s in SCALES.values() for g in s.grades]
    assert len(names) == len(set(names)), "scales must not share grade names"


def test_the_earliest_completion_wins_whatever_the_order() -> None:
    def rec(source: str, at: str, status: str, done: str | None, owner: str | None) -> ActionRecord:
        return ActionRecord(
            "x", "a", source, canonical_stamp(at), status, done, owner, "2026-02-01"
        )

    records = [
        rec("owner", "2026-01-05T09:00:00+00:00", "open", None, "Sam"),
        rec("hub", "2026-01-20T09:00:00+00:00", "done", "2026-01-19", None),
        rec("owner", "2026-01-21T09:00:00Z", "done", "2026-01-21", "Sam Taylor"),
    ]
    for order in (records, records[::-1], records[1:] + records[:1]):
        merged = merge_action(order)
        assert (merged.status, merged.completed_on, merged.owner) == (
            "done",
            "2026-01-19",
            "Sam Taylor",
        )
