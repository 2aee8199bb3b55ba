"""Every section of this package on the hostile account: names are shown, never obeyed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.context import Services
from arianet_tui.sim import World

from ..support import settle, until
from .support import SECTION_KEYS, TABLES, section


@pytest.fixture
def world(clock: FakeClock) -> World:
    return World.hostile(seed=7, servers=24, clock=clock)


async def visit(pilot: Pilot[None], clock: FakeClock, name: str, key: str) -> Any:
    """Press a section's key and wait for its main table to fill."""
    await pilot.press(key)
    await until(pilot, clock, lambda: pilot.app.current_mode == name)
    screen = section(pilot.app)
    await until(pilot, clock, lambda: screen.query_one(TABLES[name]).visible_keys)
    return screen


async def test_hostile_names_stay_literal_in_every_section(
    make_services: Callable[..., Services], clock: FakeClock
) -> None:
    app = ArianetApp(make_services())
    escaped: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, clock, lambda: app.current_mode == "servers")
        for name, key in SECTION_KEYS.items():
            screen = await visit(pilot, clock, name, key)
            await settle(pilot, clock)
            await pilot.press("enter")
            await settle(pilot, clock)
            await pilot.press("escape")
            await settle(pilot, clock)

            assert app.is_running
            grid = screen.query_one(TABLES[name]).grid
            cells = [str(c) for row in range(grid.row_count) for c in grid.get_row_at(row)]
            panels = [str(panel.render()) for panel in screen.query(Static)]
            for text in cells + panels:
                assert "\x1b" not in text and "\u202e" not in text
            escaped += [text for text in cells if "\\x1b" in text]
    # The escapes were there, and were shown as visible text.
    assert escaped
