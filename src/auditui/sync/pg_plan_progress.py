"""How far each planned audit has got, in the PostgreSQL hub: what the QA lead's progress reads.

An auditor starts and ends a planned audit at their own machine; the lead's
machine never holds it. Each auditor's sync reports, per linked plan item,
the audit's id, status and dates:

- ``report_plan_progress`` (a submitter or manager) stores or replaces an
  item's report; only from the login that sent the audit to the hub, a
  login that has sent audits of the item's auditor (that auditor's own), or
  a login trusted for the item's team (the QA lead is trusted for all, and
  can vouch for a new auditor before their first audit is in the hub);
  anyone else is refused;
- ``plan_progress`` (the QA lead only) lists every report, for the lead's
  sync to keep;
- ``audited_case_keys`` (the QA lead only) gives the case pseudonyms of the
  audits started or ended since a day: the cases a new plan must not draw,
  whoever audited them;
- ``plan_item_auditors`` (a submitter or manager) says who the hub now gives
  each of the items named: an auditor's sync drops an unstarted item the lead
  has given to someone else.

Idempotent, run by ``pg_programme.statements`` on every ``hub init``.
"""

from __future__ import annotations

from auditui.sync.pg_users import LEAD_ONLY, MANAGER, READER, SUBMITTER

_ID = "'^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'"

TABLES = f"""
CREATE TABLE IF NOT EXISTS auditui.plan_progress (
    item_id text PRIMARY KEY REFERENCES auditui.plan_items (id),
    audit_id text NOT NULL CHECK (audit_id ~ {_ID}),
    status text NOT NULL CHECK (status IN ('draft', 'finalised', 'closed_incomplete')),
    started_on date NOT NULL,
    ended_on date CHECK (ended_on IS NULL OR ended_on >= started_on),
    reported_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
)
"""

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION auditui.report_plan_progress(
    p_item text, p_audit text, p_status text, p_started date, p_ended date)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_auditor text;
    v_team text;
BEGIN
    SELECT p.auditor, p.team INTO v_auditor, v_team FROM auditui.plan_items p
    WHERE p.id = p_item;
    IF v_auditor IS NULL THEN
        RAISE EXCEPTION 'auditui: no plan item %', p_item USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT (EXISTS (SELECT 1 FROM auditui.trust t
                    WHERE t.login = session_user AND t.team IN (v_team, '*'))
            OR EXISTS (SELECT 1 FROM auditui.results r
                       WHERE r.submitted_by = session_user
                         AND (r.audit_id = p_audit OR r.auditor = v_auditor))) THEN
        RAISE EXCEPTION 'auditui: login % sent neither audit % nor any audit of %',
            session_user, p_audit, v_auditor USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO auditui.plan_progress (item_id, audit_id, status, started_on, ended_on)
    VALUES (p_item, p_audit, p_status, p_started, p_ended)
    ON CONFLICT (item_id) DO UPDATE SET audit_id = EXCLUDED.audit_id,
        status = EXCLUDED.status, started_on = EXCLUDED.started_on,
        ended_on = EXCLUDED.ended_on, reported_by = session_user,
        updated_at = clock_timestamp()
    WHERE (plan_progress.audit_id, plan_progress.status, plan_progress.started_on,
           plan_progress.ended_on)
          IS DISTINCT FROM (EXCLUDED.audit_id, EXCLUDED.status, EXCLUDED.started_on,
                            EXCLUDED.ended_on);
    RETURN p_item;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.plan_progress()
RETURNS TABLE (item_id text, audit_id text, auditor text, status text, started_on date,
               ended_on date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
BEGIN{LEAD_ONLY}
    RETURN QUERY
    SELECT g.item_id, g.audit_id, p.auditor, g.status, g.started_on, g.ended_on
    FROM auditui.plan_progress g JOIN auditui.plan_items p ON p.id = g.item_id
    ORDER BY g.item_id;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.audited_case_keys(p_since date)
RETURNS TABLE (case_key text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
BEGIN{LEAD_ONLY}
    RETURN QUERY
    SELECT DISTINCT r.case_key FROM auditui.results r
    WHERE NOT r.demo AND (r.started_on >= p_since OR r.ended_on >= p_since)
    LIMIT 1000000;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.plan_item_auditors(p_ids text[])
RETURNS TABLE (id text, auditor text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT p.id, p.auditor FROM auditui.plan_items p
    WHERE p.id = ANY (p_ids[1:10000]) ORDER BY p.id
$fn$
"""

SIGNATURES = {
    "report_plan_progress": "text, text, text, date, date",
    "plan_progress": "",
    "audited_case_keys": "date",
    "plan_item_auditors": "text[]",
}
_SYNC = tuple(SIGNATURES)
ALLOWED = {SUBMITTER: _SYNC, MANAGER: _SYNC}


def statements() -> list[str]:
    """The table (nobody reads or writes it), the functions and who may call them."""
    everyone = ", ".join(["PUBLIC", SUBMITTER, MANAGER, READER])
    out = [TABLES, FUNCTIONS, f"REVOKE ALL ON auditui.plan_progress FROM {everyone}"]
    for name, args in SIGNATURES.items():
        out.append(f"REVOKE ALL ON FUNCTION auditui.{name}({args}) FROM {everyone}")
    for role, names in ALLOWED.items():
        out += [f"GRANT EXECUTE ON FUNCTION auditui.{n}({SIGNATURES[n]}) TO {role}" for n in names]
    return out
