"""Config as a QA lead meets it: no file at all, a good file, and every mistake named."""

from __future__ import annotations

import dataclasses
import getpass
import subprocess
import sys
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.config import SECTIONS, Config, default_db_path, load_config
from auditui.errors import ConfigError, InvalidAnswerError


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user config and data dirs into tmp_path, whatever the OS."""
    home = tmp_path / "home"
    monkeypatch.setattr(
        platformdirs, "user_config_dir", lambda *a, **k: str(home / "config" / "auditui")
    )
    monkeypatch.setattr(
        platformdirs, "user_data_dir", lambda *a, **k: str(home / "data" / "auditui")
    )
    monkeypatch.delenv("AUDITUI_CONFIG", raising=False)
    monkeypatch.delenv("AUDITUI_DB", raising=False)
    return home


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ConfigError) as raised:
        load_config(path, env={})
    return raised.value.message


def test_no_file_gives_defaults(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "jsmith")
    config = load_config(env={})
    assert config == Config()
    assert config.user.name == "jsmith"
    assert config.organisation.calendar == "england-and-wales"
    assert config.organisation.teams == ()
    assert config.sync.target is None
    assert config.sync.share_evidence_text is False
    assert config.sync.small_group_threshold == 5
    with pytest.raises(ConfigError, match=r"No hub is configured.*\[sync\]"):
        config.sync.hub_to_read()
    assert config.sync.resolved_key_file() == isolated_dirs / "data" / "auditui" / "hub-key"


def test_login_name_unavailable_falls_back_to_auditor(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_login)
    assert load_config(env={}).user.name == "auditor"


def test_default_file_in_the_user_config_dir_is_read(isolated_dirs: Path) -> None:
    write(isolated_dirs / "config" / "auditui" / "config.toml", '[user]\nname = "A. Auditor"\n')
    assert load_config(env={}).user.name == "A. Auditor"


def test_a_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "org.toml",
        """
[user]
name = "Priya Shah"

[organisation]
name = "Example Borough Council"
calendar = "scotland"
case_reference_pattern = "CS[0-9]{6}"
teams = ["Assessment", "Children in Care"]

[sync]
target = "postgresql://hub.example.org/auditui"
share_evidence_text = true
key_file = "keys/hub-key"
small_group_threshold = 10
""",
    )
    config = load_config(path, env={})
    assert config.user.name == "Priya Shah"
    assert config.organisation.name == "Example Borough Council"
    assert config.organisation.calendar == "scotland"
    assert config.organisation.teams == ("Assessment", "Children in Care")
    assert config.sync.hub_to_read() == "postgresql://hub.example.org/auditui"
    assert config.sync.share_evidence_text is True
    # A relative key path is taken from the config file's own folder.
    assert config.sync.key_file == tmp_path / "keys" / "hub-key"
    assert config.sync.small_group_threshold == 10


def test_config_is_frozen(tmp_path: Path) -> None:
    config = load_config(env={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.organisation.calendar = "scotland"  # type: ignore[misc]


def test_bad_calendar_names_the_choices(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[organisation]\ncalendar = "wales"\n')
    assert refusal(path) == (
        f"{path}: organisation.calendar: must be one of england-and-wales, scotland, "
        "northern-ireland"
    )


def test_unknown_key_and_section(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml", '[organisation]\nteamz = ["A"]\n\n[organization]\nname = "x"\n'
    )
    message = refusal(path)
    assert f"{path}: organisation.teamz: unknown setting" in message.splitlines()
    assert f"{path}: organization: unknown section" in message.splitlines()


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        """
[organisation]
teams = ["A", 3]

[sync]
share_evidence_text = "yes"
small_group_threshold = 0
target = "https://example.org/hub"
""",
    )
    assert refusal(path).splitlines() == [
        f"{path}: organisation.teams (item 2): must be text in quotes",
        f"{path}: sync.target: must be a folder path or a postgresql:// URL",
        f"{path}: sync.share_evidence_text: must be true or false",
        f"{path}: sync.small_group_threshold: must be at least 1",
    ]


def test_bad_regex_names_the_field(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[organisation]\ncase_reference_pattern = '[A-Z'\n")
    message = refusal(path)
    assert message.startswith(f"{path}: organisation.case_reference_pattern: ")
    assert "not a valid regular expression" in message


def test_toml_syntax_error_gives_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[organisation]\nname = "x"\ncalendar = \n')
    message = refusal(path)
    assert str(path) in message
    assert "line 3" in message


def test_env_variable_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "from-env.toml", '[user]\nname = "From Env"\n')
    assert load_config(env={"AUDITUI_CONFIG": str(path)}).user.name == "From Env"


def test_path_argument_beats_the_env_variable(tmp_path: Path) -> None:
    chosen = write(tmp_path / "chosen.toml", '[user]\nname = "Chosen"\n')
    other = write(tmp_path / "other.toml", '[user]\nname = "Other"\n')
    assert load_config(chosen, env={"AUDITUI_CONFIG": str(other)}).user.name == "Chosen"


def test_env_is_os_environ_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "from-env.toml", '[user]\nname = "From Env"\n')
    monkeypatch.setenv("AUDITUI_CONFIG", str(path))
    assert load_config().user.name == "From Env"


def test_explicit_missing_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert refusal(missing) == f"Config file {missing} does not exist."
    with pytest.raises(ConfigError, match="nope.toml"):
        load_config(env={"AUDITUI_CONFIG": str(missing)})


def test_case_reference_refusal_says_the_form_in_words_with_an_example(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        "[organisation]\ncase_reference_pattern = 'CS[0-9]{6}'\ncase_reference_example = 'CS123456'\n",
    )
    organisation = load_config(path, env={}).organisation
    assert organisation.check_case_reference("CS123456") == "CS123456"
    assert organisation.check_case_reference("cs123456") == "CS123456"  # typed as read aloud
    with pytest.raises(InvalidAnswerError) as raised:
        organisation.check_case_reference("Jane Smith")
    assert raised.value.message == (
        "Case reference 'Jane Smith' is not in the form your organisation uses for case "
        "references, for example CS123456 (never the child's name); the form is set as "
        "case_reference_pattern in config.toml."
    )
    assert "[0-9]" not in raised.value.message
    with pytest.raises(InvalidAnswerError):
        organisation.check_case_reference("CS1234567")  # the whole reference must match
    default = Config().organisation
    with pytest.raises(InvalidAnswerError, match="for example C123456 \\(never the child's name"):
        default.check_case_reference("Jane Smith")


def test_default_case_reference_pattern() -> None:
    organisation = Config().organisation
    organisation.check_case_reference("CIN/2026-0042")
    for bad in ("", "x", "Jane Smith", "-leading-dash"):
        with pytest.raises(InvalidAnswerError):
            organisation.check_case_reference(bad)


def test_team_refusal_lists_the_teams(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[organisation]\nteams = ["North", "South"]\n')
    organisation = load_config(path, env={}).organisation
    organisation.check_team("North")
    with pytest.raises(InvalidAnswerError) as raised:
        organisation.check_team("East")
    assert (
        raised.value.message == "Team 'East' is not one of the organisation's teams: North, South."
    )


def test_any_team_when_none_configured() -> None:
    Config().organisation.check_team("Whatever Team")


def test_duplicate_team_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[organisation]\nteams = ["North", "north"]\n')
    assert "organisation.teams: team 'north' is listed twice" in refusal(path)


def test_default_db_path(isolated_dirs: Path, tmp_path: Path) -> None:
    assert default_db_path(env={}) == isolated_dirs / "data" / "auditui" / "auditui.db"
    assert default_db_path(env={"AUDITUI_DB": str(tmp_path / "x.db")}) == tmp_path / "x.db"


def test_every_setting_is_documented_and_checked() -> None:
    for section in dataclasses.fields(Config):
        assert section.metadata["doc"], f"[{section.name}] has no documentation"
        for setting in dataclasses.fields(section.default_factory):  # type: ignore[arg-type]
            assert setting.metadata["doc"], f"{section.name}.{setting.name} has no documentation"
            assert callable(setting.metadata["read"]), f"{section.name}.{setting.name} is unchecked"


def test_wrong_types_each_get_a_plain_message(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        """
user = "Sam"

[organisation]
name = 3
calendar = 1
teams = "North"

[sync]
target = "   "
key_file = 7
small_group_threshold = true
""",
    )
    assert refusal(path).splitlines() == [
        f"{path}: user: must be a section (a [table] of settings)",
        f"{path}: organisation.name: must be text in quotes",
        f"{path}: organisation.calendar: must be one of england-and-wales, scotland, "
        "northern-ireland",
        f'{path}: organisation.teams: must be a list, like ["Team A", "Team B"]',
        f"{path}: sync.target: must be a folder path or a postgresql:// URL (or left out)",
        f"{path}: sync.key_file: must be a file path in quotes",
        f"{path}: sync.small_group_threshold: must be a whole number",
    ]


def test_blank_names_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml", '[user]\nname = "  "\n\n[organisation]\nteams = ["A", " "]\n'
    )
    assert refusal(path).splitlines() == [
        f"{path}: user.name: must not be empty",
        f"{path}: organisation.teams (item 2): team names must not be empty",
    ]


def test_spaces_are_trimmed_and_a_relative_folder_is_the_files(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        '[user]\nname = " Sam "\n[organisation]\nteams = [" North "]\n[sync]\ntarget = "hub"\n',
    )
    config = load_config(path, env={})
    assert config.user.name == "Sam"
    assert config.organisation.teams == ("North",)
    assert config.sync.target == str(tmp_path / "hub")


def test_reading_the_config_never_imports_pydantic(
    child_env: dict[str, str], tmp_path: Path
) -> None:
    """The file is read on every start; a validation library there cost 50 ms of it."""
    path = write(tmp_path / "config.toml", '[organisation]\nteams = ["North"]\n')
    probe = (
        "import sys; from pathlib import Path; from auditui.config import load_config; "
        "load_config(Path(sys.argv[1]), env={}); print('pydantic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, env=child_env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_every_section_of_config_is_read() -> None:
    assert SECTIONS == {f.name: f.default_factory for f in dataclasses.fields(Config)}


def test_hub_sharing_and_signing_settings(tmp_path: Path, isolated_dirs: Path) -> None:
    defaults = Config().sync
    assert defaults.share_action_text is True  # the team manager must see what to do
    assert defaults.resolved_signing_key_file() == (
        isolated_dirs / "data" / "auditui" / "signing-key"
    )
    path = write(
        tmp_path / "c.toml",
        '[sync]\nshare_action_text = false\nsigning_key_file = "keys/me"\n',
    )
    config = load_config(path, env={})
    assert config.sync.share_action_text is False
    assert config.sync.resolved_signing_key_file() == tmp_path / "keys" / "me"
    bad = write(tmp_path / "bad.toml", '[sync]\nshare_action_text = "no"\n')
    assert "sync.share_action_text: must be true or false" in refusal(bad)


def test_with_no_target_sync_is_told_where_to_set_one(tmp_path: Path) -> None:
    from auditui.config import config_file_hint

    with pytest.raises(ConfigError) as raised:
        Config().sync.required_target()
    assert "[sync]" in raised.value.message
    assert str(config_file_hint()) in raised.value.message
    named = tmp_path / "org.toml"
    assert config_file_hint({"AUDITUI_CONFIG": str(named)}) == named
    assert load_config(
        write(tmp_path / "t.toml", '[sync]\ntarget = "hub"\n'), env={}
    ).sync.required_target() == str(tmp_path / "hub")


def test_keys_table_reads_binding_ids_and_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        '[keys]\napp.quit = "ctrl+q"\n"app.help" = "f1,question_mark"\nwalker.answer.yes = "Y"\n',
    )
    keymap = load_config(path, env={}).keys.keymap
    assert keymap == {
        "app.quit": "ctrl+q",
        "app.help": "f1,question_mark",
        "walker.answer.yes": "Y",
    }
    assert Config().keys.keymap == {}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('"App Quit" = "q"', "keys.App Quit: is not a binding id"),
        ('app.quit = "ctrl+no such"', "keys.app.quit: 'ctrl+no such' is not a key"),
        ('app.quit = "hyperz+q"', "keys.app.quit: 'hyperz+q' has an unknown modifier 'hyperz'"),
        ("app.quit = 3", 'keys.app.quit: must be a key in quotes, like "ctrl+q"'),
        ('app.quit = ""', "keys.app.quit: must be a key in quotes"),
    ],
)
def test_a_bad_key_or_id_is_refused_by_name(tmp_path: Path, body: str, says: str) -> None:
    assert says in refusal(write(tmp_path / "c.toml", f"[keys]\n{body}\n"))


def test_a_keys_table_of_the_wrong_shape_is_one_line(tmp_path: Path) -> None:
    assert "keys: must be a section" in refusal(write(tmp_path / "c.toml", 'keys = "q"\n'))
    many = "".join(f'k{n} = "q"\n' for n in range(300))
    assert "keys: has more than 200 entries" in refusal(
        write(tmp_path / "d.toml", f"[keys]\n{many}")
    )


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(max_size=12),
        st.text(max_size=12)
        | st.integers()
        | st.dictionaries(st.text(max_size=4), st.text(max_size=4)),
        max_size=6,
    )
)
def test_fuzzed_keys_tables_read_or_are_refused_in_one_sentence(table: dict[str, Any]) -> None:
    from auditui.config import config_from_data

    try:
        keymap = config_from_data({"keys": table}, Path("/cfg/config.toml")).keys.keymap
    except ConfigError as error:
        assert str(error).startswith("/cfg/config.toml: keys")
    else:
        assert all(isinstance(k, str) and v.strip() for k, v in keymap.items())


def test_a_reference_typed_in_lower_case_is_recorded_in_capitals_like_the_example() -> None:
    """One case must not become two by its letters: `c123456` read aloud is C123456,
    wherever it is typed (CLI, TUI, case list), when the example is in capitals."""
    from auditui.config_organisation import OrganisationConfig

    default = OrganisationConfig()
    assert default.check_case_reference("c123456") == "C123456"
    assert default.check_case_reference("Cf12/a") == "Cf12/a"  # mixed case: as typed
    lower = OrganisationConfig(case_reference_example="c-123")
    assert lower.check_case_reference("c-123") == "c-123"
