"""VirtualGrid: a table that renders only the rows on screen, with Textual's Line API.

DataTable keeps every row as widgets-worth of state, measures every new cell and rebuilds
its layout whenever rows are added or re-ordered, which costs seconds at 10,000 rows. This
grid holds only an ordered list of row keys and asks its owner for a row's cells when the
row is about to be painted; rendered rows are cached by key until the owner invalidates
them. Column widths are fixed, or grow (never shrink) to fit the cells rendered so far, so
changing a row never re-measures a column.

It looks like a row-cursor DataTable (same component classes and CSS) and speaks a small
part of its API (``row_count``, ``cursor_row``, ``get_cell``, ``get_row_at``,
``move_cursor``), so callers and tests that read the grid keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: Rendered rows kept in memory; rows off screen are rendered again when they come back.
ROW_CACHE = 2048
CELL_PADDING = 1


@dataclass
class GridColumn:
    key: str
    label: Text
    #: Content width (without padding).
    width: int
    #: False when the width was given: it never changes.
    auto: bool


def _first_line(text: Text) -> Text:
    if "\n" in text.plain:
        return text.split("\n", allow_blank=True)[0]
    return text


def _cell_segments(console: Console, cell: Text, width: int) -> list[Segment]:
    """One line of a cell, cut or padded to ``width`` as its ``justify`` says."""
    text = _first_line(cell).copy()
    length = text.cell_len
    if length > width:
        text.truncate(width, overflow=text.overflow or "fold")
        length = text.cell_len
    if length < width:
        if text.justify == "right":
            text.pad_left(width - length)
        elif text.justify == "center":
            left = (width - length) // 2
            text.pad_left(left)
            text.pad_right(width - length - left)
        else:
            text.pad_right(width - length)
    if not text.spans:
        style = console.get_style(text.style) if text.style else None
        return [Segment(text.plain, style)]
    return list(text.render(console, end=""))


class VirtualGrid(ScrollView, can_focus=True):
    """Rows of cells keyed by string, drawn on demand; a row cursor like DataTable's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--cursor",
        "datatable--hover",
        "datatable--header",
        "datatable--header-hover",
    }

    DEFAULT_CSS = """
    VirtualGrid {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;

        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datatable--header-hover {
            background: $accent 30%;
        }
        & > .datatable--hover {
            background: $block-hover-background;
        }
    }
    """

    class Highlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, grid: VirtualGrid, cursor_row: int) -> None:
            super().__init__()
            self.grid = grid
            self.cursor_row = cursor_row

    class Selected(Message):
        """``enter`` (or a click on the cursor's row)."""

        def __init__(self, grid: VirtualGrid, cursor_row: int) -> None:
            super().__init__()
            self.grid = grid
            self.cursor_row = cursor_row

    class HeaderSelected(Message):
        """A click on a column's label."""

        def __init__(self, grid: VirtualGrid, column_key: str) -> None:
            super().__init__()
            self.grid = grid
            self.column_key = column_key

    def __init__(
        self,
        columns: Sequence[tuple[str, str, int | None]],
        cells: Callable[[str], Sequence[Text]],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._columns = [
            GridColumn(key, Text(label), width or Text(label).cell_len, width is None)
            for key, label, width in columns
        ]
        self._column_index = {column.key: i for i, column in enumerate(self._columns)}
        self._cells_of = cells
        self._keys: Sequence[str] = ()
        self._segments: dict[str, list[Segment]] = {}
        #: Finished lines by (key, 0 plain / 1 cursor / 2 hover), for ``_line_state``.
        self._lines: dict[tuple[str, int], Strip] = {}
        self._line_state: tuple[object, ...] = ()
        self.cursor_row = 0
        self._hover_row: int | None = None
        self._update_virtual_size()

    # -- DataTable-like reading ---------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def column_keys(self) -> list[str]:
        return [column.key for column in self._columns]

    def column_width(self, key: str) -> int:
        return self._columns[self._column_index[key]].width

    def is_valid_row_index(self, row: int) -> bool:
        return 0 <= row < len(self._keys)

    def get_cell(self, row_key: str, column_key: str) -> Text:
        return self._cells_of(str(row_key))[self._column_index[column_key]]

    def get_row_at(self, row: int) -> list[Text]:
        return list(self._cells_of(self._keys[row]))

    # -- what the owner calls ------------------------------------------------------------------

    def set_rows(self, keys: Sequence[str]) -> None:
        """Show these rows, in this order; the cursor stays at its index (clamped).

        Only the lines on screen whose row changed are painted again.
        """
        before = self._on_screen()
        old_cursor = self.cursor_row
        self._keys = keys
        self.cursor_row = min(self.cursor_row, max(len(keys) - 1, 0))
        self._update_virtual_size()
        after = self._on_screen()
        top = round(self.scroll_y)
        changed = [
            top + i
            for i in range(max(len(before), len(after)))
            if before[i : i + 1] != after[i : i + 1]
        ]
        self._refresh_rows(*changed, old_cursor, self.cursor_row)

    def invalidate(self, keys: Iterable[str] | None = None) -> None:
        """Forget how these rows (or all) were drawn; they are drawn again when shown."""
        if keys is None:
            self._segments.clear()
            self._lines.clear()
            self.refresh()
            return
        dropped = set(keys)
        segments, lines = self._segments, self._lines
        for key in dropped:
            segments.pop(key, None)
            for state in (0, 1, 2):
                lines.pop((key, state), None)
        # Whether or not a row's drawing was still cached, a row on screen is painted again.
        top = round(self.scroll_y)
        shown = self._on_screen()
        self._refresh_rows(*(top + i for i, key in enumerate(shown) if key in dropped))

    def move_cursor(
        self, row: int, *, scroll: bool = True, announce: bool = True, animate: bool = False
    ) -> None:
        """Put the cursor on a row index (clamped); ``scroll`` brings it into view."""
        row = max(0, min(row, len(self._keys) - 1))
        old = self.cursor_row
        moved = row != old
        self.cursor_row = row
        if moved:
            self._refresh_rows(old, row)
        if scroll:
            self.scroll_to_row(row, animate=animate)
        if moved and announce:
            self.post_message(self.Highlighted(self, row))

    def scroll_to_row(self, row: int, *, animate: bool = False) -> None:
        height = self._rows_on_screen()
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=animate, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=animate, force=True)

    def _rows_on_screen(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _on_screen(self) -> Sequence[str]:
        """The keys of the rows on screen, top first."""
        top = round(self.scroll_y)
        return self._keys[top : top + self._rows_on_screen()]

    def _refresh_rows(self, *rows: int | None) -> None:
        """Paint these rows again, those on screen; the rest of the grid is kept as drawn.

        A whole-grid refresh repaints every line through Textual's styles cache, about
        fifteen times the work of the two lines a cursor move changes.
        """
        top = round(self.scroll_y)
        height = self._rows_on_screen()
        width = max(self.size.width, self.virtual_size.width)
        regions = [
            Region(0, row - top + 1, width, 1)
            for row in set(rows)
            if row is not None and top <= row < top + height
        ]
        if regions:
            self.refresh(*regions)

    # -- drawing ------------------------------------------------------------------------------

    def _update_virtual_size(self) -> None:
        width = sum(column.width + 2 * CELL_PADDING for column in self._columns)
        self.virtual_size = Size(width, len(self._keys) + 1)

    def _row_segments(self, key: str) -> list[Segment]:
        segments = self._segments.get(key)
        if segments is not None:
            return segments
        cells = self._cells_of(key)
        columns = self._columns
        widened = False
        for column, cell in zip(columns, cells, strict=False):
            if column.auto:
                length = _first_line(cell).cell_len
                if length > column.width:
                    column.width = length
                    widened = True
        if widened:
            # Every row drawn so far is too narrow now.
            self._segments.clear()
            self._lines.clear()
            self._update_virtual_size()
        console = self.app.console
        pad = Segment(" " * CELL_PADDING)
        segments = []
        for column, cell in zip(columns, cells, strict=False):
            segments.append(pad)
            segments.extend(_cell_segments(console, cell, column.width))
            segments.append(pad)
        if len(self._segments) >= ROW_CACHE:
            self._segments.clear()
        self._segments[key] = segments
        return segments

    def render_lines(self, crop: Region) -> list[Strip]:
        # Draw the rows about to be shown first, so that a column widened by one of them
        # is wide in every line of this frame.
        top = round(self.scroll_y)
        keys = self._keys[top : top + self.scrollable_content_region.height]
        for _ in range(2):
            before = [column.width for column in self._columns]
            for key in keys:
                self._row_segments(key)
            if before == [column.width for column in self._columns]:
                break
        self._base = self.rich_style
        get = self.get_component_rich_style
        self._header_style = get("datatable--header")
        self._cursor_style = get("datatable--cursor")
        self._hover_style = get("datatable--hover")
        state = (
            self.size.width,
            round(self.scroll_x),
            self._base,
            self._cursor_style,
            self._hover_style,
            tuple(column.width for column in self._columns),
        )
        if state != self._line_state:
            if self._line_state:
                # Lines Textual kept from the last frame were drawn for another state.
                self.refresh()
            self._lines.clear()
            self._line_state = state
        elif len(self._lines) > ROW_CACHE:
            self._lines.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base: Style = getattr(self, "_base", None) or self.rich_style
        scroll_x = round(self.scroll_x)
        if y == 0:
            return self._header_line(width, scroll_x, base)
        row = y - 1 + round(self.scroll_y)
        if row >= len(self._keys):
            return Strip.blank(width, base)
        key = self._keys[row]
        state = 1 if row == self.cursor_row else 2 if row == self._hover_row else 0
        cached = self._lines.get((key, state))
        if cached is not None:
            return cached
        segments = self._row_segments(key)
        if state == 1:
            component: Style = self._cursor_style
        elif state == 2:
            component = self._hover_style
        else:
            component = Style()
        pre = base + component
        post = Style.from_color(component.color, component.bgcolor)
        line = list(Segment.apply_style(segments, pre, post))
        table_width = self.virtual_size.width
        if table_width < width:
            line.append(Segment(" " * (width - table_width), pre))
        strip = Strip(line)
        if scroll_x or table_width > width:
            strip = strip.crop(scroll_x, scroll_x + width)
        strip = strip.adjust_cell_length(width, base).simplify()
        self._lines[(key, state)] = strip
        return strip

    def _header_line(self, width: int, scroll_x: int, base: Style) -> Strip:
        style = base + getattr(self, "_header_style", Style())
        pad = " " * CELL_PADDING
        line: list[Segment] = []
        console = self.app.console
        for column in self._columns:
            label = column.label.copy()
            label.truncate(column.width, overflow="ellipsis", pad=True)
            line.append(Segment(pad, style))
            line.extend(Segment.apply_style(label.render(console, end=""), style))
            line.append(Segment(pad, style))
        table_width = self.virtual_size.width
        if table_width < width:
            line.append(Segment(" " * (width - table_width), style))
        return Strip(line).crop(scroll_x, scroll_x + width).adjust_cell_length(width, base)

    # -- mouse --------------------------------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return offset.y - 1 + round(self.scroll_y)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        if row is not None and not self.is_valid_row_index(row):
            row = None
        if row != self._hover_row:
            self._refresh_rows(self._hover_row, row)
            self._hover_row = row

    def _on_leave(self, event: events.Leave) -> None:
        self._clear_hover()

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + round(self.scroll_x)
            for column in self._columns:
                x -= column.width + 2 * CELL_PADDING
                if x < 0:
                    self.post_message(self.HeaderSelected(self, column.key))
                    break
            return
        row = offset.y - 1 + round(self.scroll_y)
        if not self.is_valid_row_index(row):
            return
        event.stop()
        if row == self.cursor_row:
            self.post_message(self.Selected(self, row))
        else:
            self.move_cursor(row)

    # -- actions ------------------------------------------------------------------------------

    def _keyboard(self) -> None:
        self._clear_hover()

    def _clear_hover(self) -> None:
        if self._hover_row is not None:
            self._refresh_rows(self._hover_row)
            self._hover_row = None

    def action_cursor_up(self) -> None:
        self._keyboard()
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._keyboard()
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self._keyboard()
        height = self._rows_on_screen()
        self.scroll_to(y=round(self.scroll_y) - height, animate=False, force=True)
        self.move_cursor(self.cursor_row - height)

    def action_page_down(self) -> None:
        self._keyboard()
        height = self._rows_on_screen()
        self.scroll_to(y=round(self.scroll_y) + height, animate=False, force=True)
        self.move_cursor(self.cursor_row + height)

    def action_scroll_top(self) -> None:
        self._keyboard()
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self._keyboard()
        self.move_cursor(len(self._keys) - 1)

    def action_scroll_home(self) -> None:
        self.scroll_to(x=0, animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def action_select_cursor(self) -> None:
        self._keyboard()
        if self._keys:
            self.post_message(self.Selected(self, self.cursor_row))
