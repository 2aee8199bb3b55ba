"""Serve an app with uvicorn on loopback in a background thread, for tests over real HTTP."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from arianet_tui.sim.exchange import API_ROOT

_START_TIMEOUT = 10.0
_GRACE = 1.0


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready socket on ``host``:``port``; port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{API_ROOT}"


class SimServer:
    """``with SimServer(app) as server:`` serves ``app`` at ``server.url`` until the block ends."""

    def __init__(
        self, app: ASGIApp | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        if app is None:
            from arianet_tui.sim.app import create_app

            app = create_app()
        self.app = app
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The API root, e.g. ``http://127.0.0.1:54321/api/v1``."""
        if self._server is None:
            raise RuntimeError("the server is not running; call start() first")
        return base_url(self.host, self.port)

    def start(self) -> SimServer:
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=int(_GRACE),
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="arianet-sim", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the simulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving; returns within about two seconds even with requests in flight."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(_GRACE)
        if thread.is_alive():
            server.force_exit = True
            thread.join(_GRACE)
        self._server = self._thread = None

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
