"""`auditui audit themes`: show and set an audit's themes from a real subprocess.

Bad input (a theme outside the list, an ended audit, hostile option values)
must give exit 1 and one plain sentence, never a traceback, and change
nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from cli_support import Result, RunCli, ok
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HARNESS = (
    "from auditui.cli.audit_cmd import audit\n"
    "from auditui.cli.audit_themes_cmd import audit_themes\n"
    "if 'themes' not in audit.commands:\n"
    "    audit.add_command(audit_themes, 'themes')\n"
    "from auditui.cli.main import main\n"
    "main()\n"
)
"""`auditui` with `audit themes` attached, whether or not audit_cmd.py attaches it yet."""

NEW = ("audit", "new", "--tool", "smart-plans", "--case", "CF123456", "--case-type", "CP")
NEW_REST = ("--team", "North", "--practitioner", "Pat Jones")


@pytest.fixture
def themes(child_env: dict[str, str], isolated_env: Any) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        return subprocess.run(
            [sys.executable, "-c", HARNESS, "audit", "themes", *args],
            capture_output=True,
            text=True,
            env=child_env,
            cwd=isolated_env.root,
            timeout=120,
        )

    return run


Themes = Callable[..., Result]


def refused(result: Result) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


@pytest.fixture
def audit_id(run_cli: RunCli, isolated_env: Any) -> str:
    isolated_env.config.write_text(
        '[organisation]\nthemes = ["Voice of the child", "SMART planning", "Drift and delay"]\n',
        encoding="utf-8",
    )
    return ok(run_cli(*NEW, *NEW_REST)).strip()


def test_show_set_and_clear(themes: Themes, audit_id: str) -> None:
    out = json.loads(ok(themes(audit_id, "--format", "json")))
    assert out == {"strengths": [], "development": []}
    table = ok(themes("CF123456"))
    assert "Strengths" in table and "(none)" in table

    out = json.loads(
        ok(
            themes(
                audit_id,
                "--strength",
                "smart planning",
                "--strength",
                "Voice of the child",
                "--development",
                "Drift and delay",
                "--format",
                "json",
            )
        )
    )
    assert out == {
        "strengths": ["Voice of the child", "SMART planning"],
        "development": ["Drift and delay"],
    }
    table = ok(themes(audit_id))
    assert "Areas for development  Drift and delay" in table
    assert "Strengths              Voice of the child" in table

    out = json.loads(ok(themes(audit_id, "--clear", "--format", "json")))
    assert out == {"strengths": [], "development": []}


def test_a_theme_outside_the_list_is_refused_and_nothing_changes(
    themes: Themes, audit_id: str
) -> None:
    ok(themes(audit_id, "--development", "Drift and delay"))
    err = refused(themes(audit_id, "--strength", "SMART planning", "--development", "Housing"))
    assert err == (
        "auditui: Theme 'Housing' is not one of the organisation's themes: Voice of the child, "
        "SMART planning, Drift and delay (set as themes in the [organisation] section of "
        "config.toml).\n"
    )
    out = json.loads(ok(themes(audit_id, "--format", "json")))
    assert out == {"strengths": [], "development": ["Drift and delay"]}


def test_an_ended_audit_is_refused(run_cli: RunCli, themes: Themes, audit_id: str) -> None:
    ok(run_cli("audit", "close", audit_id, "--reason", "Case transferred."))
    err = refused(themes(audit_id, "--strength", "SMART planning"))
    assert "closed as incomplete and read-only; reopen it" in err
    assert json.loads(ok(themes(audit_id, "--format", "json"))) == {
        "strengths": [],
        "development": [],
    }


def test_no_such_audit_and_too_many_options(themes: Themes, audit_id: str) -> None:
    assert "ZZ999" in refused(themes("ZZ999"))
    many = [arg for _ in range(101) for arg in ("--strength", "SMART planning")]
    assert "At most 100 themes" in refused(themes(audit_id, *many))


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")))
def test_hostile_option_values_are_refused_in_one_line(
    themes: Themes, audit_id: str, value: str
) -> None:
    result = themes(audit_id, f"--development={value}")
    if result.returncode == 0:
        assert value.strip().casefold() in {
            "voice of the child",
            "smart planning",
            "drift and delay",
        }
    else:
        refused(result)
        assert "\x1b" not in result.stderr


def test_help_explains_the_command(themes: Themes) -> None:
    out = ok(themes("--help"))
    assert "--strength THEME" in out and "--development THEME" in out and "--clear" in out
