"""Fixtures every test shares: no test ever touches a developer's real files.

Every path auditui could read or write (database, config, tools directories,
the per-user config and data directories) is pointed into ``tmp_path`` for
each test, and subprocesses inherit the same isolated environment. The
spec's worked example (spec/audit-tool-format.md) is here, verbatim, because
both the grading tests and the CLI tests must reproduce it exactly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# The suite runs on a loaded 2-core machine: hypothesis checks properties, not speed.
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

import auditui

hypothesis_settings.register_profile(
    "auditui", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("auditui")

SRC_DIR = Path(auditui.__file__).resolve().parent.parent
"""The directory auditui is imported from, so subprocesses import the same code."""

REPO_ROOT = Path(__file__).resolve().parent.parent

SPEC_EXAMPLE_YAML = """\
format: 1
id: childs-voice
version: 1
title: Child's voice dip sample
applies_to: [CIN, CP, CLA]
grading: {overall: lowest_section}
sections:
  - id: seen
    title: Seeing the child
    grading: score
    questions:
      - id: seen_in_timescale
        text: Has the child been seen within the statutory timescale?
        type: yes_no
        points: {yes: 1, no: 0}
        limiting: {answers: [no], cap: inadequate}
      - id: seen_alone
        text: Was the child seen alone?
        type: yes_no
        allow_na: true
        help: N/A for pre-verbal children; say why in the evidence.
        evidence: when_not_yes
        points: {yes: 1, no: 0}
  - id: voice
    title: Wishes and feelings
    grading: lowest
    questions:
      - id: views_recorded
        text: Are the child's views recorded in their own words?
        type: yes_partly_no
        evidence: always
      - id: direct_work_tools
        text: Which direct-work tools were used?
        type: multi
        show_if: {question: views_recorded, in: [yes, partly]}
        options:
          - {id: momo, label: Mind of My Own}
          - {id: three_houses, label: Three Houses}
          - {id: other, label: Other}
      - id: voice_quality
        text: How well does the plan reflect the child's voice?
        type: grade
"""
"""The spec's "A complete small example", copied from the spec text."""

SPEC_EXAMPLE_ANSWERS: dict[str, Any] = {
    "answers": {"seen_in_timescale": "yes", "seen_alone": "no", "voice_quality": "good"}
}

SPEC_EXAMPLE_RESULT: dict[str, Any] = {
    "sections": {
        "seen": {
            "percent": 50.0,
            "suggested": "requires_improvement",
            "final": "requires_improvement",
        },
        "voice": {"percent": None, "suggested": "good", "final": "good"},
    },
    "overall": {
        "percent": None,
        "suggested": "requires_improvement",
        "final": "requires_improvement",
    },
    "complete": False,
    "missing": ["views_recorded"],
    "missing_evidence": ["seen_alone"],
}
"""The JSON the spec says `auditui tools grade` prints for the example."""


@dataclass(frozen=True)
class IsolatedEnv:
    """Where this test's auditui data lives."""

    root: Path
    db: Path
    config: Path
    tools: Path
    home: Path


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedEnv:
    """Point every auditui path and the user's home and XDG dirs into tmp_path."""
    root = tmp_path / "isolated"
    home = root / "home"
    tools = root / "tools"
    for directory in (home, tools, root / "xdg-config", root / "xdg-data", root / "xdg-cache"):
        directory.mkdir(parents=True)
    config = root / "config.toml"
    config.write_text("# an empty config: every default\n", encoding="utf-8")
    db = root / "auditui.db"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "xdg-cache"))
    monkeypatch.setenv("AUDITUI_DB", str(db))
    monkeypatch.setenv("AUDITUI_CONFIG", str(config))
    monkeypatch.setenv("AUDITUI_TOOLS", str(tools))
    return IsolatedEnv(root=root, db=db, config=config, tools=tools, home=home)


@pytest.fixture
def spec_example_tool(tmp_path: Path) -> Path:
    """The spec's example tool, as a real YAML file."""
    path = tmp_path / "childs-voice.yaml"
    path.write_text(SPEC_EXAMPLE_YAML, encoding="utf-8")
    return path


@pytest.fixture
def spec_example_answers() -> dict[str, Any]:
    return {"answers": dict(SPEC_EXAMPLE_ANSWERS["answers"])}


@pytest.fixture
def spec_example_result() -> dict[str, Any]:
    return {
        **SPEC_EXAMPLE_RESULT,
        "sections": {k: dict(v) for k, v in SPEC_EXAMPLE_RESULT["sections"].items()},
    }


def _subprocess_env() -> dict[str, str]:
    """The current (isolated) environment, able to import this checkout's auditui."""
    env = dict(os.environ)
    parts = [str(SRC_DIR)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    env.pop("PYTHONSTARTUP", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    return env


@pytest.fixture
def child_env(isolated_env: IsolatedEnv) -> dict[str, str]:
    """An environment for subprocesses: isolated, and importing this checkout's auditui."""
    return _subprocess_env()


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(isolated_env: IsolatedEnv) -> RunCli:
    """Run the real `auditui` command in a subprocess, in the isolated environment."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "auditui", *map(str, args)],
            capture_output=True,
            text=True,
            env=_subprocess_env(),
            cwd=cwd or isolated_env.root,
            timeout=120,
        )

    return run
