"""Fixed-window rate limits per bucket and caller, as the ``X-RateLimit-*`` headers report."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from arianet_tui.api.ratelimit import DOCUMENTED_LIMITS, WINDOW_SECONDS, Bucket
from arianet_tui.sim.clock import Clock


@dataclass(frozen=True)
class Verdict:
    """The outcome of one request against its bucket."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: float

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
        }


class RateLimiter:
    """Counts requests per (bucket, caller) in windows that start at their first request."""

    # ``limits`` and ``window`` may be changed while the app runs, from the next request on.

    def __init__(
        self,
        clock: Clock,
        limits: Mapping[Bucket | str, int] | None = None,
        window: float = float(WINDOW_SECONDS),
    ) -> None:
        self.clock = clock
        self.limits: dict[Bucket, int] = dict(DOCUMENTED_LIMITS)
        for bucket, limit in (limits or {}).items():
            self.limits[Bucket(bucket)] = limit
        self.window = window
        self._windows: dict[tuple[Bucket, str], tuple[float, int]] = {}

    def hit(self, bucket: Bucket, caller: str) -> Verdict:
        """Count one request; a request over the limit is refused and not counted."""
        now = self.clock()
        limit = self.limits[bucket]
        start, used = self._windows.get((bucket, caller), (now, 0))
        if now >= start + self.window:
            start, used = now, 0
        allowed = used < limit
        if allowed:
            used += 1
        self._windows[(bucket, caller)] = (start, used)
        return Verdict(allowed, limit, max(0, limit - used), start + self.window)

    def reset(self) -> None:
        """Forget every window, as if no request had been made."""
        self._windows.clear()
