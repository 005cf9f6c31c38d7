"""The HTML report in a real browser: it renders, prints to PDF, shows every answer, runs nothing.

Debian's chromium (installed by ``.ci/run``) runs headless on a file:// URL
with networking off; the test is skipped, saying why, on a machine without it.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_support import HOSTILE, Filled

from auditui.export import build_report, render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_report_renders_prints_and_shows_every_answer(filled: Filled, tmp_path: Path) -> None:
    ids = [
        filled.finalised,
        *(a for a, t in zip(filled.hostile_audits, HOSTILE, strict=True) if "<" in t),
    ]
    for audit_id in ids:
        report = build_report(filled.ws, audit_id)
        page = tmp_path / f"report-{audit_id[:8]}.html"
        page.write_text(render_html(report), encoding="utf-8")
        pdf = tmp_path / f"report-{audit_id[:8]}.pdf"

        printed = chromium(
            tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()
        )
        assert pdf.exists(), printed.stderr[-2000:]
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 5000

        dumped = chromium(tmp_path, "--dump-dom", page.as_uri())
        assert dumped.returncode == 0, dumped.stderr[-2000:]
        dom = _Text()
        dom.feed(dumped.stdout)
        text = squash(" ".join(dom.parts))
        for section in report.sections:
            assert squash(section.title) in text
            for q in section.questions:
                assert squash(f"{q.number} {q.text}") in text
                assert squash(f"Answer: {q.answer}") in text
                if q.evidence:
                    assert squash(q.evidence) in text
        for _, value in report.details:
            assert squash(value) in text
        assert not any(tag in ("script", "img", "b") for tag, _ in dom.tags)
        body = next(attrs for tag, attrs in dom.tags if tag == "body")
        assert "data-pwned" not in body
