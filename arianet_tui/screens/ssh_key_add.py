"""The dialog that adds an SSH key: paste a public key or pick one from ``~/.ssh/*.pub``.

The key is checked as it is typed (type, base64 body, the type inside the body) and shown
with its fingerprint before anything is sent. A private key is refused at once, wiped from
the field, and never sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Label, Static, TextArea

from ..widgets.firewall_rules import MAX_NAME
from ..widgets.safe import safe_text
from ..widgets.sshkey_format import (
    PRIVATE_KEY_REFUSAL,
    KeyFormatError,
    PrivateKeyError,
    PublicKey,
    describe,
    parse_public_key,
    public_key_files,
    read_key_file,
)
from .dialogs import ChoiceDialog, _Dialog


@dataclass(frozen=True)
class NewKey:
    """What the dialog answers: the name and the normalised key line to send."""

    name: str
    line: str


def key_name_problem(name: str) -> str | None:
    if not name:
        return "Give the key a name, such as the machine it lives on."
    if len(name) > MAX_NAME:
        return f"A name has at most {MAX_NAME} characters."
    if any(not ch.isprintable() for ch in name):
        return "A name cannot hold control characters."
    return None


class AddKeyDialog(_Dialog):
    """Dismisses with a :class:`NewKey`, or None when cancelled."""

    DEFAULT_CSS = """
    AddKeyDialog Label {
        color: $text-muted;
        padding-left: 1;
    }
    AddKeyDialog #key-text {
        height: 5;
    }
    AddKeyDialog #key-info {
        color: $success;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+o", "pick_file", "Pick ~/.ssh/*.pub", id="ssh_keys.pick_file"),
    ]

    def __init__(self, known: Mapping[str, str], home: Path | None = None) -> None:
        super().__init__("Add an SSH key")
        #: Fingerprints already in the account, with their names.
        self.known = dict(known)
        self.home = home
        self._refused = ""
        self._named_by_user = False

    def compose_fields(self) -> ComposeResult:
        yield Label("Name")
        yield Input(placeholder="laptop", max_length=MAX_NAME, id="key-name")
        yield Label("Public key: paste it, or ctrl+o picks a file from ~/.ssh")
        yield TextArea(
            "", soft_wrap=True, show_line_numbers=False, tab_behavior="focus", id="key-text"
        )
        yield Static("", id="key-info")
        yield Static("", id="dialog-reason")

    def compose_buttons(self) -> ComposeResult:
        yield Button("Cancel", id="cancel")
        yield Button("From ~/.ssh…", id="pick")
        yield Button("Add key", id="confirm", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#key-text", TextArea).focus()

    # -- checking ---------------------------------------------------------------------------

    @property
    def name_value(self) -> str:
        return self.query_one("#key-name", Input).value.strip()

    @property
    def key_text(self) -> str:
        return self.query_one("#key-text", TextArea).text

    def _check(self, *, loud: bool = False) -> PublicKey | None:
        """Show what the fields hold; return the key when both fields are good."""
        info = self.query_one("#key-info", Static)
        reason = self.query_one("#dialog-reason", Static)
        confirm = self.query_one("#confirm", Button)
        confirm.disabled = True
        info.update("")
        if self._refused:
            reason.update(Text(self._refused, style="bold"))
            return None
        text = self.key_text
        try:
            key = parse_public_key(text)
        except KeyFormatError as error:
            reason.update(Text(str(error)) if (text.strip() or loud) else "")
            return None

        info.update(Text(f"{key.summary}  {key.fingerprint}  {key.comment}".rstrip()))
        if not self._named_by_user and not self.name_value and key.comment:
            self.query_one("#key-name", Input).value = key.comment[:MAX_NAME]
        problem = key_name_problem(self.name_value)
        if key.fingerprint in self.known:
            problem = f"This key is already in the account as {self.known[key.fingerprint]}."
        reason.update(Text(problem or ""))
        if problem:
            return None
        confirm.disabled = False
        return key

    def _refuse_private(self) -> None:
        """Wipe the private key from the field and say why it is refused."""
        self._refused = PRIVATE_KEY_REFUSAL
        # load_text also forgets the undo history, so ctrl+z cannot bring the key back.
        self.query_one("#key-text", TextArea).load_text("")
        self.notify(
            "Nothing was sent, and the key was wiped from the field.",
            title="Private key refused",
            severity="error",
        )
        self._check()

    # -- events -----------------------------------------------------------------------------

    @on(TextArea.Changed, "#key-text")
    def _key_changed(self) -> None:
        text = self.key_text
        if text.strip():
            self._refused = ""
        try:
            parse_public_key(text)
        except PrivateKeyError:
            self._refuse_private()
            return
        except KeyFormatError:
            pass
        self._check()

    @on(Input.Changed, "#key-name")
    def _name_changed(self, event: Input.Changed) -> None:
        if self.query_one("#key-name", Input).has_focus:
            self._named_by_user = True
        self._check()

    @on(Input.Submitted, "#key-name")
    @on(Button.Pressed, "#confirm")
    def _accept(self) -> None:
        key = self._check(loud=True)
        if key is not None:
            self.dismiss(NewKey(self.name_value, key.line))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#pick")
    @work(exclusive=True, group="pick-key-file")
    async def action_pick_file(self) -> None:
        files = public_key_files(self.home)
        if not files:
            folder = (self.home or Path.home()) / ".ssh"
            self.notify(
                f"No public key files (*.pub) in {folder}; paste a key instead.",
                title="SSH keys",
                severity="warning",
                markup=False,
            )
            return
        choices = [(path, _file_label(path)) for path in files]
        path = await self.app.push_screen_wait(
            ChoiceDialog("Pick a public key", Text("Files in ~/.ssh ending in .pub:"), choices)
        )
        if path is None:
            return
        try:
            text = read_key_file(path)
        except PrivateKeyError:
            self._refuse_private()
            return
        except KeyFormatError as error:
            self.query_one("#dialog-reason", Static).update(Text(str(error)))
            return
        if not self._named_by_user:
            key = describe(text)
            name = key.comment if key and key.comment else path.stem
            self.query_one("#key-name", Input).value = name[:MAX_NAME]
        self.query_one("#key-text", TextArea).load_text(text)
        self._check(loud=True)


def _file_label(path: Path) -> Text:
    label = safe_text(path.name, style="bold")
    try:
        key = parse_public_key(read_key_file(path))
    except KeyFormatError as error:
        label.append_text(safe_text(f"  not usable: {error}", limit=60, style="dim"))
        return label
    label.append(f"  {key.summary}  {key.fingerprint}", style="dim")
    return label
