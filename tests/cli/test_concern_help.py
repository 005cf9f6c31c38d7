"""The concern commands' help names both kinds of hub, as the code takes both.

``--hub`` on ``concerns``, ``concern respond`` and ``concern acknowledge`` is
passed to ``services.concerns``, which works on a folder hub or a PostgreSQL
hub (``postgresql://...``); a team manager reading the help must learn both.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from auditui.cli.main import cli


@pytest.mark.parametrize(
    "command", [["concerns"], ["concern", "respond"], ["concern", "acknowledge"]], ids=" ".join
)
def test_the_hub_option_says_folder_or_postgresql(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    hub_line = next(line for line in result.output.splitlines() if "--hub" in line)
    assert "DIR|postgresql://..." in hub_line
    assert "A folder hub (a directory) or a PostgreSQL hub (postgresql://...)" in hub_line


def test_the_concerns_list_says_it_reads_either_hub() -> None:
    result = CliRunner().invoke(cli, ["concerns", "--help"], terminal_width=200)
    assert "folder or PostgreSQL hub" in " ".join(result.output.split())
