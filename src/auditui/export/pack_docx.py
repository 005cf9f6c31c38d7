"""The board's report pack as a Word document (councils edit and circulate Word).

Lays out the same ``domain.pack`` sections as the HTML version, in the same
order and words. python-docx cannot draw a chart, so each chart's caption
stands as the title of the table that holds the same figures by month.
Everything is written as text runs (never interpreted), and characters XML
cannot hold are dropped rather than failing the document.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING

from auditui.domain.pack import PackSection, ReportPack, Table

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def write_pack_docx(pack: ReportPack, out: IO[bytes]) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = clean(pack.title)[:255]
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(clean(pack.title), level=0)
    doc.add_paragraph(clean(pack.subtitle))
    for section in pack.sections:
        _section(doc, section)
    doc.save(out)


def _section(doc: DocxDocument, section: PackSection) -> None:
    doc.add_heading(clean(section.heading), level=1)
    for paragraph in section.paragraphs:
        doc.add_paragraph(clean(paragraph))
    # Each chart's caption titles the table with its figures: a bar chart's the period's
    # table (the first), a line chart's the table by month (those after it).
    bars = [c.title for c in section.charts if c.kind != "line"]
    lines = [c.title for c in section.charts if c.kind == "line"]
    for i, table in enumerate(section.tables):
        captions = bars if i == 0 else lines
        if captions:
            doc.add_paragraph(clean(captions.pop(0)), style="Caption")
        _table(doc, table)


def _table(doc: DocxDocument, table: Table) -> None:
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(text)).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = clean(text)
