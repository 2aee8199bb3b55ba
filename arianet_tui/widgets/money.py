"""Money for the billing section: amounts, the fleet's burn rate, the runway, the history.

Which servers cost money: those whose ``status`` is ``active``, running or stopped. A
stopped server keeps its disk and addresses, so it stays on the bill; servers still being
created, failed, suspended or terminated are left out. :data:`BILLED_RULE` says this on
screen. Prices are the plans' own hourly and monthly prices in the wallet's currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import humanize

from ..api.models import Plan, Server, Transaction

BILLED_RULE = "status active, running or stopped"
#: A runway shorter than this is shown as a warning.
RUNWAY_WARNING = timedelta(days=7)
_CREDIT_TYPES = frozenset({"credit", "refund", "deposit", "top-up", "topup"})


def money(amount: Decimal, code: str, symbol: str = "", *, places: int = 2) -> str:
    """``$1,234.50`` with a symbol, ``1,234.50 EUR`` without; negatives lead with ``-``."""
    sign = "-" if amount < 0 else ""
    figure = f"{abs(amount):,.{places}f}"
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{figure} {code}"


def is_credit(transaction: Transaction) -> bool:
    """Credits add to the balance; every other type (``debit``…) takes from it."""
    return transaction.type.lower() in _CREDIT_TYPES


def signed_amount(transaction: Transaction) -> Decimal:
    """The transaction's effect on the balance: positive for credits."""
    amount = abs(transaction.amount)
    return amount if is_credit(transaction) else -amount


def is_billed(server: Server) -> bool:
    """True for servers that count towards the burn rate (see :data:`BILLED_RULE`)."""
    return server.status == "active"


@dataclass(frozen=True)
class FleetCost:
    """What the billed servers cost, in one currency."""

    currency: str
    hourly: Decimal
    monthly: Decimal
    #: Billed servers whose plan has a price in ``currency``.
    counted: int
    #: Billed servers whose plan is unknown or has no price in ``currency``.
    unpriced: int
    #: Servers read and servers the account holds; fewer read means the cost is scaled up.
    read: int
    total: int

    @property
    def estimated(self) -> bool:
        return 0 < self.read < self.total


def fleet_cost(
    servers: Iterable[Server], plans: Iterable[Plan], currency: str, *, total: int | None = None
) -> FleetCost:
    """Sum the prices of the billed servers among ``servers``.

    When only ``read`` of ``total`` servers were read, the sums are scaled up by
    ``total / read`` and the result says it is an estimate.
    """
    by_id = {plan.id: plan for plan in plans}
    wanted = currency.lower()
    hourly = monthly = Decimal(0)
    counted = unpriced = read = 0
    for server in servers:
        read += 1
        if not is_billed(server):
            continue
        plan = by_id.get(server.plan.id) if server.plan else None
        price = plan.price_in(currency) if plan else None
        if price is None or wanted not in (price.code.lower(), price.currency.lower()):
            unpriced += 1
            continue
        hourly += price.hourly
        monthly += price.monthly
        counted += 1
    total = max(total or read, read)
    if 0 < read < total:
        scale = Decimal(total) / Decimal(read)
        hourly, monthly = hourly * scale, monthly * scale
    return FleetCost(currency.upper(), hourly, monthly, counted, unpriced, read, total)


def runway(balance: Decimal, hourly: Decimal) -> timedelta | None:
    """How long ``balance`` lasts at ``hourly``; None when nothing is spent."""
    if hourly <= 0:
        return None
    if balance <= 0:
        return timedelta(0)
    return timedelta(hours=float(balance / hourly))


def runway_words(span: timedelta | None) -> str:
    """``about 11 days``; ``used up`` for nothing left; ``no running cost`` for no rate."""
    if span is None:
        return "no running cost"
    if span <= timedelta(0):
        return "used up"
    # Counted in days up to three months: "about 45 days" says more than "about a month".
    return f"about {humanize.naturaldelta(span, months=span >= timedelta(days=90))}"


def balance_history(balance: Decimal, newest_first: Sequence[Transaction]) -> list[Decimal]:
    """The balance after each transaction, oldest first, ending at today's ``balance``.

    Walks back from the current balance: before a transaction the balance was the balance
    after it minus its effect.
    """
    after = balance
    points = [after]
    for transaction in newest_first:
        after -= signed_amount(transaction)
        points.append(after)
    points.reverse()
    return points
