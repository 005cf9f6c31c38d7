"""The PostgreSQL hub's report views: the published measures, counted in SQL.

The QA lead's reader role sees only these. ``report_groups(by, from, to)``
counts per group exactly as ``measures.count_facts`` does in Python (a test
holds the two equal on the same data) over the audits that ended in the
period, and suppresses small groups exactly as ``measures.hidden_groups``
does: every group under the hub's ``small_group_threshold``, and with it
the smallest others until no hidden group can be derived by subtracting
the shown ones from the total. A hidden group comes back as a row of nulls
(so the reader learns how many were hidden, nothing else). The
``report_<grouping>`` views are that function over all time.
``report_measure_counts(by, from, to)`` counts the format 2 measures from the
``measures`` each finalised record carries (none in an older record), only
in the groups ``report_groups`` shows.
``actions_board`` is the team manager's view: no case key, no evidence.
"""

from __future__ import annotations

from auditui.sync.measures import GOOD_OR_BETTER
from auditui.sync.pg_themes import THEME_VIEW_NAMES, THEME_VIEWS

_GOOD = ", ".join(f"'{g}'" for g in sorted(GOOD_OR_BETTER))

_PER_AUDIT = """
    SELECT r.audit_id, r.status, r.team, r.tool_id, to_char(r.ended_on, 'YYYY-MM') AS month,
           r.case_type, r.kind, r.auditor, r.practitioner_present, r.complete, r.overall_grade,
           coalesce(x.total, 0) AS a_total, coalesce(x.open, 0) AS a_open,
           coalesce(x.done, 0) AS a_done, coalesce(x.cancelled, 0) AS a_cancelled,
           coalesce(x.on_time, 0) AS a_on_time, coalesce(x.overdue, 0) AS a_overdue
    FROM auditui.results r
    LEFT JOIN (
        SELECT a.audit_id, count(*) AS total,
               count(*) FILTER (WHERE a.status = 'open') AS open,
               count(*) FILTER (WHERE a.status = 'done') AS done,
               count(*) FILTER (WHERE a.status NOT IN ('open', 'done')) AS cancelled,
               count(*) FILTER (WHERE a.status = 'done' AND a.completed_on IS NOT NULL
                                  AND a.completed_on <= a.due) AS on_time,
               count(*) FILTER (WHERE a.status = 'open' AND a.due < CURRENT_DATE) AS overdue
        FROM auditui.actions a GROUP BY a.audit_id
    ) x ON x.audit_id = r.audit_id"""

_THRESHOLD = "(SELECT m.value::integer FROM auditui.meta m WHERE m.key = 'small_group_threshold')"

COUNT_COLUMNS = (
    "audits",
    "finalised",
    "closed_incomplete",
    "with_practitioner",
    "complete",
    "good_or_better",
    "actions",
    "actions_open",
    "actions_done",
    "actions_cancelled",
    "actions_on_time",
    "actions_overdue",
)
"""The count columns of every report function and view, in order (the hub reads them so)."""
_COUNTS = ", ".join(f"{c} bigint" for c in COUNT_COLUMNS)

GROUPINGS = ("all", "team", "month", "tool", "section", "case_type", "kind", "auditor")

REPORT_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION auditui.report_groups(p_by text, p_from date, p_to date)
RETURNS TABLE (grp text, {_COUNTS}, grades jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
WITH p AS ({_PER_AUDIT}
    WHERE (p_from IS NULL OR r.ended_on >= p_from) AND (p_to IS NULL OR r.ended_on <= p_to)),
g AS (
    SELECT (CASE p_by WHEN 'all' THEN '' WHEN 'team' THEN p.team WHEN 'month' THEN p.month
                      WHEN 'tool' THEN p.tool_id WHEN 'case_type' THEN p.case_type
                      WHEN 'kind' THEN p.kind WHEN 'auditor' THEN p.auditor END) COLLATE "C"
               AS grp,
           p.overall_grade AS grade, p.*
    FROM p WHERE p_by IN ('all', 'team', 'month', 'tool', 'case_type', 'kind', 'auditor')
    UNION ALL
    SELECT (s.tool_id || '/' || s.section_id) COLLATE "C", s.final, p.*
    FROM p JOIN auditui.sections s ON s.audit_id = p.audit_id WHERE p_by = 'section'
),
counted AS (
    SELECT g.grp, count(*) AS audits,
           count(*) FILTER (WHERE g.status = 'finalised') AS finalised,
           count(*) FILTER (WHERE g.status = 'closed_incomplete') AS closed_incomplete,
           count(*) FILTER (WHERE g.practitioner_present) AS with_practitioner,
           count(*) FILTER (WHERE g.status = 'finalised' AND g.complete) AS complete,
           count(*) FILTER (WHERE g.status = 'finalised' AND g.grade IN ({_GOOD}))
               AS good_or_better,
           sum(g.a_total)::bigint AS actions, sum(g.a_open)::bigint AS actions_open,
           sum(g.a_done)::bigint AS actions_done, sum(g.a_cancelled)::bigint AS actions_cancelled,
           sum(g.a_on_time)::bigint AS actions_on_time,
           sum(g.a_overdue)::bigint AS actions_overdue
    FROM g GROUP BY g.grp
),
grades AS (
    SELECT d.grp, jsonb_object_agg(d.grade, d.n) AS grades FROM (
        SELECT g.grp, g.grade, count(*) AS n FROM g
        WHERE g.status = 'finalised' AND g.grade IS NOT NULL GROUP BY g.grp, g.grade
    ) d GROUP BY d.grp
),
-- Complementary suppression, as measures.hidden_groups: groups by size then name; the
-- hidden ones are the shortest prefix holding every small group, at least two groups
-- and at least the threshold's audits (or every group when no prefix does).
ranked AS (
    SELECT c.*, row_number() OVER w AS rn, sum(c.audits) OVER w AS running,
           count(*) FILTER (WHERE c.audits < {_THRESHOLD}) OVER () AS small
    FROM counted c WINDOW w AS (ORDER BY c.audits, c.grp ROWS UNBOUNDED PRECEDING)
),
cut AS (
    SELECT CASE WHEN max(small) = 0 THEN 0
                ELSE coalesce(min(rn) FILTER (WHERE rn >= small AND rn >= 2
                                                AND running >= {_THRESHOLD}), count(*)) END
           AS hidden
    FROM ranked
)
SELECT CASE WHEN r.rn > cut.hidden THEN r.grp END,
       {", ".join(f"CASE WHEN r.rn > cut.hidden THEN r.{c.split()[0]} END" for c in _COUNTS.split(", "))},
       CASE WHEN r.rn > cut.hidden THEN coalesce(gr.grades, '{{}}'::jsonb) END
FROM ranked r CROSS JOIN cut LEFT JOIN grades gr ON gr.grp = r.grp
ORDER BY r.rn > cut.hidden, r.grp
$fn$;

CREATE OR REPLACE FUNCTION auditui.report_theme_counts(p_from date, p_to date)
RETURNS TABLE (tool_id text, question_id text, tags text[], answered bigint, partly bigint,
               no bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
SELECT t.tool_id, t.question_id, max(t.tags), count(*),
       count(*) FILTER (WHERE t.value = 'partly'), count(*) FILTER (WHERE t.value = 'no')
FROM auditui.themes t JOIN auditui.results r ON r.audit_id = t.audit_id
WHERE (p_from IS NULL OR r.ended_on >= p_from) AND (p_to IS NULL OR r.ended_on <= p_to)
GROUP BY t.tool_id, t.question_id
HAVING count(*) >= {_THRESHOLD}
$fn$;

CREATE OR REPLACE FUNCTION auditui.report_measure_counts(p_by text, p_from date, p_to date)
RETURNS TABLE (grp text, tool_id text, question_id text, counted bigint, yes bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = auditui, pg_temp AS $fn$
WITH r AS (
    SELECT r.audit_id, r.tool_id,
           (CASE p_by WHEN 'all' THEN '' WHEN 'team' THEN r.team
                      WHEN 'month' THEN to_char(r.ended_on, 'YYYY-MM') WHEN 'tool' THEN r.tool_id
                      WHEN 'case_type' THEN r.case_type WHEN 'kind' THEN r.kind
                      WHEN 'auditor' THEN r.auditor END) COLLATE "C" AS grp,
           CASE WHEN jsonb_typeof(r.payload->'measures') = 'array' THEN r.payload->'measures'
                ELSE '[]'::jsonb END AS m
    FROM auditui.results r
    WHERE r.status = 'finalised'
      AND (p_from IS NULL OR r.ended_on >= p_from) AND (p_to IS NULL OR r.ended_on <= p_to)
),
-- As measure_counts.measure_facts_of: the audit's own tool, a text question id, yes,
-- partly or no; a question given twice counts once (the first good entry).
v AS (
    SELECT DISTINCT ON (r.audit_id, e.item->>'question')
           r.grp, r.tool_id, e.item->>'question' AS question_id, e.item->>'value' AS value
    FROM r, jsonb_array_elements(r.m) WITH ORDINALITY AS e (item, n)
    WHERE jsonb_typeof(e.item) = 'object' AND jsonb_typeof(e.item->'tool') = 'string'
      AND e.item->>'tool' = r.tool_id AND jsonb_typeof(e.item->'question') = 'string'
      AND e.item->'value' IN ('"yes"'::jsonb, '"partly"'::jsonb, '"no"'::jsonb)
    ORDER BY r.audit_id, e.item->>'question', e.n
)
-- Only the groups report_groups shows: the same small-group suppression, by construction.
SELECT v.grp, v.tool_id, v.question_id, count(*), count(*) FILTER (WHERE v.value = 'yes')
FROM v
WHERE v.grp IN (SELECT g.grp FROM auditui.report_groups(p_by, p_from, p_to) g
                WHERE g.grp IS NOT NULL)
GROUP BY v.grp, v.tool_id, v.question_id
$fn$;
"""
"""Created with the hub's functions (before the views that use them)."""


def _group_view(dimension: str) -> str:
    return f"""
CREATE VIEW auditui.report_{dimension} AS
SELECT * FROM auditui.report_groups('{dimension}', NULL, NULL) g WHERE g.grp IS NOT NULL;
"""


VIEWS = (
    "".join(_group_view(d) for d in GROUPINGS)
    + f"""
CREATE VIEW auditui.report_themes AS
SELECT * FROM auditui.report_theme_counts(NULL, NULL);

CREATE VIEW auditui.report_suppressed AS
SELECT d.dimension, (SELECT count(*) FROM auditui.report_groups(d.dimension, NULL, NULL) g
                     WHERE g.grp IS NULL)::integer AS groups
FROM unnest(ARRAY[{", ".join(f"'{d}'" for d in GROUPINGS)}]) AS d (dimension);

CREATE VIEW auditui.report_info AS
SELECT CURRENT_DATE AS today, {_THRESHOLD} AS small_group_threshold,
       (SELECT m.value::integer FROM auditui.meta m WHERE m.key = 'schema_version')
           AS schema_version;

CREATE VIEW auditui.actions_board AS
SELECT a.action_id, a.audit_id, r.team, r.tool_id, a.owner, a.due, a.status, a.completed_on,
       a.text
FROM auditui.actions a JOIN auditui.results r ON r.audit_id = a.audit_id;
"""
    + THEME_VIEWS
)

VIEW_NAMES = tuple(f"report_{d}" for d in GROUPINGS) + (
    "report_themes",
    "report_suppressed",
    "report_info",
    "actions_board",
    *THEME_VIEW_NAMES,
)
