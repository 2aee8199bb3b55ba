"""The catalog cache: a day on disk, one copy in memory, one request per entry at a time."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from arianet_tui.api import ArianetClient
from arianet_tui.api.models import Plan, Region
from arianet_tui.api.retry import NO_RETRY
from arianet_tui.live import CatalogCache, FakeClock

REGIONS = {"data": [{"id": 1, "name": "us-east-1", "display_name": "US East", "country": "US"}]}
PLAN = {
    "id": 3,
    "name": "Standard 2GB",
    "specs": {"cpu": "1 vCPU", "memory": "2 GB", "storage": "20 GB SSD"},
    "prices": [{"code": "usd", "currency": "USD", "hourly": 0.05, "monthly": 29.99}],
}
OS = {"data": [{"id": 5, "name": "Ubuntu 24.04", "region_id": 1}]}


class Api:
    """A catalog API that counts its requests and may be slowed down."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.gate: asyncio.Event | None = None

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        self.hits[path] += 1
        if self.gate is not None:
            await self.gate.wait()
        if path == "/regions":
            return httpx.Response(200, json=REGIONS)
        if path.startswith("/plans"):
            return httpx.Response(200, json={"data": [PLAN]})
        if path.startswith("/os"):
            return httpx.Response(200, json=OS)
        return httpx.Response(404, json={"error": "NOT_FOUND", "message": "no"})


@pytest.fixture
def api() -> Api:
    return Api()


@pytest.fixture
async def client(api: Api) -> AsyncIterator[ArianetClient]:
    transport = httpx.MockTransport(api)
    async with ArianetClient(
        base_url="http://127.0.0.1/api/v1", transport=transport, retry=NO_RETRY
    ) as client:
        yield client


def cache_for(client: ArianetClient, tmp_path: Path, clock: FakeClock) -> CatalogCache:
    return CatalogCache(client, cache_dir=tmp_path / "cache", clock=clock)


async def test_a_second_call_within_a_day_sends_nothing(
    client: ArianetClient, api: Api, tmp_path: Path
) -> None:
    clock = FakeClock()
    cache = cache_for(client, tmp_path, clock)

    first = await cache.regions()
    clock.advance(3600)
    again = await cache.regions()

    assert first == again == [Region(id=1, name="us-east-1", display_name="US East", country="US")]
    assert api.hits["/regions"] == 1


async def test_the_disk_copy_serves_a_new_cache_until_it_is_a_day_old(
    client: ArianetClient, api: Api, tmp_path: Path
) -> None:
    clock = FakeClock()
    plans = await cache_for(client, tmp_path, clock).plans()
    assert isinstance(plans[0], Plan)

    clock.advance(86_000)
    assert await cache_for(client, tmp_path, clock).plans() == plans
    assert api.hits["/plans"] == 1

    clock.advance(401)
    assert await cache_for(client, tmp_path, clock).plans() == plans
    assert api.hits["/plans"] == 2


async def test_force_fetches_again(client: ArianetClient, api: Api, tmp_path: Path) -> None:
    cache = cache_for(client, tmp_path, FakeClock())
    await cache.os_templates()
    await cache.os_templates(force=True)
    assert api.hits["/os"] == 2


async def test_entries_per_datacenter_are_kept_apart(
    client: ArianetClient, api: Api, tmp_path: Path
) -> None:
    cache = cache_for(client, tmp_path, FakeClock())
    await cache.plans_for(1)
    await cache.plans_for(2)
    await cache.plans_for(1)
    await cache.os_for(1)
    await cache.os_for(1)
    assert api.hits == Counter(
        {"/plans/datacenter/1": 1, "/plans/datacenter/2": 1, "/os/datacenter/1": 1}
    )


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"version": 1, "fetched_at": "x"}', b'{"version": 1, "payload": 3}'],
)
async def test_a_corrupted_file_is_ignored_and_rewritten(
    client: ArianetClient, api: Api, tmp_path: Path, content: bytes
) -> None:
    clock = FakeClock()
    await cache_for(client, tmp_path, clock).regions()
    (path,) = (tmp_path / "cache").rglob("regions.json")
    path.write_bytes(content)

    regions = await cache_for(client, tmp_path, clock).regions()

    assert regions[0].name == "us-east-1"
    assert api.hits["/regions"] == 2
    document = json.loads(path.read_text())
    assert document["payload"] == REGIONS["data"]
    assert document["fetched_at"] == clock.now()


async def test_concurrent_callers_share_one_request(
    client: ArianetClient, api: Api, tmp_path: Path
) -> None:
    cache = cache_for(client, tmp_path, FakeClock())
    api.gate = asyncio.Event()

    calls = [asyncio.create_task(cache.regions()) for _ in range(5)]
    await asyncio.sleep(0.05)
    api.gate.set()
    results = await asyncio.gather(*calls)

    assert api.hits["/regions"] == 1
    assert all(result == results[0] for result in results)


async def test_writes_leave_no_temporary_files(client: ArianetClient, tmp_path: Path) -> None:
    cache = cache_for(client, tmp_path, FakeClock())
    await cache.regions()
    await cache.plans(force=True)
    names = sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert names == ["plans.json", "regions.json"]


async def test_each_api_root_has_its_own_files(api: Api, tmp_path: Path) -> None:
    transport = httpx.MockTransport(api)
    clock = FakeClock()
    for url in ("http://127.0.0.1/api/v1", "http://localhost/api/v1"):
        async with ArianetClient(base_url=url, transport=transport, retry=NO_RETRY) as client:
            await cache_for(client, tmp_path, clock).regions()
    assert api.hits["/regions"] == 2
