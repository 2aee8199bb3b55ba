"""When a failed request is sent again, and how long the client waits before it does."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from .errors import (
    ArianetError,
    ConnectFailed,
    ConnectionDropped,
    InvalidResponse,
    RateLimited,
    RequestTimeout,
    ServerError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds of the retry loop. ``max_rate_wait`` is the longest 429 wait worth sleeping."""

    read_attempts: int = 4
    write_attempts: int = 3
    total_seconds: float = 20.0
    base_seconds: float = 0.25
    cap_seconds: float = 4.0
    max_rate_wait: float = 5.0

    def backoff(self, retry_number: int, rng: Callable[[float, float], float]) -> float:
        """Full jitter: a uniform wait between zero and the capped exponential step."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** (retry_number - 1))
        return rng(0.0, ceiling)


NO_RETRY = RetryPolicy(read_attempts=1, write_attempts=1)


def is_retryable(error: Exception, *, write: bool) -> bool:
    """Whether ``error`` may be retried: writes only when they surely were not processed."""
    if not isinstance(error, ArianetError):
        return False
    if isinstance(error, ConnectFailed | RateLimited):
        return True
    if write:
        return False
    return isinstance(error, RequestTimeout | ConnectionDropped | ServerError | InvalidResponse)


class BackoffHook:
    """A stamina backoff hook for one request: says whether to retry and how long to wait.

    A 429 whose reset is near is waited out to the second; one further away is not retried,
    so the caller gets the :class:`RateLimited` error with its reset time.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        write: bool,
        clock: Callable[[], float],
        rng: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self.policy = policy
        self.write = write
        self.clock = clock
        self.rng = rng
        self.retries = 0

    def __call__(self, error: Exception) -> bool | float:
        if not is_retryable(error, write=self.write):
            return False
        if isinstance(error, RateLimited):
            wait = self.rate_wait(error)
            if wait is None:
                return False
            self.retries += 1
            return wait
        self.retries += 1
        return self.policy.backoff(self.retries, self.rng)

    def rate_wait(self, error: RateLimited) -> float | None:
        """Seconds to the reset when that is short enough to wait, else None."""
        if error.reset_at is None:
            return None
        wait = error.reset_at - self.clock()
        if wait > self.policy.max_rate_wait:
            return None
        # X-RateLimit-Reset has whole seconds: wait a little past it.
        return max(0.0, wait) + 0.05
