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

from bisect import bisect_left, insort
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from .filter_bar import FilterBar
from .query import Query, parse_query
from .virtual_grid import VirtualGrid

T = TypeVar("T")

GUTTER = "_gutter"
MARK = "✓"
CHANGED = "•"
LOADING = "Loading…"
# How close to the last loaded row the cursor or the scroll must come to ask for more.
NEAR_END_ROWS = 10
# Rows whose rendered cells are kept; the grid asks again for rows that come back on screen.
CELL_CACHE = 4096
#: How often every row is drawn again, for cells that change with time (ages).
REDRAW_SECONDS = 30.0


_MISSING: Any = object()


def _narrows(query: Query, previous: Query) -> bool:
    """True when every row matching ``query`` also matches ``previous``."""
    if len(query.terms) < len(previous.terms):
        return False
    for new, old in zip(query.terms, previous.terms, strict=False):
        if new.field != old.field or new.negated or old.negated:
            return False
        if old.field is None and old.value not in new.value:
            return False
        if old.field is not None and not new.value.startswith(old.value):
            return False
    return True


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: how to render a record's cell and how to order records by it."""

    key: str
    label: str
    render: Callable[[T], Text]
    #: Orders rows when sorting by this column; defaults to the rendered text.
    sort_key: Callable[[T], Any] | None = None
    width: int | None = None


class _Grid(VirtualGrid):
    """The grid inside a ResourceTable, with vim-style moves."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", show=False, id="table.open"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
    ]


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
        #: Rendered cells (gutter first) of rows drawn lately, by key.
        self._cells: dict[str, list[Text]] = {}
        self._search: dict[str, tuple[dict[str, str], str]] = {}
        #: The sort value of every row for the current sort column, and every row in
        #: ascending (value, key) order: a changed row moves by bisection.
        self._sort_values: dict[str, Any] = {}
        self._order: list[tuple[Any, str]] = []
        #: Rows matching the filter (all rows when there is no filter).
        self._matching: set[str] = set()
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
        self._grid: VirtualGrid | None = None
        self._empty_shown = LOADING
        self._info_line: tuple[str, str] | None = None

    # -- composition ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(classes="resource-table--info")
        columns = [(GUTTER, "", 1)] + [
            (column.key, column.label, column.width) for column in self._columns.values()
        ]
        yield _Grid(columns, self._row)
        yield Static(LOADING, classes="resource-table--empty")
        yield FilterBar()

    def on_mount(self) -> None:
        self.watch(self.grid, "scroll_y", self._check_near_end, init=False)
        self.set_interval(REDRAW_SECONDS, self._redraw)
        self._refresh_info()
        self._show_empty_state()

    @property
    def grid(self) -> VirtualGrid:
        if self._grid is None:
            self._grid = self.query_one(_Grid)
        return self._grid

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def focus_table(self) -> None:
        self.grid.focus()

    # -- reading ----------------------------------------------------------------------------

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, or None when the table is empty."""
        row = self.grid.cursor_row
        if not 0 <= row < len(self._visible):
            return None
        return self._visible[row]

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

        Rows whose record changed are flagged for ``flash_seconds``, except on the first
        load, when every row is new. Records are compared, not rendered: a row is rendered
        only when it is drawn.
        """
        first_load = not self._records
        self._loaded = True
        records_now = self._records
        seen: set[str] | None = set() if complete else None
        arrived: list[str] = []
        changed: list[str] = []
        moved = False
        flashed = False
        for record in records:
            key = str(self._key_of(record))
            arrived.append(key)
            old = records_now.get(key)
            records_now[key] = record
            if old is not None and (old is record or old == record):
                continue
            changed.append(key)
            if self._index_record(key, record):
                moved = True
            if old is None:
                moved = True
            elif not first_load:
                self._flashing.add(key)
                flashed = True
        if seen is not None:
            seen.update(arrived)
            gone = set(records_now) - seen
            for key in gone:
                self._forget(key)
            moved = moved or bool(gone)
        # Only changed rows are drawn again; ages, which count from now, are brought up
        # to date by ``_redraw`` every REDRAW_SECONDS.
        self._invalidate(changed)
        self._show(moved)
        if flashed:
            self.set_timer(self._flash_seconds, self._end_flash)

    def remove_rows(self, keys: Iterable[Hashable]) -> None:
        """Drop rows, such as a server that was deleted."""
        gone = {str(key) for key in keys} & set(self._records)
        for key in gone:
            self._forget(key)
        if gone:
            self._show(True)

    def set_filter(self, text: str) -> None:
        """Narrow the rows to those matching ``text`` (the filter language above)."""
        query = parse_query(text, self._field_names)
        if query == self._query:
            return
        previous, self._query = self._query, query
        if query:
            self._matching = self._match(query, previous)
        self._show(True)

    def _match(self, query: Query, previous: Query) -> set[str]:
        """The rows matching ``query``; when it only narrows ``previous`` (more typed onto
        the same words) only the rows that matched before are looked at."""
        search = self._search
        keys: Iterable[str] = search
        if previous and _narrows(query, previous):
            keys = self._matching
        terms = query.terms
        if all(term.field is None and not term.negated for term in terms):
            words = [term.value for term in terms]
            if len(words) == 1:
                word = words[0]
                return {key for key in keys if word in search[key][1]}
            return {key for key in keys if all(w in search[key][1] for w in words)}
        return {key for key in keys if query.matches(*search[key])}

    def sort_by(self, column: str, *, reverse: bool | None = None) -> None:
        """Order the rows by a column; the same column again flips the direction."""
        if column not in self._columns:
            return
        if reverse is None:
            reverse = not self._sort_reverse if column == self._sort_column else False
        resort = column != self._sort_column
        self._sort_column, self._sort_reverse = column, reverse
        if resort:
            self._sort_values = {key: self._sort_value(key) for key in self._records}
            self._order = sorted((value, key) for key, value in self._sort_values.items())
        self._show(True)

    def clear_marks(self) -> None:
        marked = set(self._marked)
        self._marked.clear()
        self._invalidate(marked)
        self._show(False)
        self.post_message(self.MarksChanged(self, frozenset()))

    def move_to(self, key: Hashable) -> None:
        """Put the cursor on a row, if it is shown."""
        key = str(key)
        try:
            row = self._visible.index(key)
        except ValueError:
            return
        self.grid.move_cursor(row)

    # -- internals --------------------------------------------------------------------------

    def _index_record(self, key: str, record: T) -> bool:
        """Note a new or changed record's search text, sort value and filter match; True
        when its place in the view may have changed."""
        fields = {name: value.lower() for name, value in self._fields_of(record).items()}
        everything = "\n".join(fields.values())
        self._search[key] = (fields, everything)
        if not fields.keys() <= self._field_names:
            self._field_names = self._field_names | fields.keys()
        moved = False
        if self._query:
            matches = self._query.matches(fields, everything)
            if matches != (key in self._matching):
                moved = True
                if matches:
                    self._matching.add(key)
                else:
                    self._matching.discard(key)
        value = self._sort_value(key)
        old = self._sort_values.get(key, _MISSING)
        if old is _MISSING or old != value:
            order = self._order
            if old is not _MISSING:
                index = bisect_left(order, (old, key))
                if index < len(order) and order[index][1] == key:
                    del order[index]
                else:  # pragma: no cover - a sort key that is not a total order
                    order.remove(next(item for item in order if item[1] == key))
            self._sort_values[key] = value
            insort(order, (value, key))
            moved = True
        return moved

    def _forget(self, key: str) -> None:
        self._records.pop(key, None)
        self._cells.pop(key, None)
        self._search.pop(key, None)
        self._matching.discard(key)
        self._marked.discard(key)
        self._flashing.discard(key)
        value = self._sort_values.pop(key, _MISSING)
        if value is not _MISSING:
            order = self._order
            index = bisect_left(order, (value, key))
            if index < len(order) and order[index][1] == key:
                del order[index]
            else:  # pragma: no cover
                order.remove(next(item for item in order if item[1] == key))

    def _sort_value(self, key: str) -> Any:
        column = self._columns[self._sort_column]
        if column.sort_key is not None:
            return column.sort_key(self._records[key])
        return column.render(self._records[key]).plain.lower()

    def _view(self) -> list[str]:
        if self._query:
            matching = self._matching
            keys = [key for _, key in self._order if key in matching]
        else:
            keys = [key for _, key in self._order]
        if self._sort_reverse:
            keys.reverse()
        return keys

    def _row(self, key: str) -> list[Text]:
        """The cells of a row, gutter first, as drawn: rendered on first use."""
        cached = self._cells.get(key)
        if cached is not None:
            return cached
        record = self._records[key]
        cells = [column.render(record) for column in self._columns.values()]
        gutter = Text(" ")
        if key in self._flashing:
            style = self.get_component_rich_style("resource-table--changed", partial=True)
            cells = [self._styled(cell, style) for cell in cells]
            gutter = Text(CHANGED, style=style)
        if key in self._marked:
            style = self.get_component_rich_style("resource-table--marked", partial=True)
            cells = [self._styled(cell, style) for cell in cells]
            gutter = Text(MARK, style=style)
        row = [gutter, *cells]
        if len(self._cells) >= CELL_CACHE:
            self._cells.clear()
        self._cells[key] = row
        return row

    @staticmethod
    def _styled(cell: Text, style: Style) -> Text:
        styled = cell.copy()
        styled.stylize(style)
        return styled

    def _invalidate(self, keys: Iterable[str]) -> None:
        """Forget the drawn cells of these rows; the grid draws them again if shown."""
        keys = list(keys)
        pop = self._cells.pop
        for key in keys:
            pop(key, None)
        if self.is_mounted:
            self.grid.invalidate(keys)

    def _show(self, moved: bool) -> None:
        """Bring the grid in line with the records; the view is rebuilt only when rows
        may have come, gone or moved."""
        if moved and self.is_mounted:
            self._set_view(self._view())
        elif moved:
            self._visible = self._view()
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
        if text != self._empty_shown:
            # Static.update lays out the whole screen: only when the words change.
            self._empty_shown = text
            self.query_one(".resource-table--empty", Static).update(Text(text))

    def _set_view(self, view: list[str]) -> None:
        grid = self.grid
        old_key = self.current_key
        old_row = grid.cursor_row
        screen_offset = old_row - round(grid.scroll_y)
        unchanged = view == self._visible
        self._visible = view
        if not unchanged:
            grid.set_rows(view)
        row = min(old_row, max(len(view) - 1, 0))
        if old_key is not None and not unchanged:
            try:
                row = view.index(old_key)
            except ValueError:
                pass
        if view and row != old_row:
            grid.move_cursor(row, scroll=False, announce=False)
            grid.scroll_to(y=max(0, row - screen_offset), animate=False, force=True)
            self._check_near_cursor()
        if self.current_key != self._last_highlight:
            self._announce_highlight()

    def _redraw(self) -> None:
        """Draw every row again: cells such as ages depend on the time as well as the record."""
        self._cells.clear()
        self.grid.invalidate()

    def _end_flash(self) -> None:
        ended = set(self._flashing)
        self._flashing.clear()
        self._invalidate(ended)

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
        line = " · ".join(parts)
        if (self.title, line) == self._info_line:
            return
        self._info_line = (self.title, line)
        info = Text.assemble((self.title, "bold"), "  ", line)
        info.no_wrap = True
        info.overflow = "ellipsis"
        # One line, always: no layout needed.
        self.query_one(".resource-table--info", Static).update(info, layout=False)

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

    def _check_near_cursor(self) -> None:
        if self._visible and len(self._visible) - self.grid.cursor_row <= NEAR_END_ROWS:
            self.post_message(self.NearEnd(self))

    # -- events and actions -----------------------------------------------------------------

    @on(VirtualGrid.Highlighted)
    def _on_grid_highlight(self, event: VirtualGrid.Highlighted) -> None:
        event.stop()
        self._announce_highlight()
        self._check_near_cursor()

    @on(VirtualGrid.Selected)
    def _on_grid_select(self, event: VirtualGrid.Selected) -> None:
        event.stop()
        key = self.current_key
        if key is not None:
            self.post_message(self.RowOpened(self, key, self._records[key]))

    @on(VirtualGrid.HeaderSelected)
    def _on_header(self, event: VirtualGrid.HeaderSelected) -> None:
        event.stop()
        if event.column_key != GUTTER:
            self.sort_by(event.column_key)

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
        self._invalidate([key])
        self._refresh_info()
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
