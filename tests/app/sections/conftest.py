"""Fixtures for the section tests; the app, simulator and fake clock come from tests/app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from arianet_tui.app import ArianetApp
from arianet_tui.screens.context import Services


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home folder, so ``~/.ssh`` is the test's own."""
    folder = tmp_path / "home"
    (folder / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def snap_app(make_services: Callable[..., Services], home: Path) -> ArianetApp:
    """The demo app for snapshot tests; it closes its own client when it exits."""
    return ArianetApp(make_services())
