"""Organisation and user settings, from an optional TOML file.

auditui must run with no configuration at all: an auditor on a locked-down
laptop gets working defaults (England and Wales bank holidays, a folder hub
in their own data directory, evidence text kept local). An organisation
that wants more (its nation's calendar, its case-reference format, its team
names, a shared hub) writes one small ``config.toml``.

The file is found in this order: the ``--config`` path, the ``AUDITUI_CONFIG``
environment variable, then ``config.toml`` in the user config directory. A
file named explicitly must exist; the default one may be absent. Every
mistake in the file is reported at once, each as ``file: section.key: what
is wrong`` in plain words, because the person editing it is a QA lead, not a
developer.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from auditui.domain.working_days import CALENDARS, DEFAULT_CALENDAR, CalendarName
from auditui.errors import ConfigError, InvalidAnswerError

APP_NAME = "auditui"
CONFIG_ENV = "AUDITUI_CONFIG"
DB_ENV = "AUDITUI_DB"
CONFIG_FILE_NAME = "config.toml"

DEFAULT_CASE_REFERENCE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9/_-]{1,39}"


def default_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    return default_config_dir() / CONFIG_FILE_NAME


def default_data_dir() -> Path:
    """Where auditui keeps its database, folder hub and hub key unless told otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """``AUDITUI_DB`` if set, else ``auditui.db`` in the user data directory."""
    env = os.environ if env is None else env
    if value := env.get(DB_ENV, "").strip():
        return Path(value).expanduser()
    return default_data_dir() / "auditui.db"


def default_hub_dir() -> Path:
    """The folder hub used when ``sync.target`` is not set."""
    return default_data_dir() / "hub"


def default_key_file() -> Path:
    """The pseudonymisation key used when ``sync.key_file`` is not set."""
    return default_data_dir() / "hub-key"


def _login_name() -> str:
    try:
        return getpass.getuser() or "auditor"
    except Exception:  # no login name at all (some containers, some Windows services)
        return "auditor"


def _resolve_path(value: Path, info: ValidationInfo) -> Path:
    """``~`` expanded; a relative path taken from the config file's own folder."""
    value = value.expanduser()
    base = (info.context or {}).get("base_dir")
    if not value.is_absolute() and base is not None:
        value = Path(base) / value
    return value


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class UserConfig(_Section):
    """``[user]``: the person at the keyboard."""

    name: str = Field(default_factory=_login_name, min_length=1)
    """Recorded as the auditor and in the answer history; defaults to the login name."""

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value


class OrganisationConfig(_Section):
    """``[organisation]``: settings a QA lead sets once for every auditor."""

    name: str = ""
    """The organisation's name, shown in reports and exports."""

    calendar: CalendarName = DEFAULT_CALENDAR
    """Whose bank holidays count when working out due dates: england-and-wales,
    scotland or northern-ireland."""

    case_reference_pattern: str = DEFAULT_CASE_REFERENCE_PATTERN
    """A regular expression the whole case reference must match, so references
    follow the recording system's format (and a child's name is not typed
    there by mistake)."""

    teams: tuple[str, ...] = ()
    """The team names auditors may choose from; empty means any name is accepted."""

    @field_validator("case_reference_pattern")
    @classmethod
    def _pattern_compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"is not a valid regular expression ({error})") from None
        return value

    @field_validator("teams")
    @classmethod
    def _teams_distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        teams = tuple(team.strip() for team in value)
        if any(not team for team in teams):
            raise ValueError("team names must not be empty")
        seen: set[str] = set()
        for team in teams:
            if team.casefold() in seen:
                raise ValueError(f"team {team!r} is listed twice")
            seen.add(team.casefold())
        return teams

    def check_case_reference(self, reference: str) -> None:
        """Refuse a case reference that does not fully match ``case_reference_pattern``."""
        if re.fullmatch(self.case_reference_pattern, reference) is None:
            raise InvalidAnswerError(
                f"Case reference '{reference}' does not match the organisation's pattern "
                f"{self.case_reference_pattern}."
            )

    def check_team(self, team: str) -> None:
        """Refuse a team not in ``teams`` (any team is fine when none are configured)."""
        if self.teams and team not in self.teams:
            raise InvalidAnswerError(
                f"Team '{team}' is not one of the organisation's teams: {', '.join(self.teams)}."
            )


class SyncConfig(_Section):
    """``[sync]``: where graded results go and what leaves this machine."""

    target: str | None = None
    """A folder (a shared drive, for a team) or a postgresql:// URL; unset means
    the folder hub in the user data directory."""

    share_evidence_text: bool = Field(default=False, strict=True)
    """Send free-text evidence notes to the hub. Off by default: notes can
    describe a child and stay on this machine unless the organisation decides."""

    key_file: Path | None = None
    """The secret key that pseudonymises case references sent to the hub; unset
    means ``hub-key`` in the user data directory, made on first use."""

    small_group_threshold: int = Field(default=5, ge=1, strict=True)
    """Hub reports hide any group with fewer audits than this, so a small team's
    figures cannot point to one child or one worker."""

    @field_validator("target")
    @classmethod
    def _target_is_folder_or_postgres(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("must be a folder path or a postgresql:// URL (or left out)")
        if "://" in value:
            if not value.startswith(("postgresql://", "postgres://")):
                raise ValueError("must be a folder path or a postgresql:// URL")
            return value
        return str(_resolve_path(Path(value), info))

    @field_validator("key_file")
    @classmethod
    def _key_file_path(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return None if value is None else _resolve_path(value, info)

    def resolved_target(self) -> str:
        """``target``, or the default folder hub's path when it is unset."""
        return self.target if self.target is not None else str(default_hub_dir())

    def resolved_key_file(self) -> Path:
        """``key_file``, or the default key's path when it is unset."""
        return self.key_file if self.key_file is not None else default_key_file()


class Config(_Section):
    """Everything ``config.toml`` can say; every setting has a default."""

    user: UserConfig = Field(default_factory=UserConfig)
    """The person at the keyboard."""

    organisation: OrganisationConfig = Field(default_factory=OrganisationConfig)
    """Settings shared by every auditor in the organisation."""

    sync: SyncConfig = Field(default_factory=SyncConfig)
    """Where graded results go, and what is shared."""


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The configuration from ``path``, else ``AUDITUI_CONFIG``, else the default file.

    Defaults throughout when the default file does not exist. Raises
    ``ConfigError`` when a named file is missing or unreadable, is not valid
    TOML (the message gives the line and column), or breaks a rule (one line
    per problem).
    """
    env = os.environ if env is None else env
    explicit = True
    if path is None:
        if value := env.get(CONFIG_ENV, "").strip():
            path = Path(value)
        else:
            path = default_config_path()
            explicit = False
    path = path.expanduser()
    if not path.exists():
        if explicit:
            raise ConfigError(f"Config file {path} does not exist.")
        return Config()
    data = _read_toml(path)
    try:
        return Config.model_validate(data, context={"base_dir": path.parent})
    except ValidationError as error:
        raise ConfigError("\n".join(_problems(path, error))) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8 text.") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(f"Could not read config file {path}: {reason}.") from None


def _problems(path: Path, error: ValidationError) -> list[str]:
    return [
        f"{path}: {_location(problem['loc'])}: {_plain_message(problem)}"
        for problem in error.errors(include_url=False)
    ]


def _location(loc: tuple[int | str, ...]) -> str:
    """``organisation.teams (item 3)``: dotted keys, list positions counted from 1."""
    keys = ".".join(str(part) for part in loc if isinstance(part, str))
    items = [part for part in loc if isinstance(part, int)]
    if items:
        keys += f" (item {items[-1] + 1})"
    return keys or "(top level)"


_TYPE_MESSAGES = {
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing": "must be a whole number",
    "tuple_type": 'must be a list, like ["Team A", "Team B"]',
    "list_type": 'must be a list, like ["Team A", "Team B"]',
    "model_type": "must be a section (a [table] of settings)",
    "model_attributes_type": "must be a section (a [table] of settings)",
    "dict_type": "must be a section (a [table] of settings)",
    "path_type": "must be a file path in quotes",
    "missing": "is required",
}


def _plain_message(problem: Any) -> str:
    kind = problem["type"]
    ctx = problem.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown section" if isinstance(problem["input"], dict) else "unknown setting"
    if kind == "literal_error":
        if problem["loc"][-1:] == ("calendar",):
            return f"must be one of {', '.join(CALENDARS)}"
        return "must be one of " + str(ctx.get("expected", "")).replace("'", "").replace(
            " or ", ", "
        )
    if kind == "value_error":
        return str(ctx.get("error", problem["msg"]))
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind in ("string_too_short", "too_short") and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    message = str(problem["msg"])
    return message[:1].lower() + message[1:]
