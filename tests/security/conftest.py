"""Fixtures for the security tests: the app fixtures of tests/app, on the hostile account."""

from __future__ import annotations

import pytest
from app.conftest import (  # noqa: F401  (pytest finds fixtures by name in this module)
    _no_retry_waits,
    app,
    clock,
    make_services,
    services,
    settings,
    sim,
    sim_app,
)

from arianet_tui.live import FakeClock
from arianet_tui.sim import World


@pytest.fixture
def world(clock: FakeClock) -> World:  # noqa: F811
    """The demo account with markup, escapes, bidi, wide and 300-character names."""
    return World.hostile(seed=7, servers=24, clock=clock)
