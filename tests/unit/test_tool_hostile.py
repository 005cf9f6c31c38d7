"""Hostile tool files (issue 12 item 7): each is refused on its own line, never crashes or hangs.

A tool file is read by every command at start, so one hostile file in the
tools folder used to stop them all: an alias bomb spun at 100% CPU and took
gigabytes, deep nesting and self-referencing aliases raised RecursionError,
an impossible date or a 5,000-digit number raised ValueError. Each case here
is a real file; the library cases check that the other tools still load, and
the command-line cases run the real `auditui` in a subprocess under a time
and memory limit, as a user would meet them.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from auditui.errors import ToolFileError
from auditui.tools.library import ToolLibrary
from auditui.tools.loader import load_tool_file
from auditui.tools.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, MAX_SCALAR_CHARS

GOOD = """\
format: 1
id: good-tool
version: 1
title: Good tool
sections:
  - id: s1
    title: One
    questions:
      - {id: q1, text: First?, type: yes_no}
"""

ALIAS_BOMB = """\
format: 1
id: bomb
version: 1
title: Bomb
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
sections: *i
"""


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ToolFileError) as caught:
        load_tool_file(path)
    return caught.value.problems


def only(path: Path) -> str:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:"), problems
    return problems[0]


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def good_with(line: str) -> str:
    """The good tool with one more top-level line after the title."""
    return GOOD.replace("title: Good tool\n", f"title: Good tool\n{line}\n")


# --- Each hostile file: refused with its line ------------------------------------------


def test_an_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    problem = only(write(tmp_path, ALIAS_BOMB))
    assert problem.startswith(f"{tmp_path / 'bad.yaml'}:5: bomb: ")
    assert "anchor" in problem and "not allowed" in problem


def test_a_self_referencing_alias_is_refused(tmp_path: Path) -> None:
    problem = only(write(tmp_path, good_with("x: &a [*a, *a]")))
    assert ":5: good-tool: " in problem
    assert "anchor" in problem


def test_an_alias_alone_is_refused(tmp_path: Path) -> None:
    problem = only(write(tmp_path, good_with("x: *nothing")))
    assert ":5: " in problem and "alias" in problem


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    deep = opening * 500 + "1" + closing * 500
    problem = only(write(tmp_path, good_with(f"x: {deep}")))
    assert ":5: " in problem
    assert f"nested more than {MAX_DEPTH} levels" in problem


def test_nesting_of_block_mappings_is_refused_too(tmp_path: Path) -> None:
    lines = ["x:"] + [" " * (2 * i) + f"k{i}:" for i in range(1, 60)]
    problem = only(write(tmp_path, good_with("\n".join(lines) + " 1")))
    assert "nested more than" in problem


def test_an_impossible_date_is_a_string_where_text_is_wanted(tmp_path: Path) -> None:
    """YAML 1.2 core schema: no timestamp type, so a title may look like a date."""
    tool = load_tool_file(write(tmp_path, GOOD.replace("Good tool", "2026-02-30")))
    assert tool.title == "2026-02-30"


def test_an_impossible_date_as_a_limit_is_refused_on_its_line(tmp_path: Path) -> None:
    text = GOOD.replace(
        "      - {id: q1, text: First?, type: yes_no}",
        "      - id: q1\n        text: When?\n        type: date\n        max: 2026-02-30",
    )
    problem = only(write(tmp_path, text))
    assert ":12: good-tool/s1/q1: " in problem
    assert "2026-02-30" in problem and "not a real date" in problem


def test_a_real_date_limit_still_works(tmp_path: Path) -> None:
    text = GOOD.replace(
        "      - {id: q1, text: First?, type: yes_no}",
        "      - id: q1\n        text: When?\n        type: date\n        min: 2026-01-31\n"
        "        max: today",
    )
    tool = load_tool_file(write(tmp_path, text))
    import datetime as dt

    assert tool.questions[0].min == dt.date(2026, 1, 31)
    assert tool.questions[0].max == "today"


def test_a_five_thousand_digit_number_is_refused(tmp_path: Path) -> None:
    problem = only(write(tmp_path, GOOD.replace("version: 1", "version: " + "9" * 5000)))
    assert ":3: " in problem
    assert "too long" in problem or "too large" in problem


@pytest.mark.parametrize(
    ("version", "loads"),
    [("9223372036854775807", True), ("9223372036854775808", False), ("0x8000000000000000", False)],
)
def test_whole_numbers_are_bounded_to_what_sqlite_stores(
    tmp_path: Path, version: str, loads: bool
) -> None:
    path = write(tmp_path, GOOD.replace("version: 1", f"version: {version}"))
    if loads:
        assert load_tool_file(path).version == 2**63 - 1
    else:
        problem = only(path)
        assert ":3: " in problem and "too large" in problem


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400"])
def test_numbers_that_are_not_finite_are_refused(tmp_path: Path, value: str) -> None:
    text = GOOD.replace("title: One\n", f"title: One\n    weight: {value}\n")
    problem = only(write(tmp_path, text))
    assert ":8: " in problem and "finite" in problem


def test_a_long_scalar_is_refused(tmp_path: Path) -> None:
    text = good_with("description: " + "x" * (MAX_SCALAR_CHARS + 1))
    problem = only(write(tmp_path, text))
    assert ":5: " in problem and "characters" in problem


def test_a_big_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "#" * MAX_FILE_BYTES)
    problem = only(path)
    assert ":1: good-tool: " in problem or ":1: bad: " in problem
    assert "larger than" in problem


def test_a_second_document_is_refused(tmp_path: Path) -> None:
    problem = only(write(tmp_path, GOOD + "---\nid: other\n"))
    assert ":10: " in problem and "one YAML document" in problem


@pytest.mark.parametrize(
    "tagged", ["x: !foo bar", "x: !!python/object:os.system ls", "x: !!set {a}"]
)
def test_tags_other_than_the_core_ones_are_refused(tmp_path: Path, tagged: str) -> None:
    problem = only(write(tmp_path, good_with(tagged)))
    assert ":5: " in problem and "tag" in problem


def test_a_core_tag_is_read_as_it_says(tmp_path: Path) -> None:
    tool = load_tool_file(write(tmp_path, GOOD.replace("Good tool", "!!str 2026")))
    assert tool.title == "2026"


def test_a_mapping_as_a_key_is_refused(tmp_path: Path) -> None:
    problem = only(write(tmp_path, good_with("? [a, b]\n: c")))
    assert ":5: " in problem and "key" in problem


def test_yaml_1_2_core_scalars(tmp_path: Path) -> None:
    """`010` is ten, `1_000` and `1:30` are strings, yes/no/on/off are strings."""
    text = GOOD.replace("version: 1", "version: 010").replace(
        "      - {id: q1, text: First?, type: yes_no}",
        "      - {id: q1, text: First?, type: choice, options: [{id: '1', label: 1_000},"
        " {id: on, label: '1:30'}], points: {on: 1, '1': 0}}\n"
        "      - {id: q2, text: 1:30, type: yes_no, points: {yes: 2, no: 0}}",
    )
    tool = load_tool_file(write(tmp_path, text))
    assert tool.version == 10
    q1, q2 = tool.questions
    assert [o.label for o in q1.options or ()] == ["1_000", "1:30"]
    assert q1.option_ids == ("1", "on")
    assert q2.text == "1:30" and q2.points == {"yes": 2, "no": 0}


# --- Only regular files are read --------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    problem = only(fifo)
    assert "not a regular file" in problem


def test_a_directory_named_like_a_tool_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert "not a regular file" in only(folder)


# --- One bad file is set aside, the rest load --------------------------------------------

HOSTILE = {
    "bomb.yaml": ALIAS_BOMB,
    "deep.yaml": good_with("x: " + "[" * 500 + "]" * 500).replace("good-tool", "deep"),
    "self.yaml": good_with("x: &a [*a, *a]").replace("good-tool", "self"),
    "date.yaml": GOOD.replace("good-tool", "date").replace(
        "type: yes_no}", "type: date, min: 2026-02-30}"
    ),
    "digits.yaml": GOOD.replace("good-tool", "digits").replace(
        "version: 1", "version: " + "7" * 5000
    ),
    "huge.yaml": GOOD.replace("good-tool", "huge").replace("version: 1", f"version: {2**63}"),
}


def test_the_library_loads_the_good_tool_beside_every_hostile_one(tmp_path: Path) -> None:
    for name, text in HOSTILE.items():
        write(tmp_path, text, name)
    write(tmp_path, GOOD, "good.yaml")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.yaml")
    library = ToolLibrary.load([tmp_path], include_shipped=False, cache=False)
    assert library.ids() == ["good-tool"]
    refused = {p.name for p in library.refused}
    assert refused == set(HOSTILE)
    for problem in library.problems:
        assert problem.startswith(str(tmp_path)), problem


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_every_command_still_runs_with_hostile_tools_in_the_folder(
    isolated_env: object, child_env: dict[str, str]
) -> None:
    tools: Path = isolated_env.tools  # type: ignore[attr-defined]
    for name, text in HOSTILE.items():
        write(tools, text, name)
    write(tools, GOOD, "good.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "auditui", "tools", "list", "--format", "json"],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=60,
        preexec_fn=_limits,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert '"good-tool"' in done.stdout
    for name in HOSTILE:
        assert str(tools / name) in done.stderr


def test_a_file_of_very_many_values_is_refused_once_past_the_cap(tmp_path: Path) -> None:
    from auditui.tools.yamlfile import MAX_NODES

    keys = "".join(f"k{i}: 1\n" for i in range(MAX_NODES + 10))
    problem = only(write(tmp_path, good_with("x:\n" + textwrap.indent(keys, "  "))))
    assert f"more than {MAX_NODES:,} values" in problem


def test_keys_python_cannot_tell_apart_are_one_key_given_twice(tmp_path: Path) -> None:
    problem = only(write(tmp_path, good_with("x: {1: a, true: b}")))
    assert ":5: " in problem and "duplicate key" in problem
