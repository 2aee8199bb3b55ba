"""The simulated Arianet cloud service: a Starlette app over a seeded, stateful world.

``create_app()`` serves the demo account in-process (use it with ``httpx.ASGITransport``,
or with ``threaded.ThreadedASGITransport`` to keep its work off the caller's event loop);
``SimServer`` serves an app over real HTTP on loopback; ``arianet-sim`` does so from a shell.
"""

from typing import TYPE_CHECKING, Any

from arianet_tui.sim.app import create_app
from arianet_tui.sim.clock import SimClock
from arianet_tui.sim.faults import Fault, Faults
from arianet_tui.sim.records import Timings
from arianet_tui.sim.seed import DEMO_TOKEN
from arianet_tui.sim.state import RecordedRequest, SimState
from arianet_tui.sim.world import World

if TYPE_CHECKING:
    from arianet_tui.sim.server import SimServer


def __getattr__(name: str) -> Any:
    # SimServer brings in uvicorn (about 100 ms), which the in-process demo never needs.
    if name == "SimServer":
        from arianet_tui.sim.server import SimServer

        return SimServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEMO_TOKEN",
    "Fault",
    "Faults",
    "RecordedRequest",
    "SimClock",
    "SimServer",
    "SimState",
    "Timings",
    "World",
    "create_app",
]
