"""Arianet TUI: a terminal dashboard for the Arianet cloud API."""

import sys

__version__ = "0.1.0"

# httpx imports its command-line client (click, pygments, rich.syntax: about 60 ms, a tenth
# of the start-up) whenever click is installed, and uvicorn installs it. The dashboard never
# runs that client; a None entry makes the import fail, and httpx then defines a `main` that
# only explains what is missing. Nothing else changes.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
