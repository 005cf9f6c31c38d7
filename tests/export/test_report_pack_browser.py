"""The board's report pack in a real browser: it renders, prints to PDF, runs nothing.

Debian's chromium runs headless on a file:// URL with networking off; the
test is skipped, saying why, on a machine without it. The pack is made by
the real command line (`auditui report pack`), on a database of demo audits.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def auditui(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditui", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.db"
    made = auditui("--db", db, "demo", "--audits", "120", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return db


NARRATIVE = """\
# What do we know

Plans are SMARTer than last quarter.

# How do we know?

Audits & moderation <script>alert(1)</script>.

# What next

A workshop in September.
"""


def test_report_pack_writes_html_and_word_and_report_still_works(
    demo_db: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "narrative.md"
    notes.write_text(NARRATIVE, encoding="utf-8")
    period = ("--from", "2025-12-01", "--to", "2026-11-30")
    html = tmp_path / "pack.html"
    made = auditui(
        "--db", demo_db, "report", "pack", *period, "--out", html, "--narrative", notes,
        cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    page = html.read_text(encoding="utf-8")
    assert "Plans are SMARTer" in page and "&lt;script&gt;" in page
    assert (demo_db.parent / "narratives" / "2025-12-01_2026-11-30.md").stat().st_mode & 0o077 == 0

    word = tmp_path / "pack.docx"
    made = auditui("--db", demo_db, "report", "pack", *period, "--out", word, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert word.read_bytes()[:2] == b"PK"
    import zipfile

    with zipfile.ZipFile(word) as z:
        assert "Plans are SMARTer" in z.read("word/document.xml").decode("utf-8"), (
            "the narrative kept with the period is used without --narrative"
        )

    plain = auditui("--db", demo_db, "report", "--by", "month", "--format", "json", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert '"by": "month"' in plain.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--out", "pack.pdf"), ".html or .docx"),
        (("--out", "pack.html", "--narrative", "missing.md"), "--narrative"),
        (("--out", "pack.html", "--narrative", "bad.md"), "line 1"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(
    demo_db: Path, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    (tmp_path / "bad.md").write_text("# Summary\n\nNot one of the three.\n", encoding="utf-8")
    made = auditui(
        "--db", demo_db, "report", "pack", "--from", "2026-01-01", "--to", "2026-06-30", *args,
        cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 1 and "Traceback" not in made.stderr, made.stderr
    assert says in made.stderr
    assert not (tmp_path / "pack.html").exists() and not (tmp_path / "pack.pdf").exists()
    backwards = auditui(
        "--db", demo_db, "report", "pack", "--from", "2026-06-30", "--to", "2026-01-01",
        "--out", "pack.html", cwd=tmp_path,
    )  # fmt: skip
    assert backwards.returncode == 1 and "--to" in backwards.stderr


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_pack_prints_to_pdf_in_a_real_browser(demo_db: Path, tmp_path: Path) -> None:
    html = tmp_path / "pack.html"
    made = auditui(
        "--db", demo_db, "report", "pack", "--from", "2025-12-01", "--to", "2026-11-30",
        "--out", html, cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert CHROMIUM is not None
    browser = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
    ]  # fmt: skip
    pdf = tmp_path / "pack.pdf"
    printed = subprocess.run(
        [*browser, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.returncode == 0, printed.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 2 <= pages <= 8, pages
    shot = tmp_path / "pack.png"
    shown = subprocess.run(
        [*browser, f"--screenshot={shot}", "--window-size=900,2400", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
