"""Rate-limit state per bucket, kept from the ``X-RateLimit-*`` headers of every response.

The reference documents three buckets: public (regions, plans, OS templates), read (every
other GET) and write (POST, PUT, DELETE). Until a response says otherwise each bucket starts
at its documented limit, full, with no known reset time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

WINDOW_SECONDS = 15 * 60
# How long a bucket stays closed after a 429 that did not say when it resets.
UNKNOWN_RESET_BLOCK_SECONDS = 60.0


class Bucket(StrEnum):
    PUBLIC = "public"
    READ = "read"
    WRITE = "write"


DOCUMENTED_LIMITS: Mapping[Bucket, int] = {
    Bucket.PUBLIC: 100,
    Bucket.READ: 100,
    Bucket.WRITE: 1000,
}

_PUBLIC_PREFIXES = ("/regions", "/plans", "/os")


def bucket_for(method: str, path: str) -> Bucket:
    """The bucket a request counts against, from its method and its path under the root."""
    if method.upper() != "GET":
        return Bucket.WRITE
    if any(path == p or path.startswith(p + "/") for p in _PUBLIC_PREFIXES):
        return Bucket.PUBLIC
    return Bucket.READ


@dataclass(frozen=True)
class BucketState:
    """What is known of one bucket: all times are epoch seconds."""

    bucket: Bucket
    limit: int
    remaining: int
    reset_at: float | None = None
    #: When the last response for this bucket was seen; None before the first.
    observed_at: float | None = None
    #: Set by a 429: nothing may go to this bucket before this time.
    blocked_until: float | None = None

    def seconds_to_reset(self, now: float) -> float | None:
        """Seconds until the window resets, never negative; None when not known."""
        return None if self.reset_at is None else max(0.0, self.reset_at - now)

    def is_blocked(self, now: float) -> bool:
        return self.blocked_until is not None and now < self.blocked_until

    def used(self) -> int:
        return max(0, self.limit - self.remaining)


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


class RateLimitTracker:
    """Keeps a :class:`BucketState` per bucket; reads are cheap and never block."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._states = {
            bucket: BucketState(bucket=bucket, limit=limit, remaining=limit)
            for bucket, limit in DOCUMENTED_LIMITS.items()
        }

    def now(self) -> float:
        return self._clock()

    def state(self, bucket: Bucket) -> BucketState:
        state = self._states[bucket]
        # Once the reset time has passed, the window is full again even before a response.
        now = self._clock()
        if state.reset_at is not None and now >= state.reset_at:
            state = replace(state, remaining=state.limit, reset_at=None, blocked_until=None)
            self._states[bucket] = state
        return state

    def snapshot(self) -> dict[Bucket, BucketState]:
        return {bucket: self.state(bucket) for bucket in Bucket}

    def observe(self, bucket: Bucket, headers: Mapping[str, str]) -> BucketState:
        """Record the headers of a response; malformed or missing values leave the old ones."""
        old = self.state(bucket)
        limit = _header_int(headers, "X-RateLimit-Limit")
        remaining = _header_int(headers, "X-RateLimit-Remaining")
        reset = _header_int(headers, "X-RateLimit-Reset")
        new_limit = limit if limit else old.limit
        new = replace(
            old,
            limit=new_limit,
            remaining=min(remaining, new_limit) if remaining is not None else old.remaining,
            reset_at=float(reset) if reset is not None else old.reset_at,
            observed_at=self._clock(),
        )
        self._states[bucket] = new
        return new

    def block(self, bucket: Bucket, until: float | None) -> BucketState:
        """After a 429: nothing goes to the bucket before ``until`` (a minute when unknown)."""
        now = self._clock()
        if until is None or until <= now:
            until = now + UNKNOWN_RESET_BLOCK_SECONDS
        old = self.state(bucket)
        new = replace(old, remaining=0, reset_at=until, blocked_until=until, observed_at=now)
        self._states[bucket] = new
        return new
