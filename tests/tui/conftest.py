"""Fixtures for driving the real app: a real database in tmp_path and a fixed clock.

The root conftest already points every auditui path into ``tmp_path``; here
the clock is fixed too (``today`` a Monday, ``now`` ticking one second per
write, UUIDs counted) so the SVG snapshots come out the same on every run,
and the local time zone is UTC so "last changed" reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.widgets import Input, TextArea
from tui_support import TODAY, ticking_clock

from auditui.config import load_config
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tui.app import AuditApp
from auditui.tui.run import make_app


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Local time is UTC, so times on screen do not depend on the machine."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursors never blink, so a snapshot never catches one half-drawn."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture(autouse=True)
def counted_uuids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids in creation order, so ties sort the same way on every run."""
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


@pytest.fixture
def library() -> ToolLibrary:
    return ToolLibrary.load()


@pytest.fixture
def workspace(isolated_env: Any, library: ToolLibrary) -> Iterator[Workspace]:
    """A workspace on the test's own database, user "Ann Auditor", fixed clock."""
    isolated_env.config.write_text('[user]\nname = "Ann Auditor"\n', encoding="utf-8")
    ws = Workspace.open(isolated_env.db, library=library, config=load_config(isolated_env.config))
    ws.today = lambda: TODAY
    ws.now = ticking_clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    yield ws
    ws.close()


@pytest.fixture
def app(workspace: Workspace) -> AuditApp:
    return make_app(workspace)


NewAudit = Callable[..., str]


@pytest.fixture
def new_audit(workspace: Workspace) -> NewAudit:
    """Start an audit through the service (smart-plans unless told otherwise)."""

    def start(case_ref: str = "NL/1001", tool: str = "smart-plans", **details: Any) -> str:
        values: dict[str, Any] = {
            "case_type": "CP",
            "team": "North Locality",
            "practitioner": "Sam Taylor",
            "practitioner_present": True,
        }
        values.update(details)
        return audits.start_audit(workspace, tool, case_ref, **values)

    return start
