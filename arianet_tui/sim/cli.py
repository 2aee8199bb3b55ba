"""``arianet-sim``: serve the simulated Arianet API on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Sequence

import uvicorn

from arianet_tui.sim.app import create_app
from arianet_tui.sim.faults import Faults
from arianet_tui.sim.seed import DEMO_TOKEN
from arianet_tui.sim.server import base_url, bind_socket
from arianet_tui.sim.world import World


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arianet-sim",
        description="Serve a simulated Arianet cloud API on loopback, with a demo account.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one")
    parser.add_argument("--servers", type=int, default=24, help="servers in the demo fleet")
    parser.add_argument("--seed", type=int, default=7, help="seed of the demo account")
    parser.add_argument("--latency", type=float, default=None, metavar="MS", help="added delay")
    parser.add_argument(
        "--faults", default="none", choices=sorted(Faults.PROFILES), help="fault profile"
    )
    parser.add_argument(
        "--window", type=float, default=900.0, metavar="SECONDS", help="rate-limit window"
    )
    parser.add_argument(
        "--hostile", action="store_true", help="names full of markup, escapes and odd text"
    )
    return parser


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not is_loopback(args.host):
        print(
            f"arianet-sim: refusing to listen on {args.host}: the simulator accepts a fixed "
            "token and serves only loopback (127.0.0.1, ::1 or localhost)",
            file=sys.stderr,
        )
        return 2
    if args.servers < 0 or args.window <= 0:
        print("arianet-sim: --servers must be >= 0 and --window > 0", file=sys.stderr)
        return 2

    faults = Faults.profile(args.faults)
    if args.latency is not None:
        faults.latency_ms = args.latency
    build = World.hostile if args.hostile else World.demo
    app = create_app(
        build(seed=args.seed, servers=args.servers), faults=faults, window=args.window
    )

    host = "127.0.0.1" if args.host == "localhost" else args.host
    try:
        sock = bind_socket(host, args.port)
    except OSError as exc:
        print(f"arianet-sim: cannot listen on {host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    url = base_url(host, sock.getsockname()[1])
    print(f"Arianet simulator on {url}  token: {DEMO_TOKEN}")
    print(f'Try: curl -H "Authorization: Bearer {DEMO_TOKEN}" {url}/servers')
    print("Press Ctrl-C to stop.", flush=True)

    server = uvicorn.Server(uvicorn.Config(app, log_level="info", lifespan="off"))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    return 0
