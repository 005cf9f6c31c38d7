"""Schema V7: moderation allocations, the re-audit each one led to, and the agreed grade.

An allocation copies the original audit's case details (tool and version,
case, team, worker) when it is made, so the moderator's machine can start
the blind re-audit from the allocation alone, without ever holding the
original audit; ``original_grades`` is where a hub-delivered allocation
keeps the original's grades (JSON, scope to grade) for the comparison
once the re-audit has ended. One allocation per original audit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

V7 = (
    """
CREATE TABLE moderations (
    id TEXT PRIMARY KEY,
    month TEXT NOT NULL,
    audit_id TEXT NOT NULL UNIQUE,
    auditor TEXT NOT NULL,
    team TEXT NOT NULL,
    tool_id TEXT NOT NULL,
    tool_version INTEGER NOT NULL,
    case_ref TEXT NOT NULL,
    case_type TEXT NOT NULL,
    practitioner TEXT NOT NULL,
    practitioner_present INTEGER NOT NULL CHECK (practitioner_present IN (0, 1)),
    moderator TEXT NOT NULL,
    moderation_audit_id TEXT UNIQUE,
    original_grades TEXT,
    agreed_grade TEXT,
    agreed_by TEXT,
    agreed_reason TEXT CHECK (agreed_reason IS NULL OR length(agreed_reason) <= 20000),
    agreed_at TEXT,
    seed TEXT NOT NULL,
    allocated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (moderator <> auditor),
    CHECK ((agreed_grade IS NULL) = (agreed_at IS NULL))
)
""",
    "CREATE INDEX moderations_by_month ON moderations (month, moderator)",
)


def migrate_v7(db: Database) -> None:
    for statement in V7:
        db.execute(statement)
