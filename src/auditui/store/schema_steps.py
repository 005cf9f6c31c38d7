"""Each step of the local schema, in the order they shipped (``schema.MIGRATIONS`` lists them).

A step is DDL text and the function that applies it; a step that has shipped is
never edited (the next one changes what it made). Kept apart from ``schema``,
which only orders the steps and applies them safely.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

V1 = """
CREATE TABLE audits (
    id TEXT PRIMARY KEY,
    tool_id TEXT NOT NULL,
    tool_version INTEGER NOT NULL,
    case_ref TEXT NOT NULL,
    case_type TEXT NOT NULL,
    team TEXT NOT NULL,
    practitioner TEXT NOT NULL,
    auditor TEXT NOT NULL,
    kind TEXT NOT NULL,
    practitioner_present INTEGER NOT NULL CHECK (practitioner_present IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'finalised', 'closed_incomplete')),
    revision INTEGER NOT NULL DEFAULT 1,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT,
    progress REAL NOT NULL DEFAULT 0,
    overall_grade TEXT,
    complete INTEGER NOT NULL DEFAULT 0,
    reflection TEXT,
    strengths TEXT,
    development TEXT,
    summary TEXT,
    feedback_sought TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX audits_by_updated ON audits (updated_at DESC);
CREATE INDEX audits_by_status ON audits (status, updated_at DESC);
CREATE INDEX audits_by_ended ON audits (ended_on);

CREATE TABLE answers (
    audit_id TEXT NOT NULL REFERENCES audits (id),
    question_id TEXT NOT NULL,
    value TEXT,
    evidence TEXT,
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (audit_id, question_id)
);

CREATE TABLE answer_history (
    id INTEGER PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES audits (id),
    question_id TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('value', 'evidence')),
    old TEXT,
    new TEXT,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX answer_history_by_audit ON answer_history (audit_id, question_id);
CREATE TRIGGER answer_history_no_update BEFORE UPDATE ON answer_history
BEGIN SELECT RAISE(ABORT, 'answer history is append-only'); END;
CREATE TRIGGER answer_history_no_delete BEFORE DELETE ON answer_history
BEGIN SELECT RAISE(ABORT, 'answer history is append-only'); END;

CREATE TABLE grades (
    audit_id TEXT NOT NULL REFERENCES audits (id),
    scope TEXT NOT NULL,
    percent REAL,
    suggested TEXT,
    chosen TEXT,
    final TEXT,
    rationale TEXT,
    explanation TEXT,
    PRIMARY KEY (audit_id, scope)
);

CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES audits (id),
    owner TEXT NOT NULL,
    text TEXT NOT NULL,
    due TEXT NOT NULL,
    due_is_default INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    created_on TEXT NOT NULL,
    completed_on TEXT,
    evidence TEXT,
    cancel_reason TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX actions_by_due ON actions (status, due);
CREATE INDEX actions_by_audit ON actions (audit_id);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES audits (id),
    revision INTEGER NOT NULL,
    event TEXT NOT NULL,
    reason TEXT,
    by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX audit_events_by_audit ON audit_events (audit_id);

CREATE TABLE outbox (
    audit_id TEXT NOT NULL REFERENCES audits (id),
    revision INTEGER NOT NULL,
    status TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (audit_id, revision)
);
CREATE INDEX outbox_unsent ON outbox (sent_at) WHERE sent_at IS NULL;
"""


def v1(db: Database) -> None:
    for statement in statements(V1):
        db.execute(statement)


def statements(script: str) -> list[str]:
    """Split a DDL script on statement ends, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text and sqlite3.complete_statement(text):
            out.append(text)
            buf = []
    return out


V2 = """
CREATE TABLE action_outbox (
    action_id TEXT PRIMARY KEY REFERENCES actions (id),
    queued_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX action_outbox_unsent ON action_outbox (sent_at) WHERE sent_at IS NULL;
CREATE TRIGGER action_outbox_on_insert AFTER INSERT ON actions
WHEN EXISTS (SELECT 1 FROM outbox WHERE outbox.audit_id = NEW.audit_id)
BEGIN
    INSERT OR REPLACE INTO action_outbox (action_id, queued_at) VALUES (NEW.id, NEW.updated_at);
END;
CREATE TRIGGER action_outbox_on_update AFTER UPDATE ON actions
WHEN EXISTS (SELECT 1 FROM outbox WHERE outbox.audit_id = NEW.audit_id)
BEGIN
    INSERT OR REPLACE INTO action_outbox (action_id, queued_at) VALUES (NEW.id, NEW.updated_at);
END;
"""
"""Action changes made after an audit first ended (added, completed, cancelled,
redated) are queued for sync here by triggers, so a hub's actions board hears
of them without a new revision; the sync layer owns this table."""


def v2(db: Database) -> None:
    for statement in statements(V2):
        db.execute(statement)


V3 = """
ALTER TABLE audits ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
CREATE TABLE outbox_delivery (
    target TEXT NOT NULL,
    audit_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (target, audit_id, revision)
);
CREATE TABLE action_delivery (
    target TEXT NOT NULL,
    action_id TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (target, action_id)
);
"""
"""Demo audits are marked (``auditui demo``), so they never reach a real hub; and
delivery is recorded per hub (a hub's id, or its URL), so a new or emptied hub
gets every ended revision again. ``outbox.sent_at`` stays as "sent somewhere":
deliveries made before this migration are not attributed to any hub, so each
hub is offered them again (the hub's upsert makes that harmless)."""


def v3(db: Database) -> None:
    for statement in statements(V3):
        db.execute(statement)


V4 = """
CREATE TABLE cases (
    case_ref TEXT PRIMARY KEY,
    case_type TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    practitioner TEXT NOT NULL DEFAULT '',
    opened_on TEXT,
    closed_on TEXT,
    line INTEGER NOT NULL
);
CREATE INDEX cases_by_team ON cases (team, case_ref);
CREATE TABLE case_imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    cases INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    month TEXT NOT NULL,
    tool_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    per_team INTEGER NOT NULL,
    case_types TEXT NOT NULL,
    auditors TEXT NOT NULL,
    seed TEXT NOT NULL,
    not_within_months INTEGER NOT NULL,
    planned_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE plan_items (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    position INTEGER NOT NULL,
    month TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    case_type TEXT NOT NULL,
    team TEXT NOT NULL,
    practitioner TEXT NOT NULL,
    tool_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    auditor TEXT NOT NULL,
    audit_id TEXT REFERENCES audits (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_items_by_month ON plan_items (month, team, auditor);
CREATE INDEX plan_items_by_case ON plan_items (case_ref, month);
CREATE UNIQUE INDEX plan_items_by_audit ON plan_items (audit_id) WHERE audit_id IS NOT NULL;
"""
"""The audit programme's local half: the case list (the sampling frame, replaced
whole by each good import), each month's plan with the seed that reproduces it,
and its items. An item's status is never stored: it follows from its linked
audit and the month (planned, started, ended, missed)."""


def v4(db: Database) -> None:
    for statement in statements(V4):
        db.execute(statement)


V5 = """
CREATE TABLE concerns (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES audits (id),
    team TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
    raised_with TEXT NOT NULL DEFAULT '' CHECK (length(raised_with) <= 200),
    raised_by TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    acknowledged_at TEXT,
    outcome TEXT CHECK (outcome IS NULL OR length(outcome) BETWEEN 1 AND 20000),
    responded_by TEXT,
    responded_at TEXT,
    updated_at TEXT NOT NULL,
    CHECK ((outcome IS NULL) = (responded_at IS NULL))
);
CREATE INDEX concerns_by_audit ON concerns (audit_id);
CREATE TABLE concern_delivery (
    concern_id TEXT NOT NULL REFERENCES concerns (id),
    target TEXT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('concern', 'acknowledged', 'response')),
    sent_at TEXT NOT NULL,
    PRIMARY KEY (concern_id, target, what)
);
"""
"""Safeguarding concerns an auditor found during an audit (recorded at once, draft or
not), the team manager's acknowledgement and response, and what each hub has been sent."""


def v5(db: Database) -> None:
    for statement in statements(V5):
        db.execute(statement)


V6 = """
ALTER TABLE audits ADD COLUMN calendar TEXT;
ALTER TABLE audits ADD COLUMN subject TEXT NOT NULL DEFAULT 'case'
    CHECK (subject IN ('case', 'worker'));
CREATE TABLE sections_na (
    audit_id TEXT NOT NULL REFERENCES audits (id),
    section_id TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 20000),
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (audit_id, section_id)
);
"""
"""Tool format 2: the working-day calendar an audit started under (NULL on older audits:
england-and-wales, the only one computed before), whether it audits a child's case or a
worker's own file, and the sections marked not applicable with their reasons."""


def v6(db: Database) -> None:
    for statement in statements(V6):
        db.execute(statement)
