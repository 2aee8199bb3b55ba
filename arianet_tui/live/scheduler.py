"""The refresh scheduler: every background read of the app, paced by the rate limits.

A feed is something a screen shows. Only visible feeds are polled; a refresh the user asks for
goes first and may use the whole bucket, background reads only ``background_share`` of it.
What background may still send is spread over the time left in the window (see ``budget``),
servers in transition are followed closely (see ``follow``), and a failing service is retried
with capped exponential backoff while the last good data stays on screen, marked stale.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..api.client import ArianetClient
from ..api.errors import (
    ArianetError,
    InvalidResponse,
    RateLimited,
    ServerError,
    TransportError,
)
from ..api.models import ServerStatus
from ..api.ratelimit import Bucket
from .budget import BucketBudget, bucket_budget, stretch
from .callbacks import call_safely, subscribe
from .clock import Clock, SystemClock
from .follow import Follower

log = logging.getLogger("arianet_tui.live.scheduler")

T = TypeVar("T")

FOLLOW_KEY = "__follow__"
FOLLOW_FIRST_DELAY = 2.0
FOLLOW_MIN_INTERVAL = 3.0
FOLLOW_MAX_INTERVAL = 60.0
BACKOFF_BASE = 2.0
BACKOFF_CAP = 60.0
# The longest the loop sleeps when nothing is due; a show() or a refresh wakes it earlier.
IDLE_WAKE = 30.0
MIN_SLEEP = 0.05
# A fetch started this long before the user asked is fresh enough to answer the request.
FRESH_ENOUGH = 2.0
SEND_LOG_SIZE = 5000


@dataclass(frozen=True)
class FeedInfo:
    """How fresh a feed is; times are epoch seconds."""

    key: str
    visible: bool
    last_success_at: float | None
    last_attempt_at: float | None
    stale: bool
    error: str | None
    next_at: float | None = None


@dataclass(frozen=True)
class SchedulerStatus:
    """What the header shows: the budget of each bucket, an outage, refreshes waiting."""

    buckets: dict[Bucket, BucketBudget] = field(hash=False)
    outage: str | None
    queued_refreshes: int
    following: int

    @property
    def read(self) -> BucketBudget:
        return self.buckets[Bucket.READ]


@dataclass(frozen=True)
class SentRequest:
    """One fetch the scheduler started: for the budget meter and the benchmarks."""

    at: float
    key: str
    bucket: Bucket
    user: bool
    cost: int


@dataclass(eq=False)
class _FeedState:
    key: str
    fetch: Callable[[], Awaitable[Any]]
    on_data: Callable[[Any], None]
    on_error: Callable[[ArianetError], None] | None
    bucket: Bucket
    interval: float | None
    visible: bool = False
    due_now: bool = False
    last_success_at: float | None = None
    last_attempt_at: float | None = None
    last_started: float | None = None
    error: ArianetError | None = None
    failures: int = 0
    reported: bool = False
    user_since: float | None = None
    task: asyncio.Task[None] | None = None


class Feed(Generic[T]):
    """A handle on a registered feed."""

    def __init__(self, scheduler: RefreshScheduler, key: str) -> None:
        self._scheduler = scheduler
        self.key = key

    def __repr__(self) -> str:
        return f"Feed({self.key!r})"

    def show(self) -> None:
        self._scheduler.show(self.key)

    def hide(self) -> None:
        self._scheduler.hide(self.key)

    def refresh(self) -> None:
        self._scheduler.request_refresh(self.key)

    def unregister(self) -> None:
        self._scheduler.unregister(self.key)

    @property
    def info(self) -> FeedInfo:
        return self._scheduler.feed_info(self.key)


class RefreshScheduler:
    """Owns every background read; call :meth:`run` once, on the loop the callbacks need."""

    def __init__(
        self,
        client: ArianetClient,
        *,
        clock: Clock | None = None,
        background_share: float = 0.8,
        target_interval: float = 12.0,
    ) -> None:
        if not 0.0 <= background_share <= 1.0:
            raise ValueError("background_share must be between 0 and 1")
        self.client = client
        self.clock: Clock = clock or SystemClock()
        self.background_share = background_share
        self.target_interval = target_interval
        self._feeds: dict[str, _FeedState] = {}
        self._in_flight: dict[Bucket, int] = dict.fromkeys(Bucket, 0)
        self._last_reset: dict[Bucket, float] = {}
        self._outage: str | None = None
        self._wakeup = asyncio.Event()
        self._running = False
        self._status_subscribers: list[Callable[[SchedulerStatus], None]] = []
        self._last_status: SchedulerStatus | None = None
        self._follower = Follower(client)
        self.sent: deque[SentRequest] = deque(maxlen=SEND_LOG_SIZE)

    # -- feeds ------------------------------------------------------------------------------

    def register(
        self,
        key: str,
        fetch: Callable[[], Awaitable[T]],
        on_data: Callable[[T], None],
        *,
        on_error: Callable[[ArianetError], None] | None = None,
        bucket: Bucket | str = Bucket.READ,
        interval: float | None = None,
    ) -> Feed[T]:
        """Add a feed, hidden; registering a key again replaces the feed."""
        if key == FOLLOW_KEY:
            raise ValueError(f"{key!r} is reserved")
        self.unregister(key)
        self._feeds[key] = _FeedState(key, fetch, on_data, on_error, Bucket(bucket), interval)
        return Feed(self, key)

    def unregister(self, key: str) -> None:
        feed = self._feeds.pop(key, None)
        if feed is not None and feed.task is not None:
            feed.task.cancel()

    def show(self, key: str) -> None:
        """Poll the feed while it is on screen; data older than its interval is fetched now."""
        feed = self._feeds[key]
        feed.visible = True
        age_limit = feed.interval or self.target_interval
        last = feed.last_started
        if last is None or self.clock.now() - last >= age_limit:
            feed.due_now = True
        if last is None and self._running and feed.task is None:
            # A feed shown for the first time is what a new screen waits for: start it
            # now rather than when the loop's task next gets a turn, which a screen that
            # is being mounted and painted delays by 50-70 ms.
            self._tick(self.clock.now())
        self._poke()

    def hide(self, key: str) -> None:
        feed = self._feeds.get(key)
        if feed is not None:
            feed.visible = False
            self._poke()

    def request_refresh(self, key: str) -> None:
        """The user asked: fetch as soon as the bucket allows, from the reserve if need be."""
        feed = self._feeds[key]
        if feed.user_since is None:
            feed.user_since = self.clock.now()
        self._poke()

    def feed_info(self, key: str) -> FeedInfo:
        """How fresh a feed is; a key that is not registered gets an info with nothing known."""
        feed = self._feeds.get(key)
        if feed is None:
            return FeedInfo(key, False, None, None, stale=False, error=None)
        return FeedInfo(
            key=key,
            visible=feed.visible,
            last_success_at=feed.last_success_at,
            last_attempt_at=feed.last_attempt_at,
            stale=feed.error is not None,
            error=feed.error.message if feed.error is not None else None,
            next_at=self._due_at(feed, self._budget(feed.bucket), self.clock.now()),
        )

    # -- servers in transition --------------------------------------------------------------

    def follow_server(self, server_id: int) -> None:
        """Poll a server closely until it leaves its transition."""
        if not self._follower.follow(server_id, self.clock.now()):
            return
        if FOLLOW_KEY not in self._feeds:
            self._feeds[FOLLOW_KEY] = _FeedState(
                FOLLOW_KEY, self._follower.poll, self._apply_followed, None, Bucket.READ, None
            )
        self._feeds[FOLLOW_KEY].visible = True
        self._poke()

    def unfollow_server(self, server_id: int) -> None:
        self._follower.unfollow(server_id)
        self._sync_follow_feed()

    def _sync_follow_feed(self) -> None:
        feed = self._feeds.get(FOLLOW_KEY)
        if feed is not None:
            feed.visible = bool(self._follower.servers)

    @property
    def followed(self) -> frozenset[int]:
        return frozenset(self._follower.servers)

    def on_server_update(
        self, callback: Callable[[int, ServerStatus], None]
    ) -> Callable[[], None]:
        """Call ``callback(server_id, status)`` for each new status of a followed server."""
        return self._follower.on_update(callback)

    def on_server_settled(
        self, callback: Callable[[int, ServerStatus | None], None]
    ) -> Callable[[], None]:
        """Call ``callback(server_id, status)`` once a followed server settles (None: gone)."""
        return self._follower.on_settled(callback)

    # -- status -----------------------------------------------------------------------------

    def status(self) -> SchedulerStatus:
        queued = sum(1 for f in self._feeds.values() if f.user_since is not None)
        return SchedulerStatus(
            buckets={bucket: self._budget(bucket) for bucket in Bucket},
            outage=self._outage,
            queued_refreshes=queued,
            following=len(self._follower.servers),
        )

    def subscribe(self, callback: Callable[[SchedulerStatus], None]) -> Callable[[], None]:
        """Call ``callback`` whenever the status changes; returns the unsubscribe function."""
        return subscribe(self._status_subscribers, callback)

    # -- the loop ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Refresh until cancelled; API errors are reported to feeds, never raised."""
        if self._running:
            raise RuntimeError("the scheduler is already running")
        self._running = True
        try:
            while True:
                self._wakeup.clear()
                now = self.clock.now()
                wake = self._tick(now)
                self._publish()
                await self._sleep(max(MIN_SLEEP, wake - now))
        finally:
            self._running = False
            for feed in self._feeds.values():
                if feed.task is not None:
                    feed.task.cancel()

    async def _sleep(self, seconds: float) -> None:
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        woken = asyncio.ensure_future(self._wakeup.wait())
        try:
            await asyncio.wait({sleeper, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            woken.cancel()

    def _poke(self) -> None:
        self._wakeup.set()

    def _tick(self, now: float) -> float:
        """Start what is due and allowed; return when to look again."""
        wake = now + IDLE_WAKE
        budgets = {bucket: self._budget(bucket) for bucket in Bucket}

        # What the user asked for goes first, oldest request first.
        asked = sorted(
            (f for f in self._feeds.values() if f.user_since is not None),
            key=lambda f: f.user_since or 0.0,
        )
        for feed in asked:
            if feed.task is not None:
                continue
            budget = budgets[feed.bucket]
            if budget.held(now) or budget.user_left < 1:
                wake = min(wake, budget.next_window(now))
                continue
            if self._probing(feed.bucket, budget):
                continue
            budgets[feed.bucket] = self._launch(feed, user=True, now=now)

        # Then background: followed servers, then the visible feeds, most overdue first.
        waiting: list[tuple[int, float, _FeedState]] = []
        for feed in self._feeds.values():
            if not feed.visible or feed.task is not None:
                continue
            due = self._due_at(feed, budgets[feed.bucket], now)
            if due > now:
                wake = min(wake, due)
                continue
            waiting.append((0 if feed.key == FOLLOW_KEY else 1, due, feed))
        for _, _, feed in sorted(waiting, key=lambda item: item[:2]):
            budget = budgets[feed.bucket]
            cost = self._cost(feed)
            if budget.background_left < cost:
                wake = min(wake, budget.next_window(now))
                continue
            if self._probing(feed.bucket, budget):
                continue
            budgets[feed.bucket] = self._launch(feed, user=False, now=now)
        return wake

    def _probing(self, bucket: Bucket, budget: BucketBudget) -> bool:
        """Until an answer shows the window, one request at a time learns the real limits."""
        return budget.reset_at is None and self._in_flight[bucket] > 0

    def _budget(self, bucket: Bucket) -> BucketBudget:
        now = self.clock.now()
        state = self.client.rate_limits.state(bucket)
        if state.reset_at is not None:
            self._last_reset[bucket] = state.reset_at
        return bucket_budget(
            state,
            share=self.background_share,
            in_flight=self._in_flight[bucket],
            now=now,
            last_reset=self._last_reset.get(bucket),
        )

    def _due_at(self, feed: _FeedState, budget: BucketBudget, now: float) -> float:
        """When the feed should next be fetched in the background."""
        if feed.key == FOLLOW_KEY:
            return self._follow_due(feed, budget, now)
        if feed.failures and feed.last_attempt_at is not None:
            return feed.last_attempt_at + _backoff(feed.failures)
        if feed.due_now or feed.last_started is None:
            return now
        return feed.last_started + self._interval(feed, budget, now)

    def _interval(self, feed: _FeedState, budget: BucketBudget, now: float) -> float:
        """The feed's interval, stretched so that all visible feeds fit in the budget."""
        demand = sum(
            1.0 / (f.interval or self.target_interval)
            for f in self._feeds.values()
            if f.visible and f.bucket == feed.bucket and f.key != FOLLOW_KEY
        )
        base = feed.interval or self.target_interval
        if budget.background_left == 0:
            # A spent bucket waits for its reset in the budget check, not here.
            return base
        return base * stretch(demand, budget.background_rate(now))

    def _follow_due(self, feed: _FeedState, budget: BucketBudget, now: float) -> float:
        newest = self._follower.newest_since()
        if newest is None:
            return now + IDLE_WAKE
        if feed.failures and feed.last_attempt_at is not None:
            return feed.last_attempt_at + _backoff(feed.failures)
        # Close at first, then looser the longer the transition lasts.
        interval = min(FOLLOW_MAX_INTERVAL, max(FOLLOW_MIN_INTERVAL, (now - newest) / 10))
        rate = budget.background_rate(now)
        if rate > 0:
            # Following may spend the budget up to four times as fast as the average.
            interval = max(interval, 1.0 / rate / 4)
        first = newest + FOLLOW_FIRST_DELAY
        last = feed.last_started
        if last is None or last < newest:
            return first
        return max(first, last + interval)

    def _cost(self, feed: _FeedState) -> int:
        return self._follower.cost() if feed.key == FOLLOW_KEY else 1

    def _launch(self, feed: _FeedState, *, user: bool, now: float) -> BucketBudget:
        cost = self._cost(feed)
        feed.due_now = False
        feed.last_started = now
        feed.last_attempt_at = now
        self._in_flight[feed.bucket] += cost
        self.sent.append(SentRequest(now, feed.key, feed.bucket, user, cost))
        task = asyncio.create_task(self._fetch(feed, user=user), name=f"refresh {feed.key}")
        feed.task = task
        # A callback, not a finally: it runs even when the task is cancelled before it starts.
        task.add_done_callback(lambda _: self._landed(feed, cost))
        return self._budget(feed.bucket)

    def _landed(self, feed: _FeedState, cost: int) -> None:
        self._in_flight[feed.bucket] -= cost
        feed.task = None
        self._poke()

    async def _fetch(self, feed: _FeedState, *, user: bool) -> None:
        try:
            data = await feed.fetch()
        except ArianetError as exc:
            self._failed(feed, exc, user=user)
        except Exception as exc:
            log.exception("refreshing %s failed", feed.key)
            self._failed(feed, ArianetError(f"Refreshing failed: {exc}"), user=user)
        else:
            self._succeeded(feed, data)

    def _answered(self, feed: _FeedState) -> None:
        """A fetch that started about when the user asked answers that request."""
        asked, started = feed.user_since, feed.last_started
        if asked is not None and started is not None and started >= asked - FRESH_ENOUGH:
            feed.user_since = None

    def _succeeded(self, feed: _FeedState, data: Any) -> None:
        now = self.clock.now()
        feed.last_success_at = now
        self._answered(feed)
        feed.failures = 0
        feed.error = None
        feed.reported = False
        if self._outage is not None:
            log.info("the service answers again")
            self._outage = None
            # The service is back: everything that waited out the outage is due now.
            for other in self._feeds.values():
                if other.failures:
                    other.failures = 0
                    other.due_now = True
        call_safely(feed.on_data, data, what=f"on_data of {feed.key}")
        if feed.key != FOLLOW_KEY:
            self._follower.observe(data, now)
            self._sync_follow_feed()

    def _failed(self, feed: _FeedState, error: ArianetError, *, user: bool) -> None:
        feed.error = error
        if isinstance(error, RateLimited):
            # The client now blocks the bucket until its reset; the budget waits for it, and
            # a refresh the user asked for stays in line until then.
            log.warning("%s: rate limited until %s", feed.key, error.reset_at)
        else:
            self._answered(feed)
            feed.failures += 1
            if _is_outage(error) and self._outage is None:
                self._outage = error.message
                log.warning("outage: %s", error.message)
            log.info("%s failed (%d in a row): %s", feed.key, feed.failures, error.message)
        if feed.on_error is not None and (user or not feed.reported):
            call_safely(feed.on_error, error, what=f"on_error of {feed.key}")
        feed.reported = True

    def _publish(self) -> None:
        status = self.status()
        if status == self._last_status:
            return
        self._last_status = status
        for callback in list(self._status_subscribers):
            call_safely(callback, status, what="a status subscriber")

    def _apply_followed(self, results: list[tuple[int, ServerStatus | None]]) -> None:
        self._follower.apply(results, self.clock.now())
        self._sync_follow_feed()


def _backoff(failures: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** max(0, failures - 1))


def _is_outage(error: ArianetError) -> bool:
    """Errors that say the service or the network is down, not that a request was wrong."""
    if isinstance(error, InvalidResponse):
        return False
    return isinstance(error, TransportError | ServerError)
