"""Schema V8: the practice themes an audit's findings raise, as strengths and for development.

One row per theme an audit records, per kind (``strengths`` or
``development``), in the order the auditor's organisation lists them
(``position``). Themes are names from the organisation's list, never free
text, so they may travel to a hub with the graded result even when
evidence text stays on this machine. Which themes are allowed is the
configuration's business, not the schema's: a theme the organisation later
drops from its list stays recorded against the audits that raised it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

V8 = (
    """
CREATE TABLE audit_themes (
    audit_id TEXT NOT NULL REFERENCES audits (id),
    kind TEXT NOT NULL CHECK (kind IN ('strengths', 'development')),
    theme TEXT NOT NULL CHECK (length(theme) BETWEEN 1 AND 200),
    position INTEGER NOT NULL,
    PRIMARY KEY (audit_id, kind, theme)
) WITHOUT ROWID
""",
    "CREATE INDEX audit_themes_by_theme ON audit_themes (theme, kind)",
)


def migrate_v8(db: Database) -> None:
    for statement in V8:
        db.execute(statement)
