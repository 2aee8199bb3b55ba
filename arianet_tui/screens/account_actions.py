"""Account writes: revoke a token, and log out (revoke the token this app uses).

Logging out ends this session's access for good, so after the API confirms it the stored
token file is deleted (only when the token came from it) and the app goes back to its
first-run screen through the app's ``return_to_first_run(hint)``.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import work

from ..api.models import ApiToken
from ..widgets.safe import safe_plain, safe_text
from .base import LiveScreen
from .context import WriteRequest, WriteResult
from .dialogs import ConfirmDialog

TOKENS_FEED = "account/tokens"


class AccountActions(LiveScreen):
    """The keys that revoke tokens; the section says which token is where."""

    def current_token(self) -> ApiToken | None:
        """The token under the cursor."""
        raise NotImplementedError

    def app_token(self) -> ApiToken | None:
        """The token this app sends, when it is known."""
        return None

    def token_removed(self, token_id: int) -> None:
        """A token was revoked."""

    # -- revoke -----------------------------------------------------------------------------

    @work(exclusive=True, group="account-action")
    async def action_revoke(self) -> None:
        token = self.current_token()
        if token is None:
            self.notify("No token is selected.", title="API tokens", severity="warning")
            return
        mine = self.app_token()
        if mine is not None and token.id == mine.id:
            # Revoking the token in use is logging out.
            await self._logout()
            return
        name = safe_plain(token.name)
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                f"Revoke the token {name}?",
                Text.assemble(
                    "Revoke ",
                    safe_text(token.name, style="bold"),
                    " (",
                    safe_text(token.prefix or "no prefix"),
                    ")?\n\nEverything that uses it, such as scripts, CI jobs or other apps, "
                    "is refused from then on. This cannot be undone.",
                ),
                confirm_label="Revoke",
                danger=True,
            )
        )
        if not confirmed:
            return

        def show(result: WriteResult) -> None:
            if result.ok and self.is_attached:
                self.token_removed(token.id)

        request = WriteRequest(
            action="Revoke token",
            target=name,
            method="DELETE",
            path=f"auth/tokens/{token.id}",
            call=partial(self.services.client.revoke_token, token.id),
            refresh=(TOKENS_FEED,),
        )
        self.host.submit_write(request, on_done=show)

    # -- log out ----------------------------------------------------------------------------

    @work(exclusive=True, group="account-action")
    async def action_logout(self) -> None:
        await self._logout()

    async def _logout(self) -> None:
        mine = self.app_token()
        which = Text("the token this app uses")
        if mine is not None:
            which = Text.assemble(
                "the token ", safe_text(mine.name, style="bold"), " (", safe_text(mine.prefix), ")"
            )
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                "Log out?",
                Text.assemble(
                    "This revokes ",
                    which,
                    ".\n\nThe app stops working with this token at once, and the token cannot "
                    "be used anywhere again. ",
                    self._file_plan(),
                ),
                confirm_label="Log out",
                danger=True,
            )
        )
        if not confirmed:
            return
        request = WriteRequest(
            action="Log out",
            target=safe_plain(mine.name) if mine else "this app's token",
            method="DELETE",
            path="auth/logout",
            call=self.services.client.logout,
            refresh=(TOKENS_FEED,),
            success=lambda _: "token revoked; logged out",
        )
        self.host.submit_write(request, on_done=self._logged_out)

    def _file_plan(self) -> str:
        services = self.services
        again = "To connect again you need a new token from the Arianet dashboard."
        if services.demo:
            return "The demo stores no token, so no file is touched."
        if services.settings.token is not None:
            return f"The token came from ARIANET_TOKEN: unset it afterwards. {again}"
        return f"The stored token file {services.settings.token_file} is deleted. {again}"

    def _forget_token_file(self) -> str:
        """Delete the token file when the revoked token came from it; say what happened."""
        services = self.services
        if services.demo:
            return "Logged out of the demo."
        if services.settings.token is not None:
            return "Logged out. ARIANET_TOKEN still holds the revoked token: unset it."
        path = services.settings.token_file
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            return f"Logged out, but {path} could not be deleted ({error}); delete it yourself."
        return f"Logged out; the token file {path} was deleted."

    def _logged_out(self, result: WriteResult) -> None:
        if not result.ok:
            return
        self.host.return_to_first_run(self._forget_token_file())
