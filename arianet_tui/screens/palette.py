"""The command palette's entries: every section, and every action of the current screen."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .base import SECTION_TABS, PaletteCommand


class DashboardCommands(Provider):
    """Sections by name and number, then what the screen under the palette can do."""

    def _commands(self) -> Iterator[PaletteCommand]:
        app = self.app
        for number, (mode, title) in enumerate(SECTION_TABS, start=1):
            yield PaletteCommand(
                f"Go to {title}", f"section {number}", partial(app.switch_mode, mode)
            )
        commands = getattr(self.screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield PaletteCommand("Show activity", "writes and their outcome (key A)", self._activity)
        yield PaletteCommand("Show keys", "the keys of this screen (key ?)", self._keys)

    async def _activity(self) -> None:
        await self.app.run_action("show_activity")

    async def _keys(self) -> None:
        await self.app.run_action("show_keys")

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    command.callback,
                    text=command.title,
                    help=command.help,
                )
