"""The command palette offers whatever the current screen can do.

Every action a screen has is a ``Binding`` with a description and a
tooltip, so the palette, the footer and the help screen all read the same
list and can never disagree about what a key does.
"""

from __future__ import annotations

from functools import partial

from textual.binding import ActiveBinding
from textual.command import DiscoveryHit, Hit, Hits, Provider


def screen_actions(bindings: dict[str, ActiveBinding]) -> list[tuple[str, ActiveBinding]]:
    """(title, binding) for each enabled, described binding, once per action."""
    seen: set[tuple[int, str]] = set()
    found = []
    for key, active in bindings.items():
        binding = active.binding
        if not active.enabled or not binding.description or binding.system or binding.id is None:
            continue
        marker = (id(active.node), binding.action)
        if marker in seen:
            continue
        seen.add(marker)
        display = binding.key_display or key
        found.append((f"{binding.description} ({display})", active))
    return found


class ScreenActionsProvider(Provider):
    """Commands for every action of the screen the palette was opened on."""

    def _commands(self) -> list[tuple[str, ActiveBinding]]:
        return screen_actions(self.screen.active_bindings)

    async def discover(self) -> Hits:
        for title, active in self._commands():
            yield DiscoveryHit(
                title,
                partial(self.app.run_action, active.binding.action, active.node),
                help=active.binding.tooltip,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, active in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, active.binding.action, active.node),
                    help=active.binding.tooltip,
                )
