"""Safeguarding concerns in the local store: recorded whole or not at all, bounded in SQL too,
the first response standing, and counted without their text.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from auditui.errors import NotFoundError, StateError
from auditui.services import audits, concerns
from auditui.services.concerns import ConcernView, concern_counts, working_day
from auditui.services.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.open(tmp_path / "a.db")
    workspace.now = lambda: "2026-03-02T10:00:00+00:00"
    return workspace


def draft(ws: Workspace) -> str:
    return audits.start_audit(ws, "smart-plans", "CF1", "CP", "North", "Pat", True)


def test_the_first_response_stands_and_ids_may_be_shortened(ws: Workspace) -> None:
    concern = concerns.raise_concern(ws, draft(ws), "Concern", "TM")
    concerns.respond(ws, concern.id[:8], "First outcome")
    with pytest.raises(StateError):
        concerns.respond(ws, concern.id, "Second outcome")
    with pytest.raises(StateError):
        concerns.acknowledge(ws, concern.id)
    assert concerns.list_concerns(ws)[0].outcome == "First outcome"
    with pytest.raises(NotFoundError):
        concerns.respond(ws, concern.id[:3], "Too short a prefix")
    with pytest.raises(NotFoundError):
        concerns.raise_concern(ws, "no-such-audit", "Concern")


def test_the_database_refuses_what_the_services_never_write(ws: Workspace) -> None:
    concern = concerns.raise_concern(ws, draft(ws), "Concern")
    conn = sqlite3.connect(ws.store.path)
    for sql in (
        "UPDATE concerns SET outcome = 'x' WHERE id = ?",  # an outcome with no response time
        "UPDATE concerns SET text = '' WHERE id = ?",
        "UPDATE concerns SET raised_with = printf('%.201c', 'x') WHERE id = ?",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql, (concern.id,))
    conn.close()


def view(raised: str, acked: str | None = None, responded: str | None = None) -> ConcernView:
    outcome = "Outcome" if responded else None
    return ConcernView("i", "a", "t", "secret", "", "p", raised, acked, outcome, "m", responded)


def test_counts_hold_numbers_only_and_use_the_uk_day() -> None:
    assert working_day("2026-06-30T23:30:00+00:00") == dt.date(2026, 7, 1)  # BST
    assert working_day("2026-12-31T23:30:00+00:00") == dt.date(2026, 12, 31)  # GMT
    counts = concern_counts(
        [
            view("2026-03-06T16:00:00+00:00", "2026-03-09T08:00:00+00:00"),  # Fri, acked Mon
            view("2026-03-07T10:00:00+00:00", "2026-03-09T08:00:00+00:00"),  # Sat, acked Mon
            view("2026-03-09T10:00:00+00:00"),  # Monday, still waiting on Monday
        ],
        "england-and-wales",
        dt.date(2026, 3, 9),
    )
    assert counts["acknowledged_same_working_day"] == 1
    assert counts["not_acknowledged_same_working_day"] == 1
    assert counts["awaiting_acknowledgement_today"] == 1
    assert "secret" not in repr(counts)
    empty = concern_counts([], "england-and-wales", dt.date(2026, 3, 9))
    assert empty["raised"] == 0 and empty["median_response_working_days"] is None
