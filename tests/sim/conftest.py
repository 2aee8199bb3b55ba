"""Fixtures for the simulator tests: a manual clock, the demo app and a client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from starlette.applications import Starlette

from arianet_tui.sim import DEMO_TOKEN, SimClock, SimState, World, create_app

BASE_URL = "http://sim/api/v1"
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}
# High enough that no test runs into the documented limits by accident.
ROOMY_LIMITS = {"public": 10_000, "read": 10_000, "write": 10_000}


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def world(clock: SimClock) -> World:
    return World.demo(seed=7, servers=24, clock=clock)


@pytest.fixture
def app(world: World) -> Starlette:
    return create_app(world, limits=ROOMY_LIMITS)


@pytest.fixture
def sim(app: Starlette) -> SimState:
    state: SimState = app.state.sim
    return state


def client_for(app: Starlette, *, token: str | None = DEMO_TOKEN) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=headers)


ClientFactory = Callable[..., httpx.AsyncClient]


@pytest.fixture
def make_client() -> ClientFactory:
    """``make_client(app, token=...)``: an in-process client; use it with ``async with``."""
    return client_for


@pytest.fixture
def roomy_limits() -> dict[str, int]:
    return dict(ROOMY_LIMITS)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


@pytest.fixture
async def anonymous(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app, token=None) as client:
        yield client
