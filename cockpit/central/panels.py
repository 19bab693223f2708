"""The snapshot panels of each brain (``Snapshot.panels``): tables a screen binds to.

Each panel has a cadence; its content is a pure function of the seed and its *tick* (the
start of its cadence interval, local time), built once per tick and memoised, so a
snapshot stays cheap and the stream can send a panel again exactly when its tick moves.

=========  =================  ===========================================================
brain      panel              rows × columns
=========  =================  ===========================================================
city       ``districts``      the six districts × output_mtd, growth, enterprises,
                              power_today, alerts
city       ``transition``     years 2015… × three_vats, three_pieces (shares, simulated)
city       ``clusters``       key clusters × output, enterprises, growth
dyeing…    ``enterprises``    every simulated enterprise of the brain (see ``COLUMNS``)
wine       ``vintage_stock``  vintages × stock (adds up to ``wine.base_stock``)
wine       ``tanks``          24 primary fermentation tanks × temp, day
wine       ``season``         the current winter brewing season × day, length, progress…
wine       ``batches``        sample batches × labelled_age, recorded_age, consistent
ic         ``output_path``    years 2018… × output (published years only), plan
pharma     ``by_type``        enterprise types × firms (published), connected
pharma     ``approvals``      years × approvals
=========  =================  ===========================================================
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from cockpit.api.schema import Column, DataPanel, Names, PanelInfo, Row
from cockpit.central import figures as F
from cockpit.central import industries as I
from cockpit.central import metrics as M
from cockpit.central import muni_panels as MP
from cockpit.central.batches import BatchBook
from cockpit.central.enterprises import _key, _u
from cockpit.central.firms import STATUSES, TICK_S, Firms, lr_round
from cockpit.central.places import DISTRICTS, GDP_2024_TOTAL
from cockpit.central.primitives import _LRU
from cockpit.central.seasons import TZ, latest_vintage, local_date, season_of

if TYPE_CHECKING:
    from cockpit.central.simulator import Simulator

__all__ = ["CADENCE", "COLUMNS", "Panels"]

TZ_S = 8 * 3600


def _c(key: str, zh: str, en: str, unit: tuple[str, str], precision: int = 1, up: bool | None = None) -> Column:
    return Column(key=key, name=Names(zh=zh, en=en), unit=Names(zh=unit[0], en=unit[1]), precision=precision,
                  up_is_good=up)


def _n(zh: str, en: str) -> Names:
    return Names(zh=zh, en=en)


WANMI = ("万米", "10k m")
WANYUAN = ("万元", "10k CNY")
PCT = ("%", "%")
FIRMS = ("家", "firms")
YI = ("亿元", "100M CNY")

#: the columns of each brain's ``enterprises`` panel
COLUMNS: dict[str, tuple[Column, ...]] = {
    "dyeing": (
        _c("output_today", "今日产量", "Output today", WANMI, 1, True),
        _c("water_per_100m", "百米取水量", "Fresh water per 100 m", ("吨/百米", "t/100 m"), 2, False),
        _c("energy_per_100m", "百米综合能耗", "Energy per 100 m", ("千克标煤/百米", "kgce/100 m"), 1, False),
        _c("cod", "废水COD", "Effluent COD", ("mg/L", "mg/L"), 0, False),
        _c("run_rate", "开机率", "Run rate", PCT, 1, True),
    ),
    "textile": (
        _c("output_today", "今日坯布产量", "Grey fabric today", WANMI, 1, True),
        _c("loom_rate", "织机开机率", "Loom run rate", PCT, 1, True),
        _c("orders", "在手订单", "Orders in hand", WANMI, 0, True),
        _c("power_per_100m", "百米耗电量", "Power per 100 m", ("千瓦时/百米", "kWh/100 m"), 1, False),
    ),
    "wine": (
        _c("sales_mtd", "本月销售额", "Sales, month to date", WANYUAN, 1, True),
        _c("base_stock", "基酒库存", "Base wine stock", ("千升", "kL"), 0, None),
        _c("ferment_temp", "发酵罐温度", "Fermentation tank temperature", ("°C", "°C"), 1, None),
    ),
    "ic": (
        _c("output_mtd", "本月产值", "Output, month to date", WANYUAN, 0, True),
        _c("utilization", "产能利用率", "Capacity utilisation", PCT, 1, True),
        _c("yield", "良率", "Yield", PCT, 2, True),
    ),
    "pharma": (
        _c("output_mtd", "本月产值", "Output, month to date", WANYUAN, 0, True),
        _c("batches_today", "今日放行批次", "Batches released today", ("批", "batches"), 0, True),
    ),
}
#: panel ids of each brain in snapshot order, with their cadence in seconds
CADENCE: dict[str, dict[str, int]] = {
    "city": {"districts": 10, "transition": 86_400, "clusters": 60, "framework": 60, "double_ten": 60},
    "dyeing": {"enterprises": TICK_S},
    "textile": {"enterprises": TICK_S},
    "wine": {"enterprises": TICK_S, "vintage_stock": 60, "tanks": 10, "season": 3600, "batches": 3600},
    "ic": {"enterprises": TICK_S, "output_path": 60},
    "pharma": {"enterprises": TICK_S, "by_type": 3600, "approvals": 3600},
    "muni": dict.fromkeys(MP.PANEL_IDS, MP.CADENCE_S),
}
#: the column keys of the panels other than ``enterprises`` (what the catalog lists)
PANEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "districts": ("output_mtd", "growth", "enterprises", "power_today", "alerts"),
    "transition": ("three_vats", "three_pieces", "others"),
    "framework": ("output_ytd", "growth", "share", "firms", "status"),
    "double_ten": ("output_ytd", "growth", "firms", "key_firms", "status"),
    "clusters": ("output", "enterprises", "growth"),
    "vintage_stock": ("stock",),
    "tanks": ("temp", "day"),
    "season": ("day", "length", "progress", "days_to_start"),
    "batches": ("labelled_age", "recorded_age", "consistent"),
    "output_path": ("output", "plan"),
    "by_type": ("firms", "connected"),
    "approvals": ("approvals",),
    **MP.COLUMNS,
}
_TITLES: dict[str, Names] = {
    "districts": _n("区县概况", "Districts"),
    "transition": _n("从“三缸”到“三片”", "From the 'three vats' to the 'three pieces'"),
    "clusters": _n("重点产业集群", "Key industry clusters"),
    "framework": _n("“3+2+4”产业体系", "The '3+2+4' industry system"),
    "double_ten": _n("“双十双百”：十大集群与百家重点企业", "'Double ten, double hundred': ten clusters, a hundred firms"),
    "vintage_stock": _n("基酒库存（按酿造年份）", "Base wine stock by vintage"),
    "tanks": _n("前酵罐", "Primary fermentation tanks"),
    "season": _n("冬酿季", "Winter brewing season"),
    "batches": _n("近期核验批次", "Recently checked batches"),
    "output_path": _n("集成电路产值走向千亿", "IC output on the way to 100bn CNY"),
    "by_type": _n("生物医药企业类型", "Biopharma enterprises by type"),
    "approvals": _n("药品注册批件（按年）", "Drug approvals by year"),
    **MP.TITLES,
}
_ENTERPRISE_TITLES: dict[str, Names] = {
    "dyeing": _n("印染企业", "Dyeing mills"),
    "textile": _n("织造企业", "Weaving firms"),
    "wine": _n("黄酒企业", "Rice-wine firms"),
    "ic": _n("集成电路企业", "IC enterprises"),
    "pharma": _n("医药企业", "Pharma enterprises"),
}
_ENTERPRISE_SCOPES = {"dyeing": M.S_DYE, "textile": M.S_WEAVE, "wine": M.S_WINE, "ic": M.S_IC, "pharma": M.S_PHARMA}
_ENTERPRISE_SOURCE = _n(
    "模拟值，与本大脑指标一致：产量/产值之和等于大脑累计值，开机率按规模加权、单耗按产量加权的均值等于大脑指标；企业名称为虚构",
    "Simulated, consistent with the brain: output adds up to its total; run rates (by size) and intensities "
    "(by output) average to its figures; names are invented",
)
#: 亿元 per 万元
_WAN_PER_YI = 10_000.0
# districts: share of the city's industrial power use. 上虞: 63.19亿 kWh in 2023 (figures §2) of
# the simulated city total (city.power_load, 430万 kW average ≈ 377亿 kWh a year); others by GDP.
_SHANGYU_POWER_SHARE = 63.19e8 / (M.CITY_POWER_LOAD_WAN_KW * 1e4 * 8760)
_GDP_OTHERS = GDP_2024_TOTAL - next(d.gdp_2024 for d in DISTRICTS if d.id == "shangyu")
_POWER_SHARE = np.array([
    _SHANGYU_POWER_SHARE if d.id == "shangyu" else (1 - _SHANGYU_POWER_SHARE) * d.gdp_2024 / _GDP_OTHERS
    for d in DISTRICTS
])
_GDP_SHARE = np.array([d.gdp_2024 / GDP_2024_TOTAL for d in DISTRICTS])
# districts: share of the city's 规上 industrial output. 上虞: its 规上工业增加值 515.66亿 of the city's
# 2155亿 (2023, figures §1/§2); the others split the rest by 2024 GDP (parameter: not published).
_SHANGYU_IVA_SHARE = F.SHANGYU_IVA_2023 / F.CITY_IVA_2023
_IND_SHARE = np.array([
    _SHANGYU_IVA_SHARE if d.id == "shangyu" else (1 - _SHANGYU_IVA_SHARE) * d.gdp_2024 / _GDP_OTHERS
    for d in DISTRICTS
])

# clusters: the industries of cockpit.central.industries (the same levels as the framework)
_CLUSTER_ROWS = (("textile", "现代纺织", "Modern textiles"), ("dyeing", "印染", "Printing & dyeing"),
                 ("chemicals", "绿色化工", "Green chemicals"), ("ic", "集成电路", "Integrated circuits"),
                 ("pharma", "生物医药", "Biopharma"), ("materials", "新材料", "New materials"),
                 ("equipment", "高端装备", "High-end equipment"), ("wine", "黄酒", "Rice wine"))
_BY_TYPE: tuple[tuple[str, str, str, int | None], ...] = (
    ("chem", "化学药", "Chemical drugs", 55),
    ("tcm", "中药", "Traditional Chinese medicine", 26),
    ("bio", "生物药", "Biologics", 9),
    ("api", "原料药", "APIs", 41),
    ("devices", "医疗器械", "Medical devices", 215),
    ("rd", "研发服务", "R&D services", None),
    ("distribution", "流通与冷链", "Distribution & cold chain", None),
)
#: drug approvals by year (simulated; 2019–2023 sum to 86, the consistency approvals by end-2023, §7)
_APPROVALS = {2019: 12, 2020: 15, 2021: 17, 2022: 20, 2023: 22}
#: IC output by year: published (figures §6) — everything else is left out (null)
_IC_OUTPUT = {2020: F.IC_OUTPUT_2020, 2021: F.IC_OUTPUT_2021, 2025: F.IC_OUTPUT_2025}
_IC_PARAMETER_YEARS = {2020}  # the seed's "突破300亿" is not confirmed by a source (figures §10)
_IC_PLAN = {2022: F.IC_PLAN_2022, 2025: F.IC_PLAN_2025}
_IC_MILESTONE = 1000.0  # the 千亿 cluster goal, reached in 2025 (figures §6)
TANKS = 24
_TANK_CYCLE_H = 144  # 5 days of primary fermentation, then a day emptied and cleaned
_TANK_FERMENT_H = 120


def tick_of(t_ms: int, cadence_s: int) -> int:
    """Start of the cadence interval holding ``t_ms`` (aligned on local time)."""
    c = cadence_s * 1000
    return (t_ms + TZ_S * 1000) // c * c - TZ_S * 1000


def _finite(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


class Panels:
    """Builds and memoises the panels of one simulator."""

    def __init__(self, sim: Simulator, firms: Firms, batches: BatchBook) -> None:
        self.sim = sim
        self.firms = firms
        self.batches = batches
        self._samples: list[str] | None = None
        # built panels and their JSON: the latest ticks of every panel of every brain fit
        self._cache = _LRU(96)

    def ids(self, brain: str) -> list[str]:
        return list(CADENCE.get(brain, {}))

    def info(self, brain: str) -> list[PanelInfo]:
        """The panels of ``brain`` as the catalog lists them (ids, titles, column keys),
        from static tables: listing them costs no panel build (a test keeps them true)."""
        out = []
        for pid in CADENCE.get(brain, {}):
            if pid == "enterprises":
                title, cols = _ENTERPRISE_TITLES[brain], [c.key for c in COLUMNS[brain]]
            else:
                title, cols = _TITLES[pid], list(PANEL_COLUMNS[pid])
            out.append(PanelInfo(id=pid, title=title, columns=cols))
        return out

    def at(self, brain: str, now_ms: int) -> dict[str, DataPanel]:
        """Every panel of ``brain`` as of ``now_ms`` (each at its own tick)."""
        return {pid: self.panel(brain, pid, tick_of(now_ms, c)) for pid, c in CADENCE.get(brain, {}).items()}

    def due(self, brain: str, t_ms: int) -> dict[str, DataPanel]:
        """The panels of ``brain`` whose tick is exactly ``t_ms`` (a new one starts then)."""
        return {pid: self.panel(brain, pid, t_ms) for pid, c in CADENCE.get(brain, {}).items()
                if tick_of(t_ms, c) == t_ms}

    def panel(self, brain: str, pid: str, tick_ms: int) -> DataPanel:
        build: Callable[[int], DataPanel]
        if brain == "muni":  # 要素消耗 · 亩均论英雄 (cockpit.central.muni_panels)
            build = lambda t: MP.build(self, pid, t)  # noqa: E731
        else:
            build = getattr(self, "_" + pid) if pid != "enterprises" else (lambda t: self._enterprises(brain, t))
        return self._cache.get(("panel", brain, pid, tick_ms), lambda: build(tick_ms))  # type: ignore[no-any-return]

    def _make(self, pid: str, brain: str, t: int, columns: tuple[Column, ...] | list[Column], rows: list[Row],
              scope: Names | None, source: Names, targets: dict[str, float] | None = None,
              title: Names | None = None) -> DataPanel:
        return DataPanel(id=pid, title=title or _TITLES[pid], ts=t, columns=list(columns), rows=rows,
                         targets=targets or {}, scope=scope, source=source, cadence_s=CADENCE[brain][pid])

    # ---- enterprises -------------------------------------------------------------------
    def values(self, brain: str, t: int) -> dict[str, np.ndarray]:
        """The ``enterprises`` panel's columns as arrays at tick ``t`` (NaN: no value)."""

        def make() -> dict[str, np.ndarray]:
            f = self.firms
            if brain == "dyeing":
                return {"output_today": f.split("dyeing.output_today", t),
                        "water_per_100m": f.intensity(brain, "water_per_100m", t),
                        "energy_per_100m": f.intensity(brain, "energy_per_100m", t),
                        "cod": f.intensity(brain, "cod", t),
                        "run_rate": f.rates("dyeing.run_rate", t)}
            if brain == "textile":
                return {"output_today": f.split("textile.fabric_today", t),
                        "loom_rate": f.rates("textile.loom_rate", t),
                        "orders": f.level_split("textile.orders", t, f.order_weights(brain, t)),
                        "power_per_100m": f.intensity(brain, "power_per_100m", t)}
            if brain == "wine":
                return {"sales_mtd": f.split("wine.sales_mtd", t, mode="sales"),
                        "base_stock": f.level_split("wine.base_stock", t, f.stock_weights(brain)),
                        "ferment_temp": f.intensity(brain, "ferment_temp", t)}
            if brain == "ic":
                return {"output_mtd": f.split("ic.output_mtd", t) * _WAN_PER_YI,
                        "utilization": f.rates("ic.utilization", t),
                        "yield": f.intensity(brain, "yield", t)}
            if brain == "pharma":
                return {"output_mtd": f.split("pharma.output_mtd", t) * _WAN_PER_YI,
                        "batches_today": f.units("pharma.batches_today", t)}
            raise KeyError(brain)

        return self.firms.memo(("values", brain, t), make)  # type: ignore[no-any-return]

    def _enterprises(self, brain: str, t: int) -> DataPanel:
        vals = self.values(brain, t)
        cols = COLUMNS[brain]
        status = self.firms.status(brain, t)
        rows = []
        for e in self.firms.enterprises(brain):
            rows.append(Row(key=e.code, name=e.name, code=e.code, district=e.district,
                            status=STATUSES[int(status[e.index])],
                            values={c.key: _finite(vals[c.key][e.index]) for c in cols}))
        return self._make("enterprises", brain, t, cols, rows, _n(*_ENTERPRISE_SCOPES[brain]), _ENTERPRISE_SOURCE,
                          title=_ENTERPRISE_TITLES[brain])

    # ---- city ----------------------------------------------------------------------------
    def _districts(self, t: int) -> DataPanel:
        sim = self.sim
        output = round(sim.value("city.iva_mtd", t) * M.CITY_OUTPUT_PER_IVA, 2)
        out = lr_round(_IND_SHARE * output, output, 2)
        power_total = sim.value("city.power_today", t)
        power = lr_round(_POWER_SHARE * power_total, power_total, 3)
        counts = {d.id: 0 for d in DISTRICTS}
        for e in self.firms.registry:
            counts[e.district] += 1
        alerts = {d.id: 0 for d in DISTRICTS}
        for brain in ("dyeing", "textile", "wine", "ic", "pharma"):
            for code, hits in self.firms.alerts_by_enterprise(brain, t).items():
                firm = self.firms.registry.get(code)
                if firm is not None:
                    alerts[firm.district] += len(hits)
        days = (t / 1000 + TZ_S) / 86_400
        rows = []
        for i, d in enumerate(DISTRICTS):
            k = _key(sim.seed, "district", d.id)
            growth = d.growth_2024 + 1.2 * math.sin(2 * math.pi * (days / 37 + _u(k, 0))) \
                + 0.5 * math.sin(2 * math.pi * (days / 11 + _u(k, 1)))
            rows.append(Row(key=d.id, name=d.names, district=d.id, values={
                "output_mtd": float(out[i]), "growth": round(growth, 1), "enterprises": float(counts[d.id]),
                "power_today": float(power[i]), "alerts": float(alerts[d.id])}))
        cols = (
            _c("output_mtd", "规上工业产值 本月累计", "Industrial output, month to date", YI, 1, True),
            _c("growth", "同比增速", "Growth, year on year", PCT, 1, True),
            _c("enterprises", "接入企业数", "Enterprises connected", FIRMS, 0, True),
            _c("power_today", "今日工业用电量", "Industrial power use today", ("万千瓦时", "10 MWh"), 1, None),
            _c("alerts", "企业告警", "Enterprise alerts", ("条", "alerts"), 0, False),
        )
        source = _n(
            f"模拟值：产值=规上增加值本月累计×{M.CITY_OUTPUT_PER_IVA:g}（参数）；上虞按2023年规上增加值515.66亿占全市2155亿分摊，"
            "其余按2024年GDP；增速以2024年GDP增速为基准；用电按上虞63.19亿千瓦时及GDP分摊",
            f"Simulated: output = value added MTD × {M.CITY_OUTPUT_PER_IVA:g} (parameter); Shangyu by its 2023 share of "
            "value added (515.66 of 2155), others by 2024 GDP; growth around 2024 GDP growth",
        )
        return self._make("districts", "city", t, cols, rows, _n("全市六个区、县（市）", "The city's six districts"),
                          source)

    def _transition(self, t: int) -> DataPanel:
        """三缸 and 三片 as shares of ALL 规上 output, from the same industry levels as the
        framework and the clusters; the rest of industry is the third band."""
        year = local_date(t).year
        rows = []
        for y in range(2015, year + 1):
            total = I.above_output(y)
            vats = sum(I.level(ind, y) for ind in I.THREE_VATS) / total * 100
            pieces = (sum(I.level(ind, y) for ind in I.THREE_PIECES) + I.textile_without_dyeing(y)) / total * 100
            rows.append(Row(key=str(y), name=_n(f"{y}年", str(y)), values={
                "three_vats": round(vats, 1), "three_pieces": round(pieces, 1),
                "others": round(100.0 - round(vats, 1) - round(pieces, 1), 1)}))
        cols = (
            _c("three_vats", "“三缸”：黄酒、酱油、印染", "'Three vats': rice wine, soy sauce, dyeing", PCT, 1, None),
            _c("three_pieces", "“三片”：芯片、药片、布片（纺织，不含印染）", "'Three pieces': chips, pills, cloth (textiles "
               "without dyeing)", PCT, 1, True),
            _c("others", "其他规上工业", "Other industry", PCT, 1, None),
        )
        source = _n("模拟：各产业按公开年产值（黄酒、印染、纺织、集成电路、医药）或参数（酱油）按其增速折算到各年，"
                    "除以全市规上产值（增加值2155亿×4，参数）；三项合计100%",
                    "Simulated: each industry's published yearly output (or a parameter) compounded by its growth, over "
                    "all 规上 output (value added × 4, a parameter); the three add up to 100 %")
        return self._make("transition", "city", t, cols, rows, _n("全市规上工业产值", "All industrial output above "
                          "designated size"), source)

    def _year_frac(self, t: int) -> tuple[int, float]:
        d = local_date(t)
        jan1 = dt.datetime(d.year, 1, 1, tzinfo=TZ).timestamp() * 1000
        year_ms = (dt.datetime(d.year + 1, 1, 1, tzinfo=TZ).timestamp() * 1000) - jan1
        return d.year, (t - jan1) / year_ms

    def _brain_status(self, brain: str, t: int) -> float:
        alerts = self.sim.alerts(brain, t)
        return 2.0 if any(a.level == "alarm" for a in alerts) else 1.0 if alerts else 0.0

    def _industry_values(self, ind: I.Industry | I.Cluster, t: int) -> tuple[float, float]:
        """(output year to date 亿元, 同比 %) of an industry or cluster at ``t``."""
        year, frac = self._year_frac(t)
        out = self.sim.value("ic.output_ytd", t) if ind.brain == "ic" else I.level(ind, year) * frac
        growth = self.sim.value(ind.metric, t) if ind.metric else ind.growth
        return round(out, 1), round(growth, 1)

    def _status(self, brain: str | None, growth: float, t: int) -> float:
        if brain is not None:
            return self._brain_status(brain, t)
        return 2.0 if growth < 0 else 1.0 if growth < 3 else 0.0

    def _clusters(self, t: int) -> DataPanel:
        by_id = {"textile": I.TEXTILE, "dyeing": I.DYEING, "chemicals": I.CHEMICALS, "ic": I.ELECTRONICS,
                 "pharma": I.PHARMA, "materials": I.MATERIALS, "equipment": I.EQUIPMENT, "wine": I.WINE}
        rows = []
        for cid, zh, en in _CLUSTER_ROWS:
            ind = by_id[cid]
            out, growth = self._industry_values(ind, t)
            rows.append(Row(key=cid, name=_n(zh, en), brain=ind.brain,
                            values={"output": out, "enterprises": ind.firms, "growth": growth}))
        cols = (
            _c("output", "产值 本年累计", "Output, year to date", YI, 1, True),
            _c("enterprises", "企业数", "Enterprises", FIRMS, 0, True),
            _c("growth", "同比增速", "Growth, year on year", PCT, 1, True),
        )
        source = _n("与“3+2+4”同一组产业规模：纺织（柯桥1270亿+参数）、印染62.4亿×6（2024）、黄酒36亿（2023）、集成电路"
                    "1003.3亿（2025）、医药356亿（2021）按增速折算；化工、新材料、高端装备为参数",
                    "The same industry levels as '3+2+4': published sizes compounded by their growth; chemicals, new "
                    "materials and equipment are parameters")
        return self._make("clusters", "city", t, cols, rows, _n("重点产业集群（产业链）", "Key clusters and chains"),
                          source)

    def _framework(self, t: int) -> DataPanel:
        year, _frac = self._year_frac(t)
        total = I.above_output(year)
        rows = []
        for _gid, gzh, gen, inds in I.FRAMEWORK:
            for ind in inds:
                out, growth = self._industry_values(ind, t)
                rows.append(Row(
                    key=ind.id, name=_n(ind.zh, ind.en) if ind.published else _n(f"{ind.zh}＊", f"{ind.en}*"),
                    brain=ind.brain, group=_n(gzh, gen),
                    texts={"basis": _n("规模：公开数据", "size: published") if ind.published else
                           _n("规模：参数", "size: parameter")},
                    values={"output_ytd": out, "growth": growth, "share": round(I.level(ind, year) / total * 100, 1),
                            "firms": ind.firms, "status": self._status(ind.brain, growth, t)}))
        cols = (
            _c("output_ytd", "产值 本年累计", "Output, year to date", YI, 1, True),
            _c("growth", "同比", "Year on year", PCT, 1, True),
            _c("share", "占规上产值", "Share of industrial output", PCT, 1, None),
            _c("firms", "企业数", "Enterprises", FIRMS, 0, None),
            _c("status", "状态（0正常 1关注 2告警）", "Status (0 ok, 1 watch, 2 alarm)", ("—", "—"), 0, False),
        )
        source = _n("模拟。“3+2+4”见新华每日电讯2020-12-20；黄酒、集成电路、医药规模为公开数据按增速折算（纺织含柯桥1270亿），"
                    "＊为参数；状态：有产业大脑的按其告警，其余按同比",
                    "'3+2+4' as published (2020); textile, wine, IC and pharma sized on published figures, the rest are "
                    "parameters; 同比 from the brain where one exists; status from its alerts, else from 同比")
        return self._make("framework", "city", t, cols, rows, _n("全市规上工业（模拟）", "Industry above designated "
                          "size (simulated)"), source)

    def _double_ten(self, t: int) -> DataPanel:
        rows = []
        for c in I.CLUSTERS:
            out, growth = self._industry_values(c, t)
            leader = None
            brains = {"modern_textiles": "textile", "ic": "ic", "modern_pharma": "pharma"}
            if c.id in brains:
                leader = max(self.firms.registry.of(brains[c.id]), key=lambda e: e.weight)
            kind = _n("重点集群", "key cluster") if c.kind == "key" else _n("优势集群", "advantage cluster")
            texts = {
                "chain": _n(c.chain_zh, c.chain_en),
                "leader": _n(f"链主：{leader.name.zh}（模拟）", f"chain leader: {leader.name.en} (simulated)") if leader
                else _n("链主：未接入产业大脑", "chain leader: not on a brain"),
                "basis": _n("名称：市经信局所列重点集群", "name: listed by the city's economy bureau") if c.named
                else _n("名称为参数（未见公开名单）", "name is a parameter (no published list)"),
            }
            rows.append(Row(key=c.id, name=_n(c.zh if c.named else f"{c.zh}＊", c.en if c.named else f"{c.en}*"),
                            brain=c.brain, group=_n("5个重点集群", "5 key clusters") if c.kind == "key"
                            else _n("5个优势集群（名称为参数＊）", "5 advantage clusters (names are parameters*)"),
                            code=leader.code if leader else None, texts={**texts, "kind": kind},
                            values={"output_ytd": out, "growth": growth, "firms": c.firms,
                                    "key_firms": float(c.key_firms), "status": self._status(c.brain, growth, t)}))
        cols = (
            _c("output_ytd", "产值 本年累计", "Output, year to date", YI, 1, True),
            _c("growth", "同比", "Year on year", PCT, 1, True),
            _c("firms", "企业", "Enterprises", FIRMS, 0, None),
            _c("key_firms", "重点企业", "Key firms (of 100)", FIRMS, 0, None),
            _c("status", "状态（0正常 1关注 2告警）", "Status (0 ok, 1 watch, 2 alarm)", ("—", "—"), 0, False),
        )
        source = _n("2020年3月提出5个重点+5个优势集群（名单未公开）；重点集群取市经信局2022年所列，优势集群名称、规模、"
                    "百家企业分布为参数（＊）；链主为模拟企业",
                    "Launched 2020-03: 5 key + 5 advantage clusters (list not published); key ones as the bureau lists "
                    "them (2022); advantage names, sizes and the hundred firms are parameters (*); leaders simulated")
        return self._make("double_ten", "city", t, cols, rows, _n("全市制造业集群（模拟）", "Manufacturing clusters "
                          "(simulated)"), source)

    # ---- wine ----------------------------------------------------------------------------
    def _vintage_stock(self, t: int) -> DataPanel:
        latest = latest_vintage(local_date(t))
        years = list(range(latest, latest - 30, -1))
        k = _key(self.sim.seed, "vintages")
        w = np.array([math.exp(-(latest - y) / 7.0) * (0.75 + 0.5 * _u(k, y)) for y in years])
        w[-1] *= 3.0  # the oldest row holds every older vintage too
        total = self.sim.value("wine.base_stock", t)
        stock = lr_round(w / w.sum() * total, total, self.sim._gens["wine.base_stock"].digits)
        rows = []
        for i, y in enumerate(years):
            older = i == len(years) - 1
            rows.append(Row(key=str(y), name=_n(f"{y}年及更早" if older else f"{y}年",
                                                 f"{y} and older" if older else str(y)),
                            values={"stock": float(stock[i])}))
        cols = (_c("stock", "基酒库存", "Base wine stock", ("千升", "kL"), 0, None),)
        source = _n("模拟值：各年份库存之和等于基酒库存（wine.base_stock）；年份按冬酿季起始年（立冬）计",
                    "Simulated: the vintages add up to wine.base_stock; a vintage is the year its winter brewing "
                    "season began")
        return self._make("vintage_stock", "wine", t, cols, rows, _n(*M.S_WINE), source)

    def _tanks(self, t: int) -> DataPanel:
        hours = t / 3_600_000
        k = _key(self.sim.seed, "tanks")
        x = np.array([((hours + i * _TANK_CYCLE_H / TANKS + 3 * _u(k, i)) % _TANK_CYCLE_H) for i in range(TANKS)])
        fermenting = x < _TANK_FERMENT_H
        days = x / 24.0
        curve = np.where(days < 1.3, 26.0 + 5.5 * days / 1.3, 31.5 - 1.0 * (days - 1.3))
        curve = curve + np.array([0.8 * (_u(k, 100 + i) - 0.5) for i in range(TANKS)])
        dev = curve - curve[fermenting].mean() if fermenting.any() else curve
        temp = self.sim.value("wine.ferment_temp", t) + dev
        rows = []
        for i in range(TANKS):
            on = bool(fermenting[i])
            rows.append(Row(key=f"t{i + 1:02d}", name=_n(f"{i + 1}号罐", f"Tank {i + 1}"), values={
                "temp": round(float(temp[i]), 1) if on else None,
                "day": float(int(days[i]) + 1) if on else None}))
        cols = (_c("temp", "罐温", "Temperature", ("°C", "°C"), 1, None),
                _c("day", "发酵天数", "Day of fermentation", ("天", "day"), 0, None))
        source = _n("模拟值：机械化车间前酵罐（全年生产），发酵5天、清罐1天；在酵罐温度均值即发酵罐平均温度（wine.ferment_temp）；空罐为空值",
                    "Simulated: primary fermentation tanks of a mechanised plant (all year), 5 days fermenting and 1 "
                    "day cleaned; the fermenting tanks average to wine.ferment_temp; empty tanks are null")
        return self._make("tanks", "wine", t, cols, rows, _n("示范企业前酵罐（模拟24罐）", "A model plant's tanks (24 simulated)"),
                          source)

    def _season(self, t: int) -> DataPanel:
        today = local_date(t)
        s = season_of(today)
        day = s.day(today)
        to_start = None if day is not None else (s.start - today).days
        rows = [Row(key=str(s.year), name=_n(s.label_zh, s.label_en), values={
            "day": float(day) if day is not None else None,
            "length": float(s.length_days),
            "progress": round(100.0 * day / s.length_days, 1) if day is not None else None,
            "days_to_start": float(to_start) if to_start is not None else None})]
        cols = (_c("day", "冬酿第几天", "Day of the season", ("天", "day"), 0, None),
                _c("length", "冬酿季天数", "Season length", ("天", "days"), 0, None),
                _c("progress", "进度", "Progress", PCT, 1, None),
                _c("days_to_start", "距立冬开酿", "Days to the start", ("天", "days"), 0, None))
        source = _n("传统手工冬酿：立冬开酿、立春榨酒（国家级非遗，公开报道）；节气日期按寿星公式计算",
                    "Traditional hand brewing: starts at Start of Winter, pressed at Start of Spring (national "
                    "intangible heritage, published); solar-term dates by the standard formula")
        return self._make("season", "wine", t, cols, rows, None, source)

    def _batches(self, t: int) -> DataPanel:
        if self._samples is None:
            self._samples = self.batches.samples()
        rows = []
        reg = self.firms.registry.of("wine")
        for no in self._samples:
            e = reg[int(no[2:5]) - 1]
            b = self.batches.batch(no, t, self.firms.summary(e, t))
            if b is None:  # pragma: no cover - samples exist by construction
                continue
            ok = {"consistent": 1.0, "inconsistent": 0.0}.get(b.verdict)
            rows.append(Row(key=no, name=b.product, code=e.code, district=e.district, values={
                "labelled_age": float(b.labelled_age_years), "recorded_age": b.recorded_age_years, "consistent": ok}))
        cols = (_c("labelled_age", "标注酒龄", "Labelled age", ("年", "years"), 0, None),
                _c("recorded_age", "记录酒龄", "Recorded age", ("年", "years"), 1, None),
                _c("consistent", "核验结果（1相符 0不符 空=无法核验）",
                   "Verdict (1 consistent, 0 inconsistent, null unverifiable)", ("—", "—"), 0, True))
        source = _n("模拟批次：批次号可在 /api/v1/batches/{batch_no} 查询溯源与核验依据",
                    "Simulated batches: look each one up at /api/v1/batches/{batch_no} for provenance and reasons")
        return self._make("batches", "wine", t, cols, rows, None, source)

    # ---- ic, pharma ----------------------------------------------------------------------
    def _output_path(self, t: int) -> DataPanel:
        year = local_date(t).year
        rows = []
        for y in range(2018, year + 1):
            out = self.sim.value("ic.output_ytd", t) if y == year else _IC_OUTPUT.get(y)
            if y == year:
                name = _n(f"{y}年至{local_date(t):%m-%d}", f"{y} to {local_date(t):%m-%d}")  # year to date
            elif y in _IC_PARAMETER_YEARS:
                name = _n(f"{y}年（参数）", f"{y} (parameter)")
            else:
                name = _n(f"{y}年", str(y))
            rows.append(Row(key=str(y), name=name, values={"output": out, "plan": _IC_PLAN.get(y)}))
        cols = (_c("output", "产值", "Output", YI, 1, True), _c("plan", "规划目标", "Plan target", YI, 0, True))
        target = round(F.compound(F.IC_OUTPUT_2025, F.IC_GROWTH, year - 2025), 1)
        source = _n(
            f"2020年300亿为种子访谈所述、未证实（参数）；2021年超400亿；2025年1003.3亿（+18%，首破千亿）；{year}年为本年累计"
            f"（非全年）；本年目标{target:g}亿=2025年×1.18（参数）；规划2022年200亿、2025年500亿；其余年份未公开",
            f"2020 (30bn, seed interview) unconfirmed: parameter; 2021 >40bn; 2025 100.33bn (+18 %); {year} year to "
            f"date, not a full year; target {target:g} = 2025 × 1.18 (parameter); 2018 plan; other years unpublished",
        )
        return self._make("output_path", "ic", t, cols, rows, _n(*M.S_IC_PLATFORM), source,
                          targets={"output": target})

    def _by_type(self, t: int) -> DataPanel:
        connected: dict[str, int] = {}
        for e in self.firms.registry.of("pharma"):
            connected[e.kind] = connected.get(e.kind, 0) + 1
        rows = [Row(key=k, name=_n(zh, en), values={"firms": None if n is None else float(n),
                                                    "connected": float(connected.get(k, 0))})
                for k, zh, en, n in _BY_TYPE]
        cols = (_c("firms", "全市企业数（2023年末）", "Firms city-wide (end-2023)", FIRMS, 0, True),
                _c("connected", "接入大脑企业数（模拟）", "Firms on the brain (simulated)", FIRMS, 0, True))
        source = _n("全市企业数：2023年末365家，化学药55、中药26、生物药9、原料药41、医疗器械215（2023年绍兴市生物医药产业发展梳理）；"
                    "研发服务、流通未公开；接入数为模拟值",
                    "City-wide: 365 firms at end-2023 (chemical 55, TCM 26, biologics 9, APIs 41, devices 215; 2023 "
                    "Shaoxing biopharma review); others not published; connected: simulated")
        return self._make("by_type", "pharma", t, cols, rows, _n("绍兴生物医药企业", "Shaoxing biopharma firms"), source)

    def _approvals(self, t: int) -> DataPanel:
        year = local_date(t).year
        rows = []
        for y in range(2019, year + 1):
            if y == year:
                v = self.sim.value("pharma.approvals_ytd", t)
            elif y in _APPROVALS:
                v = float(_APPROVALS[y])
            else:
                v = float(round(22 + 1.5 * (y - 2023) + 4 * (_u(_key(self.sim.seed, "approvals"), y) - 0.5)))
            rows.append(Row(key=str(y), name=_n(f"{y}年（本年累计）" if y == year else f"{y}年",
                                                 f"{y} (year to date)" if y == year else str(y)),
                            values={"approvals": v}))
        cols = (_c("approvals", "药品注册批件", "Drug approvals", ("件", "approvals"), 0, True),)
        source = _n("模拟参数：2019–2023年合计86件，与截至2023年末一致性评价通过数相当（公开报道）；本年为 pharma.approvals_ytd",
                    "Simulated parameters: 2019–2023 add up to 86, the generic-consistency approvals by end-2023 "
                    "(published); this year is pharma.approvals_ytd")
        return self._make("approvals", "pharma", t, cols, rows, _n(*M.S_PHARMA), source)

