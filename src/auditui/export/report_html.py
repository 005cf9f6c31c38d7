"""The audit report as one self-contained HTML file, to attach to the child's record.

No scripts, no external fonts, images or styles: the file opens the same on
any machine, offline, years later, and prints cleanly (print styles keep a
question with its answer and start no section at the foot of a page).
Everything from the audit is HTML-escaped, and a Content-Security-Policy
forbids scripts outright, so an evidence note cannot run code in a reader's
browser.
"""

from __future__ import annotations

from html import escape

from auditui import __version__
from auditui.export.report import AuditReport, GradeLine, percent_text

STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif;
       color: #1b1b1b; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #1d4e89; padding-bottom: .2rem;
     margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem;
         border-bottom: 1px solid #d0d7de; }
.details th { width: 14rem; font-weight: 600; }
.grade { background: #f3f6fa; border-left: 4px solid #1d4e89; padding: .5rem .75rem;
         margin: .5rem 0 1rem; }
.grade .final { font-weight: 700; font-size: 1.05rem; }
.override { color: #8a4b00; }
.question { margin: 0 0 .9rem; break-inside: avoid; page-break-inside: avoid; }
.question .text { font-weight: 600; }
.answer { margin-left: 1.6rem; }
.unanswered { color: #a40e26; }
.evidence { white-space: pre-wrap; margin: .25rem 0 0 1.6rem; padding-left: .6rem;
            border-left: 3px solid #d0d7de; color: #333; }
.finding { white-space: pre-wrap; }
/* A long unbroken note (a URL, a pasted id) wraps instead of running off the page. */
td, th, .text, .answer, .evidence, .finding, .by, .reopened, .draft li {
  overflow-wrap: anywhere; word-break: break-word; }
.by { margin-left: 1.6rem; color: #555; font-size: .9rem; }
.overdue { color: #a40e26; font-weight: 700; }
.draft { border: 2px solid #a40e26; padding: .5rem .75rem; }
footer { margin-top: 2rem; color: #555; font-size: .85rem; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .grade, tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def h(text: object) -> str:
    return escape(str(text), quote=True)


def _grade(g: GradeLine) -> str:
    parts = [f'<div class="grade"><span class="final">Grade: {h(g.final or "not graded")}</span>']
    if g.suggested:
        score = f" from a score of {h(percent_text(g.percent))}" if g.percent is not None else ""
        parts.append(f" <span>(suggested {h(g.suggested)}{score})</span>")
    if g.overridden:
        parts.append(
            f'<div class="override">Auditor\'s rationale for a different grade: {h(g.rationale or "")}</div>'
        )
    elif g.rationale:
        parts.append(f"<div>Rationale: {h(g.rationale)}</div>")
    if g.explanation:
        parts.append(f"<div>How it was reached: {h(g.explanation)}</div>")
    parts.append("</div>")
    return "".join(parts)


def render_html(report: AuditReport) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{h(report.title)}</h1>",
        '<table class="details">',
        *(f'<tr><th scope="row">{h(k)}</th><td>{h(v)}</td></tr>' for k, v in report.details),
        "</table>",
        '<h2 id="overall">Overall</h2>',
        _grade(report.overall),
    ]
    for heading, reason in report.reopened:
        out.append(f'<p class="reopened"><b>{h(heading)}:</b> {h(reason)}</p>')
    if report.problems:
        out.append('<div class="draft"><strong>This audit is a draft.</strong> Still to do:<ul>')
        out += [f"<li>{h(p)}</li>" for p in report.problems]
        out.append("</ul></div>")
    for section in report.sections:
        out.append(f'<section id="section-{h(section.id)}">')
        out.append(f"<h2>{h(section.number)}. {h(section.title)}</h2>")
        if section.not_applicable is not None or not section.shown:
            why = section.not_applicable or "does not apply to this audit"
            out.append(f'<p class="na"><b>Not applicable:</b> {h(why)}</p></section>')
            continue
        out.append(_grade(section.grade))
        for q in section.questions:
            cls = "answer" if q.answered or not q.required else "answer unanswered"
            out.append(
                f'<div class="question" id="q-{h(q.id)}"><div class="text">{h(q.number)} '
                f'{h(q.text)}</div><div class="{cls}">Answer: <strong>{h(q.answer)}</strong></div>'
            )
            if q.answered_by:
                out.append(f'<div class="by">Answered by {h(q.answered_by)}</div>')
            if q.evidence:
                out.append(f'<div class="evidence">{h(q.evidence)}</div>')
            out.append("</div>")
        out.append("</section>")
    for title, text in report.findings:
        out.append(f'<h2>{h(title)}</h2><div class="finding">{h(text)}</div>')
    out.append('<h2 id="actions">Actions</h2>')
    if report.actions:
        out.append(
            "<table><thead><tr><th>Action</th><th>Owner</th><th>Due</th><th>Status</th>"
            "</tr></thead><tbody>"
        )
        for a in report.actions:
            status = h(a.status + (f" on {a.completed_on}" if a.completed_on else ""))
            if a.overdue:
                status = f'<span class="overdue">{status}</span>'
            if a.evidence:
                status += f'<div class="evidence">Evidence: {h(a.evidence)}</div>'
            out.append(
                f"<tr><td>{h(a.text)}</td><td>{h(a.owner)}</td><td>{h(a.due)}</td>"
                f"<td>{status}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>No actions were agreed.</p>")
    out += [
        f"<footer>Produced by auditui {h(__version__)} on {h(report.generated_on)}.</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)
