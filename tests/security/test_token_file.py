"""The token file: written atomically with mode 0600, refused when others can read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from arianet_tui.cli import main
from arianet_tui.config import TokenFileError, read_token_file, write_token_file

TOKEN = "arr_" + "Zq9x" * 10


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_with_mode_0600_and_no_temporary_left(tmp_path: Path) -> None:
    path = tmp_path / "config" / "token"
    old = os.umask(0o000)
    try:
        write_token_file(path, TOKEN)
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert read_token_file(path) == TOKEN
    assert [p.name for p in path.parent.iterdir()] == ["token"]


def test_replacing_a_readable_file_leaves_a_private_one(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("old\n")
    path.chmod(0o644)
    write_token_file(path, TOKEN)
    assert mode(path) == 0o600


@pytest.mark.parametrize("loose", [0o640, 0o604, 0o660, 0o666, 0o700 | 0o070])
def test_a_file_others_can_read_is_refused_with_the_fix(tmp_path: Path, loose: int) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN)
    path.chmod(loose)
    with pytest.raises(TokenFileError) as raised:
        read_token_file(path)
    assert f"chmod 600 {path}" in str(raised.value)
    assert TOKEN not in str(raised.value)


def test_the_cli_refuses_a_readable_token_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN)
    path.chmod(0o644)
    monkeypatch.delenv("ARIANET_TOKEN", raising=False)
    monkeypatch.setenv("ARIANET_TOKEN_FILE", str(path))
    monkeypatch.setenv("ARIANET_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("ARIANET_CONFIG", str(tmp_path / "none.toml"))
    assert main([]) == 2
    err = capsys.readouterr().err
    assert f"chmod 600 {path}" in err and TOKEN not in err


def test_a_token_with_a_line_break_in_the_environment_is_refused_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARIANET_TOKEN", "arr_abc\r\nX-Injected: 1")
    monkeypatch.setenv("ARIANET_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("ARIANET_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setattr("arianet_tui.app.ArianetApp.run", lambda self: pytest.fail("ran"))
    assert main([]) == 2
    assert "X-Injected" not in capsys.readouterr().err
