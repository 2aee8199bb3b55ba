"""The request budget of one rate-limit bucket, as the scheduler sees it at one moment.

Background reads may use ``share`` of a bucket in each window; the rest is kept for what the
user asks for. What background may still send is spread over the time left in the window:
``rate = background_left / seconds_to_reset`` requests per second, and the intervals of the
visible feeds are stretched so that together they ask for no more than that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..api.ratelimit import WINDOW_SECONDS, Bucket, BucketState

# X-RateLimit-Reset is given in whole seconds: a request sent right at the reset may still
# count against the old window, so nothing is sent to a spent bucket before this much later.
# TODO: reset times are on the service's clock; a local clock ahead of it by more than this
# grace may send into a spent window. Estimate the skew from the Date header if that shows.
RESET_GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class BucketBudget:
    """What one bucket allows now; times are epoch seconds."""

    bucket: Bucket
    limit: int
    remaining: int
    reset_at: float | None
    blocked_until: float | None
    #: The most background reads one window may hold: ``floor(limit * share)``.
    background_allowance: int
    #: How many more background requests may go in this window.
    background_left: int
    #: Requests of the scheduler sent and not yet answered.
    in_flight: int
    #: Until when nothing at all may be sent (a 429, or the moment just after a reset).
    hold_until: float | None = None

    @property
    def reserve(self) -> int:
        """The requests kept for the user in each window."""
        return self.limit - self.background_allowance

    @property
    def user_left(self) -> int:
        """How many more requests the user may send in this window."""
        return max(0, self.remaining - self.in_flight)

    def seconds_to_reset(self, now: float) -> float | None:
        return None if self.reset_at is None else max(0.0, self.reset_at - now)

    def window_left(self, now: float) -> float:
        """Seconds left in the window; a whole window when its end is not known."""
        if self.reset_at is None or self.reset_at <= now:
            return float(WINDOW_SECONDS)
        return self.reset_at - now

    def background_rate(self, now: float) -> float:
        """Background requests per second that spend the rest evenly until the reset."""
        return self.background_left / max(1.0, self.window_left(now))

    def held(self, now: float) -> bool:
        return self.hold_until is not None and now < self.hold_until

    def next_window(self, now: float) -> float:
        """When a spent bucket may be used again."""
        if self.held(now):
            assert self.hold_until is not None
            return self.hold_until
        return now + self.window_left(now) + RESET_GRACE_SECONDS


def allowance(limit: int, share: float) -> int:
    """The background share of a bucket, in whole requests."""
    return max(0, math.floor(limit * share + 1e-9))


def bucket_budget(
    state: BucketState,
    *,
    share: float,
    in_flight: int,
    now: float,
    last_reset: float | None,
) -> BucketBudget:
    """The budget of a bucket from the tracker's state and what is in flight.

    ``last_reset`` is the latest reset time the tracker reported: just after it passes the
    tracker already counts the bucket full, while the service may not yet.
    """
    remaining, reset_at = state.remaining, state.reset_at
    if reset_at is None and state.observed_at is not None and remaining < state.limit:
        # Headers without a reset time: assume the documented window from the last answer.
        reset_at = state.observed_at + WINDOW_SECONDS
        if now >= reset_at:
            remaining, reset_at = state.limit, None

    hold_until: float | None = None
    if state.is_blocked(now) and state.blocked_until is not None:
        hold_until = state.blocked_until + RESET_GRACE_SECONDS
    elif last_reset is not None and last_reset <= now < last_reset + RESET_GRACE_SECONDS:
        hold_until = last_reset + RESET_GRACE_SECONDS

    share_of_limit = allowance(state.limit, share)
    reserve = state.limit - share_of_limit
    left = max(0, remaining - in_flight - reserve)
    return BucketBudget(
        bucket=state.bucket,
        limit=state.limit,
        remaining=remaining,
        reset_at=reset_at,
        blocked_until=state.blocked_until if state.is_blocked(now) else None,
        background_allowance=share_of_limit,
        background_left=0 if hold_until is not None else left,
        in_flight=in_flight,
        hold_until=hold_until,
    )


def stretch(demand: float, rate: float) -> float:
    """How much longer every interval must be so that ``demand`` fits in ``rate``."""
    if demand <= 0:
        return 1.0
    if rate <= 0:
        return math.inf
    return max(1.0, demand / rate)
