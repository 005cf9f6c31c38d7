"""SQL for the themes an audit records as strengths and as areas for development.

Readers take the connection like every store reader; the writer replaces
one kind's whole list and touches the audit's ``updated_at``, inside the
caller's transaction (``Store.transaction()``), so a change is all saved or
none of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

THEME_KINDS = ("strengths", "development")
"""``strengths``: what the audit found done well; ``development``: areas for development."""


def themes_of(conn: sqlite3.Connection, audit_id: str) -> dict[str, tuple[str, ...]]:
    """The audit's themes by kind, in the order recorded; both kinds always present."""
    found: dict[str, list[str]] = {kind: [] for kind in THEME_KINDS}
    rows = conn.execute(
        "SELECT kind, theme FROM audit_themes WHERE audit_id = ? ORDER BY kind, position, theme",
        (audit_id,),
    )
    for kind, theme in rows:
        found.setdefault(kind, []).append(theme)
    return {kind: tuple(found[kind]) for kind in THEME_KINDS}


def set_themes(
    conn: sqlite3.Connection, audit_id: str, kind: str, themes: Iterable[str], when: str
) -> None:
    """Replace the audit's ``kind`` themes with ``themes`` (in that order; repeats once)."""
    if kind not in THEME_KINDS:
        raise ValueError(f"theme kind must be one of {THEME_KINDS}, not {kind!r}")
    conn.execute("DELETE FROM audit_themes WHERE audit_id = ? AND kind = ?", (audit_id, kind))
    conn.executemany(
        "INSERT INTO audit_themes (audit_id, kind, theme, position) VALUES (?, ?, ?, ?)",
        [(audit_id, kind, theme, n) for n, theme in enumerate(dict.fromkeys(themes))],
    )
    conn.execute("UPDATE audits SET updated_at = ? WHERE id = ?", (when, audit_id))
