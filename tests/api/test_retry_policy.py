"""The retry policy: reads retry, writes are sent once unless surely not processed."""

from __future__ import annotations

import random
import time

import httpx
import pytest
import respx

from arianet_tui.api import (
    ArianetClient,
    ConnectionDropped,
    RateLimited,
    RequestTimeout,
    RetryPolicy,
    ServerError,
)
from arianet_tui.api.errors import ConnectFailed, InvalidResponse
from arianet_tui.api.ratelimit import Bucket
from arianet_tui.api.retry import BackoffHook, is_retryable

BASE = "https://api.test/api/v1"
FAST = RetryPolicy(base_seconds=0.001, cap_seconds=0.005, max_rate_wait=2.0)
WALLET = {
    "id": 1,
    "balance": 150.5,
    "primary": True,
    "status": "active",
    "currency": {"id": 1, "code": "USD", "name": "US Dollar", "symbol": "$"},
}
ERROR_500 = httpx.Response(500, json={"error": "INTERNAL", "message": "boom", "status": 500})


@pytest.fixture
async def client():
    async with ArianetClient("tok", BASE, retry=FAST) as api:
        yield api


@pytest.fixture
def mock():
    with respx.mock(base_url=BASE) as router:
        yield router


async def test_read_retries_after_5xx_then_succeeds(client, mock):
    route = mock.get("/balance").mock(
        side_effect=[ERROR_500, ERROR_500, httpx.Response(200, json=WALLET)]
    )
    wallet = await client.get_balance()
    assert wallet.currency.symbol == "$"
    assert route.call_count == 3


async def test_read_gives_up_after_bounded_attempts(client, mock):
    route = mock.get("/balance").mock(return_value=ERROR_500)
    with pytest.raises(ServerError):
        await client.get_balance()
    assert route.call_count == FAST.read_attempts


async def test_read_retries_after_timeout_and_dropped_connection(client, mock):
    route = mock.get("/balance").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.RemoteProtocolError("gone"),
            httpx.Response(200, json=WALLET),
        ]
    )
    await client.get_balance()
    assert route.call_count == 3


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (ERROR_500, ServerError),
        (httpx.ReadTimeout("slow"), RequestTimeout),
        (httpx.RemoteProtocolError("dropped"), ConnectionDropped),
        (httpx.ReadError("reset"), ConnectionDropped),
    ],
)
async def test_write_is_sent_once_when_outcome_unknown(client, mock, failure, error_class):
    route = mock.post("/servers/5/restart")
    if isinstance(failure, httpx.Response):
        route.mock(return_value=failure)
    else:
        route.mock(side_effect=failure)

    with pytest.raises(error_class) as caught:
        await client.restart_server(5)

    assert route.call_count == 1
    assert caught.value.outcome_unknown


async def test_write_is_retried_after_connect_failure(client, mock):
    route = mock.post("/servers/5/restart").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json={"message": "ok"})]
    )
    result = await client.restart_server(5)
    assert result.message == "ok"
    assert route.call_count == 2


async def test_connect_failure_on_write_is_not_outcome_unknown(client, mock):
    mock.post("/servers/5/restart").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ConnectFailed) as caught:
        await client.restart_server(5)
    assert not caught.value.outcome_unknown


async def test_short_429_waits_for_the_reset(client, mock):
    reset = int(time.time()) + 1
    limited = httpx.Response(
        429,
        json={"error": "RATE_LIMITED", "message": "Too many", "status": 429},
        headers={
            "X-RateLimit-Limit": "100",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(reset),
        },
    )
    sent_at: list[float] = []

    def answer(request):
        sent_at.append(time.time())
        return limited if len(sent_at) == 1 else httpx.Response(200, json=WALLET)

    mock.get("/balance").mock(side_effect=answer)
    await client.get_balance()

    assert len(sent_at) == 2
    assert sent_at[1] >= reset


async def test_long_429_raises_with_reset_and_blocks_the_bucket(client, mock):
    reset = int(time.time()) + 600
    route = mock.get("/balance").respond(
        429,
        json={"error": "RATE_LIMITED", "message": "Too many", "status": 429},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
    )
    with pytest.raises(RateLimited) as caught:
        await client.get_balance()
    assert caught.value.reset_at == reset
    assert route.call_count == 1

    # Nothing more goes to the read bucket until the reset; other buckets are untouched.
    with pytest.raises(RateLimited):
        await client.get_me()
    assert route.call_count == 1
    assert client.rate_limits.state(Bucket.READ).is_blocked(time.time())
    assert not client.rate_limits.state(Bucket.PUBLIC).is_blocked(time.time())


def test_bucket_opens_again_after_its_reset():
    now = [1000.0]
    async_client = ArianetClient("tok", BASE, clock=lambda: now[0])
    async_client.rate_limits.block(Bucket.READ, 1030.0)
    assert async_client.rate_limits.state(Bucket.READ).is_blocked(now[0])
    now[0] = 1031.0
    state = async_client.rate_limits.state(Bucket.READ)
    assert not state.is_blocked(now[0]) and state.remaining == state.limit


def test_full_jitter_backoff_stays_within_the_capped_exponential():
    policy = RetryPolicy(base_seconds=0.5, cap_seconds=4.0)
    rng = random.Random(3).uniform
    for retry_number in range(1, 10):
        ceiling = min(4.0, 0.5 * 2 ** (retry_number - 1))
        waits = [policy.backoff(retry_number, rng) for _ in range(200)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8


def test_hook_decisions_follow_the_policy():
    now = 1000.0
    read = BackoffHook(FAST, write=False, clock=lambda: now)
    write = BackoffHook(FAST, write=True, clock=lambda: now)
    assert read(ServerError("x", status=500)) is not False
    assert write(ServerError("x", status=500)) is False
    assert write(RequestTimeout("x")) is False
    assert write(ConnectFailed("x")) is not False
    assert read(InvalidResponse("x")) is not False
    assert read(RateLimited("x", reset_at=now + 1)) == pytest.approx(1.05)
    assert read(RateLimited("x", reset_at=now + 900)) is False
    assert read(ValueError("not ours")) is False
    assert not is_retryable(InvalidResponse("x"), write=True)
