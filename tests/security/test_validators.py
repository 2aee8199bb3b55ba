"""Hypothesis over what the user types: hostname, firewall rule, SSH key and token."""

from __future__ import annotations

import base64
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arianet_tui.api.errors import ConfigurationError
from arianet_tui.api.transport import check_token
from arianet_tui.screens.server_rules import hostname_problem
from arianet_tui.widgets.firewall_rules import RuleError, name_problem, parse_rule
from arianet_tui.widgets.sshkey_format import (
    KeyFormatError,
    PrivateKeyError,
    key_problem,
    parse_public_key,
)

ANY_TEXT = st.text(max_size=400)
LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", fullmatch=True)
FAST = settings(max_examples=300, deadline=None)


@FAST
@given(ANY_TEXT)
def test_hostname_problem_only_ever_returns(value: str) -> None:
    problem = hostname_problem(value)
    assert problem is None or isinstance(problem, str)
    if problem is None:
        assert value.isascii() and "\n" not in value and "\r" not in value and " " not in value


@FAST
@given(st.lists(LABEL, min_size=1, max_size=4))
def test_rfc1123_hostnames_are_accepted(labels: list[str]) -> None:
    name = ".".join(labels)
    if len(name) <= 253:
        assert hostname_problem(name) is None


@pytest.mark.parametrize("bad", ["web\r\n1", "web\n", "[bold]x", "\x1b[2J", "a..b", "-a", "é"])
def test_hostile_hostnames_are_refused(bad: str) -> None:
    assert hostname_problem(bad)


@FAST
@given(ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT)
def test_parse_rule_returns_a_rule_or_raises_rule_error(
    protocol: str, port: str, direction: str, cidr: str
) -> None:
    try:
        parse_rule(protocol, port, direction, cidr)
    except RuleError:
        pass


@FAST
@given(
    st.sampled_from(["tcp", "udp"]),
    st.integers(1, 65535),
    st.sampled_from(["in", "out"]),
    st.ip_addresses(v=4),
)
def test_valid_rules_are_accepted(
    protocol: str, port: int, direction: str, address: object
) -> None:
    draft = parse_rule(protocol, str(port), direction, f"{address}/32")
    assert draft.port == port


@FAST
@given(ANY_TEXT)
def test_firewall_names_only_ever_return(name: str) -> None:
    problem = name_problem(name)
    assert problem is None or isinstance(problem, str)


@FAST
@given(ANY_TEXT)
def test_ssh_key_parsing_returns_a_key_or_a_format_error(text: str) -> None:
    problem = key_problem(text)
    try:
        key = parse_public_key(text)
    except KeyFormatError:
        assert problem
    else:
        assert problem is None
        assert key.fingerprint.startswith("SHA256:") if hasattr(key, "fingerprint") else key.blob


@FAST
@given(st.binary(min_size=32, max_size=32), st.text(alphabet="abc@. ", max_size=20))
def test_ed25519_keys_are_accepted(raw: bytes, comment: str) -> None:
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + raw
    line = f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}".strip()
    assert key_problem(line) is None


@pytest.mark.parametrize(
    "private",
    [
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz\n-----END OPENSSH PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none",
    ],
)
def test_private_keys_are_refused(private: str) -> None:
    with pytest.raises(PrivateKeyError):
        parse_public_key(private)


def test_a_key_with_a_line_break_inside_is_refused() -> None:
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + bytes(32)
    data = base64.b64encode(blob).decode()
    assert key_problem(f"ssh-ed25519 {data[:20]}\r\n{data[20:]}")


@FAST
@given(ANY_TEXT)
def test_check_token_returns_a_header_safe_token_or_refuses(text: str) -> None:
    try:
        token = check_token(text)
    except ConfigurationError:
        return
    else:
        assert token and all("\x21" <= ch <= "\x7e" for ch in token)


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1))
def test_printable_tokens_are_accepted(token: str) -> None:
    assert check_token(token) == token


@pytest.mark.parametrize(
    "bad", ["arr_abc\r\nX-Evil: 1", "arr_abc\ndef", "arr_\x00x", "arr_ä", "a b"]
)
def test_tokens_with_line_breaks_or_controls_are_refused(bad: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        check_token(bad)
    assert bad.strip() not in str(raised.value)
