"""``arianet-tui config``, ``config init`` and ``config keys``, and how the command refuses
settings it cannot use: a message, exit status 2, and the app never started."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from arianet_tui import cli
from arianet_tui.app import ArianetApp
from arianet_tui.config import Settings
from arianet_tui.serve import serve_command, without_serve
from arianet_tui.settings_report import redact, starter_text

ROOT = Path(__file__).resolve().parents[1]
SECRET = "arr_s3cr3tV4lue0123456789"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A home of its own, no ARIANET_* variables, and an app that must not start."""
    for name in list(os.environ):
        if name.startswith("ARIANET_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def refuse(self: ArianetApp, *args: object, **kwargs: object) -> None:
        raise AssertionError("the app started")

    monkeypatch.setattr(ArianetApp, "run", refuse)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "arianet.toml"


def test_config_prints_each_setting_with_its_origin_and_the_token_redacted(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text('theme = "nord"\n\n[profiles.sim]\nread_only = true\n')
    monkeypatch.setenv("ARIANET_TOKEN", SECRET)
    monkeypatch.setenv("ARIANET_LOG_LEVEL", "DEBUG")

    code = cli.main(["config", "--config", str(config), "--profile", "sim"])
    out = capsys.readouterr().out
    assert code == 0
    assert "s3cr3t" not in out
    rows = {line.split()[0]: line for line in out.splitlines()[3:]}
    assert set(rows) == set(Settings.model_fields)
    assert re.search(r"token +arr_…\(redacted\) +environment ARIANET_TOKEN", rows["token"])
    assert rows["theme"].endswith("config file, line 1")
    assert rows["read_only"].endswith("config file [profiles.sim], line 4")
    assert rows["log_level"].endswith("environment ARIANET_LOG_LEVEL")
    assert rows["profile"].endswith("option --profile")
    assert rows["ssh_user"].endswith("default")


def test_config_redacts_a_token_from_the_token_file(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token_file = tmp_path / "sim.token"
    token_file.write_text(SECRET + "\n")
    token_file.chmod(0o600)
    config.write_text(f'token_file = "{token_file}"\n')

    assert cli.main(["config", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "s3cr3t" not in out
    assert "arr_…(redacted)  token file ~/sim.token" in re.sub(r"  +", "  ", out)


def test_redact_keeps_at_most_the_kind_of_token() -> None:
    assert redact("arr_abcdef") == "arr_…(redacted)"
    assert redact("s3cr3t_value_long") == "…(redacted)"
    assert redact("plain") == "…(redacted)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('colour = "red"\n', 'line 1: unknown key "colour"', id="unknown-key"),
        pytest.param("read_only = 3\n", 'line 1: "read_only"', id="wrong-type"),
        pytest.param('theme = "nord\n', "line 1 (", id="bad-toml"),
        pytest.param('theme = "nrod"\n', 'line 1: unknown theme "nrod"', id="unknown-theme"),
        pytest.param(
            '[keymap]\n"servers.restrat" = "R"\n',
            'line 2: unknown binding id "servers.restrat" in [keymap]; '
            'did you mean "servers.restart"?',
            id="unknown-binding-id",
        ),
    ],
)
def test_a_bad_config_stops_the_app_with_status_2(
    config: Path, text: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text(text)
    assert cli.main(["--demo", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"arianet-tui: {config}, ")
    assert expected in err
    assert "Traceback" not in err


def test_a_token_file_others_can_read_is_refused_with_the_chmod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token_file = tmp_path / "open.token"
    token_file.write_text(SECRET)
    token_file.chmod(0o644)
    monkeypatch.setenv("ARIANET_TOKEN_FILE", str(token_file))

    assert cli.main(["--config", str(tmp_path / "absent.toml")]) == 2
    err = capsys.readouterr().err
    assert f"chmod 600 {token_file}" in err
    assert "s3cr3t" not in err


def test_config_init_writes_a_starter_once(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["config", "--config", str(config), "init"]) == 0
    assert config.read_text() == starter_text()
    assert cli.main(["config", "--config", str(config), "init"]) == 1
    assert "--force" in capsys.readouterr().err
    config.write_text("# mine\n")
    assert cli.main(["config", "--config", str(config), "init", "--force"]) == 0
    assert config.read_text() == starter_text()


def test_the_starter_is_all_comments_and_its_settings_are_valid_once_uncommented(
    config: Path,
) -> None:
    text = starter_text()
    assert tomllib.loads(text) == {}
    settings_part = text.split("# One table per account")[0]
    # Every setting but the profile, whose example names a table the starter leaves out.
    uncommented = re.sub(r"(?m)^# ((?!profile )\w+ = )", r"\1", settings_part)
    config.write_text(uncommented)
    loaded = cli._load_settings(config_path=config)
    written = {key for key, origin in loaded.origins.items() if origin.startswith("config")}
    assert written == set(Settings.model_fields) - {"token", "keymap", "profile"}


def test_config_keys_lists_binding_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "keys"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"(?m)^servers\.restart +r +Restart", out)
    assert re.search(r"(?m)^app\.quit +q ", out)


def test_serve_runs_the_same_command_without_serve() -> None:
    argv = ["--demo", "--serve", "8123", "--theme", "nord"]
    assert without_serve(argv) == ["--demo", "--theme", "nord"]
    assert without_serve(["--serve", "--demo"]) == ["--demo"]
    assert without_serve(["--serve=9000", "--read-only"]) == ["--read-only"]
    assert serve_command(argv).endswith("-m arianet_tui --demo --theme nord")


def test_the_readme_documents_every_setting_and_its_variable() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert re.search(rf"\| `{name}` \|", readme), name


def test_a_keymap_that_takes_a_key_from_another_binding_is_refused(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text('[keymap]\n"servers.restart" = "o"\n')
    assert cli.main(["--demo", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert f"{config}, line 2: " in err
    assert '[keymap] gives "o" to both' in err
    assert '"servers.power_on"' in err and '"servers.restart"' in err
