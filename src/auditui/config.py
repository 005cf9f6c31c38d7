"""Organisation and user settings, from an optional TOML file.

auditui must run with no configuration at all: an auditor on a locked-down
laptop gets working defaults (England and Wales bank holidays, a folder hub
in their own data directory, evidence text kept local). An organisation
that wants more (its nation's calendar, its case-reference format, its team
names and themes, a shared hub) writes one small ``config.toml``. The
``[user]`` and ``[organisation]`` sections are declared in
``config_organisation``, ``[keys]`` in ``config_keys``.

The file is found in this order: the ``--config`` path, the ``AUDITUI_CONFIG``
environment variable, then ``config.toml`` in the user config directory. A
file named explicitly must exist; the default one may be absent. Every
mistake in the file is reported at once, each as ``file: section.key: what
is wrong`` in plain words, because the person editing it is a QA lead, not a
developer.

Each setting is declared once, on its dataclass field: its default, its
documentation and the reader that checks it (``config_readers``). The file
is read on every start, so this stays plain Python: TOML has already typed
every value, nine settings need only a type check and a rule or two each,
and the messages are written in the QA lead's words, not translated from a
validation library's (pydantic made up a fifth of the TUI's start-up here).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from auditui.config_keys import KeysConfig
from auditui.config_organisation import (
    DEFAULT_CASE_REFERENCE_PATTERN,
    DEFAULT_THEMES,
    OrganisationConfig,
    UserConfig,
)
from auditui.config_readers import (
    Problem,
    a_bool,
    a_keymap,
    a_path,
    a_target,
    a_whole_number,
    setting,
)
from auditui.errors import ConfigError

APP_NAME = "auditui"
CONFIG_ENV = "AUDITUI_CONFIG"
DB_ENV = "AUDITUI_DB"
CONFIG_FILE_NAME = "config.toml"

__all__ = [
    "APP_NAME",
    "DEFAULT_CASE_REFERENCE_PATTERN",
    "DEFAULT_THEMES",
    "SECTIONS",
    "Config",
    "OrganisationConfig",
    "SyncConfig",
    "UserConfig",
    "config_file_hint",
    "config_from_data",
    "default_config_dir",
    "default_config_path",
    "default_data_dir",
    "default_db_path",
    "default_key_file",
    "default_signing_key_file",
    "load_config",
]


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


def default_key_file() -> Path:
    """The pseudonymisation key used when ``sync.key_file`` is not set."""
    return default_data_dir() / "hub-key"


def default_signing_key_file() -> Path:
    """This machine's signing key for folder hubs, when ``sync.signing_key_file`` is not set."""
    return default_data_dir() / "signing-key"


def config_file_hint(env: Mapping[str, str] | None = None) -> Path:
    """The config file a user should edit: ``AUDITUI_CONFIG`` if set, else the default one."""
    env = os.environ if env is None else env
    if value := env.get(CONFIG_ENV, "").strip():
        return Path(value).expanduser()
    return default_config_path()


@dataclass(frozen=True)
class SyncConfig:
    """``[sync]``: where graded results go and what leaves this machine."""

    target: str | None = field(
        default=None,
        metadata=setting(
            """The hub: a folder made a hub with ``auditui hub init`` (a shared drive, for a
            team) or a postgresql:// URL. Unset means no hub: sync says so and sends nothing.""",
            a_target,
        ),
    )
    share_evidence_text: bool = field(
        default=False,
        metadata=setting(
            """Send free-text evidence notes to the hub. Off by default: notes can
            describe a child and stay on this machine unless the organisation decides.""",
            a_bool,
        ),
    )
    key_file: Path | None = field(
        default=None,
        metadata=setting(
            """The secret key that pseudonymises case references sent to the hub; unset
            means ``hub-key`` in the user data directory, made on first use.""",
            a_path,
        ),
    )
    share_action_text: bool = field(
        default=True,
        metadata=setting(
            """Send action texts to the hub, so a team manager's board over the hub says what
            is to be done. Set false to keep them on this machine (the board then shows
            the action without its text).""",
            a_bool,
        ),
    )
    signing_key_file: Path | None = field(
        default=None,
        metadata=setting(
            """This machine's own key that signs what it writes to a folder hub; unset means
            ``signing-key`` in the user data directory, made on first use. Never copy it to
            another machine.""",
            a_path,
        ),
    )
    small_group_threshold: int = field(
        default=5,
        metadata=setting(
            """Hub reports hide any group with fewer audits than this, so a small team's
            figures cannot point to one child or one worker.""",
            a_whole_number(at_least=1),
        ),
    )

    def hub_to_read(self) -> str:
        """``target`` for the screens that read a hub; ``ConfigError`` saying where to set it."""
        if self.target is None:
            raise ConfigError(
                "No hub is configured, so there is no hub to read. "
                f"Set target in the [sync] section of {config_file_hint()} to your team's "
                "folder hub or a postgresql:// URL."
            )
        return self.target

    def resolved_key_file(self) -> Path:
        """``key_file``, or the default key's path when it is unset."""
        return self.key_file if self.key_file is not None else default_key_file()

    def resolved_signing_key_file(self) -> Path:
        """``signing_key_file``, or the default signing key's path when it is unset."""
        if self.signing_key_file is not None:
            return self.signing_key_file
        return default_signing_key_file()

    def required_target(self) -> str:
        """``target``; ``ConfigError`` saying where to set it when no hub is configured."""
        if self.target is None:
            raise ConfigError(
                "No hub is configured, so nothing was sent (results wait in the outbox). "
                f"Set target in the [sync] section of {config_file_hint()} to your team's "
                "folder hub (made with: auditui hub init DIR) or a postgresql:// URL, "
                "or pass --target."
            )
        return self.target


@dataclass(frozen=True)
class Config:
    """Everything ``config.toml`` can say; every setting has a default."""

    user: UserConfig = field(
        default_factory=UserConfig, metadata={"doc": "The person at the keyboard."}
    )
    organisation: OrganisationConfig = field(
        default_factory=OrganisationConfig,
        metadata={"doc": "Settings shared by every auditor in the organisation."},
    )
    sync: SyncConfig = field(
        default_factory=SyncConfig, metadata={"doc": "Where graded results go, and what is shared."}
    )
    keys: KeysConfig = field(
        default_factory=KeysConfig, metadata={"doc": "Your own keys for the app's actions."}
    )


SECTIONS: dict[str, type[Any]] = {
    "user": UserConfig,
    "organisation": OrganisationConfig,
    "sync": SyncConfig,
    "keys": KeysConfig,
}
"""Each ``[section]`` of the file and the settings class it fills (``Config``'s fields)."""


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
    return config_from_data(_read_toml(path), path)


def config_from_data(data: Mapping[str, Any], path: Path) -> Config:
    """The settings in ``data`` (a parsed file at ``path``), or ``ConfigError`` naming each
    problem; relative paths in it are taken from ``path``'s folder."""
    problems: list[str] = []
    sections: dict[str, Any] = {}
    for name, settings_class in SECTIONS.items():
        if name not in data:
            continue
        if not isinstance(data[name], dict):
            problems.append(f"{path}: {name}: must be a section (a [table] of settings)")
            continue
        if settings_class is KeysConfig:  # its names are binding ids, not declared settings
            try:
                sections[name] = KeysConfig(a_keymap(data[name], path.parent))
            except Problem as problem:
                problems.append(f"{path}: {name}{problem.where}: {problem.message}")
            continue
        values, found = _read_section(settings_class, name, data[name], path.parent)
        sections[name] = settings_class(**values)
        problems += [f"{path}: {where}: {message}" for where, message in found]
    for name in data:
        if name not in SECTIONS:
            problems.append(f"{path}: {name}: unknown section")
    if problems:
        raise ConfigError("\n".join(problems))
    return Config(**sections)


def _read_section(
    settings_class: type[Any], section: str, table: Mapping[str, Any], base_dir: Path
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    declared = {f.name: f for f in fields(settings_class)}
    for name, declared_field in declared.items():
        if name not in table:
            continue
        try:
            values[name] = declared_field.metadata["read"](table[name], base_dir)
        except Problem as problem:
            problems.append((f"{section}.{name}{problem.where}", problem.message))
    problems += [(f"{section}.{name}", "unknown setting") for name in table if name not in declared]
    return values, problems


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
