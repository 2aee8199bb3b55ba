"""A chaos soak: random keys over every section while the service misbehaves.

The service drops connections, answers 5xx, 429 and malformed bodies, and is slow. The app
must never crash, every write must end done, failed or unknown, and no write may be sent
twice. ``ARIANET_SOAK_SECONDS`` makes the soak longer than the default used in CI.
"""

from __future__ import annotations

import base64
import os
import random
import struct
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import stamina
from app.support import loaded, settle
from starlette.applications import Starlette
from textual import events
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Button, Input

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.create_server import CreateServerScreen
from arianet_tui.screens.dialogs import TextInputDialog
from arianet_tui.screens.firewall_rule_form import RuleFormDialog
from arianet_tui.screens.ssh_key_add import AddKeyDialog
from arianet_tui.sim import Faults, SimState, World, create_app

SECONDS = float(os.environ.get("ARIANET_SOAK_SECONDS", "25"))
SEED = int(os.environ.get("ARIANET_SOAK_SEED", "11"))


@pytest.fixture(autouse=True)
def _retries() -> Iterator[None]:
    """Real retries (without waiting), so 429s on writes are sent again, as in production."""
    stamina.set_testing(True, attempts=3)
    yield
    stamina.set_testing(False)


@pytest.fixture
def world(clock: FakeClock) -> World:
    return World.hostile(seed=SEED, servers=30, clock=clock)


@pytest.fixture
def sim_app(world: World, clock: FakeClock) -> Starlette:
    # The chaos rates; its latencies are real sleeps, shortened so the soak sees more requests.
    faults = Faults.profile("chaos", latency_ms=2.0, jitter_ms=8.0, slow_body_pause_ms=5.0)
    return create_app(world, clock=clock, faults=faults, log_size=1_000_000)


async def soft_wait(pilot: Pilot[None], clock: FakeClock, check: Any, rounds: int = 15) -> bool:
    """Settle until ``check()`` holds, or give up quietly: under chaos anything can fail."""
    for _ in range(rounds):
        if check():
            return True
        await settle(pilot, clock, 1)
    return bool(check())


async def base(pilot: Pilot[None], clock: FakeClock, section: str) -> None:
    """Close whatever is open and go to ``section``."""
    app = pilot.app
    for _ in range(4):
        if not isinstance(app.screen, ModalScreen) and app.screen.is_current:
            break
        await pilot.press("escape")
        await settle(pilot, clock, 1)
    await pilot.press(section)
    await settle(pilot, clock, 1)


async def server_action(pilot: Pilot[None], clock: FakeClock, rng: random.Random) -> None:
    await base(pilot, clock, "1")
    for _ in range(rng.randint(0, 12)):
        await pilot.press("j")
    key = rng.choice(["r", "o", "f", "p", "e", "ctrl+r", "space", "c"])
    await pilot.press(key)
    await settle(pilot, clock, 1)
    if key == "e" and isinstance(pilot.app.screen, TextInputDialog):
        pilot.app.screen.query_one(Input).value = f"soak-{rng.randint(1, 999)}"
        await pilot.press("enter")
    elif isinstance(pilot.app.screen, ModalScreen):
        await pilot.press(rng.choice(["y", "y", "n", "enter"]))


async def create_server(pilot: Pilot[None], clock: FakeClock, rng: random.Random) -> None:
    await base(pilot, clock, "1")
    await pilot.press("n")
    app = pilot.app
    if not await soft_wait(pilot, clock, lambda: isinstance(app.screen, CreateServerScreen)):
        return
    wizard = app.screen
    assert isinstance(wizard, CreateServerScreen)
    for step in range(3):
        if not await soft_wait(pilot, clock, lambda s=step: wizard.step == s and wizard.regions):
            return
        await pilot.press("enter")
        await settle(pilot, clock, 1)
    if wizard.step == 3:
        wizard.query_one(Input).value = f"soak-new-{rng.randint(1, 999)}"
        await pilot.press("enter")
        await settle(pilot, clock, 1)
    if wizard.step == 4:
        await pilot.press("enter")


async def firewall_rule(pilot: Pilot[None], clock: FakeClock, rng: random.Random) -> None:
    await base(pilot, clock, "2")
    for _ in range(rng.randint(0, 3)):
        await pilot.press("j")
    await pilot.press("enter")
    await settle(pilot, clock, 1)
    if rng.random() < 0.5:
        await pilot.press("ctrl+d")
        await settle(pilot, clock, 1)
        await pilot.press("y")
        return
    await pilot.press("a")
    app = pilot.app
    if not await soft_wait(pilot, clock, lambda: isinstance(app.screen, RuleFormDialog)):
        return
    form = app.screen
    form.query_one("#rule-port", Input).value = str(rng.randint(1, 65535))
    form.query_one("#rule-cidr", Input).value = f"198.51.100.{rng.randint(0, 255)}/32"
    await settle(pilot, clock, 1)
    button = form.query_one("#confirm", Button)
    if not button.disabled:
        button.press()


async def ssh_key(pilot: Pilot[None], clock: FakeClock, rng: random.Random) -> None:
    await base(pilot, clock, "3")
    if rng.random() < 0.4:
        for _ in range(rng.randint(0, 3)):
            await pilot.press("j")
        await pilot.press("ctrl+d")
        await settle(pilot, clock, 1)
        await pilot.press("y")
        return
    await pilot.press("n")
    app = pilot.app
    if not await soft_wait(pilot, clock, lambda: isinstance(app.screen, AddKeyDialog)):
        return
    dialog = app.screen
    dialog.post_message(events.Paste(new_public_key(rng)))
    await settle(pilot, clock, 1)
    dialog.query_one("#key-name", Input).value = f"soak key {rng.randint(1, 999)}"
    await settle(pilot, clock, 1)
    button = dialog.query_one("#confirm", Button)
    if not button.disabled:
        button.press()


async def wander(pilot: Pilot[None], clock: FakeClock, rng: random.Random) -> None:
    """Section switches, filters, sorting, the activity panel, refreshes."""
    await base(pilot, clock, rng.choice("123456"))
    keys = rng.choice(
        [
            ["/", *"web", "enter"],
            ["/", "escape"],
            ["<"],
            [">", "~"],
            ["A"],
            ["ctrl+r"],
            ["G", "g"],
            ["enter"],
            ["escape"],
            ["question_mark"],
        ]
    )
    await pilot.press(*keys)


def new_public_key(rng: random.Random) -> str:
    """A syntactically valid ed25519 public key the account does not have yet."""
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + rng.randbytes(32)
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} soak@example"


SCENARIOS = [server_action] * 4 + [
    create_server,
    firewall_rule,
    firewall_rule,
    ssh_key,
    wander,
    wander,
]


def sent_writes(sim: SimState) -> Counter[tuple[str, str, str]]:
    """Writes the service may have processed: every one except those answered 429."""
    return Counter(
        (r.method, r.path.removeprefix("/api/v1/"), repr(r.body))
        for r in sim.requests
        if r.method != "GET" and r.status != 429
    )


def journal_writes(app: ArianetApp) -> Counter[tuple[str, str, str]]:
    return Counter(
        (e.method, e.path, repr(e.body if e.body else None)) for e in app.services.journal.entries
    )


def check_alive(app: ArianetApp) -> None:
    assert app._exception is None, app._exception
    assert app.return_code is None
    assert app.is_running


async def test_chaos_soak(app: ArianetApp, sim: SimState, clock: FakeClock) -> None:
    rng = random.Random(SEED)
    pressed: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, clock)
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            scenario = rng.choice(SCENARIOS)
            pressed.append(scenario.__name__)
            await scenario(pilot, clock, rng)
            await settle(pilot, clock, 1)
            # Time moves, so the refresh feeds and the followed servers read under chaos too.
            clock.advance(rng.choice([0.5, 2.0, 5.0, 15.0]))
            check_alive(app)

        # Let every write in flight finish, with the service healthy again.
        sim.faults = type(sim.faults)()
        for _ in range(40):
            clock.advance(5.0)
            await settle(pilot, clock, 2)
            if all(e.finished for e in app.services.journal.entries):
                break
        check_alive(app)
        entries = app.services.journal.entries

    assert app._exception is None
    assert all(e.state in ("done", "failed", "unknown") for e in entries), _summary(entries)
    sent, journaled = sent_writes(sim), journal_writes(app)
    twice = {key: n for key, n in sent.items() if n > journaled.get(key, 0)}
    assert twice == {}, f"sent more often than the journal asked: {twice}"
    faults = Counter(r.fault.split(":")[0] for r in sim.requests if r.fault)
    print(
        f"soak: {len(pressed)} scenarios, {len(entries)} writes, {len(sim.requests)} requests, "
        f"faults {dict(faults)}, states {Counter(e.state for e in entries)}"
    )
    assert len(entries) > 0 and faults


def _summary(entries: Any) -> str:
    return ", ".join(f"{e.action}:{e.state}" for e in entries)
