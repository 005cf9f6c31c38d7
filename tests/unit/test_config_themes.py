"""``[organisation] themes`` and ``auditors``: the defaults, the checks, and hostile lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.config import DEFAULT_THEMES, Config, OrganisationConfig, config_from_data, load_config
from auditui.config_organisation import MAX_AUDITORS, MAX_THEME_LENGTH, MAX_THEMES
from auditui.errors import ConfigError, InvalidAnswerError

CFG = Path("/cfg/config.toml")


def read(organisation: dict[str, Any]) -> OrganisationConfig:
    return config_from_data({"organisation": organisation}, CFG).organisation


def refused(organisation: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as raised:
        read(organisation)
    return raised.value.message


def test_defaults_are_the_councils_practice_themes_and_any_auditor() -> None:
    organisation = Config().organisation
    assert organisation.themes == DEFAULT_THEMES
    assert "Voice of the child" in organisation.themes
    assert "Drift and delay" in organisation.themes
    assert len(set(t.casefold() for t in DEFAULT_THEMES)) == len(DEFAULT_THEMES)
    assert all(len(t) <= MAX_THEME_LENGTH for t in DEFAULT_THEMES)
    assert organisation.auditors == ()
    organisation.check_auditor("Anyone At All")  # an empty list accepts every name


def test_a_file_sets_its_own_themes_and_auditors(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[organisation]\nthemes = [" Voice of the child ", "Neglect"]\n'
        'auditors = ["Sam Auditor", "Mo Moderator"]\n',
        encoding="utf-8",
    )
    organisation = load_config(path, env={}).organisation
    assert organisation.themes == ("Voice of the child", "Neglect")
    assert organisation.auditors == ("Sam Auditor", "Mo Moderator")


def test_a_theme_is_taken_in_the_organisations_spelling_or_refused_with_the_list() -> None:
    organisation = read({"themes": ["Voice of the child", "Neglect"]})
    assert organisation.theme_named("  voice OF the child ") == "Voice of the child"
    with pytest.raises(InvalidAnswerError) as raised:
        organisation.theme_named("Housing")
    assert raised.value.message == (
        "Theme 'Housing' is not one of the organisation's themes: Voice of the child, "
        "Neglect (set as themes in the [organisation] section of config.toml)."
    )


def test_an_unknown_auditor_is_refused_naming_the_list() -> None:
    organisation = read({"auditors": ["Sam Auditor", "Mo Moderator"]})
    organisation.check_auditor("sam auditor")
    with pytest.raises(InvalidAnswerError, match=r"'Kim' is not one of .*Sam Auditor, Mo"):
        organisation.check_auditor("Kim")


@pytest.mark.parametrize(
    ("organisation", "says"),
    [
        ({"themes": "Voice"}, 'organisation.themes: must be a list, like ["Team A", "Team B"]'),
        ({"themes": []}, "organisation.themes: must list at least one theme"),
        ({"themes": ["A", 3]}, "organisation.themes (item 2): must be text in quotes"),
        ({"themes": ["A", "  "]}, "organisation.themes (item 2): theme names must not be empty"),
        ({"themes": ["Chronology", "chronology"]}, "theme 'chronology' is listed twice"),
        ({"themes": ["x" * 61]}, "organisation.themes (item 1): is longer than 60 characters"),
        ({"themes": ["two\nlines"]}, "(item 1): must be on one line, without control characters"),
        ({"themes": [["nested"]]}, "organisation.themes (item 1): must be text in quotes"),
        ({"auditors": {"a": 1}}, "organisation.auditors: must be a list"),
        ({"auditors": ["Sam", "SAM"]}, "auditor 'SAM' is listed twice"),
        ({"auditors": [True]}, "organisation.auditors (item 1): must be text in quotes"),
    ],
)
def test_bad_lists_are_refused_in_one_line(organisation: dict[str, Any], says: str) -> None:
    message = refused(organisation)
    assert len(message.splitlines()) == 1
    assert message.startswith(f"{CFG}: organisation.")
    assert says in message


def test_huge_lists_are_refused_unread() -> None:
    many = [f"Theme {n}" for n in range(MAX_THEMES + 1)]
    assert refused({"themes": many}).endswith(
        f"organisation.themes: lists {MAX_THEMES + 1} themes; at most {MAX_THEMES} are allowed"
    )
    huge = ["x"] * 1_000_000
    assert f"at most {MAX_AUDITORS} are allowed" in refused({"auditors": huge})
    assert len(read({"themes": [f"T{n}" for n in range(MAX_THEMES)]}).themes) == MAX_THEMES


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(st.text(max_size=80), max_size=8),
        st.lists(st.one_of(st.integers(), st.booleans(), st.none(), st.text()), max_size=4),
        st.text(max_size=10),
        st.integers(),
        st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3),
    ),
    st.sampled_from(["themes", "auditors", "teams"]),
)
def test_fuzzed_name_lists_read_or_are_refused_in_one_line(value: Any, setting: str) -> None:
    try:
        names = getattr(read({setting: value}), setting)
    except ConfigError as error:
        assert len(error.message.splitlines()) == 1
        assert error.message.startswith(f"{CFG}: organisation.{setting}")
    else:
        assert isinstance(names, tuple)
        assert all(isinstance(n, str) and n == n.strip() and n.isprintable() for n in names)
        assert len({n.casefold() for n in names}) == len(names)
        if setting == "themes":
            assert names and all(len(n) <= MAX_THEME_LENGTH for n in names)
