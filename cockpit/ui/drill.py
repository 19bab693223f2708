"""Drill-down: from any place that names a thing, open it, keeping where you came from.

City overview → a district (its figures, its figures per brain, its enterprises, its
alerts) → an industry of that district (the brain's enterprises there with the brain's
columns) → an enterprise (the 企业码 profile); and a chain link (its enterprises and why it
is a gap). A ranking row, a district tile, a chain link, an alert row and a row of a
drilled table open the next level.

``DrillView`` sits in the window in place of the tabs while something is drilled into: a
bar with a Back button, the breadcrumb (each crumb clickable: 产业大脑 › 柯桥区 › 印染 ›
某企业) and the view's data state, then the view. Back (the button, Esc, Backspace, the
mouse's back button) returns to the previous view; from the first level back to the tab.
Each window has its own breadcrumb.

Every view is fetched through the window's services (the hub's cached lookups: answers are
kept for offline use), refreshed every ``REFRESH_S`` while shown, and says its state like
the tabs do: live with its time, stale, offline or cached with the time of its data, or —
when nothing was ever fetched — that it is not available offline. It never reads data out
of another widget.

On a wall (:func:`attach_rotation`) the rotation is paused while a view is drilled, and the
view returns to the rotation by itself after ``idle_return_s`` without input.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cockpit.api import uscc
from cockpit.api.drill import ChainLinkView, ClusterView, DistrictView
from cockpit.api.schema import Alert, EnterpriseSummary, ProfileField
from cockpit.hub.hub import HubStatus, LinkState, now_ms
from cockpit.ui.panels import DISTRICT_CELLS, district_name
from cockpit.ui.text import clock, plain_tip, stamp, tr
from widgets import DataState, format_number, theme

if TYPE_CHECKING:
    from cockpit.ui.main_window import MainWindow
    from cockpit.ui.rotation import Rotation

log = logging.getLogger(__name__)

__all__ = ["DrillView", "Place", "attach_rotation"]

REFRESH_S = 10.0  # a drilled view is live: asked again this often while shown
STALE_AFTER_MS = 35_000  # a view whose data is older than this (three refreshes missed) is stale
_STATE_COLOR = {DataState.LIVE: "OK", DataState.STALE: "WARN", DataState.OFFLINE: "ALARM", DataState.NO_DATA: "WARN"}


@dataclass(frozen=True)
class Place:
    """Where a drilled view is: ``kind`` "district" (args: district id), "cluster" (district,
    brain), "link" (brain, link) or "enterprise" (credit code)."""

    kind: str
    args: tuple[str, ...]


def _plain(text: str = "", name: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        lab.setObjectName(name)
    return lab


def _number(value: float | None, precision: int, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{format_number(value, precision)} {unit}".strip()


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    t.verticalHeader().hide()
    t.setWordWrap(False)
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    t.setCursor(Qt.CursorShape.PointingHandCursor)
    return t


def _fill(table: QTableWidget, rows: list[tuple[str | None, list[str]]], align_from: int = 1) -> None:
    """Rows of (key opened by a click, cells): every cell plain text (a QTableWidgetItem never
    renders markup); numbers right-aligned from column ``align_from``."""
    head = table.horizontalHeader()
    # sizing the columns to their contents at every cell set costs milliseconds a cell: once, after
    for c in range(1, table.columnCount()):
        head.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
    table.setUpdatesEnabled(False)
    table.setRowCount(len(rows))
    for r, (key, cells) in enumerate(rows):
        for c, text in enumerate(cells):
            item = table.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                if c >= align_from:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
            item.setText(text)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setToolTip(plain_tip(text))
    for c in range(1, table.columnCount()):
        head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    table.setUpdatesEnabled(True)


def _box(title: str, body: QWidget, name: str = "drillBox") -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setObjectName(name)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(10, 8, 10, 10)
    head = _plain(title, "boxTitle")
    lay.addWidget(head)
    lay.addWidget(body, 1)
    return frame, head


class _Figures(QWidget):
    """A row of figure tiles: name above, value with unit below."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.tiles: list[tuple[QLabel, QLabel]] = []
        self.frames: list[QFrame] = []

    def set_figures(self, figures: list[tuple[str, str]]) -> None:
        while len(self.tiles) < len(figures):
            frame = QFrame()
            frame.setObjectName("figure")
            lay = QVBoxLayout(frame)
            lay.setContentsMargins(12, 8, 12, 8)
            name, value = _plain("", "figName"), _plain("", "figValue")
            name.setWordWrap(True)
            lay.addWidget(name)
            lay.addWidget(value)
            self.grid.addWidget(frame, 0, len(self.tiles))
            self.tiles.append((name, value))
            self.frames.append(frame)
        for i, (name, value) in enumerate(self.tiles):
            shown = i < len(figures)
            self.frames[i].setVisible(shown)
            if shown:
                name.setText(figures[i][0])
                value.setText(figures[i][1])

    def texts(self) -> list[tuple[str, str]]:
        return [(n.text(), v.text()) for (n, v), f in zip(self.tiles, self.frames, strict=True) if f.isVisibleTo(self)]


# ---- the pages ----------------------------------------------------------------------------


class _Page(QWidget):
    """One drilled view: fetches its data through the window's services, renders it, and says
    its state. Subclasses set ``service`` and implement ``fill``."""

    service = ""

    def __init__(self, view: DrillView, place: Place, crumb: str) -> None:
        super().__init__()
        self.view = view
        self.place = place
        self.lang = view.lang
        self.crumb = crumb
        self.value: Any = None
        self.error = ""
        self.missing = False
        self.fetched_ms: int | None = None
        self.asked_at: float | None = None
        self.pending = False
        self.content = QWidget()
        self.message = _plain("", "drillMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.message.setText(tr("drill_loading", self.lang))

    def fetch(self) -> None:
        fn = getattr(self.view.win.services, self.service, None)
        self.asked_at = self.view.clock()
        if fn is None:
            self.error = tr("drill_no_service", self.lang)
            self._show_message()
            return
        self.pending = True
        fn(*self.place.args, self.answer)

    def answer(self, value: Any, error: str, missing: bool = False, fetched_ms: int | None = None) -> None:
        self.pending = False
        self.error, self.missing = error, missing
        if value is not None:
            self.value, self.fetched_ms = value, fetched_ms if fetched_ms is not None else self.view.now_ms()
            self.fill()
            self.stack.setCurrentWidget(self.content)
        elif self.value is None:
            self._show_message()
        self.view.page_changed(self)

    def _show_message(self) -> None:
        if self.missing:
            text = tr("drill_missing", self.lang)
        elif self.error:
            text = tr("drill_unavailable", self.lang, e=self.error)
        else:
            text = tr("drill_loading", self.lang)
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def fill(self) -> None:  # pragma: no cover - every page has its own
        raise NotImplementedError

    def data_ts(self) -> int | None:
        return self.fetched_ms

    def state(self, now: int, status: HubStatus) -> tuple[DataState, str]:
        """The view's data state, as a tab's panel would say it."""
        lang = self.lang
        if self.value is None:
            if self.missing:
                return DataState.NO_DATA, tr("drill_missing", lang)
            if self.error:
                return DataState.NO_DATA, tr("drill_unavailable_short", lang)
            return DataState.NO_DATA, tr("waiting", lang)
        ts = self.data_ts()
        if status.state == LinkState.OFFLINE:
            return DataState.OFFLINE, tr("offline_note", lang, t=stamp(ts, now))
        if self.error:
            return DataState.STALE, tr("cached_note", lang, t=stamp(ts, now))
        if ts is not None and now - ts > STALE_AFTER_MS:
            return DataState.STALE, tr("stale_note", lang, t=stamp(ts, now))
        return DataState.LIVE, tr("updated_at", lang, t=clock(ts))

    # helpers for the subclasses
    def _alerts_list(self) -> QListWidget:
        lst = QListWidget()
        lst.setWordWrap(True)
        lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long texts wrap, never cut
        lst.setResizeMode(QListWidget.ResizeMode.Adjust)
        lst.setCursor(Qt.CursorShape.PointingHandCursor)
        lst.itemClicked.connect(self._alert_chosen)
        return lst

    def _show_alerts(self, lst: QListWidget, alerts: list[Alert]) -> None:
        lst.clear()
        names = self.view.brain_names()
        for a in alerts:
            brain = names.get(a.brain, a.brain)
            item = QListWidgetItem(f"{'●' if a.level == 'alarm' else '▲'} {stamp(a.ts)} · {brain}\n"
                                   f"{a.message.pick(self.lang)}")
            item.setData(Qt.ItemDataRole.UserRole, a.enterprise)
            item.setToolTip(plain_tip(a.message.pick(self.lang)))
            lst.addItem(item)
        if not alerts:
            lst.addItem(QListWidgetItem(tr("no_alerts", self.lang)))

    def _alert_chosen(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.view.open(Place("enterprise", (str(code),)))

    def _enterprise_rows(self, items: list[EnterpriseSummary], with_brain: bool) -> list[tuple[str | None, list[str]]]:
        lang, names = self.lang, self.view.brain_names()
        rows: list[tuple[str | None, list[str]]] = []
        for e in items:
            cells = [e.name.pick(lang)]
            cells.append(names.get(e.brain, e.brain) if with_brain else district_name(e.district, lang,
                                                                                        e.district_name))
            cells += [tr("status_" + e.status, lang), e.code]
            rows.append((e.code, cells))
        return rows

    def _row_chosen(self, table: QTableWidget, kind: str) -> Callable[[int, int], None]:
        def chosen(row: int, _col: int) -> None:
            item = table.item(row, 0)
            key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if not key:
                return
            if kind == "enterprise":
                self.view.open(Place("enterprise", (str(key),)))
            elif kind == "cluster":
                self.view.open(Place("cluster", (self.place.args[0], str(key))))
        return chosen

    def _figure_texts(self, fields: list[ProfileField]) -> list[tuple[str, str]]:
        return [(f.name.pick(self.lang), _number(f.value, f.precision, f.unit.pick(self.lang) if f.unit else ""))
                for f in fields]


class DistrictPage(_Page):
    service = "district"

    def __init__(self, view: DrillView, place: Place) -> None:
        super().__init__(view, place, district_name(place.args[0], view.lang))
        lang = self.lang
        self.title = _plain(self.crumb, "drillTitle")
        self.figures = _Figures()
        self.brains = _table([tr("drill_industry", lang), tr("drill_firms", lang), tr("drill_running", lang),
                              tr("drill_figure", lang), tr("drill_share", lang), tr("drill_alerts", lang)])
        self.brains.cellClicked.connect(self._row_chosen(self.brains, "cluster"))
        self.alerts = self._alerts_list()
        self.firms = _table([tr("drill_enterprise", lang), tr("drill_industry", lang), tr("drill_status", lang),
                             tr("ent_code", lang)])
        self.firms.cellClicked.connect(self._row_chosen(self.firms, "enterprise"))
        brains_box, _ = _box(tr("drill_by_industry", lang), self.brains)
        alerts_box, self.alerts_head = _box(tr("drill_alerts_here", lang), self.alerts)
        firms_box, self.firms_head = _box(tr("drill_firms_here", lang, n=0), self.firms)
        grid = QGridLayout(self.content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.figures, 1, 0, 1, 2)
        grid.addWidget(brains_box, 2, 0)
        grid.addWidget(alerts_box, 2, 1, 2, 1)
        grid.addWidget(firms_box, 3, 0)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(2, 2)
        grid.setRowStretch(3, 3)

    def fill(self) -> None:
        v: DistrictView = self.value
        lang = self.lang
        self.crumb = v.name.pick(lang)
        self.title.setText(self.crumb)
        self.figures.set_figures(self._figure_texts(v.figures))
        _fill(self.brains, [(b.brain, [b.name.pick(lang), _number(b.enterprises, 0), _number(b.running, 0),
                                       f"{b.figure.pick(lang)} {_number(b.value, b.precision, b.unit.pick(lang))}",
                                       _number(b.share, 1, "%"), _number(b.alerts, 0)]) for b in v.brains])
        self._show_alerts(self.alerts, v.alerts)
        self.alerts_head.setText(tr("drill_alerts_n", lang, n=len(v.alerts)))
        _fill(self.firms, self._enterprise_rows(v.enterprises, True), align_from=99)
        shown = len(v.enterprises)
        self.firms_head.setText(tr("drill_firms_here", lang, n=v.total) if shown == v.total else
                                tr("drill_firms_some", lang, n=v.total, k=shown))
        if v.source is not None:
            self.figures.setToolTip(plain_tip(tr("source", lang, t=v.source.pick(lang))))

    def data_ts(self) -> int | None:
        return self.value.ts if self.value is not None else self.fetched_ms


class ClusterPage(_Page):
    service = "cluster"

    def __init__(self, view: DrillView, place: Place) -> None:
        super().__init__(view, place, view.brain_names().get(place.args[1], place.args[1]))
        lang = self.lang
        self.title = _plain(f"{district_name(place.args[0], lang)} · {self.crumb}", "drillTitle")
        self.figures = _Figures()
        self.firms = _table([tr("drill_enterprise", lang)])
        self.firms.cellClicked.connect(self._row_chosen(self.firms, "enterprise"))
        self.alerts = self._alerts_list()
        firms_box, self.firms_head = _box("", self.firms)
        alerts_box, self.alerts_head = _box(tr("drill_alerts_here", lang), self.alerts)
        grid = QGridLayout(self.content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.figures, 1, 0, 1, 2)
        grid.addWidget(firms_box, 2, 0)
        grid.addWidget(alerts_box, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)

    def fill(self) -> None:
        v: ClusterView = self.value
        lang = self.lang
        self.crumb = v.name.pick(lang)
        self.title.setText(f"{v.district_name.pick(lang)} · {self.crumb}")
        self.figures.set_figures(self._figure_texts(v.figures))
        p = v.enterprises
        headers = [tr("drill_enterprise", lang), tr("drill_status", lang)] + [
            f"{c.name.pick(lang)}（{c.unit.pick(lang)}）" for c in p.columns]
        self.firms.setColumnCount(len(headers))
        self.firms.setHorizontalHeaderLabels(headers)
        rows: list[tuple[str | None, list[str]]] = []
        for r in p.rows:
            cells = [r.name.pick(lang), tr("status_" + r.status, lang) if r.status else "—"]
            cells += [_number(r.values.get(c.key), c.precision) for c in p.columns]
            rows.append((r.code, cells))
        _fill(self.firms, rows, align_from=2)
        self.firms_head.setText(f"{p.title.pick(lang)}（{tr('drill_count', lang, n=len(p.rows))}）")
        self._show_alerts(self.alerts, v.alerts)
        self.alerts_head.setText(tr("drill_alerts_n", lang, n=len(v.alerts)))

    def data_ts(self) -> int | None:
        return self.value.ts if self.value is not None else self.fetched_ms


class LinkPage(_Page):
    service = "chain_link"

    def __init__(self, view: DrillView, place: Place) -> None:
        super().__init__(view, place, place.args[1])
        lang = self.lang
        self.title = _plain("", "drillTitle")
        self.title.setWordWrap(True)
        self.figures = _Figures()
        self.gap = _plain("", "drillGap")
        self.gap.setMargin(8)
        self.gap.setWordWrap(True)
        self.note = _plain("", "drillNote")
        self.note.setWordWrap(True)
        self.firms = _table([tr("drill_enterprise", lang), tr("ent_district", lang), tr("drill_status", lang),
                             tr("ent_code", lang)])
        self.firms.cellClicked.connect(self._row_chosen(self.firms, "enterprise"))
        firms_box, self.firms_head = _box("", self.firms)
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        lay.addWidget(self.title)
        lay.addWidget(self.figures)
        lay.addWidget(self.gap)
        lay.addWidget(self.note)
        lay.addWidget(firms_box, 1)

    def fill(self) -> None:
        v: ChainLinkView = self.value
        lang = self.lang
        ln = v.link
        self.crumb = ln.name.pick(lang)
        self.title.setText(f"{v.chain.pick(lang)} · {v.stage.pick(lang)} · {self.crumb}")
        figures = [(tr("drill_strength", lang), tr("strength_" + ln.strength, lang)),
                   (tr("drill_firms", lang), _number(ln.enterprises, 0, tr("drill_firms_unit", lang))),
                   (tr("drill_link_output", lang), _number(ln.output, 1, tr("yi_yuan", lang)))]
        if ln.anchors:
            figures.append((tr("drill_anchors", lang), "、".join(a.pick(lang) for a in ln.anchors)))
        self.figures.set_figures(figures)
        if v.gap is not None:
            self.gap.setText(tr("drill_gap", lang, r=v.gap.pick(lang)))
            self.gap.setProperty("level", "warn")
        else:
            self.gap.setText(tr("drill_no_gap", lang))
            self.gap.setProperty("level", "ok")
        self.gap.style().unpolish(self.gap)
        self.gap.style().polish(self.gap)
        self.note.setText(ln.note.pick(lang) if ln.note is not None else "")
        self.note.setVisible(ln.note is not None)
        _fill(self.firms, self._enterprise_rows(v.enterprises, False), align_from=99)
        self.firms_head.setText(tr("drill_link_firms", lang, n=len(v.enterprises)))

    def data_ts(self) -> int | None:
        return self.value.ts if self.value is not None else self.fetched_ms


class EnterprisePage(_Page):
    """The 企业码 profile (the enterprise tab's profile view, without its search column)."""

    service = "profile"

    def __init__(self, view: DrillView, place: Place) -> None:
        super().__init__(view, place, place.args[0])
        from cockpit.ui.enterprise_tab import EnterpriseTab

        svc = view.win.services
        self.profile_view = EnterpriseTab(self.lang, None,
                                          lambda *a: svc.profile(*a) if svc.profile else None)
        self.profile_view.brain_names = view.brain_names()
        tab = self.profile_view
        tab._timer.stop()  # the drill refreshes the shown view itself
        for w in (tab.entry, tab.button, tab.results_label, tab.list):
            w.hide()
        # its message line goes above the profile (the search column is not shown)
        outer = tab.layout()
        items = [outer.itemAt(i) for i in range(2)] if outer is not None else []
        left, right = [(it.layout() if it is not None else None) for it in items] or [None, None]
        if left is not None and isinstance(right, QVBoxLayout):
            left.removeWidget(tab.message)
            right.insertWidget(0, tab.message)
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(tab)
        self.stack.setCurrentWidget(self.content)

    def fetch(self) -> None:
        self.asked_at = self.view.clock()
        if self.view.win.services.profile is None:
            self.error = tr("drill_no_service", self.lang)
            return
        self.pending = True
        tab = self.profile_view
        tab._pending_code = uscc.normalise(self.place.args[0])
        self.view.win.services.profile(self.place.args[0], self._answer_profile)

    def _answer_profile(self, value: Any, error: str, missing: bool = False, fetched_ms: int | None = None) -> None:
        self.pending = False
        self.profile_view.show_profile(value, error, missing, fetched_ms)
        self.error, self.missing = error, missing and self.profile_view.profile is None
        if self.profile_view.profile is not None:
            self.value = self.profile_view.profile
            self.fetched_ms = self.profile_view.fetched_ms or self.view.now_ms()
            self.crumb = self.value.name.pick(self.lang)
        elif value is None:
            # nothing on screen: say it where the profile would be
            self.profile_view.note.setText(tr("drill_missing", self.lang) if missing else
                                           tr("drill_unavailable", self.lang, e=error))
            self.profile_view.empty.setText(self.profile_view.note.text())
        self.view.page_changed(self)

    def data_ts(self) -> int | None:
        return self.fetched_ms


_PAGES: dict[str, Callable[[DrillView, Place], _Page]] = {"district": DistrictPage, "cluster": ClusterPage, "link": LinkPage,
                                  "enterprise": EnterprisePage}


# ---- the view -------------------------------------------------------------------------------


class DrillView(QWidget):
    """The drilled views of one window, their breadcrumb and Back (see the module docstring)."""

    def __init__(self, window: MainWindow, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.win = window
        self.lang = window.lang
        self.clock = clock  # monotonic seconds: refreshes and the idle return
        self.now_ms: Callable[[], int] = now_ms  # the wall clock: the age of the data shown
        self.pages: list[_Page] = []
        self.root = ""  # the tab the drill started from (the first crumb)
        self.root_brain: str | None = None
        self.rotation: Rotation | None = None
        self.idle_return_s = 0.0
        self.last_touch = clock()
        self.setObjectName("drillView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.back_button = QPushButton(tr("drill_back", self.lang))
        self.back_button.setObjectName("drillBack")
        self.back_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back_button.clicked.connect(self.back)
        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(4)
        self.crumb_buttons: list[QWidget] = []
        self.state_label = _plain("", "drillState")
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 8, 12, 8)
        bar.setSpacing(12)
        bar.addWidget(self.back_button)
        bar.addLayout(self.crumbs)
        bar.addStretch(1)
        bar.addWidget(self.state_label)
        self.bar = QFrame()
        self.bar.setObjectName("drillBar")
        self.bar.setLayout(bar)
        self.stack = QStackedWidget()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.bar)
        wrap = QVBoxLayout()
        wrap.setContentsMargins(12, 10, 12, 12)
        wrap.addWidget(self.stack, 1)
        box.addLayout(wrap, 1)
        self.state = (DataState.NO_DATA, "")
        # Esc and Backspace go back while a view is drilled (disabled otherwise: the keys stay the tabs')
        self.back_actions = []
        for key in ("Esc", "Backspace"):
            act = QAction(window)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.setEnabled(False)
            act.triggered.connect(self.back)
            window.addAction(act)
            self.back_actions.append(act)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self.tick)
        self.hide()

    # ---- what is open ----------------------------------------------------------------
    @property
    def drilled(self) -> bool:
        return bool(self.pages)

    def current(self) -> _Page | None:
        return self.pages[-1] if self.pages else None

    def breadcrumb(self) -> list[str]:
        return ([self.root] if self.pages else []) + [p.crumb for p in self.pages]

    def breadcrumb_text(self) -> str:
        return " › ".join(self.breadcrumb())

    def brain_names(self) -> dict[str, str]:
        return {bid: tab.brain.name.pick(self.lang) for bid, tab in self.win.tabs_by_brain.items()}

    # ---- opening -----------------------------------------------------------------------
    def open_key(self, key: str) -> None:
        """A clicked row's key: an enterprise's credit code opens its profile, a district id the
        district; anything else is not a place to drill into (ignored)."""
        if uscc.is_valid(key):
            self.open(Place("enterprise", (uscc.normalise(key),)))
        elif key in DISTRICT_CELLS or key in self._known_districts():
            self.open(Place("district", (key,)))
        else:
            log.debug("drill: %r is not a place to open", key[:60])

    def open_district(self, district: str) -> None:
        self.open(Place("district", (district,)))

    def open_link(self, brain: str, link: str) -> None:
        self.open(Place("link", (brain, link)))

    def _known_districts(self) -> set[str]:
        city = self.win.models.get("city")
        snap = city.snapshot if city is not None else None
        panel = snap.panels.get("districts") if snap is not None else None
        return {r.key for r in panel.rows} if panel is not None else set()

    def open(self, place: Place) -> None:
        """Open ``place`` one level deeper (a place already in the breadcrumb: back to it)."""
        for i, p in enumerate(self.pages):
            if p.place == place:
                self._pop_to(i + 1)
                return
        if not self.pages:
            tab = self.win.current_tab()
            self.root_brain = self.win.current_brain()
            self.root = tab.brain.name.pick(self.lang) if tab is not None else tr("drill_root", self.lang)
        page = _PAGES[place.kind](self, place)
        self.pages.append(page)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.restyle()  # its tables' rows sized for this window
        self.touch()
        self._show()
        self._hold_rotation(self.clock())
        page.fetch()
        self._sync()

    def back(self) -> None:
        """One level up; from the first level back to the tab."""
        if self.pages:
            self._pop_to(len(self.pages) - 1)

    def tab_changed(self) -> None:
        """The window shows another tab (a shortcut, a menu): the drilled views are left. The
        same tab again (the tabs rebuilt, e.g. in another language) keeps them."""
        if self.pages and self.win.current_brain() != self.root_brain:
            self.close_all()

    def close_all(self) -> None:
        self._pop_to(0)

    def _pop_to(self, n: int) -> None:
        was = bool(self.pages)
        while len(self.pages) > n:
            page = self.pages.pop()
            self.stack.removeWidget(page)
            page.deleteLater()
        self.touch()
        if not self.pages:
            if was:
                self._hide()
        else:
            self.stack.setCurrentWidget(self.pages[-1])
        self._sync()

    def _show(self) -> None:
        if self.isVisible() and not self.win.tabs.isVisible():
            return
        self.win.tabs.hide()
        self.restyle()
        self.show()
        for act in self.back_actions:
            act.setEnabled(True)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def _hide(self) -> None:
        self.hide()
        self.win.tabs.show()
        for act in self.back_actions:
            act.setEnabled(False)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """The mouse's back button anywhere in the window goes back."""
        if event.type() == QEvent.Type.MouseButtonPress and self.pages:
            if isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.BackButton \
                    and isinstance(obj, QWidget) \
                    and obj.window() is self.win:
                self.back()
                return True
        return False

    def set_lang(self, lang: str) -> None:
        """The window's language changed: the same views again, in it."""
        places = [p.place for p in self.pages]
        self.close_all()
        self.lang = lang
        self.back_button.setText(tr("drill_back", lang))
        for place in places:
            self.open(place)

    # ---- the bar -------------------------------------------------------------------------
    def _sync(self) -> None:
        """Breadcrumb and state after a change."""
        crumbs = self.breadcrumb()
        while len(self.crumb_buttons) < 2 * len(crumbs):
            sep = _plain("›", "crumbSep")
            btn = QPushButton()
            btn.setObjectName("crumb")
            btn.setFlat(True)
            btn.setCursor(Qt.CursorShape.PointingHandCursor)
            level = len(self.crumb_buttons) // 2
            btn.clicked.connect(lambda _=False, n=level: self._pop_to(n))
            self.crumbs.addWidget(sep)
            self.crumbs.addWidget(btn)
            self.crumb_buttons += [sep, btn]
        for i in range(len(self.crumb_buttons) // 2):
            gap_w, crumb_w = self.crumb_buttons[2 * i], self.crumb_buttons[2 * i + 1]
            assert isinstance(crumb_w, QPushButton)
            shown = i < len(crumbs)
            gap_w.setVisible(shown and i > 0)
            crumb_w.setVisible(shown)
            if shown:
                crumb_w.setText(crumbs[i].replace("&", "&&"))  # a platform's name: no mnemonic
                last = i == len(crumbs) - 1
                crumb_w.setProperty("current", last)
                crumb_w.setEnabled(not last)
                crumb_w.style().unpolish(crumb_w)
                crumb_w.style().polish(crumb_w)
        self.refresh_state()

    def page_changed(self, page: _Page) -> None:
        """A page got an answer: its crumb may have a name now, its state changed."""
        self._sync()

    def refresh_state(self, now: int | None = None, status: HubStatus | None = None) -> None:
        page = self.current()
        if page is None:
            return
        status = status or self._status()
        state = page.state(now if now is not None else self.now_ms(), status)
        city = self.win.models.get(self.root_brain or "city")
        if city is not None and not city.live and state[0] != DataState.NO_DATA:
            state = (DataState.STALE, tr("drill_not_replayed", self.lang) + " · " + state[1])
        self.state = state
        self.state_label.setText(f"● {state[1]}")
        color = getattr(theme, _STATE_COLOR[state[0]])
        self.state_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        if self.property("state") != state[0].value:  # the style's state selectors follow (offline: values grey)
            self.setProperty("state", state[0].value)
            self.restyle()

    def _status(self) -> HubStatus:
        w = self.win
        return w.status_provider() if w.status_provider is not None else w.status

    # ---- 1 Hz: refresh the shown view, idle return -------------------------------------------
    def touch(self, _kind: str = "") -> None:
        self.last_touch = self.clock()

    def tick(self) -> None:
        page = self.current()
        if page is None:
            return
        t = self.clock()
        if self.rotation is not None:
            idle = t - self.last_touch
            if 0 < self.idle_return_s <= idle:
                log.info("drill: %.0f s without input, back to the rotation", idle)
                self.close_all()
                if self.rotation.pause_reason in ("drill", "activity"):  # not an operator's own pause
                    self.rotation.resume()  # back on the tab: the wall rotates again
                return
            self._hold_rotation(t)
        if not page.pending and (page.asked_at is None or t - page.asked_at >= REFRESH_S):
            page.fetch()
        self.refresh_state()

    def _hold_rotation(self, t: float) -> None:
        """The wall stays on the drilled view: until the idle time is up (0: until Back)."""
        if self.rotation is None:
            return
        left = self.idle_return_s - (t - self.last_touch) if self.idle_return_s > 0 else 5.0
        self.rotation.pause("drill", for_s=max(2.0, left))

    # ---- size ------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event is not None:
            super().resizeEvent(event)
        self.restyle()

    def restyle(self) -> None:
        px = max(12, round(self.height() / 1000 * 18))
        self.setStyleSheet(
            f"#drillView QLabel, #drillView QPushButton, #drillView QTableWidget, #drillView QListWidget,"
            f" #drillView QHeaderView::section {{ font-size: {px}px; }}"
            f" #drillView QLabel {{ color: {theme.TEXT}; background: transparent; border: 0; }}"
            f" #drillView QTableWidget {{ background: {theme.PANEL}; alternate-background-color: {theme.BACKGROUND};"
            f" color: {theme.TEXT}; gridline-color: {theme.EDGE}; border: 0;"
            f" selection-background-color: {theme.EDGE}; selection-color: {theme.TEXT}; }}"
            f" #drillView QTableWidget::item {{ padding: 0 8px; }}"
            f" #drillView QHeaderView::section {{ background: {theme.BACKGROUND}; color: {theme.TEXT_DIM};"
            f" border: 0; border-bottom: 1px solid {theme.EDGE}; padding: 2px 6px; }}"
            f" #drillView QListWidget {{ background: {theme.PANEL}; color: {theme.TEXT}; border: 0; }}"
            f" #drillView #drillBar {{ background: {theme.PANEL}; border-bottom: 1px solid {theme.EDGE}; }}"
            f" #drillView #drillBack {{ font-size: {round(px * 1.1)}px; font-weight: bold; padding: 4px 14px; }}"
            f" #drillView #crumb {{ font-size: {round(px * 1.1)}px; color: {theme.ACCENT}; border: none;"
            f" padding: 2px 4px; }}"
            f" #drillView #crumb[current=\"true\"] {{ color: {theme.TEXT}; font-weight: bold; }}"
            f" #drillView #crumbSep {{ font-size: {round(px * 1.1)}px; color: {theme.TEXT_DIM}; }}"
            f" #drillView #drillTitle {{ font-size: {round(px * 1.6)}px; font-weight: bold; }}"
            f" #drillView #boxTitle {{ font-size: {round(px * 1.05)}px; font-weight: bold; color: {theme.TEXT_DIM}; }}"
            f" #drillView #drillBox, #drillView #figure {{ border: 1px solid {theme.EDGE}; background: {theme.PANEL}; }}"
            f" #drillView #figName {{ color: {theme.TEXT_DIM}; }}"
            f" #drillView #figValue {{ font-size: {round(px * 1.5)}px; font-weight: bold; }}"
            f" #drillView[state=\"offline\"] #figValue, #drillView[state=\"offline\"] QTableWidget"
            f" {{ color: {theme.TEXT_DIM}; }}"
            f" #drillView #drillGap[level=\"warn\"] {{ color: {theme.WARN}; font-size: {round(px * 1.1)}px;"
            f" border: 1px solid {theme.WARN}; padding: 8px; }}"
            f" #drillView #drillGap[level=\"ok\"] {{ color: {theme.OK}; font-size: {round(px * 1.1)}px; padding: 8px; }}"
            f" #drillView #drillMessage {{ font-size: {round(px * 1.4)}px; color: {theme.WARN}; }}"
        )
        row_h = round(px * 1.9)
        for t in self.findChildren(QTableWidget):
            t.verticalHeader().setDefaultSectionSize(row_h)


def attach_rotation(window: MainWindow, rotation: Rotation, idle_return_s: float) -> None:
    """On a wall: the rotation holds while a view is drilled; after ``idle_return_s`` without
    input (0: never) the view closes and the rotation goes on."""
    from cockpit.ui.kiosk import watch_activity

    drill = getattr(window, "drill", None)
    if drill is None:
        return
    drill.rotation = rotation
    drill.idle_return_s = float(idle_return_s)
    watch_activity(window, drill.touch)
