"""Who may write what on the PostgreSQL hub: personal logins, provenance, trust.

The hub believes a record only from its owner (issue 17, item 3). Everyone
used to share the ``auditui_submitter`` login, so anyone could replace
anyone's result or mark any action done by staging a forged row. Now:

- each person has a personal login (``hub add-user``), a member of one of
  the three roles, with a generated password shown once;
- ``submit`` reads only the rows the caller staged (``staging_*.login``
  defaults to ``session_user``, a column no role may write), binds an audit
  to the login that first submitted it (``results.submitted_by``) and
  refuses any later record of it from another login;
- completions (over ``complete_action``, or staged by a sync) are recorded
  only from the audit's own login or from a login the QA lead trusts for
  the audit's team (``trust``, written by ``hub trust``), and each records
  the login that made it (``actions.status_by``);
- a completion with no date, dated in the future, or before the action was
  agreed is refused (``completion_problem``, used by ``submit``,
  ``complete_action`` and a trigger on ``actions``).

``session_user`` is the login that authenticated; ``SET ROLE`` does not
change it and only a superuser can, so these checks hold against any
login that is not a superuser, provided the server authenticates logins
(``authentication`` says how it does).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator, Sequence
from urllib.parse import quote, urlsplit, urlunsplit

from auditui.errors import HubError, InvalidAnswerError

SUBMITTER = "auditui_submitter"
READER = "auditui_reader"
MANAGER = "auditui_manager"

LEAD_ONLY = """
    IF NOT auditui.am_lead() THEN
        RAISE EXCEPTION 'auditui: login % is not the QA lead (trusted for every team)',
            session_user USING ERRCODE = 'insufficient_privilege';
    END IF;"""
"""The first statement of a hub function only the QA lead's login may call (``am_lead``, from
``pg_programme``: trusted for every team); written after its ``BEGIN``."""
ROLES = (SUBMITTER, READER, MANAGER)

TODAY_ANYWHERE = "((now() AT TIME ZONE 'UTC')::date + 1)"
"""The latest completion date that is not in the future: today (UTC) plus a day for time
zones, as ``facts.completion_problem`` allows on the folder hub and the owner's sync."""


def latest_completion_date() -> dt.date:
    """Today (UTC) plus a day for time zones: ``TODAY_ANYWHERE`` in Python."""
    return dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)


def iso_or_none(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


V2 = """
ALTER TABLE auditui.results ADD COLUMN submitted_by text;
-- Everything stored so far came through the one shared login.
UPDATE auditui.results SET submitted_by = 'auditui_submitter';
ALTER TABLE auditui.results ALTER COLUMN submitted_by SET NOT NULL,
    ALTER COLUMN submitted_by SET DEFAULT session_user;
ALTER TABLE auditui.results ADD COLUMN demo boolean NOT NULL DEFAULT false;
ALTER TABLE auditui.results ADD CONSTRAINT results_never_demo CHECK (NOT demo);
ALTER TABLE auditui.actions ADD COLUMN agreed_on date, ADD COLUMN status_by text;
-- NOT VALID: enforced from now on, without refusing the migration over old rows.
ALTER TABLE auditui.actions ADD CONSTRAINT actions_done_has_a_date
    CHECK (status <> 'done' OR completed_on IS NOT NULL) NOT VALID;
ALTER TABLE auditui.actions ADD CONSTRAINT actions_done_after_agreed
    CHECK (completed_on IS NULL OR agreed_on IS NULL OR completed_on >= agreed_on) NOT VALID;
ALTER TABLE auditui.staging_results ADD COLUMN login text NOT NULL DEFAULT session_user;
ALTER TABLE auditui.staging_actions ADD COLUMN login text NOT NULL DEFAULT session_user;
CREATE TABLE auditui.trust (
    login text NOT NULL,
    team text COLLATE "C" NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (login, team)
);
"""

CHECKS = f"""
CREATE OR REPLACE FUNCTION auditui.completion_problem(p_on date, p_agreed date)
RETURNS text LANGUAGE sql STABLE SET search_path = auditui, pg_temp AS $fn$
    SELECT CASE
        WHEN p_on IS NULL THEN 'it has no date'
        WHEN p_on > {TODAY_ANYWHERE} THEN 'it is in the future'
        WHEN p_agreed IS NOT NULL AND p_on < p_agreed
            THEN format('it is before the action was agreed (not before %s)', p_agreed)
    END
$fn$;

CREATE OR REPLACE FUNCTION auditui.actions_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_problem text;
BEGIN
    IF NEW.agreed_on IS NULL THEN
        SELECT r.started_on INTO NEW.agreed_on FROM auditui.results r
        WHERE r.audit_id = NEW.audit_id;
    END IF;
    IF NEW.status = 'done' AND (TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status
                                OR NEW.completed_on IS DISTINCT FROM OLD.completed_on) THEN
        v_problem := auditui.completion_problem(NEW.completed_on, NEW.agreed_on);
        IF v_problem IS NOT NULL THEN
            RAISE EXCEPTION 'auditui: action % completed on %: %', NEW.action_id,
                coalesce(NEW.completed_on::text, 'no date'), v_problem
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$fn$;

DROP TRIGGER IF EXISTS actions_check ON auditui.actions;
CREATE TRIGGER actions_check BEFORE INSERT OR UPDATE ON auditui.actions
    FOR EACH ROW EXECUTE FUNCTION auditui.actions_check();
"""

LOGIN_FUNCTIONS = """
CREATE OR REPLACE FUNCTION auditui.action_states(p_ids text[])
RETURNS TABLE (action_id text, status text, completed_on date, evidence text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    -- Only the actions of the caller's own audits: another auditor's evidence is theirs.
    SELECT a.action_id, a.status, a.completed_on, a.evidence
    FROM auditui.actions a JOIN auditui.results r ON r.audit_id = a.audit_id
    WHERE a.action_id = ANY (p_ids) AND r.submitted_by = session_user
$fn$;

CREATE OR REPLACE FUNCTION auditui.hub_id()
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT m.value FROM auditui.meta m WHERE m.key = 'hub_id'
$fn$;

CREATE OR REPLACE FUNCTION auditui.held(p_ids text[])
RETURNS TABLE (audit_id text, revision integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
    SELECT r.audit_id, r.revision FROM auditui.results r WHERE r.audit_id = ANY (p_ids)
$fn$;

CREATE OR REPLACE FUNCTION auditui.complete_action(p_action text, p_on date, p_evidence text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
DECLARE
    v_id text;
    v_status text;
    v_team text;
    v_agreed date;
    v_found integer;
    v_problem text;
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
    SELECT r.team, coalesce(a.agreed_on, r.started_on) INTO v_team, v_agreed
    FROM auditui.actions a JOIN auditui.results r USING (audit_id) WHERE a.action_id = v_id;
    IF v_id IS NULL OR v_team IS NULL THEN
        RAISE EXCEPTION 'auditui: no action %', p_action USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM auditui.trust t
                   WHERE t.login = session_user AND t.team IN (v_team, '*')) THEN
        RAISE EXCEPTION 'auditui: login % is not trusted to record completions for team % on '
            'the hub; the QA lead can allow it with: auditui hub trust <hub> --user % --teams %',
            quote_ident(session_user::text), quote_literal(v_team),
            quote_ident(session_user::text), quote_literal(v_team)
            USING ERRCODE = 'raise_exception';
    END IF;
    IF v_status <> 'open' THEN
        RAISE EXCEPTION 'auditui: action % is already % on the hub', left(v_id, 8), v_status
            USING ERRCODE = 'raise_exception';
    END IF;
    v_problem := auditui.completion_problem(p_on, v_agreed);
    IF v_problem IS NOT NULL THEN
        RAISE EXCEPTION 'auditui: a completion dated % is refused: %; nothing was recorded',
            coalesce(p_on::text, 'with no date'), v_problem USING ERRCODE = 'raise_exception';
    END IF;
    UPDATE auditui.actions SET status = 'done', completed_on = p_on, evidence = p_evidence,
        status_at = clock_timestamp(), status_by = session_user
    WHERE action_id = v_id;
    RETURN v_id;
END
$fn$;
"""
"""What a login may ask of the hub's actions: its own actions' states, what the hub holds,
and (trusted logins only) completing an action."""

LOGIN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
"""A personal login: lower case, so it needs no quoting anywhere it is typed."""

ROLE_CHOICES = {"submitter": SUBMITTER, "reader": READER, "manager": MANAGER}

MAX_TEAMS = 1000
TEAM_LENGTH = 200
"""As ``GradedResult.team`` allows."""


def check_login_name(name: str) -> str:
    if not LOGIN_NAME.match(name) or name.startswith("pg_") or name.startswith("auditui_"):
        raise InvalidAnswerError(
            f"Login name: {name[:80]!r} is not usable; use 1-63 lower-case letters, digits and"
            " underscores, starting with a letter (not pg_ or auditui_)."
        )
    return name


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores (RFC 5802/7677), made here so the
    password itself never reaches the server or its statement log."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def login_url(url: str, name: str, password: str) -> str:
    """``url`` with its user and password replaced by the new login's."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(
        parts._replace(netloc=f"{quote(name, safe='')}:{quote(password, safe='')}@{host}")
    )


def add_user(url: str, name: str, role: str) -> str:
    """Create a personal login in ``role``; returns its URL (with the password, shown once)."""
    from psycopg import sql

    from auditui.sync.postgres import connect, display_url

    check_login_name(name)
    if role not in ROLE_CHOICES:
        raise InvalidAnswerError(f"Role: {role!r} is not one of {', '.join(ROLE_CHOICES)}.")
    group = ROLE_CHOICES[role]
    password = secrets.token_urlsafe(24)
    conn = connect(url)
    try:
        with _admin_errors(url, "create logins"), conn.transaction():
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                raise HubError(
                    f"The login '{name}' already exists on {display_url(url)}; nothing was changed."
                )
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
                raise HubError(
                    f"The hub {display_url(url)} has no {group} role yet; run: auditui hub init "
                    f"{display_url(url)}"
                )
            # The verifier, not the password, is what the statement (and any log of it) holds.
            verifier = scram_verifier(password)
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                    sql.Identifier(name), sql.Literal(verifier), sql.Identifier(group)
                )
            )
    finally:
        conn.close()
    return login_url(url, name, password)


def trust_user(target: str, user: str, teams: Sequence[str]) -> None:
    """Let the login ``user`` record action completions for ``teams`` on the hub at
    ``target`` (run by the hub's administrator; ``*`` is every team, for a QA lead).
    Completions from logins not trusted for an action's team are refused by the hub,
    in SQL (except the audit owner's own, from the login that submitted the audit)."""
    from auditui.sync.postgres import connect, display_url

    if user not in ROLE_CHOICES.values():  # a shared role's login may be trusted too
        check_login_name(user)
    cleaned = [t.strip() for t in teams]
    if not cleaned or len(cleaned) > MAX_TEAMS:
        raise InvalidAnswerError(f"Teams: give between 1 and {MAX_TEAMS} team names.")
    for team in cleaned:
        if not team or len(team) > TEAM_LENGTH:
            raise InvalidAnswerError(
                f"Teams: {team[:80]!r} is not a team name (1-{TEAM_LENGTH} characters)."
            )
    conn = connect(target)
    try:
        with _admin_errors(target, "record trust"), conn.transaction():
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone():
                raise HubError(
                    f"The hub {display_url(target)} has no login '{user}'; "
                    f"make it first: auditui hub add-user {display_url(target)} {user} "
                    "--role manager"
                )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO auditui.trust (login, team) VALUES (%s, %s)"
                    " ON CONFLICT DO NOTHING",
                    [(user, team) for team in cleaned],
                )
    finally:
        conn.close()


@contextlib.contextmanager
def _admin_errors(url: str, doing: str) -> Iterator[None]:
    """psycopg errors of an administrator's command as one sentence."""
    import psycopg

    from auditui.sync.postgres import display_url

    try:
        yield
    except psycopg.Error as exc:
        message = exc.diag.message_primary or (str(exc).splitlines() or ["no reason given"])[0]
        raise HubError(
            f"The hub {display_url(url)} could not {doing} ({message}); "
            "run this as the hub's administrator. Nothing was changed."
        ) from None


def role_statements() -> list[str]:
    """Create the roles if this cluster has not got them (roles are cluster-wide)."""
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} LOGIN; END IF; END $$"
        for role in ROLES
    ]


def grant_statements() -> list[str]:
    """Exactly the privileges each role needs, and nothing for anyone else."""
    from auditui.sync.pg_views import VIEW_NAMES

    staging = "auditui.staging_results, auditui.staging_actions"
    reports = ", ".join(f"auditui.{v}" for v in VIEW_NAMES if v.startswith("report_"))
    return [
        "REVOKE ALL ON SCHEMA auditui FROM PUBLIC",
        "REVOKE ALL ON ALL TABLES IN SCHEMA auditui FROM PUBLIC",
        "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA auditui FROM PUBLIC",
        # No temporary tables for anyone but the owner: a login that can create them can
        # shadow names for itself, and none of ours needs them.
        "DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC',"
        " current_database()); END $$",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        *(f"REVOKE ALL ON ALL TABLES IN SCHEMA auditui FROM {r}" for r in ROLES),
        *(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA auditui FROM {r}" for r in ROLES),
        f"GRANT USAGE ON SCHEMA auditui TO {SUBMITTER}, {READER}, {MANAGER}",
        # Only these columns: ``login`` defaults to session_user and cannot be forged.
        *(f"GRANT INSERT (batch, payload) ON {t} TO {SUBMITTER}" for t in staging.split(", ")),
        f"GRANT EXECUTE ON FUNCTION auditui.submit(uuid) TO {SUBMITTER}",
        f"GRANT EXECUTE ON FUNCTION auditui.action_states(text[]) TO {SUBMITTER}",
        f"GRANT EXECUTE ON FUNCTION auditui.held(text[]) TO {SUBMITTER}",
        f"GRANT EXECUTE ON FUNCTION auditui.hub_id() TO {SUBMITTER}, {READER}, {MANAGER}",
        f"GRANT SELECT ON {reports} TO {READER}",
        f"GRANT EXECUTE ON FUNCTION auditui.report_groups(text, date, date) TO {READER}",
        f"GRANT EXECUTE ON FUNCTION auditui.report_theme_counts(date, date) TO {READER}",
        f"GRANT SELECT ON auditui.actions_board TO {MANAGER}",
        f"GRANT EXECUTE ON FUNCTION auditui.complete_action(text, date, text) TO {MANAGER}",
    ]
