"""What the billing section shows: the wallet, the burn rate and runway, the transactions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from rich.table import Table
from rich.text import Text

from ..api.models import Transaction, Wallet
from ..widgets.money import (
    BILLED_RULE,
    RUNWAY_WARNING,
    FleetCost,
    is_credit,
    money,
    runway,
    runway_words,
    signed_amount,
)
from ..widgets.resource_table import Column
from ..widgets.safe import safe_plain, safe_text


def wallet_money(wallet: Wallet, amount: Decimal, *, places: int = 2) -> str:
    currency = wallet.currency
    return money(amount, safe_plain(currency.code), safe_plain(currency.symbol), places=places)


def wallet_panel(wallet: Wallet | None) -> Table | Text:
    """Balance with its symbol, the currency, status and whether it is the primary wallet."""
    if wallet is None:
        return Text("Reading the wallet…", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_row(Text("Wallet", style="bold"))
    style = "bold red" if wallet.balance <= 0 else "bold"
    grid.add_row(Text(wallet_money(wallet, wallet.balance), style=style))
    currency = safe_text(wallet.currency.code, style="bold")
    if wallet.currency.name:
        currency.append_text(safe_text(f" {wallet.currency.name}", limit=22))
    grid.add_row(currency)
    status = safe_text(wallet.status, style="green" if wallet.status == "active" else "yellow")
    grid.add_row(Text.assemble("status ", status))
    grid.add_row(Text("primary wallet" if wallet.primary else "not the primary wallet"))
    return grid


def runway_text(wallet: Wallet, cost: FleetCost, now: float) -> Text:
    """``about 11 days (until 12 Jan)``, in the warning colour when under a week."""
    span = runway(wallet.balance, cost.hourly)
    words = runway_words(span)
    if span is None:
        return Text(words, style="green")
    if span <= timedelta(0):
        return Text(f"{words}: top up the wallet", style="bold red")
    until = datetime.fromtimestamp(now, UTC) + span
    text = Text(words, style="bold")
    if span < timedelta(days=3650):
        text.append(f" (until {until:%d %b %Y})")
    if span < RUNWAY_WARNING:
        text.stylize("bold yellow")
        text.append("  ⚠ under a week: top up soon", style="bold yellow")
    return text


def burn_panel(
    wallet: Wallet | None, cost: FleetCost | None, now: float, problem: str = ""
) -> Table | Text:
    """Monthly and hourly cost of the billed fleet and how long the balance lasts."""
    if problem:
        return Text(problem, style="yellow")
    if wallet is None or cost is None:
        return Text("Working out the burn rate from the fleet and the plans' prices…", "dim")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    rate = Text(wallet_money(wallet, cost.monthly), style="bold")
    rate.append("/month · ")
    rate.append(wallet_money(wallet, cost.hourly, places=4))
    rate.append("/hour")
    if cost.estimated:
        rate.append(" (estimated)", style="yellow")
    grid.add_row("Burn rate", rate)
    grid.add_row("Runway", runway_text(wallet, cost, now))
    grid.add_row("Counted", Text(_counted(cost)))
    return grid


def _counted(cost: FleetCost) -> str:
    noun = "server" if cost.counted == 1 else "servers"
    line = f"{cost.counted} {noun} with {BILLED_RULE}"
    if cost.unpriced:
        line += f"; {cost.unpriced} without a {safe_plain(cost.currency)} price left out"
    if cost.estimated:
        line += f"; scaled up from {cost.read:,} of {cost.total:,} servers read"
    return line


def sparkline_caption(wallet: Wallet | None, points: Sequence[Decimal], count: int) -> Text:
    if wallet is None or len(points) < 2:
        return Text("Balance history: loading transactions…", style="dim")
    low, high = min(points), max(points)
    return Text(
        f"Balance, last {count} transactions: "
        f"{wallet_money(wallet, low)} … {wallet_money(wallet, high)}",
        style="dim",
    )


def _date(transaction: Transaction) -> Text:
    when = transaction.created_at
    return Text(when.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if when else "-")


def transaction_columns(wallet: Callable[[], Wallet | None]) -> list[Column[Transaction]]:
    """The transactions table; amounts are in the currency of ``wallet()``."""

    def amount(transaction: Transaction) -> Text:
        value = signed_amount(transaction)
        current = wallet()
        shown = wallet_money(current, abs(value)) if current else f"{abs(value):,.2f}"
        if is_credit(transaction):
            return Text(f"+{shown}", style="green")
        return Text(f"-{shown}", style="red")

    return [
        Column(
            "date",
            "Date",
            _date,
            lambda t: t.created_at.timestamp() if t.created_at else 0.0,
        ),
        Column(
            "type",
            "Type",
            lambda t: safe_text(t.type, limit=8, style="green" if is_credit(t) else ""),
        ),
        Column("amount", "Amount", amount, signed_amount),
        Column("description", "Description", lambda t: safe_text(t.description, limit=60)),
    ]


def transaction_fields(transaction: Transaction) -> dict[str, str]:
    return {
        "type": transaction.type,
        "description": transaction.description,
        "amount": str(transaction.amount),
        "date": transaction.created_at.isoformat() if transaction.created_at else "",
    }
