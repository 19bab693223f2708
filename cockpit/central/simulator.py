"""Deterministic data simulator behind the reference central API.

Every metric's value is a pure function ``value(metric_id, ts_ms)`` of the seed and the
time, so history, the live value and any series range agree by construction, and two
servers with the same seed show the same numbers. Nothing is drawn from a random
generator at call time: noise is a sum of sines with seeded phases plus value noise
(hashed knots, smoothstep-interpolated), excursions are decided by a hash per metric
and hour. Local time is Asia/Shanghai (UTC+8, no DST).

Two evaluation paths share one set of formulas: a pure-Python scalar path (fast for a
snapshot: a few µs per metric) and a numpy path (fast for series). They agree to ~1e-12.
"""

from __future__ import annotations

import datetime as _dt
import math
import threading
from collections.abc import Hashable, Sequence
from typing import Any, Literal, TypeVar

import numpy as np

from cockpit.api.schema import (
    Alert,
    Batch,
    Brain,
    Catalog,
    Chain,
    EnterpriseList,
    EnterpriseProfile,
    Metric,
    Names,
    Reading,
    Series,
    Snapshot,
    Thresholds,
)
from cockpit.central.metrics import BRAINS, BrainSpec, MetricSpec, bench_brain
from cockpit.central.primitives import (
    _LRU,
    _NP,
    _PY,
    DAY_S,
    TZ_OFFSET_S,
    WEEK_S,
    Xp,
    _Excursion,
    _Gen,
    _key,
    _Py,
)

__all__ = [
    "DAY_S",
    "HISTORY_MS",
    "TZ_OFFSET_S",
    "BrainSpec",
    "MetricSpec",
    "Simulator",
    "bench_brain",
]

#: How far back the simulator serves history (the server rejects older ``since``).
HISTORY_MS = 8 * DAY_S * 1000
#: Longest alert episode the backward scan looks for; longer ones start at the cap.
_EPISODE_LOOKBACK_S = DAY_S
_SCAN_CHUNK_S = 1800
_TWO_PI = 2.0 * math.pi

Level = Literal["ok", "warn", "alarm"]
_K = TypeVar("_K", bound=Hashable)
#: running totals: a series point is the value at its start, not a mean
COUNTER_KINDS = ("today", "month", "year")
_V = TypeVar("_V")


# --------------------------------------------------------------------------- time shape
def _smoothstep(e: Any) -> Any:
    return e * e * (3.0 - 2.0 * e)


def _sig(x: Any, xp: Xp) -> Any:
    return 1.0 / (1.0 + xp.exp(-x))


def _hours(t: Any) -> Any:
    """Local (UTC+8) hour of day, 0..24, fractional."""
    return ((t + TZ_OFFSET_S) % DAY_S) / 3600.0


def _weekend(t: Any, xp: Xp) -> Any:
    """Weekend weight 0..1 with 1 h smooth ramps around Sat 00:00 and Mon 00:00 local."""
    ws = (t + TZ_OFFSET_S + 3 * DAY_S) % WEEK_S  # seconds since Monday 00:00 local
    rise = xp.clip((ws - 5 * DAY_S) / 3600.0 + 0.5, 0.0, 1.0)
    fall = xp.clip((WEEK_S - ws) / 3600.0 + 0.5, 0.0, 1.0)
    early = xp.clip(0.5 - ws / 3600.0, 0.0, 1.0)
    return _smoothstep(xp.minimum(rise, fall) + early)


def _handover(h: Any, hours: Sequence[float], xp: Xp) -> Any:
    """Dips of ~12 min around shift changes (e.g. 00:00, 08:00, 16:00)."""
    total: Any = 0.0
    for h0 in hours:
        dh = (h - h0 + 12.0) % 24.0 - 12.0
        total = total + xp.exp(-((dh / 0.2) ** 2))
    return total


def _activity(profile: str, t: Any, xp: Xp) -> Any:
    """Production activity ~0..1 by local time of day and day of week."""
    if profile == "flat":
        return 1.0
    h = _hours(t)
    wk = _weekend(t, xp)
    night = 0.5 * (1.0 + xp.cos(_TWO_PI * (h - 3.0) / 24.0))  # 1 at 03:00, 0 at 15:00
    lunch = xp.exp(-(((h - 12.2) / 0.5) ** 2))
    if profile == "plant":  # three 8 h shifts, continuous
        return (1.0 - 0.05 * night - 0.06 * _handover(h, (0.0, 8.0, 16.0), xp)) * (1.0 - 0.08 * wk)
    if profile == "fab":  # 24/7, two 12 h shifts
        return (1.0 - 0.01 * night - 0.03 * _handover(h, (8.0, 20.0), xp)) * (1.0 - 0.02 * wk)
    if profile == "day":  # office / sales / day shift
        open_ = _sig((h - 8.5) / 0.4, xp) * _sig((17.5 - h) / 0.5, xp)
        return (0.06 + 0.94 * open_ * (1.0 - 0.3 * lunch)) * (1.0 - 0.6 * wk)
    if profile == "market":  # wholesale market, open every day
        open_ = _sig((h - 7.5) / 0.4, xp) * _sig((17.5 - h) / 0.5, xp)
        return (0.1 + 0.9 * open_ * (1.0 - 0.2 * lunch)) * (1.0 - 0.15 * wk)
    if profile == "online":  # e-commerce: day and evening
        open_ = _sig((h - 8.0) / 0.6, xp) * _sig((22.5 - h) / 0.7, xp)
        return (0.12 + 0.88 * open_) * (1.0 - 0.1 * wk)
    if profile == "grid":  # industrial power: base load plus a day peak
        return (0.78 + 0.22 * (1.0 - night) - 0.03 * _handover(h, (0.0, 8.0, 16.0), xp)) * (1.0 - 0.1 * wk)
    raise ValueError(f"unknown activity profile {profile!r}")


# --------------------------------------------------------------------------- per metric
_SINE_PERIODS = (71.0, 443.0, 2531.0, 13337.0)
_SINE_AMPS = (0.12, 0.16, 0.12, 0.10)
_VN = ((19.0, 0.22), (331.0, 0.28))  # value noise (knot spacing s, amplitude); |noise| ≤ 1


def _make_gen(seed: int, spec: MetricSpec) -> _Gen:
    k = _key(seed, spec.id)
    u = [_Py.uniform(k, 1000 + i) for i in range(8)]
    periods = tuple(p * spec.tscale * (0.85 + 0.3 * u[i]) for i, p in enumerate(_SINE_PERIODS))
    phases = tuple(_TWO_PI * u[4 + i] for i in range(4))
    vn = tuple((p * spec.tscale, _key(seed, spec.id, "vn", i), a) for i, (p, a) in enumerate(_VN))
    lo, hi = -math.inf, math.inf
    if spec.lo is not None:
        lo = spec.lo
    if spec.hi is not None:
        hi = spec.hi
    if spec.range is not None:
        lo, hi = max(lo, spec.range[0]), min(hi, spec.range[1])
    return _Gen(
        spec=spec,
        key=k,
        exc_key=_key(seed, spec.id, "excursion"),
        periods=periods,
        phases=phases,
        vn=vn,
        c_ms=max(1, round(spec.cadence_s * 1000)),
        digits=0 if spec.integer else spec.precision + 2,
        lo=lo,
        hi=hi,
    )


def _noise(g: _Gen, t: Any, xp: Xp) -> Any:
    """Smooth noise in about [-1, 1]: seeded sines plus interpolated hashed value noise."""
    total: Any = 0.0
    for p, ph, a in zip(g.periods, g.phases, _SINE_AMPS, strict=True):
        total = total + a * xp.sin(_TWO_PI * ((t / p) % 1.0) + ph)
    for p, key, a in g.vn:
        x = t / p
        i = xp.floor(x)
        f = _smoothstep(x - i)
        lo = xp.uniform(key, i)
        hi = xp.uniform(key, i + 1.0)
        total = total + a * (2.0 * (lo + (hi - lo) * f) - 1.0)
    return total


def _level_of(th: Thresholds, v: float) -> Level:
    return th.level(v)


# --------------------------------------------------------------------------- simulator
class Simulator:
    """Six Shaoxing industry brains (plus an optional ``bench`` brain) as pure functions
    of time. Thread-safe: the only state is memoisation of pure results."""

    def __init__(self, seed: int = 0, *, bench: tuple[int, int, int] | None = None) -> None:
        self.seed = int(seed)
        self.bench = bench
        specs: list[BrainSpec] = list(BRAINS)
        if bench is not None:
            specs.append(bench_brain(*bench))
        self._brain_specs: dict[str, BrainSpec] = {b.id: b for b in specs}
        self._gens: dict[str, _Gen] = {}
        for b in specs:
            for s in b.metrics:
                self._gens[s.id] = _make_gen(self.seed, s)
        means = {p: self._profile_mean(p) for p in {g.spec.profile for g in self._gens.values()}}
        for g in self._gens.values():
            g.mean_activity = means[g.spec.profile]
        # Metrics whose threshold state counts towards city.alerts (industry brains only).
        self._watched: tuple[_Gen, ...] = tuple(
            g
            for b in BRAINS
            for s in b.metrics
            if (g := self._gens[s.id]).spec.kind != "alert_count" and _has_limits(s.thresholds)
        )
        # a counter with ``rate_of`` integrates another counter's rate (shares its day tables)
        self._src: dict[str, _Gen] = {
            mid: self._gens[g.spec.rate_of] for mid, g in self._gens.items() if g.spec.rate_of is not None
        }
        self._brains: dict[str, Brain] = {b.id: _brain_model(b) for b in specs}
        self._exc_cache = _LRU(16_384)
        self._tables = _LRU(512)
        self._totals = _LRU(16_384)
        self._episodes: dict[str, tuple[int, int]] = {}
        self._episodes_lock = threading.Lock()
        # the simulated enterprises, their panels and batches (imported here: those modules
        # use this one)
        from cockpit.central.batches import BatchBook
        from cockpit.central.firms import Firms
        from cockpit.central.panels import Panels

        self.firms = Firms(self)
        self.batches = BatchBook(self.seed, self.firms.registry)
        self.panels = Panels(self, self.firms, self.batches)
        self._listed: list[Brain] | None = None

    # ---- catalog -------------------------------------------------------------------
    def with_bench(self, gauges: int = 12, lines: int = 8, kpis: int = 6) -> Simulator:
        """The same simulator (same seed) with the ``bench`` brain added."""
        return Simulator(self.seed, bench=(gauges, lines, kpis))

    @property
    def brain_ids(self) -> list[str]:
        return list(self._brains)

    def brain(self, brain_id: str) -> Brain | None:
        return self._brains.get(brain_id)

    def brains(self) -> list[Brain]:
        return list(self._brains.values())

    def catalog(self, ts_ms: int) -> Catalog:
        """The brains, their metrics and the panels their snapshots carry."""
        if self._listed is None:  # the panels' ids and columns do not change: listed once
            self._listed = [b.model_copy(update={"panels": self.panels.info(b.id)}) for b in self.brains()]
        return Catalog(ts=ts_ms, brains=self._listed)

    def metric(self, metric_id: str) -> Metric | None:
        b = self._brains.get(metric_id.split(".", 1)[0])
        return b.metric(metric_id) if b is not None else None

    def has_metric(self, metric_id: str) -> bool:
        return metric_id in self._gens

    # ---- values --------------------------------------------------------------------
    def value(self, metric_id: str, ts_ms: int) -> float:
        """The value of a metric at ``ts_ms`` (epoch ms, UTC). KeyError if unknown."""
        return float(self._eval(self._gens[metric_id], ts_ms / 1000.0, _PY))

    def values(self, metric_id: str, ts_ms: Sequence[int] | np.ndarray) -> np.ndarray:
        """Vectorised :meth:`value` over many timestamps (float64 array)."""
        t = np.asarray(ts_ms, dtype=np.float64) / 1000.0
        out = np.asarray(self._eval(self._gens[metric_id], t, _NP), dtype=np.float64)
        return np.broadcast_to(out, t.shape).copy() if out.shape != t.shape else out

    def level(self, metric_id: str, value: float) -> Level:
        return _level_of(self._gens[metric_id].spec.thresholds, value)

    def _eval(self, g: _Gen, t: Any, xp: Xp) -> Any:
        s = g.spec
        if s.period:
            t = _period_start(s.period, t, xp)
        if s.kind == "level":
            v = self._level_raw(g, t, xp)
        elif s.kind == "today":
            v = self._today(self._src.get(s.id, g), t, xp)
        elif s.kind == "month":
            v = self._month(self._src.get(s.id, g), t, xp)
        elif s.kind == "year":
            v = self._year(self._src.get(s.id, g), t, xp)
        elif s.kind == "mean":
            v = sum(self._eval(self._gens[m], t, xp) for m in s.inputs) / len(s.inputs)
        elif s.kind == "yoy":
            v = self._yoy(self._src.get(s.inputs[0], self._gens[s.inputs[0]]), t, xp)
        elif s.kind == "firms_running":
            v = self.firms.running_count(s.id.split(".", 1)[0], t, xp)
        else:  # alert_count
            v = self._alert_count(t, xp)
        v = xp.clip(v, g.lo, g.hi)
        if s.integer:
            v = xp.floor(v) if s.kind in COUNTER_KINDS else xp.rint(v)
        else:
            scale = 10.0**g.digits
            v = xp.rint(v * scale) / scale
        if xp is _PY:
            return v if math.isfinite(v) else _fallback(g)
        return np.nan_to_num(v, nan=_fallback(g), posinf=_fallback(g), neginf=_fallback(g))

    def _level_raw(self, g: _Gen, t: Any, xp: Xp) -> Any:
        s = g.spec
        v: Any = s.base
        if s.coupling:
            v = s.base * (1.0 - s.coupling * (1.0 - _activity(s.profile, t, xp)))
        n = _noise(g, t, xp)
        v = v + s.noise * n
        if s.diurnal:
            v = v + s.diurnal * xp.cos(_TWO_PI * (_hours(t) - 14.0) / 24.0)
        if s.exc_p > 0.0:
            env, target = self._excursion_env(g, t, xp)
            v = v + env * (target + 0.25 * s.noise * n - v)
        return v

    # ---- excursions ----------------------------------------------------------------
    def _excursion(self, g: _Gen, hour: int) -> _Excursion | None:
        return self._exc_cache.get((g.spec.id, hour), lambda: _plan_excursion(g, hour))

    def _excursion_env(self, g: _Gen, t: Any, xp: Xp) -> tuple[Any, Any]:
        """Envelope 0..1 of the excursion active at ``t`` (if any) and its target value."""
        if xp is _PY:
            e = self._excursion(g, int(t // 3600))
            if e is None or not e.start < t < e.end:
                return 0.0, 0.0
            x = min((t - e.start) / e.ramp, (e.end - t) / e.ramp, 1.0)
            return _smoothstep(x), e.target
        hours = np.floor(t / 3600.0).astype(np.int64)
        if hours.size == 0:
            return np.zeros_like(t), np.zeros_like(t)
        h0 = int(hours.min())
        plans = [self._excursion(g, h) for h in range(h0, int(hours.max()) + 1)]
        start = np.array([p.start if p else 0.0 for p in plans])[hours - h0]
        end = np.array([p.end if p else 0.0 for p in plans])[hours - h0]
        ramp = np.array([p.ramp if p else 1.0 for p in plans])[hours - h0]
        target = np.array([p.target if p else 0.0 for p in plans])[hours - h0]
        x = np.clip(np.minimum((t - start) / ramp, (end - t) / ramp), 0.0, 1.0)
        return _smoothstep(x), target

    # ---- counters ------------------------------------------------------------------
    def _rate(self, g: _Gen, t: np.ndarray) -> np.ndarray:
        """Per-second rate of a counter at times ``t`` (numpy)."""
        s = g.spec
        if s.inputs:
            r: Any = s.k
            for m in s.inputs:
                r = r * self._eval(self._gens[m], t, _NP)
        else:
            a = _activity(s.profile, t, _NP) / g.mean_activity
            r = s.base / DAY_S * a * (1.0 + s.rate_noise * _noise(g, t, _NP))
        if s.growth:
            r = r * _growth_factor(s, t)
        return np.maximum(np.broadcast_to(r, t.shape), 0.0)

    def _yoy(self, src: _Gen, t: Any, xp: Xp) -> Any:
        """同比 in %: ``src``'s total over the last complete local month before ``t`` against
        the same month a year earlier."""

        def one(day: int) -> float:
            return self._totals.get(("yoy", src.spec.id, day), lambda: _yoy_of(self, src, day))

        if xp is _PY:
            return one(int((t + TZ_OFFSET_S) // DAY_S))
        days = np.floor((t + TZ_OFFSET_S) / DAY_S).astype(np.int64)
        out = np.empty(np.shape(t), dtype=np.float64)
        for day in np.unique(days):
            out[days == day] = one(int(day))
        return out

    def _day_table(self, g: _Gen, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-minute rates of local day ``day`` and the running total at each minute."""

        def make() -> tuple[np.ndarray, np.ndarray]:
            t = day * DAY_S - TZ_OFFSET_S + (np.arange(1440) + 0.5) * 60.0
            rate = self._rate(g, t)
            cum = np.concatenate(([0.0], np.cumsum(rate * 60.0)))
            return rate, cum

        return self._tables.get((g.spec.id, day), make)

    def _day_total(self, g: _Gen, day: int) -> float:
        return self._day_totals(g, day, day + 1)[0]

    def _day_totals(self, g: _Gen, first: int, stop: int) -> list[float]:
        """Totals of local days ``first`` … ``stop - 1``. Pure in (seed, metric, day), so they
        are kept in a module-wide memo shared by simulators of the same seed; the missing
        ones are computed in one vectorised pass (a year to date costs one pass, not 300)."""
        keys = [(self.seed, g.spec.id, d) for d in range(first, stop)]
        out = [_DAY_TOTALS.peek(k) for k in keys]
        missing = [first + i for i, v in enumerate(out) if v is None]
        for lo in range(0, len(missing), 64):
            chunk = np.asarray(missing[lo : lo + 64], dtype=np.float64)
            t = (chunk[:, None] * DAY_S - TZ_OFFSET_S + (np.arange(1440) + 0.5)[None, :] * 60.0).ravel()
            rate = self._rate(g, t).reshape(len(chunk), 1440)
            totals = np.cumsum(rate * 60.0, axis=1)[:, -1]
            for d, total in zip(chunk.astype(np.int64).tolist(), totals.tolist(), strict=True):
                _DAY_TOTALS.put((self.seed, g.spec.id, d), float(total))
                out[d - first] = float(total)
        return [float(v) for v in out]  # type: ignore[arg-type]

    def _today(self, g: _Gen, t: Any, xp: Xp) -> Any:
        """Running total since local midnight (piecewise linear in each minute)."""
        if xp is _PY:
            day = int((t + TZ_OFFSET_S) // DAY_S)
            off = t + TZ_OFFSET_S - day * DAY_S
            m = min(int(off // 60), 1439)
            rate, cum = self._day_table(g, day)
            return float(cum[m]) + float(rate[m]) * (off - 60.0 * m)
        days = np.floor((t + TZ_OFFSET_S) / DAY_S).astype(np.int64)
        out = np.empty_like(t)
        for day in np.unique(days):
            sel = days == day
            off = t[sel] + TZ_OFFSET_S - int(day) * DAY_S
            m = np.minimum((off // 60).astype(np.int64), 1439)
            rate, cum = self._day_table(g, int(day))
            out[sel] = cum[m] + rate[m] * (off - 60.0 * m)
        return out

    def _month(self, g: _Gen, t: Any, xp: Xp) -> Any:
        """Running total since the 1st of the local month."""
        if xp is _PY:
            day = int((t + TZ_OFFSET_S) // DAY_S)
            return self._month_before(g, day) + self._today(g, t, _PY)
        days = np.floor((t + TZ_OFFSET_S) / DAY_S).astype(np.int64)
        before = np.empty_like(t)
        for day in np.unique(days):
            before[days == day] = self._month_before(g, int(day))
        return before + self._today(g, t, _NP)

    def _month_before(self, g: _Gen, day: int) -> float:
        first = day - (_dt.date.fromordinal(_EPOCH_ORDINAL + day).day - 1)
        return self._totals.get(("m", g.spec.id, day), lambda: math.fsum(self._day_totals(g, first, day)))

    def _year(self, g: _Gen, t: Any, xp: Xp) -> Any:
        """Running total since 1 January (local)."""
        if xp is _PY:
            day = int((t + TZ_OFFSET_S) // DAY_S)
            return self._year_before(g, day) + self._today(g, t, _PY)
        days = np.floor((t + TZ_OFFSET_S) / DAY_S).astype(np.int64)
        before = np.empty_like(t)
        for day in np.unique(days):
            before[days == day] = self._year_before(g, int(day))
        return before + self._today(g, t, _NP)

    def _year_before(self, g: _Gen, day: int) -> float:
        first = _dt.date(_dt.date.fromordinal(_EPOCH_ORDINAL + day).year, 1, 1).toordinal() - _EPOCH_ORDINAL
        return self._totals.get(("y", g.spec.id, day), lambda: math.fsum(self._day_totals(g, first, day)))

    # ---- alerts --------------------------------------------------------------------
    def _alert_count(self, t: Any, xp: Xp) -> Any:
        """Active alerts at ``t``: each watched metric's reading (at its cadence tick, as a
        snapshot has it) past a threshold, plus the enterprises past a limit."""
        total: Any = 0.0
        for g in self._watched:
            cs = g.c_ms / 1000.0
            tick = t if cs == 1.0 else xp.floor(t / cs) * cs
            total = total + _out_of_bounds(g.spec.thresholds, self._eval(g, tick, xp), xp)
        return total + self.firms.alert_count(t, xp)

    def _episode_start(self, g: _Gen, sec: int) -> int:
        """First whole second of the run of non-ok seconds that ends at ``sec``.

        A pure function of (metric, sec) for runs shorter than a day; memoised so that
        polling every second only checks the seconds since the previous call.
        """
        th = g.spec.thresholds

        def bad(lo: int, hi: int) -> np.ndarray:  # non-ok flags for seconds lo..hi-1
            secs = np.arange(lo, hi, dtype=np.float64)
            return _out_of_bounds(th, self._eval(g, secs, _NP), _NP).astype(bool)

        with self._episodes_lock:
            cached = self._episodes.get(g.spec.id)
        if cached is not None:
            start, checked = cached
            if checked <= sec and sec - checked <= _SCAN_CHUNK_S and bad(checked + 1, sec + 1).all():
                with self._episodes_lock:
                    self._episodes[g.spec.id] = (start, sec)
                return start
        start = sec - _EPISODE_LOOKBACK_S
        hi = sec + 1
        while hi > sec - _EPISODE_LOOKBACK_S:
            lo = max(hi - _SCAN_CHUNK_S, sec - _EPISODE_LOOKBACK_S)
            flags = bad(lo, hi)
            ok = np.flatnonzero(~flags)
            if ok.size:
                start = lo + int(ok[-1]) + 1
                break
            hi = lo
        start = min(start, sec)
        with self._episodes_lock:
            self._episodes[g.spec.id] = (start, sec)
        return start

    def alerts(self, brain_id: str, now_ms: int, readings: dict[str, Reading] | None = None) -> list[Alert]:
        """Active alerts of a brain: its metrics now past a warn/alarm threshold.

        The id ``"<metric>:<episode start ms>"`` stays the same for one episode.
        """
        if readings is None:
            readings = self.readings(brain_id, now_ms)
        out: list[Alert] = []
        for mid, r in readings.items():
            g = self._gens[mid]
            th = g.spec.thresholds
            if r.value is None or g.spec.kind == "alert_count" or not _has_limits(th):
                continue
            lvl = th.level(r.value)
            if lvl == "ok":
                continue
            start_ms = self._episode_start(g, r.ts // 1000) * 1000
            zh, en = _alert_text(g.spec, th, r.value)
            out.append(
                Alert(
                    id=f"{mid}:{start_ms}",
                    brain=brain_id,
                    metric=mid,
                    level=lvl,
                    message=Names(zh=zh, en=en),
                    value=r.value,
                    ts=start_ms,
                )
            )
        out.extend(self.firms.alerts(brain_id, now_ms))
        out.sort(key=lambda a: (a.level != "alarm", a.ts, a.id))
        return out

    # ---- snapshots and series -------------------------------------------------------
    def readings(self, brain_id: str, now_ms: int) -> dict[str, Reading]:
        """Current readings: each metric's value at the last tick of its cadence."""
        out: dict[str, Reading] = {}
        for s in self._brain_specs[brain_id].metrics:
            g = self._gens[s.id]
            ts = now_ms // g.c_ms * g.c_ms
            if s.period:  # a statistic: the value and the time of its latest release
                ts = int(_period_start("day", now_ms / 1000.0, _PY)) * 1000
            out[s.id] = Reading(value=self._eval(g, ts / 1000.0, _PY), ts=ts)
        return out

    def snapshot(self, brain_id: str, now_ms: int) -> Snapshot:
        """Every metric's current value, the active alerts and the brain's panels (each at its
        latest tick). KeyError if unknown brain."""
        readings = self.readings(brain_id, now_ms)
        return Snapshot(brain=brain_id, ts=now_ms, values=readings, alerts=self.alerts(brain_id, now_ms, readings),
                        panels=self.panels.at(brain_id, now_ms))

    # ---- chains, enterprises, batches ------------------------------------------------
    def chain(self, brain_id: str, now_ms: int) -> Chain | None:
        """The brain's industry chain, or None for a brain without one."""
        from cockpit.central.chains import CHAINS, build_chain
        from cockpit.central.projects import enrich

        if brain_id not in CHAINS:
            return None
        return enrich(build_chain(brain_id, self.firms.registry, now_ms))

    def search(self, q: str, brain: str | None, limit: int, now_ms: int) -> EnterpriseList:
        """Enterprises whose name contains ``q`` or whose code starts with it (see
        :meth:`Registry.search`); ``total`` counts all, ``items`` the first ``limit``."""
        hits = self.firms.registry.search(q, brain)
        return EnterpriseList(q=q, total=len(hits), items=[self.firms.summary(e, now_ms) for e in hits[:limit]])

    def enterprise(self, code: str, now_ms: int) -> EnterpriseProfile | None:
        """The enterprise-code profile of ``code`` (a normalised valid code), or None."""
        from cockpit.central.profiles import profile

        e = self.firms.registry.get(code)
        return None if e is None else profile(self, e, now_ms)

    def batch(self, batch_no: str, now_ms: int) -> Batch | None:
        """The batch, or None when unknown; :class:`~cockpit.central.batches.MalformedBatch`
        when ``batch_no`` is not a batch number."""
        from cockpit.central.batches import parse

        parsed = parse(batch_no)
        if parsed is None:
            return None
        no, _year, _serial = parsed
        producers = self.firms.registry.of("wine")
        if not 1 <= no <= len(producers):
            return None
        return self.batches.batch(batch_no, now_ms, self.firms.summary(producers[no - 1], now_ms))

    def series_values(
        self, metric_id: str, since_ms: int, until_ms: int, step_s: int, now_ms: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Bucket starts (ms, multiples of ``step_s``, ``since <= t < until``) and values.

        Levels: the mean of ``min(12, step // 5)`` whole-second samples spread evenly over
        each bucket ``[t, t+step)`` (for a step under 10 s, the exact value at ``t``);
        samples after ``now_ms`` are left out. Running totals: the value at ``t`` (a mean
        of a running total has no meaning). ``city.alerts``: the maximum of
        ``min(12, step // 60)`` samples. Work per metric stays ≤ max(points, span / 5 s).
        """
        g = self._gens[metric_id]
        step_ms = int(step_s) * 1000
        first = -(-int(since_ms) // step_ms) * step_ms
        ts = np.arange(first, int(until_ms), step_ms, dtype=np.int64)
        agg = "first" if g.spec.kind in COUNTER_KINDS else g.spec.agg
        n = max(1, min(12, int(step_s) // (60 if g.spec.kind == "alert_count" else 5)))
        if agg == "first" or n == 1 or ts.size == 0:
            vals = self.values(metric_id, ts)
        else:
            offs = (np.arange(n, dtype=np.int64) * int(step_s)) // n * 1000
            grid = ts[:, None] + offs[None, :]
            sampled = self.values(metric_id, grid.ravel()).reshape(grid.shape)
            valid = np.ones(grid.shape, dtype=bool) if now_ms is None else grid <= now_ms
            valid[:, 0] = True
            if agg == "max":
                vals = np.where(valid, sampled, -np.inf).max(axis=1)
            else:
                vals = np.where(valid, sampled, 0.0).sum(axis=1) / valid.sum(axis=1)
            scale = 10.0**g.digits
            vals = np.rint(vals * scale) / scale
        return ts, vals

    def series(
        self, metric_id: str, since_ms: int, until_ms: int, step_s: int, now_ms: int | None = None
    ) -> Series:
        """:meth:`series_values` as a :class:`Series` model."""
        ts, vals = self.series_values(metric_id, since_ms, until_ms, step_s, now_ms)
        return Series(metric=metric_id, step_s=int(step_s), points=list(zip(ts.tolist(), vals.tolist(), strict=True)))

    # ---- helpers -------------------------------------------------------------------
    @staticmethod
    def _profile_mean(profile: str) -> float:
        """Mean activity of a profile over one week (used to size counters per day)."""
        t = np.arange(0.0, WEEK_S, 60.0) + 4 * DAY_S - TZ_OFFSET_S  # 1970-01-05 = Monday
        return float(np.mean(np.broadcast_to(_activity(profile, t, _NP), t.shape)))


_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
#: day totals of counters by (seed, metric, local day), shared by every simulator
_DAY_TOTALS = _LRU(200_000)


#: seconds in an average year (growth compounding)
YEAR_S = 365.2425 * DAY_S


def _growth_factor(s: MetricSpec, t: Any) -> Any:
    """(1 + growth) ** years since the middle of ``ref_year`` (local time)."""
    mid = (_dt.date(s.ref_year, 7, 2).toordinal() - _EPOCH_ORDINAL) * DAY_S - TZ_OFFSET_S
    return np.exp(math.log1p(s.growth / 100.0) * (np.asarray(t, dtype=np.float64) - mid) / YEAR_S)


def _month_first(day: int) -> int:
    """The local day number of the 1st of the month holding local day ``day``."""
    d = _dt.date.fromordinal(_EPOCH_ORDINAL + day)
    return day - (d.day - 1)


def _period_start(period: str, t: Any, xp: Xp) -> Any:
    """Start (epoch s) of the local day or month holding ``t``."""
    if xp is _PY:
        day = int((t + TZ_OFFSET_S) // DAY_S)
        if period == "month":
            day = _month_first(day)
        return float(day * DAY_S - TZ_OFFSET_S)
    days = np.floor((np.asarray(t, dtype=np.float64) + TZ_OFFSET_S) / DAY_S).astype(np.int64)
    if period == "month":
        firsts = {int(d): _month_first(int(d)) for d in np.unique(days)}
        days = np.vectorize(firsts.__getitem__, otypes=[np.int64])(days) if days.size else days
    return days.astype(np.float64) * DAY_S - TZ_OFFSET_S


def _yoy_of(sim: Simulator, src: _Gen, day: int) -> float:
    """同比 (%) of the month before the one holding local ``day``, from the day totals."""
    first = _month_first(day)
    prev_first = _month_first(first - 1)
    d0 = _dt.date.fromordinal(_EPOCH_ORDINAL + prev_first)
    a0 = _dt.date(d0.year - 1, d0.month, 1).toordinal() - _EPOCH_ORDINAL
    a1 = _dt.date(d0.year - 1 + d0.month // 12, d0.month % 12 + 1, 1).toordinal() - _EPOCH_ORDINAL
    now, then = _month_total(sim, src, prev_first, first), _month_total(sim, src, a0, a1)
    return 100.0 * (now / then - 1.0) if then > 0 else math.nan


def _month_total(sim: Simulator, src: _Gen, first: int, stop: int) -> float:
    """A counter's total over local days ``first`` … ``stop - 1`` from its rate sampled every
    10 minutes (a ratio of two months needs no finer grid; 1/10 of the minute tables' cost)."""
    t = (np.arange(first, stop, dtype=np.float64)[:, None] * DAY_S - TZ_OFFSET_S
         + (np.arange(144) + 0.5)[None, :] * 600.0).ravel()
    return float(np.sum(sim._rate(src, t)) * 600.0)


def _fallback(g: _Gen) -> float:
    return float(min(max(g.spec.base, g.lo), g.hi)) if math.isfinite(g.spec.base) else 0.0


def _has_limits(th: Thresholds) -> bool:
    return any(x is not None for x in (th.warn_low, th.warn_high, th.alarm_low, th.alarm_high))


def _out_of_bounds(th: Thresholds, v: Any, xp: Xp) -> Any:
    """1 where ``v`` is past any threshold (same rule as :meth:`Thresholds.level`)."""
    if xp is _PY:
        return float(th.level(v) != "ok")
    flags = np.zeros(np.shape(v), dtype=bool)
    for lim in (th.warn_high, th.alarm_high):
        if lim is not None:
            flags |= v >= lim
    for lim in (th.warn_low, th.alarm_low):
        if lim is not None:
            flags |= v <= lim
    return flags.astype(np.float64)


def _plan_excursion(g: _Gen, hour: int) -> _Excursion | None:
    """Whether metric ``g`` has an excursion in ``hour`` (hashed chance ``exc_p``) and its
    shape: 5–20 min, inside the hour, to a target between warn and alarm or past alarm."""
    s, th = g.spec, g.spec.thresholds

    def u(j: int) -> float:
        return _Py.uniform(g.exc_key, hour * 8 + j)

    if s.exc_p <= 0.0 or u(0) >= s.exc_p:
        return None
    dur = 300.0 + 900.0 * u(1)
    start = hour * 3600.0 + (3600.0 - dur - 1.0) * u(2)
    up_ok = th.warn_high is not None or th.alarm_high is not None
    down_ok = th.warn_low is not None or th.alarm_low is not None
    direction = s.exc_dir or (1 if u(3) < 0.5 else -1)
    if (direction > 0 and not up_ok) or (direction < 0 and not down_ok):
        direction = -direction
        if (direction > 0 and not up_ok) or (direction < 0 and not down_ok):
            return None
    warn, alarm = (th.warn_high, th.alarm_high) if direction > 0 else (th.warn_low, th.alarm_low)
    margin = 1.5 * s.noise
    if warn is not None and alarm is not None:
        gap = abs(alarm - warn)
        if u(4) < 0.6:  # stop between warn and alarm
            target = warn + direction * gap * (0.35 + 0.4 * u(5))
        else:  # go past alarm
            target = alarm + direction * max(gap * (0.2 + 0.6 * u(5)), 0.5 * margin)
    else:
        lim = warn if warn is not None else alarm
        assert lim is not None
        target = lim + direction * max(abs(lim) * 0.03, margin) * (0.5 + u(5))
    target = min(max(target, g.lo), g.hi)
    return _Excursion(start=start, end=start + dur, ramp=min(120.0, dur / 4.0), target=target)


def _fmt(v: float, precision: int) -> str:
    return f"{v:.{precision}f}"


def _alert_text(s: MetricSpec, th: Thresholds, v: float) -> tuple[str, str]:
    """zh/en alert message naming the metric, the value and the limit passed."""
    p = s.precision
    cases = (
        (th.alarm_high, v >= (th.alarm_high or 0), "高于告警上限", "above alarm limit"),
        (th.alarm_low, v <= (th.alarm_low or 0), "低于告警下限", "below alarm limit"),
        (th.warn_high, v >= (th.warn_high or 0), "高于预警上限", "above warning limit"),
        (th.warn_low, v <= (th.warn_low or 0), "低于预警下限", "below warning limit"),
    )
    for lim, hit, zh, en in cases:
        if lim is not None and hit:
            return (
                f"{s.zh} {_fmt(v, p)}{s.unit_zh}，{zh} {_fmt(lim, p)}{s.unit_zh}",
                f"{s.en} {_fmt(v, p)} {s.unit_en}, {en} {_fmt(lim, p)} {s.unit_en}",
            )
    return f"{s.zh} {_fmt(v, p)}{s.unit_zh}", f"{s.en} {_fmt(v, p)} {s.unit_en}"


def _brain_model(b: BrainSpec) -> Brain:
    metrics = [
        Metric(
            id=s.id,
            name=Names(zh=s.zh, en=s.en),
            unit=Names(zh=s.unit_zh, en=s.unit_en),
            range=s.range,
            thresholds=s.thresholds,
            precision=s.precision,
            cadence_s=s.cadence_s,
            headline=s.headline,
            description=Names(zh=s.basis_zh, en=s.basis_en) if s.basis_zh and s.basis_en else None,
            scope=Names(zh=s.scope_zh, en=s.scope_en) if s.scope_zh and s.scope_en else None,
            source=Names(zh=s.source_zh, en=s.source_en) if s.source_zh and s.source_en else None,
            up_is_good=s.up_is_good,
        )
        for s in b.metrics
    ]
    return Brain(id=b.id, name=Names(zh=b.zh, en=b.en), metrics=metrics)
