"""The themes findings raise, counted over a PostgreSQL hub (``report_finding_themes``).

Apart from ``postgres.py`` so that file keeps to the hub's connection, sync
and the QA measures; the reader's login is the same.
"""

from __future__ import annotations

import contextlib

from psycopg import errors as pg_errors

from auditui.sync.measures import Period
from auditui.sync.postgres import PostgresHub
from auditui.sync.theme_counts import ThemesCounted


def theme_counts(hub: PostgresHub, by: str | None, period: Period | None = None) -> ThemesCounted:
    """Audits raising each theme overall, and per group in the groups ``report_groups``
    shows (none for ``section``). A hub not yet migrated to schema 4 by this auditui's
    ``hub init`` has no such function: no theme is counted there, as for records that
    carry none, and the rest of the report stands."""
    start, end = period or (None, None)
    counted = ThemesCounted()
    sql = "SELECT grp, kind, theme, audits FROM auditui.report_finding_themes(%s, %s, %s)"
    with hub._errors("read reports"), contextlib.suppress(pg_errors.UndefinedFunction):  # noqa: SLF001
        for _, kind, theme, audits in hub.conn.execute(sql, ("all", start, end)):
            counted.add(None, kind, theme, int(audits))
        if by is not None and by != "section":
            for grp, kind, theme, audits in hub.conn.execute(sql, (by, start, end)):
                counted.add(grp, kind, theme, int(audits))
    return counted
