"""The base classes of every section and detail screen.

How to write a section (firewalls, SSH keys, billing, catalog, account follow servers):

1. Subclass :class:`SectionScreen` in ``screens/<name>.py`` and set ``SECTION`` (the mode
   name used by keys 1-6 and the palette) and ``TITLE``; ``app.SECTIONS`` names its module.
2. Build the body in :meth:`SectionScreen.compose_body`; the header, the section tabs
   and the footer come from the base. Layout rules go in the top-level ``styles.tcss``.
3. Read data only through the refresh scheduler: in :meth:`LiveScreen.register_feeds` call
   :meth:`LiveScreen.add_feed` for each thing the screen shows. The base shows the feeds
   while the screen is visible (a modal dialog on top still counts), hides them when the
   user goes elsewhere and unregisters them when the screen goes away. Set ``data_feed``
   to the feed whose age the header shows ("updated 3s ago").
4. Bindings: each ``Binding`` has an ``id`` (``<section>.<action>``) and a description;
   they show in the footer, in ``?`` and, via :meth:`palette_commands`, in the palette.
5. Writes: build a :class:`~arianet_tui.screens.context.WriteRequest` and hand it to
   ``self.host.submit_write(...)`` (or ``submit_bulk`` for marked rows). It goes through
   the activity journal, toasts the outcome, and re-reads on an unknown outcome. Never
   call a write coroutine of the client directly.
6. Show API text only through ``widgets.safe.safe_text``; show failures with
   ``self.host.show_error(error)`` (a titled toast), never a traceback.
7. ``ctrl+r`` calls :meth:`refresh_now`; ``escape`` on a detail screen goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..api import ArianetError
from ..widgets.footer import KeysFooter
from ..widgets.header import AppHeader, SectionTabs
from .context import Host, Services, host

if TYPE_CHECKING:
    from ..live.scheduler import Feed


@dataclass(frozen=True)
class PaletteCommand:
    """One entry of the command palette for the current screen."""

    title: str
    help: str
    callback: Callable[[], Any]


#: The six sections in key order: (mode name, title shown in the tabs).
SECTION_TABS: tuple[tuple[str, str], ...] = (
    ("servers", "Servers"),
    ("firewalls", "Firewalls"),
    ("ssh_keys", "SSH keys"),
    ("billing", "Billing"),
    ("catalog", "Catalog"),
    ("account", "Account"),
)


class LiveScreen(Screen[None]):
    """A screen whose data comes from scheduler feeds that follow its visibility."""

    #: The feed whose last success the header shows as "updated 3s ago".
    data_feed: str | None = None

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._feeds: list[str] = []
        self._feeds_shown = False

    @property
    def host(self) -> Host:
        return host(self.app)

    @property
    def services(self) -> Services:
        return self.host.services

    # -- feeds ------------------------------------------------------------------------------

    def register_feeds(self) -> None:
        """Register this screen's feeds with :meth:`add_feed`; called once on mount."""

    def add_feed(
        self,
        key: str,
        fetch: Callable[[], Awaitable[Any]],
        on_data: Callable[[Any], None],
        *,
        bucket: str = "read",
        interval: float | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> Feed[Any]:
        """Register a scheduler feed owned by this screen; it is shown right away."""
        feed = self.services.scheduler.register(
            key,
            fetch,
            on_data,
            on_error=on_error or self.feed_failed,
            bucket=bucket,
            interval=interval,
        )
        self._feeds.append(key)
        self.services.scheduler.show(key)
        return feed

    def drop_feed(self, key: str) -> None:
        """Unregister one of this screen's feeds."""
        if key in self._feeds:
            self._feeds.remove(key)
            self.services.scheduler.unregister(key)

    @property
    def feeds(self) -> list[str]:
        return list(self._feeds)

    def feed_failed(self, error: Exception) -> None:
        """A background read failed: the last good data stays, marked stale by the header.

        Only failures the user can act on are toasted; transient ones just mark staleness.
        """
        if isinstance(error, ArianetError) and error.status in (401, 403):
            self.host.show_error(error)

    def refresh_now(self) -> None:
        """``ctrl+r``: ask the scheduler for the feeds on screen, within the budget.

        Feeds the screen keeps hidden (pages of a long list scrolled out of sight) wait
        until they come into view; re-reading them would spend reads on nothing shown.
        """
        scheduler = self.services.scheduler
        for key in self._feeds:
            if scheduler.feed_info(key).visible:
                scheduler.request_refresh(key)

    def on_mount(self) -> None:
        self.register_feeds()
        self._feeds_shown = True

    def on_screen_resume(self, event: ScreenResume) -> None:
        if not self._feeds_shown:
            for key in self._feeds:
                self.services.scheduler.show(key)
            self._feeds_shown = True

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        # A modal dialog leaves this screen in sight: keep refreshing under it.
        self.call_after_refresh(self._hide_if_covered)

    def _hide_if_covered(self) -> None:
        if self.app.screen is self or isinstance(self.app.screen, ModalScreen):
            return
        for key in self._feeds:
            self.services.scheduler.hide(key)
        self._feeds_shown = False

    def on_unmount(self) -> None:
        for key in list(self._feeds):
            self.services.scheduler.unregister(key)
        self._feeds.clear()

    # -- commands ---------------------------------------------------------------------------

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """Entries for the command palette: by default every described binding in reach.

        Override to add commands that have no key (and call ``super()`` to keep these).
        """
        seen: set[str] = set()
        for key, active in self.active_bindings.items():
            binding, node = active.binding, active.node
            if node is self.app or not binding.description or not active.enabled:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            key_display = binding.key_display or self.app.get_key_display(binding)
            yield PaletteCommand(
                binding.tooltip or binding.description,
                f"key {key_display or key}",
                _runner(self, binding.action, node),
            )


def _runner(screen: Screen[Any], action: str, node: Any) -> Callable[[], Awaitable[Any]]:
    async def run() -> None:
        await screen.app.run_action(action, node)

    return run


class SectionScreen(LiveScreen):
    """One of the six sections reachable by keys 1-6; see the module docstring."""

    SECTION: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield SectionTabs(SECTION_TABS, self.SECTION)
        yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        """The section's own widgets, between the header and the footer."""
        yield from ()


def later_release_panel(title: str) -> Static:
    """The body of a section that is not built yet."""
    text = Text.assemble((title, "bold"), "\n\nThis section arrives in a later release.")
    return Static(text, classes="later-release")
