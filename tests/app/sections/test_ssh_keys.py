"""SSH keys: fingerprints as ssh-keygen prints them, validation, and every write."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Button, Input, Static, TextArea

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextInputDialog
from arianet_tui.screens.ssh_key_add import AddKeyDialog
from arianet_tui.sim import SimState
from arianet_tui.widgets.sshkey_format import (
    PRIVATE_KEY_REFUSAL,
    KeyFormatError,
    PrivateKeyError,
    parse_public_key,
    public_key_files,
)

from ..support import API, settle, until, writes
from .support import dialog, open_section, table, toasts

ED25519 = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpJs5WltcIALgpPUMr6ztEGZJE0OIxgCzcxYSBCZcWp ops@example"
)
ED25519_FINGERPRINT = "SHA256:iTtFDfvnqK8V9kJCiBM7tS/cn0qbfR1VLiBv4CgEYrM"
RSA = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDY+FK6dkut2e219O9+pyIzGNidBKqhAnLDjAxb6RNuZWMy1qUY"
    "/9M798SBYhE5cDrjPpIvvLH35dxyu0ggxTVuJzIN373pBErW9t/RVLd5RB9uniqwlAfE5B8ciZtvQQl2H/XHLxhV"
    "NuAC6sghcwv4P7Wwm7rZZwZPD4kJkQUm3LpVwweXogIhfkBiANTG7/N3XWA4JeVsNQRByKYSvmcc3/co2EHs77WT"
    "YWsSJMSb8c78zyVSLAgeuBnWXlGdI0yjLKRpZ+0Rljvnx4V8rgS79FoAO/tUOoE7Inb9fhavtlN22+jbQqdnIgdY"
    "rrCbjCr13sGfBRg0w1FZ87l20H+X ci@example"
)
RSA_FINGERPRINT = "SHA256:NJhEg+3E/+yVjCmtMXFUxVoxKEs6Ap7oIGFPqF7EHLY"
ECDSA_384 = (
    "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBCeattF5lLVIVyJl"
    "if31M6pbRZPOUxw+xPNbjoewdlglr6BiD/mjLvZDzj81Ef6fWCtOGkGHgXYgzOV1FbzEmpeyPFceQAvA8+d2YVuA"
    "eyxUI1Agnl6ttsTuJKpet821CQ=="
)
ECDSA_FINGERPRINT = "SHA256:RRwlxczru2T8OuWsrBgOQj60D2g5Ydjk7Xx2LmmpVfg"
# The shape of an OpenSSH private key file; the body is not a real key.
PRIVATE = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)


# -- fingerprints and validation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fingerprint", "summary"),
    [
        (ED25519, ED25519_FINGERPRINT, "ED25519 256"),
        (RSA, RSA_FINGERPRINT, "RSA 2048"),
        (ECDSA_384, ECDSA_FINGERPRINT, "ECDSA 384"),
    ],
)
def test_fingerprint_type_and_bits_match_ssh_keygen(
    line: str, fingerprint: str, summary: str, tmp_path: Path
) -> None:
    key = parse_public_key(line)
    assert key.fingerprint == fingerprint
    assert key.summary == summary

    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        return
    path = tmp_path / "key.pub"
    path.write_text(line + "\n")
    shown = subprocess.run(
        [keygen, "-l", "-E", "sha256", "-f", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown[0] == str(key.bits)
    assert shown[1] == key.fingerprint
    assert shown[-1] == f"({key.label})"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Paste a public key"),
        ("ssh-dss AAAAB3NzaC1kc3M= old", "Unknown key type"),
        ("ssh-ed25519", "no key data"),
        ("ssh-ed25519 not*base64", "not valid base64"),
        (f"ssh-rsa {ED25519.split()[1]}", "says it is 'ssh-ed25519', not ssh-rsa"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA", "cut short"),
        (f"{ED25519}\n{RSA}", "one key at a time"),
        ("---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----", "RFC 4716"),
    ],
)
def test_what_is_not_a_public_key_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(KeyFormatError, match=reason):
        parse_public_key(text)


def test_a_private_key_is_refused_as_one() -> None:
    with pytest.raises(PrivateKeyError) as refused:
        parse_public_key(PRIVATE)
    assert "must never leave this machine" in str(refused.value)
    with pytest.raises(PrivateKeyError):
        parse_public_key("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")


def test_public_key_files_are_the_pub_files_of_home(home: Path) -> None:
    (home / ".ssh" / "id_ed25519.pub").write_text(ED25519 + "\n")
    (home / ".ssh" / "id_ed25519").write_text(PRIVATE)
    (home / ".ssh" / "config").write_text("Host *\n")
    assert [p.name for p in public_key_files()] == ["id_ed25519.pub"]


# -- in the app --------------------------------------------------------------------------------


async def test_add_a_pasted_key_and_cancel_sends_nothing(
    app: ArianetApp, sim: SimState, clock: FakeClock, home: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "ssh_keys")
        await pilot.press("n")
        await dialog(pilot, clock, AddKeyDialog)
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("n")
        add = await dialog(pilot, clock, AddKeyDialog)
        add.post_message(events.Paste(ED25519))
        await settle(pilot, clock)
        assert add.query_one("#key-name", Input).value == "ops@example"
        assert ED25519_FINGERPRINT in str(add.query_one("#key-info").render())
        add.query_one("#key-name", Input).value = "Ops laptop"
        await settle(pilot, clock)
        await pilot.click("#confirm")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("POST", f"{API}/ssh-keys")
        assert sent.body == {"name": "Ops laptop", "key": ED25519}
        await until(pilot, clock, lambda: len(table(app).records) == 5)


async def test_a_pasted_private_key_is_wiped_refused_and_never_sent(
    app: ArianetApp, sim: SimState, clock: FakeClock, home: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "ssh_keys")
        await pilot.press("n")
        add = await dialog(pilot, clock, AddKeyDialog)
        area = add.query_one(TextArea)
        add.post_message(events.Paste(PRIVATE))
        await settle(pilot, clock)
        assert area.text == ""
        assert PRIVATE_KEY_REFUSAL in str(add.query_one("#dialog-reason").render())
        assert add.query_one("#confirm", Button).disabled
        assert any("Private key refused" in t for t in toasts(app))

        await pilot.press("ctrl+z")  # the wiped key is not in the undo history either
        await settle(pilot, clock)
        assert "PRIVATE" not in area.text
        await pilot.press("enter", "escape")
        await settle(pilot, clock)
        assert writes(sim) == []


async def test_pick_a_key_file_from_home(
    app: ArianetApp, sim: SimState, clock: FakeClock, home: Path
) -> None:
    (home / ".ssh" / "id_rsa.pub").write_text(RSA + "\n")
    (home / ".ssh" / "id_rsa").write_text(PRIVATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "ssh_keys")
        await pilot.press("n")
        await dialog(pilot, clock, AddKeyDialog)
        await pilot.press("ctrl+o")
        await dialog(pilot, clock, ChoiceDialog)
        await pilot.press("enter")
        add = await dialog(pilot, clock, AddKeyDialog)
        await until(pilot, clock, lambda: not add.query_one("#confirm", Button).disabled)
        assert add.query_one("#key-name", Input).value == "ci@example"
        await pilot.click("#confirm")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert sent.body == {"name": "ci@example", "key": RSA}


async def test_rename_and_delete_a_key_and_a_protected_one_refuses(
    app: ArianetApp, sim: SimState, clock: FakeClock, home: Path
) -> None:
    keys = {k.name: k for k in sim.world.ssh_keys.values()}
    laptop, ci = keys["Laptop"], keys["CI deploy key"]
    async with app.run_test(size=(80, 24)) as pilot:
        keys_table = await open_section(pilot, clock, "ssh_keys")
        keys_table.move_to(laptop.id)
        await pilot.press("e")
        rename = await dialog(pilot, clock, TextInputDialog)
        rename.query_one(Input).value = "Work laptop"
        await pilot.press("enter")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path, sent.body) == (
            "PUT",
            f"{API}/ssh-keys/{laptop.id}",
            {"name": "Work laptop"},
        )

        keys_table.move_to(ci.id)
        await pilot.press("ctrl+d")
        notice = await dialog(pilot, clock, ConfirmDialog)
        assert notice.confirm_label is None
        await pilot.press("escape")

        keys_table.move_to(laptop.id)
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot, clock)
        assert len(writes(sim)) == 1
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("y")
        await until(pilot, clock, lambda: len(writes(sim)) == 2)
        deleted = writes(sim)[-1]
        assert (deleted.method, deleted.path) == ("DELETE", f"{API}/ssh-keys/{laptop.id}")
        await until(pilot, clock, lambda: str(laptop.id) not in keys_table.records)


async def test_no_keys_says_what_to_do(app: ArianetApp, sim: SimState, clock: FakeClock) -> None:
    sim.world.ssh_keys.clear()
    async with app.run_test(size=(80, 24)) as pilot:
        empty = await open_section(
            pilot, clock, "ssh_keys", lambda: "No SSH keys yet" in empty_text(app)
        )
        assert empty.records == {}
        assert "press n to add one" in empty_text(app)
        assert table(app).query_one(".resource-table--empty", Static).display


def empty_text(app: ArianetApp) -> str:
    return str(table(app).query_one(".resource-table--empty", Static).render())
