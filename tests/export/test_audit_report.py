"""The audit report: everything the practitioner and manager need, and nothing that runs."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from export_support import HOSTILE, Filled

from auditui.errors import NotFoundError
from auditui.export import build_report, render_html, render_markdown
from auditui.services import audits


def test_the_report_holds_case_details_grades_findings_and_actions(filled: Filled) -> None:
    audits.reopen(filled.ws, filled.finalised, "Add the findings.")
    audits.set_findings(
        filled.ws,
        filled.finalised,
        strengths="Warm relationship with the child.",
        development="Make the plan SMART.",
        reflection="I will add timescales.",
    )
    audits.finalise(filled.ws, filled.finalised, "2026-01-14")
    report = build_report(filled.ws, filled.finalised[:8])
    details = dict(report.details)
    assert details["Case reference"] == "F0001"
    assert details["Practitioner present"] == "Yes" and details["Auditor"]
    assert details["Status"] == "Finalised on Wed 14 Jan 2026"
    assert report.overall.final == "Good" and report.overall.suggested == "Requires improvement"
    assert report.overall.overridden and report.overall.rationale
    assert [t for t, _ in report.findings] == [
        "Strengths",
        "Areas for development",
        "Practitioner's reflection",
    ]
    assert sorted((a.owner, a.status) for a in report.actions) == [
        ("=Team manager", "Done"),
        ("Sam Taylor", "Done"),
        ("Sam Taylor", "Overdue by 13 working days"),
    ]
    assert {a.due for a in report.actions} == {"due Wed 11 Feb 2026, 20 working days"}
    answers = {q.id: q.answer for s in report.sections for q in s.questions}
    assert answers["plan_smart"] == "Partly" and answers["seen_alone"] == "N/A"
    assert answers["quality"] == "Requires improvement"
    assert answers["tools_used"] == 'Mind of My Own; -Other, "odd"'

    for text in (render_markdown(report), render_html(report)):
        for expected in (
            "F0001",
            "Warm relationship",
            "I will add timescales",
            "Update the chronology",
            "Requires improvement",
            "Moderated",
        ):
            assert expected in text


def test_a_draft_report_says_what_is_still_to_do(filled: Filled) -> None:
    report = build_report(filled.ws, filled.draft)
    assert report.problems and any("Was the child seen alone?" in p for p in report.problems)
    assert "This audit is a draft" in render_markdown(report)
    assert "Not answered" in render_html(report)


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_text_is_shown_not_run(filled: Filled, index: int) -> None:
    report = build_report(filled.ws, filled.hostile_audits[index])
    page = render_html(report)
    assert not re.search(r"<(script|b)\b", page)
    assert html.escape(HOSTILE[index].strip(), quote=True) in page
    markdown = render_markdown(report)
    assert not re.search(r"(?<!\\)<", markdown), "every < is escaped in Markdown"


def test_an_unknown_audit_is_refused_in_words(filled: Filled) -> None:
    with pytest.raises(NotFoundError, match="no audit 'nope'"):
        build_report(filled.ws, "nope")


class _Page(HTMLParser):
    """The tags and the text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_markdown_renders_hostile_text_literally(filled: Filled, index: int) -> None:
    """A real CommonMark renderer (markdown-it, which rich brings) shows every note as typed."""
    from markdown_it import MarkdownIt

    audit_id = filled.hostile_audits[index]
    audits.set_findings(filled.ws, audit_id, strengths=HOSTILE[index] + "\n- 1. > === ---")
    report = build_report(filled.ws, audit_id)
    page = _Page()
    page.feed(MarkdownIt("commonmark").enable("table").render(render_markdown(report)))
    text = squash(" ".join(page.text))
    assert squash(HOSTILE[index]) in text
    assert "- 1. > === ---" in text
    for section in report.sections:
        for q in section.questions:
            assert squash(f"{q.number} {q.text}") in text and squash(q.answer) in text
    assert not set(page.tags) - {
        "h1",
        "h2",
        "p",
        "strong",
        "em",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "blockquote",
        "ul",
        "li",
    }
    evidence = sum(1 for s in report.sections for q in s.questions if q.evidence)
    assert page.tags.count("blockquote") == evidence
    assert page.tags.count("ul") == (1 if report.problems else 0)
