"""The simulator over real HTTP on loopback, and its command line."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from arianet_tui.api.models import Page, Server
from arianet_tui.sim import DEMO_TOKEN, Faults, SimServer, create_app
from arianet_tui.sim.cli import is_loopback, main

pytestmark = pytest.mark.xdist_group("sim-http")


def test_serves_over_http_and_stops_quickly() -> None:
    app = create_app()
    server = SimServer(app).start()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.url.endswith("/api/v1")
        headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=5) as client:
            page = client.get("/servers", params={"limit": 5})
            assert page.status_code == 200
            assert int(page.headers["x-ratelimit-remaining"]) == 99
            Page[Server].model_validate(page.json())

            app.state.sim.faults = Faults(drop_rate=1.0)
            with pytest.raises(httpx.RemoteProtocolError):
                client.post("/servers/10001/restart")
            assert app.state.sim.writes("POST", "/api/v1/servers/10001/restart") == 1

            app.state.sim.faults = Faults(slow_body_rate=1.0, slow_body_pause_ms=20)
            assert len(client.get("/servers").json()["data"]) == 15

            app.state.sim.down = True
            with pytest.raises(httpx.RemoteProtocolError):
                client.get("/auth/me")
            app.state.sim.down = False
            assert client.get("/auth/me").status_code == 200
    finally:
        started = time.perf_counter()
        server.stop()
        assert time.perf_counter() - started < 2.5


def test_stops_with_a_slow_request_in_flight() -> None:
    app = create_app(
        faults=Faults(slow_body_rate=1.0, slow_body_chunks=50, slow_body_pause_ms=200)
    )
    with (
        SimServer(app) as server,
        httpx.Client(timeout=10) as client,
        client.stream("GET", server.url + "/regions") as response,
    ):
        assert response.status_code == 200
        started = time.perf_counter()
        server.stop()
        assert time.perf_counter() - started < 2.5


def test_cli_refuses_other_hosts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--host", "0.0.0.0"]) == 2
    assert "refusing" in capsys.readouterr().err
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.0.2.1") and not is_loopback("example.org")


def test_python_dash_m_serves_and_prints_its_url() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "arianet_tui.sim", "--port", "0", "--servers", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Arianet simulator on http://127.0.0.1:")
        assert f"token: {DEMO_TOKEN}" in line
        url = line.split()[3]
        assert "curl" in process.stdout.readline()
        deadline = time.monotonic() + 10
        while True:
            try:
                reply = httpx.get(
                    url + "/servers", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
                )
                break
            except httpx.ConnectError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert reply.json()["pagination"]["total"] == 5
    finally:
        process.terminate()
        process.wait(timeout=5)
