"""Moderation agreement in the PostgreSQL hub: which audit re-audited which, and the
reader's counts of grade pairs, small groups suppressed.

- ``link_moderation`` (a submitter or manager) records which audit is the blind
  re-audit of an allocation; only the login that submitted the re-audit may,
  and only when the hub holds it as a moderation by the allocation's moderator
  (the first link stands);
- ``report_moderation`` (the reader only) returns, per group, how many pairs
  had each (original, moderator's) grade on each tool version: a contingency
  table, never an audit. The figures (agreement, kappa, which way) are worked
  out from it by ``domain.moderation``, exactly as for the local store.
  Groups are hidden as ``measures.hidden_groups`` hides them (small ones and
  enough others that none can be derived); each hidden group is one row of
  nulls, so the reader knows how many there were.

Idempotent, run by ``pg_programme.statements`` on every ``hub init``.
"""

from __future__ import annotations

from typing import Any

from auditui.sync.pg_users import MANAGER, READER, SUBMITTER

_ID = "'^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'"
_THRESHOLD = "(SELECT m.value::integer FROM auditui.meta m WHERE m.key = 'small_group_threshold')"
GROUPINGS = ("all", "auditor", "team", "section")

TABLES = f"""
ALTER TABLE auditui.moderations ADD COLUMN IF NOT EXISTS moderation_audit_id text UNIQUE
    CHECK (moderation_audit_id ~ {_ID})
"""

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION auditui.link_moderation(p_allocation text, p_reaudit text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM auditui.moderations m JOIN auditui.results r ON r.audit_id = p_reaudit
        WHERE m.id = p_allocation AND r.submitted_by = session_user AND r.kind = 'moderation'
          AND r.auditor = m.moderator) THEN
        RAISE EXCEPTION 'auditui: audit % is not a moderation this login sent for %',
            p_reaudit, p_allocation USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE auditui.moderations m SET moderation_audit_id = p_reaudit
    WHERE m.id = p_allocation AND m.moderation_audit_id IS NULL;
    RETURN p_allocation;
END
$fn$;

CREATE OR REPLACE FUNCTION auditui.report_moderation(p_by text, p_from date, p_to date)
RETURNS TABLE (grp text, tool_id text, tool_version integer, scale text, original text,
               moderated text, pairs bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
WITH linked AS (
    SELECT m.auditor, m.team, o.audit_id AS o_id, r.audit_id AS r_id, o.tool_id,
           o.tool_version, o.scale, o.overall_grade AS o_overall, r.overall_grade AS r_overall
    FROM auditui.moderations m
    JOIN auditui.results o ON o.audit_id = m.audit_id
    JOIN auditui.results r ON r.audit_id = m.moderation_audit_id
    WHERE r.kind = 'moderation' AND r.auditor = m.moderator AND r.tool_id = o.tool_id
      AND coalesce(r.payload->'moderation'->>'moderates', m.audit_id) = m.audit_id
      AND (p_from IS NULL OR r.ended_on >= p_from) AND (p_to IS NULL OR r.ended_on <= p_to)
),
scoped AS (
    SELECT (CASE p_by WHEN 'auditor' THEN l.auditor WHEN 'team' THEN l.team ELSE '' END)
               COLLATE "C" AS grp,
           l.tool_id, l.tool_version, l.scale, l.o_overall AS original, l.r_overall AS moderated
    FROM linked l
    WHERE p_by IN ('all', 'auditor', 'team') AND l.o_overall IS NOT NULL
      AND l.r_overall IS NOT NULL
    UNION ALL
    SELECT so.section_id COLLATE "C", l.tool_id, l.tool_version, l.scale, so.final, sr.final
    FROM linked l
    JOIN auditui.sections so ON so.audit_id = l.o_id
    JOIN auditui.sections sr ON sr.audit_id = l.r_id AND sr.section_id = so.section_id
    WHERE p_by = 'section' AND so.final IS NOT NULL AND sr.final IS NOT NULL
),
sizes AS (SELECT s.grp, count(*) AS n FROM scoped s GROUP BY s.grp),
-- Complementary suppression, as measures.hidden_groups (and pg_views.report_groups).
ranked AS (
    SELECT z.grp, row_number() OVER w AS rn, sum(z.n) OVER w AS running,
           count(*) FILTER (WHERE z.n < {_THRESHOLD}) OVER () AS small
    FROM sizes z WINDOW w AS (ORDER BY z.n, z.grp ROWS UNBOUNDED PRECEDING)
),
cut AS (
    SELECT CASE WHEN coalesce(max(small), 0) = 0 THEN 0
                ELSE coalesce(min(rn) FILTER (WHERE rn >= small AND rn >= 2
                                                AND running >= {_THRESHOLD}), count(*)) END
           AS hidden
    FROM ranked
),
shown AS (SELECT r.grp FROM ranked r CROSS JOIN cut WHERE r.rn > cut.hidden)
SELECT s.grp, s.tool_id, s.tool_version, s.scale, s.original, s.moderated, count(*)
FROM scoped s JOIN shown h ON h.grp = s.grp
GROUP BY s.grp, s.tool_id, s.tool_version, s.scale, s.original, s.moderated
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM ranked r CROSS JOIN cut
WHERE r.rn <= cut.hidden
ORDER BY 1 NULLS LAST, 2, 3, 5, 6
$fn$
"""

SIGNATURES = {"link_moderation": "text, text", "report_moderation": "text, date, date"}
ALLOWED = {
    SUBMITTER: ("link_moderation",),
    MANAGER: ("link_moderation",),
    READER: ("report_moderation",),
}


def statements() -> list[str]:
    """The link column, the two functions and who may call them."""
    everyone = ", ".join(["PUBLIC", SUBMITTER, MANAGER, READER])
    out = [TABLES, FUNCTIONS]
    for name, args in SIGNATURES.items():
        out.append(f"REVOKE ALL ON FUNCTION auditui.{name}({args}) FROM {everyone}")
    for role, names in ALLOWED.items():
        out += [f"GRANT EXECUTE ON FUNCTION auditui.{n}({SIGNATURES[n]}) TO {role}" for n in names]
    return out


def has_moderation_report(conn: Any) -> bool:
    found = conn.execute("SELECT to_regproc('auditui.report_moderation') IS NOT NULL").fetchone()
    return bool(found and found[0])


def grade_counts(conn: Any, by: str, start: str | None, end: str | None) -> list[tuple[Any, ...]]:
    """The rows of ``report_moderation``: (group, tool, version, scale, original, moderated,
    pairs), a row of nulls for each hidden group."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    rows: list[tuple[Any, ...]] = conn.execute(
        "SELECT * FROM auditui.report_moderation(%s, %s, %s)", (by, start, end)
    ).fetchall()
    return rows
