"""Issue 13 review item 13 in the real app: the grades screen gives section names the room
an empty Score column took, and says how each grade was suggested in plain words; the
walker's section list uses its width and rows for a long section name."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable, Static
from tui_support import MEDIUM, SMALL, run

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.grades_columns import grade_widths
from auditui.tui.screens.grades import GradesScreen
from auditui.tui.screens.walker import WalkerScreen
from auditui.tui.widgets.section_list import SectionList


def plain(widget: Static) -> str:
    shown = widget.render()
    return shown.plain if isinstance(shown, Text) else str(shown)


def test_at_80_columns_the_section_names_are_whole_and_no_score_column_is_empty(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit("CF/1", tool="case-file-audit")
    audits.answer(workspace, audit_id, "assessment_analysis", "inadequate")

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            grades = GradesScreen(workspace, audit_id)
            await app.push_screen(grades)
            await pilot.pause()
            table = grades.query_one(DataTable)
            assert [str(c.label) for c in table.columns.values()] == [
                "Section",
                "Suggested",
                "Grade",
            ]
            names = [str(table.get_row_at(n)[0]).replace("\n", " ") for n in range(10)]
            assert "The child's voice and lived experience" in names
            assert "Management oversight and supervision" in names
            # Two-line titles only while every row stays in view, Overall above all: the
            # last long one is cut, and the detail below names it in full.
            assert table.virtual_size.height <= table.size.height
            assert sum("…" in name for name in names) == 1, names
            await pilot.press("down")  # Assessment
            detail = plain(grades.query_one("#grade-detail", Static))
            assert "The lowest grade given: Inadequate" in detail
            assert "->" not in detail and "lowest grade given -> " not in detail
            await pilot.press("down")  # the child's voice: nothing answered yet
            detail = plain(grades.query_one("#grade-detail", Static))
            assert "The lowest grade given: no grade question answered yet" in detail

    run(scenario())


def test_a_score_is_said_in_words_and_shown_in_its_column_when_there_is_room(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()
    for qid in ("specific", "measurable", "achievable", "realistic"):
        audits.answer(workspace, audit_id, qid, "yes")
    audits.answer(workspace, audit_id, "timely", "no")
    audits.set_evidence(workspace, audit_id, "timely", "No dates.")

    async def scenario() -> None:
        async with app.run_test(size=MEDIUM) as pilot:
            grades = GradesScreen(workspace, audit_id)
            await app.push_screen(grades)
            await pilot.pause()
            table = grades.query_one(DataTable)
            assert "Score" in [str(c.label) for c in table.columns.values()]
            detail = plain(grades.query_one("#grade-detail", Static))
            assert "Suggested: Scored 80%: Good" in detail

    run(scenario())


def test_the_widths_add_up_to_the_screen() -> None:
    for width in (80, 100, 120, 160):
        for scored in (True, False):
            section, score, suggested, final = grade_widths(width, scored)
            columns = 4 if score else 3
            assert section + score + suggested + final + 2 * columns + 6 <= width
            assert final >= len("Req. improv. (yours)")
    assert grade_widths(80, True)[1] == 0  # the detail says the score at 80 columns


def test_the_walker_section_list_shows_a_long_name_whole_at_100x30(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    new_audit()

    async def scenario() -> None:
        async with app.run_test(size=MEDIUM) as pilot:
            await pilot.press("enter")
            assert isinstance(app.screen, WalkerScreen)
            listed = plain(app.screen.query_one(SectionList))
            words = " ".join(line.strip() for line in listed.splitlines())
            assert "3. The child and family in the plan" in words, listed
            assert "…" not in listed

    run(scenario())
