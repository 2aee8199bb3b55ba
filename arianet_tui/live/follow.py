"""Servers in transition, followed closely until they settle, with the cheapest calls.

One followed server costs one ``GET /servers/{id}/status``. Several that all wait in the same
transitional ``status`` cost one filtered list; otherwise the pages of ``GET /servers?limit=100``
that hold them cost less than one status call each when two or more share a page.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..api.client import ArianetClient
from ..api.errors import NotFound
from ..api.models import (
    TRANSITIONAL_POWER_STATES,
    TRANSITIONAL_STATUSES,
    Page,
    Server,
    ServerStatus,
)
from .callbacks import call_safely, subscribe

log = logging.getLogger("arianet_tui.live.follow")

PAGE_SIZE = 100
# A server still in transition after this long is left to the normal refresh, and asking to
# follow it again changes nothing until its status moves or this much time has passed again.
FOLLOW_TIMEOUT = 15 * 60.0


def in_transition(status: ServerStatus | Server) -> bool:
    """True while a server is being created or is changing state."""
    return (
        status.status in TRANSITIONAL_STATUSES
        or (status.instance_status or "") in TRANSITIONAL_POWER_STATES
    )


def status_of(server: Server) -> ServerStatus:
    return ServerStatus(status=server.status, instance_status=server.instance_status)


@dataclass
class Followed:
    """One server being followed and what is known of it."""

    server_id: int
    since: float
    last: ServerStatus | None = None
    seen_at: float | None = None
    seen_transition: bool = False
    polls: int = 0
    #: Its page in ``GET /servers?limit=100``, when a list has shown where it stands.
    page: int | None = None

    def record(self, status: ServerStatus, at: float) -> bool:
        """Keep a newly seen status; True when it differs from the last one."""
        changed = status != self.last
        self.last, self.seen_at = status, at
        self.polls += 1
        if in_transition(status):
            self.seen_transition = True
        return changed

    @property
    def settled(self) -> bool:
        """Out of transition, once it was seen in one or after two looks without one."""
        if self.last is None or in_transition(self.last):
            return False
        return self.seen_transition or self.polls >= 2


@dataclass(frozen=True)
class FollowCall:
    """One read that covers some followed servers."""

    kind: Literal["status", "list"]
    server_id: int | None = None
    page: int = 1
    status: str | None = None


def plan_calls(followed: Sequence[Followed], total: int | None) -> list[FollowCall]:
    """The fewest reads that show every followed server; ``total`` is the fleet size if known."""
    if not followed:
        return []
    if len(followed) == 1:
        return [FollowCall("status", server_id=followed[0].server_id)]

    waiting = {f.last.status for f in followed if f.last is not None}
    all_known = all(f.last is not None for f in followed)
    if all_known and len(waiting) == 1:
        (status,) = waiting
        if status in TRANSITIONAL_STATUSES:
            return [FollowCall("list", status=status)]

    pages = _pages(followed, total)
    if pages is not None and len(pages) < len(followed):
        return [FollowCall("list", page=page) for page in sorted(pages)]
    return [FollowCall("status", server_id=f.server_id) for f in followed]


def _pages(followed: Sequence[Followed], total: int | None) -> set[int] | None:
    """The list pages that hold the followed servers; None when one cannot be placed."""
    # With the fleet size unknown, the first page is worth a try: whoever is not on it gets
    # a status call of their own.
    single_page = total is None or math.ceil(total / PAGE_SIZE) <= 1
    pages: set[int] = set()
    for f in followed:
        if f.page is not None:
            pages.add(f.page)
        elif single_page:
            pages.add(1)
        else:
            return None
    return pages


def servers_in(data: object) -> tuple[list[tuple[Server, int | None]], int | None]:
    """The servers a feed's data holds, each with its page at ``limit=100``, and the total."""
    if isinstance(data, Server):
        return [(data, None)], None
    if isinstance(data, Page):
        rows = [row for row in data.data if isinstance(row, Server)]
        first = (data.pagination.current_page - 1) * data.pagination.per_page
        found: list[tuple[Server, int | None]] = [
            (row, (first + n) // PAGE_SIZE + 1) for n, row in enumerate(rows)
        ]
        return found, data.pagination.total
    if isinstance(data, list | tuple):
        return [(row, None) for row in _servers(data)], None
    return [], None


def _servers(rows: Iterable[object]) -> list[Server]:
    return [row for row in rows if isinstance(row, Server)]


class Follower:
    """The servers a scheduler follows, what is known of them, and who hears of changes.

    The scheduler decides when to poll (one feed, paced by the budget); this keeps the
    state: which servers, where their list pages are, which ones were given up on.
    """

    def __init__(self, client: ArianetClient) -> None:
        self.client = client
        self.servers: dict[int, Followed] = {}
        self._given_up: dict[int, tuple[ServerStatus | None, float]] = {}
        self._fleet_total: int | None = None
        self._update_subscribers: list[Callable[[int, ServerStatus], None]] = []
        self._settled_subscribers: list[Callable[[int, ServerStatus | None], None]] = []

    def follow(self, server_id: int, now: float) -> bool:
        """Start following; False for a server given up on lately whose status did not move."""
        given_up = self._given_up.get(server_id)
        if given_up is not None and now - given_up[1] < FOLLOW_TIMEOUT:
            return False
        self._given_up.pop(server_id, None)
        self.servers[server_id] = Followed(server_id, since=now)
        return True

    def unfollow(self, server_id: int) -> None:
        self.servers.pop(server_id, None)

    def on_update(self, callback: Callable[[int, ServerStatus], None]) -> Callable[[], None]:
        return subscribe(self._update_subscribers, callback)

    def on_settled(
        self, callback: Callable[[int, ServerStatus | None], None]
    ) -> Callable[[], None]:
        return subscribe(self._settled_subscribers, callback)

    def newest_since(self) -> float | None:
        """When the most recently followed server was taken on; None when there is none."""
        return max((f.since for f in self.servers.values()), default=None)

    def cost(self) -> int:
        """The reads one poll takes."""
        return max(1, len(plan_calls(list(self.servers.values()), self._fleet_total)))

    async def poll(self) -> list[tuple[int, ServerStatus | None]]:
        """Read the status of every followed server with the fewest calls."""
        followed = list(self.servers.values())
        seen: dict[int, ServerStatus | None] = {}
        for call in plan_calls(followed, self._fleet_total):
            await self._read(call, seen)
        for f in followed:
            if f.server_id not in seen:
                await self._read(FollowCall("status", server_id=f.server_id), seen)
        return list(seen.items())

    async def _read(self, call: FollowCall, seen: dict[int, ServerStatus | None]) -> None:
        if call.kind == "status":
            assert call.server_id is not None
            try:
                seen[call.server_id] = await self.client.get_server_status(call.server_id)
            except NotFound:
                seen[call.server_id] = None
            return
        page = await self.client.list_servers(page=call.page, limit=100, status=call.status)
        for server in page.data:
            if server.id in self.servers:
                seen[server.id] = status_of(server)
        if call.status is None:
            self._learn_pages(page)

    def apply(self, results: list[tuple[int, ServerStatus | None]], now: float) -> None:
        """What a poll saw; servers followed for too long are given up on."""
        for server_id, status in results:
            self._saw(server_id, status, now)
        for server_id, followed in list(self.servers.items()):
            if now - followed.since > FOLLOW_TIMEOUT:
                log.info("server %s still in transition; left to the normal refresh", server_id)
                self._given_up[server_id] = (followed.last, now)
                del self.servers[server_id]

    def observe(self, data: object, now: float) -> None:
        """What any other read showed of the servers, followed or given up on."""
        found, total = servers_in(data)
        if total is not None:
            self._fleet_total = total
        for server, page in found:
            given_up = self._given_up.get(server.id)
            if given_up is not None and given_up[0] != status_of(server):
                del self._given_up[server.id]
            followed = self.servers.get(server.id)
            if followed is None:
                continue
            if page is not None:
                followed.page = page
            self._saw(server.id, status_of(server), now)

    def _learn_pages(self, data: object) -> None:
        found, total = servers_in(data)
        if total is not None:
            self._fleet_total = total
        for server, page in found:
            if server.id in self.servers:
                self.servers[server.id].page = page

    def _saw(self, server_id: int, status: ServerStatus | None, now: float) -> None:
        followed = self.servers.get(server_id)
        if followed is None:
            return
        if status is None:
            del self.servers[server_id]
            for callback in list(self._settled_subscribers):
                call_safely(callback, server_id, None, what="a settled subscriber")
            return
        if followed.record(status, now):
            for update in list(self._update_subscribers):
                call_safely(update, server_id, status, what="a server-update subscriber")
        if followed.settled:
            del self.servers[server_id]
            log.info("server %s settled: %s/%s", server_id, status.status, status.instance_status)
            for settled in list(self._settled_subscribers):
                call_safely(settled, server_id, status, what="a settled subscriber")
