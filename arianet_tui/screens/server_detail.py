"""One server in full: every field, all its addresses, its plan's specs and price, live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from functools import partial

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..api import ArianetError, NotFound
from ..api.models import Plan, Server, ServerStatus
from ..widgets.badges import age, power_badge, status_badge
from ..widgets.footer import KeysFooter
from ..widgets.header import AppHeader
from ..widgets.safe import safe_text
from .create_server import money
from .server_actions import ServerActionScreen
from .server_rules import name_of

DETAIL_INTERVAL = 30.0


class ServerDetailScreen(ServerActionScreen):
    """Opened with ``enter`` on a server; ``escape`` goes back to the list."""

    BINDINGS = [Binding("escape", "back", "Back", id="server_detail.back")]

    def __init__(self, server: Server) -> None:
        super().__init__()
        self.server = server
        self.plan: Plan | None = None
        self.gone = False
        self.data_feed = f"server/{server.id}"
        self._unsubscribe: list[Callable[[], None]] = []

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(id="server-detail"):
            yield Static(id="server-detail-body")
        yield KeysFooter()

    def register_feeds(self) -> None:
        client = self.services.client
        self.add_feed(
            f"server/{self.server.id}",
            partial(client.get_server, self.server.id),
            self._got_server,
            interval=DETAIL_INTERVAL,
            on_error=self._feed_error,
        )
        scheduler = self.services.scheduler
        self._unsubscribe = [scheduler.on_server_update(self._status_update)]
        self._render_body()
        self._load_plan()

    def on_unmount(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    @work(exclusive=True, group="detail-plan")
    async def _load_plan(self) -> None:
        if self.server.plan is None:
            return
        try:
            plans = await self.services.catalog.plans()
        except ArianetError:
            return
        self.plan = next((p for p in plans if p.id == self.server.plan.id), None)
        self._render_body()

    def _got_server(self, server: Server) -> None:
        self.server_changed(server)

    def _feed_error(self, error: Exception) -> None:
        if isinstance(error, NotFound):
            self.gone = True
            self._render_body()
        else:
            self.feed_failed(error)

    def _status_update(self, server_id: int, status: ServerStatus) -> None:
        if server_id == self.server.id:
            update = {"status": status.status, "instance_status": status.instance_status}
            self.server_changed(self.server.model_copy(update=update))

    # -- ServerActionScreen -----------------------------------------------------------------

    def current_server(self) -> Server | None:
        return None if self.gone else self.server

    def server_changed(self, server: Server) -> None:
        if server.id != self.server.id:
            return
        self.server = server
        self._render_body()
        for screen in self.app.screen_stack:
            if screen is not self and hasattr(screen, "server_changed"):
                screen.server_changed(server)

    def server_removed(self, server_id: int) -> None:
        for screen in self.app.screen_stack:
            if screen is not self and hasattr(screen, "server_removed"):
                screen.server_removed(server_id)
        if server_id == self.server.id and self.app.screen is self:
            self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- rendering --------------------------------------------------------------------------

    def _render_body(self) -> None:
        self.query_one("#server-detail-body", Static).update(self._body())

    def _body(self) -> Table:
        server = self.server
        now = self.services.clock()
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()

        title = safe_text(name_of(server), style="bold")
        if self.gone:
            title.append("  (deleted)", style="bold red")
        grid.add_row("Server", title)
        grid.add_row("ID", Text(str(server.id)))
        grid.add_row("Status", status_badge(server.status))
        grid.add_row("Power", power_badge(server.instance_status))
        protected = Text("on", style="bold") if server.protected else Text("off")
        protected.append("  (p toggles)", style="dim")
        grid.add_row("Protection", protected)
        grid.add_row("Billing cycle", safe_text(server.cycle or "-"))
        if server.created_at is not None:
            created = server.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
            ago = age(server.created_at, now)
            ago = ago if ago == "just now" else f"{ago} ago"
            grid.add_row("Created", Text(f"{created} ({ago})"))

        grid.add_row("", "")
        if server.ip_addresses:
            for index, address in enumerate(server.ip_addresses):
                line = safe_text(address.ip, style="bold" if index == 0 else "")
                line.append_text(safe_text(f"  {address.type}", style="dim"))
                grid.add_row("IP addresses" if index == 0 else "", line)
        else:
            grid.add_row("IP addresses", Text("none yet", style="dim"))

        grid.add_row("", "")
        region = server.datacenter
        if region is not None:
            where = safe_text(region.display_name or region.name)
            where.append_text(safe_text(f"  {region.name} {region.country}", style="dim"))
            grid.add_row("Region", where)
        grid.add_row("OS", safe_text(server.os.name if server.os else "-"))
        grid.add_row("Plan", safe_text(server.plan.name if server.plan else "-"))
        if self.plan is not None:
            specs = self.plan.specs
            grid.add_row("  CPU", safe_text(specs.cpu or "-"))
            grid.add_row("  Memory", safe_text(specs.memory or "-"))
            grid.add_row("  Storage", safe_text(specs.storage or "-"))
            wallet = self.host.wallet
            code = wallet.currency.code if wallet else "USD"
            price = self.plan.price_in(code)
            if price is not None:
                symbol = wallet.currency.symbol if wallet and wallet.currency.code == code else ""
                cost = Text(
                    f"{money(price.hourly, price.currency, symbol)}/hour, "
                    f"{money(price.monthly, price.currency, symbol)}/month"
                )
                grid.add_row("  Price", cost)
        elif server.plan is not None:
            grid.add_row("", Text("loading plan specs…", style="dim"))
        return grid
