"""The audit report as Markdown, for pasting into an email, a wiki or a case note.

Everything a person typed is escaped, so an evidence note with ``*``, ``#``,
``|`` or ``<script>`` shows as typed and cannot restyle or inject anything;
line breaks in notes are kept.
"""

from __future__ import annotations

import re

from auditui.export.report import AuditReport, GradeLine, percent_text

_SPECIAL = re.compile(r"([\\`*_\[\]<|#~&])")
_BLOCK_START = re.compile(r"^(\s*)(>|[-+](?=\s|$)|\d+[.)](?=\s|$)|[=-](?=[=-]*\s*$))")
"""What a line may start with that Markdown would read as a quote, list or underline."""


def md(text: str, line_start: bool = False) -> str:
    """Text shown literally by any CommonMark renderer; line breaks kept.

    ``line_start``: the text begins a line (a paragraph, a quote), so its
    first line needs the same care as the following ones.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for n, part in enumerate(lines):
        part = _SPECIAL.sub(r"\\\1", part.strip())
        if n > 0 or line_start:
            part = _BLOCK_START.sub(_literal, part, count=1)
        out.append(part)
    return "  \n".join(out)


def _literal(match: re.Match[str]) -> str:
    """A backslash before the marker's punctuation ("1\\." for "1.", "\\-" for "-")."""
    marker = match.group(2)
    return match.group(1) + marker[:-1] + "\\" + marker[-1]


def md_cell(text: str) -> str:
    """Escaped text for a table cell, where a line break would end the row."""
    return md(" ".join(text.split()))


def _quote(text: str) -> str:
    body = md(text, line_start=True).split("  \n")
    return "\n".join(f"> {part}  " if part else ">" for part in body)


def _grade(g: GradeLine) -> list[str]:
    final = g.final or "not graded"
    parts = [f"**Grade: {md(final)}**"]
    if g.suggested:
        suggested = f"suggested {md(g.suggested)}"
        if g.percent is not None:
            suggested += f" from a score of {percent_text(g.percent)}"
        parts.append(f"({suggested})")
    lines = [" ".join(parts) + "  "]
    if g.overridden:
        lines.append(f"Auditor's rationale for a different grade: {md(g.rationale or '')}  ")
    elif g.rationale:
        lines.append(f"Rationale: {md(g.rationale)}  ")
    if g.explanation:
        lines.append(f"How it was reached: {md(g.explanation)}")
    return lines


def render_markdown(report: AuditReport) -> str:
    out = [f"# {md(report.title)}", ""]
    out += ["| | |", "|---|---|"]
    out += [f"| {md_cell(label)} | {md_cell(value)} |" for label, value in report.details]
    out += ["", "## Overall", "", *_grade(report.overall), ""]
    for heading, reason in report.reopened:
        out += [f"**{md(heading)}:** {md(reason)}", ""]
    if report.problems:
        out += ["**This audit is a draft.** Still to do:", ""]
        out += [f"- {md(p)}" for p in report.problems]
        out.append("")
    for section in report.sections:
        if section.not_applicable is not None or not section.shown:
            why = section.not_applicable or "does not apply to this audit"
            out += [
                f"## {md(str(section.number))}. {md(section.title)}",
                "",
                f"*Not applicable:* {md(why)}",
                "",
            ]
            continue
        out += [
            f"## {md(str(section.number))}. {md(section.title)}",
            "",
            *_grade(section.grade),
            "",
        ]
        for q in section.questions:
            out.append(f"**{md(q.number)} {md(q.text)}**  ")
            out.append(f"Answer: {md(q.answer)}" + ("  " if q.evidence or q.answered_by else ""))
            if q.answered_by:
                out.append(f"Answered by {md(q.answered_by)}" + ("  " if q.evidence else ""))
            if q.evidence:
                out += ["Evidence:", "", _quote(q.evidence)]
            out.append("")
    for title, text in report.findings:
        out += [f"## {md(title)}", "", md(text, line_start=True), ""]
    out += ["## Actions", ""]
    if report.actions:
        out += ["| Action | Owner | Due | Status |", "|---|---|---|---|"]
        for a in report.actions:
            status = a.status + (f" on {a.completed_on}" if a.completed_on else "")
            if a.overdue:
                status = f"**{md_cell(status)}**"
            else:
                status = md_cell(status)
            if a.evidence:
                status += f"; evidence: {md_cell(a.evidence)}"
            out.append(f"| {md_cell(a.text)} | {md_cell(a.owner)} | {md_cell(a.due)} | {status} |")
    else:
        out.append("No actions were agreed.")
    out += ["", f"_Report produced by auditui on {md(report.generated_on)}._", ""]
    return "\n".join(out)
