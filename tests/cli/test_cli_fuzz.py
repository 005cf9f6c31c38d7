"""Issue 12: a fuzz test over the arguments of the audit, action, actions and export commands.

Hypothesis builds command lines from each command's grammar, with values
drawn from hostile text (control characters, markup, formulas, huge
numbers, impossible dates, long strings) and real ids, and runs them
in-process with click's ``CliRunner`` against one real database. Any
exception other than a clean exit, an exit code other than 0, 1 or 2, or
the word "Traceback" in the output fails the test. A few of the nastiest
lines also run as real `auditui` subprocesses. Output paths are only ever
chosen from a fixed list inside the test's folder (and devices), so the
fuzz cannot write anywhere else.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui.cli.main import cli

RunCli = Callable[..., subprocess.CompletedProcess[str]]

EXAMPLES = int(os.environ.get("AUDITUI_FUZZ_EXAMPLES", "600"))
"""Command lines per run: about 10 s on the shared 2-core machine."""

HOSTILE = [
    "",
    " ",
    "-",
    "--",
    "--help",
    '=HYPERLINK("http://x","y")',
    "+1",
    "@SUM(A1)",
    "\x1b[31mred\x1b]0;title\x07",
    "[/x]",
    "[bold]b",
    "\u202eevil",
    "\x9b2J",
    "a\nb",
    "a\rb",
    "a\x00b",
    "ééé",
    "99999999999",
    "-1",
    "0",
    "2600",
    "2601",
    "1e309",
    "NaN",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "1/1/1",
    "29/02/2028",
    "2027-01-16",
    "2027-01-18",
    "null",
    "[]",
    '["momo", "other"]',
    "{}",
    "yes",
    "partly",
    "na",
    "good",
    "outstanding",
    "suggested",
    "overall",
    "smart",
    "CP",
    "CF1",
    "smart-plans",
    "childs-voice",
    "T" * 201,
    "x" * 20_001,
    "%s%n%x",
    "../../etc/passwd",
    "'; DROP TABLE audits; --",
]

QUESTIONS = [
    "specific",
    "measurable",
    "timely",
    "contingency_present",
    "plan_reviewed_in_timescale",
    "nope",
]
FORMATS = ["table", "json", "csv", "text", "md", "html", "xml"]
TABLES = ["audits", "answers", "actions", "grades", "users"]
STATUSES = ["draft", "finalised", "closed_incomplete", "open", "done", "cancelled", "x"]


def _value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers(-(10**15), 10**15).map(str),
        st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    )


def _options(
    *pairs: tuple[str, st.SearchStrategy[str]], required: int = 0
) -> st.SearchStrategy[list[str]]:
    """``--option value`` pairs: the first ``required`` always, any subset of the others."""
    chosen = [
        v.map(lambda x, n=name: [n, x])
        if i < required
        else st.one_of(st.just([]), v.map(lambda x, n=name: [n, x]))
        for i, (name, v) in enumerate(pairs)
    ]
    return st.tuples(*chosen).map(lambda parts: [w for part in parts for w in part])


def _mostly(valid: list[str], other: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid choice three times in four, so most lines get past click to the services."""
    choice = st.sampled_from(valid)
    return st.one_of(choice, choice, choice, other)


def _flags(*names: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(names), unique=True, max_size=len(names))


def common_options(work: Path) -> st.SearchStrategy[list[str]]:
    """Mostly none; sometimes a database, config or tools folder that is not what it claims."""
    garbage = work / "garbage.txt"
    garbage.write_text("not = [toml\n\x00", encoding="utf-8")
    odd = st.sampled_from(
        [
            ["--db", str(work)],
            ["--db", "/dev/null"],
            ["--db", str(garbage)],
            ["--db", str(work / "other.db")],
            ["--config", str(garbage)],
            ["--config", str(work / "missing.toml")],
            ["--tools-dir", str(garbage)],
            ["--tools-dir", str(work / "missing")],
        ]
    )
    return st.one_of(st.just([]), st.just([]), st.just([]), odd)


def command_lines(ids: dict[str, str], outs: list[str]) -> st.SearchStrategy[list[str]]:
    v = _value()
    audit = st.one_of(st.sampled_from([ids["audit"], ids["audit"][:8], "CF1", ids["ended"]]), v)
    action = st.one_of(st.sampled_from([ids["action"], ids["action"][:8]]), v)
    out = st.sampled_from(outs)
    fmt = _mostly(FORMATS, v)
    status = _mostly(STATUSES, v)
    new = st.tuples(
        _options(
            ("--tool", st.one_of(st.just("smart-plans"), v)),
            ("--case", v),
            ("--case-type", st.one_of(st.just("CP"), v)),
            ("--team", v),
            ("--practitioner", v),
            ("--auditor", v),
            ("--kind", _mostly(["case_file", "themed", "moderation"], v)),
            ("--tool-version", _mostly(["1", "2", "0", "-1", "99999999999999999999"], v)),
            required=5,
        ),
        _flags("--with-practitioner", "--without-practitioner"),
    ).map(lambda t: ["audit", "new", *t[0], *t[1]])
    lines = [
        new,
        st.tuples(
            audit, st.one_of(st.sampled_from(QUESTIONS), v), v, _options(("--evidence", v))
        ).map(lambda t: ["audit", "answer", t[0], t[1], t[2], *t[3]]),
        st.tuples(audit, v, v, _options(("--rationale", v))).map(
            lambda t: ["audit", "grade", t[0], t[1], t[2], *t[3]]
        ),
        st.tuples(audit, _options(("--on", v))).map(lambda t: ["audit", "finalise", t[0], *t[1]]),
        st.tuples(audit, _options(("--reason", v), ("--on", v), required=1)).map(
            lambda t: ["audit", "close", t[0], *t[1]]
        ),
        st.tuples(audit, _options(("--reason", v), required=1)).map(
            lambda t: ["audit", "reopen", t[0], *t[1]]
        ),
        st.tuples(audit, _options(("--format", fmt))).map(lambda t: ["audit", "show", t[0], *t[1]]),
        _options(("--status", status), ("--format", fmt)).map(lambda o: ["audit", "list", *o]),
        st.tuples(audit, _options(("--owner", v), ("--text", v), ("--due", v), required=2)).map(
            lambda t: ["action", "add", t[0], *t[1]]
        ),
        st.tuples(action, _options(("--on", v), ("--evidence", v))).map(
            lambda t: ["action", "done", t[0], *t[1]]
        ),
        st.tuples(action, _options(("--reason", v), required=1)).map(
            lambda t: ["action", "cancel", t[0], *t[1]]
        ),
        st.tuples(
            _options(
                ("--status", status),
                ("--due-within", _mostly(["0", "5", "2600", "2601"], v)),
                ("--team", v),
                ("--owner", v),
                ("--format", fmt),
            ),
            _flags("--overdue"),
        ).map(lambda t: ["actions", *t[0], *t[1]]),
        st.tuples(
            _options(
                ("--table", _mostly(TABLES, v)),
                ("--out", out),
                ("--from", v),
                ("--to", v),
                ("--team", v),
                ("--tool", v),
                ("--status", status),
                required=1,
            ),
            _flags("--labels", "--no-bom"),
        ).map(lambda t: ["export", "csv", *t[0], *t[1]]),
        st.tuples(audit, _options(("--format", fmt), ("--out", out))).map(
            lambda t: ["export", "report", t[0], *t[1]]
        ),
    ]
    return st.one_of(lines)


def _invoke(args: list[str]) -> int:
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    shown = f"{args!r}\n{result.output}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(shown) from result.exception
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in result.output, shown
    return result.exit_code


@pytest.fixture
def fuzz_data(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A draft and an ended audit with an action; the working folder is the test's own."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # a relative path the fuzz makes lands here

    def made(*args: str) -> str:
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    new = ("audit", "new", "--tool", "smart-plans", "--case-type", "CP", "--practitioner", "P")
    audit = made(*new, "--case", "CF1", "--team", "North")
    ended = made(*new, "--case", "CF2", "--team", "South")
    made("audit", "close", ended, "--reason", "Case transferred.")
    action = made("action", "add", audit, "--owner", "Pat", "--text", "Update the plan.")
    return {"audit": audit, "ended": ended, "action": action}


def test_no_command_line_gives_a_traceback(fuzz_data: dict[str, str], tmp_path: Path) -> None:
    outs = [
        "-",
        str(tmp_path / "work" / "out.csv"),
        str(tmp_path / "work"),
        "/dev/null",
        "/dev/full",
        "/sys/auditui.csv",
        str(tmp_path / ("a" * 300)),
        "",
    ]
    started = time.monotonic()
    ran: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(common=common_options(tmp_path / "work"), args=command_lines(fuzz_data, outs))
    def run(common: list[str], args: list[str]) -> None:
        ran.append(_invoke([*common, *args]))

    run()
    took = time.monotonic() - started
    codes = {code: ran.count(code) for code in sorted(set(ran))}
    print(f"{len(ran)} command lines in {took:.1f} s; exit codes {codes}")  # noqa: T201
    assert len(ran) >= EXAMPLES
    assert took < 120  # bounded: the budget is well under a minute


@pytest.mark.parametrize(
    "args",
    [
        ["actions", "--due-within", "99999999999"],
        ["actions", "--team", "\x1b[2J", "--format", "table"],
        ["audit", "new", "--tool", "smart-plans", "--case", "C", "--case-type", "CP",
         "--team", "[/x]", "--practitioner", "x" * 300],
        ["action", "add", "CF1", "--owner", "Pat", "--text", "Do.", "--due", "31/02/2027"],
        ["export", "csv", "--table", "answers", "--out", "/dev/full"],
        ["audit", "show", "\u202e" + "a" * 5000],
    ],
)  # fmt: skip
def test_hostile_lines_in_a_real_process(
    args: list[str], fuzz_data: dict[str, str], run_cli: RunCli
) -> None:
    done = run_cli(*args)
    assert done.returncode in (0, 1, 2), (args, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
    assert os.getcwd()  # the test's folder still exists
