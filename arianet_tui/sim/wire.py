"""ASGI plumbing for the faults: capture an answer, send it slowly or broken, or send none."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTML_502 = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised in-process, where no socket can be closed: httpx's error for a dropped connection."""


@dataclass
class Answer:
    """A complete HTTP answer: status, headers and body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def is_json_success(self) -> bool:
        content_type = self.headers.get("content-type", "")
        return 200 <= self.status < 300 and content_type.startswith("application/json")


def replay(body: bytes) -> Receive:
    """A ``receive`` that hands over an already read request body."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def capture(app: ASGIApp, scope: Scope, body: bytes) -> Answer:
    """Run an app on a request and keep its whole answer instead of sending it."""
    answer = Answer(status=500)
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            for name, value in message.get("headers", []):
                answer.headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, replay(body), send)
    answer.body = b"".join(chunks)
    return answer


async def send_answer(send: Send, answer: Answer, *, chunks: int = 1, pause: float = 0.0) -> None:
    """Send an answer, in ``chunks`` pieces with ``pause`` seconds before each when asked."""
    headers = {**answer.headers, "content-length": str(len(answer.body))}
    await send(
        {
            "type": "http.response.start",
            "status": answer.status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        }
    )
    body = answer.body
    size = max(1, -(-len(body) // max(1, chunks)))
    pieces = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    for n, piece in enumerate(pieces):
        if pause > 0:
            await asyncio.sleep(pause)
        await send({"type": "http.response.body", "body": piece, "more_body": n < len(pieces) - 1})


async def drop_connection(scope: Scope, send: Send) -> None:
    """End the exchange without an answer: under uvicorn the socket is aborted."""
    # uvicorn's send is a method of the request cycle, which holds the connection.
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if isinstance(transport, asyncio.Transport):
        transport.abort()
        # Let the server see the lost connection before the app returns, so it sends nothing.
        for _ in range(3):
            await asyncio.sleep(0)
        return
    raise ConnectionDropped("Server disconnected without sending a response.")


def truncated(body: bytes) -> bytes:
    """The first part of a body, cut so that it never parses."""
    cut = max(1, len(body) // 2)
    return body[:cut] if cut < len(body) else body[:-1] or b"{"


def _scrambled(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _scrambled(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrambled(item) for item in value]
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, int | float):
        return f"#{value}"
    return value


def wrong_types(body: bytes) -> bytes:
    """The same JSON with numbers and booleans turned into strings; a message becomes a list."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    scrambled = _scrambled(payload)
    if scrambled == payload:
        scrambled = [payload]
    return json.dumps(scrambled, ensure_ascii=False).encode()
