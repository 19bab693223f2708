"""TrendChart: named time series over a rolling window, on one pyqtgraph plot.

Each series keeps its points in a preallocated numpy ring buffer. The ring is written
twice (at ``i`` and ``i + capacity``) so the newest ``capacity`` points are always one
contiguous, time-ordered view: no ``np.roll``, no copy per frame. ``append`` only marks
the chart dirty; a 0 ms single-shot timer hands the visible slice to pyqtgraph once per
event-loop pass (or call ``flush()``), and a hidden chart does not redraw until shown.
Curve items are created once and reused (pyqtgraph#2672: items leak under PySide6 ≥ 6.5
when created and destroyed).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from pyqtgraph.graphicsItems.DateAxisItem import DAY_SPACING, MONTH_SPACING  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, QLineF, QObject, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QImage, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QButtonGroup, QFrame, QGraphicsItem, QGraphicsView, QToolButton, QWidget

from widgets import clock, theme
from widgets._panel import DASH, ELLIPSIS, DrawnText, Panel, elide
from widgets.state import DataState

WINDOW_STEPS = 200  # the rolling window advances in steps of window / WINDOW_STEPS


@dataclass
class _Series:
    name: str
    color: QColor
    item: pg.PlotDataItem
    x: np.ndarray  # 2 * capacity, written twice
    y: np.ndarray
    head: int = 0  # next write position in [0, capacity)
    count: int = 0
    nonfinite: int = 0  # gaps held in the ring: decides connect="finite" and the finite check
    dirty: bool = False
    finite_mode: bool | None = None  # what the curve was last told
    faint: bool = False  # a comparison (e.g. the same period last year): drawn faintly
    visible: bool = True


class TrendChart(Panel):
    """A live line chart of one or more named series against local time.

    Optionally a small range selector in the header (:meth:`set_ranges`; clicks, or Tab to
    it and ←/→, Space): it emits :attr:`range_chosen`; the owner then loads that range's
    points and shows its span with :meth:`set_fixed_window`.
    """

    range_chosen = Signal(str)  # the key of the range picked in the header

    def __init__(self, parent: QWidget | None = None, capacity: int = 100_000) -> None:
        super().__init__(parent)
        self._title = ""
        self._capacity = max(2, int(capacity))
        self._window = 24 * 3600.0
        self._fixed: tuple[float, float] | None = None  # a fixed span (a range) instead of the rolling window
        self._range_buttons: list[QToolButton] = []
        self._range_group = QButtonGroup(self)
        self._range_group.setExclusive(True)
        self._range_group.idClicked.connect(self._on_range_clicked)
        self._series: list[_Series] = []
        self._thresholds: list[pg.InfiniteLine] = []
        self._y_fixed: tuple[float, float] | None = None
        self._y_shown: tuple[float, float] | None = None
        self._x_shown: tuple[float, float] | None = None
        self._max_gap: float | None = None
        self._dirty = False
        self._viewport_paints = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer)

        # a bare view, value box and two axes: pyqtgraph's PlotWidget/PlotItem would add
        # its options menu form, view menu, buttons and two hidden axes (about 1 MB a chart)
        self._vb = pg.ViewBox(enableMenu=False)
        self._vb.setMouseEnabled(x=False, y=False)
        self._vb.disableAutoRange()
        self._left = pg.AxisItem(orientation="left")
        self._axis = _LocalTimeAxis(orientation="bottom")
        self._plot = pg.GraphicsView(self, background=theme.PANEL)
        self._plot.setFrameShape(QFrame.Shape.NoFrame)
        # the background is one flat fill: pyqtgraph's default background cache only costs
        # a viewport-sized pixmap per chart (about 2 MB each at 4K)
        self._plot.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        # the view's own central item and grid, laid out as a PlotItem does: 1 px margins,
        # no spacing, the value box taking all room the fixed-size axes leave
        grid = self._plot.centralLayout
        grid.setContentsMargins(1, 1, 1, 1)
        grid.setHorizontalSpacing(0)
        grid.setVerticalSpacing(0)
        grid.addItem(self._left, 0, 0)
        grid.addItem(self._vb, 0, 1)
        grid.addItem(self._axis, 1, 1)
        for i in range(2):
            grid.setRowPreferredHeight(i, 0)
            grid.setRowMinimumHeight(i, 0)
            grid.setRowSpacing(i, 0)
            grid.setRowStretchFactor(i, 100 if i == 0 else 1)
            grid.setColumnPreferredWidth(i, 0)
            grid.setColumnMinimumWidth(i, 0)
            grid.setColumnSpacing(i, 0)
            grid.setColumnStretchFactor(i, 100 if i == 1 else 1)
        left = self._left
        for ax in (left, self._axis):
            ax.linkToView(self._vb)
            ax.setZValue(0.5)  # over the value box, as in a PlotItem
            ax.setFlag(QGraphicsItem.GraphicsItemFlag.ItemNegativeZStacksBehindParent)
        # major ticks only: pyqtgraph's finer levels cost CPU and clutter a wall
        # and no label cut in half at the top or bottom edge
        left.setStyle(maxTickLevel=0, hideOverlappingLabels=True)
        left.enableAutoSIPrefix(False)
        # our own grid (see _HGrid): pyqtgraph's grid belongs to the value axis, whose
        # picture then covers the plot and is repainted with every frame of the curve
        self._grid = _HGrid(self._vb)
        self._left = left
        self._overlay = pg.TextItem("", color=theme.TEXT_DIM, anchor=(0, 0), fill=pg.mkBrush(theme.PANEL))
        self._apply_palette()
        self._overlay.setParentItem(self._vb)
        self._overlay.setZValue(1000)
        self._overlay.hide()
        self._vb.sigResized.connect(self._on_view_resized)
        self._plot.viewport().installEventFilter(self)
        now = time.time()
        self._set_x(now - self._window, now)
        self._set_y(0.0, 1.0)
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    @property
    def paint_count(self) -> int:
        """Paint events of the plot viewport (a benchmark checks updates reached the screen)."""
        return self._viewport_paints

    def add_series(self, name: str, color: str | None = None, *, faint: bool = False) -> int:
        """Add a named series (created once, never removed); returns its index.

        ``faint``: a comparison drawn faintly and thinner (e.g. the same period last year,
        moved onto this period's axis); faint series of the same name share one legend entry.
        """
        regular = sum(1 for x in self._series if not x.faint)
        c = (
            theme.qcolor(color)
            if color
            else QColor(theme.SERIES_COLORS[(regular - 1 if faint and regular else regular) % len(theme.SERIES_COLORS)])
        )
        item = pg.PlotDataItem(antialias=False, connect="all", skipFiniteCheck=True)
        # one (max, min) peak pair per two pixel columns: with a 2 px pen that covers the same
        # pixels as a pair per column, for half the segments (pyqtgraph's default 5 hardly thins)
        item.opts["autoDownsampleFactor"] = 0.5
        # clip to the visible window and thin by peaks, per curve (no PlotItem to pass it on)
        item.setClipToView(True)
        item.setDownsampling(auto=True, method="peak")
        self._vb.addItem(item)
        cap = self._capacity
        s = _Series(str(name), c, item, np.empty(2 * cap), np.empty(2 * cap), faint=faint)
        if faint:
            item.setZValue(-1)  # under this period's lines
        self._series.append(s)
        self._style_curve(s)
        self.invalidate()  # legend
        return len(self._series) - 1

    def series_count(self) -> int:
        """Number of series added."""
        return len(self._series)

    def series_name(self, index: int) -> str:
        return self._series[index].name

    def series_visible(self, index: int) -> bool:
        """Whether a series is drawn (a hidden one, e.g. last year's while live, is not)."""
        return self._series[index].visible

    def set_series_visible(self, index: int, visible: bool) -> None:
        """Show or hide a series and its legend entry (its points are kept)."""
        s = self._series[index]
        if s.visible != visible:
            s.visible = visible
            self._style_curve(s)
            self.invalidate()

    def legend_texts(self) -> list[str]:
        """The legend entries drawn (one per visible name), in order."""
        if self._state == DataState.NO_DATA:
            return []
        return list(dict.fromkeys(x.name for x in self._series if x.visible))

    def set_fixed_window(self, lo: float | None, hi: float | None = None) -> None:
        """Show the span [lo, hi] (epoch seconds) however far the points reach (a chosen
        range: today, this month…); None: back to the rolling window up to the newest point.
        Applied at once."""
        fixed = None if lo is None or hi is None else (float(lo), float(hi))
        if fixed is not None and not (math.isfinite(fixed[0]) and math.isfinite(fixed[1]) and fixed[1] > fixed[0]):
            raise ValueError(f"fixed window needs lo < hi, got {lo}, {hi}")
        if fixed != self._fixed:
            self._fixed = fixed
            if fixed is not None:
                self._set_x(*fixed)
            self._mark_all()
            self.flush()

    def set_ranges(self, ranges: list[tuple[str, str]], current: str | None = None) -> None:
        """The range selector in the header: (key, label) pairs, e.g. ("today", "今日");
        ``current`` is shown checked. Set once (the buttons are made once)."""
        if self._range_buttons:
            raise RuntimeError("the ranges of a trend chart are set once")
        for i, (key, label) in enumerate(ranges):
            b = QToolButton(self)
            b.setText(label)
            b.setObjectName(f"range_{key}")
            b.setProperty("range_key", key)
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setAutoRaise(True)
            b.setToolTip(label)
            b.installEventFilter(self)
            self._range_group.addButton(b, i)
            self._range_buttons.append(b)
        self.set_current_range(current if current is not None else ranges[0][0] if ranges else None)
        self._style_ranges()
        self._relayout()
        self.invalidate()

    def range_buttons(self) -> list[QToolButton]:
        return list(self._range_buttons)

    def current_range(self) -> str | None:
        b = self._range_group.checkedButton()
        return None if b is None else str(b.property("range_key"))

    def set_current_range(self, key: str | None) -> None:
        """Show ``key`` as chosen (no signal)."""
        for b in self._range_buttons:
            b.setChecked(b.property("range_key") == key)

    def set_capacity(self, points: int) -> None:
        """Set how many points each series keeps (the newest are kept)."""
        points = max(2, int(points))
        if points == self._capacity:
            return
        data = [self.series_data(i) for i in range(len(self._series))]
        self._capacity = points
        for s, (xs, ys) in zip(self._series, data, strict=True):
            self._load(s, xs, ys)

    def set_window(self, seconds: float) -> None:
        """Show the last `seconds` up to the newest point (default 24 h)."""
        seconds = float(seconds)
        if not (seconds > 0 and math.isfinite(seconds)):
            raise ValueError(f"window must be positive, got {seconds}")
        if seconds != self._window:
            self._window = seconds
            self._mark_all()

    def set_max_gap(self, seconds: float | None) -> None:
        """Break the line where consecutive appended points are further apart than this (None: never)."""
        self._max_gap = None if seconds is None else float(seconds)

    def set_history(self, index: int, ts_s: np.ndarray, values: np.ndarray) -> None:
        """Replace a series' points (epoch seconds, values; NaN = gap), e.g. after a backfill."""
        s = self._series[index]
        xs = np.asarray(ts_s, dtype=float).ravel()
        ys = np.asarray(values, dtype=float).ravel()
        if xs.shape != ys.shape:
            raise ValueError(f"ts_s and values differ in length: {xs.shape} vs {ys.shape}")
        keep = np.isfinite(xs)
        xs, ys = xs[keep], ys[keep]
        if len(xs) > 1 and np.any(np.diff(xs) < 0):
            order = np.argsort(xs, kind="stable")
            xs, ys = xs[order], ys[order]
        self._load(s, xs, ys)

    def append(self, index: int, ts_s: float, value: float | None) -> None:
        """Add one point (None or NaN = a gap); older than the newest point: ignored, equal: replaces."""
        s = self._series[index]
        ts = float(ts_s)
        if not math.isfinite(ts):
            return
        v = math.nan if value is None else float(value)
        if s.count:
            cap = self._capacity
            last_i = (s.head - 1) % cap
            last_t = s.x[last_i]
            if ts < last_t:
                return
            if ts == last_t:
                self._put(s, last_i, ts, v, replace=True)
                self._mark(s)
                return
            if self._max_gap is not None and ts - last_t > self._max_gap and math.isfinite(s.y[last_i]):
                self._push(s, last_t + (ts - last_t) / 2, math.nan)
        self._push(s, ts, v)
        self._mark(s)

    def series_data(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Copies of a series' stored points in time order (timestamps, values)."""
        s = self._series[index]
        start = (s.head - s.count) % self._capacity
        return s.x[start : start + s.count].copy(), s.y[start : start + s.count].copy()

    def drawn_texts(self) -> list[DrawnText]:
        """The panel's own texts and the axes' tick labels (drawn by pyqtgraph), each with
        its pixel size and where it lies in this widget (for legibility checks)."""
        out = super().drawn_texts()
        img = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
        p = QPainter(img)
        try:
            for ax in (self._left, self._axis):
                font = ax.style.get("tickFont")
                if not ax.isVisible() or font is None:
                    continue
                p.setFont(font)
                specs = ax.generateDrawSpecs(p)
                for rect, _flags, text in (specs[2] if specs else []):
                    scene = ax.mapRectToScene(QRectF(rect))
                    box = self._plot.mapFromScene(scene).boundingRect()
                    where = QRectF(box.translated(self._plot.pos()))
                    out.append((str(text), font.pixelSize(), where, ELLIPSIS in str(text)))
        finally:
            p.end()
        return out

    def add_threshold(self, value: float, color: str, label: str = "") -> None:
        """Draw a dashed horizontal line at value ("warn", "alarm" or any colour), with a plain label."""
        c = theme.qcolor(color)
        # the label is a format string to pyqtgraph: escape braces so it is shown literally
        fmt = label.replace("{", "{{").replace("}", "}}") if label else None
        line = pg.InfiniteLine(
            pos=float(value),
            angle=0,
            movable=False,
            pen=pg.mkPen(c, width=self._line_width(), style=Qt.PenStyle.DashLine),
            label=fmt,
            labelOpts={"position": 0.98, "color": c, "anchors": [(1, 1), (1, 1)]} if fmt else None,
        )
        line.setZValue(-10)
        self._vb.addItem(line, ignoreBounds=True)
        self._thresholds.append(line)
        self._style_thresholds()

    def set_y_range(self, lo: float | None = None, hi: float | None = None) -> None:
        """Fix the value axis to [lo, hi]; with no arguments, fit it to the data (rarely moved)."""
        if lo is None or hi is None:
            self._y_fixed = None
            self._y_shown = None
            self._mark_all()
            return
        lo, hi = float(lo), float(hi)
        if not hi > lo:
            raise ValueError(f"y range needs lo < hi, got {lo}, {hi}")
        self._y_fixed = (lo, hi)
        self._set_y(lo, hi)

    def x_range(self) -> tuple[float, float]:
        """The time range shown (epoch seconds)."""
        lo, hi = self._vb.viewRange()[0]
        return float(lo), float(hi)

    def y_range(self) -> tuple[float, float]:
        """The value range shown."""
        lo, hi = self._vb.viewRange()[1]
        return float(lo), float(hi)

    def flush(self) -> None:
        """Hand pending points to the plot now (normally done once per event-loop pass)."""
        self._timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        lasts = [s.x[(s.head - 1) % self._capacity] for s in self._series if s.count]
        if not lasts:  # nothing stored: an empty plot over the last window up to now
            for s in self._series:
                if s.dirty:
                    s.dirty = False
                    s.item.setData([], [])
            if self._fixed is not None:
                self._set_x(*self._fixed)
            else:
                now = time.time()
                self._set_x(now - self._window, now)
            return
        if self._fixed is not None:
            left, right = self._fixed
        else:
            # the right edge moves in steps of 1/200 of the window, not with every point: the time
            # axis then keeps its ticks (no re-layout of its labels) for many updates in a row
            step = self._window / WINDOW_STEPS
            right = math.ceil(float(max(lasts)) / step) * step
            left = right - self._window
        for s in self._series:
            if s.dirty:
                s.dirty = False
                self._hand_over(s, left)
        self._set_x(left, right)
        if self._y_fixed is None:
            self._auto_y(left)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(640, 360)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(260, 180)

    # ---- ring buffer ----------------------------------------------------------------

    def _load(self, s: _Series, xs: np.ndarray, ys: np.ndarray) -> None:
        cap = self._capacity
        xs, ys = xs[-cap:], ys[-cap:]
        n = len(xs)
        # fresh arrays: the plot may still hold views of the old ones until the next flush
        s.x, s.y = np.empty(2 * cap), np.empty(2 * cap)
        s.x[:n] = xs
        s.x[cap : cap + n] = xs
        s.y[:n] = ys
        s.y[cap : cap + n] = ys
        s.count, s.head = n, n % cap
        s.nonfinite = int(n - np.count_nonzero(np.isfinite(ys)))
        self._mark(s)

    def _put(self, s: _Series, i: int, ts: float, v: float, replace: bool) -> None:
        cap = self._capacity
        if replace and not math.isfinite(s.y[i]):
            s.nonfinite -= 1
        s.x[i] = s.x[i + cap] = ts
        s.y[i] = s.y[i + cap] = v
        if not math.isfinite(v):
            s.nonfinite += 1

    def _push(self, s: _Series, ts: float, v: float) -> None:
        full = s.count == self._capacity
        self._put(s, s.head, ts, v, replace=full)
        s.head = (s.head + 1) % self._capacity
        if not full:
            s.count += 1

    def _mark(self, s: _Series) -> None:
        s.dirty = True
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def _mark_all(self) -> None:
        for s in self._series:
            s.dirty = True
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def _on_timer(self) -> None:
        if self.isVisible():
            self.flush()

    def _hand_over(self, s: _Series, left: float) -> None:
        """Give the curve the time-ordered view from just left of the window to the newest point."""
        if not s.count:
            s.item.setData([], [])
            return
        cap = self._capacity
        start = (s.head - s.count) % cap
        xs = s.x[start : start + s.count]
        ys = s.y[start : start + s.count]
        # one point left of the window so the line reaches the edge; when the ring is full
        # never hand over the oldest slot: the next append overwrites it in place
        i0 = max(int(np.searchsorted(xs, left)) - 1, 1 if s.count == cap else 0)
        xs, ys = xs[i0:], ys[i0:]
        finite = s.nonfinite == 0
        if finite != s.finite_mode:
            s.finite_mode = finite
            s.item.setData(xs, ys, connect="all" if finite else "finite", skipFiniteCheck=finite)
        else:
            s.item.setData(xs, ys)

    # ---- ranges ---------------------------------------------------------------------

    def _set_x(self, lo: float, hi: float) -> None:
        if (lo, hi) == self._x_shown:
            return
        self._x_shown = (lo, hi)
        self._vb.setXRange(lo, hi, padding=0)
        # apply now: left for the paint, it costs a second full repaint of the plot
        self._vb.updateMatrix()

    def _set_y(self, lo: float, hi: float) -> None:
        if (lo, hi) == self._y_shown:
            return
        self._y_shown = (lo, hi)
        self._vb.setYRange(lo, hi, padding=0)
        self._vb.updateMatrix()
        self._update_grid()

    def _on_view_resized(self) -> None:
        self._update_grid()
        self._place_overlay()

    def _update_grid(self) -> None:
        """Grid lines at the value axis' major ticks, in the view's pixel coordinates."""
        r = self._vb.boundingRect()
        if self._y_shown is None or r.height() <= 0:
            return
        lo, hi = self._y_shown
        levels = self._left.tickValues(lo, hi, r.height())
        ticks = levels[0][1] if levels else []
        ys = [r.top() + round((hi - v) / (hi - lo) * r.height()) + 0.5 for v in ticks if lo < v < hi]
        self._grid.set_lines(r, ys)

    def _auto_y(self, left: float) -> None:
        """Fit the value axis to the visible data, moving it only when data leaves it or shrinks a lot."""
        lo, hi = math.inf, -math.inf
        cap = self._capacity
        for s in self._series:
            if not s.count:
                continue
            start = (s.head - s.count) % cap
            xs = s.x[start : start + s.count]
            ys = s.y[start + int(np.searchsorted(xs, left)) : start + s.count]
            if ys.size and s.nonfinite < s.count:
                with np.errstate(invalid="ignore"):
                    a, b = (
                        np.nanmin(ys) if s.nonfinite else ys.min(),
                        np.nanmax(ys) if s.nonfinite else ys.max(),
                    )
                if math.isfinite(a) and math.isfinite(b):
                    lo, hi = min(lo, a), max(hi, b)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return
        cur = self._y_shown
        span = hi - lo
        if cur is not None and cur[0] <= lo and hi <= cur[1] and span >= 0.4 * (cur[1] - cur[0]):
            return
        if span == 0:
            span = abs(hi) or 1.0
        pad = 0.12 * span
        self._set_y(*_nice_range(lo - pad, hi + pad))

    # ---- look -----------------------------------------------------------------------

    def _line_width(self) -> int:
        return 2 if self._scale < 900 else 3

    def _apply_palette(self) -> None:
        self._plot.setBackground(theme.PANEL)
        for ax in (self._left, self._axis):
            ax.setPen(pg.mkPen(theme.EDGE))
            ax.setTextPen(pg.mkPen(theme.TEXT_DIM))
        self._overlay.fill = pg.mkBrush(theme.PANEL)
        self._grid.recolor()

    def restyle(self) -> None:
        self._apply_palette()
        self._style_ranges()
        for s in self._series:
            self._style_curve(s)
        super().restyle()
        self._state_changed()

    def _curve_color(self, s: _Series) -> QColor:
        if self._state == DataState.STALE:
            c = theme.blend(s.color, theme.PANEL, 0.55)
        elif self._state == DataState.OFFLINE:
            c = theme.blend(theme.OFFLINE_VALUE, theme.PANEL, 0.15)
        else:
            c = QColor(s.color)
        return theme.blend(c, theme.PANEL, 0.6) if s.faint else c

    def _style_curve(self, s: _Series) -> None:
        # opaque colours only: pyqtgraph then draws wide pens as fast line segments
        width = max(1, self._line_width() - 1) if s.faint else self._line_width()
        s.item.setPen(pg.mkPen(self._curve_color(s), width=width))
        s.item.setVisible(self._state != DataState.NO_DATA and s.visible)

    def _style_thresholds(self) -> None:
        font = theme.pixel_font(self._tick_px)
        for line in self._thresholds:
            pen = QPen(line.pen)
            pen.setWidth(max(1, self._line_width() - 1))
            line.setPen(pen)
            if getattr(line, "label", None) is not None:
                line.label.setFont(font)

    def _state_changed(self) -> None:
        for s in self._series:
            self._style_curve(s)
        self._show_overlay()

    def _show_overlay(self) -> None:
        state, note = self._state, self._note
        if state == DataState.LIVE or (state != DataState.NO_DATA and not note):
            self._overlay.hide()
            return
        if state == DataState.NO_DATA:
            self._overlay.setFont(theme.pixel_font(round(self._tick_px * 1.4)))
            self._overlay.setText(f"{DASH}  {note}" if note else DASH, color=theme.TEXT_DIM)
            self._overlay.setAnchor((0.5, 0.5))
        else:
            self._overlay.setFont(theme.pixel_font(self._tick_px))
            self._overlay.setText(note, color=self._note_color())
            self._overlay.setAnchor((0, 0))
        self._overlay.show()
        self._place_overlay()

    def _place_overlay(self) -> None:
        r = self._vb.boundingRect()
        if self._state == DataState.NO_DATA:
            self._overlay.setPos(r.center())
        else:
            self._overlay.setPos(QPointF(r.left() + 6, r.top() + 4))

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        s = min(w, 1.6 * h)
        self._scale = s
        pad = max(4.0, 0.018 * s)
        self._title_px = max(12, round(0.034 * s))
        self._tick_px = max(11, round(0.026 * s))
        self._title_font = theme.pixel_font(self._title_px)
        self._legend_font = theme.pixel_font(self._tick_px)
        header = round(self._title_px * 1.6)
        self._header_rect = QRectF(pad, pad * 0.6, w - 2 * pad, header)
        self._ranges_w = self._place_ranges(pad, header)
        top = round(pad * 0.6 + header)
        # with a range selector in the header, the legend gets a row of its own below it
        self._legend_rect = QRectF(pad, top, w - 2 * pad, round(self._tick_px * 1.5)) if self._ranges_w else None
        if self._legend_rect is not None:
            top += round(self._legend_rect.height())
        m = max(round(pad * 0.5), 2 * self._frame_width() + 2)  # clear of the thickest (stale) border
        self._plot.setGeometry(m, top, max(1, w - 2 * m), max(1, h - top - m))
        tick_font = theme.pixel_font(self._tick_px)
        for ax in (self._left, self._axis):
            ax.setTickFont(tick_font)
            ax.setStyle(
                tickLength=max(4, round(self._tick_px * 0.4)),
                tickTextOffset=max(3, round(self._tick_px * 0.3)),
            )
        # room for the labels; the value axis keeps autoExpandTextSpace on top of this
        self._axis.setHeight(round(self._tick_px * 1.9))
        self._left.setWidth(round(self._tick_px * 3.4))
        for se in self._series:
            self._style_curve(se)
        self._style_thresholds()
        self._show_overlay()

    def _cache_rect(self) -> QRect:
        # no pixmap: the plot is a child widget that repaints by itself, so the panel's
        # own paints (frame, title, legend) are rare full repaints
        return QRect()

    def _paint_static(self, p: QPainter) -> None:
        r = self._header_rect
        fm = QFontMetrics(self._title_font)
        lfm = QFontMetrics(self._legend_font)
        gap = self._tick_px
        sw = round(self._tick_px * 1.3)  # swatch length
        # legend: right-aligned entries, each a swatch and the series name (left-aligned in
        # a row of its own when the range selector holds the header's right end)
        own_row = self._legend_rect
        if self._ranges_w:
            r = QRectF(r.left(), r.top(), max(1.0, r.width() - self._ranges_w - gap), r.height())
        shown: dict[str, _Series] = {}
        for se in self._series:
            if se.visible:
                shown.setdefault(se.name, se)
        names = list(shown)
        title_w = (
            min(fm.horizontalAdvance(self._title), r.width() * (0.55 if names and own_row is None else 1.0))
            if self._title else 0
        )
        avail = own_row.width() if own_row is not None else r.width() - title_w - (gap * 2 if self._title else 0)
        entries: list[tuple[str, QColor]] = []
        if names:
            share = avail / len(names) - sw - gap * 1.5
            entries = [(elide(lfm, n, share), self._curve_color(se)) for n, se in shown.items()]
        legend_w = sum(sw + gap * 0.5 + lfm.horizontalAdvance(t) + gap for t, _ in entries)
        if self._title:
            title_room = r.width() - (legend_w + (gap if entries else 0) if own_row is None else 0)
            p.setFont(self._title_font)
            p.setPen(QColor(theme.NEUTRAL))
            p.drawText(
                r,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                elide(fm, self._title, title_room),
            )
        if self._state == DataState.NO_DATA:
            return
        if own_row is not None:
            r = own_row
            x = r.left()
        else:
            x = r.right() - legend_w + gap
        cy = r.center().y()
        p.setFont(self._legend_font)
        for text, color in entries:
            p.fillRect(QRectF(x, cy - 2, sw, 4), color)
            x += sw + gap * 0.5
            p.setPen(QColor(theme.TEXT_DIM))
            tw = lfm.horizontalAdvance(text)
            p.drawText(
                QRectF(x, r.top(), tw + 2, r.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            x += tw + gap

    # ---- Qt -------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and obj is self._plot.viewport():
            self._viewport_paints += 1
        elif event.type() == QEvent.Type.KeyPress and obj in self._range_buttons:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):  # ←/→ pick the neighbouring range
                i = self._range_buttons.index(obj)  # type: ignore[arg-type]
                j = max(0, min(len(self._range_buttons) - 1, i + (1 if key == Qt.Key.Key_Right else -1)))
                if j != i:
                    self._range_buttons[j].setFocus(Qt.FocusReason.TabFocusReason)
                    self._range_buttons[j].click()
                return True
        return False

    # ---- range selector -----------------------------------------------------------------

    def _on_range_clicked(self, i: int) -> None:
        self.range_chosen.emit(str(self._range_buttons[i].property("range_key")))

    def _style_ranges(self) -> None:
        if not self._range_buttons:
            return
        accent, dim, panel, edge = theme.ACCENT, theme.TEXT_DIM, theme.PANEL, theme.EDGE
        sheet = (
            f"QToolButton {{ color: {dim}; background: {panel}; border: 1px solid {edge}; border-radius: 3px;"
            f" padding: 0px 4px; }}"
            f"QToolButton:checked {{ color: {panel}; background: {accent}; border-color: {accent}; }}"
            f"QToolButton:focus {{ border: 2px solid {theme.TEXT}; }}"
        )
        for b in self._range_buttons:
            b.setStyleSheet(sheet)

    def _place_ranges(self, pad: float, header: float) -> float:
        """Lay the range buttons out right-aligned in the header; returns their width."""
        if not self._range_buttons:
            return 0.0
        font = theme.pixel_font(self._tick_px)
        fm = QFontMetrics(font)
        h = max(12, min(round(header * 0.9), round(self._tick_px * 1.6)))
        x = self.width() - pad
        top = round(pad * 0.6 + (header - h) / 2)
        for b in reversed(self._range_buttons):
            b.setFont(font)
            bw = fm.horizontalAdvance(b.text()) + round(self._tick_px * 0.9)
            x -= bw
            b.setGeometry(round(x), top, bw, h)
            x -= max(2, round(self._tick_px * 0.25))
        return self.width() - pad - x

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._dirty and not self._timer.isActive():
            self._timer.start()

    def plot_widget(self) -> pg.GraphicsView:
        """The wrapped pyqtgraph GraphicsView (for styling beyond this API; do not add items per frame).

        Its central item lays out a left ``AxisItem``, the ``ViewBox`` holding the curves and
        threshold lines, and the bottom time axis; it is not a PlotWidget (no PlotItem).
        """
        return self._plot


class _HGrid(QGraphicsItem):
    """Horizontal grid lines behind the curves: one opaque, 1 px drawLines call per paint."""

    def __init__(self, view: pg.ViewBox) -> None:
        super().__init__(view)
        self.setZValue(-100)  # above the view's background, below its curves
        self._rect = QRectF()
        self._lines: list[QLineF] = []
        self._pen = QPen(theme.blend(theme.EDGE, theme.PANEL, 0.15), 0)  # cosmetic, 1 px

    def recolor(self) -> None:
        self._pen = QPen(theme.blend(theme.EDGE, theme.PANEL, 0.15), 0)
        self.update()

    def set_lines(self, rect: QRectF, ys: list[float]) -> None:
        """Draw lines across rect at these y pixel positions."""
        lines = [QLineF(rect.left(), y, rect.right(), y) for y in ys]
        if rect == self._rect and lines == self._lines:
            return
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        self._lines = lines
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setPen(self._pen)
        p.drawLines(self._lines)


class _LocalTimeAxis(pg.DateAxisItem):
    """pyqtgraph's date axis in the zone of :mod:`widgets.clock` (the platform's, not the
    machine's) with numeric dates: 11-27, not "Fri 27"."""

    _NUMERIC = {DAY_SPACING: "%m-%d", MONTH_SPACING: "%Y-%m"}

    def tickValues(self, minVal: float, maxVal: float, size: float):  # noqa: N802
        try:
            self.utcOffset = clock.seconds_west(maxVal)  # ticks on the zone's hours and midnights
        except (OverflowError, OSError, ValueError):
            self.utcOffset = None  # type: ignore[assignment]  # pyqtgraph: None is the machine's zone
        return super().tickValues(minVal, maxVal, size)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        fmt = self._NUMERIC.get(spacing)
        if fmt is None:
            return super().tickStrings(values, scale, spacing)
        out = []
        for v in values:
            try:
                out.append(clock.fmt(v, fmt))
            except (OverflowError, OSError, ValueError):
                out.append("")
        return out


def _nice_range(lo: float, hi: float) -> tuple[float, float]:
    """Round a range outwards to a 1/2/5 step so the axis reads cleanly."""
    span = hi - lo
    step = 10 ** math.floor(math.log10(span / 5))
    for m in (1, 2, 5, 10):
        if span / (m * step) <= 6:
            step *= m
            break
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def _preview() -> None:
    from widgets._preview import run_preview

    now = time.time()
    ts = now - np.arange(3600)[::-1] * 1.0

    def make(state: DataState, note: str) -> TrendChart:
        c = TrendChart()
        c.set_title("印染开机率 · 1小时趋势")
        a = c.add_series("开机率 (%)")
        b = c.add_series("用水量 (吨)")
        c.set_window(3600)
        c.set_y_range(0, 100)
        c.add_threshold(90, "alarm", "告警 90")
        c.add_threshold(80, "warn")
        if state != DataState.NO_DATA:
            va = 60 + 20 * np.sin(ts / 300) + 5 * np.random.default_rng(1).standard_normal(len(ts))
            va[1500:1600] = np.nan
            c.set_history(a, ts, va)
            c.set_history(b, ts, 30 + 10 * np.cos(ts / 500))
        c.set_state(state, note)
        return c

    t = [now]

    def tick(charts: list) -> None:
        t[0] += 1
        charts[0].append(0, t[0], 60 + 20 * math.sin(t[0] / 300))
        charts[0].append(1, t[0], 30 + 10 * math.cos(t[0] / 500))

    run_preview("TrendChart preview", make, tick, columns=2, size=(1600, 900))

if __name__ == "__main__":
    _preview()
