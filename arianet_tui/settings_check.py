"""The settings only the UI can judge: theme names and the binding ids of the keymap."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.theme import BUILTIN_THEMES

from .settings_file import ConfigError
from .settings_load import LoadedSettings


@dataclass(frozen=True)
class BindingInfo:
    """One remappable binding: its id, default keys, what it does and where it works."""

    id: str
    keys: str
    description: str
    where: str


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    sub: type[Any]
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@cache
def known_bindings() -> dict[str, BindingInfo]:
    """Every binding with an id in the dashboard's screens and widgets, by id."""
    from . import screens, widgets

    importlib.import_module(".app", __package__)
    for package in (screens, widgets):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found: dict[str, BindingInfo] = {}
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("arianet_tui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id and binding.id not in found:
                found[binding.id] = BindingInfo(
                    binding.id,
                    binding.key,
                    binding.tooltip or binding.description or binding.action,
                    cls.__name__,
                )
    return found


def check_keymap(loaded: LoadedSettings) -> None:
    """Refuse a keymap entry for a binding the dashboard does not have, or without keys, or
    one that takes a key from another binding of the same screen."""
    keymap = loaded.settings.keymap
    if not keymap:
        # Nothing remapped, nothing to check: finding the bindings imports every screen.
        return
    known = known_bindings()
    for binding_id, keys in keymap.items():
        if binding_id in known:
            if not keys.strip():
                where = loaded.where("keymap", binding_id)
                raise ConfigError(f'{where}: keymap "{binding_id}" has no keys')
            continue
        close = difflib.get_close_matches(binding_id, known, n=1)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        raise ConfigError(
            f'{loaded.where("keymap", binding_id)}: unknown binding id "{binding_id}" in '
            f"[keymap]; {hint}arianet-tui config keys lists them"
        )
    _check_clashes(loaded, known)


def _check_clashes(loaded: LoadedSettings, known: dict[str, BindingInfo]) -> None:
    keymap = loaded.settings.keymap
    taken: dict[tuple[str, str], str] = {}
    for info in known.values():
        for key in keymap.get(info.id, info.keys).split(","):
            other = taken.setdefault((info.where, key.strip()), info.id)
            if other == info.id or (other not in keymap and info.id not in keymap):
                continue
            remapped = info.id if info.id in keymap else other
            raise ConfigError(
                f'{loaded.where("keymap", remapped)}: [keymap] gives "{key.strip()}" to both '
                f'"{other}" and "{info.id}"; give one of them another key'
            )


def check_themes(loaded: LoadedSettings) -> None:
    """Refuse a theme Textual does not have, in the settings and in every profile."""
    _check_theme(loaded.settings.theme, loaded.where("theme"))
    for name, table in loaded.config.profiles.items():
        if "theme" in table:
            _check_theme(table["theme"], loaded.config.where("profiles", name, "theme"))


def _check_theme(theme: str, where: str) -> None:
    if theme in BUILTIN_THEMES:
        return
    close = difflib.get_close_matches(theme, BUILTIN_THEMES, n=1)
    hint = f'did you mean "{close[0]}"?' if close else "themes: " + ", ".join(BUILTIN_THEMES)
    raise ConfigError(f'{where}: unknown theme "{theme}"; {hint}')


def check_ui_settings(loaded: LoadedSettings) -> None:
    """Theme names and keymap ids; raises :class:`ConfigError`."""
    check_themes(loaded)
    check_keymap(loaded)
