"""The user's ``[keys]`` (config.toml) checked against the app's own bindings.

Every ``Binding`` in the app has an id (``app.quit``, ``walker.next``...), so
a user keymap is Textual's ``App.set_keymap`` of id to keys. The config file
is read by the core, which knows no screens; here, where the bindings are,
an id no binding has is refused by name before the app starts, rather than
silently doing nothing.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping

from textual.binding import Binding
from textual.dom import DOMNode

from auditui.errors import ConfigError


def _subclasses(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def app_bindings() -> dict[str, Binding]:
    """Every binding with an id declared by the app, its screens and widgets."""
    import auditui.tui
    import auditui.tui.app
    import auditui.tui.screens
    import auditui.tui.widgets

    for package in (auditui.tui.screens, auditui.tui.widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    found: dict[str, Binding] = {}
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("auditui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id is not None:
                found.setdefault(binding.id, binding)
    return found


def checked_keymap(keymap: Mapping[str, str], source: str) -> dict[str, str]:
    """``keymap`` when every id names a binding; else ``ConfigError`` naming the unknown ones."""
    if not keymap:
        return {}
    known = app_bindings()
    unknown = [binding_id for binding_id in keymap if binding_id not in known]
    if unknown:
        raise ConfigError(
            f"{source}: [keys]: no action has the id {', '.join(unknown)}; the ids are listed "
            f"in ? help (e.g. {', '.join(sorted(known)[:3])})."
        )
    return dict(keymap)
