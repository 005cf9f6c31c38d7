"""Properties of format 2: computed working days against a slow count, and section applicability.

Working days: the computed count must equal a day-by-day count made straight
from the ``holidays`` package (the spec's reference: its ``UK`` calendar
with subdivision ENG, SCT or NIR), for any two dates and any calendar,
including B before A (minus the count from B to A).

Applicability: over random tools whose sections have conditions on audit
details and earlier answers and may be marked not applicable, a section is
shown exactly when its condition holds and it is not marked N/A; a hidden
section's questions are hidden and it is not graded; and nothing typed into
a hidden section changes any part of the result.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.domain.compute import count_between
from auditui.domain.conditions import holds, resolve
from auditui.domain.grading import grade_audit
from auditui.tools.checks import check_tool
from auditui.tools.models import AuditTool

SUBDIVISIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


@functools.cache
def _bank_holidays(subdivision: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


def slow_working_days(start: dt.date, end: dt.date, calendar: str) -> int:
    """Walk the days one by one: d with start < d <= end, Monday to Friday, not a bank holiday."""
    if end < start:
        return -slow_working_days(end, start, calendar)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        closed = _bank_holidays(SUBDIVISIONS[calendar], day.year)
        if day.weekday() < 5 and day not in closed:
            count += 1
    return count


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=300)
@given(a=dates, span=st.integers(-400, 400), calendar=st.sampled_from(sorted(SUBDIVISIONS)))
def test_computed_working_days_match_a_day_by_day_count(
    a: dt.date, span: int, calendar: str
) -> None:
    b = a + dt.timedelta(days=span)
    assert count_between(a, b, True, calendar) == slow_working_days(a, b, calendar)
    assert count_between(a, b, False, calendar) == span


WD_TOOL = AuditTool.model_validate(
    {
        "format": 2,
        "id": "wd",
        "version": 1,
        "title": "WD",
        "sections": [
            {
                "id": "s",
                "title": "S",
                "questions": [
                    {"id": "a", "text": "A", "type": "date"},
                    {"id": "b", "text": "B", "type": "date"},
                    {
                        "id": "n",
                        "text": "N",
                        "type": "number",
                        "compute": {"working_days": {"from": "a", "to": "b"}},
                    },
                    {
                        "id": "y",
                        "text": "Y",
                        "type": "yes_no",
                        "compute": {"working_days": {"from": "a", "to": "b"}, "at_most": 20},
                    },
                ],
            }
        ],
    }
)


@settings(max_examples=150)
@given(a=dates, span=st.integers(0, 120), calendar=st.sampled_from(sorted(SUBDIVISIONS)))
def test_a_computed_question_holds_the_count_in_the_audits_calendar(
    a: dt.date, span: int, calendar: str
) -> None:
    b = a + dt.timedelta(days=span)
    result = grade_audit(WD_TOOL, {"a": a.isoformat(), "b": b.isoformat()}, calendar=calendar)
    expected = slow_working_days(a, b, calendar)
    assert result.computed == {"n": expected, "y": "yes" if expected <= 20 else "no"}


# --- Section applicability --------------------------------------------------------------------

CASE_TYPES = ["CIN", "CP", "CLA"]
KINDS = ["case_file", "themed", "deep_dive"]


@st.composite
def leaf(draw: st.DrawFn, earlier: list[str]) -> dict[str, Any]:
    options = ["case_type", "kind", "practitioner_present"] + (["question"] if earlier else [])
    what = draw(st.sampled_from(options))
    if what == "question":
        return {
            "question": draw(st.sampled_from(earlier)),
            "equals": draw(st.sampled_from(["yes", "no"])),
        }
    if what == "practitioner_present":
        return {"detail": what, "equals": draw(st.booleans())}
    values = CASE_TYPES if what == "case_type" else KINDS
    return {"detail": what, "in": draw(st.lists(st.sampled_from(values), min_size=1, unique=True))}


@st.composite
def condition(draw: st.DrawFn, earlier: list[str]) -> dict[str, Any]:
    form = draw(st.sampled_from(["leaf", "leaf", "not", "all", "any"]))
    if form == "leaf":
        return draw(leaf(earlier))
    if form == "not":
        return {"not": draw(leaf(earlier))}
    return {form: draw(st.lists(leaf(earlier), min_size=1, max_size=3))}


@st.composite
def applicability_tools(draw: st.DrawFn) -> AuditTool:
    sections = []
    earlier: list[str] = []
    for si in range(draw(st.integers(1, 5))):
        sid = f"s{si}"
        questions = [
            {"id": f"{sid}q{qi}", "text": "Q", "type": "yes_no", "points": {"yes": 1, "no": 0}}
            for qi in range(draw(st.integers(1, 3)))
        ]
        section: dict[str, Any] = {
            "id": sid,
            "title": sid,
            "grading": draw(st.sampled_from(["score", "judgement", "none"])),
            "questions": questions,
            "allow_na": draw(st.booleans()),
        }
        if draw(st.booleans()):
            section["show_if"] = draw(condition(earlier))
        sections.append(section)
        earlier += [q["id"] for q in questions]
    tool = AuditTool.model_validate(
        {
            "format": 2,
            "id": "app",
            "version": 1,
            "title": "App",
            "applies_to": CASE_TYPES,
            "sections": sections,
        }
    )
    assert check_tool(tool) == [], check_tool(tool)
    return tool


@st.composite
def audits(draw: st.DrawFn) -> tuple[AuditTool, dict, dict, dict]:
    tool = draw(applicability_tools())
    answers = {
        q.id: draw(st.sampled_from(["yes", "no"])) for q in tool.questions if draw(st.booleans())
    }
    details = {
        "case_type": draw(st.none() | st.sampled_from(CASE_TYPES)),
        "kind": draw(st.none() | st.sampled_from(KINDS)),
        "practitioner_present": draw(st.none() | st.booleans()),
    }
    sections_na = {
        s.id: draw(st.sampled_from(["Not for this child.", "  "]))
        for s in tool.sections
        if draw(st.booleans())
    }
    return tool, answers, details, sections_na


@settings(max_examples=200)
@given(audit=audits())
def test_a_section_is_shown_exactly_when_it_applies(audit: tuple) -> None:
    tool, answers, details, sections_na = audit
    view = resolve(tool, answers, details, sections_na)
    result = grade_audit(tool, answers, details=details, sections_na=sections_na)
    for section in tool.sections:
        marked = (
            section.allow_na and section.id in sections_na and bool(sections_na[section.id].strip())
        )
        applies = section.show_if is None or holds(section.show_if, view.answers, details)
        shown = section.id in view.sections
        assert shown is (applies and not marked)
        ids = [q.id for q in section.questions]
        graded = result.sections[section.id]
        if not shown:
            assert not set(ids) & set(result.visible)
            assert not set(ids) & set(result.missing)
            assert (graded.percent, graded.suggested, graded.final) == (None, None, None)
            assert section.id not in result.missing_grades
        elif section.grading.rule == "none":
            assert graded.final is None and section.id not in result.missing_grades
        else:
            assert (graded.final is None) is (section.id in result.missing_grades)


@settings(max_examples=200)
@given(audit=audits(), flips=st.data())
def test_nothing_typed_into_a_hidden_section_changes_the_result(
    audit: tuple, flips: st.DataObject
) -> None:
    tool, answers, details, sections_na = audit
    before = grade_audit(tool, answers, details=details, sections_na=sections_na)
    hidden = [
        s
        for s in tool.sections
        if s.id not in resolve(tool, answers, details, sections_na).sections
    ]
    changed = dict(answers)
    for section in hidden:
        for question in section.questions:
            changed[question.id] = flips.draw(st.sampled_from(["yes", "no"]))
    grades = {s.id: "inadequate" for s in hidden}
    after = grade_audit(tool, changed, grades=grades, details=details, sections_na=sections_na)
    assert after == before
