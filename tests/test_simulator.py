"""The deterministic simulator: catalog shape, determinism, value shape over a week."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys

import numpy as np
import pytest

from cockpit.api.schema import Catalog, Snapshot
from cockpit.central.metrics import BRAINS as BRAINS_SPECS
from cockpit.central.simulator import DAY_S, TZ_OFFSET_S, Simulator, bench_brain

# A fixed instant: 2025-10-09 08:53:20 UTC (a Thursday, 16:53 local).
NOW = 1_760_000_000_000
WEEK_MS = 7 * DAY_S * 1000
BRAINS = {
    "city": ("产业大脑", "City overview"),
    "dyeing": ("印染", "Printing & dyeing"),
    "textile": ("纺织", "Textile"),
    "wine": ("黄酒", "Yellow rice wine"),
    "ic": ("集成电路", "Integrated circuits"),
    "pharma": ("医药", "Pharmaceuticals"),
    "muni": ("亩均论英雄", "Per-mu ranking"),
}


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(seed=11)


@pytest.fixture(scope="module")
def week(sim: Simulator) -> dict[str, np.ndarray]:
    """Every metric sampled every 2 minutes over the 7 days before NOW."""
    ts = np.arange(NOW - WEEK_MS, NOW, 120_000, dtype=np.int64)
    return {m.id: sim.values(m.id, ts) for b in sim.brains() for m in b.metrics}


def _local_midnight_ms(ts_ms: int) -> int:
    day = (ts_ms // 1000 + TZ_OFFSET_S) // DAY_S
    return (day * DAY_S - TZ_OFFSET_S) * 1000


def test_six_brains_with_names_and_8_to_15_metrics(sim: Simulator) -> None:
    assert sim.brain_ids == list(BRAINS)
    for b in sim.brains():
        assert (b.name.zh, b.name.en) == BRAINS[b.id]
        if b.id == "muni":  # 亩均论英雄: monthly panels only, no live metric
            assert not b.metrics and sim.panels.ids("muni")
            continue
        assert 8 <= len(b.metrics) <= 15, b.id
        assert 2 <= sum(m.headline for m in b.metrics) <= 4, b.id
        for m in b.metrics:
            assert m.id.startswith(b.id + ".")
            assert m.name.zh and m.name.en and m.unit.zh and m.unit.en
            assert any("\u4e00" <= c <= "\u9fff" for c in m.name.zh), m.id  # Chinese name
            assert 0 < m.cadence_s <= 86_400, m.id
            if m.unit.zh in ("%", "%RH", "°C"):
                assert m.range is not None, f"{m.id} is bounded and should be a gauge"
            th = m.thresholds
            for lim in (th.warn_low, th.warn_high, th.alarm_low, th.alarm_high):
                if lim is not None and m.range is not None:
                    assert m.range[0] <= lim <= m.range[1], m.id
            if th.warn_high is not None and th.alarm_high is not None:
                assert th.warn_high < th.alarm_high, m.id
            if th.warn_low is not None and th.alarm_low is not None:
                assert th.warn_low > th.alarm_low, m.id


NEW_METRICS = {
    "dyeing.output_yoy", "textile.orders", "textile.stock", "textile.power_per_100m", "textile.water_per_100m",
    "textile.gas_per_100m", "textile.turnover_yoy", "wine.sales_mtd", "wine.sales_yoy", "ic.output_ytd",
    "ic.output_yoy", "pharma.output_yoy", "pharma.approvals_ytd", "pharma.rd_ytd",
}


def test_every_metric_says_its_scope_source_and_direction(sim: Simulator) -> None:
    metrics = sim.catalog(NOW).metrics()
    assert NEW_METRICS <= set(metrics)
    for m in metrics.values():
        assert m.scope is not None and m.scope.zh and m.scope.en, m.id
        assert m.source is not None and m.source.zh and m.source.en, m.id
        assert m.description is not None and ("模拟" in m.description.zh or m.id in ("city.alerts", "city.run_rate_avg")), m.id
        if m.unit.zh in ("°C", "%RH"):
            assert m.up_is_good is None, m.id  # a temperature is neither good nor bad going up
    assert "模拟" in metrics["dyeing.run_rate"].source.zh  # type: ignore[union-attr]
    ups = {k: metrics[k].up_is_good for k in ("dyeing.output_today", "dyeing.water_per_100m", "dyeing.cod",
                                              "ic.yield", "textile.stock", "wine.ferment_temp", "city.alerts")}
    assert ups == {"dyeing.output_today": True, "dyeing.water_per_100m": False, "dyeing.cod": False,
                   "ic.yield": True, "textile.stock": False, "wine.ferment_temp": None, "city.alerts": False}
    assert metrics["dyeing.firms_running"].scope.zh.startswith("接入产业大脑的印染企业")  # type: ignore[union-attr]


def test_new_metrics_are_sized_on_the_figures(sim: Simulator, week: dict[str, np.ndarray]) -> None:
    # IC: 1003.3亿 in 2025 → by the end of November, 10/12 of that and more
    end_nov = int(dt.datetime(2025, 11, 30, 23, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
    assert 850 < sim.value("ic.output_ytd", end_nov) < 1000
    assert 15 < np.median(week["ic.output_yoy"]) < 21 and 2 < np.median(week["dyeing.output_yoy"]) < 6
    assert 20 < sim.value("pharma.rd_ytd", end_nov) < 30 and 15 <= sim.value("pharma.approvals_ytd", end_nov) <= 35
    days = week["textile.orders"] / (week["textile.fabric_today"].max() or 1)
    assert 30 < np.median(days) < 120  # orders in hand: weeks of output
    assert np.median(week["textile.water_per_100m"]) < np.median(week["textile.power_per_100m"])


def test_catalog_validates_against_the_contract(sim: Simulator) -> None:
    cat = sim.catalog(NOW)
    again = Catalog.model_validate_json(cat.model_dump_json())
    assert again == cat
    metrics = again.metrics()
    assert metrics["dyeing.water_per_100m"].thresholds.alarm_high == 1.6
    assert metrics["dyeing.energy_per_100m"].thresholds.alarm_high == 30
    assert metrics["dyeing.cod"].thresholds.alarm_high == 200
    assert metrics["dyeing.run_rate"].range == (0.0, 100.0)
    assert metrics["city.iva_mtd"].range is None and metrics["city.iva_mtd"].unit.zh == "亿元"


def test_same_seed_same_values_other_seed_other_values() -> None:
    a, b, c = Simulator(seed=5), Simulator(seed=5), Simulator(seed=6)
    ts = [NOW - k * 3_600_123 for k in range(0, 170, 7)]
    differ = 0
    for mid in (m.id for br in a.brains() for m in br.metrics):
        va = [a.value(mid, t) for t in ts]
        assert va == [b.value(mid, t) for t in ts], mid
        assert np.array_equal(a.values(mid, ts), b.values(mid, ts)), mid
        differ += va != [c.value(mid, t) for t in ts]
    assert differ >= 40  # a different seed gives different data


def test_scalar_and_vector_paths_agree(sim: Simulator) -> None:
    rng = np.random.default_rng(3)
    ts = NOW - rng.integers(0, 8 * DAY_S * 1000, 200)
    for b in sim.brains():
        for m in b.metrics:
            vec = sim.values(m.id, ts)
            one = np.array([sim.value(m.id, int(t)) for t in ts])
            assert np.allclose(vec, one, rtol=0, atol=10.0 ** -(m.precision + 1)), m.id


#: counters too slow to be sure to move in a week (about 24 approvals a year)
SLOW = {"pharma.approvals_ytd"}


def test_values_finite_and_in_range_over_seven_days(sim: Simulator, week: dict[str, np.ndarray]) -> None:
    metrics = sim.catalog(NOW).metrics()
    for mid, v in week.items():
        if mid in SLOW:
            assert np.all(np.diff(v) >= 0) and v.min() >= 0, mid
            continue
        assert np.isfinite(v).all(), mid
        m = metrics[mid]
        if m.range is not None:
            assert v.min() >= m.range[0] and v.max() <= m.range[1], mid
        else:
            assert v.min() >= 0, mid
        if PERIOD.get(mid):  # a statistic: moves only when its period turns
            continue
        assert np.ptp(v) > 0, f"{mid} never moves"


PERIOD = {s.id: s.period for b in BRAINS_SPECS for s in b.metrics}


def test_statistics_move_at_their_source_cadence(sim: Simulator) -> None:
    """A monthly statistic holds one value through the month; a daily one through the day (#11)."""
    step = 600_000
    ts = np.arange(NOW - 40 * DAY_S * 1000, NOW, step)
    monthly = [s.id for b in BRAINS_SPECS for s in b.metrics if s.period == "month"]
    assert {"city.iva_growth", "ic.output_yoy", "wine.sales_yoy"} <= set(monthly)
    for mid in monthly:
        v = sim.values(mid, ts)
        changes = int(np.count_nonzero(np.diff(v)))
        assert changes <= 2, (mid, changes)  # 40 days span at most two month starts
        assert sim.catalog(NOW).metrics()[mid].cadence_s == 86_400
    daily = sim.values("city.iva_mtd", np.arange(NOW - DAY_S * 1000, NOW, step))
    assert int(np.count_nonzero(np.diff(daily))) <= 1


def test_levels_and_their_growth_agree(sim: Simulator) -> None:
    """The shown 同比 is computed from the simulated levels, and a level from an older year is
    compounded by its growth to the shown year (#11): IC last month vs a year before ≈ +18 %."""
    for mid, g in (("ic.output_yoy", 18.0), ("city.iva_growth", 10.8), ("wine.sales_yoy", 6.0)):
        assert sim.value(mid, NOW) == pytest.approx(g, abs=4.0), mid
    # the level agrees: this November's IC output against last November's, from the month counter
    nov1 = int(dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
    last = int(dt.datetime(2025, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
    now_month = sim.value("ic.output_mtd", nov1 + 29 * DAY_S * 1000 + DAY_S * 1000 - 1000)
    then_month = sim.value("ic.output_mtd", last + 29 * DAY_S * 1000 + DAY_S * 1000 - 1000)
    dec = int(dt.datetime(2026, 12, 2, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
    assert 100 * (now_month / then_month - 1) == pytest.approx(sim.value("ic.output_yoy", dec), abs=0.3)
    assert then_month * 12 == pytest.approx(1003.3 * 1.18 ** (4 / 12), rel=0.08)


def test_magnitudes_follow_the_published_figures(week: dict[str, np.ndarray]) -> None:
    run = week["dyeing.run_rate"]
    assert 43 <= np.median(run) <= 57  # 柯桥 dyeing run rate 43–57 % in 2022
    assert 1.0 < np.median(week["dyeing.water_per_100m"]) < 1.6
    assert np.median(week["dyeing.energy_per_100m"]) < 30
    assert np.median(week["dyeing.cod"]) < 200
    # 轻纺城 ~3600亿 a year → ~10亿 a day: the running total at 23:58 local.
    day_end = week["textile.turnover_today"][719::720]  # 2-minute samples, one per day
    assert 6 < np.median(day_end) < 14
    assert 2000 < np.median(week["city.power_load"]) * 24 < 15000  # 万千瓦时 per day


def test_today_counters_grow_and_reset_at_local_midnight(sim: Simulator) -> None:
    midnight = _local_midnight_ms(NOW)
    for mid in ("dyeing.output_today", "textile.turnover_today", "wine.sales_today", "ic.wafer_starts_today"):
        day = sim.values(mid, np.arange(midnight - DAY_S * 1000, midnight, 60_000))
        assert np.all(np.diff(day) >= 0), mid  # never decreases within a day
        before, after = sim.value(mid, midnight - 1000), sim.value(mid, midnight + 1000)
        assert after < before * 0.01, mid  # reset at 00:00 Asia/Shanghai
        assert sim.value(mid, midnight + 6 * 3_600_000) > after, mid
    # 00:00 Asia/Shanghai is 16:00 UTC the day before
    assert dt.datetime.fromtimestamp(midnight / 1000, dt.UTC).hour == 16


def test_month_counter_resets_on_the_first(sim: Simulator) -> None:
    first = int(dt.datetime(2025, 10, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
    before, after = sim.value("city.iva_mtd", first - 1000), sim.value("city.iva_mtd", first + 1000)
    assert 150 < before < 230  # ≈ 2155亿 / 12
    assert after < 0.1
    mid_month = sim.value("city.iva_mtd", first + 15 * DAY_S * 1000)
    assert 0.3 * before < mid_month < 0.7 * before


def test_shift_day_and_weekend_shape(sim: Simulator) -> None:
    # Mon 2025-10-06 .. Sun 2025-10-12 local; compare hours of day and weekdays.
    monday = int(dt.datetime(2025, 10, 6, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)

    def mean_rate(mid: str, day: int, h0: float, h1: float) -> float:
        a = monday + day * DAY_S * 1000
        v0 = sim.value(mid, int(a + h0 * 3_600_000))
        v1 = sim.value(mid, int(a + h1 * 3_600_000))
        return (v1 - v0) / (h1 - h0)

    # market turnover grows by day, barely at night
    assert mean_rate("textile.turnover_today", 1, 9, 11) > 4 * mean_rate("textile.turnover_today", 1, 2, 4)
    # the dyeing run rate is lower on the weekend than mid-week (daily means)
    ts_w = np.arange(monday + 2 * DAY_S * 1000, monday + 3 * DAY_S * 1000, 60_000)
    ts_s = np.arange(monday + 6 * DAY_S * 1000, monday + 7 * DAY_S * 1000, 60_000)
    assert sim.values("dyeing.run_rate", ts_s).mean() < sim.values("dyeing.run_rate", ts_w).mean() - 1


def test_excursions_happen_sometimes_but_not_always(sim: Simulator) -> None:
    ts = np.arange(NOW - WEEK_MS, NOW, 30_000, dtype=np.int64)
    total_eps, metrics_with_eps, checked = 0, 0, 0
    levels_seen: set[str] = set()
    for b in sim.brains():
        for m in b.metrics:
            th = m.thresholds
            if m.id == "city.alerts" or all(x is None for x in (th.warn_low, th.warn_high, th.alarm_low, th.alarm_high)):
                continue
            checked += 1
            lv = np.array([th.level(float(x)) for x in sim.values(m.id, ts)])
            bad = lv != "ok"
            eps = int(np.sum(bad[1:] & ~bad[:-1]))
            total_eps += eps
            metrics_with_eps += eps > 0
            levels_seen.update(lv[bad].tolist())
            assert bad.mean() < 0.1, f"{m.id} is past a limit {bad.mean():.0%} of the week"
    assert checked >= 25
    assert metrics_with_eps >= checked * 0.7  # most metrics have excursions in a week …
    assert 50 <= total_eps <= 2000  # … but they are occasional
    assert levels_seen == {"warn", "alarm"}


def _find_alert_time(sim: Simulator, brain: str) -> tuple[str, int]:
    ts = np.arange(NOW - WEEK_MS, NOW, 60_000, dtype=np.int64)
    for m in sim.brain(brain).metrics:  # type: ignore[union-attr]
        if m.thresholds == type(m.thresholds)():
            continue
        v = sim.values(m.id, ts)
        bad = [i for i, x in enumerate(v) if m.thresholds.level(float(x)) != "ok"]
        if bad:
            return m.id, int(ts[bad[0]])
    raise AssertionError(f"no excursion in brain {brain} within a week")


def test_alerts_name_metric_value_limit_and_keep_their_id(sim: Simulator) -> None:
    mid, t = _find_alert_time(sim, "dyeing")
    snap = sim.snapshot("dyeing", t)
    Snapshot.model_validate_json(snap.model_dump_json())
    alert = next(a for a in snap.alerts if a.metric == mid)
    m = sim.metric(mid)
    assert m is not None
    assert alert.brain == "dyeing" and alert.level == sim.level(mid, alert.value or 0)
    assert m.name.zh in alert.message.zh and m.name.en in alert.message.en
    assert f"{alert.value:.{m.precision}f}" in alert.message.zh
    limits = [x for x in m.thresholds.model_dump().values() if x is not None]
    assert any(f"{lim:.{m.precision}f}" in alert.message.en for lim in limits)
    assert alert.id == f"{mid}:{alert.ts}" and alert.ts <= t
    start = alert.ts
    assert sim.level(mid, sim.value(mid, start - 1000)) == "ok"  # the episode starts there
    # the id stays the same through the episode, seen from a fresh simulator too
    later = sim.snapshot("dyeing", t + 20_000)
    fresh = Simulator(seed=11).snapshot("dyeing", t + 20_000)
    ids = {a.id for a in later.alerts if a.metric == mid} | {a.id for a in fresh.alerts if a.metric == mid}
    if sim.level(mid, sim.value(mid, t + 20_000)) != "ok":
        assert ids == {alert.id}


def test_city_alert_count_counts_the_brains(sim: Simulator) -> None:
    mid, t = _find_alert_time(sim, "ic")
    sec = t // 1000 * 1000
    n = sum(len(sim.snapshot(b, sec).alerts) for b in sim.brain_ids)
    assert n >= 1
    assert sim.value("city.alerts", sec) == n


def test_snapshot_values_at_the_current_second(sim: Simulator) -> None:
    snap = sim.snapshot("wine", NOW + 1234)
    assert snap.ts == NOW + 1234
    assert set(snap.values) == {m.id for m in sim.brain("wine").metrics}  # type: ignore[union-attr]
    for mid, r in snap.values.items():
        assert r.ts <= snap.ts and r.ts % 1000 == 0
        assert r.value == sim.value(mid, r.ts)
        assert r.value is not None and math.isfinite(r.value)


def test_series_counts_alignment_and_mean(sim: Simulator) -> None:
    since, until = NOW - 3_600_000, NOW
    s = sim.series("ic.utilization", since, until, 60, now_ms=NOW)
    assert len(s.points) == 60
    assert all(t % 60_000 == 0 for t, _ in s.points)
    fine = sim.values("ic.utilization", np.arange(s.points[5][0], s.points[5][0] + 60_000, 5_000))
    assert s.points[5][1] == pytest.approx(fine.mean(), abs=1e-3)
    one = sim.series("ic.utilization", since, since + 10_000, 1)
    assert [v for _, v in one.points] == [sim.value("ic.utilization", t) for t, _ in one.points]


def test_bench_brain_is_opt_in() -> None:
    assert "bench" not in Simulator(1).brain_ids
    sim = Simulator(1, bench=(12, 8, 6))
    b = sim.brain("bench")
    assert b is not None
    ids = [m.id for m in b.metrics]
    assert ids[:12] == [f"bench.g{i:02d}" for i in range(1, 13)]
    assert ids[12:20] == [f"bench.l{i:02d}" for i in range(1, 9)]
    assert ids[20:] == [f"bench.k{i:02d}" for i in range(1, 7)]
    assert all(m.cadence_s == 1 for m in b.metrics)
    assert all(m.range == (0.0, 100.0) for m in b.metrics[:20])
    assert all(m.headline for m in b.metrics[12:20]) and not any(m.headline for m in b.metrics[:12])
    for i, m in enumerate(b.metrics[20:], start=1):
        v = sim.values(m.id, np.arange(NOW, NOW + 600_000, 1000))
        assert m.range is None and abs(v.mean() / (10000 * (i + 1)) - 1) < 0.1
    snap1, snap2 = sim.snapshot("bench", NOW), sim.snapshot("bench", NOW + 1000)
    moved = sum(snap1.values[k].value != snap2.values[k].value for k in snap1.values)
    assert moved >= 20
    assert len(bench_brain(3, 2, 1).metrics) == 6


def test_central_imports_no_qt() -> None:
    code = (
        "import sys, cockpit.central.server, cockpit.central.runner, cockpit.central.simulator;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'cockpit.ui', 'widgets', 'pyqtgraph'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
