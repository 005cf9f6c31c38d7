"""The walker when the database file is moved away under it: say so, never "saved"."""

from __future__ import annotations

import os
import sqlite3

from tui_support import SIZE, run

from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.screens.walker import WalkerScreen


def test_an_answer_after_the_database_was_moved_is_refused_in_plain_words(
    app: AuditApp, workspace: Workspace, new_audit, isolated_env
) -> None:
    new_audit()
    db = isolated_env.db
    moved = db.with_name("moved.db")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            walker = app.screen
            assert isinstance(walker, WalkerScreen)
            assert walker.current == "specific"
            for side in ("", "-wal", "-shm"):
                os.rename(f"{db}{side}", f"{moved}{side}")
            await pilot.press("y")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("moved or deleted" in m and "not saved" in m for m in messages), messages
            assert "saved" not in str(walker.query_one("#saved").render())
            assert walker.current == "specific", "the walk stays on the unsaved question"

    run(scenario())
    assert not db.exists()
    conn = sqlite3.connect(moved)
    assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    conn.close()
