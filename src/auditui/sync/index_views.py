"""What a reader asks of its folder-hub index: facts for reports, actions for the board.

Only what the index believes is here: ``index.py`` decides what goes in.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from auditui.sync.facts import (
    ActionFact,
    ActionRecord,
    AuditFact,
    Facts,
    FindingTheme,
    MergedAction,
    SectionFact,
    ThemeFact,
    merge_action,
)
from auditui.sync.hub import BoardAction
from auditui.sync.measure_counts import MeasureFact
from auditui.sync.trust import Trust

TAG_SEPARATOR = "\x1f"


class IndexViews:
    conn: sqlite3.Connection
    trust: Trust

    def merged_actions(self, action_id: str | None = None) -> list[MergedAction]:
        """Every action's state (or one's), by the merge rule, for audits the index holds."""
        sql = (
            "SELECT r.action_id, r.audit_id, r.source, r.recorded_at, r.status, r.completed_on,"
            " r.owner, r.due, r.text, r.evidence, r.agreed_on FROM action_records r"
            " WHERE EXISTS (SELECT 1 FROM results WHERE results.audit_id = r.audit_id)"
        )
        params: tuple[Any, ...] = ()
        if action_id is not None:
            sql += " AND r.action_id = ?"
            params = (action_id,)
        grouped: dict[str, list[ActionRecord]] = {}
        for row in self.conn.execute(sql + " ORDER BY r.action_id", params):
            grouped.setdefault(row[0], []).append(ActionRecord(*row))
        return [merge_action(records) for records in grouped.values()]

    def facts(self, with_sections: bool = True) -> Facts:
        facts = Facts()
        facts.audits = [
            AuditFact(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), r[7], *r[8:])
            for r in self.conn.execute(
                "SELECT audit_id, status, ended_on, team, tool_id, practitioner_present, complete,"
                " grade, case_type, kind, auditor FROM results"
            )
        ]
        if with_sections:
            facts.sections = [
                SectionFact(*r)
                for r in self.conn.execute("SELECT audit_id, section, grade FROM sections")
            ]
        facts.themes = [
            ThemeFact(r[0], r[1], r[2], tuple(r[3].split(TAG_SEPARATOR)), r[4])
            for r in self.conn.execute(
                "SELECT audit_id, tool_id, question_id, tags, value FROM themes"
            )
        ]
        facts.actions = [m.fact() for m in self.merged_actions()]
        facts.findings = [
            FindingTheme(*r)
            for r in self.conn.execute("SELECT audit_id, kind, theme FROM finding_themes")
        ]
        return facts

    def measure_facts(self) -> list[MeasureFact]:
        """The measure values of the audits the index holds (as shown, finalised only)."""
        return [
            MeasureFact(*r)
            for r in self.conn.execute(
                "SELECT audit_id, tool_id, question_id, value FROM measure_values"
            )
        ]

    def find_action(self, action_id: str) -> BoardAction | None:
        """An action by id or by a unique prefix of six or more characters."""
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT action_id FROM action_records"
                " WHERE action_id >= ? AND action_id < ?"
                " LIMIT 2",
                (action_id, action_id + "\uffff"),
            )
        ]
        if action_id not in ids and (len(ids) != 1 or len(action_id) < 6):
            return None
        chosen = action_id if action_id in ids else ids[0]
        found = self._board(self.merged_actions(chosen))
        return found[0] if found else None

    def board(self) -> list[BoardAction]:
        return self._board(self.merged_actions())

    def _board(self, merged: list[MergedAction]) -> list[BoardAction]:
        audits = {
            r[0]: (r[1], r[2])
            for r in self.conn.execute("SELECT audit_id, team, tool_id FROM results")
        }
        out = []
        for m in merged:
            team, tool_id = audits.get(m.audit_id, ("", ""))
            out.append(
                BoardAction(
                    m.action_id,
                    m.audit_id,
                    team,
                    tool_id,
                    m.owner or "",
                    dt.date.fromisoformat(m.due) if m.due else dt.date.min,
                    m.status,
                    dt.date.fromisoformat(m.completed_on) if m.completed_on else None,
                    m.text,
                )
            )
        out.sort(key=lambda a: (a.due, a.action_id))
        return out

    def action_facts(self) -> list[ActionFact]:
        return [m.fact() for m in self.merged_actions()]

    def judging_facts(self, action_id: str, audit_id: str) -> tuple[str, str | None]:
        """(the audit's key, the earliest day the action could be done) as this reader knows."""
        row = self.conn.execute(
            "SELECT b.signer, r.started_on FROM bindings b JOIN results r"
            " ON r.audit_id = b.audit_id WHERE b.audit_id = ?",
            (audit_id,),
        ).fetchone()
        agreed = self.conn.execute(
            "SELECT max(agreed_on) FROM action_records WHERE action_id = ? AND source = 'owner'",
            (action_id,),
        ).fetchone()[0]
        if row is None:
            return "", agreed
        return row[0], agreed or row[1]

    @property
    def last_quarantined(self) -> list[tuple[str, str]]:
        """The files refused, as earlier versions named them (nothing is moved now)."""
        return self.refused()

    def refused(self) -> list[tuple[str, str]]:
        """Every file in the hub this reader does not believe, with the reason."""
        found = [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT name, problem FROM files WHERE problem IS NOT NULL ORDER BY name"
            )
        ]
        if self.trust.problem:
            found.insert(0, ("trust.json", self.trust.problem))
        return found
