"""One brain's tab: widgets laid out from the brain's layout file, or automatically.

With a layout file (``cockpit.brains.layout``) the tab is a grid of panels, each a
widget bound to metrics or to a snapshot panel. Without one, bounded metrics (with a
range) become gauges, counters number tiles, and headline metrics get a 24-hour trend
chart each (one unit per chart). A layout file that is wrong gives a notice across the
top of the tab, naming the file, line and problem, over the automatic layout.

The data live in the brain's UI model (``cockpit.ui.model.BrainModel``): a bound tab
(:meth:`BrainTab.bind_model`) draws what the model says when it changes (at most once per
frame) and decides each widget's state (live / stale / offline / no data) from the data's
age and the link. Nothing reads data out of a tab: rotation, export and the report read
the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cockpit.api.schema import Brain, Metric, Reading, Snapshot
from cockpit.brains.layout import Layout
from cockpit.hub.hub import HubStatus, LinkState, now_ms
from cockpit.ui import panels as pb
from cockpit.ui import trend_ranges
from cockpit.ui.factory import build_panel
from cockpit.ui.model import BrainModel, Change
from cockpit.ui.panels import Bound, MetricBound, StateInput, TabContext, metric_tooltip
from cockpit.ui.text import tr
from widgets.gauge import Gauge
from widgets.kpi_tile import KpiTile
from widgets.state import DataState
from widgets.trend_chart import TrendChart

STALE_AFTER_CADENCES = pb.STALE_AFTER_CADENCES
MAX_PER_ROW = 6  # tiles or gauges per row

Binding = MetricBound  # the name tests and the app know


@dataclass
class ChartBinding:
    """One metric drawn as one series of a trend chart."""

    metric: Metric
    chart: TrendChart
    series: int
    has_data: bool = False
    last_ts: int | None = None
    history: bool = False  # its history was loaded (live points alone are not a trend)
    ranged: bool = False  # its chart shows a chosen range (今日, 本月…), not the live 24 hours


def _split(n: int, per_row: int) -> int:
    """Columns for n items: at most per_row, rows balanced."""
    if n <= 0:
        return 1
    rows = math.ceil(n / per_row)
    return math.ceil(n / rows)


class BrainTab(QWidget):
    """The contents of one brain's tab."""

    def __init__(self, brain: Brain, lang: str = "zh", parent: QWidget | None = None, *,
                 layout: Layout | None = None, layout_error: str | None = None,
                 ctx: TabContext | None = None) -> None:
        super().__init__(parent)
        self.brain = brain
        self.lang = lang
        self.ctx = ctx or TabContext(lang=lang)
        self.layout_spec = layout
        self.layout_error = layout_error
        self.bindings: list[MetricBound] = []  # widgets showing one metric's value
        self.others: list[Bound] = []  # widgets fed by panels, alerts, the chain...
        self.charts: list[ChartBinding] = []
        self.ranges: list[trend_ranges.ChartRanges] = []  # each trend chart's range selector
        self.snapshot: Snapshot | None = None
        self.received_ms: int | None = None
        self.error: str | None = None
        self.problems: dict = {}  # part -> Problem: what the last answer left out or blanked
        self.from_cache = False  # the values shown came from the offline cache
        self.notice: QLabel | None = None
        self.model: BrainModel | None = None
        self.past_missing = False  # time travel to a moment the platform does not keep
        self._status: HubStatus | None = None  # the link as the last state refresh saw it
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        if layout_error:
            self.notice = QLabel(tr("layout_fallback", lang, e=layout_error))
            self.notice.setObjectName("layoutNotice")
            self.notice.setTextFormat(Qt.TextFormat.PlainText)
            self.notice.setWordWrap(True)
            outer.addWidget(self.notice)
        if layout is not None:
            self._build_layout(outer, layout)
        else:
            self._build_auto(outer)
        for b in self.bindings:
            b.lang = lang
            b.widget.set_state(DataState.NO_DATA, tr("waiting", lang))
        for o in self.others:
            o.set_state((DataState.NO_DATA, tr("waiting", lang)))

    # ---- layout from a file -------------------------------------------------------

    def _build_layout(self, outer: QVBoxLayout, layout: Layout) -> None:
        grid = QGridLayout()
        grid.setSpacing(8)
        for c in range(layout.columns):
            grid.setColumnStretch(c, 1)
            grid.setColumnMinimumWidth(c, 0)
        for r in range(layout.rows):
            grid.setRowStretch(r, 1)
            grid.setRowMinimumHeight(r, 0)
        for spec in layout.panels:
            w = build_panel(self, spec)
            w.setMinimumSize(1, 1)  # the grid decides sizes, not the widgets' hints
            grid.addWidget(w, spec.row, spec.col, spec.row_span, spec.col_span)
        outer.addLayout(grid, 1)

    # ---- automatic layout ---------------------------------------------------------

    def _build_auto(self, outer: QVBoxLayout) -> None:
        tiles = [m for m in self.brain.metrics if m.range is None]
        gauges = [m for m in self.brain.metrics if m.range is not None]
        headline = [m for m in self.brain.metrics if m.headline][:4]

        def add_row(widgets: Sequence[QWidget], cols: int, stretch: int) -> None:
            row = QHBoxLayout()
            row.setSpacing(8)
            for w in widgets:
                row.addWidget(w, 1)
            if len(widgets) < cols:  # a short last row keeps the cell width of the rows above
                row.addStretch(cols - len(widgets))
            outer.addLayout(row, stretch)

        for items, make, stretch in ((tiles, self.make_tile, 2), (gauges, self.make_gauge, 4)):
            cols = _split(len(items), MAX_PER_ROW)
            made = [make(m) for m in items]
            for start in range(0, len(made), cols):
                add_row(made[start:start + cols], cols, stretch)
        if headline:
            add_row([self.make_chart([m]) for m in headline], len(headline), 6)

    # ---- widget makers (also used by the layout factory) ----------------------------

    def make_tile(self, m: Metric, title: str | None = None) -> KpiTile:
        w = KpiTile()
        self.describe(w, m, title)
        w.set_up_is_good(m.up_is_good)
        w.set_change_label(tr("change_since_last", self.lang))  # not a 同比: say what it compares with
        self.bindings.append(MetricBound(m, w))
        return w

    def make_gauge(self, m: Metric, title: str | None = None) -> Gauge:
        w = Gauge()
        self.describe(w, m, title)
        if m.range is not None:
            w.set_range(*m.range)
        th = m.thresholds
        w.set_thresholds(th.warn_low, th.warn_high, th.alarm_low, th.alarm_high)
        self.bindings.append(MetricBound(m, w))
        return w

    def make_chart(self, metrics: list[Metric], title: str | None = None, hours: float = 24) -> TrendChart:
        lang = self.lang
        chart = TrendChart()
        first = metrics[0]
        if title is None:
            title = tr("trend", lang, name=first.name.pick(lang)) if len(metrics) == 1 else tr(
                "trend", lang, name=" / ".join(m.name.pick(lang) for m in metrics))
        chart.set_title(title)
        chart.set_window(hours * 3600)
        for m in metrics:
            idx = chart.add_series(f"{m.name.pick(lang)} ({m.unit.pick(lang)})")
            self.charts.append(ChartBinding(m, chart, idx))
        if len(metrics) == 1:
            th = first.thresholds
            for value, color in ((th.alarm_high, "alarm"), (th.warn_high, "warn"),
                                 (th.warn_low, "warn"), (th.alarm_low, "alarm")):
                if value is not None:
                    chart.add_threshold(value, color)
        ranges = {m.range for m in metrics}
        if len(ranges) == 1 and first.range is not None:
            chart.set_y_range(*first.range)
        chart.setToolTip("\n\n".join(metric_tooltip(m, lang) for m in metrics))
        chart.set_state(DataState.NO_DATA, tr("waiting", lang))
        self.ranges.append(trend_ranges.attach(self, chart, metrics))
        return chart

    def clock_ms(self) -> int:
        """Now, as the tab's ranges count it."""
        return now_ms()

    def refresh_chart_state(self) -> None:
        """The charts' states again now (a chart came back from a range to the live 24 hours)."""
        if self._status is not None:
            self.refresh_states(now_ms(), self._status)

    def describe(self, w: QWidget, m: Metric, title: str | None = None) -> None:
        """Title, unit, precision and the hover text (scope, source, cadence) of a metric widget."""
        w.set_title(title or m.name.pick(self.lang))  # type: ignore[attr-defined]
        w.set_unit(m.unit.pick(self.lang))  # type: ignore[attr-defined]
        w.set_precision(m.precision)  # type: ignore[attr-defined]
        w.setObjectName(m.id)
        w.setToolTip(metric_tooltip(m, self.lang))

    # ---- data -------------------------------------------------------------------

    def bind_model(self, model: BrainModel) -> None:
        """Show this brain's model: what it holds now, then every change (once per frame)."""
        self.model = model
        model.track(m.id for m in self.history_metrics())
        model.changed.connect(self._on_model)
        self._on_model(Change(snapshot=True, history=True, error=True, cursor=not model.live))

    def _on_model(self, change: Change) -> None:
        m = self.model
        if m is None:
            return
        if change.error:
            self.error = m.error
        if not m.live:  # time travel: the moment at the cursor, live updates wait
            if change.cursor:
                for r in self.ranges:  # every chart shows the 24 hours before the moment
                    if r.ranged:
                        r.back_to_live()
            if change.cursor or change.history:
                for c in self.charts:
                    c.chart.set_history(c.series, *m.shown_series(c.metric.id))
            if change.cursor:
                self.past_missing = m.past_snapshot is None
                if m.past_snapshot is not None:
                    self.apply_snapshot(m.past_snapshot, m.past_snapshot.ts)
            return
        if change.cursor:  # back to live: the live history and snapshot again
            self.past_missing = False
            for c in self.charts:
                c.chart.set_history(c.series, *m.series(c.metric.id))
            change = Change(snapshot=True)
        if change.history and m.history_loaded:
            self.draw_history({mid: m.series(mid) for mid in {c.metric.id for c in self.charts}
                               if mid in m.history_loaded})
        elif change.history and m.history_absent:
            self.draw_history({})  # no history kept: the trends count with their live points
        if change.snapshot and m.snapshot is not None and m.received_ms is not None:
            self.problems = m.problems
            self.apply_snapshot(m.snapshot, m.received_ms, m.from_cache)
            if self._status is not None and self.isVisible():  # states with the values, not at the next tick
                self.refresh_states(now_ms(), self._status)

    def apply_snapshot(self, snap: Snapshot, received_ms: int, cached: bool = False) -> None:
        """Show a snapshot: values into widgets, headline points onto charts.

        ``cached``: it comes from the offline cache, not from the API; shown with its age
        until a live one arrives.
        """
        self.snapshot = snap
        self.received_ms = received_ms
        self.from_cache = cached
        for b in self.bindings:
            b.apply(snap)
        for o in self.others:
            if isinstance(o, pb.PanelBound) and f"panel:{o.panel_id}" in self.problems:
                o.blank()  # a panel that broke the contract: blank, marked (never the old figures)
            else:
                o.apply(snap)
        for c in self.charts:
            if c.ranged:
                continue  # a chosen range: its points come from its own loads
            if self.model is not None and not self.model.live:
                c.has_data = c.has_data or bool(c.chart.series_data(c.series)[0].size)
                continue  # the past: the charts hold the history up to the cursor
            if self.model is not None:  # every point since the last frame, not only the newest
                for t, v in self.model.points_after(c.metric.id, None if c.last_ts is None else c.last_ts / 1000):
                    c.last_ts = round(t * 1000)
                    c.chart.append(c.series, t, v)
                    c.has_data = c.has_data or v == v
                continue
            r = snap.values.get(c.metric.id)
            if r is not None and (c.last_ts is None or r.ts > c.last_ts):
                c.last_ts = r.ts
                c.chart.append(c.series, r.ts / 1000, r.value)
                c.has_data = c.has_data or r.value is not None

    def other_alerts_changed(self) -> None:
        """Some brain's alerts or their handling changed: the alert tickers show them now
        (each redraws only if what it lists changed)."""
        if self.snapshot is None:
            return
        for o in self.others:
            if getattr(o, "scope", None) is not None:
                o.apply(self.snapshot)

    def load_history(self, data: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """History for the charts (from the cache or the API): into the brain's model when the
        tab is bound to one (every window's tab then draws it), else drawn here."""
        if self.model is not None:
            self.model.set_history(data)
            return
        self.draw_history(data)

    def no_history(self) -> None:
        """The platform keeps no history: the trends draw (and count with) live points only."""
        if self.model is not None:
            self.model.mark_history_absent()
            return
        self.draw_history({})

    def draw_history(self, data: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Replace the charts' points with history (epoch-second timestamps, NaN gaps),
        keeping the newest live reading if the history ends before it. An empty ``data``:
        the platform keeps no history (the charts draw live points only)."""
        for c in self.charts:
            c.history = c.history or not data
            if c.metric.id not in data or c.ranged:
                continue
            c.history = True
            ts, vals = data[c.metric.id]
            if not len(ts):
                continue
            c.chart.set_history(c.series, ts, vals)
            newest = int(ts[-1] * 1000)
            r = self.snapshot.values.get(c.metric.id) if self.snapshot else None
            if r is not None and r.ts > newest:
                c.chart.append(c.series, r.ts / 1000, r.value)
                newest = r.ts
            c.last_ts = max(c.last_ts or 0, newest)
            c.has_data = c.has_data or bool(np.isfinite(vals).any())

    def history_metrics(self) -> list[Metric]:
        """The metrics whose history the charts show (each once)."""
        seen: dict[str, Metric] = {}
        for c in self.charts:
            seen.setdefault(c.metric.id, c.metric)
        return list(seen.values())

    def set_error(self, error: str | None) -> None:
        self.error = error

    def state_input(self, now_ms: int, status: HubStatus) -> StateInput:
        return StateInput(now_ms, status.state == LinkState.OFFLINE, self.from_cache, self.error,
                          self.snapshot, self.received_ms, self.lang, self.problems)

    def refresh_states(self, now_ms: int, status: HubStatus) -> None:
        """Re-derive every widget's state from data ages and the link; cheap, 1 Hz."""
        self._status = status
        lang = self.lang
        if self.model is not None and not self.model.live:
            if self.past_missing:  # never invented: every widget says the moment is not kept
                note = tr("past_missing", lang)
                for b in self.bindings:
                    b.state = (DataState.NO_DATA, note)
                    b.widget.set_state(DataState.NO_DATA, note)
                for o in self.others:
                    o.set_state((DataState.NO_DATA, note))
                for c in self.charts:
                    c.chart.set_state(DataState.NO_DATA, note)
                return
            # the ages as they were at that moment, not growing while the cursor stands
            now_ms = self.received_ms or now_ms
            status = HubStatus(LinkState.LIVE)
        si = self.state_input(now_ms, status)
        for b in self.bindings:
            state = b.compute_state(si)
            if state != b.state:
                b.state = state
                b.widget.set_state(*state)
        for o in self.others:
            o.set_state(o.compute_state(si))
        ranged = {id(cr.chart): cr for cr in self.ranges if cr.ranged}
        for cr in ranged.values():
            cr.tick(now_ms)
            cr.chart.set_state(*cr.state)
        for c in self.charts:
            if id(c.chart) in ranged:
                continue
            r = self.snapshot.values.get(c.metric.id) if self.snapshot else None
            bad = pb.problem_state(si, f"metric:{c.metric.id}")
            if bad is not None:
                state = bad
            elif not c.has_data and r is None:
                state = (DataState.NO_DATA, tr("waiting", lang) if not si.offline else tr("no_data", lang))
            else:
                state = self._state_for(r, c.metric, now_ms, si.offline)
                if state[0] == DataState.NO_DATA and c.has_data:
                    state = (DataState.LIVE, "")
            c.chart.set_state(*state)

    def _state_for(self, r: Reading | None, m: Metric, now_ms: int, offline: bool) -> tuple[DataState, str]:
        si = StateInput(now_ms, offline, self.from_cache, self.error, self.snapshot, self.received_ms, self.lang,
                        self.problems)
        return pb.reading_state(r, m, si)

    def provenance_notes(self) -> list[tuple[str, str]]:
        """(figure, where it comes from) for every widget of the tab that has a hover text
        (scope, source, cadence): what an export lists after the picture."""
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        widgets = [b.widget for b in self.bindings] + [o.widget for o in self.others] + [c.chart for c in self.charts]
        for w in widgets:
            text = w.toolTip()
            if not text or text in seen:
                continue
            seen.add(text)
            for block in text.split("\n\n"):  # a chart of several metrics: one block each
                head, _, rest = block.partition("\n")
                if rest:
                    out.append((head, rest))
        return out

    # ---- checks for --screenshot / --report ------------------------------------

    def widget_count(self) -> int:
        charts = {id(c.chart) for c in self.charts}
        return len(self.bindings) + len(charts) + len(self.others)

    def widgets_with_data(self) -> int:
        n = sum(1 for b in self.bindings if b.has_data())
        # a trend has data once its history is there: one live point is not yet a trend
        with_data = {id(c.chart) for c in self.charts if c.has_data and c.history}
        return n + len(with_data) + sum(1 for o in self.others if o.has_data())
