"""``[user]`` and ``[organisation]`` in config.toml: who is auditing, and the words they use.

The organisation's own vocabulary lives here: its case-reference format, its
teams, the themes its findings are recorded against and the people who
audit and moderate. Each list is checked by a reader in ``config_readers``
and refuses a value outside it in one sentence that names the list, so an
auditor never has to open the file to find the right word. ``config.py``
reads the file and re-exports these classes.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass, field

from auditui.config_readers import a_pattern, name_list, one_of, setting, team_names, text
from auditui.domain.working_days import CALENDARS, DEFAULT_CALENDAR, CalendarName
from auditui.errors import InvalidAnswerError

DEFAULT_CASE_REFERENCE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9/_-]{1,39}"

DEFAULT_THEMES: tuple[str, ...] = (
    "Voice of the child",
    "SMART planning",
    "Contingency planning",
    "Risk assessment",
    "Management oversight",
    "Reflective supervision",
    "Chronology and genogram",
    "Partnership working",
    "Drift and delay",
    "Recording quality",
)
"""The practice themes the councils' audit tools and QA reports name (see the shared
domain notes): what a strength or an area for development is about."""

MAX_THEMES = 60
MAX_THEME_LENGTH = 60
MAX_AUDITORS = 2000
MAX_NAME_LENGTH = 100


def _shown(typed: str) -> str:
    """What was typed, fit for a one-line message: trimmed, short, no control characters."""
    return "".join(c if c.isprintable() else "?" for c in typed.strip()[:MAX_NAME_LENGTH])


def _login_name() -> str:
    try:
        return getpass.getuser() or "auditor"
    except Exception:  # no login name at all (some containers, some Windows services)
        return "auditor"


@dataclass(frozen=True)
class UserConfig:
    """``[user]``: the person at the keyboard."""

    name: str = field(
        default_factory=_login_name,
        metadata=setting(
            "Recorded as the auditor and in the answer history; defaults to the login name.",
            text(stripped=True, required=True),
        ),
    )


@dataclass(frozen=True)
class OrganisationConfig:
    """``[organisation]``: settings a QA lead sets once for every auditor."""

    name: str = field(
        default="",
        metadata=setting("The organisation's name, shown in reports and exports.", text()),
    )
    calendar: CalendarName = field(
        default=DEFAULT_CALENDAR,
        metadata=setting(
            """Whose bank holidays count when working out due dates: england-and-wales,
            scotland or northern-ireland.""",
            one_of(CALENDARS),
        ),
    )
    case_reference_pattern: str = field(
        default=DEFAULT_CASE_REFERENCE_PATTERN,
        metadata=setting(
            """A regular expression the whole case reference must match, so references
            follow the recording system's format (and a child's name is not typed
            there by mistake).""",
            a_pattern,
        ),
    )
    case_reference_example: str = field(
        default="",
        metadata=setting(
            """A reference in the recording system's format (C123456, say), shown when a
            typed reference is refused, so nobody has to read the pattern.""",
            text(stripped=True),
        ),
    )
    teams: tuple[str, ...] = field(
        default=(),
        metadata=setting(
            "The team names auditors may choose from; empty means any name is accepted.",
            team_names,
        ),
    )
    themes: tuple[str, ...] = field(
        default=DEFAULT_THEMES,
        metadata=setting(
            f"""The practice themes an audit's strengths and areas for development are
            recorded against (at most {MAX_THEMES}, each up to {MAX_THEME_LENGTH}
            characters); reports count the themes raised most often. The default is
            {", ".join(DEFAULT_THEMES)}.""",
            name_list("theme", MAX_THEMES, MAX_THEME_LENGTH, required=True),
        ),
    )
    auditors: tuple[str, ...] = field(
        default=(),
        metadata=setting(
            """The names of the organisation's auditors and moderators, as they are
            recorded on audits; empty means any name is accepted.""",
            name_list("auditor", MAX_AUDITORS, MAX_NAME_LENGTH),
        ),
    )

    def check_case_reference(self, reference: str) -> str:
        """The case reference as the organisation writes it, or a refusal in words.

        A reference typed in lower case is taken in upper case when only that
        matches (``c123456`` for ``C[0-9]{6}``), or when the organisation's example
        is in capitals (``C123456``, the default) and the pattern takes it: people
        type what they read aloud, and one case must not become two by its letters.
        """
        example = self.case_reference_example or "C123456"
        capitals_first = reference == reference.lower() != reference.upper() and (
            example == example.upper()
        )
        order = (reference.upper(), reference) if capitals_first else (reference, reference.upper())
        for candidate in order:
            if re.fullmatch(self.case_reference_pattern, candidate) is not None:
                return candidate
        if self.case_reference_pattern == DEFAULT_CASE_REFERENCE_PATTERN:
            form = "letters and digits (and / _ -), 2 to 40 characters with no spaces"
            example = self.case_reference_example or "C123456"
            raise InvalidAnswerError(
                f"Case reference '{reference}' is not a reference from the recording system: "
                f"use {form}, for example {example} (never the child's name)."
            )
        example = (
            f", for example {self.case_reference_example}" if self.case_reference_example else ""
        )
        raise InvalidAnswerError(
            f"Case reference '{reference}' is not in the form your organisation uses for "
            f"case references{example} (never the child's name); the form is set as "
            "case_reference_pattern in config.toml."
        )

    def check_team(self, team: str) -> None:
        """Refuse a team not in ``teams`` (any team is fine when none are configured)."""
        if self.teams and team not in self.teams:
            raise InvalidAnswerError(
                f"Team '{team}' is not one of the organisation's teams: {', '.join(self.teams)}."
            )

    def theme_named(self, theme: str) -> str:
        """The theme as the organisation spells it (any letter case typed), or a refusal
        listing the themes."""
        wanted = theme.strip().casefold()
        for known in self.themes:
            if known.casefold() == wanted:
                return known
        shown = _shown(theme)
        raise InvalidAnswerError(
            f"Theme '{shown}' is not one of the organisation's themes: "
            f"{', '.join(self.themes)} (set as themes in the [organisation] section of "
            "config.toml)."
        )

    def check_auditor(self, name: str) -> None:
        """Refuse a name not in ``auditors`` (any name is fine when none are configured)."""
        if not self.auditors:
            return
        if name.strip().casefold() in {known.casefold() for known in self.auditors}:
            return
        shown = ", ".join(self.auditors[:20])
        if len(self.auditors) > 20:
            shown += f" and {len(self.auditors) - 20} more"
        raise InvalidAnswerError(
            f"'{_shown(name)}' is not one of the organisation's auditors "
            f"and moderators ({shown}); they are listed as auditors in the [organisation] "
            "section of config.toml."
        )
