"""The PostgreSQL hub's report views: the published measures, counted in SQL.

The QA lead's reader role sees only these views. Each ``report_<grouping>``
counts per group exactly as ``measures.count_facts`` does in Python (a test
holds the two equal on the same data) and leaves out any group smaller than
the hub's ``small_group_threshold``, so no small team's figures identify a
child or a worker. ``actions_board`` is the team manager's view: no case
key, no evidence.
"""

from __future__ import annotations

from auditui.sync.measures import GOOD_OR_BETTER

_GOOD = ", ".join(f"'{g}'" for g in sorted(GOOD_OR_BETTER))

_PER_AUDIT = """
    SELECT r.audit_id, r.status, r.team, r.tool_id, to_char(r.ended_on, 'YYYY-MM') AS month,
           r.practitioner_present, r.complete, r.overall_grade,
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
    ) x ON x.audit_id = r.audit_id
"""

_GROUP_SOURCES = {
    "all": ("''::text", "p.overall_grade", ""),
    "team": ("p.team", "p.overall_grade", ""),
    "month": ("p.month", "p.overall_grade", ""),
    "tool": ("p.tool_id", "p.overall_grade", ""),
    "section": (
        "s.tool_id || '/' || s.section_id",
        "s.final",
        "JOIN auditui.sections s ON s.audit_id = p.audit_id",
    ),
}

_THRESHOLD = "(SELECT m.value::integer FROM auditui.meta m WHERE m.key = 'small_group_threshold')"


def _group_view(dimension: str) -> str:
    key, grade, join = _GROUP_SOURCES[dimension]
    return f"""
CREATE VIEW auditui.report_{dimension} AS
WITH p AS ({_PER_AUDIT}),
g AS (
    SELECT ({key}) COLLATE "C" AS grp, {grade} AS grade, p.*
    FROM p {join}
),
counted AS (
    SELECT g.grp, count(*) AS audits,
           count(*) FILTER (WHERE g.status = 'finalised') AS finalised,
           count(*) FILTER (WHERE g.status = 'closed_incomplete') AS closed_incomplete,
           count(*) FILTER (WHERE g.practitioner_present) AS with_practitioner,
           count(*) FILTER (WHERE g.status = 'finalised' AND g.complete) AS complete,
           count(*) FILTER (WHERE g.status = 'finalised' AND g.grade IN ({_GOOD}))
               AS good_or_better,
           sum(g.a_total) AS actions, sum(g.a_open) AS actions_open,
           sum(g.a_done) AS actions_done, sum(g.a_cancelled) AS actions_cancelled,
           sum(g.a_on_time) AS actions_on_time, sum(g.a_overdue) AS actions_overdue
    FROM g GROUP BY g.grp
),
grades AS (
    SELECT d.grp, jsonb_object_agg(d.grade, d.n) AS grades FROM (
        SELECT g.grp, g.grade, count(*) AS n FROM g
        WHERE g.status = 'finalised' AND g.grade IS NOT NULL GROUP BY g.grp, g.grade
    ) d GROUP BY d.grp
)
SELECT c.*, coalesce(gr.grades, '{{}}'::jsonb) AS grades
FROM counted c LEFT JOIN grades gr ON gr.grp = c.grp
WHERE c.audits >= {_THRESHOLD};
"""


VIEWS = (
    "".join(_group_view(d) for d in _GROUP_SOURCES)
    + f"""
CREATE VIEW auditui.report_themes AS
SELECT t.tool_id, t.question_id, max(t.tags) AS tags, count(*) AS answered,
       count(*) FILTER (WHERE t.value = 'partly') AS partly,
       count(*) FILTER (WHERE t.value = 'no') AS no
FROM auditui.themes t
GROUP BY t.tool_id, t.question_id
HAVING count(*) >= {_THRESHOLD};

CREATE VIEW auditui.report_suppressed AS
SELECT 'all'::text AS dimension, (count(*) < {_THRESHOLD})::integer AS groups
FROM auditui.results
UNION ALL
SELECT 'team', count(*)::integer FROM (
    SELECT 1 FROM auditui.results GROUP BY team HAVING count(*) < {_THRESHOLD}) x
UNION ALL
SELECT 'month', count(*)::integer FROM (
    SELECT 1 FROM auditui.results GROUP BY to_char(ended_on, 'YYYY-MM')
    HAVING count(*) < {_THRESHOLD}) x
UNION ALL
SELECT 'tool', count(*)::integer FROM (
    SELECT 1 FROM auditui.results GROUP BY tool_id HAVING count(*) < {_THRESHOLD}) x
UNION ALL
SELECT 'section', count(*)::integer FROM (
    SELECT 1 FROM auditui.sections s JOIN auditui.results r ON r.audit_id = s.audit_id
    GROUP BY s.tool_id, s.section_id HAVING count(*) < {_THRESHOLD}) x;

CREATE VIEW auditui.report_info AS
SELECT CURRENT_DATE AS today, {_THRESHOLD} AS small_group_threshold,
       (SELECT m.value::integer FROM auditui.meta m WHERE m.key = 'schema_version')
           AS schema_version;

CREATE VIEW auditui.actions_board AS
SELECT a.action_id, a.audit_id, r.team, r.tool_id, a.owner, a.due, a.status, a.completed_on,
       a.text
FROM auditui.actions a JOIN auditui.results r ON r.audit_id = a.audit_id;
"""
)

VIEW_NAMES = tuple(f"report_{d}" for d in _GROUP_SOURCES) + (
    "report_themes",
    "report_suppressed",
    "report_info",
    "actions_board",
)
