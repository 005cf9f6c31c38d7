"""The demo's themes: on every finalised audit, from the organisation's list, plausible, and
drawn apart from the rest so the same seed still gives the same audits."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from auditui.config import Config, config_from_data
from auditui.services.demo import generate_demo
from auditui.services.demo_themes import demo_themes
from auditui.services.workspace import Workspace
from auditui.store.themes import themes_of

TODAY = dt.date(2026, 11, 22)


def workspace(path: Path, config: Config | None = None) -> Workspace:
    ws = Workspace.open(path, config=config or Config())
    ws.today = lambda: TODAY
    return ws


def test_finalised_demo_audits_raise_themes_from_the_list_and_others_none(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "a.db")
    try:
        generate_demo(ws, 200, seed=1)
        listed = set(ws.config.organisation.themes)
        counts: dict[str, Counter[str]] = {"strengths": Counter(), "development": Counter()}
        for audit_id, status in ws.store.query("SELECT id, status FROM audits"):
            found = themes_of(ws.store.conn, audit_id)
            if status != "finalised":
                assert found == {"strengths": (), "development": ()}
                continue
            assert found["strengths"], "every finalised demo audit found some strength"
            for kind, themes in found.items():
                assert set(themes) <= listed
                counts[kind].update(themes)
        assert "Drift and delay" not in counts["strengths"]
        top_development = {theme for theme, _ in counts["development"].most_common(3)}
        assert top_development <= {
            "SMART planning",
            "Contingency planning",
            "Drift and delay",
            "Chronology and genogram",
        }
        assert counts["strengths"].most_common(1)[0][0] == "Voice of the child"
    finally:
        ws.close()


def test_the_same_seed_gives_the_same_themes(tmp_path: Path) -> None:
    def dump(ws: Workspace) -> list[tuple[str, ...]]:
        rows = ws.store.query("SELECT * FROM audit_themes ORDER BY audit_id, kind, position")
        return [tuple(row) for row in rows]

    a, b = workspace(tmp_path / "a.db"), workspace(tmp_path / "b.db")
    try:
        generate_demo(a, 60, seed=7)
        generate_demo(b, 60, seed=7)
        assert dump(a) == dump(b) != []
    finally:
        a.close()
        b.close()


def test_an_organisations_own_list_is_used(tmp_path: Path) -> None:
    read = config_from_data(
        {"organisation": {"themes": ["Neglect", "Exploitation", "Voice of the child"]}},
        tmp_path / "config.toml",
    )
    ws = workspace(tmp_path / "a.db", Config(organisation=read.organisation))
    try:
        generate_demo(ws, 40, seed=2)
        used = {row[0] for row in ws.store.query("SELECT DISTINCT theme FROM audit_themes")}
        assert used and used <= {"Neglect", "Exploitation", "Voice of the child"}
    finally:
        ws.close()


def test_weaker_practice_raises_more_areas_for_development() -> None:
    listed = Config().organisation.themes
    weak = [len(demo_themes(f"w{n}", listed, 0.1)["development"]) for n in range(50)]
    strong = [len(demo_themes(f"s{n}", listed, 0.95)["development"]) for n in range(50)]
    assert sum(weak) > sum(strong)
    one = demo_themes("x", listed, 0.5)
    assert one == demo_themes("x", listed, 0.5)
    for themes in one.values():
        assert list(themes) == sorted(themes, key=list(listed).index)
