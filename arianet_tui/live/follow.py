"""Servers in transition, followed closely until they settle, with the cheapest calls.

One followed server costs one ``GET /servers/{id}/status``. Several that all wait in the same
transitional ``status`` cost one filtered list; otherwise the pages of ``GET /servers?limit=100``
that hold them cost less than one status call each when two or more share a page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..api.models import (
    TRANSITIONAL_POWER_STATES,
    TRANSITIONAL_STATUSES,
    Page,
    Server,
    ServerStatus,
)

PAGE_SIZE = 100


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
