"""The board's report pack as one self-contained, print-ready HTML file.

Lays out ``services.report_pack``'s sections and nothing else (the Word
version lays out the same ones): no scripts, no external fonts, images or
styles, charts as inline SVG (``pack_svg``); a Content-Security-Policy
forbids scripts outright. Everything from the data is escaped.
"""

from __future__ import annotations

from html import escape

from auditui import __version__
from auditui.domain.pack import PackSection, ReportPack, Table
from auditui.export.pack_svg import render_chart

STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Arial, sans-serif;
       color: #1b1b1b; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
.subtitle { color: #555; margin-top: 0; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #1d4e89; padding-bottom: .2rem;
     margin-top: 1.8rem; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: 10pt; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem;
         border-bottom: 1px solid #d0d7de; }
th { background: #f3f6fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure.chart { margin: .5rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; font-family: inherit; }
figcaption { font-size: 10pt; color: #444; }
.narrative p { white-space: pre-wrap; }
.keep { break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 2rem; font-size: 9pt; color: #666; }
@page { size: A4; margin: 16mm; }
@media print { body { margin: 0; max-width: none; } }
"""


def render_pack_html(pack: ReportPack) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(pack.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(pack.title)}</h1>",
        f'<p class="subtitle">{escape(pack.subtitle)}</p>',
    ]
    parts += [_section(s) for s in pack.sections]
    parts.append(f"<footer>Made by auditui {escape(__version__)}.</footer></body></html>")
    return "\n".join(parts) + "\n"


def _section(section: PackSection) -> str:
    """A section; its heading, words and first chart are kept on one printed page, so no
    heading is left alone at the foot of a page."""
    narrative = not (section.charts or section.tables)
    lead = [f"<h2>{escape(section.heading)}</h2>"]
    lead += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
    lead += [render_chart(c) for c in section.charts[:1]]
    out = ['<section class="narrative">' if narrative else "<section>"]
    out.append(f'<div class="keep">{"".join(lead)}</div>')
    out += [render_chart(c) for c in section.charts[1:]]
    out += [_table(t) for t in section.tables]
    out.append("</section>")
    return "\n".join(out)


def _table(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    rows = []
    for row in table.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>'] if row else []
        cells += [f'<td class="num">{escape(c)}</td>' for c in row[1:]]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
