"""`auditui tools` as a QA lead runs it: the real command, in a subprocess.

Every run is isolated (database, config, tools dirs, HOME, XDG dirs all in
tmp_path), checks the exit code spec/cli.md gives, and that bad input gets
a plain message on stderr, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditui.tools.library import shipped_tools_dir, tool_files


def _format2_example() -> Any:
    """The spec's format 2 example, from the unit tests' verbatim copy of it."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "unit" / "format2_support.py"
    spec = importlib.util.spec_from_file_location("format2_support_for_cli", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_EXAMPLE2 = _format2_example()
SPEC_EXAMPLE2_YAML: str = _EXAMPLE2.SPEC_EXAMPLE2_YAML
SPEC_EXAMPLE2_ANSWERS: dict[str, Any] = _EXAMPLE2.SPEC_EXAMPLE2_ANSWERS
SPEC_EXAMPLE2_RESULT: dict[str, Any] = _EXAMPLE2.SPEC_EXAMPLE2_RESULT

SHIPPED_IDS = sorted(p.stem for p in tool_files(shipped_tools_dir()))
SHIPPED_ROWS = sorted(
    SHIPPED_IDS + [p.stem.rsplit("-v", 1)[0] for p in tool_files(shipped_tools_dir() / "versions")]
)
"""One row per loaded version: earlier versions of shipped tools are kept in versions/."""


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def assert_refused(done: Any, *words: str, code: int = 1) -> None:
    assert done.returncode == code, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    for word in words:
        assert word in done.stderr, (word, done.stderr)


# --- tools list -------------------------------------------------------------------------------


def test_tools_list_shows_the_shipped_tools(run_cli: Any) -> None:
    done = run_cli("tools", "list")
    assert done.returncode == 0, done.stderr
    for tool_id in SHIPPED_IDS:
        assert tool_id in done.stdout
    assert "Child's voice dip sample" in done.stdout
    assert done.stderr == ""


def test_tools_list_as_json(run_cli: Any) -> None:
    done = run_cli("tools", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert sorted(r["id"] for r in rows) == SHIPPED_ROWS
    for row in rows:
        assert isinstance(row["version"], int) and row["version"] >= 1
        assert row["title"]
    voice = next(r for r in rows if r["id"] == "childs-voice")
    assert voice["path"] == str(shipped_tools_dir() / "childs-voice.yaml")


def test_tools_list_shows_a_users_own_tool_and_every_version(
    run_cli: Any, isolated_env: Any, spec_example_tool: Path
) -> None:
    text = spec_example_tool.read_text(encoding="utf-8")
    (isolated_env.tools / "voice-v7.yaml").write_text(
        text.replace("version: 1", "version: 7"), encoding="utf-8"
    )
    done = run_cli("tools", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    versions = sorted(r["version"] for r in json.loads(done.stdout) if r["id"] == "childs-voice")
    assert versions == [1, 7]


def test_tools_list_reports_a_broken_user_tool_but_lists_the_rest(
    run_cli: Any, isolated_env: Any
) -> None:
    bad = isolated_env.tools / "bad.yaml"
    bad.write_text("format: 1\nid: bad\nversion: one\n", encoding="utf-8")
    done = run_cli("tools", "list", "--format", "json")
    assert done.returncode == 0
    assert sorted(r["id"] for r in json.loads(done.stdout)) == SHIPPED_ROWS
    assert f"{bad}:3: bad: version" in done.stderr


# --- tools validate ----------------------------------------------------------------------------


def test_tools_validate_passes_on_the_shipped_tools(run_cli: Any) -> None:
    done = run_cli("tools", "validate")
    assert done.returncode == 0, done.stderr
    assert f"{len(SHIPPED_ROWS)} tool file(s) valid." in done.stdout
    assert done.stderr == ""


def test_tools_validate_passes_on_named_files(run_cli: Any, spec_example_tool: Path) -> None:
    done = run_cli("tools", "validate", spec_example_tool, shipped_tools_dir())
    assert done.returncode == 0, done.stderr
    assert f"ok {spec_example_tool} (childs-voice version 1)" in done.stdout
    assert f"{len(SHIPPED_IDS) + 1} tool file(s) valid." in done.stdout


def test_tools_validate_refuses_a_bad_file_with_path_and_line(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        spec_example_tool.read_text(encoding="utf-8").replace(
            "        allow_na: true\n", "        allow_na: true\n        requierd: false\n"
        ),
        encoding="utf-8",
    )
    line = bad.read_text(encoding="utf-8").splitlines().index("        requierd: false") + 1
    done = run_cli("tools", "validate", bad)
    assert_refused(
        done,
        f"{bad}:{line}: childs-voice/seen/seen_alone: unknown key 'requierd'",
        "did you mean 'required'?",
    )


def test_tools_validate_refuses_every_problem_and_a_missing_path(
    run_cli: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "worse.yaml"
    bad.write_text("format: 3\nid: worse\nversion: 1.5\ntitle: Worse\nsections: []\n", "utf-8")
    done = run_cli("tools", "validate", bad, tmp_path / "nowhere.yaml")
    assert_refused(
        done,
        f"{bad}:1: worse: format 3 is not supported",
        f"{bad}:3: worse: version: must be a whole number",
        f"{bad}:5: worse: sections: must not be empty",
        "nowhere.yaml",
    )


def test_tools_validate_with_no_path_checks_the_users_tools_too(
    run_cli: Any, isolated_env: Any
) -> None:
    bad = isolated_env.tools / "mine.yaml"
    bad.write_text("format: 1\nid: mine\nversion: 1\ntitle: [oops\n", encoding="utf-8")
    done = run_cli("tools", "validate")
    assert_refused(done, f"{bad}:", "YAML syntax error")


# --- tools grade -------------------------------------------------------------------------------


def test_tools_grade_reproduces_the_spec_example(
    run_cli: Any,
    tmp_path: Path,
    spec_example_tool: Path,
    spec_example_answers: dict,
    spec_example_result: dict,
) -> None:
    answers = write_json(tmp_path / "answers.json", spec_example_answers)
    done = run_cli("tools", "grade", spec_example_tool, answers)
    assert done.returncode == 0, done.stderr
    # A format 1 tool: the spec's two newer keys are always [] and {} for it.
    assert json.loads(done.stdout) == {
        **spec_example_result,
        "missing_rationale": [],
        "computed": {},
    }
    assert done.stderr == ""


def test_tools_grade_reproduces_the_format2_spec_example(run_cli: Any, tmp_path: Path) -> None:
    tool = tmp_path / "childs-voice-visits.yaml"
    tool.write_text(SPEC_EXAMPLE2_YAML, encoding="utf-8")
    answers = write_json(tmp_path / "answers.json", SPEC_EXAMPLE2_ANSWERS)
    done = run_cli("tools", "grade", tool, answers)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert json.loads(done.stdout) == SPEC_EXAMPLE2_RESULT
    assert done.stderr == ""


def test_tools_grade_with_evidence_and_grades(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    answers = write_json(
        tmp_path / "answers.json",
        {
            "answers": {
                "seen_in_timescale": "no",
                "seen_alone": "na",
                "views_recorded": "yes",
                "direct_work_tools": ["other", "momo"],
                "voice_quality": "outstanding",
            },
            "evidence": {"seen_alone": "Baby", "views_recorded": "Quotes"},
            "grades": {"voice": "good"},
        },
    )
    done = run_cli("tools", "grade", spec_example_tool, answers)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["sections"]["seen"] == {
        "percent": 0.0,
        "suggested": "inadequate",
        "final": "inadequate",
    }
    assert result["sections"]["voice"] == {
        "percent": None,
        "suggested": "outstanding",
        "final": "good",
    }
    assert result["overall"]["final"] == "inadequate"
    assert result["complete"] is True
    assert result["missing"] == [] and result["missing_evidence"] == []


def test_tools_grade_refuses_an_unknown_question(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    answers = write_json(tmp_path / "answers.json", {"answers": {"seen_in_timescal": "yes"}})
    done = run_cli("tools", "grade", spec_example_tool, answers)
    assert_refused(done, "'seen_in_timescal'", "not a question")
    assert done.stdout == ""


def test_tools_grade_refuses_a_value_off_the_type(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    answers = write_json(tmp_path / "answers.json", {"answers": {"seen_alone": "maybe"}})
    done = run_cli("tools", "grade", spec_example_tool, answers)
    assert_refused(done, "'seen_alone'", "maybe")
    assert done.stdout == ""


def test_tools_grade_refuses_na_where_the_question_has_none(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    answers = write_json(tmp_path / "answers.json", {"answers": {"seen_in_timescale": "na"}})
    assert_refused(run_cli("tools", "grade", spec_example_tool, answers), "'seen_in_timescale'")


def test_tools_grade_refuses_a_multi_answer_that_is_not_a_list(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    answers = write_json(tmp_path / "answers.json", {"answers": {"direct_work_tools": "momo"}})
    assert_refused(run_cli("tools", "grade", spec_example_tool, answers), "'direct_work_tools'")


def test_tools_grade_refuses_a_grade_off_the_scale(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    answers = write_json(tmp_path / "a.json", {"answers": {}, "grades": {"voice": "met"}})
    assert_refused(run_cli("tools", "grade", spec_example_tool, answers), "'voice'", "met")


def test_tools_grade_refuses_an_answers_file_that_is_not_json(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{'answers': {'seen_alone': 'yes'}}", encoding="utf-8")
    done = run_cli("tools", "grade", spec_example_tool, answers)
    assert_refused(done, str(answers), "not valid JSON")


def test_tools_grade_refuses_a_broken_tool_file(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path, spec_example_answers: dict
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        spec_example_tool.read_text(encoding="utf-8").replace("cap: inadequate", "cap: awful"),
        encoding="utf-8",
    )
    answers = write_json(tmp_path / "answers.json", spec_example_answers)
    done = run_cli("tools", "grade", bad, answers)
    assert_refused(done, f"{bad}:16: childs-voice/seen/seen_in_timescale: cap 'awful'")


def test_a_refused_tool_names_a_relative_path_at_the_start_of_the_line(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path, spec_example_answers: dict
) -> None:
    (tmp_path / "bad.yaml").write_text(
        spec_example_tool.read_text(encoding="utf-8").replace("cap: inadequate", "cap: awful"),
        encoding="utf-8",
    )
    write_json(tmp_path / "answers.json", spec_example_answers)
    for command in (("grade", "bad.yaml", "answers.json"), ("validate", "bad.yaml")):
        done = run_cli("tools", *command, cwd=tmp_path)
        assert_refused(done)
        assert done.stderr.splitlines()[0].startswith("bad.yaml:16: childs-voice/seen/"), command


def test_tools_grade_without_its_answers_file_is_a_usage_error(
    run_cli: Any, spec_example_tool: Path
) -> None:
    done = run_cli("tools", "grade", spec_example_tool)
    assert_refused(done, "Usage:", "ANSWERS.json", code=2)


def test_tools_grade_with_a_missing_answers_file(
    run_cli: Any, tmp_path: Path, spec_example_tool: Path
) -> None:
    done = run_cli("tools", "grade", spec_example_tool, tmp_path / "absent.json")
    assert_refused(done, "absent.json", "cannot read")


def test_the_commands_touch_nothing_outside_the_isolated_dirs(
    run_cli: Any, isolated_env: Any
) -> None:
    assert run_cli("tools", "list").returncode == 0
    assert run_cli("tools", "validate").returncode == 0
    assert not isolated_env.db.exists()  # listing tools never opens the database
    assert list(isolated_env.home.iterdir()) == []


def test_tools_grade_refuses_an_answer_to_a_computed_question(run_cli: Any, tmp_path: Path) -> None:
    tool = tmp_path / "childs-voice-visits.yaml"
    tool.write_text(SPEC_EXAMPLE2_YAML, encoding="utf-8")
    given = {**SPEC_EXAMPLE2_ANSWERS, "answers": {"working_days_to_visit": 4}}
    done = run_cli("tools", "grade", tool, write_json(tmp_path / "answers.json", given))
    assert_refused(done, "answers.json", "working_days_to_visit", "computed")
    assert done.stdout == ""


def test_tools_grade_refuses_a_section_marked_na_without_allow_na(
    run_cli: Any, tmp_path: Path
) -> None:
    tool = tmp_path / "childs-voice-visits.yaml"
    tool.write_text(SPEC_EXAMPLE2_YAML, encoding="utf-8")
    given = {**SPEC_EXAMPLE2_ANSWERS, "sections_na": {"seen": "not today"}}
    done = run_cli("tools", "grade", tool, write_json(tmp_path / "answers.json", given))
    assert_refused(done, "sections_na", "'seen'", "allow_na")


def test_tools_grade_reads_no_fifo(run_cli: Any, tmp_path: Path, spec_example_tool: Path) -> None:
    import os

    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)
    done = run_cli("tools", "grade", spec_example_tool, fifo)
    assert_refused(done, "answers.json", "not a regular file")
