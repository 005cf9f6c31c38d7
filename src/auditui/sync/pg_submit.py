"""``auditui.submit(batch)``: the PostgreSQL hub's one way in for graded results.

An auditor's sync COPYs whole records (JSON) into staging, then calls this
(SECURITY DEFINER) to check and upsert its own staged batch in a few
set-based statements: an audit is bound to the login that first submitted
it, impossible completion dates are refused, a higher revision replaces a
lower one, and the stored record is the one source of the hub's
``sections``, ``themes`` (tagged answers), ``finding_themes`` (the
organisation's themes the findings raise, schema 4) and ``actions`` rows,
read as ``facts.facts_of`` reads a record.
"""

from __future__ import annotations

from auditui.sync.facts import THEME_VALUES
from auditui.sync.pg_themes import NEW_FINDING_THEMES

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

FROM_RECORD = {
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

_OWNERS_LATEST = "EXCLUDED.owner IS NOT NULL AND EXCLUDED.fields_at >= actions.fields_at"
_EARLIEST_COMPLETION = (
    "EXCLUDED.status <> 'open'"
    " AND (actions.status = 'open' OR EXCLUDED.status_at < actions.status_at)"
)


def _take_when(condition: str, columns: tuple[str, ...]) -> str:
    """SET clauses taking each column from the incoming record when ``condition`` holds (every
    right-hand side reads the row as it was, so the order does not matter)."""
    return ",\n".join(
        f"        {c} = CASE WHEN {condition} THEN EXCLUDED.{c} ELSE actions.{c} END"
        for c in columns
    )


_ACTION_MERGE = f"""
    ON CONFLICT (action_id) DO UPDATE SET
{_take_when(_OWNERS_LATEST, ("owner", "due", "text", "fields_at"))},
{_take_when(_EARLIEST_COMPLETION, ("status", "completed_on", "evidence", "status_at", "status_by"))}
    WHERE actions.audit_id = EXCLUDED.audit_id
"""
"""The merge rule of ``facts.merge_action``, as an upsert: the earliest completion wins and
is final; owner, due date and text come from the owner's latest record. A record never
changes an action of another audit (an id reused in a forged record changes nothing)."""

# ``demo`` is stored so its CHECK refuses a demo record; ``submitted_by`` binds the audit.
_RESULT_SET = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*RESULT_COLUMNS[1:], "demo"))
_RESULT_COLS = ", ".join(RESULT_COLUMNS) + ", demo, submitted_by"
_RESULT_VALUES = (
    ", ".join(FROM_RECORD[c] for c in RESULT_COLUMNS)
    + ", coalesce((p->>'demo')::boolean, false), session_user"
)
_THEME_VALUES = ", ".join(f"'\"{v}\"'::jsonb" for v in THEME_VALUES)

SUBMIT = f"""
CREATE OR REPLACE FUNCTION auditui.submit(p_batch uuid)
RETURNS TABLE (n_applied integer, n_ignored integer, n_actions integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_ids text[];
    v_incoming integer;
    v_actions integer := 0;
    v_n integer;
    v_bad text;
BEGIN
    -- Only what this login staged: another login's rows are not ours to submit.
    SELECT count(*) INTO v_incoming FROM auditui.staging_results s
    WHERE s.batch = p_batch AND s.login = session_user;
    -- An audit belongs to the login that first submitted it.
    SELECT format('audit %s was first submitted by login %s, not %s', r.audit_id,
                  quote_ident(r.submitted_by), quote_ident(session_user::text))
    INTO v_bad
    FROM auditui.staging_results s JOIN auditui.results r ON r.audit_id = s.payload->>'audit_id'
    WHERE s.batch = p_batch AND s.login = session_user AND r.submitted_by <> session_user
    LIMIT 1;
    IF v_bad IS NULL THEN
        SELECT format('audit %s carries action %s completed on %s: %s', s.payload->>'audit_id',
                      x.id, coalesce(x.completed_on::text, 'no date'),
                      auditui.completion_problem(x.completed_on, coalesce(x.agreed_on,
                          (s.payload->>'started_on')::date)))
        INTO v_bad
        FROM auditui.staging_results s,
             jsonb_to_recordset(s.payload->'actions') AS x (id text, status text,
                 completed_on date, agreed_on date)
        WHERE s.batch = p_batch AND s.login = session_user AND x.status = 'done'
          AND auditui.completion_problem(x.completed_on, coalesce(x.agreed_on,
              (s.payload->>'started_on')::date)) IS NOT NULL
        LIMIT 1;
    END IF;
    IF v_bad IS NULL THEN
        SELECT format('action %s: %s', x.action_id, coalesce(
                   CASE WHEN r.audit_id IS NULL
                        THEN format('its audit %s is not on the hub', x.audit_id) END,
                   CASE WHEN a.audit_id IS NOT NULL AND a.audit_id <> x.audit_id
                        THEN format('it belongs to audit %s, not %s', a.audit_id, x.audit_id) END,
                   CASE WHEN r.submitted_by <> session_user AND NOT EXISTS (
                            SELECT 1 FROM auditui.trust t
                            WHERE t.login = session_user AND t.team IN (r.team, '*'))
                        THEN format('login %s may not record changes to team %s''s actions',
                                    quote_ident(session_user::text), r.team) END,
                   CASE WHEN x.status = 'done'
                        THEN 'completed on ' || coalesce(x.completed_on::text, 'no date') || ': '
                             || auditui.completion_problem(x.completed_on, coalesce(x.agreed_on,
                                                               a.agreed_on, r.started_on))
                   END))
        INTO v_bad
        FROM auditui.staging_actions s
        CROSS JOIN LATERAL jsonb_to_record(s.payload) AS x (action_id text, audit_id text,
             status text, completed_on date, agreed_on date)
        LEFT JOIN auditui.results r ON r.audit_id = x.audit_id
        LEFT JOIN auditui.actions a ON a.action_id = x.action_id
        WHERE s.batch = p_batch AND s.login = session_user
          AND (r.audit_id IS NULL OR (a.audit_id IS NOT NULL AND a.audit_id <> x.audit_id)
               OR (r.submitted_by <> session_user AND NOT EXISTS (
                   SELECT 1 FROM auditui.trust t
                   WHERE t.login = session_user AND t.team IN (r.team, '*')))
               OR (x.status = 'done' AND auditui.completion_problem(x.completed_on,
                       coalesce(x.agreed_on, a.agreed_on, r.started_on)) IS NOT NULL))
        LIMIT 1;
    END IF;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'auditui: % (nothing in this batch was stored)', v_bad
            USING ERRCODE = 'raise_exception';
    END IF;

    -- Each record is read (detoasted) once into "flat", not once per field taken from it.
    WITH flat AS MATERIALIZED (
        SELECT s.payload || '{{}}'::jsonb AS p
        FROM auditui.staging_results s WHERE s.batch = p_batch AND s.login = session_user
    ), latest AS (
        SELECT DISTINCT ON (f.p->>'audit_id') f.p FROM flat f
        ORDER BY f.p->>'audit_id', (f.p->>'revision')::integer DESC
    ), up AS (
        INSERT INTO auditui.results AS r ({_RESULT_COLS})
        SELECT {_RESULT_VALUES} FROM latest ORDER BY 1
        ON CONFLICT (audit_id) DO UPDATE SET {_RESULT_SET}, received_at = now()
        WHERE r.revision < EXCLUDED.revision AND r.submitted_by = session_user
        RETURNING r.audit_id
    )
    SELECT coalesce(array_agg(up.audit_id), '{{}}') INTO v_ids FROM up;

    IF cardinality(v_ids) > 0 THEN
        -- The record just stored is the one source of its sections, themed answers, actions.
        DELETE FROM auditui.sections s WHERE s.audit_id = ANY (v_ids);
        DELETE FROM auditui.themes t WHERE t.audit_id = ANY (v_ids);
        DELETE FROM auditui.finding_themes f WHERE f.audit_id = ANY (v_ids);
        WITH src AS MATERIALIZED (
            SELECT r.audit_id, r.tool_id, r.recorded_at, r.started_on, r.payload || '{{}}'::jsonb AS p
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
        ), {NEW_FINDING_THEMES}, merged AS (
            INSERT INTO auditui.actions AS actions (action_id, audit_id, owner, due, text,
                                                    fields_at, status, completed_on, evidence,
                                                    status_at, status_by, agreed_on)
            SELECT x.id, src.audit_id, x.owner, x.due, x.text, src.recorded_at, x.status,
                   x.completed_on, NULL, src.recorded_at, session_user,
                   coalesce(x.agreed_on, src.started_on)
            FROM src, jsonb_to_recordset(src.p->'actions') AS x (id text, owner text, due date,
                text text, status text, completed_on date, agreed_on date)
            ORDER BY x.id
            {_ACTION_MERGE}
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM merged) INTO v_n;
        v_actions := v_actions + v_n;
    END IF;

    -- Owner fields (who, when due, what) only from the audit's own login; a trusted
    -- manager's record changes the status only.
    INSERT INTO auditui.actions AS actions (action_id, audit_id, owner, due, text, fields_at,
                                            status, completed_on, evidence, status_at,
                                            status_by, agreed_on)
    SELECT DISTINCT ON (x.action_id) x.action_id, x.audit_id,
           CASE WHEN r.submitted_by = session_user THEN x.owner END,
           CASE WHEN r.submitted_by = session_user THEN x.due END,
           CASE WHEN r.submitted_by = session_user THEN x.text END,
           x.recorded_at, x.status, x.completed_on, x.evidence, x.recorded_at, session_user,
           coalesce(x.agreed_on, r.started_on)
    FROM auditui.staging_actions s
    CROSS JOIN LATERAL jsonb_to_record(s.payload) AS x (action_id text, audit_id text,
         recorded_at timestamptz, status text, completed_on date, owner text, due date,
         text text, evidence text, agreed_on date)
    JOIN auditui.results r ON r.audit_id = x.audit_id
    WHERE s.batch = p_batch AND s.login = session_user
    ORDER BY x.action_id, x.recorded_at
    {_ACTION_MERGE};
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_actions := v_actions + v_n;

    DELETE FROM auditui.staging_results s WHERE s.batch = p_batch AND s.login = session_user;
    DELETE FROM auditui.staging_actions s WHERE s.batch = p_batch AND s.login = session_user;
    RETURN QUERY SELECT cardinality(v_ids), v_incoming - cardinality(v_ids), v_actions;
END
$fn$;

"""
