"""The activity journal: every write goes through it, is shown, timed and audited."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..api.errors import ArianetError

log = logging.getLogger("arianet_tui.live.journal")

T = TypeVar("T")

EntryState = Literal["queued", "running", "done", "failed", "unknown"]
FINISHED_STATES: frozenset[EntryState] = frozenset({"done", "failed", "unknown"})
MAX_ENTRIES = 500
# The token stays in the shell: the command names the variable, never its value.
AUTH_HEADER = '"Authorization: Bearer $ARIANET_TOKEN"'


@dataclass
class JournalEntry:
    """One write: what was asked, where it stands, and how to replay it with curl."""

    id: int
    action: str
    target: str
    method: str
    path: str
    body: dict[str, Any] | None
    state: EntryState
    started_at: float
    finished_at: float | None = None
    message: str = ""
    curl: str = ""
    #: The error class name of a failed or unknown write, for the activity panel.
    error: str | None = field(default=None)

    @property
    def duration(self) -> float | None:
        """Seconds from start to finish; None while the write is not finished."""
        return None if self.finished_at is None else max(0.0, self.finished_at - self.started_at)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    def to_json(self) -> dict[str, Any]:
        """The audit record: plain JSON values, timestamps in UTC ISO 8601."""
        return {
            "id": self.id,
            "action": self.action,
            "target": self.target,
            "method": self.method,
            "path": self.path,
            "body": self.body,
            "state": self.state,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at) if self.finished_at is not None else None,
            "duration": round(self.duration, 3) if self.duration is not None else None,
            "message": self.message,
            "error": self.error,
            "curl": self.curl,
        }


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


def _quote(text: str) -> str:
    """Shell quoting that always shows the quotes, so the command reads the same every time."""
    quoted = shlex.quote(text)
    return quoted if quoted.startswith("'") else f"'{quoted}'"


def curl_command(
    base_url: str, method: str, path: str, body: Mapping[str, Any] | None = None
) -> str:
    """The curl command equivalent to a request, with the token left as a shell variable."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    parts = ["curl", "-X", method.upper(), _quote(url)]
    parts += ["-H", AUTH_HEADER]
    if body is not None:
        payload = json.dumps(body, separators=(",", ":"), default=str)
        parts += ["-H", _quote("Content-Type: application/json"), "-d", _quote(payload)]
    return " ".join(parts)


class ActivityJournal:
    """Runs each write, records its outcome, and appends it to a JSONL audit file.

    At most ``max_concurrent`` writes run at once; the others wait as ``queued``. Callbacks
    given to :meth:`subscribe` run on the event loop at every change of an entry.
    """

    def __init__(
        self,
        *,
        base_url: str,
        audit_path: Path | None,
        clock: Callable[[], float] = time.time,
        max_concurrent: int = 4,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.audit_path = audit_path
        self._clock = clock
        self._entries: deque[JournalEntry] = deque(maxlen=MAX_ENTRIES)
        self._subscribers: list[Callable[[JournalEntry], None]] = []
        self._next_id = 1
        self._slots = asyncio.Semaphore(max_concurrent)

    @property
    def entries(self) -> Sequence[JournalEntry]:
        """The latest entries, oldest first."""
        return tuple(self._entries)

    def subscribe(self, callback: Callable[[JournalEntry], None]) -> Callable[[], None]:
        """Call ``callback`` at every change of an entry; returns the function that stops it."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    async def run(
        self,
        action: str,
        target: str,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        call: Callable[[], Awaitable[T]],
    ) -> T:
        """Journal one write around ``call()``: its result is returned, its error re-raised."""
        entry = JournalEntry(
            id=self._next_id,
            action=action,
            target=target,
            method=method.upper(),
            path=path.lstrip("/"),
            body=dict(body) if body is not None else None,
            state="queued",
            started_at=self._clock(),
            curl=curl_command(self.base_url, method, path, body),
        )
        self._next_id += 1
        self._entries.append(entry)
        self._changed(entry)

        async with self._slots:
            entry.state = "running"
            entry.started_at = self._clock()
            self._changed(entry)
            try:
                result = await call()
            except ArianetError as exc:
                state: EntryState = "unknown" if exc.outcome_unknown else "failed"
                self._finish(entry, state, exc.message, type(exc).__name__)
                raise
            except asyncio.CancelledError:
                # The request may already be on its way; only a re-read can tell.
                self._finish(entry, "unknown", "Cancelled before the answer came.", "Cancelled")
                raise
            except Exception as exc:
                self._finish(entry, "failed", str(exc) or type(exc).__name__, type(exc).__name__)
                raise
        self._finish(entry, "done", _summary(result), None)
        return result

    def _finish(
        self, entry: JournalEntry, state: EntryState, message: str, error: str | None
    ) -> None:
        entry.state = state
        entry.finished_at = self._clock()
        entry.message = message
        entry.error = error
        log.info(
            "write %s %s /%s -> %s in %.2f s",
            entry.action,
            entry.method,
            entry.path,
            state,
            entry.duration or 0.0,
        )
        self._append(entry)
        self._changed(entry)

    def _changed(self, entry: JournalEntry) -> None:
        for callback in list(self._subscribers):
            try:
                callback(entry)
            except Exception:
                log.exception("journal subscriber failed")

    def _append(self, entry: JournalEntry) -> None:
        if self.audit_path is None:
            return
        line = json.dumps(entry.to_json(), ensure_ascii=True, default=str) + "\n"
        try:
            self.audit_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.audit_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                # A file created earlier by something else may be readable by others.
                if os.fstat(fd).st_mode & 0o077:
                    os.fchmod(fd, 0o600)
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        except OSError as exc:
            log.error("cannot append to the audit file %s: %s", self.audit_path, exc)


def _summary(result: object) -> str:
    """A short message for a finished write: the API's own message when it sent one."""
    message = getattr(result, "message", None)
    return message if isinstance(message, str) else ""
