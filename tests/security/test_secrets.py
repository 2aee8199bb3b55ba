"""The token never leaves the client: not on screen, in a file, a log line or an error."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from app.sections.support import toasts
from app.support import loaded, running, select, settle, until, writes
from starlette.applications import Starlette

from arianet_tui.api import ArianetClient, ArianetError
from arianet_tui.app import ArianetApp
from arianet_tui.cli import build_services, setup_logging
from arianet_tui.config import Settings
from arianet_tui.live import FakeClock
from arianet_tui.screens.context import Services
from arianet_tui.screens.dialogs import ConfirmDialog, TextInputDialog
from arianet_tui.screens.first_run import FirstRunChoice
from arianet_tui.sim import Faults, SimState, World, create_app
from arianet_tui.sim.server import SimServer

from .support import screen_text

TOKEN = "arr_" + "Zq9x" * 10
LOOPBACK_URL = "http://127.0.0.1/api/v1"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        token=None,
        token_file=tmp_path / "config" / "token",
        state_dir=tmp_path / "state",
        cache_dir=tmp_path / "cache",
        log_file=tmp_path / "state" / "arianet-tui.log",
        log_level="DEBUG",
        base_url=LOOPBACK_URL,
    )


@pytest.fixture
def sim_app(world: World, clock: FakeClock) -> Starlette:
    return create_app(world, clock=clock, token=TOKEN)


@pytest.fixture
def debug_logs(settings: Settings, tmp_path: Path) -> Iterator[Path]:
    """The app's own log at DEBUG, and httpx and httpcore at DEBUG into a second file."""
    setup_logging(settings)
    wire = logging.FileHandler(tmp_path / "state" / "wire.log", encoding="utf-8")
    loggers = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    for logger in loggers:
        logger.addHandler(wire)
        logger.setLevel(logging.DEBUG)
    yield tmp_path
    for logger in loggers:
        logger.removeHandler(wire)
        logger.setLevel(logging.NOTSET)
    wire.close()
    for handler in logging.getLogger("arianet_tui").handlers:
        handler.close()
    logging.getLogger("arianet_tui").handlers.clear()


@pytest.fixture
async def real_services(
    settings: Settings, clock: FakeClock, sim_app: Starlette
) -> AsyncIterator[Services]:
    built = build_services(
        settings, token=TOKEN, clock=clock, transport=httpx.ASGITransport(app=sim_app)
    )
    yield built
    await built.client.aclose()


def leaks_in_files(root: Path) -> list[Path]:
    """Every file under ``root`` that holds the token, whatever its encoding."""
    found = []
    for path in root.rglob("*"):
        if path.is_file() and TOKEN.encode() in path.read_bytes():
            found.append(path)
    return found


async def test_a_session_with_errors_writes_the_token_nowhere(
    real_services: Services, sim: SimState, clock: FakeClock, debug_logs: Path
) -> None:
    app = ArianetApp(real_services)
    target = running(sim)
    failing = next(
        s
        for s in sim.world.servers.values()
        if s is not target
        and s.pending is None
        and s.status == "active"
        and s.instance_status == "running"
    )
    seen: list[str] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot, clock)

        # A restart that works.
        await select(pilot, clock, target.id)
        await pilot.press("r", "y")
        await until(pilot, clock, lambda: app.services.journal.entries)
        await until(pilot, clock, lambda: app.services.journal.entries[-1].finished)

        # A rename.
        await pilot.press("e")
        await until(pilot, clock, lambda: isinstance(app.screen, TextInputDialog))
        await settle(pilot, clock)
        for _ in range(40):
            await pilot.press("backspace")
        await pilot.press(*"renamed-1", "enter")
        await until(pilot, clock, lambda: len(app.services.journal.entries) == 2)
        await until(pilot, clock, lambda: app.services.journal.entries[-1].finished)

        # A write the API refuses: the server stopped behind the app's back.
        await select(pilot, clock, failing.id)
        failing.instance_status = "stopped"
        await pilot.press("r")
        await until(pilot, clock, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, clock, lambda: len(app.services.journal.entries) == 3)
        await until(pilot, clock, lambda: app.services.journal.entries[-1].finished)
        seen.append(screen_text(app))

        # A 5xx on a write: outcome unknown.
        sim.faults = Faults(error_rate=1.0, html_error_share=0.0)
        await select(pilot, clock, target.id)
        await pilot.press("r", "y")
        await until(pilot, clock, lambda: len(app.services.journal.entries) == 4)
        await until(pilot, clock, lambda: app.services.journal.entries[-1].finished)
        assert app.services.journal.entries[-1].state == "unknown"
        seen.append(screen_text(app))

        # A 401: the token was revoked.
        sim.faults = Faults()
        for record in sim.world.tokens.values():
            if record.secret == TOKEN:
                record.secret = "arr_" + "revoked" * 6
        await pilot.press("ctrl+r")
        await settle(pilot, clock, 8)
        seen.append(screen_text(app))
        with pytest.raises(ArianetError) as raised:
            await app.services.client.get_me()

        await pilot.press("A")
        await settle(pilot, clock)
        seen.append(screen_text(app))
        seen += toasts(app)
        assert app.is_running

    journal = app.services.journal
    assert [e.state for e in journal.entries][:4] == ["done", "done", "failed", "unknown"]
    error = raised.value
    seen += [str(error), repr(error), "".join(traceback.format_exception(error))]
    seen += [entry.curl for entry in journal.entries]
    seen += [repr(entry) for entry in journal.entries]
    seen += [repr(app.services), repr(app.services.client), repr(app.services.settings)]
    seen += [repr(r) for r in sim.requests]
    assert any("$ARIANET_TOKEN" in entry.curl for entry in journal.entries)
    assert all(TOKEN not in text for text in seen)

    for handler in logging.getLogger("arianet_tui").handlers:
        handler.flush()
    log = (debug_logs / "state" / "arianet-tui.log").read_text(encoding="utf-8")
    assert "POST /servers" in log or "POST servers" in log
    assert (debug_logs / "state" / "audit.jsonl").exists()
    assert leaks_in_files(debug_logs) == []
    assert len(writes(sim)) >= 4


async def test_wire_logs_at_debug_carry_no_authorization(tmp_path: Path, debug_logs: Path) -> None:
    """A real socket on loopback, so httpcore's own DEBUG tracing runs too."""
    world = World.demo(seed=3, servers=2)
    with SimServer(create_app(world, token=TOKEN)) as server:
        async with ArianetClient(token=TOKEN, base_url=server.url) as client:
            assert (await client.get_me()).email
            client_401 = ArianetClient(token=TOKEN[:-1] + "!", base_url=server.url)
            with pytest.raises(ArianetError) as raised:
                await client_401.get_me()
            await client_401.aclose()
    assert TOKEN not in repr(raised.value)
    wire = (debug_logs / "state" / "wire.log").read_text(encoding="utf-8")
    assert "send_request_headers" in wire  # httpcore did log at DEBUG
    assert "Bearer" not in wire and "authorization" not in wire.lower()
    assert leaks_in_files(debug_logs) == []


def test_reprs_of_what_carries_the_token_hide_it(settings: Settings) -> None:
    choice = FirstRunChoice(token=TOKEN)
    assert TOKEN not in repr(choice) and TOKEN not in str(choice)
    with_token = Settings(token=TOKEN, token_file=settings.token_file)
    assert TOKEN not in repr(with_token)
    client = ArianetClient(token=TOKEN, base_url=LOOPBACK_URL)
    assert TOKEN not in repr(client) and TOKEN not in repr(client._auth)
    request = httpx.Request("GET", LOOPBACK_URL, headers={"Authorization": f"Bearer {TOKEN}"})
    assert TOKEN not in repr(request.headers)


async def test_a_redirect_to_another_host_is_not_followed(clock: FakeClock) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": "https://evil.example/steal"})

    client = ArianetClient(
        token=TOKEN, base_url=LOOPBACK_URL, transport=httpx.MockTransport(answer)
    )
    with pytest.raises(ArianetError) as raised:
        await client.get_me()
    await client.aclose()
    assert [r.url.host for r in sent] == ["127.0.0.1"]
    assert TOKEN not in str(raised.value)
