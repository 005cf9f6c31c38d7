"""Moderation through the services on a real SQLite file: sample, start blind, compare, agree.

Several people share one database here as separate Workspaces (the QA lead,
two auditors); the hub tests put them in separate homes.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from moderation_support import DAY, ended_audit, grade_and_end, make_ws, write_tool

from auditui.errors import NotFoundError, ProgrammeError, StateError
from auditui.services import audits
from auditui.services import moderation as service
from auditui.services import moderation_review as review
from auditui.services.workspace import Workspace


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    return write_tool(tmp_path / "tools")


@pytest.fixture
def lead(tmp_path: Path, tools: Path) -> Iterator[Workspace]:
    ws = make_ws(tmp_path / "auditui.db", tools, "Quinn Lead")
    yield ws
    ws.close()


def person(lead: Workspace, tools: Path, name: str) -> Workspace:
    return make_ws(lead.store.path, tools, name)


def month_of_audits(lead: Workspace, counts: dict[str, int]) -> dict[str, str]:
    made = {}
    n = 0
    for auditor, count in counts.items():
        for _ in range(count):
            n += 1
            made[ended_audit(lead, auditor, f"CF{n:04d}")] = auditor
    return made


def test_a_sample_takes_the_percentage_and_the_minimum_and_never_the_own_auditor(lead):
    made = month_of_audits(lead, {"Ann": 8, "Bob": 1, "Cai": 1})
    picked = service.sample(lead, "2026-11", 20, min_per_auditor=1, seed="7")
    # each auditor's minimum first (3), which is already 20% of 10 rounded up (2) or more
    assert Counter(a.auditor for a in picked) == {"Ann": 1, "Bob": 1, "Cai": 1}
    assert all(a.moderator != a.auditor for a in picked)
    assert {a.status for a in picked} == {"allocated"}
    assert all(made[a.audit_id] == a.auditor for a in picked)
    more = service.sample(lead, "2026-11", 50, seed="7")
    assert len(more) == 4  # half of the 7 left, rounded up; none picked twice
    assert not {a.audit_id for a in more} & {a.audit_id for a in picked}


def test_the_same_audits_and_seed_give_the_same_sample(lead, tools, tmp_path):
    month_of_audits(lead, {"Ann": 6, "Bob": 5, "Cai": 4})
    lead.close()
    chosen = []
    for home, seed in (("one", "s1"), ("two", "s1"), ("three", "other")):
        (tmp_path / home).mkdir()
        copy = tmp_path / home / "auditui.db"
        shutil.copyfile(tmp_path / "auditui.db", copy)
        ws = make_ws(copy, tools, "Quinn Lead")
        picked = service.sample(ws, "2026-11", 40, min_per_auditor=1, seed=seed)
        chosen.append(sorted((a.audit_id, a.moderator) for a in picked))
        ws.close()
    assert len(chosen[0]) == 6  # 40% of 15
    assert chosen[0] == chosen[1]
    assert chosen[0] != chosen[2]


def test_refusals_are_one_sentence_and_write_nothing(lead):
    month_of_audits(lead, {"Ann": 2})
    with pytest.raises(ProgrammeError, match="not a month; write it as YYYY-MM"):
        service.sample(lead, "11/2026", 10)
    with pytest.raises(ProgrammeError, match="--percent: 0 is not a percentage"):
        service.sample(lead, "2026-11", 0)
    with pytest.raises(ProgrammeError, match="No audit that ended in 2026-10"):
        service.sample(lead, "2026-10", 10)
    with pytest.raises(ProgrammeError) as caught:
        service.sample(lead, "2026-11", 100, moderators=["Ann"])
    assert (
        "never given to its own auditor and Ann is the only moderator named" in caught.value.message
    )
    # with no moderator named the month's auditors moderate each other: Ann alone cannot
    with pytest.raises(ProgrammeError, match="Ann is the month's only auditor"):
        service.sample(lead, "2026-11", 100)
    assert service.show(lead) == []


def test_the_re_audit_is_blind_until_it_ends_then_both_are_side_by_side(lead, tools):
    original = ended_audit(lead, "Ann", "CF0001", plan="outstanding", visits="good")
    [allocation] = service.sample(lead, "2026-11", 100, moderators=["Bob"], seed="1")
    ann, bob = person(lead, tools, "Ann"), person(lead, tools, "Bob")
    with pytest.raises(StateError, match="Ann's own audit"):
        service.start_moderation(ann, original[:8])
    again = service.start_moderation(bob, original)
    state = audits.load(bob, again)
    assert (state.audit.kind, state.audit.auditor, state.audit.case_ref) == (
        "moderation",
        "Bob",
        "CF0001",
    )
    assert state.audit.tool_version == 1 and state.answers == {}  # nothing of Ann's copied
    with pytest.raises(StateError, match="already being moderated"):
        service.start_moderation(bob, allocation.id)
    with pytest.raises(StateError, match="has not ended; the original's answers and grades"):
        review.comparison(bob, allocation.id)
    with pytest.raises(StateError, match="has not ended"):
        review.agree(bob, allocation.id, "good", "We looked again.")
    assert service.show(bob, mine=True)[0].status == "started"
    grade_and_end(bob, again, plan="good", visits="good")
    side = review.comparison(bob, allocation.id)
    assert [(s.section, s.original, s.moderated) for s in side.sections] == [
        ("overall", "good", "good"),
        ("plan", "outstanding", "good"),
        ("visits", "good", "good"),
    ]
    assert [(a.question, a.original, a.moderated) for a in side.answers][0] == (
        "plan_quality",
        "outstanding",
        "good",
    )
    assert service.show(bob)[0].status == "ended"
    ann.close()
    bob.close()


def test_agree_records_the_grade_who_and_why_once(lead, tools):
    original = ended_audit(lead, "Ann", "CF0001", plan="outstanding", visits="good")
    service.sample(lead, "2026-11", 100, moderators=["Bob"], seed="1")
    bob = person(lead, tools, "Bob")
    grade_and_end(bob, service.start_moderation(bob, original), "requires_improvement", "good")
    with pytest.raises(ProgrammeError, match="'great' is not a grade of this tool"):
        review.agree(bob, original, "great", "Because.")
    with pytest.raises(ProgrammeError, match="--reason: say why"):
        review.agree(bob, original, "good", "   ")
    row = review.agree(bob, original, "good", "The plan is good but not outstanding.")
    assert (row["agreed_grade"], row["agreed_by"]) == ("good", "Bob")
    assert row["agreed_reason"] == "The plan is good but not outstanding."
    assert service.show(lead)[0].as_json()["status"] == "agreed"
    with pytest.raises(StateError, match="already has an agreed grade"):
        review.agree(lead, original, "inadequate", "Changed my mind.")
    bob.close()


def test_the_report_pairs_ended_re_audits_by_auditor_and_section(lead, tools):
    first = ended_audit(lead, "Ann", "CF0001", plan="outstanding", visits="good")
    second = ended_audit(lead, "Cai", "CF0002", plan="good", visits="good", team="South")
    service.sample(lead, "2026-11", 100, moderators=["Bob"], seed="1")
    bob = person(lead, tools, "Bob")
    grade_and_end(bob, service.start_moderation(bob, first), "good", "requires_improvement")
    grade_and_end(bob, service.start_moderation(bob, second), "good", "good")
    out = review.report(lead, by="auditor")
    assert (out["pairs"], out["original_higher"], out["original_lower"]) == (2, 1, 0)
    assert out["exact_agreement_pct"] == 50.0 and out["within_one_pct"] == 100.0
    assert [(g["group"], g["original_higher"]) for g in out["groups"]] == [("Ann", 1), ("Cai", 0)]
    by_section = review.report(lead, by="section")
    assert [(g["group"], g["pairs"]) for g in by_section["groups"]] == [("plan", 2), ("visits", 2)]
    assert review.report(lead, start="2026-12-01")["pairs"] == 0
    assert review.report(lead, end=DAY.isoformat())["pairs"] == 2
    with pytest.raises(NotFoundError, match="No audit picked for moderation matches"):
        review.comparison(lead, "zzzzzzzz")
    bob.close()
