"""The simulated Arianet cloud service: a Starlette app over a seeded, stateful world.

``create_app()`` serves the demo account in-process (use it with ``httpx.ASGITransport``);
``SimServer`` serves an app over real HTTP on loopback; ``arianet-sim`` does so from a shell.
"""

from arianet_tui.sim.app import create_app
from arianet_tui.sim.clock import SimClock
from arianet_tui.sim.faults import Fault, Faults
from arianet_tui.sim.records import Timings
from arianet_tui.sim.seed import DEMO_TOKEN
from arianet_tui.sim.server import SimServer
from arianet_tui.sim.state import RecordedRequest, SimState
from arianet_tui.sim.world import World

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
