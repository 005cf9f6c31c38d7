"""Every mistake the spec's "Errors" section lists, as a QA lead would make it.

Each case is a real YAML file on disk. A refusal must say where
(``path:line:``), in which tool, section and question, and what is wrong in
words a QA lead can act on; all problems at once; and one broken file never
stops the other tools from loading.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from auditui.domain.grading import grade_audit
from auditui.errors import ToolFileError
from auditui.tools.library import ToolLibrary
from auditui.tools.loader import load_tool_file

HEAD = """\
format: 1
id: demo-tool
version: 1
title: Demo tool
"""


def tool_text(questions: str, *, section: str = "", top: str = "", scale: str = "") -> str:
    """One section `s1` holding ``questions`` (YAML list items, any indentation)."""
    body = textwrap.indent(textwrap.dedent(questions).strip("\n"), " " * 6)
    extra = textwrap.indent(textwrap.dedent(section).strip("\n"), " " * 4)
    return (
        HEAD
        + (f"scale: {scale}\n" if scale else "")
        + textwrap.dedent(top)
        + "sections:\n  - id: s1\n    title: Section one\n"
        + (extra + "\n" if extra else "")
        + "    questions:\n"
        + body
        + "\n"
    )


def write(tmp_path: Path, text: str, name: str = "tool.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line of ``text`` containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    context: str
    message: str


PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<context>\S+): (?P<message>.+)$")


def refused(path: Path) -> list[Problem]:
    """The problems the loader gives for ``path``, each checked for the spec's form."""
    with pytest.raises(ToolFileError) as caught:
        load_tool_file(path)
    problems = []
    for raw in caught.value.problems:
        match = PROBLEM.match(raw)
        assert match, f"not of the form path:line: context: message: {raw!r}"
        problems.append(
            Problem(match["path"], int(match["line"]), match["context"], match["message"])
        )
    assert caught.value.message == "\n".join(caught.value.problems)
    return problems


def only_problem(path: Path) -> Problem:
    problems = refused(path)
    assert len(problems) == 1, problems
    assert problems[0].path == str(path)
    return problems[0]


def assert_words(message: str, *words: str) -> None:
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"


# --- One mistake per file ---------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    text: str
    needle: str
    """Text on the line the message must point at."""
    context: str
    words: tuple[str, ...]
    offset: int = 0
    """Lines from the needle to the line pointed at."""


CASES: dict[str, Case] = {
    "unknown key typo": Case(
        tool_text(
            """
            - id: q1
              text: Was the child seen?
              type: yes_no
              requierd: false
            """
        ),
        "requierd",
        "demo-tool/s1/q1",
        ("unknown key 'requierd'", "did you mean 'required'"),
    ),
    "duplicate question id": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
            - id: q1
              text: Second
              type: yes_no
            """
        ),
        "text: Second",
        "demo-tool/s1/q1",
        ("question id 'q1'", "twice"),
        offset=-1,
    ),
    "show_if names an unknown question": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
              show_if: {question: nowhere, equals: yes}
            """
        ),
        "show_if",
        "demo-tool/s1/q1",
        ("show_if", "'nowhere'", "earlier question"),
    ),
    "show_if names a later question": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
              show_if: {question: q2, equals: yes}
            - id: q2
              text: Second
              type: yes_no
            """
        ),
        "show_if",
        "demo-tool/s1/q1",
        ("show_if", "'q2'", "earlier question"),
    ),
    "show_if names a later question inside all/not": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
            - id: q2
              text: Second
              type: yes_no
              show_if: {all: [{question: q1, equals: yes}, {not: {question: q3, answered: true}}]}
            - id: q3
              text: Third
              type: yes_no
            """
        ),
        "show_if",
        "demo-tool/s1/q2",
        ("show_if", "'q3'", "earlier question"),
    ),
    "show_if names the question itself": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
              show_if: {question: q1, answered: true}
            """
        ),
        "show_if",
        "demo-tool/s1/q1",
        ("show_if", "'q1'", "earlier questions"),
    ),
    "points name an answer yes_no cannot take": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
              points: {yes: 1, maybe: 0}
            """,
            section="grading: score",
        ),
        "points",
        "demo-tool/s1/q1",
        ("points", "'maybe'", "yes_no", "cannot take"),
    ),
    "points name an option a choice does not have": Case(
        tool_text(
            """
            - id: q1
              text: Which route?
              type: choice
              options:
                - {id: early_help, label: Early help}
                - {id: statutory, label: Statutory}
              points: {early_help: 1, statutory: 2, private: 0}
            """,
            section="grading: score",
        ),
        "points",
        "demo-tool/s1/q1",
        ("points", "'private'", "choice", "cannot take"),
    ),
    "points on a type that has none": Case(
        tool_text(
            """
            - id: q1
              text: How many visits?
              type: number
              points: {yes: 1}
            """,
            section="grading: score",
        ),
        "points",
        "demo-tool/s1/q1",
        ("points", "not allowed", "number"),
    ),
    "cap not on the scale": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
              points: {yes: 1, no: 0}
              limiting: {answers: [no], cap: terrible}
            """,
            section="grading: score",
        ),
        "limiting",
        "demo-tool/s1/q1",
        ("cap 'terrible'", "ofsted scale"),
    ),
    "a met-scale cap on an ofsted tool": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
              points: {yes: 1, no: 0}
              limiting: {answers: [no], cap: not_met}
            """,
            section="grading: score",
        ),
        "limiting",
        "demo-tool/s1/q1",
        ("cap 'not_met'", "ofsted scale"),
    ),
    "an ofsted cap on a met tool": Case(
        tool_text(
            """
            - id: q1
              text: First
              type: yes_no
              points: {yes: 1, no: 0}
              limiting: {answers: [no], cap: inadequate}
            """,
            section="grading: score",
            scale="met",
        ),
        "limiting",
        "demo-tool/s1/q1",
        ("cap 'inadequate'", "met scale"),
    ),
    "number min greater than max": Case(
        tool_text(
            """
            - id: q1
              text: How many visits?
              type: number
              min: 10
              max: 5
            """
        ),
        "min: 10",
        "demo-tool/s1/q1",
        ("min (10)", "greater than max (5)"),
    ),
    "date min after max": Case(
        tool_text(
            """
            - id: q1
              text: When was the plan agreed?
              type: date
              min: 2024-05-01
              max: 2024-01-01
            """
        ),
        "min: 2024-05-01",
        "demo-tool/s1/q1",
        ("min (2024-05-01)", "greater than max (2024-01-01)"),
    ),
    "empty sections list": Case(
        HEAD + "sections: []\n",
        "sections",
        "demo-tool",
        ("sections", "empty"),
    ),
    "version 1.5": Case(
        tool_text("- {id: q1, text: First, type: yes_no}").replace("version: 1", "version: 1.5"),
        "version",
        "demo-tool",
        ("version", "whole number", "1.5"),
    ),
    "version quoted '2'": Case(
        tool_text("- {id: q1, text: First, type: yes_no}").replace("version: 1", 'version: "2"'),
        "version",
        "demo-tool",
        ("version", "whole number", "'2'"),
    ),
    "format 3": Case(
        tool_text("- {id: q1, text: First, type: yes_no}").replace("format: 1", "format: 3"),
        "format",
        "demo-tool",
        ("format 3", "not supported", "1 or 2"),
    ),
    "evidence when_not_yes on a grade question": Case(
        tool_text(
            """
            - id: q1
              text: How good is the plan?
              type: grade
              evidence: when_not_yes
            """
        ),
        "evidence",
        "demo-tool/s1/q1",
        ("when_not_yes", "yes_no", "yes_partly_no", "grade"),
    ),
    "overall score with a section not graded by score": Case(
        tool_text(
            "- {id: q1, text: How good?, type: grade}",
            section="grading: lowest",
            top="grading: {overall: score}\n",
        ),
        "overall",
        "demo-tool",
        ("overall: score", "every section", "s1"),
    ),
    "thresholds on a lowest rule": Case(
        tool_text(
            "- {id: q1, text: How good?, type: grade}",
            section="grading: {rule: lowest, thresholds: {good: 70}}",
        ),
        "thresholds",
        "demo-tool/s1",
        ("thresholds", "only with the score rule"),
    ),
    "threshold key off the scale": Case(
        tool_text(
            "- {id: q1, text: Was it done?, type: yes_no, points: {yes: 1, no: 0}}",
            section="grading: {rule: score, thresholds: {excellent: 90}}",
        ),
        "thresholds",
        "demo-tool/s1",
        ("threshold 'excellent'", "ofsted"),
    ),
    "duplicate section id": Case(
        HEAD
        + textwrap.dedent(
            """\
            sections:
              - id: plan
                title: The plan
                questions:
                  - {id: q1, text: First, type: yes_no}
              - id: plan
                title: The plan again
                questions:
                  - {id: q2, text: Second, type: yes_no}
            """
        ),
        "title: The plan again",
        "demo-tool/plan",
        ("section id 'plan'", "twice"),
        offset=-1,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_listed_mistake_is_refused_at_its_line(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    path = write(tmp_path, case.text)
    problem = only_problem(path)
    assert problem.line == line_of(case.text, case.needle) + case.offset, problem
    assert problem.context == case.context
    assert_words(problem.message, *case.words)


def test_duplicate_question_id_points_at_the_second_one(tmp_path: Path) -> None:
    text = tool_text(
        """
        - id: q1
          text: First
          type: yes_no
        - id: q2
          text: Between
          type: yes_no
        - id: q1
          text: Second
          type: yes_no
        """
    )
    problem = only_problem(write(tmp_path, text))
    # Line 9 is the first `- id: q1`; the second starts three questions' worth later.
    assert line_of(text, "text: First") == 10
    assert problem.line == 15
    assert text.splitlines()[problem.line - 1].strip() == "- id: q1"


def test_duplicate_question_ids_across_sections(tmp_path: Path) -> None:
    text = HEAD + textwrap.dedent(
        """\
        sections:
          - id: a
            title: A
            questions:
              - {id: seen, text: Seen?, type: yes_no}
          - id: b
            title: B
            questions:
              - {id: seen, text: Seen again?, type: yes_no}
        """
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "Seen again?")
    assert problem.context == "demo-tool/b/seen"
    assert_words(problem.message, "question id 'seen'", "twice")


# --- Files the parser itself refuses -----------------------------------------------------


def parser_line(text: str) -> int:
    """The line ruamel.yaml's own parser reports for a syntax error in ``text``."""
    with pytest.raises(MarkedYAMLError) as caught:
        YAML(typ="safe", pure=True).load(text)
    mark = caught.value.problem_mark or caught.value.context_mark
    assert mark is not None
    return mark.line + 1


def test_a_tab_in_the_indentation_is_refused_with_the_parser_line(tmp_path: Path) -> None:
    text = tool_text("- {id: q1, text: First, type: yes_no}").replace(
        "    title: Section one", "\ttitle: Section one"
    )
    problem = only_problem(write(tmp_path, text, "tabbed.yaml"))
    assert problem.line == line_of(text, "\ttitle") == 7
    assert problem.line == parser_line(text)
    assert problem.context == "tabbed"  # no tool id can be read: the file's name
    assert_words(problem.message, "YAML syntax error", "tab")


def test_a_tab_before_a_list_item_is_refused(tmp_path: Path) -> None:
    text = tool_text("- {id: q1, text: First, type: yes_no}").replace(
        "      - {id: q1", "\t- {id: q1"
    )
    problem = only_problem(write(tmp_path, text, "tabbed.yaml"))
    assert problem.line == line_of(text, "\t- {id: q1")
    assert_words(problem.message, "tab", "spaces")


def test_an_unclosed_bracket_is_refused_with_the_parser_line(tmp_path: Path) -> None:
    text = tool_text("- {id: q1, text: First, type: yes_no}").replace(
        "title: Demo tool\n", "title: Demo tool\napplies_to: [CIN, CP\n"
    )
    problem = only_problem(write(tmp_path, text, "bracket.yaml"))
    assert problem.line == parser_line(text)
    # The parser notices on the line after the bracket was left open.
    assert problem.line == line_of(text, "applies_to") + 1
    assert problem.context == "bracket"
    assert_words(problem.message, "YAML syntax error", "']'")


def test_a_duplicate_key_is_a_syntax_error_on_its_line(tmp_path: Path) -> None:
    text = tool_text(
        """
        - id: q1
          text: First
          type: yes_no
          type: yes_partly_no
        """
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "type: yes_partly_no")
    assert_words(problem.message, "duplicate", "type")


def test_a_file_that_is_not_utf8_is_refused_at_the_bad_byte(tmp_path: Path) -> None:
    text = tool_text("- {id: q1, text: First, type: yes_no}").replace(
        "title: Demo tool\n", "title: Demo tool\ndescription: Caf\u00e9 audits\n"
    )
    path = tmp_path / "latin1.yaml"
    path.write_bytes(text.encode("latin-1"))
    problem = only_problem(path)
    assert problem.line == line_of(text, "description")
    assert problem.context == "latin1"
    assert_words(problem.message, "not UTF-8", "0xe9")


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, "- just\n- a list\n", "list.yaml"))
    assert problem.line == 1
    assert_words(problem.message, "mapping")


# --- All problems at once ----------------------------------------------------------------


def test_several_problems_in_one_file_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = HEAD + textwrap.dedent(
        """\
            sections:
              - id: first
                title: First
                questions:
                  - id: q1
                    text: One
                    type: yes_no
                    requierd: false
                  - id: q2
                    text: Two
                    type: yes_no
                    show_if: {question: q9, equals: yes}
              - id: second
                title: Second
                grading: score
                questions:
                  - id: q3
                    text: Three
                    type: number
                    min: 9
                    max: 1
                  - id: q4
                    text: Four
                    type: yes_no
                    points: {yes: 1, maybe: 0}
                  - id: q1
                    text: One again
                    type: yes_no
            """
    )
    problems = refused(write(tmp_path, text))
    found = [(p.line, p.context) for p in problems]
    assert found == [
        (line_of(text, "requierd"), "demo-tool/first/q1"),
        (line_of(text, "q9"), "demo-tool/first/q2"),
        (line_of(text, "min: 9"), "demo-tool/second/q3"),
        (line_of(text, "maybe"), "demo-tool/second/q4"),
        (line_of(text, "One again") - 1, "demo-tool/second/q1"),
    ]
    assert_words(problems[0].message, "requierd", "required")
    assert_words(problems[1].message, "q9")
    assert_words(problems[2].message, "greater than max")
    assert_words(problems[3].message, "maybe")
    assert_words(problems[4].message, "twice")


def test_a_refused_question_still_counts_for_later_references(tmp_path: Path) -> None:
    text = tool_text(
        """
        - id: q1
          text: One
          type: yes_no
          requierd: false
        - id: q2
          text: Two
          type: yes_no
          show_if: {question: q1, equals: yes}
        - id: q3
          text: Three
          type: yes_no
          show_if: {question: q1, equals: maybe}
        """
    )
    problems = refused(write(tmp_path, text))
    # The typo, and the real mistake in q3; q2's show_if is fine and not reported.
    assert [(p.line, p.context) for p in problems] == [
        (line_of(text, "requierd"), "demo-tool/s1/q1"),
        (line_of(text, "maybe"), "demo-tool/s1/q3"),
    ]
    assert_words(problems[1].message, "'maybe'", "cannot take")


def test_missing_required_keys_are_each_named(tmp_path: Path) -> None:
    text = "format: 1\nid: demo-tool\nsections:\n  - id: s1\n    questions:\n      - {id: q1}\n"
    problems = refused(write(tmp_path, text))
    messages = " | ".join(p.message for p in problems)
    for key in ("version", "title", "text", "type"):
        assert f"missing required key '{key}'" in messages
    q1 = [p for p in problems if "'text'" in p.message]
    assert q1[0].context == "demo-tool/s1/q1"
    assert q1[0].line == 6


# --- A library of files -----------------------------------------------------------------

GOOD = tool_text("- {id: q1, text: First, type: yes_no}")


def test_a_broken_file_does_not_stop_the_others_loading(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    write(tools, GOOD, "a-good.yaml")
    bad = write(tools, GOOD.replace("type: yes_no", "type: yes_no, requierd: true"), "b-bad.yaml")
    write(tools, GOOD.replace("demo-tool", "other-tool"), "c-good.yml")
    (tools / "notes.txt").write_text("not a tool", encoding="utf-8")

    library = ToolLibrary.load([tools], include_shipped=False)

    assert library.ids() == ["demo-tool", "other-tool"]
    assert len(library.problems) == 1
    assert library.problems[0].startswith(f"{bad}:{line_of(GOOD, 'q1')}: demo-tool/s1/q1: ")
    assert "requierd" in library.problems[0]


def test_a_broken_user_tool_leaves_the_shipped_tools_loaded(tmp_path: Path) -> None:
    write(tmp_path, "format: 1\nid: [\n", "broken.yaml")
    library = ToolLibrary.load([tmp_path])
    assert "case-file-audit" in library.ids()
    assert len(library.problems) == 1
    assert library.problems[0].startswith(f"{tmp_path / 'broken.yaml'}:")


def test_two_versions_of_a_tool_are_both_kept(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "v1.yaml")
    write(
        tmp_path,
        GOOD.replace("version: 1", "version: 3").replace("First", "First reworded"),
        "v3.yaml",
    )
    write(tmp_path, GOOD.replace("version: 1", "version: 2"), "v2.yaml")
    library = ToolLibrary.load([tmp_path], include_shipped=False)
    assert library.problems == []
    assert sorted(library.tools) == [("demo-tool", 1), ("demo-tool", 2), ("demo-tool", 3)]
    assert library.latest("demo-tool").version == 3
    assert library.latest("demo-tool").questions[0].text == "First reworded"
    assert library.get("demo-tool", 1).questions[0].text == "First"
    assert [t.version for t in library.current()] == [3]


def test_the_same_id_and_version_twice_is_refused_naming_both_files(tmp_path: Path) -> None:
    first = write(tmp_path, GOOD, "a.yaml")
    second = write(tmp_path, GOOD.replace("First", "Changed"), "b.yaml")
    library = ToolLibrary.load([tmp_path], include_shipped=False)
    assert list(library.tools) == [("demo-tool", 1)]
    assert library.tools[("demo-tool", 1)].questions[0].text == "First"
    assert len(library.problems) == 1
    problem = library.problems[0]
    assert problem.startswith(f"{second}:1: demo-tool: ")
    assert str(first) in problem
    assert_words(problem, "version 1", "already loaded", "bump the version")


# --- YAML 1.2: yes and no are words ------------------------------------------------------


def test_unquoted_yes_and_no_are_strings(tmp_path: Path) -> None:
    text = tool_text(
        """
        - id: gate
          text: Is there a plan?
          type: yes_no
          points: {yes: 2, no: 0}
          limiting: {answers: [no], cap: inadequate}
        - id: follow_up
          text: Why not?
          type: text
          show_if: {question: gate, equals: no}
        - id: switch
          text: Which way?
          type: choice
          options:
            - {id: on, label: On}
            - {id: off, label: Off}
        """,
        section="grading: score",
    )
    tool = load_tool_file(write(tmp_path, text))
    gate, follow_up, switch = tool.questions
    assert gate.points == {"yes": 2, "no": 0}
    assert all(type(k) is str for k in gate.points)
    assert gate.limiting is not None and gate.limiting.answers == ["no"]
    assert follow_up.show_if is not None
    assert follow_up.show_if.equals == "no"  # type: ignore[union-attr]
    assert switch.option_ids == ("on", "off")

    # And the words work as a QA lead means them.
    said_no = grade_audit(tool, {"gate": "no"})
    assert "follow_up" in said_no.visible
    assert said_no.sections["s1"].percent == 0.0
    assert said_no.sections["s1"].suggested == "inadequate"
    said_yes = grade_audit(tool, {"gate": "yes"})
    assert "follow_up" not in said_yes.visible
    assert said_yes.sections["s1"].percent == 100.0


def test_a_true_boolean_is_not_a_yes(tmp_path: Path) -> None:
    text = tool_text(
        """
        - id: gate
          text: Is there a plan?
          type: yes_no
        - id: later
          text: Later
          type: yes_no
          show_if: {question: gate, equals: true}
        """
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "equals: true")
    assert problem.context == "demo-tool/s1/later"
    assert_words(problem.message, "'gate'", "cannot take")
