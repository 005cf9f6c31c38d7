"""`auditui tools guide`: the tool-format guide travels inside the package and prints whole."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import auditui

sys.path.insert(0, str(Path(__file__).parent.parent / "unit"))
from format2_support import SPEC_EXAMPLE2_YAML  # noqa: E402

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def test_guide_prints_where_it_is_inside_the_package(run_cli: RunCli) -> None:
    done = run_cli("tools", "guide")
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.is_file() and path.suffix == ".md"
    assert path.is_relative_to(Path(auditui.__file__).resolve().parent)


def test_guide_print_gives_the_guide_with_the_specs_example(run_cli: RunCli) -> None:
    done = run_cli("tools", "guide", "--print")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Writing an audit tool: a guide for QA leads")
    assert SPEC_EXAMPLE2_YAML in done.stdout  # the spec's complete example, verbatim
    for words in ("section-na", "compute", "rationale: always", "subject: worker", "measure"):
        assert words in done.stdout
