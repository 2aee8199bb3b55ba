"""Settings: defaults < config file < environment < command line, profiles, and the messages a
broken config file gets (file, line and key named)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from arianet_tui.api import DEFAULT_BASE_URL
from arianet_tui.settings_file import ConfigError, key_lines, read_config
from arianet_tui.settings_load import load_settings

CONFIG = """\
theme = "nord"
read_only = true
ssh_user = "admin"
log_level = "DEBUG"
profile = "staging"

[profiles.staging]
base_url = "http://127.0.0.1:9001/api/v1"
token_file = "staging.token"
ssh_user = "deploy"

[profiles.prod]
base_url = "https://api.arianet.io/api/v1"
token_file = "~/prod.token"
production = true

[keymap]
"servers.restart" = "R"
"""


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ARIANET_* variable of the machine running the tests leaks in; HOME is a temp dir."""
    for name in list(os.environ):
        if name.startswith("ARIANET_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    loaded = load_settings(config_path=tmp_path / "absent.toml")
    assert loaded.settings.base_url == DEFAULT_BASE_URL
    assert loaded.settings.theme == "textual-dark"
    assert not loaded.config.exists
    assert set(loaded.origins.values()) == {"default"}


def test_each_layer_wins_over_the_one_below(
    write_config: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(CONFIG)

    from_file = load_settings(config_path=path)
    assert from_file.settings.theme == "nord"
    assert from_file.origins["theme"] == "config file, line 1"
    assert from_file.settings.refresh_interval == 12.0
    assert from_file.origins["refresh_interval"] == "default"

    monkeypatch.setenv("ARIANET_THEME", "gruvbox")
    monkeypatch.setenv("ARIANET_LOG_LEVEL", "WARNING")
    from_env = load_settings(config_path=path)
    assert from_env.settings.theme == "gruvbox"
    assert from_env.origins["theme"] == "environment ARIANET_THEME"
    assert from_env.settings.log_level == "WARNING"

    from_cli = load_settings({"theme": "dracula"}, config_path=path)
    assert from_cli.settings.theme == "dracula"
    assert from_cli.origins["theme"] == "option --theme"
    assert from_cli.settings.log_level == "WARNING"
    assert from_cli.settings.read_only is True


def test_the_config_file_can_be_named_by_the_environment(
    write_config: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIANET_CONFIG", str(write_config('theme = "monokai"\n')))
    loaded = load_settings()
    assert loaded.settings.theme == "monokai"
    assert loaded.config_origin == "environment ARIANET_CONFIG"


def test_the_chosen_profile_wins_over_the_top_level(
    write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    path = write_config(CONFIG)
    loaded = load_settings(config_path=path)
    settings = loaded.settings
    assert settings.profile == "staging"
    assert settings.base_url == "http://127.0.0.1:9001/api/v1"
    assert settings.ssh_user == "deploy"
    assert settings.theme == "nord"
    assert settings.token_file == tmp_path / "staging.token"
    assert loaded.origins["ssh_user"] == "config file [profiles.staging], line 10"
    assert loaded.settings.keymap == {"servers.restart": "R"}
    assert loaded.profiles == ("staging", "prod")


def test_the_profile_comes_from_the_option_then_the_environment_then_the_file(
    write_config: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_config(CONFIG)
    monkeypatch.setenv("ARIANET_PROFILE", "prod")
    from_env = load_settings(config_path=path).settings
    assert (from_env.profile, from_env.production) == ("prod", True)
    assert from_env.token_file == tmp_path / "home" / "prod.token"

    from_cli = load_settings({"profile": "staging"}, config_path=path).settings
    assert (from_cli.profile, from_cli.production) == ("staging", False)


def test_a_profile_switch_takes_the_account_from_the_profile_only(
    write_config: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIANET_TOKEN", "arr_meant_for_staging")
    monkeypatch.setenv("ARIANET_BASE_URL", "http://127.0.0.1:9001/api/v1")
    loaded = load_settings({"read_only": True}, config_path=write_config(CONFIG))
    assert loaded.settings.token is not None

    prod = loaded.for_profile("prod").settings
    assert prod.profile == "prod"
    assert prod.token is None
    assert prod.base_url == "https://api.arianet.io/api/v1"
    assert prod.read_only is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'theme = "nord"\ncolour = "red"\n',
            ['line 2: unknown key "colour"'],
            id="unknown-key",
        ),
        pytest.param(
            '[profiles.work]\nbase_url = "http://127.0.0.1:1/api/v1"\nthme = "nord"\n',
            ['line 3: unknown key "thme" in [profiles.work]', 'did you mean "theme"?'],
            id="unknown-key-in-profile",
        ),
        pytest.param(
            '[profiles.work]\nlog_level = "DEBUG"\n',
            ['line 2: unknown key "log_level" in [profiles.work]'],
            id="top-level-key-in-profile",
        ),
        pytest.param(
            'theme = "nord"\n\n[profiles.work]\nread_only = "maybe"\n',
            ['line 4: "read_only" in [profiles.work]', "valid boolean", "'maybe'"],
            id="wrong-type",
        ),
        pytest.param(
            "refresh_interval = 1\n",
            ['line 1: "refresh_interval"', "greater than or equal to 3"],
            id="out-of-range",
        ),
        pytest.param(
            '[keymap]\n"servers.restart" = 5\n',
            ['line 2: "keymap" entry servers.restart', "valid string"],
            id="wrong-type-in-keymap",
        ),
        pytest.param(
            'theme = "nord"\nread_only = maybe\n',
            ['line 2 (key "read_only"): not valid TOML'],
            id="bad-toml",
        ),
        pytest.param(
            '[profiles.work]\ntoken = "arr_x"\n',
            ['line 2: "token" does not belong'],
            id="token-in-file",
        ),
    ],
)
def test_a_bad_config_file_is_refused_naming_file_line_and_key(
    write_config: Callable[[str], Path], text: str, expected: list[str]
) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=path)
    message = str(caught.value)
    assert message.startswith(f"{path}, ")
    for part in expected:
        assert part in message


def test_an_unknown_profile_is_refused_with_the_known_ones(
    write_config: Callable[[str], Path],
) -> None:
    with pytest.raises(ConfigError, match=r'option --profile: no profile "qa" .*staging, prod'):
        load_settings({"profile": "qa"}, config_path=write_config(CONFIG))


def test_a_bad_environment_variable_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARIANET_READ_ONLY", "perhaps")
    with pytest.raises(ConfigError, match=r'^ARIANET_READ_ONLY: "read_only": .*perhaps'):
        load_settings(config_path=tmp_path / "absent.toml")
    monkeypatch.delenv("ARIANET_READ_ONLY")
    monkeypatch.setenv("ARIANET_KEYMAP", "not json")
    with pytest.raises(ConfigError, match=r"^ARIANET_KEYMAP: "):
        load_settings(config_path=tmp_path / "absent.toml")


def test_a_token_that_fails_validation_is_never_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"token": 12345}, config_path=tmp_path / "absent.toml")
    assert "12345" not in str(caught.value)


def test_key_lines_follow_tables_and_quoted_keys() -> None:
    lines = key_lines(CONFIG)
    assert lines[("profiles", "prod")] == 12
    assert lines[("profiles", "prod", "production")] == 15
    assert lines[("keymap", "servers.restart")] == 18


def test_relative_paths_are_taken_from_the_config_folder(
    write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    config = read_config(write_config('state_dir = "state"\ncache_dir = "/var/cache/x"\n'))
    assert config.top["state_dir"] == tmp_path / "state"
    assert config.top["cache_dir"] == Path("/var/cache/x")
