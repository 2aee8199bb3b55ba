"""The client's requests, errors and safety checks, against mocked transports."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from arianet_tui.api import (
    ArianetClient,
    ClientError,
    ConfigurationError,
    ConnectionDropped,
    Forbidden,
    InvalidResponse,
    NotFound,
    ReadOnlyError,
    RetryPolicy,
    ServerError,
    Unauthorized,
)
from arianet_tui.api.ratelimit import Bucket

BASE = "https://api.test/api/v1"
TOKEN = "arr_secret_token_value_1234"
FAST = RetryPolicy(base_seconds=0.001, cap_seconds=0.005, max_rate_wait=0.0)

SERVER = {
    "id": 98765,
    "status": "active",
    "instance_status": "running",
    "hostname": "web-server-1",
    "ip_addresses": [{"ip": "192.0.2.10", "type": "primary"}],
    "protected": False,
    "cycle": "monthly",
    "plan": {"id": 1, "name": "Standard 2GB"},
    "datacenter": {"id": 1, "name": "us-east-1", "display_name": "US East", "country": "US"},
    "os": {"id": 5, "name": "Ubuntu 22.04 LTS"},
    "created_at": "2024-01-15T10:30:00Z",
}
PAGE = {
    "data": [SERVER],
    "pagination": {"current_page": 1, "per_page": 15, "total": 1, "last_page": 1},
}


@pytest.fixture
async def client():
    async with ArianetClient(TOKEN, BASE, retry=FAST) as api:
        yield api


@pytest.fixture
def mock():
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


async def test_list_servers_sends_query_and_headers(client, mock):
    route = mock.get("/servers").respond(200, json=PAGE)

    page = await client.list_servers(page=2, limit=100, status="active")

    request = route.calls.last.request
    assert dict(request.url.params) == {"page": "2", "limit": "100", "status": "active"}
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"].startswith("arianet-tui/")
    assert page.data[0].hostname == "web-server-1"
    assert page.data[0].created_at.tzinfo is not None


async def test_status_filter_is_left_out_when_not_given(client, mock):
    route = mock.get("/servers").respond(200, json=PAGE)
    await client.list_servers()
    assert dict(route.calls.last.request.url.params) == {"page": "1", "limit": "15"}


async def test_create_server_leaves_out_optional_fields(client, mock):
    created = {**SERVER, "status": "creating", "instance_status": None, "ip_addresses": []}
    route = mock.post("/servers").respond(201, json=created)

    server = await client.create_server(plan_id=1, datacenter_id=2, os_id=5)

    assert json.loads(route.calls.last.request.content) == {
        "plan_id": 1,
        "datacenter_id": 2,
        "os_id": 5,
    }
    assert server.status == "creating" and server.primary_ip is None


async def test_icmp_rule_sends_port_as_null(client, mock):
    route = mock.post("/firewalls/7/rules").respond(
        200, json={"id": 7, "name": "fw", "protected": False, "rules": []}
    )
    await client.add_firewall_rule(7, protocol="icmp", port=None, direction="in", cidr="::/0")
    body = json.loads(route.calls.last.request.content)
    assert body == {"protocol": "icmp", "port": None, "direction": "in", "cidr": "::/0"}


async def test_unknown_status_values_are_kept(client, mock):
    odd = {**SERVER, "status": "hibernating", "instance_status": "frozen", "new_field": [1]}
    mock.get("/servers/98765").respond(200, json=odd)
    server = await client.get_server(98765)
    assert (server.status, server.instance_status) == ("hibernating", "frozen")


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, ClientError),
        (401, Unauthorized),
        (403, Forbidden),
        (404, NotFound),
        (409, ClientError),
        (500, ServerError),
        (503, ServerError),
    ],
)
async def test_error_statuses_map_to_classes(client, mock, status, error_class):
    body = {"error": "SOME_CODE", "message": "Detailed error message", "status": status}
    mock.get("/balance").respond(status, json=body)

    with pytest.raises(error_class) as caught:
        await client.get_balance()

    assert caught.value.status == status
    assert caught.value.code == "SOME_CODE"
    assert str(caught.value) == "Detailed error message"


async def test_html_error_page_gives_typed_error_with_excerpt(client, mock):
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    mock.get("/balance").respond(502, text=html)
    with pytest.raises(ServerError) as caught:
        await client.get_balance()
    assert caught.value.status == 502
    assert "502 Bad Gateway" in str(caught.value)


async def test_empty_error_body_still_gives_status(client, mock):
    mock.delete("/ssh-keys/3").respond(403, content=b"")
    with pytest.raises(Forbidden) as caught:
        await client.delete_ssh_key(3)
    assert "HTTP 403" in str(caught.value)


async def test_non_json_success_body_is_invalid_response(client, mock):
    mock.get("/auth/me").respond(200, text='{"id": 1, "email": "x@y"')
    with pytest.raises(InvalidResponse):
        await client.get_me()


async def test_wrongly_typed_payload_is_invalid_response(client, mock):
    mock.get("/auth/me").respond(200, json={"id": "not-a-number", "email": 5})
    with pytest.raises(InvalidResponse) as caught:
        await client.get_me()
    assert "id" in str(caught.value)


async def test_read_only_refuses_writes_without_sending(mock):
    route = mock.post("/servers/1/restart").respond(200, json={"message": "ok"})
    async with ArianetClient(TOKEN, BASE, read_only=True) as api:
        with pytest.raises(ReadOnlyError):
            await api.restart_server(1)
    assert not route.called


async def test_redirect_is_not_followed(client, mock):
    mock.get("/auth/me").respond(302, headers={"Location": "https://evil.example/steal"})
    other = respx.get("https://evil.example/steal").respond(200, json={})
    with pytest.raises(ClientError, match="redirect"):
        await client.get_me()
    assert not other.called


async def test_dropped_connection_is_typed(client, mock):
    mock.get("/balance").mock(side_effect=httpx.RemoteProtocolError("closed"))
    with pytest.raises(ConnectionDropped):
        await client.get_balance()


@pytest.mark.parametrize("token", ["abc\r\nX-Evil: 1", "abc def", "tok\x00en", "tökén", "", "  "])
def test_bad_tokens_are_refused_before_any_request(token):
    with pytest.raises(ConfigurationError):
        ArianetClient(token, BASE)


@pytest.mark.parametrize(
    "url",
    ["http://api.arianet.io/api/v1", "ftp://x/y", "https://user:pw@host/api", "not a url"],
)
def test_unsafe_base_urls_are_refused(url):
    with pytest.raises(ConfigurationError):
        ArianetClient(TOKEN, url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/api/v1", "http://localhost/api/v1", "http://[::1]:9/api/v1"]
)
def test_plain_http_to_loopback_is_allowed(url):
    assert ArianetClient(TOKEN, url).base_url == url


async def test_token_never_in_repr_or_errors(client, mock):
    mock.get("/auth/me").respond(401, json={"error": "UNAUTHORIZED", "message": "bad token"})
    assert TOKEN not in repr(client)
    assert TOKEN not in repr(client._auth)
    with pytest.raises(Unauthorized) as caught:
        await client.get_me()
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)


async def test_rate_limit_headers_are_kept_per_bucket(client, mock):
    headers = {
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "85",
        "X-RateLimit-Reset": "1893456000",
    }
    mock.get("/servers").respond(200, json=PAGE, headers=headers)
    mock.get("/regions").respond(
        200, json={"data": []}, headers={**headers, "X-RateLimit-Remaining": "99"}
    )
    await client.list_servers()
    await client.list_regions()

    read = client.rate_limits.state(Bucket.READ)
    public = client.rate_limits.state(Bucket.PUBLIC)
    assert (read.limit, read.remaining, read.reset_at) == (100, 85, 1893456000.0)
    assert public.remaining == 99
    assert client.rate_limits.state(Bucket.WRITE).remaining == 1000


async def test_malformed_rate_limit_headers_are_ignored(client, mock):
    mock.get("/servers").respond(
        200,
        json=PAGE,
        headers={
            "X-RateLimit-Limit": "lots",
            "X-RateLimit-Remaining": "-4",
            "X-RateLimit-Reset": "soon",
        },
    )
    await client.list_servers()
    read = client.rate_limits.state(Bucket.READ)
    assert (read.limit, read.remaining, read.reset_at) == (100, 100, None)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("arr_secret_t", True),
        ("arr_secret_t...", True),
        ("arr_secret_t\u2026", True),
        ("arr_other_to", False),
        ("arr_", False),
        ("", False),
    ],
)
def test_token_matches_a_listed_prefix(prefix, expected):
    assert ArianetClient(TOKEN, BASE).token_matches(prefix) is expected
    assert ArianetClient(None, BASE).token_matches(prefix) is False


# -- large bodies, validated off the event loop in slices --------------------------------


def _large_page(rows: int) -> dict[str, object]:
    servers = [{**SERVER, "id": n, "hostname": f"web-{n:05d}"} for n in range(1, rows + 1)]
    pagination = {"current_page": 1, "per_page": rows, "total": rows, "last_page": 1}
    return {"data": servers, "pagination": pagination}


async def test_a_large_page_parses_as_a_small_one_does(client, mock):
    body = _large_page(1_200)
    assert len(json.dumps(body)) > 256 * 1024
    mock.get("/servers").respond(json=body)
    page = await client.list_servers(limit=100)
    assert [s.id for s in page.data] == list(range(1, 1_201))
    assert page.pagination.total == 1_200
    assert page.data[-1] == page.data[0].model_copy(update={"id": 1_200, "hostname": "web-01200"})


async def test_a_bad_row_deep_in_a_large_page_is_named_by_its_index(client, mock):
    body = _large_page(1_200)
    body["data"][1_150]["created_at"] = "yesterday"  # type: ignore[index]
    mock.get("/servers").respond(json=body)
    with pytest.raises(InvalidResponse, match=r"data\.1150\.created_at"):
        await client.list_servers()


@pytest.mark.parametrize(
    ("body", "says"),
    [(b"{" + b"x" * 300_000, "invalid JSON"), (b"[" * 300_000, "invalid JSON")],
    ids=["not-json", "deeply-nested"],
)
async def test_a_large_body_that_is_not_a_page_is_an_invalid_response(client, mock, body, says):
    mock.get("/servers").respond(content=body, headers={"content-type": "application/json"})
    with pytest.raises(InvalidResponse, match=says):
        await client.list_servers()
