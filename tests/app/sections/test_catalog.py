"""Catalog: plans side by side, a region's own lists, sorting, a forced refresh, a new server."""

from __future__ import annotations

from textual.widgets import Input

from arianet_tui.api.models import Plan
from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.catalog_columns import currencies, size_in_gb
from arianet_tui.screens.create_server import CreateServerScreen
from arianet_tui.screens.dialogs import ChoiceDialog
from arianet_tui.sim import SimState

from ..support import API, reads_of, settle, until, writes
from .support import dialog, open_section, table


def test_sizes_and_currencies_for_sorting_and_columns() -> None:
    assert [size_in_gb(s) for s in ("16 GB", "512 MB", "1 TB", "?")] == [
        16.0,
        0.5,
        1024.0,
        float("inf"),
    ]
    plans = [
        Plan.model_validate(
            {
                "id": 1,
                "name": "a",
                "prices": [
                    {"code": "usd", "currency": "USD", "hourly": 1, "monthly": 2},
                    {"code": "eur", "currency": "EUR", "hourly": 1, "monthly": 2},
                ],
            }
        )
    ]
    assert currencies(plans, "EUR") == ["EUR", "USD"]
    assert currencies(plans, None) == ["EUR", "USD"]


async def test_plans_regions_sorting_and_a_forced_refresh(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    catalog = sim.world.catalog
    async with app.run_test(size=(120, 40)) as pilot:
        plans = await open_section(pilot, clock, "catalog")
        await until(pilot, clock, lambda: len(plans.records) == len(catalog.plans))
        keys = {column.key for column in table(app).columns}
        assert {"USD-mo", "USD-h", "USD-yr", "EUR-mo", "EUR-h", "EUR-yr"} <= keys
        first = table(app).current
        assert first is not None and first.recommended

        await pilot.press("m")
        await settle(pilot, clock)
        memory = [table(app).records[k].specs.memory for k in table(app).visible_keys]
        assert memory[0] == "1 GB" and memory[-1] == "32 GB"
        await pilot.press("p")
        await settle(pilot, clock)
        cheapest = table(app).records[table(app).visible_keys[0]]
        assert cheapest.name == "Starter 1GB" and cheapest.datacenter
        assert cheapest.datacenter.name == "us-east-1"

        # A region shows its own plans and OS templates, read from its own endpoints.
        await pilot.press("r")
        await dialog(pilot, clock, ChoiceDialog)
        await pilot.press("down", "down", "enter")
        await until(pilot, clock, lambda: len(table(app).records) == 6)
        assert reads_of(sim, "/plans/datacenter/2") and reads_of(sim, "/os/datacenter/2")
        os_table = table(app, "#catalog-os")
        assert {t.region_id for t in os_table.records.values()} == {2}
        assert all(p.datacenter and p.datacenter.id == 2 for p in table(app).records.values())

        # The cache answers again without a request; ctrl+r goes to the API.
        before = len(reads_of(sim, "/regions"))
        await pilot.press("ctrl+r")
        await until(pilot, clock, lambda: len(reads_of(sim, "/regions")) > before)
        await until(pilot, clock, lambda: len(reads_of(sim, "/plans/datacenter/2")) == 2)


async def test_n_on_a_plan_starts_the_wizard_preset_and_creates_with_it(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        plans = await open_section(pilot, clock, "catalog")
        chosen = next(
            p
            for p in plans.records.values()
            if p.name == "Performance 8GB" and p.datacenter and p.datacenter.name == "eu-west-1"
        )
        plans.move_to(chosen.id)
        await pilot.press("n")
        wizard = await dialog(pilot, clock, CreateServerScreen)
        await until(pilot, clock, lambda: wizard.step == 2)
        await pilot.press("escape")
        await until(pilot, clock, lambda: wizard.step == 1)
        await pilot.press("enter")  # the preset plan is still the one highlighted
        await until(pilot, clock, lambda: wizard.step == 2)
        await pilot.press("enter")
        await until(pilot, clock, lambda: wizard.step == 3)
        wizard.query_one(Input).value = "eu-batch-1"
        await pilot.press("enter")
        await until(pilot, clock, lambda: wizard.step == 4)
        await pilot.press("enter")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("POST", f"{API}/servers")
        assert sent.body["plan_id"] == chosen.id
        assert sent.body["datacenter_id"] == 2
        assert sent.body["hostname"] == "eu-batch-1"
