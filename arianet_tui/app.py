"""ArianetApp: the six sections, the global keys, the header, and the one path for writes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from .api import ArianetError, Bucket, BucketState, ReadOnlyError
from .api.models import User, Wallet
from .config import Animations
from .live.scheduler import SchedulerStatus
from .screens.activity import ActivityScreen
from .screens.base import SECTION_TABS
from .screens.context import Services, WriteRequest, WriteResult
from .screens.first_run import FirstRunChoice, FirstRunScreen
from .screens.help import KeysHelp
from .screens.palette import DashboardCommands
from .screens.profile_switch import (
    ProfileCommands,
    ProfileError,
    ProfileSwitch,
    leave_switching,
    reset_modes,
    show_switching,
)
from .screens.servers import ServersScreen
from .widgets.header import AppHeader, BudgetView, HeaderState
from .widgets.safe import safe_plain

log = logging.getLogger("arianet_tui.app")

#: Where each section's screen lives. Only the servers section is imported before the first
#: paint; the others load the first time the user opens them.
SECTIONS: dict[str, str] = {
    "servers": "arianet_tui.screens.servers:ServersScreen",
    "firewalls": "arianet_tui.screens.firewalls:FirewallsScreen",
    "ssh_keys": "arianet_tui.screens.ssh_keys:SshKeysScreen",
    "billing": "arianet_tui.screens.billing:BillingScreen",
    "catalog": "arianet_tui.screens.catalog:CatalogScreen",
    "account": "arianet_tui.screens.account:AccountScreen",
}


def _section_factory(where: str) -> Callable[[], Screen[Any]]:
    module, _, name = where.partition(":")

    def build() -> Screen[Any]:
        screen_class: type[Screen[Any]] = getattr(importlib.import_module(module), name)
        return screen_class()

    return build


# Account e-mail and balance are shown on every screen but change rarely.
HEADER_FEED_SECONDS = 300.0


def stylesheet_path() -> Path:
    """styles.tcss: inside the package when installed, at the top of the checkout otherwise."""
    packaged = Path(__file__).with_name("styles.tcss")
    return packaged if packaged.exists() else Path(__file__).parent.parent / "styles.tcss"


def _budget(state: BucketState, now: float, name: str) -> BudgetView:
    blocked = state.seconds_to_reset(now) if state.is_blocked(now) else None
    return BudgetView(state.remaining, state.limit, state.seconds_to_reset(now), blocked, name)


def format_money(wallet: Wallet) -> str:
    symbol = wallet.currency.symbol or ""
    amount = f"{wallet.balance:,.2f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {wallet.currency.code}"


def freeze_startup_heap() -> None:
    """Keep what exists before the app runs out of the garbage collector's sight.

    Modules, classes, settings and the demo's world live as long as the process. A full
    collection walked all of them whenever enough new objects piled up, and with a large
    page in memory that took 50-80 ms, which key presses waited for; frozen, a full
    collection walks only what came later (``gc.freeze``).
    """
    gc.freeze()


class ArianetApp(App[None]):
    """The dashboard. Built with its services (client, scheduler, journal, catalog, clock);
    without them it first asks for a token through ``connect``, which builds them."""

    CSS_PATH = stylesheet_path()
    TITLE = "Arianet"
    MODES: ClassVar[dict[str, Any]] = {
        mode: _section_factory(where) for mode, where in SECTIONS.items()
    }
    COMMANDS = App.COMMANDS | {DashboardCommands, ProfileCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS = [
        *(
            Binding(str(n), f"section('{mode}')", title, show=False, id=f"app.section_{mode}")
            for n, (mode, title) in enumerate(SECTION_TABS, start=1)
        ),
        # ctrl+p too: Textual adds its own palette key only when no binding opens the palette.
        Binding("colon,ctrl+p", "command_palette", "Commands", key_display=":", id="app.palette"),
        Binding("question_mark", "show_keys", "Keys", key_display="?", id="app.keys"),
        Binding("A", "show_activity", "Activity", id="app.activity"),
        Binding("ctrl+r", "refresh_now", "Refresh", show=False, id="app.refresh"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    user: reactive[User | None] = reactive(None)
    wallet: reactive[Wallet | None] = reactive(None)

    def __init__(
        self,
        services: Services | None = None,
        *,
        connect: Callable[[FirstRunChoice], Services] | None = None,
        token_path: Path | None = None,
        token_hint: str = "",
        theme: str | None = None,
        profiles: ProfileSwitch | None = None,
        keymap: Mapping[str, str] | None = None,
        animations: Animations = "auto",
    ) -> None:
        super().__init__()
        self.profile_switch = profiles
        self._wanted_keymap = dict(keymap or {})
        self._animations = animations
        self._usual_animation_level = self.animation_level
        self._header_timer: Timer | None = None
        self._services = services
        self._connect = connect
        self._token_path = token_path or Path("token")
        self._token_hint = token_hint
        self._wanted_theme = theme
        self._scheduler_worker: Worker[None] | None = None
        self._outage: str | None = None
        self._after_logout = False

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the app has no services before the first-run screen ends")
        return self._services

    # -- start ------------------------------------------------------------------------------

    def run(self, *args: Any, **kwargs: Any) -> Any:
        freeze_startup_heap()
        return super().run(*args, **kwargs)

    def on_mount(self) -> None:
        theme = self._wanted_theme or (self._services.settings.theme if self._services else "")
        if theme in self.available_themes:
            self.theme = theme
        if self._wanted_keymap:
            self.set_keymap(self._wanted_keymap)
        self._calm_terminal()
        if self._services is not None:
            self._start()
        else:
            self.push_screen(
                FirstRunScreen(self._token_path, self._token_hint), self._first_run_done
            )

    def _first_run_done(self, choice: FirstRunChoice | None) -> None:
        if choice is None or self._connect is None:
            self.exit()
            return
        try:
            self._services = self._connect(choice)
        except ArianetError as error:
            self.show_error(error)
            self.push_screen(
                FirstRunScreen(self._token_path, self._token_hint), self._first_run_done
            )
            return
        self._start()
        if self._after_logout:
            # The in-between screen of the log out goes once a section is current.
            self._after_logout = False
            self.call_after_refresh(self.run_worker, leave_switching(self), exit_on_error=False)

    def _start(self) -> None:
        scheduler = self.services.scheduler
        # The budget in the header follows every request, not only the one-second tick.
        scheduler.subscribe(self._scheduler_changed)
        self._scheduler_worker = self.run_worker(
            scheduler.run(), name="scheduler", group="scheduler", exit_on_error=False
        )
        if self._header_timer is None:
            self._header_timer = self.set_interval(1.0, self.update_header)
        self.switch_mode(ServersScreen.SECTION)
        # The section's first read goes first (it also learns the rate limits for the
        # others); the account and balance of the header follow once it is on screen.
        self.call_after_refresh(self._watch_account, self.services)

    def _watch_account(self, services: Services) -> None:
        if services is not self._services:
            return  # another account was opened in between
        scheduler, client = services.scheduler, services.client
        scheduler.register("header/me", client.get_me, self._got_user, interval=3600.0)
        scheduler.register(
            "header/balance", client.get_balance, self._got_wallet, interval=HEADER_FEED_SECONDS
        )
        scheduler.show("header/me")
        scheduler.show("header/balance")

    def _calm_terminal(self) -> None:
        """No animations over SSH or in a small terminal: every frame would cross the link."""
        animations = self._animations
        if animations != "auto":
            self.animation_level = animations
            return
        small = self.size.width < 100 or self.size.height < 30
        calm = small or bool(os.environ.get("SSH_CONNECTION"))
        self.animation_level = "none" if calm else self._usual_animation_level

    def _scheduler_changed(self, status: SchedulerStatus) -> None:
        """Repaint the header; say once when the service is lost and once when it is back."""
        if status.outage != self._outage:
            if status.outage is not None and self._outage is None:
                self.notify(
                    f"{safe_plain(status.outage)}\nThe last data stays on screen, marked stale.",
                    title="Arianet unreachable",
                    severity="warning",
                    markup=False,
                )
            elif status.outage is None:
                self.notify("Data is fresh again.", title="Back online", markup=False)
            self._outage = status.outage
        self.update_header()

    def _got_user(self, user: User) -> None:
        self.user = user
        self.update_header()

    def _got_wallet(self, wallet: Wallet) -> None:
        self.wallet = wallet
        self.update_header()

    # -- header -----------------------------------------------------------------------------

    def header_state(self) -> HeaderState:
        """What the header shows now, for the screen the user is looking at."""
        services = self.services
        now = services.clock()
        limits = services.client.rate_limits
        budget = _budget(limits.state(Bucket.READ), now, "reads")
        writes = _budget(limits.state(Bucket.WRITE), now, "writes")

        updated_ago: float | None = None
        stale = False
        feed = self._data_feed()
        if feed is not None:
            info = services.scheduler.feed_info(feed)
            if info is not None and info.last_success_at is not None:
                updated_ago = max(0.0, now - info.last_success_at)
            stale = bool(info is not None and info.stale)
        return HeaderState(
            email=self.user.email if self.user else None,
            balance=format_money(self.wallet) if self.wallet else None,
            budget=budget,
            updated_ago=updated_ago,
            stale=stale,
            demo=services.demo,
            read_only=services.client.read_only,
            writes=writes,
            outage=services.scheduler.status().outage,
            profile=services.settings.profile,
            production=services.settings.production,
        )

    def _data_feed(self) -> str | None:
        for screen in reversed(self.screen_stack):
            feed = getattr(screen, "data_feed", None)
            if feed is not None:
                return str(feed)
        return None

    def update_header(self) -> None:
        if self._services is None:
            return
        state = self.header_state()
        for screen in self.screen_stack:
            for header in screen.query(AppHeader):
                header.show(state)

    def watch_screen_stack(self) -> None:
        self.update_header()

    # -- actions ----------------------------------------------------------------------------

    def action_section(self, mode: str) -> None:
        if self._services is not None and self.current_mode != mode:
            self.switch_mode(mode)
            self.call_after_refresh(self.update_header)

    def action_show_keys(self) -> None:
        if not isinstance(self.screen, KeysHelp):
            self.push_screen(KeysHelp(self.screen))

    def action_show_activity(self) -> None:
        if self._services is not None and not isinstance(self.screen, ActivityScreen):
            self.push_screen(ActivityScreen(self.services.journal))

    def action_refresh_now(self) -> None:
        for screen in reversed(self.screen_stack):
            refresh = getattr(screen, "refresh_now", None)
            if refresh is not None:
                refresh()
                return

    # -- profiles ---------------------------------------------------------------------------

    @property
    def profile(self) -> str | None:
        return self._services.settings.profile if self._services is not None else None

    def switch_profile(self, name: str) -> None:
        """Reconnect as profile ``name``: new services, every section built afresh."""
        self.run_worker(
            self._switch_profile(name), group="profile", exclusive=True, exit_on_error=False
        )

    async def _switch_profile(self, name: str) -> None:
        switch, old = self.profile_switch, self._services
        if switch is None or old is None or name == self.profile:
            return
        if any(w.group == "writes" and w.is_running for w in self.workers):
            self.notify(
                "Writes are still running; switch when they are done (A shows them).",
                title="Profile not switched",
                severity="warning",
            )
            return
        try:
            services = switch.build(name)
        except ProfileError as error:
            self.notify(
                safe_plain(str(error)), title=f"Profile {name}", severity="error", markup=False
            )
            return
        except ArianetError as error:
            self.show_error(error, context=f"profile {name}")
            return

        await show_switching(self, f"Switching to profile {name}…")
        await self._disconnect()
        self._services = services
        if services.settings.theme != old.settings.theme:
            self.theme = services.settings.theme
        self._animations = services.settings.animations
        self._calm_terminal()
        self._start()
        await leave_switching(self)
        log.info("switched to profile %s (%s)", name, services.client.base_url)
        self.notify(f"Connected to {services.client.base_url}", title=f"Profile {name}")

    async def _disconnect(self) -> None:
        """Stop the scheduler, close the client and drop every section built on them."""
        await reset_modes(self, self.MODES)
        if self._scheduler_worker is not None:
            self._scheduler_worker.cancel()
        if self._services is not None:
            await self._services.client.aclose()
        self._services, self.user, self.wallet, self._outage = None, None, None, None

    def return_to_first_run(self, hint: str) -> None:
        """After log out: forget the account and ask for a token again (or the demo)."""
        self.run_worker(
            self._return_to_first_run(hint), group="profile", exclusive=True, exit_on_error=False
        )

    async def _return_to_first_run(self, hint: str) -> None:
        await show_switching(self, hint)
        await self._disconnect()
        self._token_hint, self._after_logout = hint, True
        self.push_screen(FirstRunScreen(self._token_path, hint), self._first_run_done)

    # -- writes -----------------------------------------------------------------------------

    async def run_write(self, request: WriteRequest, *, quiet: bool = False) -> WriteResult:
        """Send one write through the activity journal and react to its outcome.

        Success: toast, follow the server. Failure: titled error toast. Unknown outcome
        (timeout, 5xx, dropped connection): a warning toast and a re-read of the affected
        feeds and server, never a resend.
        """
        journal = self.services.journal
        try:
            value = await journal.run(
                request.action,
                request.target,
                request.method,
                request.path,
                request.body,
                request.call,
            )
        except ArianetError as error:
            result = WriteResult(request.target, False, error=error)
        else:
            result = WriteResult(request.target, True, value)
        self._after_write(request, result)
        if not quiet:
            self._toast(request, result)
        return result

    def _after_write(self, request: WriteRequest, result: WriteResult) -> None:
        scheduler = self.services.scheduler
        if isinstance(result.error, ReadOnlyError):
            return
        if request.server_id is not None and (result.ok or result.unknown):
            scheduler.follow_server(request.server_id)
        if result.unknown:
            for key in request.refresh:
                with contextlib.suppress(KeyError):
                    scheduler.request_refresh(key)

    def _toast(self, request: WriteRequest, result: WriteResult) -> None:
        error = result.error
        if error is None:
            if request.success is not None:
                message = request.success(result.value)
            else:
                message = getattr(result.value, "message", "") or "done"
            text = f"{request.target}: {message}"
            self.notify(safe_plain(text), title=request.action, markup=False)
        elif result.unknown:
            self.notify(
                safe_plain(f"{request.action} on {request.target}: {error}")
                + "\nIt may or may not have happened; re-reading. Verify before trying again.",
                title="Unknown, verify",
                severity="warning",
                timeout=12,
                markup=False,
            )
        else:
            self.show_error(error, context=f"{request.action} {request.target}")

    def submit_write(
        self,
        request: WriteRequest,
        *,
        on_done: Callable[[WriteResult], None] | None = None,
        quiet: bool = False,
    ) -> Worker[WriteResult]:
        """Run a write in an app worker, so leaving a screen never cancels it mid-flight.

        Writes are not exclusive: cancelling one in flight would leave its outcome unknown.
        """

        async def write() -> WriteResult:
            result = await self.run_write(request, quiet=quiet)
            if on_done is not None:
                on_done(result)
            return result

        return self.run_worker(write(), group="writes", exit_on_error=False)

    def submit_bulk(
        self,
        action: str,
        requests: Sequence[WriteRequest],
        *,
        on_done: Callable[[list[WriteResult]], None] | None = None,
    ) -> Worker[list[WriteResult]]:
        """One write per target (the journal keeps one entry each) and one summary toast."""

        async def bulk() -> list[WriteResult]:
            results = list(
                await asyncio.gather(*(self.run_write(r, quiet=True) for r in requests))
            )
            self._toast_summary(action, results)
            if on_done is not None:
                on_done(results)
            return results

        return self.run_worker(bulk(), group="writes", exit_on_error=False)

    def _toast_summary(self, action: str, results: Sequence[WriteResult]) -> None:
        done = [r for r in results if r.ok]
        unknown = [r for r in results if r.unknown]
        failed = [r for r in results if not r.ok and not r.unknown]
        lines = [f"{len(done)} done, {len(failed)} failed, {len(unknown)} unknown"]
        lines += [f"{r.target}: unknown, verify" for r in unknown]
        lines += [f"{r.target}: {r.error}" for r in failed]
        severity: SeverityLevel = "error" if failed else "warning" if unknown else "information"
        text = "\n".join(safe_plain(line) for line in lines)
        self.notify(text, title=action, severity=severity, markup=False)

    def show_error(self, error: ArianetError, *, context: str = "") -> None:
        message = safe_plain(f"{context}: {error}" if context else str(error))
        log.info("shown error %s: %s", type(error).__name__, message)
        self.notify(message, title=error.title, severity="error", timeout=10, markup=False)

    # -- misc -------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return Screen()

    async def on_unmount(self) -> None:
        if self._services is not None:
            await self.services.client.aclose()
