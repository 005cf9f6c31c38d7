"""What the CLI tests ask of every `python -m auditui` subprocess they run.

A command that works exits 0 with no traceback; one that refuses exits 1 with one
plain sentence on stderr, never a traceback (``refused`` returns that sentence).
Imported by the test modules (``from cli_support import ...``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

Result = subprocess.CompletedProcess[str]
RunCli = Callable[..., Result]


def ok(result: Result) -> str:
    """The command's stdout, once it is known to have worked."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: Result) -> str:
    """The one line the command refused in (exit 1, no traceback)."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
