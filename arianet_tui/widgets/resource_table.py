"""ResourceTable: the list widget every section uses, built on Textual's DataTable.

Rows are keyed by resource id. A refresh hands the table fresh records; rows that did not
move are updated cell by cell, so the cursor, the marks and the scroll position stay where
they were, and rows whose content changed are tinted for a moment. The table also owns
the filter (a :class:`~arianet_tui.widgets.filter_bar.FilterBar` with the language of
:mod:`arianet_tui.widgets.query`), the sort order and the "12 of 24" count.

Keys (ids ``table.*``): ``j``/``k`` move, ``enter`` opens, ``space`` marks, ``/`` filters,
``escape`` clears the filter (then the marks), ``<``/``>`` pick the sort column and ``~``
reverses it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Static

from .filter_bar import FilterBar
from .query import Query, parse_query

T = TypeVar("T")

GUTTER = "_gutter"
MARK = "✓"
CHANGED = "•"
LOADING = "Loading…"
# How close to the last loaded row the cursor or the scroll must come to ask for more.
NEAR_END_ROWS = 10


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: how to render a record's cell and how to order records by it."""

    key: str
    label: str
    render: Callable[[T], Text]
    #: Orders rows when sorting by this column; defaults to the rendered text.
    sort_key: Callable[[T], Any] | None = None
    width: int | None = None


class _Grid(DataTable[Text]):
    """The DataTable inside a ResourceTable, with vim-style moves."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", show=False, id="table.open"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
    ]

    def _update_dimensions(self, new_rows: Iterable[Any]) -> None:
        super()._update_dimensions(new_rows)
        # DataTable caches rendered rows and lines by its update count alone, which new
        # column widths do not change: without this, rows painted before the widths grew
        # stay narrow.
        self._clear_caches()
        self.refresh()


class ResourceTable(Vertical, Generic[T]):
    """A filterable, sortable, markable table of API resources keyed by id."""

    DEFAULT_CSS = """
    ResourceTable {
        height: 1fr;
    }
    ResourceTable > .resource-table--info {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    ResourceTable > _Grid {
        height: 1fr;
    }
    ResourceTable > .resource-table--empty {
        display: none;
        padding: 1 2;
        color: $text-muted;
    }
    ResourceTable.-empty > .resource-table--empty {
        display: block;
    }
    ResourceTable.-empty > _Grid {
        height: auto;
    }
    ResourceTable .resource-table--marked {
        color: $accent;
        text-style: bold;
    }
    ResourceTable .resource-table--changed {
        background: $warning 30%;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES = {"resource-table--marked", "resource-table--changed"}

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", show=False, id="table.mark"),
        # A priority binding runs before the next key is routed, so the keys typed right
        # after "/" reach the filter even when they arrive in one burst.
        Binding(
            "slash", "open_filter", "Filter", key_display="/", id="table.filter", priority=True
        ),
        Binding("escape", "clear", "Clear", show=False, id="table.clear"),
        Binding("less_than_sign", "sort(-1)", "Sort <", show=False, id="table.sort_prev"),
        Binding("greater_than_sign", "sort(1)", "Sort >", show=False, id="table.sort_next"),
        Binding("tilde", "reverse_sort", "Reverse", show=False, id="table.sort_reverse"),
    ]

    class _TableMessage(Message):
        def __init__(self, table: ResourceTable[Any]) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ResourceTable[Any]:
            return self.table

    class RowOpened(_TableMessage):
        """``enter`` on a row: the owner opens its detail view."""

        def __init__(self, table: ResourceTable[Any], key: str, record: Any) -> None:
            super().__init__(table)
            self.key = key
            self.record = record

    class RowHighlighted(_TableMessage):
        """The cursor moved to another row (``record`` is None on an empty table)."""

        def __init__(self, table: ResourceTable[Any], key: str | None, record: Any) -> None:
            super().__init__(table)
            self.key = key
            self.record = record

    class MarksChanged(_TableMessage):
        """Rows were marked or unmarked; ``keys`` holds every marked row."""

        def __init__(self, table: ResourceTable[Any], keys: frozenset[str]) -> None:
            super().__init__(table)
            self.keys = keys

    class NearEnd(_TableMessage):
        """The user came close to the last loaded row: the owner may load the next page."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        key: Callable[[T], Hashable],
        fields: Callable[[T], Mapping[str, str]],
        title: str,
        sort: str | None = None,
        empty_text: str = "Nothing here yet.",
        flash_seconds: float = 2.0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._columns = {column.key: column for column in columns}
        self._key_of = key
        self._fields_of = fields
        self.title = title
        self.note = ""
        self._empty_text = empty_text
        self._flash_seconds = flash_seconds
        self._records: dict[str, T] = {}
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._search: dict[str, tuple[dict[str, str], str]] = {}
        self._visible: list[str] = []
        self._marked: set[str] = set()
        self._flashing: set[str] = set()
        self._query: Query = parse_query("")
        self._field_names: frozenset[str] = frozenset()
        self._sort_column = sort or columns[0].key
        self._sort_reverse = False
        self._total: int | None = None
        self._last_highlight: str | None = None
        #: False until the first rows (possibly none) arrive: the empty line says "Loading".
        self._loaded = False

    # -- composition ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(classes="resource-table--info")
        grid: _Grid = _Grid(cursor_type="row", zebra_stripes=False)
        grid.add_column("", width=1, key=GUTTER)
        for column in self._columns.values():
            grid.add_column(column.label, key=column.key, width=column.width)
        yield grid
        yield Static(LOADING, classes="resource-table--empty")
        yield FilterBar()

    def on_mount(self) -> None:
        self.watch(self.grid, "scroll_y", self._check_near_end, init=False)
        self._refresh_info()
        self._show_empty_state()

    @property
    def grid(self) -> DataTable[Text]:
        return self.query_one(_Grid)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def focus_table(self) -> None:
        self.grid.focus()

    # -- reading ----------------------------------------------------------------------------

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, or None when the table is empty."""
        grid = self.grid
        if not self._visible or not grid.is_valid_row_index(grid.cursor_row):
            return None
        return self._visible[grid.cursor_row]

    @property
    def current(self) -> T | None:
        key = self.current_key
        return None if key is None else self._records.get(key)

    @property
    def marked_keys(self) -> frozenset[str]:
        return frozenset(self._marked)

    @property
    def marked(self) -> list[T]:
        """Marked records in the order they are shown."""
        order = {key: index for index, key in enumerate(self._visible)}
        keys = sorted(self._marked, key=lambda k: order.get(k, len(order)))
        return [self._records[k] for k in keys if k in self._records]

    @property
    def columns(self) -> list[Column[T]]:
        return list(self._columns.values())

    @property
    def visible_keys(self) -> list[str]:
        return list(self._visible)

    @property
    def records(self) -> dict[str, T]:
        return dict(self._records)

    def record(self, key: str) -> T | None:
        return self._records.get(key)

    @property
    def filter_text(self) -> str:
        return self._query.text

    @property
    def sort_column(self) -> str:
        return self._sort_column

    @property
    def sort_reverse(self) -> bool:
        return self._sort_reverse

    @property
    def count_text(self) -> str:
        """What the info line says about the rows: ``12 of 24``."""
        loaded = len(self._records)
        total = max(self._total or 0, loaded)
        text = f"{len(self._visible)} of {total}"
        if loaded < total:
            text += f" ({loaded} loaded)"
        return text

    # -- writing ----------------------------------------------------------------------------

    def set_total(self, total: int | None) -> None:
        """The number of rows the API holds, when only some pages are loaded."""
        self._total = total
        self._refresh_info()

    def set_note(self, note: str) -> None:
        """A short remark at the end of the info line, such as ``stale``."""
        self.note = note
        self._refresh_info()

    def update_rows(self, records: Iterable[T], *, complete: bool = False) -> None:
        """Add or update rows by key; with ``complete`` rows missing from ``records`` go.

        Rows whose content changed are flagged for ``flash_seconds``, except on the first
        load, when every row is new.
        """
        first_load = not self._records
        self._loaded = True
        seen: set[str] = set()
        changed: set[str] = set()
        for record in records:
            key = str(self._key_of(record))
            seen.add(key)
            cells = tuple(column.render(record) for column in self._columns.values())
            old = self._cells.get(key)
            self._records[key] = record
            if old == cells:
                continue
            self._cells[key] = cells
            fields = {name: value.lower() for name, value in self._fields_of(record).items()}
            self._search[key] = (fields, "\n".join(fields.values()))
            self._field_names = self._field_names | fields.keys()
            changed.add(key)
            if old is not None and not first_load:
                self._flashing.add(key)

        if complete:
            for key in set(self._records) - seen:
                self._forget(key)
                changed.add(key)
        if changed:
            self._show(changed)
        else:
            self._show_empty_state()
        if self._flashing & changed:
            self.set_timer(self._flash_seconds, self._end_flash)

    def remove_rows(self, keys: Iterable[Hashable]) -> None:
        """Drop rows, such as a server that was deleted."""
        gone = {str(key) for key in keys} & set(self._records)
        for key in gone:
            self._forget(key)
        if gone:
            self._show(gone)

    def set_filter(self, text: str) -> None:
        """Narrow the rows to those matching ``text`` (the filter language above)."""
        self._query = parse_query(text, self._field_names)
        self._show(set())

    def sort_by(self, column: str, *, reverse: bool | None = None) -> None:
        """Order the rows by a column; the same column again flips the direction."""
        if column not in self._columns:
            return
        if reverse is None:
            reverse = not self._sort_reverse if column == self._sort_column else False
        self._sort_column, self._sort_reverse = column, reverse
        self._show(set())

    def clear_marks(self) -> None:
        marked = set(self._marked)
        self._marked.clear()
        self._show(marked)
        self.post_message(self.MarksChanged(self, frozenset()))

    def move_to(self, key: Hashable) -> None:
        """Put the cursor on a row, if it is shown."""
        key = str(key)
        if key in self._visible:
            self.grid.move_cursor(row=self._visible.index(key))

    # -- internals --------------------------------------------------------------------------

    def _forget(self, key: str) -> None:
        self._records.pop(key, None)
        self._cells.pop(key, None)
        self._search.pop(key, None)
        self._marked.discard(key)
        self._flashing.discard(key)

    def _sort_value(self, key: str) -> Any:
        column = self._columns[self._sort_column]
        if column.sort_key is not None:
            return column.sort_key(self._records[key])
        index = list(self._columns).index(column.key)
        return self._cells[key][index].plain.lower()

    def _view(self) -> list[str]:
        query = self._query
        keys = [
            key
            for key, (fields, everything) in self._search.items()
            if query.matches(fields, everything)
        ]
        decorated = sorted(((self._sort_value(k), k) for k in keys), reverse=self._sort_reverse)
        return [key for _, key in decorated]

    def _row(self, key: str) -> list[Text]:
        cells = list(self._cells[key])
        gutter = Text(" ")
        if key in self._flashing:
            style = self.get_component_rich_style("resource-table--changed", partial=True)
            cells = [self._styled(cell, style) for cell in cells]
            gutter = Text(CHANGED, style=style)
        if key in self._marked:
            style = self.get_component_rich_style("resource-table--marked", partial=True)
            cells = [self._styled(cell, style) for cell in cells]
            gutter = Text(MARK, style=style)
        return [gutter, *cells]

    @staticmethod
    def _styled(cell: Text, style: Style) -> Text:
        styled = cell.copy()
        styled.stylize(style)
        return styled

    def _show(self, changed: set[str]) -> None:
        """Bring the grid in line with the records: in place when no row moved."""
        view = self._view()
        if view == self._visible:
            grid = self.grid
            for key in changed:
                if key not in self._records or key not in grid.rows:
                    continue
                for column_key, cell in zip(grid.columns, self._row(key), strict=True):
                    grid.update_cell(key, column_key, cell, update_width=True)
        else:
            self._rebuild(view)
        self._refresh_info()
        self._show_empty_state()

    def set_empty_text(self, text: str) -> None:
        """What the table says when it has no rows, e.g. "No SSH keys yet: press n to add one"."""
        self._empty_text = text
        self._loaded = True
        self._show_empty_state()

    def _show_empty_state(self) -> None:
        self.set_class(not self._visible, "-empty")
        if self._visible:
            return
        text = self._empty_text if self._loaded else LOADING
        if self._records:
            text = f"Nothing matches /{self._query.text}; escape clears the filter."
        self.query_one(".resource-table--empty", Static).update(Text(text))

    def _rebuild(self, view: list[str]) -> None:
        grid = self.grid
        old_key = self.current_key
        old_row = grid.cursor_row
        screen_offset = old_row - round(grid.scroll_y)
        scroll_x = grid.scroll_x

        grid.clear()
        for key in view:
            grid.add_row(*self._row(key), key=key)
        self._visible = view

        if old_key in self._records and old_key in view:
            row = view.index(old_key)
        else:
            row = min(old_row, max(len(view) - 1, 0))
        if view:
            grid.cursor_coordinate = Coordinate(row, 0)
            target_y = max(0, row - screen_offset)
            grid.call_after_refresh(grid.scroll_to, scroll_x, target_y, animate=False)
        if self.current_key != self._last_highlight:
            self._announce_highlight()

    def _end_flash(self) -> None:
        ended = set(self._flashing)
        self._flashing.clear()
        self._show(ended)

    def _refresh_info(self) -> None:
        if not self.is_mounted:
            return
        column = self._columns[self._sort_column].label or self._sort_column
        arrow = "▼" if self._sort_reverse else "▲"
        parts = [self.count_text, f"by {column.lower()} {arrow}"]
        if self._marked:
            parts.append(f"{len(self._marked)} marked")
        if self._query:
            parts.append(f"/{self._query.text}")
        if self.note:
            parts.append(self.note)
        info = Text.assemble((self.title, "bold"), "  ", " · ".join(parts))
        info.no_wrap = True
        info.overflow = "ellipsis"
        self.query_one(".resource-table--info", Static).update(info)

    def _announce_highlight(self) -> None:
        key = self.current_key
        self._last_highlight = key
        record = None if key is None else self._records.get(key)
        self.post_message(self.RowHighlighted(self, key, record))

    def _check_near_end(self) -> None:
        grid = self.grid
        last_visible_row = round(grid.scroll_y) + grid.scrollable_content_region.height
        if grid.row_count and grid.row_count - last_visible_row <= NEAR_END_ROWS:
            self.post_message(self.NearEnd(self))

    # -- events and actions -----------------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _on_grid_highlight(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._announce_highlight()
        if self._visible and len(self._visible) - event.cursor_row <= NEAR_END_ROWS:
            self.post_message(self.NearEnd(self))

    @on(DataTable.RowSelected)
    def _on_grid_select(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self.current_key
        if key is not None:
            self.post_message(self.RowOpened(self, key, self._records[key]))

    @on(DataTable.HeaderSelected)
    def _on_header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value != GUTTER and event.column_key.value is not None:
            self.sort_by(event.column_key.value)

    @on(FilterBar.QueryChanged)
    def _on_filter_changed(self, event: FilterBar.QueryChanged) -> None:
        event.stop()
        self.set_filter(event.query)

    @on(FilterBar.Done)
    def _on_filter_done(self, event: FilterBar.Done) -> None:
        event.stop()
        self.grid.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear":
            # Let escape go on to the screen when there is nothing to clear here.
            return bool(self._query or self._marked)
        return True

    def action_toggle_mark(self) -> None:
        key = self.current_key
        if key is None:
            return
        if key in self._marked:
            self._marked.discard(key)
        else:
            self._marked.add(key)
        self._show({key})
        self.post_message(self.MarksChanged(self, frozenset(self._marked)))
        self.grid.action_cursor_down()

    def action_open_filter(self) -> None:
        if self.screen.focused is self.filter_bar:
            # The priority binding sees "/" first; inside the filter it is a character,
            # as in a CIDR such as 10.0.0.0/8. Queue it behind the keys typed before it.
            self.filter_bar.post_message(events.Key("slash", "/"))
            return
        self.filter_bar.open()

    def action_clear(self) -> None:
        if self._query:
            self.filter_bar.clear_filter()
            self.set_filter("")
        elif self._marked:
            self.clear_marks()

    def action_sort(self, step: int) -> None:
        keys = list(self._columns)
        index = (keys.index(self._sort_column) + step) % len(keys)
        self.sort_by(keys[index], reverse=False)

    def action_reverse_sort(self) -> None:
        self.sort_by(self._sort_column, reverse=not self._sort_reverse)
