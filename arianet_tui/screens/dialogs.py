"""Modal dialogs: confirm, type-the-name-to-confirm, text input and a pick-one list.

Every dialog is a ``ModalScreen`` that dismisses with its answer (None or False when
cancelled), so callers use ``push_screen(dialog, callback)`` or ``push_screen_wait``.
Bodies are :class:`~rich.text.Text` built with ``safe_text``; a plain ``str`` is shown
literally, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

Body = RenderableType | str
#: Returns why a value is refused, or None when it is fine.
Validate = Callable[[str], str | None]


def _literal(body: Body) -> RenderableType:
    return Text(body) if isinstance(body, str) else body


class _Dialog(ModalScreen[Any]):
    """The frame all dialogs share: a title, a body and a row of buttons."""

    DEFAULT_CSS = """
    _Dialog {
        align: center middle;
        background: $background 60%;
    }
    _Dialog > #dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary 80%;
        background: $surface;
        padding: 0 1;
    }
    _Dialog.-danger > #dialog {
        border: thick $error 80%;
    }
    _Dialog #dialog-title {
        text-style: bold;
        width: 100%;
        padding-bottom: 1;
    }
    _Dialog #dialog-body {
        height: auto;
        max-height: 14;
        overflow-y: auto;
    }
    _Dialog #dialog-reason {
        color: $error;
        height: auto;
        min-height: 1;
    }
    _Dialog #dialog-buttons {
        height: auto;
        align-horizontal: right;
        padding-top: 1;
    }
    _Dialog #dialog-buttons Button {
        margin-left: 2;
        min-width: 10;
    }
    _Dialog #dialog-type-prompt {
        margin-top: 1;
    }
    _Dialog #dialog-hint {
        color: $text-muted;
        height: 1;
    }
    """

    def __init__(self, title: str, body: Body = "", *, danger: bool = False) -> None:
        super().__init__(classes="-danger" if danger else "")
        self.dialog_title = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.dialog_title), id="dialog-title")
            if self.body:
                yield Static(_literal(self.body), id="dialog-body")
            yield from self.compose_fields()
            with Horizontal(id="dialog-buttons"):
                yield from self.compose_buttons()

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def compose_buttons(self) -> ComposeResult:
        yield from ()


class ConfirmDialog(_Dialog):
    """Yes or no, with Cancel focused: ``y`` confirms, ``n`` or ``escape`` cancels.

    ``enter`` presses the focused button, so it cancels until the user moves to the
    confirm button. With ``confirm_label=None`` it is a notice with one Close button.
    """

    BINDINGS = [
        Binding("y", "confirm", "Confirm", id="dialog.confirm"),
        Binding("n,escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("left,h", "app.focus_previous", "Previous", show=False, id="dialog.left"),
        Binding("right,l", "app.focus_next", "Next", show=False, id="dialog.right"),
    ]

    def __init__(
        self,
        title: str,
        body: Body = "",
        *,
        confirm_label: str | None = "Confirm",
        cancel_label: str = "Cancel",
        danger: bool = False,
    ) -> None:
        super().__init__(title, body, danger=danger)
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label if confirm_label else "Close"

    def compose_buttons(self) -> ComposeResult:
        yield Button(self.cancel_label, id="cancel", variant="default")
        if self.confirm_label:
            danger = self.has_class("-danger")
            yield Button(
                self.confirm_label, id="confirm", variant="error" if danger else "primary"
            )

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "confirm" and not self.confirm_label)

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)


class TextInputDialog(_Dialog):
    """Asks for one value; ``validate`` refuses bad input with its reason under the field.

    Dismisses with the value (stripped) or None when cancelled.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(
        self,
        title: str,
        body: Body = "",
        *,
        value: str = "",
        placeholder: str = "",
        validate: Validate | None = None,
        confirm_label: str = "Save",
        password: bool = False,
        danger: bool = False,
    ) -> None:
        super().__init__(title, body, danger=danger)
        self.initial = value
        self.placeholder = placeholder
        self.validate = validate
        self.confirm_label = confirm_label
        self.password = password

    def compose_fields(self) -> ComposeResult:
        yield Input(
            self.initial,
            placeholder=self.placeholder,
            password=self.password,
            id="dialog-input",
        )
        yield Static("", id="dialog-reason")

    def compose_buttons(self) -> ComposeResult:
        yield Button("Cancel", id="cancel")
        danger = self.has_class("-danger")
        yield Button(self.confirm_label, id="confirm", variant="error" if danger else "primary")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._check(self.initial, quiet=True)

    @property
    def value(self) -> str:
        return self.query_one(Input).value.strip()

    def reason(self, value: str) -> str | None:
        """Why ``value`` cannot be accepted, or None."""
        return self.validate(value) if self.validate else None

    def _check(self, value: str, *, quiet: bool = False) -> bool:
        reason = self.reason(value.strip())
        shown = "" if quiet else (reason or "")
        self.query_one("#dialog-reason", Static).update(Text(shown))
        self.query_one("#confirm", Button).disabled = reason is not None
        return reason is None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._accept()

    @on(Button.Pressed, "#confirm")
    def _accept(self) -> None:
        if self._check(self.value):
            self.dismiss(self.value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TypeNameDialog(TextInputDialog):
    """A destructive confirmation that asks the user to type ``name`` exactly.

    Dismisses with True once the typed text equals ``name``, False when cancelled.
    """

    def __init__(self, title: str, body: Body, name: str, *, confirm_label: str) -> None:
        super().__init__(title, body, confirm_label=confirm_label, danger=True)
        self.expected = name

    def compose_fields(self) -> ComposeResult:
        yield Static(
            Text.assemble("Type ", (self.expected, "bold"), " to confirm:"),
            id="dialog-type-prompt",
        )
        yield from super().compose_fields()

    def reason(self, value: str) -> str | None:
        if value == self.expected:
            return None
        return f"Type {self.expected} exactly to confirm."

    def _accept(self) -> None:
        if self._check(self.value):
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ChoiceDialog(_Dialog):
    """Pick one of ``choices`` (id, label); dismisses with the id or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    DEFAULT_CSS = """
    ChoiceDialog OptionList {
        height: auto;
        max-height: 12;
    }
    """

    def __init__(
        self,
        title: str,
        body: Body,
        choices: Sequence[tuple[Hashable, RenderableType]],
        *,
        selected: Hashable | None = None,
        confirm_label: str = "Choose",
    ) -> None:
        super().__init__(title, body)
        self.choices = list(choices)
        self.selected = selected
        self.confirm_label = confirm_label

    def compose_fields(self) -> ComposeResult:
        options = [
            Option(_literal(label), id=str(index)) for index, (_, label) in enumerate(self.choices)
        ]
        yield OptionList(*options, id="dialog-choices")

    def compose_buttons(self) -> ComposeResult:
        yield Button("Cancel", id="cancel")
        yield Button(self.confirm_label, id="confirm", variant="primary")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [choice_id for choice_id, _ in self.choices]
        if self.selected in ids:
            options.highlighted = ids.index(self.selected)
        elif ids:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        index = self.query_one(OptionList).highlighted
        self.dismiss(None if index is None else self.choices[index][0])

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
