"""Browser mode: the dashboard served on loopback by textual-serve.

Each browser tab that connects starts its own ``arianet-tui`` process, with the options the
server was started with (minus ``--serve``), and talks to it over a websocket.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence

HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def without_serve(argv: Sequence[str]) -> list[str]:
    """``argv`` minus ``--serve``, ``--serve PORT`` and ``--serve=PORT``."""
    kept: list[str] = []
    skip_port = False
    for arg in argv:
        if skip_port:
            skip_port = False
            if arg.isdigit():
                continue
        if arg == "--serve":
            skip_port = True
            continue
        if arg.startswith("--serve="):
            continue
        kept.append(arg)
    return kept


def serve_command(argv: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser session."""
    return shlex.join([sys.executable, "-m", "arianet_tui", *without_serve(argv)])


def serve(argv: Sequence[str], port: int) -> int:
    """Serve until interrupted; 2 when the port cannot be used."""
    from textual_serve.server import Server

    server = Server(serve_command(argv), host=HOST, port=port, title="Arianet TUI")
    try:
        server.serve()
    except OSError as error:
        print(f"arianet-tui: cannot serve on {HOST}:{port}: {error.strerror}", file=sys.stderr)
        return 2
    return 0
