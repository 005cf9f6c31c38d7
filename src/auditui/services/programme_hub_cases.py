"""The cases audited anywhere lately, as the configured hub knows them: what a plan leaves out.

A QA lead's machine holds only the audits done on it, so the 12-month rule
(never plan a case audited in the window) would miss every audit an auditor
did at their own machine. The hub holds each audit's case pseudonym
(``case_key``, an HMAC of the reference under the organisation key) and its
dates; the plan computes the same pseudonym for each listed case and leaves
out those the hub has seen started or ended in the window. The reference
itself never leaves this machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from auditui.errors import ProgrammeError
from auditui.services.workspace import Workspace


@dataclass(frozen=True)
class HubAudited:
    """The pseudonyms of the cases the hub holds audits of since the window opened, and how
    to compute a listed case's pseudonym; empty with no hub configured."""

    keys: frozenset[str] = frozenset()
    case_key: Callable[[str], str] | None = field(default=None, compare=False)
    hub: str = ""

    def audited(self, case_ref: str) -> bool:
        return self.case_key is not None and self.case_key(case_ref) in self.keys


def hub_audited(ws: Workspace, since: dt.date) -> HubAudited:
    """What the configured hub (folder or PostgreSQL) holds of audits since ``since``."""
    target = ws.config.sync.target
    if not target:
        return HubAudited()
    from auditui.sync.hub import is_postgres
    from auditui.sync.pseudonym import load_or_create_key

    key_file = ws.config.sync.resolved_key_file()
    if not key_file.is_file():
        return HubAudited()  # no organisation key yet: nothing has gone to a hub from here
    organisation = load_or_create_key(key_file)
    if is_postgres(target):
        keys, shown = _pg_keys(target, since)
    else:
        keys, shown = _folder_keys(ws, target, since)
    return HubAudited(frozenset(keys), organisation.case_key, shown)


def _folder_keys(ws: Workspace, target: str, since: dt.date) -> tuple[set[str], str]:
    from auditui.services.sync import open_folder_hub
    from auditui.sync.programme_hub_audits import hub_case_keys

    hub = open_folder_hub(ws, target)
    try:
        if hub.demo:
            return set(), hub.display
        return hub_case_keys(hub, since, ws.today()), hub.display
    finally:
        hub.close()


def _pg_keys(target: str, since: dt.date) -> tuple[set[str], str]:
    """The lead's login reads them; another login cannot (and sees nothing left out)."""
    from auditui.sync.postgres import PostgresHub

    pg = PostgresHub.connect(target)
    try:
        with pg._errors("read what the hub holds"):  # noqa: SLF001
            conn = pg.conn
            found = conn.execute("SELECT to_regproc('auditui.am_lead') IS NOT NULL").fetchone()
            if not (found and found[0]):
                return set(), pg.display
            lead = conn.execute("SELECT auditui.am_lead()").fetchone()
            if not (lead and lead[0]):
                return set(), pg.display
            found = conn.execute(
                "SELECT to_regproc('auditui.audited_case_keys') IS NOT NULL"
            ).fetchone()
            if not (found and found[0]):
                raise ProgrammeError(
                    f"The hub {pg.display} cannot say which cases were audited lately; run "
                    "auditui hub init on it (as its owner) to upgrade it. Nothing was planned."
                )
            rows = conn.execute("SELECT * FROM auditui.audited_case_keys(%s)", (since,))
            return {r[0] for r in rows.fetchall()}, pg.display
    finally:
        pg.close()
