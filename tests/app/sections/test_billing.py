"""Billing: the wallet, the burn rate and runway of a known fleet, paged transactions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from textual.widgets import Sparkline, Static

from arianet_tui.api.models import Plan, PlanPrice, PlanRef, Server, Transaction
from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.sim import SimState
from arianet_tui.widgets.money import balance_history, fleet_cost, money, runway, runway_words

from ..support import plain, reads_of, until
from .support import open_section, section, table


def burn_text(app: ArianetApp) -> str:
    return plain(section(app).query_one("#billing-burn-text", Static).content)


# -- the arithmetic ------------------------------------------------------------------------------


def plan(plan_id: int, hourly: str, monthly: str, code: str = "USD") -> Plan:
    price = PlanPrice(
        code=code.lower(), currency=code, hourly=Decimal(hourly), monthly=Decimal(monthly)
    )
    return Plan(id=plan_id, name=f"plan {plan_id}", prices=[price])


def server(server_id: int, plan_id: int, status: str, power: str | None) -> Server:
    ref = PlanRef(id=plan_id, name=f"plan {plan_id}")
    return Server(id=server_id, status=status, instance_status=power, plan=ref)


def test_the_burn_rate_counts_active_servers_at_their_plans_prices() -> None:
    plans = [plan(1, "0.0164", "12.00"), plan(2, "0.0329", "24.00"), plan(3, "0.01", "7", "EUR")]
    fleet = [
        server(1, 1, "active", "running"),
        server(2, 2, "active", "stopped"),
        server(3, 1, "creating", None),
        server(4, 2, "suspended", "stopped"),
        server(5, 3, "active", "running"),
        server(6, 9, "active", "running"),
    ]
    cost = fleet_cost(fleet, plans, "USD")
    assert (cost.hourly, cost.monthly) == (Decimal("0.0493"), Decimal("36.00"))
    assert (cost.counted, cost.unpriced, cost.estimated) == (2, 2, False)

    scaled = fleet_cost(fleet[:2], plans, "usd", total=4)
    assert scaled.estimated and scaled.monthly == Decimal("72.00")


def test_runway_in_words() -> None:
    assert runway(Decimal("100"), Decimal("0")) is None
    assert runway_words(runway(Decimal("100"), Decimal("0.5"))) == "about 8 days"
    assert runway_words(runway(Decimal("412.37"), Decimal("1.5"))) == "about 11 days"
    assert runway_words(runway(Decimal("900"), Decimal("0.5"))) == "about 75 days"
    assert runway_words(runway(Decimal("-3"), Decimal("0.5"))) == "used up"
    assert runway_words(None) == "no running cost"


def test_the_balance_history_walks_back_from_the_balance() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    newest_first = [
        Transaction(id=3, type="debit", amount=Decimal("30"), created_at=at),
        Transaction(id=2, type="credit", amount=Decimal("50"), created_at=at - timedelta(1)),
        Transaction(id=1, type="debit", amount=Decimal("5"), created_at=at - timedelta(2)),
    ]
    assert balance_history(Decimal("100"), newest_first) == [
        Decimal("85"),
        Decimal("80"),
        Decimal("130"),
        Decimal("100"),
    ]


def test_money_shows_symbol_or_code_and_sign() -> None:
    assert money(Decimal("1234.5"), "USD", "$") == "$1,234.50"
    assert money(Decimal("-2.5"), "EUR") == "-2.50 EUR"
    assert money(Decimal("0.0164"), "USD", "$", places=4) == "$0.0164"


# -- in the app --------------------------------------------------------------------------------


async def test_runway_of_the_demo_fleet_and_its_warning_under_a_week(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    # Worked out from the simulator itself: active servers at their plans' USD prices.
    catalog = sim.world.catalog
    billed = [s for s in sim.world.servers.values() if s.status == "active"]
    hourly = sum((catalog.hourly_usd(s.plan_id) for s in billed), Decimal(0))
    monthly = sum((catalog.monthly_usd(s.plan_id) for s in billed), Decimal(0))
    assert (len(billed), hourly, monthly) == (20, Decimal("0.6288"), Decimal("459.00"))
    assert sim.world.wallet.balance / hourly / 24 > 27  # 412.37 / 0.6288 h = 27.3 days

    async with app.run_test(size=(120, 40)) as pilot:
        await open_section(pilot, clock, "billing", lambda: "Runway" in burn_text(app))
        shown = burn_text(app)
        assert "$459.00/month · $0.6288/hour" in shown
        assert "about 27 days (until 28 Jan 2026)" in shown
        assert "20 servers with status active, running or stopped" in shown
        assert "under a week" not in shown

        sim.world.wallet.balance = Decimal("50.00")
        await pilot.press("ctrl+r")
        await until(pilot, clock, lambda: "under a week" in burn_text(app))
        assert "about 3 days" in burn_text(app)


async def test_transactions_load_page_by_page_and_feed_the_sparkline(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    total = len(sim.world.transactions)
    async with app.run_test(size=(80, 24)) as pilot:
        transactions = await open_section(pilot, clock, "billing")
        await until(pilot, clock, lambda: len(transactions.records) == 50)
        assert transactions.count_text == f"50 of {total} (50 loaded)"
        assert [r.query.get("page") for r in reads_of(sim, "/balance/transactions")] == ["1"]

        await pilot.press("G")
        await until(pilot, clock, lambda: len(transactions.records) == total)
        assert transactions.count_text == f"{total} of {total}"
        sparkline = section(app).query_one(Sparkline)
        data = list(sparkline.data or [])
        assert len(data) == total + 1
        assert data[-1] == float(sim.world.wallet.balance)
        first = transactions.visible_keys[0]
        assert first == str(max(t.id for t in sim.world.transactions))
        assert table(app) is transactions
