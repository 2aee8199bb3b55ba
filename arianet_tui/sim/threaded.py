"""Serve an ASGI app in-process, on a thread and event loop of its own.

``httpx.ASGITransport`` runs the app inside the caller's task, so every page the simulator
renders is work on the dashboard's event loop, queued between the steps of a key press:
re-reading four pages held keys for 80-140 ms. This transport hands each request to a loop
on a daemon thread instead, so that the simulator costs the dashboard what a remote service
costs it, the wait for an answer. The threads share the GIL, but the interpreter switches
between them every few milliseconds instead of running a whole request to its end.
"""

from __future__ import annotations

import asyncio
import threading

import httpx
from starlette.types import ASGIApp

#: How long closing waits for the loop's thread to end.
_JOIN_SECONDS = 5.0


class ThreadedASGITransport(httpx.AsyncBaseTransport):
    """An ``httpx.ASGITransport`` whose app runs on its own loop, started on first use."""

    def __init__(self, app: ASGIApp, *, name: str = "arianet-sim") -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name=self._name, daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        served = asyncio.run_coroutine_threadsafe(
            self._inner.handle_async_request(request), self._running_loop()
        )
        try:
            return await asyncio.wrap_future(served)
        except asyncio.CancelledError:
            served.cancel()
            raise

    async def aclose(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join, _JOIN_SECONDS)
        if not thread.is_alive():
            loop.close()
