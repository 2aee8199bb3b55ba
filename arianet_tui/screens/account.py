"""The account section: who is logged in, and the API tokens of the account.

``ctrl+d`` revokes the token under the cursor; for the token this app uses that is the same
as ``L``, log out: ``DELETE /auth/logout``, then the stored token file goes and the app
returns to its first-run screen.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..api.models import ApiToken, User
from ..widgets.resource_table import ResourceTable
from ..widgets.safe import safe_text
from ..widgets.table_state import failure_note
from .account_actions import TOKENS_FEED, AccountActions
from .account_tokens import current_token_id, token_columns, token_fields
from .base import SectionScreen

USER_FEED = "account/me"
USER_SECONDS = 600.0


def user_panel(user: User | None) -> Table | Text:
    if user is None:
        return Text("Reading the account…", style="dim")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    status = safe_text(user.status, style="green" if user.status == "active" else "yellow")
    verified = (
        Text("✓ verified", style="green") if user.verified else Text("✗ not verified", "yellow")
    )
    grid.add_row("E-mail", safe_text(user.email, style="bold"), "Status", status)
    grid.add_row("Mobile", safe_text(user.mobile or "-"), "Verified", verified)
    return grid


class AccountScreen(AccountActions, SectionScreen):
    """Section 6: the user and the API tokens."""

    SECTION = "account"
    TITLE = "Account"
    data_feed = TOKENS_FEED

    DEFAULT_CSS = """
    AccountScreen #account-user {
        height: auto;
        padding: 0 1 1 1;
    }
    AccountScreen #account-tokens {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("ctrl+d,delete", "revoke", "Revoke", key_display="^d", id="account.revoke"),
        Binding("L", "logout", "Log out", id="account.logout"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current_id: int | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(user_panel(None), id="account-user")
        yield ResourceTable(
            token_columns(self.services.clock, lambda: self.current_id),
            key=lambda t: t.id,
            fields=token_fields,
            title="API tokens",
            sort="name",
            empty_text="Loading API tokens…",
            id="account-tokens",
        )

    @property
    def table(self) -> ResourceTable[ApiToken]:
        return self.query_one("#account-tokens", ResourceTable)

    def register_feeds(self) -> None:
        client = self.services.client
        self.add_feed(USER_FEED, client.get_me, self._got_user, interval=USER_SECONDS)
        self.add_feed(TOKENS_FEED, client.list_tokens, self._got_tokens, on_error=self._failed)
        self.table.focus_table()

    def _got_user(self, user: User) -> None:
        self.query_one("#account-user", Static).update(user_panel(user))

    def _got_tokens(self, tokens: list[ApiToken]) -> None:
        self.current_id = current_token_id(self.services.client, tokens)
        table = self.table
        table.update_rows(tokens, complete=True)
        table.set_note("● the token this app uses" if self.current_id is not None else "")
        if not tokens:
            table.set_empty_text("No API tokens: create one in the Arianet dashboard.")

    def _failed(self, error: Exception) -> None:
        self.table.set_note(failure_note(error))
        if not self.table.records:
            self.table.set_empty_text("Could not load the API tokens; ctrl+r tries again.")
        self.feed_failed(error)

    # -- AccountActions ---------------------------------------------------------------------

    def current_token(self) -> ApiToken | None:
        return self.table.current

    def app_token(self) -> ApiToken | None:
        if self.current_id is None:
            return None
        return self.table.record(str(self.current_id))

    def token_removed(self, token_id: int) -> None:
        self.table.remove_rows([token_id])
