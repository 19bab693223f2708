"""Trend ranges on a tab's charts: 24小时 (live) / 今日 / 近7天 / 本月 / 本年, with last year faint.

Every trend chart of a tab gets a small selector in its header (clicks, or Tab to it and
←/→). The rolling 24 hours are the live default (fed by the brain's model as before);
another range shows its whole span (today from midnight to midnight, this month, this
year; the last 7 days up to now) from the offline cache first, then the API
(``cockpit.hub.ranges``), with the same period last year drawn faintly under a legend entry
"去年同期" where the platform keeps it. A range whose time the platform does not keep is
shown as missing ("平台未保存该时段"), never invented; the figures from the cache say so
with their age. A shown range is asked again every :data:`~cockpit.hub.ranges.REFRESH_S`
(its newest bucket grows); time travel returns every chart to the live 24 hours.

:func:`attach` is called by ``BrainTab.make_chart``; the loading itself is a service of the
window (``Services.load_range``, wired by :func:`wire` next to the other lookups).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import numpy as np

from cockpit.api.client import ApiError
from cockpit.api.schema import Metric
from cockpit.hub.ranges import LIVE, RANGES, REFRESH_S, RangeData, RangeLoader, period
from cockpit.ui.text import reason_short, stamp, tr
from widgets import clock as wclock
from widgets.state import DataState
from widgets.trend_chart import TrendChart

log = logging.getLogger(__name__)

# what a tab's charts answer to: load_range(metric ids, range key, callback(data by metric,
# error text, cached)); the callback may come twice (the cache, then the API)
LoadRange = Callable[[list[str], str, Callable[[dict[str, RangeData], str], None]], None]


class ChartRanges:
    """The range state of one trend chart of a tab."""

    def __init__(self, tab: Any, chart: TrendChart, bindings: list[Any], metrics: list[Metric]) -> None:
        self.tab = tab
        self.chart = chart
        self.bindings = bindings  # the tab's ChartBindings of this chart (one per metric)
        self.metrics = metrics
        lang = tab.lang
        # last year's series, one per metric, made once (pyqtgraph#2672) and hidden while live
        self.faint = [chart.add_series(tr("last_year_same_period", lang), faint=True) for _ in metrics]
        for i in self.faint:
            chart.set_series_visible(i, False)
        chart.set_ranges([(LIVE, tr("range_24h", lang))] + [(k, tr(f"range_{k}", lang)) for k in RANGES], LIVE)
        chart.range_chosen.connect(self.choose)
        self.key = LIVE
        self.loaded_ms: int | None = None  # when the shown range was last asked for
        self.state: tuple[DataState, str] = (DataState.NO_DATA, tr("waiting", lang))
        self._asked = 0  # answers to a superseded request are dropped

    @property
    def ranged(self) -> bool:
        return self.key != LIVE

    @property
    def chart_key(self) -> str:
        """What names this chart across processes and catalog rebuilds: its metrics."""
        return ",".join(m.id for m in self.metrics)

    def choose(self, key: str) -> None:
        """Show range ``key`` (LIVE: back to the live 24 hours)."""
        self.chart.set_current_range(key)
        if key == LIVE:
            self.back_to_live()
            return
        self.key = key
        for b in self.bindings:
            b.ranged = True
        self.state = (DataState.NO_DATA, tr("waiting", self.tab.lang))
        self.chart.set_state(*self.state)
        p = period(key, self.tab_now(), wclock.zone())
        self.chart.set_fixed_window(p.since / 1000, p.until / 1000)
        for b in self.bindings:  # nothing of the live 24 h stays on a range's axis
            self.chart.set_history(b.series, np.empty(0), np.empty(0))
        for i in self.faint:
            self.chart.set_history(i, np.empty(0), np.empty(0))
            self.chart.set_series_visible(i, False)
        self.load()

    def back_to_live(self) -> None:
        self.key = LIVE
        self._asked += 1
        self.chart.set_current_range(LIVE)
        for i in self.faint:
            self.chart.set_series_visible(i, False)
        self.chart.set_fixed_window(None)
        model = self.tab.model
        for b in self.bindings:
            b.ranged = False
            if model is not None:
                self.chart.set_history(b.series, *model.series(b.metric.id))
        self.tab.refresh_chart_state()

    def tab_now(self) -> int:
        return self.tab.clock_ms()

    def load(self) -> None:
        load = self.tab.ctx.load_range
        self.loaded_ms = self.tab_now()
        if load is None:
            self.show({}, tr("no_history_kept", self.tab.lang))
            return
        self._asked += 1
        asked, key = self._asked, self.key
        load([m.id for m in self.metrics], key,
             lambda data, error: self.show(data, error) if asked == self._asked and key == self.key else None)

    def tick(self, now_ms: int) -> None:
        """Ask a shown range again when its refresh is due (called with the tab's 1 Hz states)."""
        if self.ranged and self.loaded_ms is not None and now_ms - self.loaded_ms >= REFRESH_S[self.key] * 1000:
            self.load()

    def show(self, data: dict[str, RangeData], error: str) -> None:
        """Draw an answer (from the cache or the API) and say where it comes from."""
        lang = self.tab.lang
        any_points = False
        cached_at: int | None = None
        for b, faint in zip(self.bindings, self.faint, strict=True):
            d = data.get(b.metric.id)
            if d is None:
                continue
            if d.cached:
                cached_at = d.fetched_ms if cached_at is None else min(cached_at, d.fetched_ms or cached_at)
            if d.points is not None:
                ts, vals = _arrays(d.points)
                self.chart.set_history(b.series, ts, vals)
                any_points = any_points or bool(np.isfinite(vals).any())
            if d.last_year is not None:
                self.chart.set_history(faint, *_arrays(d.last_year))
                self.chart.set_series_visible(faint, True)
        if not any_points:
            self.state = (DataState.NO_DATA, error and tr("range_not_loaded", lang, r=reason_short(error, lang))
                          or tr("range_missing", lang))
        elif cached_at is not None:
            self.state = (DataState.STALE, tr("range_cached", lang, t=stamp(cached_at, self.tab_now())))
        else:
            self.state = (DataState.LIVE, "")
        self.chart.set_state(*self.state)
        self.chart.flush()


def _arrays(points: list[tuple[int, float | None]]) -> tuple[np.ndarray, np.ndarray]:
    ts = np.fromiter((p[0] for p in points), dtype=float, count=len(points)) / 1000
    vals = np.fromiter((np.nan if p[1] is None else p[1] for p in points), dtype=float, count=len(points))
    return ts, vals


def chosen(tabs: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The ranges chosen on the tabs' charts other than the live 24 hours, as
    {brain: {chart key: range key}} (kept over a watchdog restart and a catalog rebuild)."""
    out: dict[str, dict[str, str]] = {}
    for brain, tab in tabs.items():
        charts = {cr.chart_key: cr.key for cr in tab.ranges if cr.ranged}
        if charts:
            out[brain] = charts
    return out


def restore(tabs: dict[str, Any], wanted: object) -> dict[str, dict[str, str]]:
    """Choose again on the tabs what :func:`chosen` returned; returns what is left for tabs
    not built yet. A brain, chart or range the window does not know is dropped (the file
    it came from may be old or hand-edited): nothing else happens."""
    if not isinstance(wanted, dict):
        return {}
    left: dict[str, dict[str, str]] = {}
    for brain, charts in wanted.items():
        if not isinstance(charts, dict):
            continue
        tab = tabs.get(brain)
        if tab is None:
            left[str(brain)] = {str(k): str(v) for k, v in charts.items()}
            continue
        for cr in tab.ranges:
            key = charts.get(cr.chart_key)
            if key in RANGES and key != cr.key:
                cr.choose(key)
    return left


def attach(tab: Any, chart: TrendChart, metrics: list[Metric]) -> ChartRanges:
    """Give a tab's trend chart its range selector (``BrainTab.make_chart`` calls this)."""
    bindings = [c for c in tab.charts if c.chart is chart]
    return ChartRanges(tab, chart, bindings, metrics)


Spawn = Callable[[Coroutine[Any, Any, None]], Any]


def make_load_range(loader: RangeLoader, spawn: Spawn, now: Callable[[], int]) -> LoadRange:
    """The window's ``load_range`` service: the cache's answer first (if it has one), then
    the API's; each by callback on the UI thread."""

    def load(metrics: list[str], key: str, cb: Callable[[dict[str, RangeData], str], None]) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the app's loop has ended (a window that outlived run()): nothing to ask
            return

        async def go() -> None:
            p = period(key, now(), wclock.zone())
            cached = await loader.cached(metrics, p)
            if cached:
                _call(cb, cached, "")
            try:
                fresh = await loader.fetch_period(metrics, p)
            except ApiError as exc:
                log.info("trend range %s of %s not loaded: %s", key, metrics[:1], exc)
                _call(cb, cached, str(exc)[:200])
                return
            _call(cb, fresh, "")

        spawn(go())

    return load


def _call(cb: Callable[..., None], *args: Any) -> None:
    try:
        cb(*args)
    except RuntimeError as exc:  # the asking chart is gone (tabs rebuilt meanwhile)
        log.debug("trend range answer dropped: %s", exc)
