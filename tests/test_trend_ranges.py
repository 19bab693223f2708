"""Trend ranges: 今日 / 近7天 / 本月 / 本年 with last year faint, from the cache first then the
API; what the platform does not keep is shown as missing."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cockpit.api.client import ApiClient, ClientConfig
from cockpit.cache import CacheWorker
from cockpit.central.runner import EmbeddedServer
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import Hub, now_ms
from cockpit.hub.ranges import RangeLoader, period
from cockpit.ui.brain_tab import BrainTab
from cockpit.ui.panels import TabContext
from cockpit.ui.trend_ranges import make_load_range
from widgets.state import DataState

SH = ZoneInfo("Asia/Shanghai")


def _ms(*a: int) -> int:
    return round(datetime(*a, tzinfo=SH).timestamp() * 1000)


def test_periods_are_calendar_spans_in_the_platform_zone():
    now = _ms(2026, 12, 7, 9, 30)
    p = period("today", now, SH)
    assert (p.since, p.until, p.step_s) == (_ms(2026, 12, 7), _ms(2026, 12, 8), 300)
    assert (p.last_since, p.last_until) == (_ms(2025, 12, 7), _ms(2025, 12, 8))
    p = period("month", now, SH)
    assert (p.since, p.until, p.step_s) == (_ms(2026, 12, 1), _ms(2027, 1, 1), 86_400)
    p = period("year", now, SH)
    assert (p.since, p.until, p.last_since) == (_ms(2026, 1, 1), _ms(2027, 1, 1), _ms(2025, 1, 1))
    p = period("7d", now, SH)
    assert (p.since, p.until, p.step_s) == (now - 7 * 86_400_000, now, 3600)
    leap = period("today", _ms(2028, 2, 29, 12), SH)  # no 29 February last year: the 28th
    assert leap.last_since == _ms(2027, 2, 28)


def test_series_keeps_three_years_of_rollups_with_days_at_local_midnight():
    with EmbeddedServer(Simulator(seed=8)) as srv:
        now = now_ms()
        get = lambda **q: requests.get(srv.url + "/api/v1/series", params=q, timeout=30)  # noqa: E731
        since = now - 400 * 86_400_000
        r = get(metric="textile.turnover_today", since=since, until=since + 10 * 86_400_000, step=86_400)
        assert r.status_code == 200, r.text
        pts = r.json()["series"][0]["points"]
        assert len(pts) == 10
        assert all(datetime.fromtimestamp(t / 1000, SH).hour == 0 for t, _ in pts)  # local midnights
        sim = Simulator(seed=8)
        t0, v0 = pts[0]  # a day's running total at a whole-day step: the day's total
        assert v0 == pytest.approx(sim.value("textile.turnover_today", t0 + 86_400_000 - 1), abs=1e-3)
        assert v0 > 1.0
        # hourly rollups reach back three years; finer steps 8 days; older: not kept (400)
        assert get(metric="dyeing.cod", since=since, until=since + 86_400_000, step=3600).status_code == 200
        assert get(metric="dyeing.cod", since=now - 9 * 86_400_000, step=600).status_code == 400
        old = get(metric="dyeing.cod", since=now - 4 * 366 * 86_400_000, until=now - 1000 * 86_400_000, step=86_400)
        assert old.status_code == 400 and "history starts at" in old.json()["detail"]


def _run(tab: BrainTab, loader: RangeLoader, key: str, chart_i: int = 0) -> None:
    """Pick a range with the keyboard as a user would and let its loads finish."""
    tasks: list = []
    tab.ctx.load_range = make_load_range(loader, lambda c: tasks.append(asyncio.ensure_future(c)), now_ms)
    chart = tab.ranges[chart_i].chart
    buttons = chart.range_buttons()
    keys = [b.property("range_key") for b in buttons]
    for i in range(keys.index(key)):  # Tab to the selector, then → until the range
        QTest.keyClick(buttons[i], Qt.Key.Key_Right)

    async def wait() -> None:
        while tasks:
            await tasks.pop(0)

    return wait()


def test_year_range_from_the_api_then_from_the_cache_when_offline(qtbot, tmp_path):
    sim = Simulator(seed=8)
    path = tmp_path / "cache.sqlite"
    seen: dict = {}

    def make_tab() -> BrainTab:
        tab = BrainTab(sim.brain("dyeing"), "zh", ctx=TabContext(lang="zh"))
        qtbot.addWidget(tab)
        tab.resize(1600, 900)
        tab.show()
        return tab

    async def session(url: str, label: str) -> None:
        cache = CacheWorker(path, flush_s=0.05)
        await cache.start()
        client = ApiClient(ClientConfig(url, retries=0, connect_timeout_s=1.0, read_timeout_s=30.0))
        pool = ThreadPoolExecutor(max_workers=2)
        loader = RangeLoader(Hub(client, pool).fetch_series, cache, now_ms)
        tab = make_tab()
        await _run(tab, loader, "year")
        r = tab.ranges[0]
        chart = r.chart
        ts, vals = chart.series_data(r.bindings[0].series)
        lts, lvals = chart.series_data(r.faint[0])
        seen[label] = dict(range=chart.current_range(), x=chart.x_range(), n=len(ts), finite=int(np.isfinite(vals).sum()),
                           last_n=int(np.isfinite(lvals).sum()), lts0=float(lts[0]) if len(lts) else None,
                           legend=chart.legend_texts(), state=chart.state(), note=chart.note(),
                           title_ok="24小时" not in chart._title)
        # back to the live 24 hours: no faint line, the rolling window again
        chart.range_buttons()[0].click()
        seen[label]["live_legend"] = chart.legend_texts()
        seen[label]["live_range"] = chart.current_range()
        client.close()
        pool.shutdown()
        await cache.close()

    with EmbeddedServer(Simulator(seed=8)) as srv:
        asyncio.run(session(srv.url, "online"))
    asyncio.run(session("http://127.0.0.1:9", "offline"))

    p = period("year", now_ms(), SH)
    on, off = seen["online"], seen["offline"]
    assert on["range"] == "year" and on["x"] == (p.since / 1000, p.until / 1000)
    days_so_far = (now_ms() - p.since) // 86_400_000 + 1
    assert on["finite"] == days_so_far  # one daily point up to today, nothing invented after
    assert on["last_n"] >= 365  # last year drawn (faintly), moved onto this year's axis
    assert on["lts0"] == p.since / 1000
    assert "去年同期" in on["legend"] and on["state"] == DataState.LIVE and on["title_ok"]
    assert on["live_legend"] == [on["legend"][0]] and on["live_range"] == "24h"
    # offline: the same year from the cache, marked as cached with when it was fetched
    assert off["finite"] == on["finite"] and off["last_n"] == on["last_n"]
    assert off["state"] == DataState.STALE and off["note"].startswith("缓存 · 取于"), off["note"]


def test_a_period_the_platform_does_not_keep_is_shown_missing(qtbot):
    sim = Simulator(seed=8)
    tab = BrainTab(sim.brain("dyeing"), "zh", ctx=TabContext(lang="zh"))
    qtbot.addWidget(tab)

    async def not_kept(metrics, since, until, step):
        from cockpit.api.client import HttpError

        raise HttpError(400, "since: history starts at 1 (8 days before now)")

    async def go() -> None:
        await _run(tab, RangeLoader(not_kept, None, now_ms), "month")

    asyncio.run(go())
    chart = tab.ranges[0].chart
    assert chart.current_range() == "month"
    assert chart.state() == DataState.NO_DATA and "平台保存期限" in chart.note(), chart.note()
    assert not np.isfinite(chart.series_data(0)[1]).any()


def test_chosen_ranges_survive_a_restart_and_a_catalog_rebuild(qtbot):
    """A wall's charts set to 本月 / 本年 come back so after the watchdog's daily restart
    (the restart state carries them) and after a catalog that rebuilds the tabs; a range,
    chart or brain the window does not know is dropped."""
    from cockpit.hub.ranges import RANGES
    from cockpit.ui.main_window import MainWindow

    sim = Simulator(seed=8)
    catalog = sim.catalog(now_ms())
    asked: list[tuple[list[str], str]] = []

    def window() -> MainWindow:
        win = MainWindow("zh", "test", None, animate=False)
        qtbot.addWidget(win)
        win.services.load_range = lambda metrics, key, cb: asked.append((metrics, key))
        return win

    first = window()
    first.on_catalog(catalog)
    dyeing = first.tabs_by_brain["dyeing"].ranges
    assert len(dyeing) >= 1
    dyeing[0].chart.range_buttons()[RANGES.index("month") + 1].click()  # as a user clicks 本月
    kept = first.chart_ranges()
    assert kept == {"dyeing": {dyeing[0].chart_key: "month"}}

    # the next process: the state file's ranges, before the catalog has arrived
    second = window()
    second.restore_chart_ranges({**kept, "gone": {"x": "year"}, "wine": {"no.such.chart": "month"},
                                 "textile": "not a dict"})
    second.on_catalog(catalog)
    asked.clear()
    second.refresh()
    chart = second.tabs_by_brain["dyeing"].ranges[0]
    assert chart.key == "month" and chart.chart.current_range() == "month"
    assert asked == [([m.id for m in chart.metrics], "month")]
    assert all(not cr.ranged for bid, tab in second.tabs_by_brain.items() if bid != "dyeing" for cr in tab.ranges)
    # a catalog with other brains rebuilds the tabs: the choice stays
    fewer = catalog.model_copy(update={"brains": [b for b in catalog.brains if b.id != "pharma"]})
    second.on_catalog(fewer)
    second.refresh()
    assert second.tabs_by_brain["dyeing"].ranges[0].key == "month"
    assert "dyeing" in second.chart_ranges()


def test_csv_export_writes_the_chosen_range_as_the_chart_shows_it(qtbot, tmp_path, monkeypatch):
    """File → export CSV on a tab whose first chart shows 本月: that chart's metrics are exported
    at the month's points (and last year's beside them), not the live 24 hours; back on 24小时, those."""
    import csv

    from cockpit.api.schema import Metric
    from cockpit.hub.hub import BrainUpdate
    from cockpit.hub.ranges import RangeData
    from cockpit.ui import export
    from cockpit.ui.commands import export_tab
    from cockpit.ui.main_window import MainWindow
    from cockpit.ui.model import Models

    sim = Simulator(seed=8)
    now = now_ms()
    models = Models()
    win = MainWindow("zh", "test", animate=False, models=models)
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.on_catalog(sim.catalog(now))
    assert win.show_brain("textile")
    models.on_update(BrainUpdate("textile", sim.snapshot("textile", now), now))
    models.flush()
    p = period("month", now, SH)
    days = [p.since + i * 86_400_000 for i in range(5)]

    def load_range(metrics, key, cb):
        assert key == "month"
        cb({m: RangeData([(t, 10.0 * i + 1) for i, t in enumerate(days)],
                         [(t, 100.0 + i) for i, t in enumerate(days)]) for m in metrics}, "")

    win.services.load_range = load_range
    tab = win.tabs_by_brain["textile"]
    ranged = tab.ranges[0]
    ranged.chart.range_buttons()[[b.property("range_key") for b in ranged.chart.range_buttons()].index("month")].click()
    assert ranged.chart.current_range() == "month"
    out = tmp_path / "textile.csv"
    monkeypatch.setattr(export, "choose_path", lambda parent, kind, suggested, on_chosen, lang="zh": on_chosen(out))
    header: list[str] = []
    rows: list[list[str]] = []

    def exported() -> None:
        export_tab(win, "csv", "test")
        with out.open(encoding="utf-8-sig", newline="") as f:
            header[:], *rows[:] = list(csv.reader(f))

    def column(name: str) -> list[tuple[int, float]]:
        i = header.index(name)
        return [(int(r[1]), float(r[i])) for r in rows if r[i] != ""]

    exported()

    def label(m: Metric) -> str:
        return f"{m.name.pick('zh')} ({m.unit.pick('zh')})"

    for b in ranged.bindings:  # the month: its five daily points, not the live ones
        assert column(label(b.metric)) == [(t, 10.0 * i + 1) for i, t in enumerate(days)]
        assert column(f"{label(b.metric)} · 去年同期") == [(t, 100.0 + i) for i, t in enumerate(days)]
    assert len(ranged.bindings) == 2
    ranged.chart.range_buttons()[0].click()  # back to the live 24 hours: exported as such again
    assert ranged.chart.current_range() == "24h"
    exported()
    for b in ranged.bindings:
        cells = column(label(b.metric))
        assert cells and all(now - 86_400_000 - 1000 < t <= now for t, _ in cells), cells[:3]
        assert f"{label(b.metric)} · 去年同期" not in header
