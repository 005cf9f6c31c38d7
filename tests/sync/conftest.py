"""Fixtures for sync, hubs and reports: a real PostgreSQL, real SQLite files, real audits.

One PostgreSQL server per test session (``pgserver`` starts one in about a
second, no root or apt needed); each test that wants a hub gets its own
fresh database in it, initialised by the real ``hub init`` code, and the
URLs of the three least-privilege logins. Audits are made through the real
services (``sync_support.finished_audit``), so what is synced is what an
auditor's finalise really queues.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_support import PgHub, make_config, new_hub, open_workspace, shared_folder

from auditui.services.workspace import Workspace


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """The session's server, its data folder outside pytest's own temporary root.

    Run as root, pgserver starts PostgreSQL as a user of its own and opens the
    folders above the data folder to it. pytest sets its root
    (``/tmp/pytest-of-USER``) back to owner-only whenever another pytest session
    starts on the machine; the server, already running, then could not open its
    own ``pg_hba.conf`` by its full path, and a test reading it failed now and
    then (seen when two test runs overlapped; the server's log said "could not
    open file ... pg_hba.conf: Permission denied").
    """
    import pgserver

    root = Path(tempfile.mkdtemp(prefix="auditui-tests-pg-"))
    server = pgserver.get_server(root / "pg", cleanup_mode="stop")
    try:
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_hub(pg_server: Any) -> PgHub:
    """A fresh, initialised hub database; groups of any size shown."""
    return new_hub(pg_server)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "auditor.db", make_config(tmp_path))
    yield ws
    ws.close()


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    """A folder hub shared by the people of a test (a module may define its own ``hub``)."""
    return shared_folder(tmp_path)


@pytest.fixture(params=["folder", "postgres"])
def hub_urls(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(where the auditor syncs, where the team manager works) for each kind of hub."""
    if request.param == "folder":
        folder = shared_folder(tmp_path)
        return str(folder), str(folder)
    hub: PgHub = request.getfixturevalue("pg_hub")
    return hub.submitter, hub.manager


@pytest.fixture(autouse=True)
def _manager_trusted_on_postgres_hubs(request: pytest.FixtureRequest) -> None:
    """A PostgreSQL hub records completions only from logins trusted for the team
    (``hub trust``); the shared ``auditui_manager`` login of these tests stands in for a
    QA lead trusted for every team."""
    callspec = getattr(request.node, "callspec", None)
    wants = "pg_hub" in request.fixturenames or (
        "hub_urls" in request.fixturenames
        and callspec is not None
        and callspec.params.get("hub_urls") == "postgres"
    )
    if wants:
        from auditui.sync.pg_users import trust_user

        trust_user(request.getfixturevalue("pg_hub").admin, "auditui_manager", ["*"])
