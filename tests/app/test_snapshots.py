"""Snapshots of the servers section, its dialogs and the create wizard at 80x24 and 120x40.

The simulator's seed and the fake clock fix every name, address, age and countdown; cursor
blinking is off and toasts are cleared before each screenshot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.context import Services
from arianet_tui.screens.create_server import CreateServerScreen
from arianet_tui.screens.dialogs import ChoiceDialog
from arianet_tui.screens.server_detail import ServerDetailScreen
from arianet_tui.sim import SimState

from .support import loaded, running, select, settle, stopped, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[Pilot[None], SimState, FakeClock], Awaitable[None]]


@pytest.fixture
def shot(
    snap_compare: Any, make_services: Callable[..., Services], sim: SimState, clock: FakeClock
) -> Callable[..., bool]:
    def take(size: tuple[int, int], steps: Steps | None = None) -> bool:
        app = ArianetApp(make_services())

        async def run_before(pilot: Pilot[None]) -> None:
            await loaded(pilot, clock)
            if steps is not None:
                await steps(pilot, sim, clock)
            await settle(pilot, clock)
            for field in app.screen.query(Input):
                field.cursor_blink = False
            app.clear_notifications()
            await settle(pilot, clock)

        result: bool = snap_compare(app, terminal_size=size, run_before=run_before)
        return result

    return take


async def _detail(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, running(sim, protected=True).id)
    await pilot.press("enter")
    await until(pilot, clock, lambda: isinstance(pilot.app.screen, ServerDetailScreen))
    await until(pilot, clock, lambda: pilot.app.screen.plan is not None)  # type: ignore[attr-defined]


async def _restart(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, running(sim).id)
    await pilot.press("r")


async def _bulk(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, running(sim).id)
    await pilot.press("space")
    await select(pilot, clock, stopped(sim).id)
    await pilot.press("space", "f")


async def _power_off(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, running(sim).id)
    await pilot.press("f")


async def _delete(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, stopped(sim).id)
    await pilot.press("ctrl+d", *"cach")


async def _protected(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, running(sim, protected=True).id)
    await pilot.press("ctrl+d")


async def _rename(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, running(sim).id)
    await pilot.press("e", "end", *"_x")


async def _reinstall(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, running(sim).id)
    await pilot.press("i")
    await until(pilot, clock, lambda: isinstance(pilot.app.screen, ChoiceDialog))


async def _filter(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await pilot.press("slash", *"status:active eu")


def _wizard(step: int) -> Steps:
    async def steps(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
        await pilot.press("n")
        await until(pilot, clock, lambda: isinstance(pilot.app.screen, CreateServerScreen))
        wizard = pilot.app.screen
        assert isinstance(wizard, CreateServerScreen)
        await until(pilot, clock, lambda: wizard.regions)
        if step >= 1:
            await pilot.press("enter")
            await until(pilot, clock, lambda: wizard.plans)
        if step >= 4:
            await pilot.press("enter", "enter", *"web-9", "enter")
        await settle(pilot, clock)

    return steps


async def _activity(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await select(pilot, clock, stopped(sim).id)
    await pilot.press("o")
    await until(pilot, clock, lambda: pilot.app.services.journal.entries)  # type: ignore[attr-defined]
    await until(pilot, clock, lambda: pilot.app.services.journal.entries[-1].finished)  # type: ignore[attr-defined]
    await pilot.press("A")


async def _keys(pilot: Pilot[None], sim: SimState, clock: FakeClock) -> None:
    await pilot.press("question_mark")


@pytest.mark.parametrize("size", SIZES)
def test_servers_list(shot: Callable[..., bool], size: tuple[int, int]) -> None:
    assert shot(size)


@pytest.mark.parametrize("size", SIZES)
def test_server_detail(shot: Callable[..., bool], size: tuple[int, int]) -> None:
    assert shot(size, _detail)


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param(_restart, id="restart"),
        pytest.param(_bulk, id="bulk-power-off"),
        pytest.param(_power_off, id="power-off"),
        pytest.param(_delete, id="delete"),
        pytest.param(_protected, id="delete-protected"),
        pytest.param(_rename, id="rename-invalid"),
        pytest.param(_reinstall, id="reinstall-os"),
        pytest.param(_filter, id="filter"),
    ],
)
@pytest.mark.parametrize("size", SIZES)
def test_dialogs(shot: Callable[..., bool], size: tuple[int, int], steps: Steps) -> None:
    assert shot(size, steps)


@pytest.mark.parametrize("step", [0, 1, 4], ids=["region", "plan", "summary"])
@pytest.mark.parametrize("size", SIZES)
def test_create_wizard(shot: Callable[..., bool], size: tuple[int, int], step: int) -> None:
    assert shot(size, _wizard(step))


def test_activity_panel(shot: Callable[..., bool]) -> None:
    assert shot((80, 24), _activity)


def test_keys_help(shot: Callable[..., bool]) -> None:
    assert shot((80, 24), _keys)
