"""Themes, colour and calm terminals: snapshots at 80x24 in a light theme, with a production
profile and under NO_COLOR; the palette's theme picker; no animations over SSH."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.command import CommandList
from textual.pilot import Pilot

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.context import Services

from .support import loaded, settle, until


@pytest.fixture
def shot(snap_compare: Any, clock: FakeClock) -> Callable[[ArianetApp], bool]:
    def take(app: ArianetApp) -> bool:
        async def run_before(pilot: Pilot[None]) -> None:
            await loaded(pilot, clock)
            app.clear_notifications()
            await settle(pilot, clock)

        result: bool = snap_compare(app, terminal_size=(80, 24), run_before=run_before)
        return result

    return take


def test_servers_in_a_light_theme(
    shot: Callable[[ArianetApp], bool], make_services: Callable[..., Services]
) -> None:
    assert shot(ArianetApp(make_services(theme="textual-light")))


def test_a_production_profile_shows_a_red_band(
    shot: Callable[[ArianetApp], bool], make_services: Callable[..., Services]
) -> None:
    services = make_services(theme="nord", profile="prod", production=True)
    services.demo = False
    assert shot(ArianetApp(services))


def test_no_color_is_honoured(
    shot: Callable[[ArianetApp], bool],
    make_services: Callable[..., Services],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = ArianetApp(make_services())
    assert app.no_color
    assert shot(app)


async def test_the_palette_picks_any_theme(services: Services, clock: FakeClock) -> None:
    app = ArianetApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        assert app.theme == "textual-dark"

        await pilot.press("ctrl+p", *"theme")
        await until(pilot, clock, lambda: "Theme" in _hits(app))
        await pilot.press("enter")
        await until(pilot, clock, lambda: "gruvbox" in _hits(app))
        await pilot.press(*"gruvbox", "enter")
        await until(pilot, clock, lambda: app.theme == "gruvbox")


@pytest.mark.parametrize(
    ("size", "ssh", "animations", "level"),
    [
        pytest.param((120, 40), False, "auto", "full", id="roomy-local"),
        pytest.param((120, 40), True, "auto", "none", id="over-ssh"),
        pytest.param((80, 24), False, "auto", "none", id="small"),
        pytest.param((80, 24), True, "basic", "basic", id="told-basic"),
    ],
)
async def test_animations_stop_over_ssh_and_in_small_terminals(
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    ssh: bool,
    animations: Any,
    level: str,
) -> None:
    if ssh:
        monkeypatch.setenv("SSH_CONNECTION", "192.0.2.9 50000 192.0.2.1 22")
    else:
        monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    app = ArianetApp(services, animations=animations)
    async with app.run_test(size=size):
        assert app.animation_level == level


def _hits(app: ArianetApp) -> str:
    lists = app.screen.query(CommandList)
    return " ".join(str(o.prompt) for o in lists.first().options) if lists else ""
