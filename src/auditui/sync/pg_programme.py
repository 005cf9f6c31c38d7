"""The audit programme in the PostgreSQL hub: plan items, moderation allocations, agreed
grades; tables no role reads, and functions that enforce who may do what.

The QA lead is the login the administrator trusts for every team (``hub
trust LOGIN --team '*'``, a row ``(login, '*')`` in ``auditui.trust``):

- ``publish_plan_item`` and ``publish_moderation`` (the QA lead only) store
  or update a plan item or an allocation (returning its id, or null when the
  hub held it already); case references and workers'
  names arrive sealed (``case_seal``: AES-GCM under the organisation key),
  so the hub never holds them in clear;
- ``items_for`` and ``moderations_for`` (any submitter or manager) return the
  items allocated to a name, and the allocations a name moderates or whose
  audit is theirs, with the agreed grade once there is one;
- ``ended_for_moderation`` (the QA lead only) lists a month's ended audits
  (no case reference: the hub has none) for ``moderation sample`` to draw
  from; an allocation drawn so is published without case details, and
  ``send_moderation_details`` (only the login that sent the audit) adds
  them, sealed, for the moderator's machine to take home;
- ``submit_moderation_result`` records the agreed grade, by a login trusted
  for the audit's team (or the lead); the first stands;
- ``plan_pseudonyms`` (the reader) gives a month's items with the case
  pseudonym only: never the sealed reference.

Idempotent (``CREATE ... IF NOT EXISTS``, ``CREATE OR REPLACE``), run by
``pg_init`` after the hub's own schema, roles and grants.
"""

from __future__ import annotations

from auditui.sync import pg_moderation, pg_plan_progress
from auditui.sync.pg_users import LEAD_ONLY, MANAGER, READER, SUBMITTER

ID = "'^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'"
NAME = "BETWEEN 1 AND 200"
SEALED = "BETWEEN 1 AND 1000"

TABLES = f"""
CREATE TABLE IF NOT EXISTS auditui.plan_items (
    id text PRIMARY KEY CHECK (id ~ {ID}),
    plan_id text NOT NULL CHECK (plan_id ~ {ID}),
    month text NOT NULL CHECK (month ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$'),
    case_ref_sealed text NOT NULL CHECK (length(case_ref_sealed) {SEALED}),
    case_key text NOT NULL CHECK (case_key ~ '^[0-9a-f]{{64}}$'),
    case_type text NOT NULL CHECK (length(case_type) <= 200),
    team text COLLATE "C" NOT NULL CHECK (length(team) {NAME}),
    practitioner_sealed text CHECK (length(practitioner_sealed) {SEALED}),
    tool_id text NOT NULL CHECK (tool_id ~ {ID}),
    kind text NOT NULL CHECK (kind ~ {ID}),
    auditor text NOT NULL CHECK (length(auditor) {NAME}),
    planned_by text NOT NULL CHECK (length(planned_by) {NAME}),
    published_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS plan_items_by_auditor ON auditui.plan_items (auditor, month);
CREATE TABLE IF NOT EXISTS auditui.moderations (
    id text PRIMARY KEY CHECK (id ~ {ID}),
    month text NOT NULL CHECK (month ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$'),
    audit_id text NOT NULL UNIQUE CHECK (audit_id ~ {ID}),
    auditor text NOT NULL CHECK (length(auditor) {NAME}),
    team text COLLATE "C" NOT NULL CHECK (length(team) {NAME}),
    tool_id text NOT NULL CHECK (tool_id ~ {ID}),
    tool_version integer NOT NULL CHECK (tool_version BETWEEN 0 AND 1000000),
    case_ref_sealed text CHECK (length(case_ref_sealed) {SEALED}),
    case_key text CHECK (case_key ~ '^[0-9a-f]{{64}}$'),
    case_type text NOT NULL CHECK (length(case_type) <= 200),
    practitioner_sealed text CHECK (length(practitioner_sealed) {SEALED}),
    practitioner_present boolean NOT NULL,
    moderator text NOT NULL CHECK (length(moderator) {NAME}),
    original_grades jsonb NOT NULL CHECK (jsonb_typeof(original_grades) = 'object'
        AND length(original_grades::text) <= 64000),
    seed text NOT NULL CHECK (length(seed) <= 200),
    allocated_by text NOT NULL CHECK (length(allocated_by) {NAME}),
    published_by text NOT NULL DEFAULT session_user,
    CHECK (moderator <> auditor)
);
CREATE TABLE IF NOT EXISTS auditui.moderation_results (
    allocation_id text PRIMARY KEY REFERENCES auditui.moderations (id),
    agreed_grade text NOT NULL CHECK (length(agreed_grade) BETWEEN 1 AND 64),
    agreed_by text NOT NULL CHECK (length(agreed_by) {NAME}),
    agreed_reason text NOT NULL CHECK (length(agreed_reason) BETWEEN 1 AND 20000),
    agreed_at timestamptz NOT NULL CHECK (agreed_at <= clock_timestamp() + interval '1 day'),
    submitted_by text NOT NULL DEFAULT session_user
)
"""


FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION auditui.am_lead() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT EXISTS (SELECT 1 FROM auditui.trust t WHERE t.login = session_user AND t.team = '*')
$fn$;

CREATE OR REPLACE FUNCTION auditui.publish_plan_item(
    p_id text, p_plan text, p_month text, p_case_ref text, p_case_key text, p_case_type text,
    p_team text, p_practitioner text, p_tool text, p_kind text, p_auditor text,
    p_planned_by text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_changed integer;
BEGIN{LEAD_ONLY}
    INSERT INTO auditui.plan_items (id, plan_id, month, case_ref_sealed, case_key, case_type,
        team, practitioner_sealed, tool_id, kind, auditor, planned_by)
    VALUES (p_id, p_plan, p_month, p_case_ref, p_case_key, p_case_type, p_team,
        p_practitioner, p_tool, p_kind, p_auditor, p_planned_by)
    ON CONFLICT (id) DO UPDATE SET auditor = EXCLUDED.auditor,
        case_ref_sealed = EXCLUDED.case_ref_sealed,
        practitioner_sealed = EXCLUDED.practitioner_sealed,
        published_by = session_user, updated_at = clock_timestamp()
    WHERE plan_items.auditor IS DISTINCT FROM EXCLUDED.auditor;
    GET DIAGNOSTICS v_changed = ROW_COUNT;
    RETURN CASE WHEN v_changed > 0 THEN p_id END;  -- null: the hub held it already
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.publish_moderation(
    p_id text, p_month text, p_audit text, p_auditor text, p_team text, p_tool text,
    p_tool_version integer, p_case_ref text, p_case_key text, p_case_type text,
    p_practitioner text, p_present boolean, p_moderator text, p_grades jsonb, p_seed text,
    p_allocated_by text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_changed integer;
BEGIN{LEAD_ONLY}
    INSERT INTO auditui.moderations (id, month, audit_id, auditor, team, tool_id,
        tool_version, case_ref_sealed, case_key, case_type, practitioner_sealed,
        practitioner_present, moderator, original_grades, seed, allocated_by)
    VALUES (p_id, p_month, p_audit, p_auditor, p_team, p_tool, p_tool_version, p_case_ref,
        p_case_key, p_case_type, p_practitioner, p_present, p_moderator, p_grades, p_seed,
        p_allocated_by)
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS v_changed = ROW_COUNT;
    RETURN CASE WHEN v_changed > 0 THEN p_id END;  -- null: the hub held it already
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.items_for(p_name text)
RETURNS TABLE (id text, plan_id text, month text, case_ref_sealed text, case_key text,
               case_type text, team text, practitioner_sealed text, tool_id text, kind text,
               auditor text, planned_by text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT p.id, p.plan_id, p.month, p.case_ref_sealed, p.case_key, p.case_type, p.team,
           p.practitioner_sealed, p.tool_id, p.kind, p.auditor, p.planned_by
    FROM auditui.plan_items p WHERE lower(trim(p.auditor)) = lower(trim(p_name))
    ORDER BY p.month, p.id
$fn$;

CREATE OR REPLACE FUNCTION auditui.moderations_for(p_name text)
RETURNS TABLE (id text, month text, audit_id text, auditor text, team text, tool_id text,
               tool_version integer, case_ref_sealed text, case_type text,
               practitioner_sealed text, practitioner_present boolean, moderator text,
               original_grades jsonb, seed text, allocated_by text, agreed_grade text,
               agreed_by text, agreed_reason text, agreed_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT m.id, m.month, m.audit_id, m.auditor, m.team, m.tool_id, m.tool_version,
           m.case_ref_sealed, m.case_type, m.practitioner_sealed, m.practitioner_present,
           m.moderator, m.original_grades, m.seed, m.allocated_by, r.agreed_grade,
           r.agreed_by, r.agreed_reason, r.agreed_at
    FROM auditui.moderations m LEFT JOIN auditui.moderation_results r ON r.allocation_id = m.id
    WHERE lower(trim(p_name)) IN (lower(trim(m.moderator)), lower(trim(m.auditor)))
    ORDER BY m.month, m.id
$fn$;

CREATE OR REPLACE FUNCTION auditui.submit_moderation_result(
    p_allocation text, p_grade text, p_by text, p_reason text, p_at timestamptz)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_team text;
BEGIN
    SELECT m.team INTO v_team FROM auditui.moderations m WHERE m.id = p_allocation;
    IF v_team IS NULL THEN
        RAISE EXCEPTION 'auditui: no moderation %', p_allocation USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM auditui.trust t
                   WHERE t.login = session_user AND t.team IN (v_team, '*')) THEN
        RAISE EXCEPTION 'auditui: login % may not record agreed grades for team %',
            session_user, v_team USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO auditui.moderation_results (allocation_id, agreed_grade, agreed_by,
        agreed_reason, agreed_at)
    VALUES (p_allocation, p_grade, p_by, p_reason, p_at)
    ON CONFLICT (allocation_id) DO NOTHING;
    RETURN p_allocation;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.ended_for_moderation(p_first date, p_next date)
RETURNS TABLE (audit_id text, auditor text, team text, tool_id text, tool_version integer,
               case_type text, practitioner_present boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
BEGIN{LEAD_ONLY}
    RETURN QUERY
    SELECT r.audit_id::text, r.auditor, r.team::text, r.tool_id::text, r.tool_version,
           r.case_type, r.practitioner_present
    FROM auditui.results r
    WHERE r.status IN ('finalised', 'closed_incomplete') AND r.kind <> 'moderation'
      AND NOT r.demo AND r.ended_on >= p_first AND r.ended_on < p_next
    ORDER BY r.ended_on, r.audit_id
    LIMIT 100000;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.send_moderation_details(
    p_allocation text, p_case_ref text, p_case_key text, p_practitioner text, p_grades jsonb)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM auditui.moderations m
                   JOIN auditui.results r ON r.audit_id = m.audit_id
                   WHERE m.id = p_allocation AND r.submitted_by = session_user) THEN
        RAISE EXCEPTION 'auditui: login % did not send the audit of moderation %',
            session_user, p_allocation USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE auditui.moderations m SET case_ref_sealed = p_case_ref, case_key = p_case_key,
        practitioner_sealed = p_practitioner, original_grades = p_grades
    WHERE m.id = p_allocation AND m.case_ref_sealed IS NULL;
    RETURN p_allocation;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.plan_pseudonyms(p_month text)
RETURNS TABLE (month text, team text, auditor text, case_key text, case_type text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT p.month, p.team, p.auditor, p.case_key, p.case_type FROM auditui.plan_items p
    WHERE p.month = p_month ORDER BY p.team, p.auditor, p.case_key
$fn$
"""

SIGNATURES = {
    "am_lead": "",
    "publish_plan_item": ", ".join(["text"] * 12),
    "publish_moderation": "text, text, text, text, text, text, integer, text, text, text, "
    "text, boolean, text, jsonb, text, text",
    "items_for": "text",
    "moderations_for": "text",
    "submit_moderation_result": "text, text, text, text, timestamptz",
    "plan_pseudonyms": "text",
    "ended_for_moderation": "date, date",
    "send_moderation_details": "text, text, text, text, jsonb",
}
_SYNC = (
    "am_lead",
    "publish_plan_item",
    "publish_moderation",
    "items_for",
    "moderations_for",
    "submit_moderation_result",
    "ended_for_moderation",
    "send_moderation_details",
)
ALLOWED = {SUBMITTER: _SYNC, MANAGER: _SYNC, READER: ("plan_pseudonyms",)}


def statements() -> list[str]:
    """Tables, functions and grants, in order: nobody reads or writes the tables; each role
    may call its functions and no others."""
    everyone = ", ".join(["PUBLIC", SUBMITTER, MANAGER, READER])
    out = [TABLES, FUNCTIONS]
    for table in ("plan_items", "moderations", "moderation_results"):
        out.append(f"REVOKE ALL ON auditui.{table} FROM {everyone}")
    for name, args in SIGNATURES.items():
        out.append(f"REVOKE ALL ON FUNCTION auditui.{name}({args}) FROM {everyone}")
    for role, names in ALLOWED.items():
        out += [f"GRANT EXECUTE ON FUNCTION auditui.{n}({SIGNATURES[n]}) TO {role}" for n in names]
    out += pg_moderation.statements()  # which audit re-audited which; the reader's counts
    return out + pg_plan_progress.statements()  # how far each planned audit has got
