"""Regrading after one change must give exactly what grading from scratch gives.

The answer path keeps each section's grading and regrades only what a
change touched (``services/regrade.py``). After any sequence of answers,
cleared answers, evidence notes and chosen grades, on generated tools
(nested conditions, caps, every rule) and on every shipped tool, the
result must equal ``grade_audit()`` on the same inputs, field for field.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_grading_properties import PROPERTY_SETTINGS, build, tool_dicts

from auditui.domain.grading import grade_audit
from auditui.services.regrade import regrade
from auditui.tools.library import ToolLibrary
from auditui.tools.models import AuditTool


@functools.cache
def shipped_tools() -> list[AuditTool]:
    """The newest version of every shipped tool (parsed afresh: no parse cache on disk)."""
    return ToolLibrary.load(cache=False).current()


@st.composite
def changes(draw: st.DrawFn, tool: AuditTool) -> list[tuple[str, str, Any]]:
    """A sequence of (kind, target, value): answer, clear, note, grade."""
    scopes = [s.id for s in tool.sections] + ["overall"]
    out = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(("answer", "answer", "answer", "clear", "note", "grade")))
        if kind == "grade":
            grade = draw(st.none() | st.sampled_from(tool.scale_def.grades))
            out.append((kind, draw(st.sampled_from(scopes)), grade))
            continue
        question = draw(st.sampled_from(tool.questions))
        if kind == "answer":
            values = question.choice_values(tool.scale_def)
            if question.type == "multi":
                value: Any = draw(st.lists(st.sampled_from(values or ("x",)), unique=True))
            elif values:
                value = draw(st.sampled_from(values))
            else:
                value = draw(st.sampled_from(("no", "yes", "x", 3, 4.5)))
        elif kind == "note":
            value = draw(st.sampled_from((None, "", "  ", "Seen at home.")))
        else:
            value = None
        out.append((kind, question.id, value))
    return out


def replay(tool: AuditTool, steps: list[tuple[str, str, Any]]) -> None:
    answers: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    chosen: dict[str, str] = {}
    grading, memo = regrade(tool, answers, evidence, chosen)
    assert grading == grade_audit(tool, answers, evidence, chosen)
    for kind, target, value in steps:
        questions: tuple[str, ...] = ()
        scopes: tuple[str, ...] = ()
        if kind == "grade":
            chosen = _with(chosen, target, value)
            scopes = (target,)
        elif kind == "note":
            evidence = _with(evidence, target, value or None)
            questions = (target,)
        else:
            answers = _with(answers, target, value)
            questions = (target,)
        grading, memo = regrade(tool, answers, evidence, chosen, memo, questions, scopes)
        expected = grade_audit(tool, answers, evidence, chosen)
        assert grading == expected, (kind, target, value)
        assert grading.progress == expected.progress


def _with(mapping: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    out = dict(mapping)
    if value is None:
        out.pop(key, None)
    else:
        out[key] = value
    return out


@PROPERTY_SETTINGS
@given(st.data())
def test_regrading_generated_tools_equals_grading_from_scratch(data: st.DataObject) -> None:
    tool = build(data.draw(tool_dicts()))
    replay(tool, data.draw(changes(tool)))


@PROPERTY_SETTINGS
@given(st.data())
def test_regrading_shipped_tools_equals_grading_from_scratch(data: st.DataObject) -> None:
    tool = data.draw(st.sampled_from(shipped_tools()))
    replay(tool, data.draw(changes(tool)))


def test_a_memo_from_another_tool_is_not_trusted() -> None:
    first, second = shipped_tools()[:2]
    answers = {q.id: q.choice_values(first.scale_def)[0] for q in first.questions[:3]}
    _, memo = regrade(first, answers, {}, {})
    grading, _ = regrade(second, {}, {}, {}, memo, ())
    assert grading == grade_audit(second, {}, {}, {})
