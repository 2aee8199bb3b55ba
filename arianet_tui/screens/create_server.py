"""The create-server wizard: region, plan, OS template, hostname, summary, then one POST.

Steps move forward with ``enter`` and back with ``escape`` (from the first step it closes).
The POST is sent once; a failure that surely was not processed lets the user try again,
an unknown outcome closes the wizard with an "unknown, verify" toast instead.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..api import ArianetError
from ..api.models import OsTemplate, Plan, Region, Server, Wallet
from ..widgets.safe import safe_plain, safe_text
from .context import Host, WriteRequest, WriteResult, host
from .server_rules import hostname_problem

STEPS = ("Region", "Plan", "OS template", "Hostname", "Summary")


def money(amount: Decimal, currency: str, symbol: str = "") -> str:
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"


def plan_order(plan: Plan, currency: str) -> tuple[int, Decimal, str]:
    """Recommended plans first, then the cheapest."""
    price = plan.price_in(currency)
    return (0 if plan.recommended else 1, price.monthly if price else Decimal(0), plan.name)


class CreateServerScreen(ModalScreen[Server | None]):
    """Walks through the choices a new server needs and creates it."""

    DEFAULT_CSS = """
    CreateServerScreen {
        align: center middle;
        background: $background 60%;
    }
    CreateServerScreen > #wizard {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary 80%;
        background: $surface;
        padding: 0 1;
    }
    CreateServerScreen #wizard-title {
        text-style: bold;
    }
    CreateServerScreen #wizard-hint {
        color: $text-muted;
        padding-bottom: 1;
    }
    CreateServerScreen OptionList {
        height: auto;
        max-height: 14;
        padding: 0;
    }
    CreateServerScreen #wizard-reason {
        color: $error;
        height: auto;
    }
    CreateServerScreen #wizard-buttons {
        height: auto;
        align-horizontal: right;
        padding-top: 1;
    }
    CreateServerScreen #wizard-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [Binding("escape", "back", "Back", id="create.back")]

    def __init__(
        self,
        refresh: tuple[str, ...] = (),
        *,
        plan: Plan | None = None,
        region: Region | None = None,
    ) -> None:
        """``plan`` and ``region`` (from the catalog) answer the first two steps."""
        super().__init__()
        self.preset = (plan, region) if plan is not None and region is not None else None
        #: Feeds that list servers: re-read when the outcome of the POST is unknown.
        self.reread_feeds = refresh
        self.step = 0
        self.regions: list[Region] = []
        self.plans: list[Plan] = []
        self.templates: list[OsTemplate] = []
        self.chosen_region: Region | None = None
        self.chosen_plan: Plan | None = None
        self.chosen_os: OsTemplate | None = None
        self.hostname = ""
        self.sending = False

    @property
    def host(self) -> Host:
        return host(self.app)

    @property
    def wallet(self) -> Wallet | None:
        return self.host.wallet

    @property
    def currency(self) -> str:
        return self.wallet.currency.code if self.wallet else "USD"

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="wizard"):
            yield Label(id="wizard-title")
            yield Static(id="wizard-hint")
            yield OptionList(id="wizard-options")
            yield Input(placeholder="hostname, e.g. web-3", id="wizard-hostname")
            yield Static(id="wizard-summary")
            yield Static(id="wizard-reason")
            with Horizontal(id="wizard-buttons"):
                yield Button("Back", id="back")
                yield Button("Next", id="next", variant="primary")

    def on_mount(self) -> None:
        self._show_step(0)
        self._load_regions()

    def _show_step(self, step: int) -> None:
        self.step = step
        title = f"New server · step {step + 1} of {len(STEPS)}: {STEPS[step]}"
        self.query_one("#wizard-title", Label).update(title)
        self.query_one("#wizard-reason", Static).update("")
        options = self.query_one(OptionList)
        hostname = self.query_one(Input)
        summary = self.query_one("#wizard-summary", Static)
        options.display = step < 3
        hostname.display = step == 3
        summary.display = step == 4
        next_button = self.query_one("#next", Button)
        next_button.label = "Create" if step == 4 else "Next"
        next_button.disabled = False
        self.query_one("#back", Button).label = "Cancel" if step == 0 else "Back"
        if step < 3:
            options.focus()
        elif step == 3:
            hostname.value = self.hostname
            hostname.focus()
        else:
            summary.update(self._summary())
            next_button.focus()
        self._hint()

    def _hint(self) -> None:
        hints = {
            0: "Where the server runs.",
            1: f"Prices in {self.currency}; recommended plans first (★).",
            2: "Operating systems offered in this region.",
            3: "Letters, digits and hyphens; dots between parts (RFC 1123).",
            4: "Check the choices; Create sends one request.",
        }
        self.query_one("#wizard-hint", Static).update(hints[self.step])

    def _fill(self, items: list[tuple[str, RenderableType]], selected: int | None = None) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(label, id=key) for key, label in items])
        options.highlighted = selected if selected is not None else (0 if items else None)

    # -- loading ----------------------------------------------------------------------------

    @work(exclusive=True, group="wizard-load")
    async def _load_regions(self) -> None:
        try:
            self.regions = await self.host.services.catalog.regions()
        except ArianetError as error:
            self.host.show_error(error, context="Regions")
            return
        self._fill([(str(r.id), _region_label(r)) for r in self.regions])
        if self.preset is not None:
            await self._answer_preset(*self.preset)

    async def _answer_preset(self, plan: Plan, region: Region) -> None:
        """Open at the OS step with the catalog's plan and region; escape walks back."""
        catalog = self.host.services.catalog
        try:
            plans = await catalog.plans_for(region.id)
            self.templates = await catalog.os_for(region.id)
        except ArianetError as error:
            self.host.show_error(error, context="Plans and OS templates")
            self.dismiss(None)
            return

        self.chosen_region = next((r for r in self.regions if r.id == region.id), region)
        self.plans = sorted(plans, key=lambda p: plan_order(p, self.currency))
        self.chosen_plan = next((p for p in self.plans if p.id == plan.id), None)
        if self.chosen_plan is None:
            self.notify(
                f"{safe_plain(plan.name)} is not offered in {safe_plain(region.name)} any "
                "more; choose another plan.",
                title="New server",
                severity="warning",
                markup=False,
            )
            self._show_step(1)
            self._fill([(str(p.id), self._plan_label(p)) for p in self.plans])
            return
        self._show_step(2)
        self._fill([(str(t.id), safe_text(t.name)) for t in self.templates])

    @work(exclusive=True, group="wizard-load")
    async def _load_for_region(self, region: Region) -> None:
        catalog = self.host.services.catalog
        try:
            plans = await catalog.plans_for(region.id)
            self.templates = await catalog.os_for(region.id)
        except ArianetError as error:
            self.host.show_error(error, context="Plans and OS templates")
            self._show_step(0)
            return
        self.plans = sorted(plans, key=lambda p: plan_order(p, self.currency))
        self._fill([(str(p.id), self._plan_label(p)) for p in self.plans])

    def _plan_label(self, plan: Plan) -> Text:
        """One plan on one line, in aligned columns: name, specs, hourly, monthly."""
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append("★ " if plan.recommended else "  ", style="yellow")
        label.append_text(_cell(plan.name, 16, style="bold"))
        specs = " · ".join(
            safe_plain(v) for v in (plan.specs.cpu, plan.specs.memory, plan.specs.storage) if v
        )
        label.append_text(_cell(specs, 27))
        price = plan.price_in(self.currency)
        if price is not None:
            symbol = self._symbol(price.currency)
            hourly = f"{money(price.hourly, price.currency, symbol)}/h"
            monthly = f"{money(price.monthly, price.currency, symbol)}/mo"
            label.append(hourly.rjust(8), style="dim")
            label.append(monthly.rjust(11), style="bold")
        return label

    def _plan_summary(self, plan: Plan) -> Text:
        specs = [plan.specs.cpu, plan.specs.memory, plan.specs.storage]
        text = safe_text(plan.name, style="bold")
        text.append_text(safe_text("  " + ", ".join(v for v in specs if v)))
        price = plan.price_in(self.currency)
        if price is not None:
            hourly = money(price.hourly, price.currency, self._symbol(price.currency))
            text.append(f"  {hourly}/h", style="dim")
        return text

    def _symbol(self, currency: str) -> str:
        wallet = self.wallet
        if wallet and wallet.currency.code.lower() == currency.lower():
            return wallet.currency.symbol
        return ""

    # -- moving through the steps -----------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._next()

    @on(Input.Submitted)
    def _hostname_entered(self) -> None:
        self._next()

    @on(Input.Changed)
    def _hostname_typed(self, event: Input.Changed) -> None:
        problem = hostname_problem(event.value.strip()) if event.value else None
        self.query_one("#wizard-reason", Static).update(Text(problem or ""))

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        index = self.query_one(OptionList).highlighted
        if self.step == 0 and index is not None and self.regions:
            self.chosen_region = self.regions[index]
            self.plans, self.templates = [], []
            self._show_step(1)
            self._fill([])
            self._load_for_region(self.chosen_region)
        elif self.step == 1 and index is not None and self.plans:
            self.chosen_plan = self.plans[index]
            self._show_step(2)
            self._fill([(str(t.id), safe_text(t.name)) for t in self.templates])
        elif self.step == 2 and index is not None and self.templates:
            self.chosen_os = self.templates[index]
            self._show_step(3)
        elif self.step == 3:
            value = self.query_one(Input).value.strip()
            problem = hostname_problem(value)
            if problem:
                self.query_one("#wizard-reason", Static).update(Text(problem))
                return
            self.hostname = value
            self._show_step(4)
        elif self.step == 4:
            self._create()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self.sending:
            return
        if self.step == 0:
            self.dismiss(None)
            return
        previous = self.step - 1
        self._show_step(previous)
        if previous == 0:
            chosen = (
                self.regions.index(self.chosen_region) if self.chosen_region in self.regions else 0
            )
            self._fill([(str(r.id), _region_label(r)) for r in self.regions], chosen)
        elif previous == 1:
            chosen = self.plans.index(self.chosen_plan) if self.chosen_plan in self.plans else 0
            self._fill([(str(p.id), self._plan_label(p)) for p in self.plans], chosen)
        elif previous == 2:
            chosen = (
                self.templates.index(self.chosen_os) if self.chosen_os in self.templates else 0
            )
            self._fill([(str(t.id), safe_text(t.name)) for t in self.templates], chosen)

    # -- summary and create -----------------------------------------------------------------

    def _summary(self) -> Text:
        assert self.chosen_region and self.chosen_plan and self.chosen_os
        text = Text()
        rows: list[tuple[str, Text]] = [
            ("Region", _region_label(self.chosen_region)),
            ("Plan", self._plan_summary(self.chosen_plan)),
            ("OS", safe_text(self.chosen_os.name)),
            ("Hostname", safe_text(self.hostname, style="bold")),
        ]
        for name, value in rows:
            text.append(f"{name:<10}", style="dim")
            text.append_text(value)
            text.append("\n")
        price = self.chosen_plan.price_in(self.currency)
        wallet = self.wallet
        if price is not None:
            symbol = self._symbol(price.currency)
            text.append(f"\n{'Monthly':<10}", style="dim")
            text.append(money(price.monthly, price.currency, symbol), style="bold")
            if wallet is not None and wallet.currency.code.lower() == price.currency.lower():
                balance = money(wallet.balance, wallet.currency.code, symbol)
                text.append(f" of your balance {balance}")
                if wallet.balance < price.monthly:
                    text.append("\n\nThe balance does not cover one month.", style="bold red")
                else:
                    left = money(wallet.balance - price.monthly, wallet.currency.code, symbol)
                    text.append(f", leaving {left}")
        return text

    def _create(self) -> None:
        if self.sending or not (self.chosen_region and self.chosen_plan and self.chosen_os):
            return
        self.sending = True
        self.query_one("#next", Button).disabled = True
        self.query_one("#wizard-reason", Static).update(Text("Creating…"))
        body: dict[str, Any] = {
            "plan_id": self.chosen_plan.id,
            "datacenter_id": self.chosen_region.id,
            "os_id": self.chosen_os.id,
            "hostname": self.hostname,
        }
        request = WriteRequest(
            action="Create",
            target=self.hostname,
            method="POST",
            path="servers",
            call=partial(self.host.services.client.create_server, **body),
            body=body,
            refresh=self.reread_feeds,
            success=lambda server: f"created, id {getattr(server, 'id', '?')}; following it",
        )
        self.host.submit_write(request, on_done=self._created)

    def _created(self, result: WriteResult) -> None:
        self.sending = False
        if result.ok and isinstance(result.value, Server):
            self.host.services.scheduler.follow_server(result.value.id)
            self.dismiss(result.value)
        elif result.unknown:
            self.dismiss(None)
        elif self.is_attached:
            self.query_one("#next", Button).disabled = False
            reason = str(result.error) if result.error else "failed"
            self.query_one("#wizard-reason", Static).update(Text(reason))


def _cell(value: str, width: int, style: str = "") -> Text:
    """A value cut or padded to ``width`` cells plus a gap, so rows line up."""
    text = safe_text(value, limit=width, style=style)
    text.pad_right(width - text.cell_len + 2)
    return text


def _region_label(region: Region) -> Text:
    label = safe_text(region.display_name or region.name, style="bold")
    label.append("  ")
    label.append_text(safe_text(region.name, style="dim"))
    if region.country:
        label.append("  ")
        label.append_text(safe_text(region.country, style="dim"))
    return label
