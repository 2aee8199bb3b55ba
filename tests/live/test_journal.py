"""The activity journal: states, the audit file, the curl command, and no token anywhere."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest

from arianet_tui.api import ArianetClient, ArianetError, NotFound, RequestTimeout, ServerError
from arianet_tui.api.models import Message
from arianet_tui.api.retry import NO_RETRY
from arianet_tui.live import ActivityJournal, FakeClock, JournalEntry

BASE = "https://api.arianet.io/api/v1"
TOKEN = "arr_secret_token_value_0123456789"


def make_journal(tmp_path: Path, clock: FakeClock | None = None) -> ActivityJournal:
    audit = tmp_path / "state" / "nested" / "audit.jsonl"
    return ActivityJournal(base_url=BASE, audit_path=audit, clock=clock or FakeClock())


def audit_lines(journal: ActivityJournal) -> list[dict[str, object]]:
    assert journal.audit_path is not None
    return [json.loads(line) for line in journal.audit_path.read_text().splitlines()]


async def test_a_write_that_succeeds_is_done_and_timed(tmp_path: Path) -> None:
    clock = FakeClock()
    journal = make_journal(tmp_path, clock)
    seen: list[tuple[int, str]] = []
    journal.subscribe(lambda entry: seen.append((entry.id, entry.state)))

    async def call() -> Message:
        clock.advance(1.5)
        return Message(message="Restart initiated")

    result = await journal.run("restart", "web-2", "POST", "servers/12/restart", None, call)

    assert result.message == "Restart initiated"
    (entry,) = journal.entries
    assert entry.state == "done"
    assert entry.duration == pytest.approx(1.5)
    assert entry.message == "Restart initiated"
    assert seen == [(1, "queued"), (1, "running"), (1, "done")]


@pytest.mark.parametrize(
    ("error", "state"),
    [
        (NotFound("Server 12 not found", status=404), "failed"),
        (ServerError("Service unavailable", status=503), "failed"),
        (ArianetError("boom"), "failed"),
    ],
)
async def test_a_write_that_fails_is_failed_and_reraised(
    tmp_path: Path, error: ArianetError, state: str
) -> None:
    journal = make_journal(tmp_path)

    async def call() -> Message:
        raise error

    with pytest.raises(type(error)):
        await journal.run("delete", "web-2", "DELETE", "servers/12", None, call)

    (entry,) = journal.entries
    assert entry.state == state
    assert entry.message == error.message
    assert entry.finished_at is not None


async def test_a_write_whose_outcome_is_unknown_says_so(tmp_path: Path) -> None:
    journal = make_journal(tmp_path)
    error = RequestTimeout("POST /servers got no answer in time.")
    error.outcome_unknown = True

    async def call() -> Message:
        raise error

    with pytest.raises(RequestTimeout):
        await journal.run("create", "web-9", "POST", "servers", {"plan_id": 1}, call)

    assert journal.entries[-1].state == "unknown"
    assert audit_lines(journal)[-1]["state"] == "unknown"


async def test_each_finished_write_is_one_jsonl_line_in_a_private_file(tmp_path: Path) -> None:
    journal = make_journal(tmp_path)

    async def ok() -> Message:
        return Message(message="ok")

    async def bad() -> Message:
        raise NotFound("gone", status=404)

    await journal.run("rename", "web-2", "POST", "servers/12/rename", {"hostname": "w"}, ok)
    with pytest.raises(NotFound):
        await journal.run("delete", "db-1", "DELETE", "servers/13", None, bad)

    lines = audit_lines(journal)
    assert [(line["action"], line["state"]) for line in lines] == [
        ("rename", "done"),
        ("delete", "failed"),
    ]
    assert lines[0]["body"] == {"hostname": "w"}
    assert lines[0]["target"] == "web-2"
    assert lines[1]["message"] == "gone"
    assert journal.audit_path is not None
    assert stat.S_IMODE(journal.audit_path.stat().st_mode) == 0o600


async def test_an_audit_file_readable_by_others_is_made_private(tmp_path: Path) -> None:
    journal = make_journal(tmp_path)
    assert journal.audit_path is not None
    journal.audit_path.parent.mkdir(parents=True)
    journal.audit_path.write_text("")
    journal.audit_path.chmod(0o644)

    async def ok() -> Message:
        return Message()

    await journal.run("toggle", "web-2", "POST", "servers/12/toggle-protection", None, ok)
    assert stat.S_IMODE(journal.audit_path.stat().st_mode) == 0o600


async def test_the_curl_command_replays_the_write_without_the_token(tmp_path: Path) -> None:
    journal = make_journal(tmp_path)

    async def ok() -> Message:
        return Message()

    await journal.run("rename", "web-2", "POST", "servers/12/rename", {"hostname": "web-2"}, ok)
    await journal.run("delete", "web-2", "DELETE", "/servers/12", None, ok)
    await journal.run("rename", "x", "POST", "servers/1/rename", {"hostname": "it's"}, ok)

    rename, delete, quoted = journal.entries
    assert rename.curl == (
        "curl -X POST 'https://api.arianet.io/api/v1/servers/12/rename' "
        '-H "Authorization: Bearer $ARIANET_TOKEN" '
        "-H 'Content-Type: application/json' -d '{\"hostname\":\"web-2\"}'"
    )
    assert delete.curl == (
        "curl -X DELETE 'https://api.arianet.io/api/v1/servers/12' "
        '-H "Authorization: Bearer $ARIANET_TOKEN"'
    )
    assert quoted.curl.endswith("""-d '{"hostname":"it'"'"'s"}'""")


async def test_the_token_is_nowhere_in_entries_or_the_audit_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"error": "INTERNAL", "message": "internal error"})

    client = ArianetClient(
        token=TOKEN,
        base_url="http://127.0.0.1/api/v1",
        transport=httpx.MockTransport(answer),
        retry=NO_RETRY,
    )
    journal = ActivityJournal(
        base_url=client.base_url, audit_path=tmp_path / "audit.jsonl", clock=FakeClock()
    )
    caplog.set_level("DEBUG")

    async with client:
        with pytest.raises(ServerError):
            await journal.run(
                "restart",
                "web-2",
                "POST",
                "servers/12/restart",
                None,
                lambda: client.restart_server(12),
            )

    text = (tmp_path / "audit.jsonl").read_text()
    entries = " ".join(repr(entry) for entry in journal.entries)
    assert "servers/12/restart" in text
    for where in (text, entries, caplog.text):
        assert TOKEN not in where


async def test_the_journal_keeps_the_last_500_entries(tmp_path: Path) -> None:
    journal = ActivityJournal(base_url=BASE, audit_path=None, clock=FakeClock())

    async def ok() -> Message:
        return Message()

    for n in range(505):
        await journal.run("rename", f"s{n}", "POST", f"servers/{n}/rename", {"hostname": "h"}, ok)

    assert len(journal.entries) == 500
    assert journal.entries[0].target == "s5"
    assert journal.entries[-1].id == 505


async def test_unsubscribe_stops_the_callbacks(tmp_path: Path) -> None:
    journal = make_journal(tmp_path)
    seen: list[JournalEntry] = []
    stop = journal.subscribe(seen.append)
    stop()

    async def ok() -> Message:
        return Message()

    await journal.run("rename", "w", "POST", "servers/1/rename", {"hostname": "h"}, ok)
    assert seen == []
