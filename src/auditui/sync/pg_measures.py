"""The format 2 measures over a PostgreSQL hub, from ``report_measure_counts`` (pg_views).

Apart from ``postgres.py`` so that file keeps to the hub's connection, sync
and the QA measures; the reader's login is the same.
"""

from __future__ import annotations

import contextlib

from psycopg import errors as pg_errors

from auditui.sync.measure_counts import MeasureCount, MeasuresCounted
from auditui.sync.measures import Period
from auditui.sync.postgres import PostgresHub


def measure_counts(
    hub: PostgresHub, by: str | None, period: Period | None = None
) -> MeasuresCounted:
    """The measures' counts overall, and per group in the groups ``report_groups`` shows
    (none for ``section``). A hub not yet migrated by this auditui's ``hub init`` has no
    such function: nothing is counted there, as for records that carry no measures, and
    the rest of the report stands."""
    start, end = period or (None, None)
    counted = MeasuresCounted()
    sql = (
        "SELECT grp, tool_id, question_id, counted, yes"
        " FROM auditui.report_measure_counts(%s, %s, %s)"
    )
    with hub._errors("read reports"), contextlib.suppress(pg_errors.UndefinedFunction):  # noqa: SLF001
        for _, tool, question, n, yes in hub.conn.execute(sql, ("all", start, end)):
            counted.overall[(tool, question)] = MeasureCount(int(n), int(yes))
        if by is not None and by != "section":
            for grp, tool, question, n, yes in hub.conn.execute(sql, (by, start, end)):
                group = counted.groups.setdefault(grp, {})
                group[(tool, question)] = MeasureCount(int(n), int(yes))
    return counted
