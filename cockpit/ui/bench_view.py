"""Benchmark mode: the peer-benchmark wall workload, fed by the embedded central API.

Shows exactly the workload of ``../shared/bench/peer/spec.json`` (KPI tiles, gauges, line
charts with N points each, at the spec's canvas size) with the same cell geometry as the
peer programs, but through the real cockpit stack: simulator → HTTP → client → hub →
widgets. Prints the marker protocol of the peer monitor:

* ``BENCH_START`` after ``warmup_s`` seconds of live data;
* ``BENCH_END ticks=… updates_rendered=… first_frame_ms=…`` after ``duration_s`` more.

An update counts as rendered when every panel painted after it and before the next one.
"""

from __future__ import annotations

import math
import os
import sys
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from cockpit import memory
from cockpit.api.schema import Catalog
from cockpit.hub.hub import BrainUpdate, Hub
from cockpit.process import process_age_ms
from widgets.gauge import Gauge
from widgets.kpi_tile import KpiTile
from widgets.state import DataState
from widgets.theme import BACKGROUND
from widgets.trend_chart import TrendChart


def cells(spec: dict) -> list[tuple[str, int, int, int, int, int]]:
    """The peer benchmark's layout (same as qt_floor.py / dashboard.js)."""
    w_px, h_px = spec["canvas"]
    out, pad = [], 8
    kh = 240 if spec["kpi_tiles"] else 0
    gc = min(6, spec["gauges"]) or 1
    gr = math.ceil(spec["gauges"] / gc)
    gh = 440
    lc = min(4, spec["line_charts"]) or 1
    lr = math.ceil(spec["line_charts"] / lc)
    lh = (h_px - kh - gr * gh) / max(lr, 1)

    def put(kind: str, i: int, x: float, y: float, w: float, h: float) -> None:
        out.append((kind, i, round(x + pad / 2), round(y + pad / 2), round(w - pad), round(h - pad)))

    for i in range(spec["kpi_tiles"]):
        put("kpi", i, i * w_px / spec["kpi_tiles"], 0, w_px / spec["kpi_tiles"], kh)
    for j in range(spec["gauges"]):
        put("gauge", j, (j % gc) * w_px / gc, kh + (j // gc) * gh, w_px / gc, gh)
    for i in range(spec["line_charts"]):
        put("line", i, (i % lc) * w_px / lc, kh + gr * gh + (i // lc) * lh, w_px / lc, lh)
    return out


class BenchWindow(QWidget):
    """The benchmark wall: fixed canvas, panels bound to the ``bench`` brain's metrics."""

    def __init__(self, spec: dict, hub: Hub, owner) -> None:
        super().__init__()
        self.spec = spec
        self.hub = hub
        self.owner = owner
        self.setWindowTitle("cockpit bench")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor(BACKGROUND))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        self.setFixedSize(*spec["canvas"])
        self.tiles: list[KpiTile] = []
        self.gauges: list[Gauge] = []
        self.charts: list[TrendChart] = []
        window_s = spec["points_per_chart"] / spec["rate_hz"]
        for kind, i, x, y, w, h in cells(spec):
            wd: QWidget
            if kind == "kpi":
                tile = wd = KpiTile(self)
                tile.set_title(f"KPI {i + 1}")
                tile.set_precision(0)
                self.tiles.append(tile)
            elif kind == "gauge":
                gauge = wd = Gauge(self)
                gauge.set_title(f"Gauge {i + 1}")
                gauge.set_range(0, 100)
                gauge.set_precision(1)
                self.gauges.append(gauge)
            else:
                chart = wd = TrendChart(self)
                chart.set_title(f"Line {i + 1}")
                chart.add_series(f"Line {i + 1}")
                chart.set_window(window_s)
                chart.set_y_range(0, 100)
                self.charts.append(chart)
            wd.setGeometry(x, y, w, h)
        self.panels: list = self.tiles + self.gauges + self.charts
        self.first_frame_ms: float | None = None
        self.first_data_ms: float | None = None
        self.ticks = 0
        self.rendered = 0
        self.measuring = False
        self._ending = False
        self._marks: list[int] | None = None
        self._last_ts: int | None = None
        self._history_loaded = False
        hub.on_catalog(self._on_catalog)
        hub.on_update(self._on_update)

    # ---- data -------------------------------------------------------------------

    def _on_catalog(self, catalog: Catalog) -> None:
        if catalog.brain("bench") is None:
            print("bench: the embedded API has no bench brain", file=sys.stderr)
            return
        self.owner.spawn(self._load_history())

    async def _load_history(self) -> None:
        spec = self.spec
        n = spec["points_per_chart"]
        step = max(1, round(1 / spec["rate_hz"]))
        until = int(time.time()) * 1000
        since = until - n * step * 1000
        # one request per chart: the parsed payload of all eight at once would leave
        # about 10 MB of freed-but-resident memory behind (measured)
        for i, chart in enumerate(self.charts):
            resp = await self.hub.fetch_series([f"bench.l{i + 1:02d}"], since, until, step)
            ts, vals = resp.series[0].arrays()
            chart.set_history(0, ts, vals)
        self._history_loaded = True
        memory.release()

    def _on_update(self, update: BrainUpdate) -> None:
        snap = update.snapshot
        if self._ending or (self._last_ts is not None and snap.ts <= self._last_ts):
            return
        self._check_previous()
        self._last_ts = snap.ts
        values = snap.values
        valued: list[KpiTile | Gauge] = [*self.tiles, *self.gauges]
        before = [p.value() for p in valued]
        for i, tile in enumerate(self.tiles):
            r = values.get(f"bench.k{i + 1:02d}")
            tile.set_value(r.value if r else None)
        for j, g in enumerate(self.gauges):
            r = values.get(f"bench.g{j + 1:02d}")
            g.set_value(r.value if r else None)
        for i, chart in enumerate(self.charts):
            r = values.get(f"bench.l{i + 1:02d}")
            if r is not None:
                chart.append(0, r.ts / 1000, r.value)
        for p in self.panels:
            p.set_state(DataState.LIVE)
        # only updates that arrive inside the measured window are judged; a tile or gauge
        # whose value did not change has nothing to paint (-1: no paint required)
        changed = [p.value() != b for p, b in zip(valued, before, strict=True)]
        changed += [True] * len(self.charts)
        self._marks = ([p.paint_count if c else -1 for p, c in zip(self.panels, changed, strict=True)]
                       if self.measuring else None)
        if self.measuring:
            self.ticks += 1
        if self.first_data_ms is None and self._history_loaded:
            self.first_data_ms = process_age_ms()
            self._start_clock()

    def _check_previous(self) -> None:
        if self.measuring and self._marks is not None:
            if all(p.paint_count > m for p, m in zip(self.panels, self._marks, strict=True)):
                self.rendered += 1
            elif os.environ.get("COCKPIT_BENCH_DEBUG"):
                late = [i for i, (p, m) in enumerate(zip(self.panels, self._marks, strict=True)) if p.paint_count <= m]
                print(f"bench: not painted: panels {late}", file=sys.stderr, flush=True)
        self._marks = None

    # ---- measurement ------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if self.first_frame_ms is None:
            self.first_frame_ms = process_age_ms()

    def _start_clock(self) -> None:
        spec = self.spec
        QTimer.singleShot(round(spec["warmup_s"] * 1000), self._start)
        QTimer.singleShot(round((spec["warmup_s"] + spec["duration_s"]) * 1000), self._end)

    def _start(self) -> None:
        self.measuring = True
        self.ticks = self.rendered = 0
        self._cpu0 = time.process_time()
        print(f"BENCH_START window={self.width()}x{self.height()}", flush=True)

    def _end(self) -> None:
        # the last update arrived moments ago: give it a frame to paint before judging it
        self._ending = True
        QTimer.singleShot(250, self._report)

    def _report(self) -> None:
        self._check_previous()
        self.measuring = False
        cpu = time.process_time() - self._cpu0
        print(f"BENCH_END ticks={self.ticks} updates_rendered={self.rendered} "
              f"first_frame_ms={self.first_frame_ms or -1:.0f} first_data_ms={self.first_data_ms or -1:.0f} "
              f"self_cpu_s={cpu:.2f}", flush=True)
        QTimer.singleShot(1000, self._finish)

    def _finish(self) -> None:
        shot = self.owner.args.screenshot
        if shot:
            self.grab().save(str(shot))
        self.owner.request_quit()
