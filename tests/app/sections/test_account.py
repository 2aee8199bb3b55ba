"""Account: the user, the tokens with the current one marked, revoke, and log out."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from textual.widgets import Static

from arianet_tui.api import ArianetClient
from arianet_tui.api.models import ApiToken
from arianet_tui.app import ArianetApp
from arianet_tui.cli import build_services
from arianet_tui.config import Settings, write_token_file
from arianet_tui.live import FakeClock
from arianet_tui.screens.account_tokens import current_token_id
from arianet_tui.screens.context import Services
from arianet_tui.screens.dialogs import ConfirmDialog
from arianet_tui.screens.first_run import FirstRunChoice, FirstRunScreen
from arianet_tui.sim import DEMO_TOKEN, SimState, World, create_app

from ..support import API, plain, settle, until, writes
from .support import dialog, open_section, section, table


def cell(app: ArianetApp, token_id: int, column: str) -> str:
    return str(table(app).grid.get_cell(str(token_id), column))


async def test_tokens_show_prefix_last_use_expiry_and_the_current_one(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_section(pilot, clock, "account")
        assert "demo@arianet.example" in plain(
            section(app).query_one("#account-user", Static).content
        )
        assert cell(app, 1, "current") == "●"
        assert cell(app, 2, "current") == " "
        assert cell(app, 1, "prefix") == DEMO_TOKEN[:16]
        assert cell(app, 2, "last_used") == "2 days ago"
        assert cell(app, 2, "expires") == "in 3 days ⚠"
        assert cell(app, 3, "expires") == "never"


async def test_revoke_a_token_and_cancel_sends_nothing(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        tokens = await open_section(pilot, clock, "account")
        tokens.move_to(2)
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("y")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("DELETE", f"{API}/auth/tokens/2")
        await until(pilot, clock, lambda: "2" not in tokens.records)
        assert 2 not in sim.world.tokens


async def test_revoking_the_current_token_is_logging_out_and_the_demo_then_ends(
    app: ArianetApp, sim: SimState, clock: FakeClock, settings: Settings
) -> None:
    write_token_file(settings.token_file, "arr_someoneelses0123456789")
    async with app.run_test(size=(80, 24)) as pilot:
        tokens = await open_section(pilot, clock, "account")
        tokens.move_to(1)
        await pilot.press("ctrl+d")
        confirm = await dialog(pilot, clock, ConfirmDialog)
        assert confirm.dialog_title == "Log out?"
        assert "stops working with this token" in plain(confirm.body)
        await pilot.press("n")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("L")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("y")
        await until(pilot, clock, lambda: writes(sim))
        await until(pilot, clock, lambda: isinstance(app.screen, FirstRunScreen))
    (sent,) = writes(sim)
    assert (sent.method, sent.path) == ("DELETE", f"{API}/auth/logout")
    # The demo never read the token file, so it leaves it alone.
    assert settings.token_file.exists()


async def test_logout_deletes_the_token_file_and_returns_to_the_first_run_screen(
    sim_app: Starlette, sim: SimState, clock: FakeClock, settings: Settings
) -> None:
    write_token_file(settings.token_file, DEMO_TOKEN)
    services = build_services(
        settings,
        token=DEMO_TOKEN,
        clock=clock,
        transport=httpx.ASGITransport(app=sim_app),
    )
    # The token just logged out is the simulator's demo token: the demo gets a fresh one.
    fresh = create_app(World.demo(seed=7, servers=3, clock=clock), clock=clock)
    demo = build_services(
        settings, demo=True, clock=clock, transport=httpx.ASGITransport(app=fresh)
    )
    choices: list[FirstRunChoice] = []

    def connect(choice: FirstRunChoice) -> Services:
        choices.append(choice)
        return demo

    app = ArianetApp(services, connect=connect, token_path=settings.token_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "account")
        await pilot.press("L")
        confirm = await dialog(pilot, clock, ConfirmDialog)
        assert str(settings.token_file) in plain(confirm.body)
        await pilot.press("y")
        await until(pilot, clock, lambda: isinstance(app.screen, FirstRunScreen))
        hint = f"Logged out; the token file {settings.token_file} was deleted."
        assert hint in str(app.screen.query_one("#first-run-reason", Static).render())
        assert services.client._http.is_closed

        # The first-run screen offers the demo; taking it brings the sections back.
        await pilot.press("ctrl+d")
        await until(pilot, clock, lambda: app.current_mode == "servers" and app.user)
        assert choices == [FirstRunChoice(demo=True)]
        assert app.services is demo
    (sent,) = writes(sim)
    assert (sent.method, sent.path) == ("DELETE", f"{API}/auth/logout")
    assert not settings.token_file.exists()
    assert 1 not in sim.world.tokens
    await demo.client.aclose()


def test_the_current_token_is_found_by_its_prefix() -> None:
    tokens = [
        ApiToken(id=1, name="a", prefix=DEMO_TOKEN[:16]),
        ApiToken(id=2, name="b", prefix="arr_ffff01234567"),
        ApiToken(id=3, name="c", prefix="arr_..."),
    ]
    client = ArianetClient(DEMO_TOKEN, "http://127.0.0.1/api/v1")
    assert current_token_id(client, tokens) == 1
    assert current_token_id(client, tokens[1:]) is None
    assert (
        current_token_id(ArianetClient("arr_ffff0123456789", "http://127.0.0.1/api/v1"), tokens)
        == 2
    )
