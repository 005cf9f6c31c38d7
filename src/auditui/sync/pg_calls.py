"""One call of a PostgreSQL hub function that the hub may refuse, without stopping the sync.

The programme's sends (agreed grades, re-audit links, case details, progress) each call a hub
function once per record; a record the hub refuses (its own words, raised by the function)
is reported and the rest still go, so each call runs in a savepoint of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg


def hub_refusal(exc: psycopg.Error) -> str:
    """The hub's reason in plain words, without the ``auditui:`` prefix its functions raise."""
    return (exc.diag.message_primary or str(exc)).removeprefix("auditui: ")


def call_or_refuse(
    conn: psycopg.Connection[Any],
    sql: str,
    params: Sequence[Any],
    what: str,
    refused: list[str],
) -> bool:
    """Run ``sql`` in a savepoint; whether the hub took it. A refusal is added to
    ``refused`` as "``what``: the hub's reason"."""
    try:
        with conn.transaction():
            conn.execute(sql, params)
    except psycopg.Error as exc:
        refused.append(f"{what}: {hub_refusal(exc)}")
        return False
    return True
