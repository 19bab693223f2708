"""Live figures of the simulated enterprises, consistent with their brain's metrics.

Every figure is a pure function of the seed and the time, like the metrics, and is derived
*from* the brain's metrics so that the two agree by construction:

* **Status** (running / idle / stopped) is drawn per enterprise per block of 2–6 hours
  (hashed), with idle more likely at night and on weekends for day-shift industries. It
  changes only on whole hours. ``<brain>.firms_running`` counts the running ones.
* **Shares.** In each hour an enterprise's share of its brain's output is
  ``w_i·s_i·v_i / Σ w_j·s_j·v_j`` (size weight, 1 if running else 0, a per-hour
  productivity factor). A counter of the brain (``dyeing.output_today``, ``ic.output_mtd``
  …) is split hour by hour with those shares, so the enterprises' running totals add up
  to the brain's exactly (rounded by largest remainder to the metric's digits) and never
  decrease. Integer counters (``pharma.batches_today``) are dealt out unit by unit.
* **Run rates**: ``rr_i = rate × s_i·v_i / Σ w_j·s_j·v_j``, so the size-weighted mean of the
  enterprises' run rates is the brain's run rate.
* **Intensities** (water, energy, COD per 100 m …) are ``brain value × r_i`` with
  ``Σ share_i·r_i = 1``: the output-weighted mean is the brain's figure. Temperatures are
  ``brain value + offset_i`` with a size-weighted mean offset of zero.
* **Limits.** Now and then (hashed per enterprise and 4-hour block) an enterprise runs past
  a limit (1.6 t water or 30 kgce per 100 m, COD 200 mg/L, 34 °C in a fermentation tank).
  Any enterprise whose shown value is past its limit is an alert of the brain
  (``Alert.enterprise`` set); ``city.alerts`` counts them too.

Figures refresh on :data:`TICK_S` ticks (the enterprises panel's cadence); statuses on
whole hours (:data:`SLOT_S`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from cockpit.api.schema import Alert, EnterpriseSummary, Names, Status
from cockpit.central.enterprises import ENTERPRISE_BRAINS, Enterprise, Registry
from cockpit.central.metrics import BRAINS
from cockpit.central.primitives import _LRU, _NP, _PY, DAY_S, TZ_OFFSET_S, _Gen, _mix64_np

if TYPE_CHECKING:
    from cockpit.central.simulator import Simulator

__all__ = ["INTENSITIES", "SLOT_S", "STATUSES", "TICK_S", "Firms", "Intensity", "lr_round"]

SLOT_S = 3600
TICK_S = 10
STATUSES: tuple[Status, Status, Status] = ("running", "idle", "stopped")
_EPISODE_LOOKBACK_TICKS = DAY_S // TICK_S
_SCAN_CHUNK_TICKS = 360

# salts of the per-enterprise draws
_S_STATUS, _S_V, _S_Z, _S_EXC, _S_EXC2, _S_DAY = (0x5157, 0x7E11, 0x2A2A, 0xE0C1, 0xE0C2, 0xDA11)


@dataclass(frozen=True)
class StatusModel:
    """Chance an enterprise is stopped / idle in an hour, and its hourly output wobble."""

    p_stop: float
    p_idle_day: float  # 08:00–20:00 local, weekdays
    p_idle_night: float
    p_idle_weekend: float  # added on Saturdays and Sundays
    v_spread: float  # productivity factor 1 ± v_spread


STATUS_MODEL: dict[str, StatusModel] = {
    "dyeing": StatusModel(0.015, 0.05, 0.10, 0.04, 0.15),  # three shifts
    "textile": StatusModel(0.015, 0.07, 0.12, 0.05, 0.12),
    "wine": StatusModel(0.01, 0.08, 0.55, 0.25, 0.2),  # day work
    "ic": StatusModel(0.01, 0.03, 0.04, 0.01, 0.04),  # 24/7 fabs
    "pharma": StatusModel(0.015, 0.06, 0.22, 0.10, 0.12),
}


@dataclass(frozen=True)
class Intensity:
    """An enterprise figure spread around one of the brain's metrics.

    ``ratio``: value = brain × r_i (output-weighted mean = brain); only enterprises in
    production have one. ``offset``: value = brain + o_i (size-weighted mean = brain).
    ``limit``: an enterprise past it (shown value > limit) is an alert.
    """

    column: str
    metric: str
    mode: Literal["ratio", "offset"]
    spread: float  # ratio: sd of the log factor; offset: sd in the metric's unit
    precision: int
    limit: float | None = None
    zh: str = ""
    en: str = ""
    unit_zh: str = ""
    unit_en: str = ""
    limit_zh: str = "限值"
    p_exceed: float = 0.0  # chance per enterprise and 4-hour block of running past the limit
    links: frozenset[str] | None = None  # only the enterprises on these chain links have it
    cap: float | None = None  # values are at most this (e.g. a yield of 100 %)


INTENSITIES: dict[str, tuple[Intensity, ...]] = {
    "dyeing": (
        Intensity("water_per_100m", "dyeing.water_per_100m", "ratio", 0.07, 2, 1.6, "百米取水量",
                  "fresh water per 100 m", "吨", "t", p_exceed=0.008),
        Intensity("energy_per_100m", "dyeing.energy_per_100m", "ratio", 0.05, 1, 30.0, "百米综合能耗",
                  "energy per 100 m", "千克标煤", "kgce", p_exceed=0.008),
        Intensity("cod", "dyeing.cod", "ratio", 0.09, 0, 200.0, "废水COD", "effluent COD", "mg/L", "mg/L",
                  p_exceed=0.008),
    ),
    "textile": (Intensity("power_per_100m", "textile.power_per_100m", "ratio", 0.08, 1),),
    "wine": (
        Intensity("ferment_temp", "wine.ferment_temp", "offset", 0.7, 1, 34.0, "发酵罐温度",
                  "fermentation tank temperature", "°C", "°C", limit_zh="上限", p_exceed=0.01),
    ),
    "ic": (
        Intensity("yield", "ic.yield", "offset", 0.5, 2, cap=99.99, links=frozenset({
            "ic_fab_8in", "ic_fab_12in", "ic_fab_mems", "ic_fab_power", "ic_pkg_advanced",
            "ic_pkg_traditional", "ic_test"})),
    ),
}
_BASE = {s.id: s.base for b in BRAINS for s in b.metrics}


@dataclass(frozen=True)
class Slot:
    """One hour of a brain's enterprises (arrays in registry order)."""

    status: np.ndarray  # int8: 0 running, 1 idle, 2 stopped
    share: np.ndarray  # share of output (running ones only), Σ = 1
    rr: np.ndarray  # run-rate factor: rr_i × brain rate; Σ w·rr = 1
    sales: np.ndarray  # share of sales (not tied to production status), Σ = 1
    factor: dict[str, np.ndarray]  # per intensity column: r_i or o_i (NaN: no figure)
    running: int


def _uniform(keys: np.ndarray, idx: np.ndarray | int, salt: int) -> np.ndarray:
    """Uniform [0, 1) per (enterprise key, integer index, salt); vectorised."""
    i = np.atleast_1d(np.asarray(idx, dtype=np.int64)).astype(np.uint64)  # arrays: uint64 wraps silently
    h = _mix64_np(_mix64_np(i ^ np.uint64(salt)) ^ keys)
    return (h >> np.uint64(11)).astype(np.float64) * 2.0**-53


def lr_round(x: np.ndarray, total: float, digits: int) -> np.ndarray:
    """``x`` rounded to ``digits`` decimals so that the rounded values add up to ``total``
    (itself on ``digits`` decimals) exactly: largest remainder."""
    scale = 10.0**digits
    y = np.maximum(np.asarray(x, dtype=np.float64), 0.0) * scale
    fl = np.floor(y)
    rem = int(round(total * scale)) - int(fl.sum())
    if rem:
        frac = y - fl
        if rem > 0:
            order = np.argsort(-frac, kind="stable")
            while rem > 0:
                take = order[: min(rem, len(order))]
                fl[take] += 1
                rem -= len(take)
        else:
            order = np.argsort(frac, kind="stable")
            order = order[fl[order] > 0]
            fl[order[: min(-rem, len(order))]] -= 1
    return fl / scale


class Firms:
    """The enterprises of one simulator, live (thread-safe; memoises pure results only)."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.registry = Registry(sim.seed)
        self._arrays: dict[str, dict[str, np.ndarray]] = {}
        for brain in ENTERPRISE_BRAINS:
            firms = self.registry.of(brain)
            self._arrays[brain] = self._static(brain, firms)
        # memos of pure results, bounded: hours (~6 kB each), day-level splits (≤ 21 kB), ticks
        self._slots = _LRU(2048)
        self._memo = _LRU(1024)
        self._ticks = _LRU(256)
        self._episodes: dict[tuple[str, str], tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._owners: dict[tuple[str, int], list[int]] = {}

    # ---- static per-enterprise arrays ------------------------------------------------
    def _static(self, brain: str, firms: tuple[Enterprise, ...]) -> dict[str, np.ndarray]:
        n = len(firms)
        keys = np.array([e.key for e in firms], dtype=np.uint64)
        u = np.array([[e.u(20 + j) for j in range(8)] for e in firms]).reshape(n, 8)
        block = np.array([2, 3, 4, 6])[np.minimum((u[:, 0] * 4).astype(int), 3)]
        out = {
            "keys": keys,
            "w": np.array([e.weight for e in firms]),
            "block": block.astype(np.int64),
            "phase": np.floor(u[:, 1] * block).astype(np.int64),
            "idle_bias": 0.5 + u[:, 2],  # small and large firms idle differently
            "z": (u[:, 3] + u[:, 4] + u[:, 5] - 1.5) / 0.5,  # ~N(0, 1): a persistent efficiency
            "stock": 0.6 + 0.8 * u[:, 6],
            "orders": 0.7 + 0.6 * u[:, 7],
        }
        for it in INTENSITIES.get(brain, ()):
            if it.links is not None:
                out["has_" + it.column] = np.array([e.link in it.links for e in firms])
        return out

    def enterprises(self, brain: str) -> tuple[Enterprise, ...]:
        return self.registry.of(brain)

    # ---- hours -----------------------------------------------------------------------
    def slot(self, brain: str, hour: int) -> Slot:
        """The brain's enterprises in UTC hour ``hour`` (= t // 3600; local hours align)."""
        return self._slots.get((brain, hour), lambda: self._make_slot(brain, hour))  # type: ignore[no-any-return]

    def _hours(self, brain: str, hours: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Status, output share, run-rate factor and sales share of the brain's enterprises in
        each of ``hours`` (UTC hour indexes): arrays of shape (len(hours), enterprises)."""
        a = self._arrays[brain]
        m = STATUS_MODEL[brain]
        keys, w = a["keys"][None, :], a["w"][None, :]
        hs = np.asarray(hours, dtype=np.int64)[:, None]
        local_h = (hs * 3600 + TZ_OFFSET_S) % DAY_S // 3600
        weekday = ((hs * 3600 + TZ_OFFSET_S) // DAY_S + 3) % 7  # 0 = Monday
        p_idle = np.where((local_h >= 8) & (local_h < 20), m.p_idle_day, m.p_idle_night)
        p_idle = p_idle + np.where(weekday >= 5, m.p_idle_weekend, 0.0)
        p_idle_i = np.minimum(p_idle * a["idle_bias"][None, :], 0.95)
        u = _uniform(keys, (hs + a["phase"][None, :]) // a["block"][None, :], _S_STATUS)
        status = np.where(u < m.p_stop, 2, np.where(u < m.p_stop + p_idle_i, 1, 0)).astype(np.int8)
        prod = (status == 0).astype(np.float64)
        v = 1.0 + m.v_spread * (2.0 * _uniform(keys, np.broadcast_to(hs, status.shape), _S_V) - 1.0)
        wpv = w * prod * v
        total = wpv.sum(axis=1, keepdims=True)
        safe = np.where(total > 0.0, total, 1.0)
        # nobody running (never seen in practice): output spread by size alone
        share = np.where(total > 0.0, wpv / safe, w / w.sum())
        rr = prod * v / safe
        wv = w * v
        sales = wv / wv.sum(axis=1, keepdims=True)
        return status, share, rr, sales

    def _make_slot(self, brain: str, hour: int) -> Slot:
        a = self._arrays[brain]
        keys, w = a["keys"], a["w"]
        st, sh, rrs, sa = self._hours(brain, np.array([hour]))
        status, share, rr, sales = st[0], sh[0], rrs[0], sa[0]
        prod = (status == 0).astype(np.float64)
        factor: dict[str, np.ndarray] = {}
        for j, it in enumerate(INTENSITIES.get(brain, ())):
            z = a["z"] if j == 0 else np.roll(a["z"], 7 * j)  # another persistent draw per column
            jitter = 2.0 * _uniform(keys, hour, _S_Z + j) - 1.0
            block4 = (hour + a["phase"]) // 4  # per-firm 4-hour blocks: breaches do not all start together
            exceed = _uniform(keys, block4, _S_EXC + j) < it.p_exceed
            e_size = _uniform(keys, block4, _S_EXC2 + j)
            has = a.get("has_" + it.column)
            base = _BASE[it.metric]
            if it.mode == "ratio":
                f = np.exp(it.spread * (z + 0.5 * jitter))
                if it.limit is not None:
                    f = np.minimum(f, 0.97 * it.limit / base)
                    f = np.where(exceed, it.limit / base * (1.07 + 0.15 * e_size), f)
                mask = prod > 0 if has is None else (prod > 0) & has
                f = np.where(mask, f, np.nan)
                norm = np.nansum(share * f)
                factor[it.column] = f / norm if norm > 0 else f
            else:
                o = it.spread * (z + 0.4 * jitter)
                if it.limit is not None:
                    o = np.minimum(o, 0.8 * (it.limit - base))
                    o = np.where(exceed, it.limit - base + 0.6 + 1.4 * e_size, o)
                mask = np.ones(len(o), dtype=bool) if has is None else has
                o = o - np.sum(w[mask] * o[mask]) / np.sum(w[mask])
                factor[it.column] = np.where(mask, o, np.nan)
        return Slot(status=status, share=share, rr=rr, sales=sales, factor=factor, running=int((status == 0).sum()))

    def status(self, brain: str, t_ms: int) -> np.ndarray:
        return self.slot(brain, t_ms // 1000 // SLOT_S).status

    def status_of(self, e: Enterprise, t_ms: int) -> Status:
        return STATUSES[int(self.status(e.brain, t_ms)[e.index])]

    def summary(self, e: Enterprise, t_ms: int) -> EnterpriseSummary:
        """``e`` as a search lists it, with its status at ``t_ms``."""
        return EnterpriseSummary(code=e.code, name=e.name, brain=e.brain, district=e.district,
                                 district_name=e.district_name, status=self.status_of(e, t_ms))

    def running_count(self, brain: str, t: Any, xp: Any) -> Any:
        """Enterprises running at ``t`` (seconds; float or array)."""
        if xp is _PY:
            return float(self.slot(brain, int(t // SLOT_S)).running)
        hours = np.floor(np.asarray(t) / SLOT_S).astype(np.int64)
        out = np.empty(hours.shape, dtype=np.float64)
        for h in np.unique(hours):
            out[hours == h] = self.slot(brain, int(h)).running
        return out

    # ---- counters split over the enterprises --------------------------------------------
    def _shares(self, brain: str, hour: int, mode: str) -> np.ndarray:
        s = self.slot(brain, hour)
        return s.sales if mode == "sales" else s.share

    def _day_shares(self, brain: str, day: int, mode: str) -> np.ndarray:
        """Shares of the 24 hours of local ``day``, shape (24, enterprises)."""

        def make() -> np.ndarray:
            h0 = (day * DAY_S - TZ_OFFSET_S) // SLOT_S
            _st, share, _rr, sales = self._hours(brain, np.arange(h0, h0 + 24))
            return sales if mode == "sales" else share

        return self._memo.get(("shares", brain, day, mode), make)  # type: ignore[no-any-return]

    def _day_alloc(self, brain: str, src: _Gen, day: int, mode: str, hours: int = 24) -> np.ndarray:
        """The split of the first ``hours`` whole hours of local ``day`` of counter ``src``."""

        def make() -> np.ndarray:
            _rate, cum = self.sim._day_table(src, day)
            deltas = cum[60 : 60 * hours + 1 : 60] - cum[0 : 60 * hours : 60]
            return deltas @ self._day_shares(brain, day, mode)[:hours]

        return self._memo.get(("day", brain, src.spec.id, day, mode, hours), make)  # type: ignore[no-any-return]

    def _alloc_today(self, brain: str, src: _Gen, t_ms: int, mode: str) -> np.ndarray:
        t = t_ms / 1000.0
        day = int((t + TZ_OFFSET_S) // DAY_S)
        off = t + TZ_OFFSET_S - day * DAY_S
        h = min(int(off // SLOT_S), 23)
        _rate, cum = self.sim._day_table(src, day)
        done = self._day_alloc(brain, src, day, mode, h)
        now = float(self.sim._today(src, t, _PY))
        return done + (now - cum[60 * h]) * self._shares(brain, int(t // SLOT_S), mode)

    def _alloc_month(self, brain: str, src: _Gen, t_ms: int, mode: str) -> np.ndarray:
        t = t_ms / 1000.0
        day = int((t + TZ_OFFSET_S) // DAY_S)
        first = day - (_day_of_month(day) - 1)
        out = self._alloc_today(brain, src, t_ms, mode)
        for d in range(first, day):
            out = out + self._day_alloc(brain, src, d, mode)
        return out

    def split(self, metric_id: str, t_ms: int, mode: str = "production") -> np.ndarray:
        """Counter ``metric_id`` (a ``today`` or ``month`` kind) at ``t_ms`` split over the
        brain's enterprises, rounded so the parts add up to the metric's reading exactly."""
        g = self.sim._gens[metric_id]
        brain = metric_id.split(".", 1)[0]
        src = self.sim._src.get(metric_id, g)
        raw = self._alloc_month(brain, src, t_ms, mode) if g.spec.kind == "month" else \
            self._alloc_today(brain, src, t_ms, mode)
        return lr_round(raw, self.sim.value(metric_id, t_ms), g.digits)

    def month_of(self, metric_id: str, t_ms: int, mode: str = "production") -> np.ndarray:
        """A ``today`` counter's month to date, split over the enterprises (not rounded)."""
        g = self.sim._gens[metric_id]
        return self._alloc_month(metric_id.split(".", 1)[0], self.sim._src.get(metric_id, g), t_ms, mode)

    def level_split(self, metric_id: str, t_ms: int, weights: np.ndarray) -> np.ndarray:
        """A level (a stock, orders in hand) split by ``weights``, adding up exactly."""
        g = self.sim._gens[metric_id]
        return lr_round(weights / weights.sum() * self.sim.value(metric_id, t_ms), self.sim.value(metric_id, t_ms),
                        g.digits)

    def units(self, metric_id: str, t_ms: int) -> np.ndarray:
        """An integer ``today`` counter dealt out unit by unit: unit k goes to an enterprise
        running in the hour it was counted, with chance ∝ its output share (hashed)."""
        g = self.sim._gens[metric_id]
        brain = metric_id.split(".", 1)[0]
        t = t_ms / 1000.0
        day = int((t + TZ_OFFSET_S) // DAY_S)
        n = int(self.sim.value(metric_id, t_ms))
        _rate, cum = self.sim._day_table(g, day)
        h0 = (day * DAY_S - TZ_OFFSET_S) // SLOT_S
        keys = self._arrays[brain]["keys"]
        with self._lock:
            owners = self._owners.setdefault((brain, day), [])
            if len(self._owners) > 64:
                for k in list(self._owners)[:-32]:
                    del self._owners[k]
            if len(owners) < n:
                ks = np.arange(len(owners) + 1, n + 1, dtype=np.float64)
                minutes = np.clip(np.searchsorted(cum, ks, side="left") - 1, 0, 1439)
                draws = _uniform(keys[:1], (day * 100_000 + ks).astype(np.int64), _S_DAY)
                for m, u in zip(minutes.tolist(), draws.tolist(), strict=True):
                    cdf = np.cumsum(self._shares(brain, h0 + m // 60, "production"))
                    owners.append(int(min(np.searchsorted(cdf, u * cdf[-1], side="right"), len(cdf) - 1)))
            counts = np.bincount(np.asarray(owners[:n], dtype=np.int64), minlength=len(keys))
        return counts.astype(np.float64)

    def rates(self, metric_id: str, t_ms: int) -> np.ndarray:
        """Each enterprise's run rate: the brain's rate × its factor (size-weighted mean = the
        brain's rate); 0 when not running."""
        brain = metric_id.split(".", 1)[0]
        rr = self.slot(brain, t_ms // 1000 // SLOT_S).rr * self.sim.value(metric_id, t_ms)
        return np.minimum(np.round(rr, 1), 100.0)

    def order_weights(self, brain: str, t_ms: int) -> np.ndarray:
        a = self._arrays[brain]
        day = (t_ms // 1000 + TZ_OFFSET_S) // DAY_S
        return a["w"] * a["orders"] * (0.8 + 0.4 * _uniform(a["keys"], day, _S_DAY + 1))

    def stock_weights(self, brain: str) -> np.ndarray:
        a = self._arrays[brain]
        return a["w"] * a["stock"]

    # ---- intensities and limits ------------------------------------------------------
    def intensity(self, brain: str, column: str, t_ms: int) -> np.ndarray:
        """Each enterprise's value of intensity ``column`` at ``t_ms`` (NaN: none)."""
        it = _intensity(brain, column)
        b = self.sim.value(it.metric, t_ms)
        f = self.slot(brain, t_ms // 1000 // SLOT_S).factor[column]
        return _shown(it, np.asarray(b), f)

    def _over(self, brain: str, t_ms: int) -> list[tuple[int, Intensity, float]]:
        """(enterprise index, intensity, value) of the enterprises past a limit at tick ``t_ms``."""

        def make() -> list[tuple[int, Intensity, float]]:
            out = []
            for it in INTENSITIES.get(brain, ()):
                if it.limit is None:
                    continue
                vals = self.intensity(brain, it.column, t_ms)
                for i in np.flatnonzero(vals > it.limit).tolist():
                    out.append((i, it, float(vals[i])))
            return out

        return self._ticks.get(("over", brain, t_ms), make)  # type: ignore[no-any-return]

    def alerts(self, brain: str, now_ms: int) -> list[Alert]:
        """The enterprises of ``brain`` past a limit at the tick of ``now_ms``: one alarm each,
        its id ``"<code>:<column>:<start ms>"`` kept through the episode."""
        tick = now_ms // (TICK_S * 1000) * TICK_S * 1000
        firms = self.registry.of(brain)
        out = []
        for i, it, v in self._over(brain, tick):
            e = firms[i]
            start = self._episode_start(brain, i, it, tick // 1000 // TICK_S) * TICK_S * 1000
            zh, en = _message(e, it, v)
            out.append(Alert(id=f"{e.code}:{it.column}:{start}", brain=brain, metric=None, level="alarm",
                             message=Names(zh=zh, en=en), value=v, ts=start, enterprise=e.code,
                             district=e.district_name))
        return out

    def alert_count(self, t: Any, xp: Any) -> Any:
        """Enterprises past a limit at ``t`` (seconds, float or array), all brains."""
        if xp is _PY:
            tick = int(t // TICK_S) * TICK_S * 1000
            return float(sum(len(self._over(b, tick)) for b in INTENSITIES))
        ts = np.asarray(t, dtype=np.float64)
        ticks = np.floor(ts / TICK_S) * TICK_S
        total = np.zeros(ts.shape)
        for brain, its in INTENSITIES.items():
            for it in its:
                if it.limit is None:
                    continue
                b = np.asarray(self.sim._eval(self.sim._gens[it.metric], ticks, _NP), dtype=np.float64)
                total += self._count_over(brain, it, ticks, b)
        return total

    def _count_over(self, brain: str, it: Intensity, ticks: np.ndarray, b: np.ndarray) -> np.ndarray:
        hours = np.floor(ticks / SLOT_S).astype(np.int64)
        out = np.zeros(ticks.shape)
        for h in np.unique(hours):
            sel = hours == h
            f = self.slot(brain, int(h)).factor[it.column]
            vals = _shown(it, b[sel][:, None], f[None, :])
            out[sel] = (vals > it.limit).sum(axis=1)
        return out

    def _episode_start(self, brain: str, i: int, it: Intensity, tick: int) -> int:
        """First tick of the run of ticks, ending at ``tick``, in which enterprise ``i`` was
        past the limit (memoised, so a poll only checks the ticks since the last one)."""
        key = (self.registry.of(brain)[i].code, it.column)
        g = self.sim._gens[it.metric]

        def over(lo: int, hi: int) -> np.ndarray:  # flags for ticks lo..hi-1
            ticks = np.arange(lo, hi, dtype=np.float64) * TICK_S
            b = np.asarray(self.sim._eval(g, ticks, _NP), dtype=np.float64)
            hours = np.floor(ticks / SLOT_S).astype(np.int64)
            f = np.array([self.slot(brain, int(h)).factor[it.column][i] for h in hours])
            return np.asarray(_shown(it, b, f) > it.limit)

        with self._lock:
            cached = self._episodes.get(key)
        if cached is not None:
            start, checked = cached
            if checked <= tick and tick - checked <= _SCAN_CHUNK_TICKS and over(checked + 1, tick + 1).all():
                with self._lock:
                    self._episodes[key] = (start, tick)
                return start
        start = tick - _EPISODE_LOOKBACK_TICKS
        hi = tick + 1
        while hi > tick - _EPISODE_LOOKBACK_TICKS:
            lo = max(hi - _SCAN_CHUNK_TICKS, tick - _EPISODE_LOOKBACK_TICKS)
            ok = np.flatnonzero(~over(lo, hi))
            if ok.size:
                start = lo + int(ok[-1]) + 1
                break
            hi = lo
        start = min(start, tick)
        with self._lock:
            if len(self._episodes) > 10_000:
                self._episodes.clear()
            self._episodes[key] = (start, tick)
        return start

    def alerts_by_enterprise(self, brain: str, t_ms: int) -> dict[str, list[tuple[Intensity, float]]]:
        tick = t_ms // (TICK_S * 1000) * TICK_S * 1000
        firms = self.registry.of(brain)
        out: dict[str, list[tuple[Intensity, float]]] = {}
        for i, it, v in self._over(brain, tick):
            out.setdefault(firms[i].code, []).append((it, v))
        return out

    def memo(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """Memoise a small per-tick result (used by the panel builders)."""
        return self._ticks.get(key, make)


def _intensity(brain: str, column: str) -> Intensity:
    for it in INTENSITIES.get(brain, ()):
        if it.column == column:
            return it
    raise KeyError(f"{brain}.{column} is not an enterprise intensity")


def _shown(it: Intensity, b: Any, f: Any) -> Any:
    """The value an enterprise shows: rounded to the column's precision (NaN stays NaN)."""
    raw = b * f if it.mode == "ratio" else b + f
    if it.cap is not None:
        raw = np.minimum(raw, it.cap)
    scale = 10.0**it.precision
    return np.rint(raw * scale) / scale


def _fmt(v: float, p: int) -> str:
    return f"{v:.{p}f}"


def _message(e: Enterprise, it: Intensity, v: float) -> tuple[str, str]:
    sep_n = " " if it.zh[-1:].isascii() else ""
    sep_u = " " if it.unit_zh[:1].isascii() and it.unit_zh[:1].isalpha() else ""
    lim = f"{it.limit:g}"
    zh = f"{e.name.zh} {it.zh}{sep_n}{_fmt(v, it.precision)}{sep_u}{it.unit_zh}，超过{it.limit_zh}{lim}{sep_u}{it.unit_zh}"
    word = "the limit" if it.limit_zh == "限值" else "the upper limit"
    en = f"{e.name.en}: {it.en} {_fmt(v, it.precision)} {it.unit_en}, above {word} of {lim} {it.unit_en}"
    return zh, en


_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def _day_of_month(day: int) -> int:
    import datetime as _dt

    return _dt.date.fromordinal(_EPOCH_ORDINAL + day).day
