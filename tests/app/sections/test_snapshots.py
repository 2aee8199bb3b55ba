"""Screenshots of every section and dialog of firewalls, SSH keys, billing, catalog, account.

Each scenario opens a section of the demo account on a fixed clock and seed, then presses
the keys that bring up what is shown; cursors stop blinking and toasts are cleared first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Sparkline

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.create_server import CreateServerScreen
from arianet_tui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextInputDialog
from arianet_tui.screens.firewall_rule_form import RuleFormDialog
from arianet_tui.screens.ssh_key_add import AddKeyDialog
from arianet_tui.sim import SimState

from ..support import settle, until
from .support import dialog, open_section, section, steady, table
from .test_ssh_keys import ED25519, PRIVATE

Scenario = Callable[[Pilot[None], FakeClock, SimState], Awaitable[None]]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def firewall_id(sim: SimState, name: str) -> int:
    return next(f.id for f in sim.world.firewalls.values() if f.name == name)


def key_id(sim: SimState, name: str) -> int:
    return next(k.id for k in sim.world.ssh_keys.values() if k.name == name)


# -- sections ---------------------------------------------------------------------------------


async def firewalls(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await open_section(pilot, clock, "firewalls")
    table(pilot.app).move_to(firewall_id(sim, "Web Server Firewall"))


async def ssh_keys(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await open_section(pilot, clock, "ssh_keys")


async def billing(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    app = pilot.app
    await open_section(pilot, clock, "billing")
    await until(pilot, clock, lambda: section(app).fleet_cost() is not None)
    await until(pilot, clock, lambda: len(section(app).query_one(Sparkline).data or ()) > 2)


async def catalog(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    app = pilot.app
    await open_section(pilot, clock, "catalog")
    await until(pilot, clock, lambda: len(table(app).records) == 24)
    await until(pilot, clock, lambda: table(app, "#catalog-os").records)


async def account(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await open_section(pilot, clock, "account")


# -- dialogs ----------------------------------------------------------------------------------


async def rule_form(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await firewalls(pilot, clock, sim)
    await pilot.press("a")
    form = await dialog(pilot, clock, RuleFormDialog)
    form.query_one("#rule-port", Input).value = "3389"
    form.query_one("#rule-cidr", Input).value = "0.0.0.0/0"


async def delete_rule(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await firewalls(pilot, clock, sim)
    await pilot.press("enter", "j", "ctrl+d")
    await dialog(pilot, clock, ConfirmDialog)


async def protected_firewall(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await open_section(pilot, clock, "firewalls")
    await pilot.press("ctrl+d")
    await dialog(pilot, clock, ConfirmDialog)


async def add_key(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await ssh_keys(pilot, clock, sim)
    await pilot.press("n")
    add = await dialog(pilot, clock, AddKeyDialog)
    add.post_message(events.Paste(ED25519))


async def private_key(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await ssh_keys(pilot, clock, sim)
    await pilot.press("n")
    add = await dialog(pilot, clock, AddKeyDialog)
    add.post_message(events.Paste(PRIVATE))


async def rename_key(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await ssh_keys(pilot, clock, sim)
    table(pilot.app).move_to(key_id(sim, "Laptop"))
    await pilot.press("e")
    await dialog(pilot, clock, TextInputDialog)


async def delete_key(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await ssh_keys(pilot, clock, sim)
    table(pilot.app).move_to(key_id(sim, "Old workstation"))
    await pilot.press("ctrl+d")
    await dialog(pilot, clock, ConfirmDialog)


async def key_detail(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await ssh_keys(pilot, clock, sim)
    table(pilot.app).move_to(key_id(sim, "CI deploy key"))
    await pilot.press("enter")
    await dialog(pilot, clock, ConfirmDialog)


async def choose_region(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await catalog(pilot, clock, sim)
    await pilot.press("r")
    await dialog(pilot, clock, ChoiceDialog)


async def plan_detail(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await catalog(pilot, clock, sim)
    await pilot.press("enter")
    await dialog(pilot, clock, ConfirmDialog)


async def preset_wizard(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await catalog(pilot, clock, sim)
    await pilot.press("n")
    wizard = await dialog(pilot, clock, CreateServerScreen)
    await until(pilot, clock, lambda: wizard.step == 2)


async def revoke_token(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await account(pilot, clock, sim)
    table(pilot.app).move_to(2)
    await pilot.press("ctrl+d")
    await dialog(pilot, clock, ConfirmDialog)


async def logout(pilot: Pilot[None], clock: FakeClock, sim: SimState) -> None:
    await account(pilot, clock, sim)
    await pilot.press("L")
    await dialog(pilot, clock, ConfirmDialog)


SCENARIOS: list[Scenario] = [
    firewalls,
    rule_form,
    delete_rule,
    protected_firewall,
    ssh_keys,
    add_key,
    private_key,
    rename_key,
    delete_key,
    key_detail,
    billing,
    catalog,
    choose_region,
    plan_detail,
    preset_wizard,
    account,
    revoke_token,
    logout,
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_snapshot(
    scenario: Scenario,
    size: tuple[int, int],
    snap_app: ArianetApp,
    clock: FakeClock,
    sim: SimState,
    home: Path,
    snap_compare: Callable[..., bool],
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await scenario(pilot, clock, sim)
        await settle(pilot, clock)
        steady(snap_app)
        await settle(pilot, clock, 2)

    assert snap_compare(snap_app, terminal_size=size, run_before=run_before)
