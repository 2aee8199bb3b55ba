"""The first-run screen: where a token comes from, a masked field for it, or the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from ..api import ConfigurationError
from ..api.transport import check_token
from ..config import write_token_file

QUICK_START = """\
Arianet TUI needs an API token to reach your account.

Getting a token:
  1. Log in to the Arianet Dashboard.
  2. Open Settings → API Tokens and choose Generate New Token.
  3. Copy it right away: it is shown only once.

Paste it below. It is saved to {path} (readable by you only) and is never shown.
You can also set ARIANET_TOKEN instead, or try the dashboard on simulated data first."""


@dataclass(frozen=True)
class FirstRunChoice:
    """What the user chose: a token (already saved) or the demo."""

    # Out of the repr, so no traceback or log line that shows the choice shows the token.
    token: str | None = field(default=None, repr=False)
    demo: bool = False


class FirstRunScreen(Screen[FirstRunChoice | None]):
    """Asks for a token, saves it with mode 0600, or starts the demo; escape quits."""

    DEFAULT_CSS = """
    FirstRunScreen {
        align: center middle;
    }
    FirstRunScreen > VerticalScroll {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary 80%;
        padding: 0 1;
    }
    FirstRunScreen #first-run-reason {
        color: $error;
        height: auto;
    }
    FirstRunScreen Horizontal {
        height: auto;
        padding-top: 1;
    }
    FirstRunScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "quit_app", "Quit", id="first_run.quit"),
        Binding("ctrl+d", "demo", "Try the demo", priority=True, id="first_run.demo"),
    ]

    def __init__(self, token_path: Path | str, hint: str = "") -> None:
        super().__init__()
        self.token_path = Path(token_path)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Welcome to Arianet TUI"
            yield Static(Text(QUICK_START.format(path=self.token_path)))
            yield Input(password=True, placeholder="API token", id="first-run-token")
            yield Static(Text(self.hint), id="first-run-reason")
            with Horizontal():
                yield Button("Save and connect", id="save", variant="primary")
                yield Button("Try the demo", id="demo")
                yield Button("Quit", id="quit")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        reason = self.query_one("#first-run-reason", Static)
        try:
            token = check_token(self.query_one(Input).value)
        except ConfigurationError as error:
            reason.update(Text(str(error)))
            return
        try:
            write_token_file(self.token_path, token)
        except OSError as error:
            reason.update(Text(f"Cannot save the token to {self.token_path}: {error}"))
            return
        self.dismiss(FirstRunChoice(token=token))

    @on(Button.Pressed, "#demo")
    def action_demo(self) -> None:
        self.dismiss(FirstRunChoice(demo=True))

    @on(Button.Pressed, "#quit")
    def action_quit_app(self) -> None:
        self.dismiss(None)
