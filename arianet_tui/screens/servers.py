"""The servers section: the live fleet table and every server action on it.

The list is read page by page (``GET /servers?limit=100``): the first page at once, the
next one when the user scrolls near the end of what is loaded. Each loaded page is a
scheduler feed, polled only while rows of it are on screen. Servers in transition are
followed by the scheduler, whose status updates change their rows in place.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Iterator
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult

from ..api.models import Page, Server, ServerStatus
from ..widgets.badges import age, power_badge, status_badge
from ..widgets.resource_table import Column, ResourceTable
from ..widgets.safe import safe_text
from .base import PaletteCommand, SectionScreen
from .server_actions import ServerActionScreen
from .server_detail import ServerDetailScreen

PAGE_SIZE = 100
#: A page longer than this (from a service that ignores ``limit``) is put in the table this
#: many rows per step, so that key presses are handled in between.
APPLY_SLICE = 200


def page_feed(page: int) -> str:
    return f"servers/page/{page}"


def _ip_order(server: Server) -> tuple[int, int, str]:
    ip = server.primary_ip
    if not ip:
        return (2, 0, "")
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return (1, 0, ip)
    return (0, address.version * 2**128 + int(address), ip)


def server_fields(server: Server) -> dict[str, str]:
    """What the filter searches: ``status:active`` and plain words over these."""
    region = server.datacenter
    return {
        "hostname": server.hostname or "",
        "ip": " ".join(a.ip for a in server.ip_addresses),
        "region": f"{region.name} {region.display_name}" if region else "",
        "plan": server.plan.name if server.plan else "",
        "os": server.os.name if server.os else "",
        "status": server.status,
        "power": server.instance_status or "",
        "id": str(server.id),
    }


def server_columns(now: Callable[[], float]) -> list[Column[Server]]:
    """The columns of the servers table; ``now`` gives the time that ages count from."""

    def text(value: str | None, limit: int) -> Text:
        return safe_text(value or "-", limit=limit)

    return [
        Column(
            "hostname",
            "Hostname",
            lambda s: text(s.hostname, 24),
            sort_key=lambda s: (s.hostname or "").lower(),
        ),
        Column("status", "Status", lambda s: status_badge(s.status), lambda s: s.status),
        Column(
            "power",
            "Power",
            lambda s: power_badge(s.instance_status),
            lambda s: s.instance_status or "",
        ),
        Column("ip", "IP", lambda s: text(s.primary_ip, 39), sort_key=_ip_order),
        Column(
            "plan",
            "Plan",
            lambda s: text(s.plan.name if s.plan else None, 16),
            lambda s: s.plan.name.lower() if s.plan else "",
        ),
        Column(
            "region",
            "Region",
            lambda s: text(s.datacenter.name if s.datacenter else None, 14),
            lambda s: s.datacenter.name if s.datacenter else "",
        ),
        Column(
            "os",
            "OS",
            lambda s: text(s.os.name if s.os else None, 18),
            lambda s: s.os.name.lower() if s.os else "",
        ),
        Column(
            "protected",
            "Prot",
            lambda s: Text("yes", style="bold") if s.protected else Text("-", style="dim"),
            lambda s: not s.protected,
        ),
        Column(
            "age",
            "Age",
            lambda s: Text(age(s.created_at, now())),
            lambda s: -(s.created_at.timestamp() if s.created_at else 0.0),
        ),
    ]


class ServersScreen(SectionScreen, ServerActionScreen):
    """Section 1: every server of the account, live."""

    SECTION = "servers"
    TITLE = "Servers"
    data_feed = page_feed(1)

    def __init__(self) -> None:
        super().__init__()
        self._page_of: dict[int, int] = {}
        self._pages_loaded: set[int] = set()
        self._last_page = 1
        self._unsubscribe: list[Callable[[], None]] = []

    def compose_body(self) -> ComposeResult:
        yield ResourceTable(
            server_columns(self.services.clock),
            key=lambda s: s.id,
            fields=server_fields,
            title="Servers",
            sort="hostname",
            empty_text="No servers yet: press n to create one.",
            id="servers-table",
        )

    @property
    def table(self) -> ResourceTable[Server]:
        return self.query_one("#servers-table", ResourceTable)

    # -- feeds ------------------------------------------------------------------------------

    def register_feeds(self) -> None:
        self._add_page(1)
        scheduler = self.services.scheduler
        self._unsubscribe = [
            scheduler.on_server_update(self._status_update),
            scheduler.on_server_settled(self._settled),
        ]
        self.table.focus_table()
        # The rows on screen change with the scroll position as well as with the cursor.
        self.watch(self.table.grid, "scroll_y", self._sync_page_visibility, init=False)

    def on_unmount(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()

    def _add_page(self, page: int) -> None:
        if page_feed(page) in self.feeds:
            return
        client = self.services.client
        self.add_feed(
            page_feed(page),
            partial(client.list_servers, page=page, limit=PAGE_SIZE),
            partial(self._got_page, page),
        )

    def _got_page(self, page: int, data: Page[Server]) -> None:
        table = self.table
        self._last_page = max(1, data.pagination.last_page)
        self._pages_loaded.add(page)
        ids = {server.id for server in data.data}

        # Rows this page held before and no longer holds were deleted, or slid to the next
        # page; if that page is loaded, its own refresh decides.
        gone = [sid for sid, p in self._page_of.items() if p == page and sid not in ids]
        next_loaded = page + 1 in self._pages_loaded
        for server_id in gone:
            if next_loaded:
                self._page_of[server_id] = page + 1
            else:
                del self._page_of[server_id]
        if not next_loaded:
            table.remove_rows(gone)
        for server_id in ids:
            self._page_of[server_id] = page

        table.set_total(data.pagination.total)
        if len(data.data) > APPLY_SLICE:
            self.run_worker(
                self._apply_in_slices(data.data), group=page_feed(page), exclusive=True
            )
        else:
            self._apply(data.data)

    async def _apply_in_slices(self, servers: list[Server]) -> None:
        for start in range(0, len(servers), APPLY_SLICE):
            if start:
                await asyncio.sleep(0)
            self._apply(servers[start : start + APPLY_SLICE])

    def _apply(self, servers: list[Server]) -> None:
        self.table.update_rows(servers)
        self._follow_transitions(servers)

    def _follow_transitions(self, servers: list[Server]) -> None:
        scheduler = self.services.scheduler
        for server in servers:
            if server.in_transition and server.id not in scheduler.followed:
                scheduler.follow_server(server.id)

    def _status_update(self, server_id: int, status: ServerStatus) -> None:
        server = self.table.record(str(server_id))
        if server is not None:
            update = {"status": status.status, "instance_status": status.instance_status}
            self.table.update_rows([server.model_copy(update=update)])

    def _settled(self, server_id: int, status: ServerStatus | None) -> None:
        if status is None:
            self.server_removed(server_id)
            return
        # A settled server may have new fields (addresses after creation): re-read its page.
        page = self._page_of.get(server_id, 1)
        if page_feed(page) in self.feeds:
            self.services.scheduler.request_refresh(page_feed(page))

    @on(ResourceTable.NearEnd)
    def _near_end(self) -> None:
        loaded = max(self._pages_loaded, default=0)
        if loaded and loaded < self._last_page:
            self._add_page(loaded + 1)

    @on(ResourceTable.RowHighlighted)
    def _highlighted(self, event: ResourceTable.RowHighlighted) -> None:
        self._sync_page_visibility()

    def _sync_page_visibility(self) -> None:
        """Poll only the pages that hold rows the user can see."""
        if len(self._pages_loaded) < 2:
            return
        grid = self.table.grid
        top = round(grid.scroll_y)
        keys = self.table.visible_keys[top : top + grid.size.height + 1]
        wanted = {self._page_of.get(int(k), 1) for k in keys} or {1}
        scheduler = self.services.scheduler
        for page in self._pages_loaded:
            if page in wanted:
                scheduler.show(page_feed(page))
            else:
                scheduler.hide(page_feed(page))

    # -- ServerActionScreen -----------------------------------------------------------------

    def current_server(self) -> Server | None:
        return self.table.current

    def bulk_targets(self) -> list[Server]:
        marked = self.table.marked
        return marked or super().bulk_targets()

    def server_changed(self, server: Server) -> None:
        self.table.update_rows([server])

    def server_removed(self, server_id: int) -> None:
        self._page_of.pop(server_id, None)
        self.table.remove_rows([server_id])

    def server_created(self, server: Server) -> None:
        self._page_of[server.id] = self._last_page
        self.table.update_rows([server])
        self.table.move_to(server.id)

    def feeds_to_reread(self, server: Server) -> tuple[str, ...]:
        page = self._page_of.get(server.id, 1)
        return (page_feed(page),)

    # -- opening ----------------------------------------------------------------------------

    @on(ResourceTable.RowOpened)
    def _open(self, event: ResourceTable.RowOpened) -> None:
        self.app.push_screen(ServerDetailScreen(event.record))

    def palette_commands(self) -> Iterator[PaletteCommand]:
        yield from super().palette_commands()
        table = self.table
        for column in table.columns:
            yield PaletteCommand(
                f"Sort by {column.label.lower()}",
                "servers table (< > pick, ~ reverses)",
                partial(table.sort_by, column.key),
            )
