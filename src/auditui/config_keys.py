"""``[keys]`` in config.toml: a user's own keys for the app's actions.

Every binding in the app has an id, so a user can move any action to another
key without the app knowing the keys in advance; the table is checked here
(ids and key names) and handed to Textual's ``set_keymap`` by the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditui.config_readers import a_keymap, setting


@dataclass(frozen=True)
class KeysConfig:
    """``[keys]``: the user's own keys, by binding id (``app.quit = "ctrl+q"``)."""

    bindings: tuple[tuple[str, str], ...] = field(
        default=(),
        metadata=setting(
            """The whole table: binding id = keys (``app.quit = "ctrl+q"``, several keys as
            ``"f2,ctrl+s"``); ? help lists each screen's actions. The app refuses an id no
            action has, by name, and hands the rest to Textual's ``set_keymap``.""",
            a_keymap,
        ),
    )

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.bindings)
