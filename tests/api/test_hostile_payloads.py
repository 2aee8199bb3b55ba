"""Any payload, status or body the network can produce parses or raises an ArianetError."""

from __future__ import annotations

import asyncio
import json

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arianet_tui.api import ArianetClient, ArianetError, RetryPolicy

SERVER = {
    "id": 1,
    "status": "active",
    "instance_status": "running",
    "hostname": "web-1",
    "ip_addresses": [{"ip": "192.0.2.1", "type": "primary"}],
    "protected": False,
    "cycle": "monthly",
    "plan": {"id": 1, "name": "Standard"},
    "datacenter": {"id": 1, "name": "us-east-1", "display_name": "US", "country": "US"},
    "os": {"id": 5, "name": "Ubuntu"},
    "created_at": "2024-01-15T10:30:00Z",
}
VALID_BODIES = {
    "get_server": SERVER,
    "list_servers": {
        "data": [SERVER],
        "pagination": {"current_page": 1, "per_page": 15, "total": 1, "last_page": 1},
    },
    "get_balance": {
        "id": 1,
        "balance": 1.5,
        "currency": {"id": 1, "code": "USD", "name": "US Dollar", "symbol": "$"},
    },
    "list_tokens": {"tokens": [{"id": 1, "name": "t", "prefix": "arr_", "expires": None}]},
    "list_firewalls": {"data": [{"id": 1, "name": "fw", "rules": []}]},
    "toggle_protection": {"protected": True},
}
CALLS = {
    "get_server": lambda api: api.get_server(1),
    "list_servers": lambda api: api.list_servers(),
    "get_balance": lambda api: api.get_balance(),
    "list_tokens": lambda api: api.list_tokens(),
    "list_firewalls": lambda api: api.list_firewalls(),
    "toggle_protection": lambda api: api.toggle_protection(1),
}
NO_RETRY = RetryPolicy(read_attempts=1, write_attempts=1)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)


def _mutate(value: object, data: st.DataObject) -> object:
    """Replace one field of a valid payload, at any depth, with an arbitrary JSON value."""
    if isinstance(value, dict) and value:
        key = data.draw(st.sampled_from(sorted(value)))
        choice = data.draw(st.sampled_from(["replace", "drop", "descend"]))
        copy = dict(value)
        if choice == "drop":
            del copy[key]
        elif choice == "replace":
            copy[key] = data.draw(json_values)
        else:
            copy[key] = _mutate(copy[key], data)
        return copy
    if isinstance(value, list) and value:
        return [_mutate(value[0], data), *value[1:]]
    return data.draw(json_values)


def _call(name: str, status: int, body: bytes) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body)

    async def run() -> None:
        transport = httpx.MockTransport(answer)
        async with ArianetClient(
            "tok", "https://api.test/api/v1", transport=transport, retry=NO_RETRY
        ) as api:
            try:
                await CALLS[name](api)
            except ArianetError:
                pass

    asyncio.run(run())


endpoints = st.sampled_from(sorted(CALLS))
statuses = st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 418, 429, 500, 502, 503])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=endpoints, status=statuses, body=st.binary(max_size=200))
def test_arbitrary_bytes(name, status, body):
    _call(name, status, body)


@settings(max_examples=150, deadline=None)
@given(name=endpoints, status=statuses, body=json_values)
def test_arbitrary_json(name, status, body):
    _call(name, status, json.dumps(body).encode())


@settings(max_examples=200, deadline=None)
@given(name=endpoints, data=st.data())
def test_mutated_valid_payloads(name, data):
    _call(name, 200, json.dumps(_mutate(VALID_BODIES[name], data)).encode())


@settings(max_examples=100, deadline=None)
@given(name=endpoints, cut=st.integers(min_value=0, max_value=400))
def test_truncated_payloads(name, cut):
    body = json.dumps(VALID_BODIES[name]).encode()
    _call(name, 200, body[: min(cut, len(body) - 1)])
