"""Subscriber lists of the live layer, whose callbacks belong to the UI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("arianet_tui.live")


def subscribe(subscribers: list[Any], callback: Any) -> Callable[[], None]:
    """Add ``callback``; returns the function that removes it again."""
    subscribers.append(callback)

    def unsubscribe() -> None:
        if callback in subscribers:
            subscribers.remove(callback)

    return unsubscribe


def call_safely(callback: Callable[..., None], *args: Any, what: str) -> None:
    """Run a callback of the UI; a bug in one must not stop the refresh loop."""
    try:
        callback(*args)
    except Exception:
        log.exception("%s raised", what)
