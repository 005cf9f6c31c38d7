"""A blind re-audit needs the tool and version the original was made with, on this machine.

The moderator's machine may not have that tool file (or that version of
it): the refusal names the tool, the version and what to do, and nothing is
started, rather than "Audit tool 'x' has no version 2 loaded."
"""

from __future__ import annotations

from pathlib import Path

import pytest
from moderation_support import ended_audit, make_ws, write_tool

from auditui.errors import StateError
from auditui.services import moderation as service


@pytest.mark.parametrize("what", ["tool", "version"])
def test_a_moderator_without_the_originals_tool_version_is_told_what_to_install(
    tmp_path: Path, what: str
) -> None:
    tools = write_tool(tmp_path / "tools")
    lead = make_ws(tmp_path / "auditui.db", tools, "Quinn Lead")
    original = ended_audit(lead, "Ann", "CF0001")
    service.sample(lead, "2026-11", 100, moderators=["Bob"], seed="1")
    if what == "version":
        lead.store.conn.execute("UPDATE moderations SET tool_version = 7")
    elsewhere = tmp_path / "bobs-tools"
    if what == "tool":
        elsewhere.mkdir()
    else:
        write_tool(elsewhere)
    bob = make_ws(lead.store.path, elsewhere, "Bob")
    with pytest.raises(StateError) as refused:
        service.start_moderation(bob, original)
    message = refused.value.message
    version = 7 if what == "version" else 1
    assert f"'mod-tool' version {version}" in message, message
    assert "Nothing was started" in message and "same tool version" in message
    count = bob.store.query("SELECT count(*) AS n FROM audits WHERE kind = 'moderation'")
    assert count[0]["n"] == 0
    bob.close()
    lead.close()
