"""Every refusal format 2 adds (the spec's Errors list), one real YAML file each, table-driven.

Each case must be refused with the spec's form ``path:line: tool/section/question:
problem``, on the line of the part to fix, naming it in words a QA lead can
act on; and each format 2 feature used in a format 1 file is refused with a
message saying it needs ``format: 2``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditui.errors import ToolFileError
from auditui.tools.loader import load_tool_file

PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<context>[^\n]+?): (?P<message>.+)$")


def tool(
    questions: str,
    *,
    fmt: int = 2,
    top: str = "",
    section: str = "",
    more: str = "",
) -> str:
    """A tool with section `s1` holding ``questions``; ``more`` adds whole sections after it."""
    body = textwrap.indent(textwrap.dedent(questions).strip("\n"), " " * 6)
    extra = textwrap.indent(textwrap.dedent(section).strip("\n"), " " * 4)
    tail = textwrap.indent(textwrap.dedent(more).strip("\n"), " " * 2)
    return (
        f"format: {fmt}\nid: f2-tool\nversion: 1\ntitle: Format two\n"
        + textwrap.dedent(top)
        + "sections:\n  - id: s1\n    title: Section one\n"
        + (extra + "\n" if extra else "")
        + "    questions:\n"
        + body
        + "\n"
        + (tail + "\n" if tail else "")
    )


DATES = """
- {id: d1, text: First date, type: date}
- {id: d2, text: Second date, type: date}
"""

SOS = """\
scale: sos
scales:
  - id: sos
    grades:
      - {id: sos_2, label: Two}
      - {id: sos_1, label: One}
      - {id: sos_0, label: Zero}
    good_or_better: 1
    thresholds: {sos_2: 80, sos_1: 40}
"""


@dataclass(frozen=True)
class Case:
    text: str
    needle: str
    """Text on the (only) line the message must point at."""
    context: str
    words: tuple[str, ...]


def gate(what: str, text: str, needle: str, context: str) -> Case:
    return Case(text, needle, context, (what, "needs format: 2"))


FORMAT1 = {
    "subject": gate(
        "subject",
        tool("- {id: q1, text: Q, type: yes_no}", fmt=1, top="subject: case\n"),
        "subject:",
        "f2-tool",
    ),
    "scales": gate(
        "scales", tool("- {id: q1, text: Q, type: grade}", fmt=1, top=SOS), "scales:", "f2-tool"
    ),
    "section show_if": gate(
        "show_if",
        tool(
            "- {id: q2, text: Q, type: yes_no}",
            fmt=1,
            section="show_if: {question: q1, equals: yes}",
        ).replace(
            "sections:\n",
            "sections:\n  - {id: s0, title: S0, questions: [{id: q1, text: Q, type: yes_no}]}\n",
        ),
        "show_if: {question: q1",
        "f2-tool/s1",
    ),
    "section allow_na": gate(
        "allow_na",
        tool("- {id: q1, text: Q, type: yes_no}", fmt=1, section="allow_na: true"),
        "allow_na: true",
        "f2-tool/s1",
    ),
    "section number": gate(
        "number",
        tool("- {id: q1, text: Q, type: yes_no}", fmt=1, section='number: "1"'),
        'number: "1"',
        "f2-tool/s1",
    ),
    "question number": gate(
        "number",
        tool('- {id: q1, number: "1.1", text: Q, type: yes_no}', fmt=1),
        "number:",
        "f2-tool/s1/q1",
    ),
    "compute": gate(
        "compute",
        tool(
            DATES + "- {id: c, text: C, type: number, compute: {days: {from: d1, to: d2}}}", fmt=1
        ),
        "id: c,",
        "f2-tool/s1/c",
    ),
    "measure": gate(
        "measure",
        tool("- {id: q1, text: Q, type: yes_no, measure: {label: L}}", fmt=1),
        "measure",
        "f2-tool/s1/q1",
    ),
    "grading none": gate(
        "grading: none",
        tool("- {id: q1, text: Q, type: yes_no}", fmt=1, section="grading: none"),
        "grading: none",
        "f2-tool/s1",
    ),
    "rationale": gate(
        "rationale",
        tool(
            "- {id: q1, text: Q, type: yes_no}",
            fmt=1,
            section="grading: {rule: judgement, rationale: always}",
        ),
        "rationale: always",
        "f2-tool/s1",
    ),
    "detail condition": gate(
        "detail condition",
        tool("- {id: q1, text: Q, type: yes_no, show_if: {detail: kind, equals: themed}}", fmt=1),
        "show_if",
        "f2-tool/s1/q1",
    ),
    "question limit": gate(
        "{question: QID} limit",
        tool(
            "- {id: d1, text: D, type: date}\n- {id: d2, text: E, type: date, min: {question: d1}}",
            fmt=1,
        ),
        "id: d2",
        "f2-tool/s1/d2",
    ),
}

Q1 = "- {id: q1, text: Q, type: yes_no}"
S0 = "sections:\n  - {id: s0, title: S0, questions: [{id: q0, text: Q, type: yes_no}]}\n"

FORMAT2 = {
    "subject not case or worker": Case(
        tool(Q1, top="subject: child\n"),
        "subject:",
        "f2-tool",
        ("subject", "'child'", "case or worker"),
    ),
    "applies_to with subject worker": Case(
        tool(Q1, top="subject: worker\napplies_to: [CP]\n"),
        "applies_to",
        "f2-tool",
        ("applies_to", "subject: worker"),
    ),
    "section show_if on its own section": Case(
        tool(Q1, section="show_if: {question: q1, equals: yes}"),
        "show_if:",
        "f2-tool/s1",
        ("'q1'", "same or a later section"),
    ),
    "section show_if on a later section": Case(
        tool(
            Q1,
            section="show_if: {question: q9, equals: yes}",
            more="- {id: s9, title: S9, questions: [{id: q9, text: Q, type: yes_no}]}",
        ),
        "show_if:",
        "f2-tool/s1",
        ("'q9'", "same or a later section"),
    ),
    "unknown detail": Case(
        tool("- {id: q1, text: Q, type: yes_no, show_if: {detail: colour, equals: red}}"),
        "show_if",
        "f2-tool/s1/q1",
        ("detail 'colour'", "case_type, kind, practitioner_present"),
    ),
    "case type outside applies_to": Case(
        tool(
            "- {id: q1, text: Q, type: yes_no, show_if: {detail: case_type, in: [CP, EH]}}",
            top="applies_to: [CP, CLA]\n",
        ),
        "show_if",
        "f2-tool/s1/q1",
        ("case type 'EH'", "CP, CLA"),
    ),
    "kind not listed": Case(
        tool("- {id: q1, text: Q, type: yes_no, show_if: {detail: kind, equals: audit}}"),
        "show_if",
        "f2-tool/s1/q1",
        ("kind 'audit'", "deep_dive"),
    ),
    "practitioner_present compared with yes": Case(
        tool(
            "- {id: q1, text: Q, type: yes_no, show_if: {detail: practitioner_present, equals: yes}}"
        ),
        "show_if",
        "f2-tool/s1/q1",
        ("practitioner_present", "true or false", "'yes'"),
    ),
    "case_type in a worker tool": Case(
        tool(
            "- {id: q1, text: Q, type: yes_no, show_if: {detail: case_type, equals: CP}}",
            top="subject: worker\n",
        ),
        "show_if",
        "f2-tool/s1/q1",
        ("case_type", "subject: worker"),
    ),
    "answered on a detail": Case(
        tool("- {id: q1, text: Q, type: yes_no, show_if: {detail: kind, answered: true}}"),
        "show_if",
        "f2-tool/s1/q1",
        ("answered", "not allowed on a detail"),
    ),
    "thresholds with none": Case(
        tool(Q1, section="grading: {rule: none, thresholds: {good: 50}}"),
        "grading:",
        "f2-tool/s1",
        ("thresholds", "score"),
    ),
    "rationale with none": Case(
        tool(Q1, section="grading: {rule: none, rationale: always}"),
        "grading:",
        "f2-tool/s1",
        ("rationale", "none"),
    ),
    "none as the overall rule": Case(
        tool(Q1, top="grading: {overall: none}\n"),
        "overall",
        "f2-tool",
        ("'none'", "overall"),
    ),
    "overall score with a judgement section": Case(
        tool(Q1, top="grading: {overall: score}\n"),
        "overall",
        "f2-tool",
        ("overall: score", "s1"),
    ),
    "overall score with no score section": Case(
        tool(Q1, top="grading: {overall: score}\n", section="grading: none"),
        "overall",
        "f2-tool",
        ("overall: score", "at least one section graded by score"),
    ),
    "overall lowest_section when every section is none": Case(
        tool(Q1, top="grading: {overall: lowest_section}\n", section="grading: none"),
        "overall",
        "f2-tool",
        ("lowest_section", "not none"),
    ),
    "number as a YAML number": Case(
        tool(Q1, section="number: 1.5"),
        "number: 1.5",
        "f2-tool/s1",
        ("number", "quoted", "1.5"),
    ),
    "number unquoted text": Case(
        tool(Q1, section="number: 12a"),
        "number: 12a",
        "f2-tool/s1",
        ("number", "quoted", '"12a"'),
    ),
    "number too long": Case(
        tool(Q1, section='number: "123456789012345678901"'),
        "number:",
        "f2-tool/s1",
        ("number", "1 to 20 characters"),
    ),
    "number with a line break": Case(
        tool(Q1, section='number: "1\\n2"'),
        "number:",
        "f2-tool/s1",
        ("number", "one line"),
    ),
    "number used twice": Case(
        tool('- {id: q1, number: "A", text: Q, type: yes_no}', section='number: "A"'),
        "id: q1",
        "f2-tool/s1/q1",
        ("number 'A'", "used twice"),
    ),
    "number that is an automatic number": Case(
        tool('- {id: q1, text: Q, type: yes_no}\n- {id: q2, number: "1.1", text: Q, type: yes_no}'),
        "id: q2",
        "f2-tool/s1/q2",
        ("number '1.1'", "automatic number", "'q1'"),
    ),
    "rationale other than when_changed or always": Case(
        tool(Q1, section="grading: {rule: judgement, rationale: sometimes}"),
        "grading:",
        "f2-tool/s1",
        ("rationale", "'sometimes'", "when_changed or always"),
    ),
    "scale naming no scale": Case(
        tool("- {id: q1, text: Q, type: grade}", top="scale: sos\n"),
        "scale: sos",
        "f2-tool",
        ("scale 'sos'", "names no scale"),
    ),
    "compute on a text question": Case(
        tool(DATES + "- {id: c, text: C, type: text, compute: {days: {from: d1, to: d2}}}"),
        "id: c,",
        "f2-tool/s1/c",
        ("compute", "number and yes_no", "text"),
    ),
    "compute with both counts": Case(
        tool(
            DATES + "- {id: c, text: C, type: number, compute: {days: {from: d1, to: d2}, "
            "working_days: {from: d1, to: d2}}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("exactly one of days or working_days",),
    ),
    "compute with neither count": Case(
        tool(DATES + "- {id: c, text: C, type: number, compute: {}}"),
        "id: c,",
        "f2-tool/s1/c",
        ("exactly one of days or working_days",),
    ),
    "compute from an unknown question": Case(
        tool(DATES + "- {id: c, text: C, type: number, compute: {days: {from: d0, to: d2}}}"),
        "id: c,",
        "f2-tool/s1/c",
        ("from", "'d0'", "not a question"),
    ),
    "compute to a later question": Case(
        tool(
            "- {id: d1, text: D, type: date}\n- {id: c, text: C, type: number, compute: "
            "{days: {from: d1, to: d2}}}\n- {id: d2, text: E, type: date}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("to", "'d2'", "later question"),
    ),
    "compute from a question that is not a date": Case(
        tool(
            "- {id: d1, text: D, type: text}\n- {id: d2, text: E, type: date}\n"
            "- {id: c, text: C, type: number, compute: {days: {from: d1, to: d2}}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("'d1'", "text question, not a date"),
    ),
    "at_most missing on yes_no": Case(
        tool(DATES + "- {id: c, text: C, type: yes_no, compute: {days: {from: d1, to: d2}}}"),
        "id: c,",
        "f2-tool/s1/c",
        ("at_most",),
    ),
    "at_most on a number question": Case(
        tool(
            DATES
            + "- {id: c, text: C, type: number, compute: {days: {from: d1, to: d2}, at_most: 5}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("at_most", "yes_no"),
    ),
    "at_most below 0": Case(
        tool(
            DATES
            + "- {id: c, text: C, type: yes_no, compute: {days: {from: d1, to: d2}, at_most: -1}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("at_most", "0 or more"),
    ),
    "at_most not whole": Case(
        tool(
            DATES
            + "- {id: c, text: C, type: yes_no, compute: {days: {from: d1, to: d2}, at_most: 1.5}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("at_most", "whole number"),
    ),
    "min on a computed question": Case(
        tool(
            DATES + "- {id: c, text: C, type: number, min: 0, compute: {days: {from: d1, to: d2}}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("min", "computed question"),
    ),
    "integer on a computed question": Case(
        tool(
            DATES
            + "- {id: c, text: C, type: number, integer: true, compute: {days: {from: d1, to: d2}}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("integer", "computed question"),
    ),
    "required on a computed question": Case(
        tool(
            DATES
            + "- {id: c, text: C, type: number, required: false, compute: {days: {from: d1, to: d2}}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("required", "computed question"),
    ),
    "allow_na on a computed question": Case(
        tool(
            DATES + "- {id: c, text: C, type: yes_no, allow_na: true, compute: "
            "{days: {from: d1, to: d2}, at_most: 3}}"
        ),
        "id: c,",
        "f2-tool/s1/c",
        ("allow_na", "computed question"),
    ),
    "question limit on a number question": Case(
        tool(
            "- {id: d1, text: D, type: date}\n- {id: n, text: N, type: number, min: {question: d1}}"
        ),
        "id: n,",
        "f2-tool/s1/n",
        ("min", "only on a date question"),
    ),
    "question limit naming an unknown question": Case(
        tool("- {id: d2, text: E, type: date, min: {question: d0}}"),
        "id: d2",
        "f2-tool/s1/d2",
        ("min", "'d0'", "not a question"),
    ),
    "question limit naming a later question": Case(
        tool(
            "- {id: d1, text: D, type: date, max: {question: d2}}\n- {id: d2, text: E, type: date}"
        ),
        "id: d1",
        "f2-tool/s1/d1",
        ("max", "'d2'", "later question"),
    ),
    "question limit naming a question that is not a date": Case(
        tool("- {id: t, text: T, type: text}\n- {id: d2, text: E, type: date, min: {question: t}}"),
        "id: d2",
        "f2-tool/s1/d2",
        ("min", "'t'", "not a date question"),
    ),
    "measure on a grade question": Case(
        tool("- {id: q1, text: Q, type: grade, measure: {label: L}}"),
        "id: q1",
        "f2-tool/s1/q1",
        ("measure", "yes_no and yes_partly_no", "grade"),
    ),
    "measure without a label": Case(
        tool("- {id: q1, text: Q, type: yes_no, measure: {target: 70}}"),
        "id: q1",
        "f2-tool/s1/q1",
        ("label",),
    ),
    "measure target above 100": Case(
        tool("- {id: q1, text: Q, type: yes_no, measure: {label: L, target: 101}}"),
        "id: q1",
        "f2-tool/s1/q1",
        ("target", "0 to 100"),
    ),
    "allow_na on text (2 only)": Case(
        tool("- {id: q1, text: Q, type: text, allow_na: true}"),
        "id: q1",
        "f2-tool/s1/q1",
        ("allow_na", "text"),
    ),
    "allow_na on multi (2 only)": Case(
        tool("- {id: q1, text: Q, type: multi, allow_na: true, options: [{id: a, label: A}]}"),
        "id: q1",
        "f2-tool/s1/q1",
        ("allow_na", "multi"),
    ),
    "option id na (2 only)": Case(
        tool("- {id: q1, text: Q, type: choice, options: [{id: na, label: None}]}"),
        "id: q1",
        "f2-tool/s1/q1",
        ("option id 'na'",),
    ),
    "points naming na (2 only)": Case(
        tool("- {id: q1, text: Q, type: yes_no, allow_na: true, points: {yes: 1, no: 0, na: 1}}"),
        "id: q1",
        "f2-tool/s1/q1",
        ("points", "'na'"),
    ),
    "limiting naming na (2 only)": Case(
        tool(
            "- {id: q1, text: Q, type: yes_no, allow_na: true, limiting: {answers: [na], cap: good}}",
            section="grading: lowest",
        ),
        "id: q1",
        "f2-tool/s1/q1",
        ("limiting", "'na'"),
    ),
}


def _scale_case(change: tuple[str, str], needle: str, words: tuple[str, ...]) -> Case:
    text = tool("- {id: q1, text: Q, type: grade}", top=SOS.replace(*change))
    return Case(text, needle, "f2-tool", words)


SCALES = {
    "scale id ofsted": _scale_case(
        ("- id: sos", "- id: ofsted"), "- id: ofsted", ("'ofsted'", "fixed")
    ),
    "scale id malformed": _scale_case(
        ("- id: sos", "- id: Sos-1"), "- id: Sos-1", ("'Sos-1'", "lower case")
    ),
    "fewer than two grades": _scale_case(
        ("      - {id: sos_1, label: One}\n      - {id: sos_0, label: Zero}\n", ""),
        "grades:",
        ("at least two grades",),
    ),
    "grade without a label": _scale_case(
        ("{id: sos_1, label: One}", "{id: sos_1}"), "{id: sos_1}", ("label",)
    ),
    "grade id malformed": _scale_case(
        ("{id: sos_1,", "{id: 1sos,"), "id: 1sos", ("'1sos'", "lower case")
    ),
    "grade id na": _scale_case(("{id: sos_0,", "{id: na,"), "{id: na,", ("'na'", "not allowed")),
    "grade id of a fixed scale": _scale_case(
        ("{id: sos_0,", "{id: good,"), "{id: good,", ("'good'", "fixed")
    ),
    "good_or_better 0": _scale_case(
        ("good_or_better: 1", "good_or_better: 0"), "good_or_better", ("good_or_better", "1 to 2")
    ),
    "good_or_better all grades": _scale_case(
        ("good_or_better: 1", "good_or_better: 3"), "good_or_better", ("good_or_better", "1 to 2")
    ),
    "thresholds missing a grade": _scale_case(
        ("{sos_2: 80, sos_1: 40}", "{sos_2: 80}"), "thresholds:", ("misses sos_1",)
    ),
    "thresholds naming the last grade": _scale_case(
        ("sos_1: 40}", "sos_1: 40, sos_0: 0}"), "thresholds:", ("'sos_0'", "last grade")
    ),
    "thresholds naming another": _scale_case(
        ("sos_1: 40}", "sos_1: 40, good: 1}"),
        "thresholds:",
        ("'good'", "not a grade of this scale"),
    ),
    "thresholds outside 0 to 100": _scale_case(
        ("sos_2: 80", "sos_2: 180"), "thresholds:", ("percentage, 0 to 100",)
    ),
    "thresholds rising": _scale_case(
        ("sos_1: 40}", "sos_1: 90}"), "thresholds:", ("must not rise",)
    ),
}


SECOND_SCALE = """\
  - id: {sid}  # the second scale
    grades:
      - {{id: {g1}, label: Best}}
      - {{id: other_0, label: Worst}}
    good_or_better: 1
    thresholds: {{{g1}: 50}}
"""
SCALES["scale id used twice"] = Case(
    tool(
        "- {id: q1, text: Q, type: grade}", top=SOS + SECOND_SCALE.format(sid="sos", g1="other_1")
    ),
    "# the second scale",
    "f2-tool",
    ("'sos'", "used twice"),
)
SCALES["grade id another scale has"] = Case(
    tool("- {id: q1, text: Q, type: grade}", top=SOS + SECOND_SCALE.format(sid="two", g1="sos_1")),
    "{id: sos_1, label: Best}",
    "f2-tool",
    ("'sos_1'", "scale 'sos'"),
)


def line_of(text: str, needle: str) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


def refusals(path: Path) -> list[dict[str, str]]:
    with pytest.raises(ToolFileError) as caught:
        load_tool_file(path)
    found = []
    for raw in caught.value.problems:
        match = PROBLEM.match(raw)
        assert match, f"not of the form path:line: context: message: {raw!r}"
        found.append(match.groupdict())
    return found


@pytest.mark.parametrize(
    "case",
    [*FORMAT1.values(), *FORMAT2.values(), *SCALES.values()],
    ids=[*FORMAT1, *FORMAT2, *SCALES],
)
def test_each_format2_refusal_names_its_line_and_part(tmp_path: Path, case: Case) -> None:
    path = tmp_path / "tool.yaml"
    path.write_text(case.text, encoding="utf-8")
    found = refusals(path)
    line = line_of(case.text, case.needle)
    matching = [p for p in found if all(w.lower() in p["message"].lower() for w in case.words)]
    assert matching, (case.words, found)
    problem = matching[0]
    assert problem["path"] == str(path)
    assert int(problem["line"]) == line, (line, found)
    assert problem["context"] == case.context, found


def test_the_same_features_load_in_a_format2_file(tmp_path: Path) -> None:
    """The format 1 refusals above are only about the format: each loads in format 2."""
    for name, case in FORMAT1.items():
        path = tmp_path / f"{name.replace(' ', '-')}.yaml"
        text = case.text.replace("format: 1", "format: 2")
        if name == "scales":
            text = text.replace("type: grade}", "type: grade}")
        path.write_text(text, encoding="utf-8")
        loaded = load_tool_file(path)
        assert loaded.format == 2, name


@pytest.mark.parametrize(
    "question",
    [
        "- {id: q1, text: Q, type: text, allow_na: true}",
        "- {id: q1, text: Q, type: choice, options: [{id: na, label: None}]}",
        "- {id: q1, text: Q, type: yes_no, allow_na: true, points: {yes: 1, no: 0, na: 1}}",
    ],
)
def test_the_2_only_rules_leave_format1_files_as_they_were(tmp_path: Path, question: str) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(tool(question, fmt=1), encoding="utf-8")
    assert load_tool_file(path).format == 1


def test_all_problems_at_once_in_a_format2_file(tmp_path: Path) -> None:
    text = tool(
        DATES
        + "- {id: c, text: C, type: text, compute: {days: {from: d9, to: d2}}}\n"
        + "- {id: m, text: M, type: grade, measure: {label: L, target: 101}}",
        section="number: 7",
    )
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    messages = " | ".join(p["message"] for p in refusals(path))
    for words in ("quoted", "number and yes_no", "'d9'", "yes_no and yes_partly_no", "0 to 100"):
        assert words in messages, messages
