"""One brain's tab: widgets laid out automatically from the catalog, fed by snapshots.

Bounded metrics (with a range) become gauges, counters become number tiles, headline
metrics get a 24-hour trend chart each (one axis, one unit per chart: a chart never mixes
units). The tab keeps no copy of the data beyond what each widget shows; it decides each
widget's state (live / stale / offline / no data) from the reading's age and the link.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from cockpit.api.schema import Brain, Metric, Reading, Snapshot
from cockpit.hub.hub import HubStatus, LinkState
from cockpit.ui.text import stamp, tr
from widgets.gauge import Gauge
from widgets.kpi_tile import KpiTile
from widgets.state import DataState
from widgets.trend_chart import TrendChart

STALE_AFTER_CADENCES = 3  # a reading older than this many expected updates is stale
MAX_PER_ROW = 6  # tiles or gauges per row


@dataclass
class Binding:
    """One widget bound to one metric."""

    metric: Metric
    widget: Gauge | KpiTile
    state: tuple[DataState, str] | None = None
    reading_ts: int | None = None


@dataclass
class ChartBinding:
    metric: Metric
    chart: TrendChart
    series: int
    has_data: bool = False
    last_ts: int | None = None


def _split(n: int, per_row: int) -> int:
    """Columns for n items: at most per_row, rows balanced."""
    if n <= 0:
        return 1
    rows = math.ceil(n / per_row)
    return math.ceil(n / rows)


class BrainTab(QWidget):
    """The contents of one brain's tab."""

    def __init__(self, brain: Brain, lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.brain = brain
        self.lang = lang
        self.bindings: list[Binding] = []
        self.charts: list[ChartBinding] = []
        self.snapshot: Snapshot | None = None
        self.received_ms: int | None = None
        self.error: str | None = None
        self.from_cache = False  # the values shown came from the offline cache
        self._build()

    # ---- layout -----------------------------------------------------------------

    def _build(self) -> None:
        lang = self.lang
        tiles = [m for m in self.brain.metrics if m.range is None]
        gauges = [m for m in self.brain.metrics if m.range is not None]
        headline = [m for m in self.brain.metrics if m.headline][:4]
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)

        def add_row(widgets: Sequence[QWidget], cols: int, stretch: int) -> None:
            row = QHBoxLayout()
            row.setSpacing(8)
            for w in widgets:
                row.addWidget(w, 1)
            if len(widgets) < cols:  # a short last row keeps the cell width of the rows above
                row.addStretch(cols - len(widgets))
            outer.addLayout(row, stretch)

        for items, make, stretch in ((tiles, self._make_tile, 2), (gauges, self._make_gauge, 4)):
            cols = _split(len(items), MAX_PER_ROW)
            made = []
            for m in items:
                w = make(m)
                self.bindings.append(Binding(m, w))
                made.append(w)
            for start in range(0, len(made), cols):
                add_row(made[start:start + cols], cols, stretch)
        if headline:
            charts = []
            for m in headline:
                chart = TrendChart()
                chart.set_title(tr("trend", lang, name=m.name.pick(lang)))
                idx = chart.add_series(f"{m.name.pick(lang)} ({m.unit.pick(lang)})")
                chart.set_window(24 * 3600)
                th = m.thresholds
                for value, color in ((th.alarm_high, "alarm"), (th.warn_high, "warn"),
                                     (th.warn_low, "warn"), (th.alarm_low, "alarm")):
                    if value is not None:
                        chart.add_threshold(value, color)
                if m.range is not None:
                    chart.set_y_range(*m.range)
                chart.set_state(DataState.NO_DATA, tr("waiting", lang))
                self.charts.append(ChartBinding(m, chart, idx))
                charts.append(chart)
            add_row(charts, len(charts), 6)
        for b in self.bindings:
            b.widget.set_state(DataState.NO_DATA, tr("waiting", lang))

    def _make_tile(self, m: Metric) -> KpiTile:
        w = KpiTile()
        self._describe(w, m)
        return w

    def _make_gauge(self, m: Metric) -> Gauge:
        w = Gauge()
        self._describe(w, m)
        assert m.range is not None
        w.set_range(*m.range)
        th = m.thresholds
        w.set_thresholds(th.warn_low, th.warn_high, th.alarm_low, th.alarm_high)
        return w

    def _describe(self, w: Gauge | KpiTile, m: Metric) -> None:
        w.set_title(m.name.pick(self.lang))
        w.set_unit(m.unit.pick(self.lang))
        w.set_precision(m.precision)
        w.setObjectName(m.id)
        w.setToolTip(f"{m.name.pick(self.lang)} ({m.id})")

    # ---- data -------------------------------------------------------------------

    def apply_snapshot(self, snap: Snapshot, received_ms: int, cached: bool = False) -> None:
        """Show a snapshot: values into widgets, headline points onto charts.

        ``cached``: it comes from the offline cache, not from the API; shown with its age
        until a live one arrives.
        """
        self.snapshot = snap
        self.received_ms = received_ms
        self.from_cache = cached
        for b in self.bindings:
            r = snap.values.get(b.metric.id)
            if r is not None and r.ts != b.reading_ts:
                b.reading_ts = r.ts
                b.widget.set_value(r.value)
        for c in self.charts:
            r = snap.values.get(c.metric.id)
            if r is not None and (c.last_ts is None or r.ts > c.last_ts):
                c.last_ts = r.ts
                c.chart.append(c.series, r.ts / 1000, r.value)
                c.has_data = c.has_data or r.value is not None

    def load_history(self, data: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Replace the charts' points with history (epoch-second timestamps, NaN gaps),
        keeping the newest live reading if the history ends before it."""
        for c in self.charts:
            if c.metric.id not in data:
                continue
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

    def set_error(self, error: str | None) -> None:
        self.error = error

    def refresh_states(self, now_ms: int, status: HubStatus) -> None:
        """Re-derive every widget's state from reading ages and the link; cheap, 1 Hz."""
        lang = self.lang
        offline = status.state == LinkState.OFFLINE
        for b in self.bindings:
            r = self.snapshot.values.get(b.metric.id) if self.snapshot else None
            state = self._state_for(r, b.metric, now_ms, offline)
            if state != b.state:
                b.state = state
                b.widget.set_state(*state)
        for c in self.charts:
            r = self.snapshot.values.get(c.metric.id) if self.snapshot else None
            if not c.has_data and r is None:
                state = (DataState.NO_DATA, tr("waiting", lang) if not offline else tr("no_data", lang))
            else:
                state = self._state_for(r, c.metric, now_ms, offline)
                if state[0] == DataState.NO_DATA and c.has_data:
                    state = (DataState.LIVE, "")
            c.chart.set_state(*state)

    def _state_for(self, r: Reading | None, m: Metric, now_ms: int, offline: bool) -> tuple[DataState, str]:
        lang = self.lang
        if r is None or r.value is None:
            return DataState.NO_DATA, tr("no_data", lang)
        when = stamp(r.ts)
        if offline:
            return DataState.OFFLINE, tr("offline_note", lang, t=when)
        if self.from_cache:  # connecting: the cache's values until the API answers
            return DataState.STALE, tr("cached_note", lang, t=when)
        if self.error:
            return DataState.STALE, tr("bad_note", lang, t=when)
        assert self.snapshot is not None and self.received_ms is not None
        # age on the server's clock at snapshot time plus local time since receipt:
        # immune to a skew between the two clocks
        age_ms = (self.snapshot.ts - r.ts) + (now_ms - self.received_ms)
        limit_s = m.stale_after_s if m.stale_after_s is not None else STALE_AFTER_CADENCES * m.cadence_s + 1
        if age_ms > limit_s * 1000:
            return DataState.STALE, tr("stale_note", lang, t=when)
        return DataState.LIVE, ""

    # ---- checks for --screenshot / --report ------------------------------------

    def widget_count(self) -> int:
        return len(self.bindings) + len(self.charts)

    def widgets_with_data(self) -> int:
        n = sum(1 for b in self.bindings if b.widget.value() is not None)
        return n + sum(1 for c in self.charts if c.has_data)
