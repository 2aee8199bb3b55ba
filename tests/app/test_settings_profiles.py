"""Switching profile in the running app: from the command palette, without a restart.

Two simulated accounts answer at two base URLs; the profile switch must rebuild the client,
the scheduler and the sections, and show the new profile in the header.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from textual.widgets import Static

from arianet_tui.app import ArianetApp
from arianet_tui.cli import build_services, profile_switch
from arianet_tui.live import FakeClock
from arianet_tui.settings_load import LoadedSettings, load_settings
from arianet_tui.sim import DEMO_TOKEN, SimState, World, create_app
from arianet_tui.widgets.header import AppHeader

from .support import API, loaded, plain, servers_table, until

ALPHA = "http://127.0.0.1:9001/api/v1"
BETA = "http://127.0.0.1:9002/api/v1"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadedSettings:
    for name in ("ARIANET_TOKEN", "ARIANET_PROFILE", "ARIANET_BASE_URL", "ARIANET_THEME"):
        monkeypatch.delenv(name, raising=False)
    token = tmp_path / "sim.token"
    token.write_text(DEMO_TOKEN)
    token.chmod(0o600)
    path = tmp_path / "config.toml"
    path.write_text(
        f"""\
profile = "alpha"
state_dir = "state"
cache_dir = "cache"

[profiles.alpha]
base_url = "{ALPHA}"
token_file = "sim.token"

[profiles.beta]
base_url = "{BETA}"
token_file = "sim.token"
production = true
theme = "textual-light"

[profiles.empty]
base_url = "{BETA}"
token_file = "missing.token"
"""
    )
    return load_settings(config_path=path)


def header_text(app: ArianetApp) -> str:
    header = app.screen.query_one(AppHeader)
    return plain(header.query_one("#header-left", Static).content)


async def test_a_profile_picked_in_the_palette_reconnects_without_a_restart(
    config: LoadedSettings, sim: SimState, sim_app: Starlette, clock: FakeClock
) -> None:
    beta_world = World.demo(seed=3, servers=5, clock=clock)
    beta_app = create_app(beta_world, clock=clock)
    beta: SimState = beta_app.state.sim
    transports = {
        ALPHA: lambda: httpx.ASGITransport(app=sim_app),
        BETA: lambda: httpx.ASGITransport(app=beta_app),
    }
    switch = profile_switch(config, clock=clock, transport_for=lambda url: transports[url]())
    assert switch is not None and switch.names == ("alpha", "beta", "empty")
    first = build_services(
        config.settings, token=DEMO_TOKEN, clock=clock, transport=transports[ALPHA]()
    )
    app = ArianetApp(first, profiles=switch)

    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, clock)
        assert header_text(app).startswith("alpha · ")
        assert not app.screen.query_one(AppHeader).has_class("-production")
        assert len(servers_table(app).visible_keys) == len(sim.world.servers)

        await pilot.press("colon", *"beta")
        await until(pilot, clock, lambda: "Profile: beta" in _palette_hits(app))
        await pilot.press("enter")
        await until(pilot, clock, lambda: app.profile == "beta")
        await loaded(pilot, clock)

        assert app.services.client.base_url.startswith(BETA)
        assert first.client._http.is_closed
        assert len(servers_table(app).visible_keys) == 5
        assert any(r.path == f"{API}/servers" for r in beta.requests)
        text = header_text(app)
        assert "PRODUCTION" in text and "beta · " in text
        assert app.screen.query_one(AppHeader).has_class("-production")
        assert app.theme == "textual-light"

        alpha_reads = len(sim.requests)
        await pilot.press("2", "1")
        await until(pilot, clock, lambda: app.current_mode == "servers")
        assert len(sim.requests) == alpha_reads


async def test_a_profile_without_a_token_is_refused_and_the_current_one_stays(
    config: LoadedSettings, sim: SimState, sim_app: Starlette, clock: FakeClock
) -> None:
    switch = profile_switch(config, clock=clock)
    assert switch is not None
    first = build_services(
        config.settings,
        token=DEMO_TOKEN,
        clock=clock,
        transport=httpx.ASGITransport(app=sim_app),
    )
    app = ArianetApp(first, profiles=switch)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, clock)
        app.switch_profile("empty")
        await until(pilot, clock, lambda: app._notifications)
        (toast,) = list(app._notifications)
        assert toast.title == "Profile empty"
        assert "missing.token" in toast.message
        assert app.profile == "alpha"
        assert app.services is first


def _palette_hits(app: ArianetApp) -> str:
    from textual.command import CommandList

    return " ".join(str(option.prompt) for option in app.screen.query_one(CommandList).options)
