"""The themes findings raise, in the PostgreSQL hub (hub schema 4).

A graded result of schema 4 names the organisation's themes its findings
raise, as strengths and as areas for development (``result.ThemesResult``).
``submit`` (``pg_submit``) keeps them in ``auditui.finding_themes``, one row
per audit, kind and theme, from the stored record itself, read as
``facts.finding_themes_of`` reads it (a theme named twice counts once;
anything but a non-empty name is not a theme; none in an older record).
Migration ``V4`` makes the table and fills it from the records a hub
already holds (an auditui of this version may have synced to the hub before
it was migrated).

The reader role counts them with ``report_finding_themes(by, from, to)``:
audits raising each theme per group, only in the groups ``report_groups``
shows (the same small-group suppression, by construction), as
``theme_counts.count_themes`` counts them in Python; ``report_findings`` is
that count over all time, overall. Themes are categories from the
organisation's list, never the findings' words.
"""

from __future__ import annotations

from auditui.sync.pg_users import READER

_ROWS_OF_RECORD = """
    SELECT DISTINCT {audit}, k.kind, x.item #>> '{{}}' AS theme
    FROM {source}
    CROSS JOIN (VALUES ('strengths'), ('development')) AS k (kind)
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof({record}->'themes'->k.kind) = 'array'
             THEN {record}->'themes'->k.kind ELSE '[]'::jsonb END) AS x (item)
    WHERE jsonb_typeof(x.item) = 'string' AND length(x.item #>> '{{}}') BETWEEN 1 AND 200
"""
"""An audit's (audit, kind, theme) rows from its stored record, as ``finding_themes_of``."""

V4 = f"""
CREATE TABLE auditui.finding_themes (
    audit_id text COLLATE "C" NOT NULL REFERENCES auditui.results ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('strengths', 'development')),
    theme text COLLATE "C" NOT NULL CHECK (length(theme) BETWEEN 1 AND 200),
    PRIMARY KEY (audit_id, kind, theme)
);
CREATE INDEX finding_themes_by_theme ON auditui.finding_themes (kind, theme);
INSERT INTO auditui.finding_themes (audit_id, kind, theme)
{_ROWS_OF_RECORD.format(audit="r.audit_id", source="auditui.results r", record="r.payload")}
ON CONFLICT DO NOTHING;
"""

NEW_FINDING_THEMES = f"""new_finding_themes AS (
            INSERT INTO auditui.finding_themes (audit_id, kind, theme)
            {_ROWS_OF_RECORD.format(audit="src.audit_id", source="src", record="src.p")}
            ON CONFLICT DO NOTHING
            RETURNING 1
        )"""
"""The common table expression ``submit`` adds after its other derived rows."""

_GROUP = '''(CASE p_by WHEN 'all' THEN '' WHEN 'team' THEN r.team
                      WHEN 'month' THEN to_char(r.ended_on, 'YYYY-MM') WHEN 'tool' THEN r.tool_id
                      WHEN 'case_type' THEN r.case_type WHEN 'kind' THEN r.kind
                      WHEN 'auditor' THEN r.auditor END) COLLATE "C"'''

THEME_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION auditui.report_finding_themes(p_by text, p_from date, p_to date)
RETURNS TABLE (grp text, kind text, theme text, audits bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
WITH r AS (
    SELECT r.audit_id, {_GROUP} AS grp
    FROM auditui.results r
    WHERE p_by IN ('all', 'team', 'month', 'tool', 'case_type', 'kind', 'auditor')
      AND (p_from IS NULL OR r.ended_on >= p_from) AND (p_to IS NULL OR r.ended_on <= p_to)
)
-- Only the groups report_groups shows: the same small-group suppression, by construction.
SELECT r.grp, f.kind, f.theme, count(*)
FROM r JOIN auditui.finding_themes f ON f.audit_id = r.audit_id
WHERE r.grp IN (SELECT g.grp FROM auditui.report_groups(p_by, p_from, p_to) g
                WHERE g.grp IS NOT NULL)
GROUP BY r.grp, f.kind, f.theme
$fn$;
"""
"""Made with the hub's other functions, after every migration (the table exists)."""

THEME_VIEWS = """
CREATE VIEW auditui.report_findings AS
SELECT t.kind, t.theme, t.audits FROM auditui.report_finding_themes('all', NULL, NULL) t;
"""
THEME_VIEW_NAMES = ("report_findings",)

THEME_GRANTS = (
    f"GRANT EXECUTE ON FUNCTION auditui.report_finding_themes(text, date, date) TO {READER}",
)
