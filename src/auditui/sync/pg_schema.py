"""The PostgreSQL hub's schema and its roles (the report views are in ``pg_views``).

``auditui hub init postgresql://...`` runs ``init_hub`` as an administrator:
it creates (or migrates, forward only, versioned in ``auditui.meta``) the
``auditui`` schema and three login roles with the least they need:

- ``auditui_submitter`` (every auditor's sync): INSERT on the unlogged
  staging tables (so it can COPY) and EXECUTE on ``submit`` (SECURITY
  DEFINER: upserts the staged batch), ``action_states`` (where the actions
  it names stand). It cannot read, change or delete anything else.
- ``auditui_reader`` (the QA lead's monthly report): SELECT on the
  ``report_*`` views only, which count per group and leave out groups with
  fewer audits than the hub's ``small_group_threshold``.
- ``auditui_manager`` (a team manager's actions board): SELECT on
  ``actions_board`` (no case key, no evidence) and EXECUTE on
  ``complete_action``.

A sync COPYs whole graded-result records (JSON) into staging; ``submit``
derives the hub's columns and its ``sections``, ``themes`` and ``actions``
rows from the stored record itself, mirroring ``facts.facts_of``, and the
counting in ``report_*`` mirrors ``measures.count_facts`` line for line; a
test holds the SQL and the Python equal on the same data.
"""

from __future__ import annotations

from auditui.sync.facts import THEME_VALUES
from auditui.sync.pg_views import VIEW_NAMES, VIEWS

__all__ = ["VIEWS", "VIEW_NAMES", "MIGRATIONS", "role_statements", "grant_statements"]

SUBMITTER = "auditui_submitter"
READER = "auditui_reader"
MANAGER = "auditui_manager"
ROLES = (SUBMITTER, READER, MANAGER)

SCHEMA_VERSION = 1

BOOTSTRAP = """
CREATE SCHEMA IF NOT EXISTS auditui;
CREATE TABLE IF NOT EXISTS auditui.meta (key text PRIMARY KEY, value text NOT NULL);
"""

RESULT_COLUMNS = (
    "audit_id",
    "revision",
    "status",
    "recorded_at",
    "tool_id",
    "tool_version",
    "scale",
    "case_key",
    "case_type",
    "team",
    "auditor",
    "practitioner_present",
    "kind",
    "started_on",
    "ended_on",
    "complete",
    "overall_grade",
    "overall_suggested",
    "overall_percent",
    "overall_overridden",
    "payload",
)
"""Columns of ``auditui.results``, each taken from the graded-result record (``payload``)."""

_FROM_RECORD = {
    "audit_id": "p->>'audit_id'",
    "revision": "(p->>'revision')::integer",
    "status": "p->>'status'",
    "recorded_at": "(p->>'recorded_at')::timestamptz",
    "tool_id": "p->>'tool_id'",
    "tool_version": "(p->>'tool_version')::integer",
    "scale": "p->>'scale'",
    "case_key": "p->>'case_key'",
    "case_type": "p->>'case_type'",
    "team": "p->>'team'",
    "auditor": "p->>'auditor'",
    "practitioner_present": "(p->>'practitioner_present')::boolean",
    "kind": "p->>'kind'",
    "started_on": "(p->>'started_on')::date",
    "ended_on": "(p->>'ended_on')::date",
    "complete": "(p->>'complete')::boolean",
    "overall_grade": "p->'overall'->>'final'",
    "overall_suggested": "p->'overall'->>'suggested'",
    "overall_percent": "(p->'overall'->>'percent')::double precision",
    "overall_overridden": "(p->'overall'->>'overridden')::boolean",
    "payload": "p",
}

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

_ACTION_MERGE = """
    ON CONFLICT (action_id) DO UPDATE SET
        owner = CASE WHEN EXCLUDED.owner IS NOT NULL AND EXCLUDED.fields_at >= actions.fields_at
                     THEN EXCLUDED.owner ELSE actions.owner END,
        due = CASE WHEN EXCLUDED.owner IS NOT NULL AND EXCLUDED.fields_at >= actions.fields_at
                   THEN EXCLUDED.due ELSE actions.due END,
        text = CASE WHEN EXCLUDED.owner IS NOT NULL AND EXCLUDED.fields_at >= actions.fields_at
                    THEN EXCLUDED.text ELSE actions.text END,
        fields_at = CASE WHEN EXCLUDED.owner IS NOT NULL AND EXCLUDED.fields_at >= actions.fields_at
                         THEN EXCLUDED.fields_at ELSE actions.fields_at END,
        status = CASE WHEN EXCLUDED.status <> 'open'
                      AND (actions.status = 'open' OR EXCLUDED.status_at < actions.status_at)
                      THEN EXCLUDED.status ELSE actions.status END,
        completed_on = CASE WHEN EXCLUDED.status <> 'open'
                      AND (actions.status = 'open' OR EXCLUDED.status_at < actions.status_at)
                      THEN EXCLUDED.completed_on ELSE actions.completed_on END,
        evidence = CASE WHEN EXCLUDED.status <> 'open'
                      AND (actions.status = 'open' OR EXCLUDED.status_at < actions.status_at)
                      THEN EXCLUDED.evidence ELSE actions.evidence END,
        status_at = CASE WHEN EXCLUDED.status <> 'open'
                      AND (actions.status = 'open' OR EXCLUDED.status_at < actions.status_at)
                      THEN EXCLUDED.status_at ELSE actions.status_at END
"""
"""The merge rule of ``facts.merge_action``, as an upsert: the earliest completion wins and
is final; owner, due date and text come from the owner's latest record."""

_RESULT_SET = ", ".join(f"{c} = EXCLUDED.{c}" for c in RESULT_COLUMNS[1:])
_RESULT_COLS = ", ".join(RESULT_COLUMNS)
_RESULT_VALUES = ", ".join(_FROM_RECORD[c] for c in RESULT_COLUMNS)
_THEME_VALUES = ", ".join(f"'\"{v}\"'::jsonb" for v in THEME_VALUES)

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION auditui.submit(p_batch uuid)
RETURNS TABLE (n_applied integer, n_ignored integer, n_actions integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_ids text[];
    v_incoming integer;
    v_actions integer := 0;
    v_n integer;
BEGIN
    SELECT count(*) INTO v_incoming FROM auditui.staging_results s WHERE s.batch = p_batch;
    -- Each record is read (detoasted) once into "flat", not once per field taken from it.
    WITH flat AS MATERIALIZED (
        SELECT s.payload || '{{}}'::jsonb AS p
        FROM auditui.staging_results s WHERE s.batch = p_batch
    ), latest AS (
        SELECT DISTINCT ON (f.p->>'audit_id') f.p FROM flat f
        ORDER BY f.p->>'audit_id', (f.p->>'revision')::integer DESC
    ), up AS (
        INSERT INTO auditui.results AS r ({_RESULT_COLS})
        SELECT {_RESULT_VALUES} FROM latest ORDER BY 1
        ON CONFLICT (audit_id) DO UPDATE SET {_RESULT_SET}, received_at = now()
        WHERE r.revision < EXCLUDED.revision
        RETURNING r.audit_id
    )
    SELECT coalesce(array_agg(up.audit_id), '{{}}') INTO v_ids FROM up;

    IF cardinality(v_ids) > 0 THEN
        -- The record just stored is the one source of its sections, themed answers, actions.
        DELETE FROM auditui.sections s WHERE s.audit_id = ANY (v_ids);
        DELETE FROM auditui.themes t WHERE t.audit_id = ANY (v_ids);
        WITH src AS MATERIALIZED (
            SELECT r.audit_id, r.tool_id, r.recorded_at, r.payload || '{{}}'::jsonb AS p
            FROM auditui.results r WHERE r.audit_id = ANY (v_ids)
        ), new_sections AS (
            INSERT INTO auditui.sections (audit_id, section_id, tool_id, percent, suggested, final,
                                          overridden)
            SELECT src.audit_id, x.section_id, src.tool_id, x.percent, x.suggested, x.final,
                   x.overridden
            FROM src, jsonb_to_recordset(src.p->'sections') AS x (section_id text,
                percent double precision, suggested text, final text, overridden boolean)
            RETURNING 1
        ), new_themes AS (
            INSERT INTO auditui.themes (audit_id, tool_id, question_id, tags, value)
            SELECT src.audit_id, src.tool_id, x.question_id,
                   ARRAY(SELECT jsonb_array_elements_text(x.tags)), x.value #>> '{{}}'
            FROM src, jsonb_to_recordset(src.p->'answers') AS x (question_id text, tags jsonb,
                value jsonb)
            WHERE jsonb_array_length(x.tags) > 0 AND x.value IN ({_THEME_VALUES})
            RETURNING 1
        ), merged AS (
            INSERT INTO auditui.actions AS actions (action_id, audit_id, owner, due, text,
                                                    fields_at, status, completed_on, evidence,
                                                    status_at)
            SELECT x.id, src.audit_id, x.owner, x.due, x.text, src.recorded_at, x.status,
                   x.completed_on, NULL, src.recorded_at
            FROM src, jsonb_to_recordset(src.p->'actions') AS x (id text, owner text, due date,
                text text, status text, completed_on date)
            ORDER BY x.id
            {_ACTION_MERGE}
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM merged) INTO v_n;
        v_actions := v_actions + v_n;
    END IF;

    INSERT INTO auditui.actions AS actions (action_id, audit_id, owner, due, text, fields_at,
                                            status, completed_on, evidence, status_at)
    SELECT DISTINCT ON (x.action_id) x.action_id, x.audit_id, x.owner, x.due, x.text,
           x.recorded_at, x.status, x.completed_on, x.evidence, x.recorded_at
    FROM auditui.staging_actions s,
         jsonb_to_record(s.payload) AS x (action_id text, audit_id text, recorded_at timestamptz,
             status text, completed_on date, owner text, due date, text text, evidence text)
    WHERE s.batch = p_batch
    ORDER BY x.action_id, x.recorded_at
    {_ACTION_MERGE};
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_actions := v_actions + v_n;

    DELETE FROM auditui.staging_results s WHERE s.batch = p_batch;
    DELETE FROM auditui.staging_actions s WHERE s.batch = p_batch;
    RETURN QUERY SELECT cardinality(v_ids), v_incoming - cardinality(v_ids), v_actions;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.action_states(p_ids text[])
RETURNS TABLE (action_id text, status text, completed_on date, evidence text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT a.action_id, a.status, a.completed_on, a.evidence
    FROM auditui.actions a WHERE a.action_id = ANY (p_ids)
$fn$;

CREATE OR REPLACE FUNCTION auditui.complete_action(p_action text, p_on date, p_evidence text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_id text;
    v_status text;
    v_found integer;
BEGIN
    SELECT a.action_id, a.status INTO v_id, v_status FROM auditui.actions a
    WHERE a.action_id = p_action FOR UPDATE;
    IF v_id IS NULL AND length(p_action) >= 6 THEN
        SELECT count(*) INTO v_found FROM auditui.actions a
        WHERE left(a.action_id, length(p_action)) = p_action;
        IF v_found = 1 THEN
            SELECT a.action_id, a.status INTO v_id, v_status FROM auditui.actions a
            WHERE left(a.action_id, length(p_action)) = p_action FOR UPDATE;
        END IF;
    END IF;
    IF v_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM auditui.actions a JOIN auditui.results r USING (audit_id)
        WHERE a.action_id = v_id
    ) THEN
        RAISE EXCEPTION 'auditui: no action %', p_action USING ERRCODE = 'no_data_found';
    END IF;
    IF v_status <> 'open' THEN
        RAISE EXCEPTION 'auditui: action % is already %', left(v_id, 8), v_status
            USING ERRCODE = 'raise_exception';
    END IF;
    UPDATE auditui.actions SET status = 'done', completed_on = p_on, evidence = p_evidence,
        status_at = clock_timestamp()
    WHERE action_id = v_id;
    RETURN v_id;
END
$fn$;
"""


def role_statements() -> list[str]:
    """Create the roles if this cluster has not got them (roles are cluster-wide)."""
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} LOGIN; END IF; END $$"
        for role in ROLES
    ]


def grant_statements() -> list[str]:
    """Exactly the privileges each role needs, and nothing for anyone else."""
    staging = "auditui.staging_results, auditui.staging_actions"
    reports = ", ".join(f"auditui.{v}" for v in VIEW_NAMES if v.startswith("report_"))
    return [
        "REVOKE ALL ON SCHEMA auditui FROM PUBLIC",
        "REVOKE ALL ON ALL TABLES IN SCHEMA auditui FROM PUBLIC",
        "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA auditui FROM PUBLIC",
        *(f"REVOKE ALL ON ALL TABLES IN SCHEMA auditui FROM {r}" for r in ROLES),
        *(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA auditui FROM {r}" for r in ROLES),
        f"GRANT USAGE ON SCHEMA auditui TO {SUBMITTER}, {READER}, {MANAGER}",
        f"GRANT INSERT ON {staging} TO {SUBMITTER}",
        f"GRANT EXECUTE ON FUNCTION auditui.submit(uuid) TO {SUBMITTER}",
        f"GRANT EXECUTE ON FUNCTION auditui.action_states(text[]) TO {SUBMITTER}",
        f"GRANT SELECT ON {reports} TO {READER}",
        f"GRANT SELECT ON auditui.actions_board TO {MANAGER}",
        f"GRANT EXECUTE ON FUNCTION auditui.complete_action(text, date, text) TO {MANAGER}",
    ]


MIGRATIONS = [V1]
