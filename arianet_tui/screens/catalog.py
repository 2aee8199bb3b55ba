"""The catalog section: regions, plans side by side with every price, OS templates.

Everything comes from the shared on-disk catalog cache (kept a day); the feed only asks the
cache, so it costs a request only when an entry is missing or old. ``ctrl+r`` re-reads every
entry from the API. Choosing a region (``r``) shows that region's own plans and OS
templates (``/plans/datacenter/{id}``, ``/os/datacenter/{id}``).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..api.models import OsTemplate, Plan, Region
from ..widgets.badges import age
from ..widgets.money import money
from ..widgets.resource_table import ResourceTable
from ..widgets.safe import safe_plain, safe_text
from ..widgets.table_state import failure_note
from .base import SectionScreen
from .catalog_columns import currencies, os_columns, os_fields, plan_columns, plan_fields
from .create_server import CreateServerScreen
from .dialogs import ChoiceDialog, ConfirmDialog

FEED = "catalog"
#: The cache answers from disk for a day; asking it hourly notices when a day has passed.
CACHE_CHECK_SECONDS = 3600.0
ALL_REGIONS = -1


@dataclass
class CatalogData:
    regions: list[Region] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    templates: list[OsTemplate] = field(default_factory=list)


class CatalogScreen(SectionScreen):
    """Section 5: what can be bought, where, and with which operating systems."""

    SECTION = "catalog"
    TITLE = "Catalog"
    data_feed = FEED

    DEFAULT_CSS = """
    CatalogScreen #catalog-info {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CatalogScreen #catalog-plans {
        height: 3fr;
    }
    CatalogScreen #catalog-os {
        height: 2fr;
    }
    """

    BINDINGS = [
        Binding("r", "choose_region", "Region", id="catalog.region"),
        Binding("p", "sort('price')", "By price", id="catalog.sort_price"),
        Binding("m", "sort('memory')", "By memory", id="catalog.sort_memory"),
        Binding("n", "new_server", "New server", id="catalog.new_server"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.chosen_region: Region | None = None
        self.data = CatalogData()
        self.regions_by_id: dict[int, Region] = {}
        self._codes: list[str] = []
        self._force = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="catalog-info")
        yield self._plans_table([])
        yield ResourceTable(
            os_columns(self.regions_by_id),
            key=lambda t: t.id,
            fields=os_fields,
            title="OS templates",
            sort="region",
            empty_text="Loading OS templates…",
            id="catalog-os",
        )

    def _plans_table(self, codes: list[str]) -> ResourceTable[Plan]:
        symbols = {}
        wallet = self.host.wallet
        if wallet is not None:
            symbols[wallet.currency.code.upper()] = safe_plain(wallet.currency.symbol)
        return ResourceTable(
            plan_columns(codes, symbols, self.regions_by_id),
            key=lambda p: p.id,
            fields=plan_fields,
            title="Plans",
            sort="recommended",
            empty_text="Loading plans…",
            id="catalog-plans",
        )

    @property
    def plans_table(self) -> ResourceTable[Plan]:
        return self.query_one("#catalog-plans", ResourceTable)

    @property
    def os_table(self) -> ResourceTable[OsTemplate]:
        return self.query_one("#catalog-os", ResourceTable)

    # -- the feed ---------------------------------------------------------------------------

    def register_feeds(self) -> None:
        self.add_feed(
            FEED,
            self._read_catalog,
            self._got,
            bucket="public",
            interval=CACHE_CHECK_SECONDS,
            on_error=self._failed,
        )
        self._render_info()
        self.plans_table.focus_table()

    async def _read_catalog(self) -> CatalogData:
        force, self._force = self._force, False
        catalog = self.services.catalog
        data = CatalogData(
            regions=await catalog.regions(force=force),
            plans=await catalog.plans(force=force),
            templates=await catalog.os_templates(force=force),
        )
        region = self.chosen_region
        if region is not None:
            # The region's own lists: /plans does not always say where a plan is offered.
            plans = await catalog.plans_for(region.id, force=force)
            data.plans = [
                p if p.datacenter else p.model_copy(update={"datacenter": region}) for p in plans
            ]
            data.templates = await catalog.os_for(region.id, force=force)
        return data

    def refresh_now(self) -> None:
        """``ctrl+r``: read every catalog entry from the API again, not from the cache."""
        self._force = True
        super().refresh_now()
        self.notify("Reading regions, plans and OS templates from the API…", title="Catalog")

    def _got(self, data: CatalogData) -> None:
        self.data = data
        self.regions_by_id.clear()
        self.regions_by_id.update({r.id: r for r in data.regions})
        self._show_plans(data.plans)
        templates = self.os_table
        templates.update_rows(data.templates, complete=True)
        templates.set_note("")
        if not data.templates:
            templates.set_empty_text("No OS templates offered here; choose another region (r).")
        self._render_info()

    def _failed(self, error: Exception) -> None:
        self.plans_table.set_note(failure_note(error))
        if not self.plans_table.records:
            self.plans_table.set_empty_text("Could not read the catalog; ctrl+r tries again.")
        self.feed_failed(error)

    @work(exclusive=True, group="catalog-table")
    async def _show_plans(self, plans: list[Plan]) -> None:
        wallet = self.host.wallet
        codes = currencies(plans, wallet.currency.code if wallet else None)
        if codes != self._codes:
            # Each currency has its own price columns: rebuild the table for a new set.
            self._codes = codes
            old = self.plans_table
            focused = old.grid.has_focus
            sort, reverse = old.sort_column, old.sort_reverse
            await old.remove()
            table = self._plans_table(codes)
            await self.mount(table, before=self.os_table)
            table.sort_by(
                sort if sort in {c.key for c in table.columns} else "recommended", reverse=reverse
            )
            if focused or self.focused is None:
                table.focus_table()
        table = self.plans_table
        table.update_rows(plans, complete=True)
        table.set_note("")
        if not plans:
            table.set_empty_text("No plans offered here; choose another region (r).")

    # -- showing ----------------------------------------------------------------------------

    def _render_info(self) -> None:
        where = safe_plain(self.chosen_region.name) if self.chosen_region else "all regions"
        info = Text.assemble(("Region ", "dim"), (where, "bold"), (" (r)", "dim"))
        fetched = self.services.catalog.fetched_at("plans")
        if fetched is not None:
            when = age_of(fetched, self.services.clock())
            info.append(f" · read {when} (kept a day; ctrl+r re-reads)", style="dim")
        self.query_one("#catalog-info", Static).update(info)

    # -- actions ----------------------------------------------------------------------------

    @work(exclusive=True, group="catalog-action")
    async def action_choose_region(self) -> None:
        regions = self.data.regions
        if not regions:
            self.notify("The regions are not loaded yet.", title="Catalog", severity="warning")
            return
        choices: list[tuple[Hashable, RenderableType]] = [(ALL_REGIONS, Text("All regions"))]
        for region in regions:
            label = safe_text(region.name, style="bold")
            label.append_text(safe_text(f"  {region.display_name}  {region.country}", limit=40))
            choices.append((region.id, label))
        chosen = await self.app.push_screen_wait(
            ChoiceDialog(
                "Show which region?",
                Text("Plans and OS templates offered in:"),
                choices,
                selected=self.chosen_region.id if self.chosen_region else ALL_REGIONS,
                confirm_label="Show",
            )
        )
        if chosen is None:
            return
        self.chosen_region = None if chosen == ALL_REGIONS else self.regions_by_id.get(int(chosen))
        self._render_info()
        self.services.scheduler.request_refresh(FEED)

    def action_sort(self, what: str) -> None:
        table = self.plans_table
        if what == "memory":
            table.sort_by("memory", reverse=False)
        elif self._codes:
            table.sort_by(f"{self._codes[0]}-mo", reverse=False)

    @work(exclusive=True, group="catalog-action")
    async def action_new_server(self) -> None:
        plan = self.plans_table.current
        if plan is None:
            self.notify("Choose a plan first.", title="New server", severity="warning")
            return
        region = plan.datacenter or self.chosen_region
        if region is None:
            self.notify(
                "This plan does not say where it is offered: choose a region first (r).",
                title="New server",
                severity="warning",
            )
            return
        created = await self.app.push_screen_wait(CreateServerScreen(plan=plan, region=region))
        if created is not None:
            self.notify(
                f"{safe_plain(created.hostname or created.id)} is being created; see it in "
                "Servers (1).",
                title="New server",
                markup=False,
            )

    @on(ResourceTable.RowOpened, "#catalog-plans")
    def _plan_opened(self, event: ResourceTable.RowOpened) -> None:
        plan: Plan = event.record
        self.app.push_screen(
            ConfirmDialog(f"Plan {safe_plain(plan.name)}", plan_details(plan), confirm_label=None)
        )


def age_of(fetched_at: float, now: float) -> str:
    text = age(datetime.fromtimestamp(fetched_at, UTC), now)
    return text if text == "just now" else f"{text} ago"


def plan_details(plan: Plan) -> Table:
    """Every spec and every price of one plan, for the dialog ``enter`` opens."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    name = safe_text(plan.name, style="bold")
    if plan.recommended:
        name.append("  ★ recommended", style="yellow")
    grid.add_row("Plan", name)
    if plan.datacenter is not None:
        where = safe_text(plan.datacenter.name)
        where.append_text(safe_text(f"  {plan.datacenter.display_name}", style="dim"))
        grid.add_row("Region", where)
    grid.add_row("CPU", safe_text(plan.specs.cpu or "-"))
    grid.add_row("Memory", safe_text(plan.specs.memory or "-"))
    grid.add_row("Storage", safe_text(plan.specs.storage or "-"))
    grid.add_row("Billing", safe_text(plan.cycle or "-"))
    for price in plan.prices:
        code = safe_plain(price.currency)
        line = f"{money(price.hourly, code, places=4)}/hour · {money(price.monthly, code)}/month"
        if price.yearly is not None:
            line += f" · {money(price.yearly, code)}/year"
        grid.add_row(f"Price {code}", Text(line))
    grid.add_row("", Text("n creates a server with this plan", style="dim"))
    return grid
