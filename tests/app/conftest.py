"""Fixtures for the app tests: the dashboard against the in-process simulator on a fake clock.

Nothing here touches the network or the real user's directories: the audit file, the
catalog cache and the token file live in ``tmp_path``, and time only moves when a test says.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stamina
from starlette.applications import Starlette

from arianet_tui.app import ArianetApp
from arianet_tui.cli import build_services
from arianet_tui.config import Settings
from arianet_tui.live import FakeClock
from arianet_tui.screens.context import Services
from arianet_tui.sim import SimState, World, create_app

SEED = 7
SERVERS = 24


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    """Retries of the client happen at once, so a failing read costs no real time."""
    stamina.set_testing(True, attempts=1)
    yield
    stamina.set_testing(False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        token=None,
        token_file=tmp_path / "config" / "token",
        state_dir=tmp_path / "state",
        cache_dir=tmp_path / "cache",
        theme="textual-dark",
    )


@pytest.fixture
def world(clock: FakeClock) -> World:
    return World.demo(seed=SEED, servers=SERVERS, clock=clock)


@pytest.fixture
def sim_app(world: World, clock: FakeClock) -> Starlette:
    return create_app(world, clock=clock)


@pytest.fixture
def sim(sim_app: Starlette) -> SimState:
    state: SimState = sim_app.state.sim
    return state


@pytest.fixture
def make_services(
    settings: Settings, clock: FakeClock, sim_app: Starlette
) -> Callable[..., Services]:
    def make(**overrides: Any) -> Services:
        merged = settings.model_copy(update=overrides)
        return build_services(
            merged,
            demo=True,
            clock=clock,
            transport=httpx.ASGITransport(app=sim_app),
        )

    return make


@pytest.fixture
async def services(make_services: Callable[..., Services]) -> AsyncIterator[Services]:
    built = make_services()
    yield built
    await built.client.aclose()


@pytest.fixture
def app(services: Services) -> ArianetApp:
    return ArianetApp(services)
