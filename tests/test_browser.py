"""Browser mode: ``arianet-tui --demo --serve PORT`` opened in headless Chromium.

Chromium is driven over the DevTools protocol (aiohttp's websocket client, which
textual-serve already needs). The page draws the terminal on a canvas with xterm.js, so the
test records what the served app sends to the page, strips the escape sequences, and checks
that the servers section is there; a screenshot checks that the canvas is not blank.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
    "--window-size=1200,800",
]
STARTUP_SECONDS = 20.0
RENDER_SECONDS = 25.0

# Runs in the page before its own scripts: keeps every byte the terminal is sent, and
# offers it as plain text with the escape sequences removed.
RECORDER = r"""
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  let received = "";
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          received += decoder.decode(event.data, { stream: true });
        }
      });
    }
  };
  window.__screenText = () => received
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "")
    .replace(/\x1b\[[0-9;?<>=]*[ -\/]*[@-~]/g, " ")
    .replace(/\x1b[()][A-Za-z0-9]|\x1b[=>78]/g, "");
})();
"""

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="chromium is not installed (CI installs it: apt-get install -y chromium)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(check: Any, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the process and everything it started (its own session)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARIANET_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    server = subprocess.Popen(
        [sys.executable, "-m", "arianet_tui", "--demo", "--serve", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: _listening(port) or server.poll() is not None, 15, "the server")
        assert server.poll() is None, "arianet-tui --serve exited"
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(server)


@pytest.fixture
def devtools(tmp_path: Path) -> Iterator[int]:
    """Headless Chromium; yields the port of its DevTools endpoint."""
    profile = tmp_path / "chromium-profile"
    browser = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    active = profile / "DevToolsActivePort"
    try:
        wait_for(active.exists, STARTUP_SECONDS, "chromium's DevTools port")
        port = wait_for(lambda: active.read_text().split("\n")[0], 5, "the port number")
        yield int(port)
    finally:
        _stop(browser)


class DevTools:
    """Just enough of the DevTools protocol: commands in, their results out."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def __call__(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.socket.send_str(json.dumps({"id": number, "method": method, "params": params}))
        async for message in self.socket:
            reply = json.loads(message.data)
            if reply.get("id") == number:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
        raise AssertionError("chromium closed the DevTools connection")

    async def evaluate(self, expression: str) -> Any:
        result = await self("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


async def _open(url: str, devtools_port: int) -> tuple[str, bytes]:
    """What the served app sent to the page, as text, and a PNG of the page."""
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{devtools_port}/json/list") as response:
            targets = await response.json()
        page = next(t for t in targets if t["type"] == "page")
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as socket:
            tools = DevTools(socket)
            await tools("Page.enable")
            await tools("Page.addScriptToEvaluateOnNewDocument", source=RECORDER)
            await tools("Page.navigate", url=url)

            text = ""
            deadline = time.monotonic() + RENDER_SECONDS
            while time.monotonic() < deadline:
                text = await tools.evaluate("window.__screenText ? window.__screenText() : ''")
                if "api-1" in text and "running" in text:
                    break
                await asyncio.sleep(0.25)
            canvases = await tools.evaluate("document.querySelectorAll('.xterm canvas').length")
            assert canvases, "xterm.js drew no canvas"
            shot = await tools("Page.captureScreenshot", format="png")
            return str(text), base64.b64decode(shot["data"])


def test_the_served_dashboard_shows_the_servers_in_chromium(
    served: str, devtools: int, tmp_path: Path
) -> None:
    text, png = asyncio.run(_open(served, devtools))
    (tmp_path / "browser.png").write_bytes(png)
    for expected in ("DEMO", "Servers", "Hostname", "api-1", "web-1", "running"):
        assert expected in text, f"{expected!r} not on the served screen"
    # A blank or single-colour page compresses to a few kilobytes.
    assert len(png) > 20_000
