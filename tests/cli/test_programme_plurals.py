"""Counts in the programme, cases and moderation commands agree with their nouns.

`0 case(s).`, `0 listed case(s) left out`, `10 audit(s) picked` read like a
form, not a sentence: one thing is singular, none and many are plural.
"""

from __future__ import annotations

from pathlib import Path

from cli_support import RunCli, ok

from auditui.domain.plurals import counted


def test_counted_agrees() -> None:
    assert [counted(n, "case") for n in (0, 1, 2, 1000)] == [
        "0 cases",
        "1 case",
        "2 cases",
        "1,000 cases",
    ]
    assert counted(1, "plan item") == "1 plan item"
    assert counted(3, "person", "people") == "3 people"


def test_empty_lists_say_none_in_the_plural_and_one_in_the_singular(
    run_cli: RunCli, tmp_path: Path
) -> None:
    for args, line in (
        (("cases", "list"), "0 cases."),
        (("programme", "show"), "0 plan items."),
        (("moderation", "show"), "0 audits picked for moderation."),
    ):
        out = ok(run_cli(*args))
        assert line in out, out
        assert "(s)" not in out, out
    one = tmp_path / "one.csv"
    one.write_text("case_ref,case_type,team\nCF0001,CP,North\n", encoding="utf-8")
    imported = ok(run_cli("cases", "import", one))
    assert "Imported 1 case in 1 team from" in imported, imported
    assert "1 case." in ok(run_cli("cases", "list"))


def test_a_plan_summary_counts_agree_and_says_none_left_out_in_words() -> None:
    from auditui.services.programme import Plan

    none = Plan("p1", "2026-11", "1", [], left_out_by_hub=0, hub="/share/hub").summary()
    assert none.startswith("Planned 0 audits for 2026-11 in 0 teams"), none
    assert "The hub /share/hub holds no audit of a listed case within the window." in none
    assert "0 listed" not in none
    one = Plan("p1", "2026-11", "1", [], left_out_by_hub=1, hub="/share/hub").summary()
    assert "1 listed case left out: audited at another machine" in one
