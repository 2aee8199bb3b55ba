"""The billing section: the wallet, the fleet's burn rate and runway, and the transactions.

Feeds, all polled only while the section is on screen: the wallet (``GET /balance``), the
transactions page by page (the next page when the user scrolls near the end), and the
servers (``GET /servers?limit=100``, at most :data:`MAX_FLEET_PAGES` pages) whose plans'
prices make the burn rate. Plans come from the shared catalog cache.
"""

from __future__ import annotations

from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from ..api import ArianetError
from ..api.models import Page, Plan, Server, Transaction, Wallet
from ..widgets.money import FleetCost, balance_history, fleet_cost
from ..widgets.resource_table import ResourceTable
from ..widgets.table_state import failure_note
from .base import SectionScreen
from .billing_panels import (
    burn_panel,
    sparkline_caption,
    transaction_columns,
    transaction_fields,
    wallet_panel,
)

BALANCE_FEED = "billing/balance"
TRANSACTIONS_PAGE = 50
FLEET_PAGE = 100
#: Beyond this many pages of servers the burn rate is scaled up from what was read.
MAX_FLEET_PAGES = 10
BALANCE_SECONDS = 60.0
FLEET_SECONDS = 300.0
OLDER_PAGE_SECONDS = 600.0
EMPTY = "No transactions yet: charges and top-ups show here as they happen."


def transactions_feed(page: int) -> str:
    return f"billing/transactions/page/{page}"


def fleet_feed(page: int) -> str:
    return f"billing/fleet/page/{page}"


class BillingScreen(SectionScreen):
    """Section 4: money in, money out, and how long it lasts."""

    SECTION = "billing"
    TITLE = "Billing"
    data_feed = BALANCE_FEED

    DEFAULT_CSS = """
    BillingScreen #billing-summary {
        height: auto;
        max-height: 9;
        padding: 0 1;
        border-bottom: solid $panel-lighten-2;
    }
    BillingScreen #billing-wallet {
        width: 26;
        height: auto;
    }
    BillingScreen #billing-burn {
        width: 1fr;
        height: auto;
    }
    BillingScreen #billing-sparkline {
        height: 2;
        margin-right: 1;
    }
    BillingScreen #transactions-table {
        height: 1fr;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.wallet: Wallet | None = None
        self.plans: list[Plan] | None = None
        self.plans_problem = ""
        self._fleet: dict[int, list[Server]] = {}
        self._fleet_total: int | None = None
        self._pending: list[Transaction] = []
        self._tx_pages: set[int] = set()
        self._tx_last_page = 1

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="billing-summary"):
            yield Static(id="billing-wallet")
            with Vertical(id="billing-burn"):
                yield Static(id="billing-burn-text")
                yield Static(id="billing-sparkline-caption")
                yield Sparkline([], id="billing-sparkline")
        yield ResourceTable(
            transaction_columns(lambda: self.wallet),
            key=lambda t: t.id,
            fields=transaction_fields,
            title="Transactions",
            sort="date",
            empty_text="Loading transactions…",
            id="transactions-table",
        )

    @property
    def table(self) -> ResourceTable[Transaction]:
        return self.query_one("#transactions-table", ResourceTable)

    # -- feeds ------------------------------------------------------------------------------

    def register_feeds(self) -> None:
        client = self.services.client
        self.wallet = self.host.wallet
        self.table.sort_by("date", reverse=True)
        self.add_feed(
            BALANCE_FEED,
            client.get_balance,
            self._got_wallet,
            interval=BALANCE_SECONDS,
            on_error=self._summary_failed,
        )
        self._add_transactions_page(1)
        self._add_fleet_page(1)
        self._load_plans()
        self._render_summary()
        self.table.focus_table()

    def _add_transactions_page(self, page: int) -> None:
        if transactions_feed(page) in self.feeds:
            return
        self.add_feed(
            transactions_feed(page),
            partial(self.services.client.list_transactions, page=page, limit=TRANSACTIONS_PAGE),
            partial(self._got_transactions, page),
            interval=None if page == 1 else OLDER_PAGE_SECONDS,
            on_error=self._transactions_failed,
        )

    def _add_fleet_page(self, page: int) -> None:
        if fleet_feed(page) in self.feeds:
            return
        self.add_feed(
            fleet_feed(page),
            partial(self.services.client.list_servers, page=page, limit=FLEET_PAGE),
            partial(self._got_fleet, page),
            interval=FLEET_SECONDS,
            on_error=self._summary_failed,
        )

    @work(exclusive=True, group="billing-plans")
    async def _load_plans(self) -> None:
        try:
            self.plans = await self.services.catalog.plans()
        except ArianetError as error:
            self.plans_problem = f"Plan prices are unavailable ({error}); ctrl+r tries again."
        else:
            self.plans_problem = ""
        self._render_summary()

    def refresh_now(self) -> None:
        super().refresh_now()
        if self.plans is None:
            self._load_plans()

    # -- data -------------------------------------------------------------------------------

    def _got_wallet(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self.host.wallet = wallet
        if self._pending:
            pending, self._pending = self._pending, []
            self._show_transactions(pending)
        self._render_summary()

    def _got_transactions(self, page: int, data: Page[Transaction]) -> None:
        self._tx_pages.add(page)
        self._tx_last_page = max(1, data.pagination.last_page)
        self.table.set_total(data.pagination.total)
        self.table.set_note("")
        if self.wallet is None:
            # Amounts are shown in the wallet's currency: wait for it, then show them all.
            self._pending.extend(data.data)
        else:
            self._show_transactions(data.data)
        if data.pagination.total == 0:
            self.table.set_empty_text(EMPTY)

    def _show_transactions(self, transactions: list[Transaction]) -> None:
        self.table.update_rows(transactions)
        self._render_history()

    def _got_fleet(self, page: int, data: Page[Server]) -> None:
        self._fleet[page] = list(data.data)
        self._fleet_total = data.pagination.total
        last = min(max(1, data.pagination.last_page), MAX_FLEET_PAGES)
        for stale in [p for p in self._fleet if p > last]:
            del self._fleet[stale]
            self.drop_feed(fleet_feed(stale))
        if page == 1:
            for more in range(2, last + 1):
                self._add_fleet_page(more)
        self._render_summary()

    def _transactions_failed(self, error: Exception) -> None:
        self.table.set_note(failure_note(error))
        if not self.table.records:
            self.table.set_empty_text("Could not load the transactions; ctrl+r tries again.")
        self.feed_failed(error)

    def _summary_failed(self, error: Exception) -> None:
        if self.wallet is None or not self._fleet:
            self.query_one("#billing-burn-text", Static).update(
                burn_panel(None, None, 0.0, f"Could not read the account ({error}); ctrl+r.")
            )
        self.feed_failed(error)

    @on(ResourceTable.NearEnd)
    def _near_end(self) -> None:
        loaded = max(self._tx_pages, default=0)
        if loaded and loaded < self._tx_last_page:
            self._add_transactions_page(loaded + 1)

    # -- rendering --------------------------------------------------------------------------

    def fleet_cost(self) -> FleetCost | None:
        """The burn rate of the servers read so far; None until servers and prices are in."""
        if self.wallet is None or self.plans is None or 1 not in self._fleet:
            return None
        servers = [server for page in sorted(self._fleet) for server in self._fleet[page]]
        return fleet_cost(servers, self.plans, self.wallet.currency.code, total=self._fleet_total)

    def _render_summary(self) -> None:
        now = self.services.clock()
        self.query_one("#billing-wallet", Static).update(wallet_panel(self.wallet))
        burn = burn_panel(self.wallet, self.fleet_cost(), now, self.plans_problem)
        self.query_one("#billing-burn-text", Static).update(burn)
        self._render_history()

    def _render_history(self) -> None:
        wallet = self.wallet
        records = self.table.records.values()
        newest_first = sorted(
            records, key=lambda t: (t.created_at.timestamp() if t.created_at else 0.0, t.id)
        )[::-1]
        points = balance_history(wallet.balance, newest_first) if wallet else []
        caption = sparkline_caption(wallet, points, len(newest_first))
        self.query_one("#billing-sparkline-caption", Static).update(caption)
        self.query_one("#billing-sparkline", Sparkline).data = [float(p) for p in points]
