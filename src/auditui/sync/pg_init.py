"""``auditui hub init postgresql://...``: create or migrate the hub, and say how it is guarded.

Run as the database owner. Creates (or migrates, forward only, versioned in
``auditui.meta``) the ``auditui`` schema, its functions and views, the three
roles and their grants, revokes ``TEMP`` from ``PUBLIC``, and says in its
output how the server authenticates logins: personal logins and the
provenance checks built on ``session_user`` mean nothing on a server that
lets anyone log in as anyone (``trust`` in pg_hba.conf).
"""

from __future__ import annotations

from typing import Any

from auditui.errors import HubError


def init_hub(url: str, small_group_threshold: int = 5) -> str:
    """Create or migrate the hub schema and roles; returns a sentence saying what was done."""
    from auditui.sync import pg_concerns, pg_schema
    from auditui.sync.postgres import PostgresHub, connect

    conn = connect(url)
    hub = PostgresHub(url, conn)
    try:
        with (
            hub._errors("create the hub schema (run hub init as the database owner)"),
            conn.transaction(),
        ):
            conn.execute("SELECT pg_advisory_xact_lock(7271270)")
            for statement in _split(pg_schema.BOOTSTRAP):
                conn.execute(statement)
            row = conn.execute(
                "SELECT value::integer FROM auditui.meta WHERE key = 'schema_version'"
            ).fetchone()
            version = row[0] if row else 0
            if version > pg_schema.SCHEMA_VERSION:
                raise HubError(
                    f"The hub {hub.display} has schema {version}, newer than this auditui knows "
                    f"({pg_schema.SCHEMA_VERSION}); upgrade auditui. Nothing was changed."
                )
            for number in range(version, pg_schema.SCHEMA_VERSION):
                conn.execute(pg_schema.MIGRATIONS[number])
            for view in pg_schema.VIEW_NAMES:
                conn.execute(f"DROP VIEW IF EXISTS auditui.{view}")
            conn.execute(pg_schema.FUNCTIONS)
            conn.execute(pg_schema.VIEWS)
            for statement in pg_schema.role_statements() + pg_schema.grant_statements():
                conn.execute(statement)
            for statement in pg_concerns.grants():  # safeguarding concerns
                conn.execute(statement)
            from auditui.sync import pg_programme

            for statement in pg_programme.statements():  # plans and moderation
                conn.execute(statement)
            auth = authentication(conn)
            conn.execute(
                "INSERT INTO auditui.meta (key, value) VALUES ('schema_version', %s),"
                " ('small_group_threshold', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (str(pg_schema.SCHEMA_VERSION), str(small_group_threshold)),
            )
            # What each auditor's outbox records deliveries to this hub under, whatever
            # login or address reaches it; made once.
            conn.execute(
                "INSERT INTO auditui.meta (key, value) VALUES ('hub_id', gen_random_uuid()::text)"
                " ON CONFLICT (key) DO NOTHING"
            )
    finally:
        conn.close()
    done = (
        "created"
        if version == 0
        else ("migrated" if version < pg_schema.SCHEMA_VERSION else "checked")
    )
    return (
        f"Hub {hub.display} {done} (schema {pg_schema.SCHEMA_VERSION}, groups under "
        f"{small_group_threshold} audits hidden, with others so none can be derived); roles: "
        f"{pg_schema.SUBMITTER} (sync), {pg_schema.READER} (reports), {pg_schema.MANAGER} "
        "(actions board). Give each person a login of their own: auditui hub add-user "
        f"{hub.display} NAME --role submitter|reader|manager; completions need auditui hub trust."
        f"\n{auth}"
    )


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def authentication(conn: Any) -> str:
    """How the server authenticates logins to this database, in one sentence."""
    try:
        with conn.transaction():
            rows = conn.execute(
                "SELECT DISTINCT type, auth_method FROM pg_hba_file_rules WHERE error IS NULL"
                " AND (database && ARRAY['all', current_database()]::text[]) ORDER BY 1, 2"
            ).fetchall()
    except Exception:  # noqa: BLE001 - only superusers may read pg_hba_file_rules
        rows = None
    if not rows:
        return (
            "How the server authenticates logins is set in its pg_hba.conf, which this login "
            "cannot read; personal logins from hub add-user have SCRAM-SHA-256 passwords, and "
            "the hub's guarantees hold only if pg_hba.conf requires them (scram-sha-256 or cert)."
        )
    methods = ", ".join(f"{method} ({kind})" for kind, method in rows)
    text = f"The server authenticates logins by: {methods}."
    if any(method == "trust" for _, method in rows):
        text += (
            " Warning: 'trust' lets anyone who can reach the server log in as any login, "
            "another person's included; require scram-sha-256 or cert in pg_hba.conf."
        )
    return text
