"""Benchmark mode: the peer-benchmark wall workload, fed by the embedded central API.

Shows exactly the workload of ``../shared/bench/peer/spec.json`` (KPI tiles, gauges, line
charts with N points each, at the spec's canvas size) with the same cell geometry as the
peer programs, but through the real cockpit stack a user runs: simulator → HTTP push
stream at the spec's ``rate_hz`` (:mod:`cockpit.central.bench_stream`) → client → hub →
widgets, with the offline cache on (every update written through to the cache file; at
start the last values and the charts' window are painted from the cache before any
network). Prints the marker protocol of the peer monitor:

* ``BENCH_START`` after ``warmup_s`` seconds of live data;
* ``BENCH_END ticks=… updates_rendered=… expected=… first_frame_ms=… first_cached_frame_ms=…``
  after ``duration_s`` more.

An update counts as rendered (shown) when every panel it changed painted after it and
before the next update arrived. ``ticks`` counts the updates that arrived in the window;
``expected`` is ``rate_hz × duration_s`` (an update the stream never delivered is missing
from both ``ticks`` and ``updates_rendered``). The phases follow an injectable clock.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from cockpit import memory
from cockpit.process import process_age_ms
from widgets.gauge import Gauge
from widgets.kpi_tile import KpiTile
from widgets.state import DataState
from widgets.theme import BACKGROUND
from widgets.trend_chart import TrendChart

if TYPE_CHECKING:  # the first frame from the cache needs neither (pydantic, requests: imported after it)
    from cockpit.api.schema import Catalog, Snapshot
    from cockpit.hub.hub import BrainUpdate, Hub

Points = tuple[np.ndarray, np.ndarray]


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
    """The benchmark wall: fixed canvas, panels bound to the ``bench`` brain's metrics.

    ``clock``: monotonic seconds deciding warm-up and the measured window (tests inject
    one); ``cache``: the app's :class:`~cockpit.cache.CacheWorker` (None: no cache)."""

    def __init__(self, spec: dict, hub: Hub | None, owner, cache=None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.spec = spec
        self.hub: Hub | None = None
        self.owner = owner
        self.cache = cache
        self.clock = clock
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
        self.window_s = spec["points_per_chart"] / spec["rate_hz"]
        # the ring holds the window: points_per_chart live points (plus the coarser history)
        capacity = spec["points_per_chart"] + 16
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
                chart = wd = TrendChart(self, capacity=capacity)
                chart.set_title(f"Line {i + 1}")
                chart.add_series(f"Line {i + 1}")
                chart.set_window(self.window_s)
                chart.set_y_range(0, 100)
                self.charts.append(chart)
            wd.setGeometry(x, y, w, h)
        self.panels: list = self.tiles + self.gauges + self.charts
        self.first_frame_ms: float | None = None
        self.first_cached_frame_ms: float | None = None  # the first frame showing the cache's values
        self.first_data_ms: float | None = None
        self.expected = round(spec["rate_hz"] * spec["duration_s"])
        self.ticks = 0
        self.rendered = 0
        self.measuring = False
        self.judge_delay_ms = 250  # after the window: the last update gets a frame to paint
        self._ending = False
        self._ended = False
        self._live_at: float | None = None  # clock at the first live update after the history
        self._marks: list[int] | None = None
        self._last_ts: int | None = None
        self._history_loaded = False
        self._cached_shown = False
        self._cpu0 = 0.0
        self._started_at = 0.0
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(100)
        self._clock_timer.timeout.connect(self.check_clock)
        if hub is not None:
            self.attach(hub)

    def attach(self, hub: Hub) -> None:
        """Follow ``hub`` (the app makes it after the first frame from the cache)."""
        self.hub = hub
        hub.on_catalog(self._on_catalog)
        hub.on_update(self._on_update)

    @property
    def cached(self) -> bool:
        """The cache had values to show."""
        return self._cached_shown

    # ---- data -------------------------------------------------------------------

    def metric_ids(self) -> tuple[list[str], list[str], list[str]]:
        """(tile, gauge, chart) metric ids, in panel order."""
        return ([f"bench.k{i + 1:02d}" for i in range(len(self.tiles))],
                [f"bench.g{j + 1:02d}" for j in range(len(self.gauges))],
                [f"bench.l{i + 1:02d}" for i in range(len(self.charts))])

    def _chart_span(self) -> tuple[int, int]:
        """(since, until) ms of the charts' window read from the cache at start."""
        until = int(time.time() * 1000)
        return until - int(self.window_s * 1000), until + 1

    async def paint_from_cache(self) -> bool:
        """Start: the cache's last bench snapshot and chart window, before any network.

        True when there was something to show; the next frame is the first with cached values."""
        if self.cache is None:
            return False
        snaps = await self.cache.load_snapshots()
        if "bench" not in snaps:
            return False
        snap, _received = snaps["bench"]
        _tiles, _gauges, lines = self.metric_ids()
        data = await self.cache.points_many(lines, *self._chart_span())
        self._paint_cached(_values(snap), data)
        return True

    def paint_from_file(self, path: Path) -> bool:
        """Start: as :meth:`paint_from_cache`, read from the cache file with plain ``sqlite3``
        (read-only) before the cache's store is opened, so the first frame waits for neither
        SQLAlchemy nor pydantic. False (nothing shown) when the file cannot be read so: the
        caller then opens the store and uses :meth:`paint_from_cache`."""
        import sqlite3

        from cockpit.cache.files import CachePeek

        peek = CachePeek.open(path)
        if peek is None:
            return False
        try:
            values = peek.snapshot_values("bench")
            if values is None:
                return False
            _tiles, _gauges, lines = self.metric_ids()
            since, until = self._chart_span()
            data = {mid: peek.points(mid, since, until) for mid in lines}
        except sqlite3.Error:
            return False
        finally:
            peek.close()
        self._paint_cached(values, data)
        return True

    async def confirm_cached(self) -> None:
        """After a first frame from :meth:`paint_from_file`, once the store is open: its own
        read of the snapshot, checked against the contract. A snapshot it rejects is taken
        off the screen (as if the cache had had none)."""
        if not self._cached_shown or self.cache is None:
            return
        if "bench" in await self.cache.load_snapshots():
            return
        self._cached_shown = False
        self._set_values({})
        for chart in self.charts:
            chart.set_history(0, np.empty(0), np.empty(0))
        for p in self.panels:
            p.set_state(DataState.NO_DATA)
        print("bench: the cached snapshot does not fit the contract; not shown", file=sys.stderr)

    def _paint_cached(self, values: Mapping[str, float | None], data: Mapping[str, Points]) -> None:
        self._set_values(values)
        _tiles, _gauges, lines = self.metric_ids()
        for chart, mid in zip(self.charts, lines, strict=True):
            ts, vals = data.get(mid, (np.empty(0), np.empty(0)))
            if len(ts):
                chart.set_history(0, ts, vals)
        for p in self.panels:
            p.set_state(DataState.STALE)
        self._cached_shown = True
        self.update()

    def _set_values(self, values: Mapping[str, float | None]) -> None:
        tiles, gauges, _lines = self.metric_ids()
        for tile, mid in zip(self.tiles, tiles, strict=True):
            tile.set_value(values.get(mid))
        for g, mid in zip(self.gauges, gauges, strict=True):
            g.set_value(values.get(mid))

    def _on_catalog(self, catalog: Catalog) -> None:
        if catalog.brain("bench") is None:
            print("bench: the embedded API has no bench brain", file=sys.stderr)
            return
        self.owner.spawn(self._load_history())

    async def _load_history(self) -> None:
        spec = self.spec
        step = max(1, round(1 / spec["rate_hz"]))
        until = int(time.time()) * 1000
        since = until - int(self.window_s * 1000)
        # one request per chart: the parsed payload of all eight at once would leave
        # about 10 MB of freed-but-resident memory behind (measured)
        assert self.hub is not None
        for i, chart in enumerate(self.charts):
            resp = await self.hub.fetch_series([f"bench.l{i + 1:02d}"], since, until, step)
            s = resp.series[0]
            ts, vals = s.arrays()
            if self.cache is not None:  # as the app's backfill: what came from the network is cached
                await self.cache.write_points([(s.metric, t, v) for t, v in s.points])
            # live points may have arrived meanwhile: keep those after the history
            live_x, live_y = chart.series_data(0)
            after = live_x > (ts[-1] if len(ts) else -1)
            chart.set_history(0, np.concatenate([ts, live_x[after]]), np.concatenate([vals, live_y[after]]))
        self._history_loaded = True
        memory.release()

    def _on_update(self, update: BrainUpdate) -> None:
        snap = update.snapshot
        if snap.brain != "bench" or self._ending or (self._last_ts is not None and snap.ts <= self._last_ts):
            return
        self.check_clock(starting=True)
        if self._ending:
            return
        self._check_previous()
        self._last_ts = snap.ts
        values = snap.values
        valued: list[KpiTile | Gauge] = [*self.tiles, *self.gauges]
        before = [p.value() for p in valued]
        self._set_values(_values(snap))
        _tiles, _gauges, lines = self.metric_ids()
        appended = []
        for chart, mid in zip(self.charts, lines, strict=True):
            r = values.get(mid)
            if r is not None:
                chart.append(0, r.ts / 1000, r.value)
            appended.append(r is not None)
        for p in self.panels:
            p.set_state(DataState.LIVE)
        # only updates that arrive inside the measured window are judged; a tile or gauge
        # whose value did not change has nothing to paint (-1: no paint required)
        changed = [p.value() != b for p, b in zip(valued, before, strict=True)] + appended
        self._marks = ([p.paint_count if c else -1 for p, c in zip(self.panels, changed, strict=True)]
                       if self.measuring else None)
        if self.measuring:
            self.ticks += 1
        if self._live_at is None and self._history_loaded:
            self.first_data_ms = process_age_ms()
            self._live_at = self.clock()
            self._clock_timer.start()

    def _check_previous(self) -> None:
        if self.measuring and self._marks is not None:
            if all(p.paint_count > m for p, m in zip(self.panels, self._marks, strict=True)):
                self.rendered += 1
            elif os.environ.get("COCKPIT_BENCH_DEBUG"):
                late = [i for i, (p, m) in enumerate(zip(self.panels, self._marks, strict=True)) if p.paint_count <= m]
                print(f"bench: not painted: panels {late}", file=sys.stderr, flush=True)
        self._marks = None

    # ---- measurement ------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        # the charts (shown and laid out just before this) hand the points painted from the
        # cache to their plots now, so the first frame has them whatever ran before show()
        for chart in self.charts:
            chart.flush()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if self.first_frame_ms is None:
            self.first_frame_ms = process_age_ms()
        if self._cached_shown and self.first_cached_frame_ms is None:
            self.first_cached_frame_ms = process_age_ms()

    def check_clock(self, starting: bool = False) -> None:
        """Start or end the measured window when the clock says so: it starts with the first
        update after the warm-up (``starting``: called for an update), and ends by the clock
        (updates and a 100 ms timer call this)."""
        if self._live_at is None or self._ending:
            return
        now = self.clock()
        if starting and not self.measuring and now - self._live_at >= self.spec["warmup_s"]:
            self._start(now)
        # the window ends half a tick before the update after the last one it should hold
        # (as the Qt floor's markers sit half a tick from its ticks): duration × rate updates
        if self.measuring and now - self._started_at >= self.spec["duration_s"] - 0.5 / self.spec["rate_hz"]:
            self._end()

    def _start(self, now: float) -> None:
        self.measuring = True
        self._started_at = now
        self.ticks = self.rendered = 0
        self._cpu0 = time.process_time()
        print(f"BENCH_START window={self.width()}x{self.height()}", flush=True)

    def _end(self) -> None:
        # the last update arrived moments ago: give it a frame to paint before judging it
        self._ending = True
        self._clock_timer.stop()
        QTimer.singleShot(self.judge_delay_ms, self._report)

    def _report(self) -> None:
        if self._ended:
            return
        self._ended = True
        self._check_previous()
        self.measuring = False
        cpu = time.process_time() - self._cpu0
        print(f"BENCH_END ticks={self.ticks} updates_rendered={self.rendered} expected={self.expected} "
              f"first_frame_ms={self.first_frame_ms or -1:.0f} "
              f"first_cached_frame_ms={self.first_cached_frame_ms or -1:.0f} "
              f"first_data_ms={self.first_data_ms or -1:.0f} self_cpu_s={cpu:.2f}", flush=True)
        QTimer.singleShot(1000, self._finish)

    def _finish(self) -> None:
        shot = self.owner.args.screenshot
        if shot:
            self.grab().save(str(shot))
        self.owner.request_quit()


def _values(snap: Snapshot) -> dict[str, float | None]:
    """A snapshot's values by metric id (what the panels show of it)."""
    return {mid: r.value for mid, r in snap.values.items()}
