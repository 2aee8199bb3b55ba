"""The on-disk catalog cache: regions, plans and OS templates, kept for a day.

One JSON file per entry, in a folder per API root so the demo and a real account never mix,
holding the fetch time and the payload. A file that cannot be read is ignored and written
anew. Every screen shares one cache: one copy in memory, and one request per entry at a time.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..api.client import ArianetClient
from ..api.models import OsTemplate, Plan, Region

log = logging.getLogger("arianet_tui.live.cache")

M = TypeVar("M", bound=BaseModel)

FORMAT_VERSION = 1
DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class _Cached:
    fetched_at: float
    items: tuple[BaseModel, ...]


class CatalogCache:
    """Regions, plans and OS templates from memory, else disk, else the API."""

    def __init__(
        self,
        client: ArianetClient,
        *,
        cache_dir: Path,
        clock: Callable[[], float] = time.time,
        max_age: float = DAY_SECONDS,
    ) -> None:
        self.client = client
        root = hashlib.sha256(client.base_url.encode("utf-8")).hexdigest()[:16]
        self.directory = Path(cache_dir) / "catalog" / root
        self._clock = clock
        self.max_age = max_age
        self._memory: dict[str, _Cached] = {}
        self._pending: dict[str, asyncio.Task[_Cached]] = {}

    async def regions(self, force: bool = False) -> list[Region]:
        return await self._get("regions", Region, self.client.list_regions, force)

    async def plans(self, force: bool = False) -> list[Plan]:
        return await self._get("plans", Plan, self.client.list_plans, force)

    async def os_templates(self, force: bool = False) -> list[OsTemplate]:
        return await self._get("os", OsTemplate, self.client.list_os, force)

    async def plans_for(self, datacenter_id: int, force: bool = False) -> list[Plan]:
        dc = int(datacenter_id)
        fetch = lambda: self.client.list_plans_for_datacenter(dc)  # noqa: E731
        return await self._get(f"plans-dc-{dc}", Plan, fetch, force)

    async def os_for(self, datacenter_id: int, force: bool = False) -> list[OsTemplate]:
        dc = int(datacenter_id)
        fetch = lambda: self.client.list_os_for_datacenter(dc)  # noqa: E731
        return await self._get(f"os-dc-{dc}", OsTemplate, fetch, force)

    def fetched_at(self, name: str) -> float | None:
        """When the entry in memory was fetched from the API, if it is in memory."""
        cached = self._memory.get(name)
        return cached.fetched_at if cached is not None else None

    def clear_memory(self) -> None:
        self._memory.clear()

    async def _get(
        self,
        name: str,
        model: type[M],
        fetch: Callable[[], Awaitable[Sequence[M]]],
        force: bool,
    ) -> list[M]:
        if not force:
            cached = self._memory.get(name)
            if cached is None:
                cached = await asyncio.to_thread(self._read, name, model)
                if cached is not None:
                    self._memory[name] = cached
            if cached is not None and self._fresh(cached):
                return _as_list(cached, model)

        # Callers of the same entry share one request; one caller giving up does not stop it.
        task = self._pending.get(name)
        if task is None:
            task = asyncio.create_task(self._refetch(name, fetch))
            self._pending[name] = task
            task.add_done_callback(lambda _: self._pending.pop(name, None))
        cached = await asyncio.shield(task)
        return _as_list(cached, model)

    async def _refetch(
        self, name: str, fetch: Callable[[], Awaitable[Sequence[BaseModel]]]
    ) -> _Cached:
        items = tuple(await fetch())
        cached = _Cached(fetched_at=self._clock(), items=items)
        self._memory[name] = cached
        await asyncio.to_thread(self._write, name, cached)
        return cached

    def _fresh(self, cached: _Cached) -> bool:
        age = self._clock() - cached.fetched_at
        # A fetch time in the future means the clock moved back: trust the file no more.
        return 0.0 <= age < self.max_age

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def _read(self, name: str, model: type[BaseModel]) -> _Cached | None:
        path = self._path(name)
        try:
            raw = json.loads(path.read_bytes())
            if raw.get("version") != FORMAT_VERSION:
                return None
            fetched_at = float(raw["fetched_at"])
            rows = TypeAdapter(list[model])  # type: ignore[valid-type]
            items = rows.validate_python(raw["payload"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError, ValidationError) as exc:
            log.warning("ignoring the unreadable cache file %s: %s", path, exc)
            return None
        return _Cached(fetched_at=fetched_at, items=tuple(items))

    def _write(self, name: str, cached: _Cached) -> None:
        path = self._path(name)
        document: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "base_url": self.client.base_url,
            "fetched_at": cached.fetched_at,
            "payload": [item.model_dump(mode="json") for item in cached.items],
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(document, handle, separators=(",", ":"))
                os.replace(temp, path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("cannot write the cache file %s: %s", path, exc)


def _as_list(cached: _Cached, model: type[M]) -> list[M]:
    return [item for item in cached.items if isinstance(item, model)]
