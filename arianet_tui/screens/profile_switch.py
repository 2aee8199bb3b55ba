"""Switching profile in the running app: the palette entries and the screen in between."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, cast

from rich.text import Text
from textual.app import App, ComposeResult
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widgets import Static

from .context import Services

SWITCHING_MODE = "profile-switching"


class ProfileError(Exception):
    """A profile cannot be opened; the message says why and what to do about it."""


@dataclass(frozen=True)
class ProfileSwitch:
    """The profiles of the config file, and how to build the services of one of them.

    ``build`` raises :class:`ProfileError` (or an ``ArianetError``) when it cannot.
    """

    names: tuple[str, ...]
    build: Callable[[str], Services]


class ProfileHost(Protocol):
    """The part of the app the profile entries use."""

    profile_switch: ProfileSwitch | None

    @property
    def profile(self) -> str | None:
        """The profile in use, None for the settings without one."""
        ...

    def switch_profile(self, name: str) -> None:
        """Rebuild the services and the sections for profile ``name``."""
        ...


class SwitchingScreen(Screen[None]):
    """What shows while the sections are rebuilt: for another profile, or after log out."""

    DEFAULT_CSS = """
    SwitchingScreen {
        align: center middle;
    }
    SwitchingScreen > Static {
        width: auto;
    }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(Text(self.message))


async def show_switching(app: App[Any], message: str) -> None:
    """Leave the sections for a plain screen that says what is on its way."""
    app.add_mode(SWITCHING_MODE, partial(SwitchingScreen, message))
    await app.switch_mode(SWITCHING_MODE)


async def reset_modes(app: App[Any], modes: Mapping[str, Any]) -> None:
    """Drop every section with the screens above it; each is built again when next shown."""
    for mode, screen in modes.items():
        await app.remove_mode(mode)
        app.add_mode(mode, screen)


async def leave_switching(app: App[Any]) -> None:
    """Forget the in-between screen once a section is current again."""
    await app.remove_mode(SWITCHING_MODE)


class ProfileCommands(Provider):
    """One palette entry per profile of the config file."""

    def _entries(self) -> Iterator[tuple[str, str, Callable[[], None]]]:
        host = cast(ProfileHost, self.app)
        switch = getattr(self.app, "profile_switch", None)
        if switch is None:
            return
        for name in switch.names:
            if name == host.profile:
                yield f"Profile: {name}", "the profile in use", lambda: None
            else:
                help_text = "switch to it: reconnect and reload every section"
                yield f"Profile: {name}", help_text, partial(host.switch_profile, name)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
