"""What every screen may use from the app: the services and the one path for writes.

Screens sit below the app in the layers, so they never import ``arianet_tui.app``; they
reach it through :func:`host`, typed by the :class:`Host` protocol that the app fulfils.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from ..api import ArianetClient, ArianetError
from ..api.models import User, Wallet
from ..config import Settings

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from ..live.catalog import CatalogCache
    from ..live.journal import ActivityJournal
    from ..live.scheduler import RefreshScheduler


@dataclass
class Services:
    """Everything the dashboard talks to; tests build one around the in-process simulator."""

    client: ArianetClient
    scheduler: RefreshScheduler
    journal: ActivityJournal
    catalog: CatalogCache
    settings: Settings
    #: Epoch seconds; a fixed clock makes ages and countdowns reproducible.
    clock: Callable[[], float]
    demo: bool = False


@dataclass
class WriteResult:
    """How one write ended: ``ok`` with its value, or the error it raised."""

    target: str
    ok: bool
    value: Any = None
    error: ArianetError | None = None

    @property
    def unknown(self) -> bool:
        """The write may or may not have happened: the app re-reads instead of resending."""
        return self.error is not None and self.error.outcome_unknown


@dataclass
class WriteRequest:
    """One write for :meth:`Host.submit_write`: what it is, where it goes, how to send it."""

    action: str
    target: str
    method: str
    path: str
    call: Callable[[], Awaitable[Any]]
    body: Mapping[str, Any] | None = None
    #: The server to follow closely afterwards (or to re-read when the outcome is unknown).
    server_id: int | None = None
    #: Scheduler feeds to re-read when the outcome is unknown (a resend is never tried).
    refresh: Sequence[str] = field(default_factory=tuple)
    #: Words for the success toast from the write's result; the API's message otherwise.
    success: Callable[[Any], str] | None = None


class Host(Protocol):
    """The part of ArianetApp that screens use."""

    services: Services
    user: User | None
    wallet: Wallet | None

    def submit_write(
        self,
        request: WriteRequest,
        *,
        on_done: Callable[[WriteResult], None] | None = None,
        quiet: bool = False,
    ) -> Worker[WriteResult]:
        """Run one write through the activity journal in an app worker and toast its outcome."""
        ...

    def submit_bulk(
        self,
        action: str,
        requests: Sequence[WriteRequest],
        *,
        on_done: Callable[[list[WriteResult]], None] | None = None,
    ) -> Worker[list[WriteResult]]:
        """Run one write per target and toast one summary that names each failure."""
        ...

    def show_error(self, error: ArianetError, *, context: str = "") -> None:
        """A titled error toast for a failure the user should know about."""
        ...

    def return_to_first_run(self, hint: str) -> None:
        """Forget the account (after log out) and show the first-run screen with ``hint``."""
        ...


def host(app: App[Any]) -> Host:
    """The running app as a :class:`Host`."""
    return cast("Host", app)
