"""The PostgreSQL hub's schema and its roles (the report views are in ``pg_views``,
logins, provenance and trust in ``pg_users``).

``auditui hub init postgresql://...`` runs ``init_hub`` as an administrator:
it creates (or migrates, forward only, versioned in ``auditui.meta``) the
``auditui`` schema and three roles with the least they need; people log in
with personal logins that are members of one of them (``hub add-user``):

- ``auditui_submitter`` (every auditor's sync): INSERT on the ``batch`` and
  ``payload`` columns of the unlogged staging tables (so it can COPY; the
  ``login`` column defaults to ``session_user`` and cannot be written) and
  EXECUTE on ``submit`` (SECURITY DEFINER: upserts the caller's own staged
  batch), ``action_states`` and ``held``. It cannot read, change or delete
  anything else. ``submit`` binds an audit to the login that first sent it
  and refuses any record of it from another login.
- ``auditui_reader`` (the QA lead's monthly report): SELECT on the
  ``report_*`` views and EXECUTE on ``report_groups`` / ``report_theme_counts``,
  which count per group with complementary small-group suppression.
- ``auditui_manager`` (a team manager's actions board): SELECT on
  ``actions_board`` (no case key, no evidence) and EXECUTE on
  ``complete_action``, which records a completion only from a login the QA
  lead trusts for that team (``hub trust``).

A sync COPYs whole graded-result records (JSON) into staging; ``submit``
(``pg_submit``) derives the hub's columns and its ``sections``, ``themes``,
``finding_themes`` and ``actions`` rows from the stored record itself,
mirroring ``facts.facts_of``, and the
counting in ``report_*`` mirrors ``measures.count_facts`` line for line; a
test holds the SQL and the Python equal on the same data.
"""

from __future__ import annotations

from auditui.sync import pg_concerns
from auditui.sync.pg_submit import RESULT_COLUMNS, SUBMIT
from auditui.sync.pg_themes import THEME_FUNCTIONS, THEME_GRANTS, V4
from auditui.sync.pg_users import (
    CHECKS,
    LOGIN_FUNCTIONS,
    MANAGER,
    READER,
    ROLES,
    SUBMITTER,
    V2,
    role_statements,
)
from auditui.sync.pg_users import grant_statements as _role_grants
from auditui.sync.pg_views import REPORT_FUNCTIONS, VIEW_NAMES, VIEWS

__all__ = [
    "MANAGER",
    "MIGRATIONS",
    "READER",
    "RESULT_COLUMNS",
    "ROLES",
    "SUBMITTER",
    "VIEWS",
    "VIEW_NAMES",
    "grant_statements",
    "role_statements",
]


def grant_statements() -> list[str]:
    """The roles' privileges (``pg_users``), and the reader's on the measures' and the
    findings' themes' counts."""
    return [
        *_role_grants(),
        f"GRANT EXECUTE ON FUNCTION auditui.report_measure_counts(text, date, date) TO {READER}",
        *THEME_GRANTS,
    ]


BOOTSTRAP = """
CREATE SCHEMA IF NOT EXISTS auditui;
CREATE TABLE IF NOT EXISTS auditui.meta (key text PRIMARY KEY, value text NOT NULL);
"""

V1 = """
CREATE TABLE auditui.results (
    audit_id text COLLATE "C" PRIMARY KEY,
    revision integer NOT NULL CHECK (revision >= 1),
    status text NOT NULL CHECK (status IN ('finalised', 'closed_incomplete')),
    recorded_at timestamptz NOT NULL,
    tool_id text COLLATE "C" NOT NULL,
    tool_version integer NOT NULL,
    scale text,
    case_key text NOT NULL,
    case_type text NOT NULL,
    team text COLLATE "C" NOT NULL,
    auditor text NOT NULL,
    practitioner_present boolean NOT NULL,
    kind text NOT NULL,
    started_on date NOT NULL,
    ended_on date NOT NULL,
    complete boolean NOT NULL,
    overall_grade text COLLATE "C",
    overall_suggested text,
    overall_percent double precision,
    overall_overridden boolean NOT NULL,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
-- Kept whole for export and BI, read back at once to derive the rows below: not compressed.
ALTER TABLE auditui.results ALTER COLUMN payload SET STORAGE EXTERNAL;
CREATE INDEX results_by_ended ON auditui.results (ended_on);
CREATE INDEX results_by_case ON auditui.results (case_key);

CREATE TABLE auditui.sections (
    audit_id text COLLATE "C" NOT NULL REFERENCES auditui.results ON DELETE CASCADE,
    section_id text COLLATE "C" NOT NULL,
    tool_id text COLLATE "C" NOT NULL,
    percent double precision,
    suggested text,
    final text COLLATE "C",
    overridden boolean NOT NULL,
    PRIMARY KEY (audit_id, section_id)
);

CREATE TABLE auditui.themes (
    audit_id text COLLATE "C" NOT NULL REFERENCES auditui.results ON DELETE CASCADE,
    tool_id text COLLATE "C" NOT NULL,
    question_id text COLLATE "C" NOT NULL,
    tags text[] COLLATE "C" NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (audit_id, question_id)
);

CREATE TABLE auditui.actions (
    action_id text COLLATE "C" PRIMARY KEY,
    audit_id text COLLATE "C" NOT NULL,
    owner text,
    due date,
    text text,
    fields_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    completed_on date,
    evidence text,
    status_at timestamptz NOT NULL
);
CREATE INDEX actions_by_audit ON auditui.actions (audit_id);

CREATE UNLOGGED TABLE auditui.staging_results (batch uuid NOT NULL, payload jsonb NOT NULL);
CREATE UNLOGGED TABLE auditui.staging_actions (batch uuid NOT NULL, payload jsonb NOT NULL);
-- Staged records live for one transaction and are read once: not worth compressing.
ALTER TABLE auditui.staging_results ALTER COLUMN payload SET STORAGE EXTERNAL;
"""

FUNCTIONS = (
    SUBMIT + LOGIN_FUNCTIONS + CHECKS + REPORT_FUNCTIONS + pg_concerns.FUNCTIONS + THEME_FUNCTIONS
)
"""Every function of the hub, made (or replaced) by each ``hub init``."""


MIGRATIONS = [V1, V2, pg_concerns.MIGRATION, V4]
"""Step n takes the hub from schema n to n + 1: 2 logins and provenance, 3 safeguarding
concerns, 4 the themes findings raise (``pg_themes``)."""
SCHEMA_VERSION = len(MIGRATIONS)
