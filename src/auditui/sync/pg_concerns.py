"""Safeguarding concerns in the PostgreSQL hub: a table no role reads, and functions that
enforce who may do what (the folder hub's rules, in SQL).

- ``auditui_submitter`` (an auditor's sync): ``submit_concern`` stores a concern
  once, bound to the submitting login (``session_user``); the same concern sent
  again is harmless, another login's copy is refused, and so is a concern about
  an audit the hub holds from another login, or naming another team.
  ``my_concerns`` returns the caller's own concerns' acknowledgement and
  response, so the auditor's sync brings them home; ``concern_reply`` lets
  the submitting login send an acknowledgement or response recorded locally.
- ``auditui_manager`` (a team manager): ``concerns_board`` lists the concerns
  (with their text: the manager must act on them) of the teams the QA lead
  trusts the login for (``auditui.trust``, as for action completions), and
  ``concern_reply`` acknowledges or responds, for those teams only.
- ``auditui_reader`` (the QA lead's reports): ``concern_times`` gives, for the
  concerns raised in a period, when each was raised, acknowledged and
  answered, with no id, team or text: enough to count them and their
  response times in working days (``services.concerns.concern_counts``),
  nothing to identify a child.

Times are bounded (nothing dated in the future, no reply before the concern),
every text is bounded as the local store bounds it, and the first response
stands. Added to the hub as migration ``MIGRATION`` and ``FUNCTIONS``, with
``grants()`` run after the hub's other grants (see ``pg_init``).
"""

from __future__ import annotations

from auditui.sync.pg_users import MANAGER, READER, SUBMITTER

ID = "'^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'"
SOON = "(clock_timestamp() + interval '1 day')"
"""Clocks differ: a time up to a day ahead is believed, as for action completions."""

MIGRATION = f"""
CREATE TABLE auditui.concerns (
    concern_id text PRIMARY KEY CHECK (concern_id ~ {ID}),
    audit_id text NOT NULL CHECK (audit_id ~ {ID}),
    team text COLLATE "C" NOT NULL CHECK (length(team) BETWEEN 1 AND 200),
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
    raised_with text NOT NULL DEFAULT '' CHECK (length(raised_with) <= 200),
    raised_by text NOT NULL CHECK (length(raised_by) BETWEEN 1 AND 200),
    raised_at timestamptz NOT NULL,
    submitted_by text NOT NULL DEFAULT session_user,
    acknowledged_at timestamptz,
    acknowledged_login text,
    outcome text CHECK (outcome IS NULL OR length(outcome) BETWEEN 1 AND 20000),
    responded_by text CHECK (responded_by IS NULL OR length(responded_by) BETWEEN 1 AND 200),
    responded_at timestamptz,
    responded_login text,
    CHECK ((outcome IS NULL) = (responded_at IS NULL)),
    CHECK (acknowledged_at IS NULL OR acknowledged_at >= raised_at),
    CHECK (responded_at IS NULL OR responded_at >= raised_at)
);
CREATE INDEX concerns_by_team ON auditui.concerns (team, raised_at);
"""

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION auditui.submit_concern(
    p_id text, p_audit text, p_team text, p_text text, p_raised_with text, p_raised_by text,
    p_raised_at timestamptz)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_owner text;
    v_team text;
BEGIN
    IF p_raised_at IS NULL OR p_raised_at > {SOON} THEN
        RAISE EXCEPTION 'auditui: concern % is dated %, a time still to come', p_id,
            coalesce(p_raised_at::text, 'nothing') USING ERRCODE = 'check_violation';
    END IF;
    SELECT r.submitted_by, r.team INTO v_owner, v_team FROM auditui.results r
    WHERE r.audit_id = p_audit;
    IF v_owner IS NOT NULL AND v_owner <> session_user THEN
        RAISE EXCEPTION 'auditui: audit % was submitted by login %, not %', p_audit, v_owner,
            session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_team IS NOT NULL AND v_team <> p_team THEN
        RAISE EXCEPTION 'auditui: concern % names team %, but its audit is team %''s', p_id,
            p_team, v_team USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO auditui.concerns (concern_id, audit_id, team, text, raised_with, raised_by,
                                  raised_at)
    VALUES (p_id, p_audit, p_team, p_text, coalesce(p_raised_with, ''), p_raised_by, p_raised_at)
    ON CONFLICT (concern_id) DO NOTHING;
    SELECT c.submitted_by INTO v_owner FROM auditui.concerns c WHERE c.concern_id = p_id;
    IF v_owner <> session_user THEN
        RAISE EXCEPTION 'auditui: concern % was sent by login %, not %', p_id, v_owner,
            session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN p_id;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.concern_reply(
    p_id text, p_kind text, p_by text, p_outcome text, p_at timestamptz)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    c auditui.concerns%ROWTYPE;
    v_at timestamptz;
BEGIN
    SELECT * INTO c FROM auditui.concerns x WHERE x.concern_id = p_id FOR UPDATE;
    IF c.concern_id IS NULL THEN
        RAISE EXCEPTION 'auditui: no safeguarding concern %', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF c.submitted_by <> session_user AND NOT EXISTS (
        SELECT 1 FROM auditui.trust t WHERE t.login = session_user AND t.team IN (c.team, '*'))
    THEN
        RAISE EXCEPTION 'auditui: login % may not respond to concerns for team %',
            session_user, c.team USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Only the concern's own login reports a time recorded on its machine; anyone else's
    -- reply is timed by the hub.
    v_at := CASE WHEN c.submitted_by = session_user AND p_at IS NOT NULL
                 THEN p_at ELSE clock_timestamp() END;
    IF v_at < c.raised_at OR v_at > {SOON} THEN
        RAISE EXCEPTION 'auditui: a reply dated % to concern % raised %: refused', v_at, p_id,
            c.raised_at USING ERRCODE = 'check_violation';
    END IF;
    IF c.responded_at IS NOT NULL THEN
        RAISE EXCEPTION 'auditui: concern % already has a response', left(p_id, 8)
            USING ERRCODE = 'raise_exception';
    END IF;
    IF p_kind = 'ack' THEN
        UPDATE auditui.concerns SET acknowledged_at = coalesce(acknowledged_at, v_at),
            acknowledged_login = coalesce(acknowledged_login, session_user)
        WHERE concern_id = p_id;
    ELSIF p_kind = 'response' AND p_outcome IS NOT NULL THEN
        UPDATE auditui.concerns SET acknowledged_at = coalesce(acknowledged_at, v_at),
            acknowledged_login = coalesce(acknowledged_login, session_user),
            outcome = p_outcome, responded_by = p_by, responded_at = v_at,
            responded_login = session_user
        WHERE concern_id = p_id;
    ELSE
        RAISE EXCEPTION 'auditui: a reply is ack, or response with an outcome'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN p_id;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.my_concerns(p_ids text[])
RETURNS TABLE (concern_id text, acknowledged_at timestamptz, outcome text, responded_by text,
               responded_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT c.concern_id, c.acknowledged_at, c.outcome, c.responded_by, c.responded_at
    FROM auditui.concerns c
    WHERE c.concern_id = ANY (p_ids) AND c.submitted_by = session_user
$fn$;

CREATE OR REPLACE FUNCTION auditui.concerns_board(p_open_only boolean)
RETURNS TABLE (concern_id text, audit_id text, team text, text text, raised_with text,
               raised_by text, raised_at timestamptz, acknowledged_at timestamptz,
               outcome text, responded_by text, responded_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT c.concern_id, c.audit_id, c.team, c.text, c.raised_with, c.raised_by, c.raised_at,
           c.acknowledged_at, c.outcome, c.responded_by, c.responded_at
    FROM auditui.concerns c
    WHERE (NOT p_open_only OR c.responded_at IS NULL)
      AND EXISTS (SELECT 1 FROM auditui.trust t
                  WHERE t.login = session_user AND t.team IN (c.team, '*'))
    ORDER BY c.raised_at, c.concern_id
$fn$;

CREATE OR REPLACE FUNCTION auditui.concern_times(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (raised_at timestamptz, acknowledged_at timestamptz, responded_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT c.raised_at, c.acknowledged_at, c.responded_at FROM auditui.concerns c
    WHERE c.raised_at >= p_from AND c.raised_at < p_to
    ORDER BY 1, 2, 3
$fn$;
"""

SIGNATURES = {
    "submit_concern": "text, text, text, text, text, text, timestamptz",
    "concern_reply": "text, text, text, text, timestamptz",
    "my_concerns": "text[]",
    "concerns_board": "boolean",
    "concern_times": "timestamptz, timestamptz",
}
ALLOWED = {
    SUBMITTER: ("submit_concern", "concern_reply", "my_concerns"),
    MANAGER: ("concerns_board", "concern_reply"),
    READER: ("concern_times",),
}


def grants() -> list[str]:
    """Nobody reads or writes the table; each role may call its functions and no others."""
    everyone = ", ".join(["PUBLIC", SUBMITTER, MANAGER, READER])
    out = [f"REVOKE ALL ON auditui.concerns FROM {everyone}"]
    for name, args in SIGNATURES.items():
        out.append(f"REVOKE ALL ON FUNCTION auditui.{name}({args}) FROM {everyone}")
    for role, names in ALLOWED.items():
        out += [f"GRANT EXECUTE ON FUNCTION auditui.{n}({SIGNATURES[n]}) TO {role}" for n in names]
    return out
