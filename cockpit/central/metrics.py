"""The simulated brains and their metrics: names, units, limits and magnitudes.

Pure data, no behaviour: :mod:`cockpit.central.simulator` turns these specs into values.
Magnitudes follow /work/shared/data/shaoxing_figures.md (cited as "figures §n"). Where the
figures file has no number the magnitude is a *parameter* of the simulator, marked
"parameter" in the metric's description, never presented as a published fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cockpit.api.schema import Thresholds
from cockpit.central import figures as F
from cockpit.central.figures import par

Kind = Literal["level", "today", "month", "year", "mean", "alert_count", "firms_running", "yoy"]
Period = Literal["", "day", "month"]
Profile = Literal["flat", "plant", "fab", "day", "market", "online", "grid"]


@dataclass(frozen=True)
class MetricSpec:
    """How one metric is shown (catalog fields) and how its value is generated.

    kinds:
      * ``level``: an instantaneous value: ``base`` scaled by the activity ``profile``
        (``coupling`` 0..1), plus smooth noise (``noise`` units, periods × ``tscale``),
        a daily ``diurnal`` wave (peak 14:00 local) and rare excursions past thresholds.
      * ``today`` / ``month`` / ``year``: a running total since local midnight / the 1st of
        the month / 1 January. Its rate is ``base`` per average day shaped by ``profile``,
        or, when ``inputs`` is set, ``k`` × the product of the input metrics' values (per
        second), or, when ``rate_of`` names another counter, that counter's rate (so a
        month total is exactly the sum of that counter's days).
      * ``mean``: the mean of the ``inputs`` (a derived level).
      * ``alert_count``: the active alerts of the industry brains: metrics past a threshold
        and enterprises past a limit.
      * ``firms_running``: the brain's simulated enterprises in production (derived from the
        enterprise table, :mod:`cockpit.central.firms`).
      * ``yoy``: 同比 of the counter in ``inputs``: its total over the last complete local
        month against the same month a year before, in %. Computed from the simulated levels,
        so a level and its growth always agree.

    ``growth`` (% a year) compounds ``base`` from the middle of ``ref_year`` (the year the
    published level is from) to the time shown, so a 2023 level is not shown as this year's.
    ``period`` makes a statistic move at its source's cadence: ``"day"`` holds the value of
    the last local midnight (a daily flash report), ``"month"`` the value at the start of the
    local month (a monthly statistic); such a reading carries the time it was taken.

    ``scope`` (口径) and ``source`` say what a figure covers and where it comes from;
    ``up_is_good`` whether a rise is good news (None: neither).
    """

    id: str
    zh: str
    en: str
    unit_zh: str
    unit_en: str
    kind: Kind = "level"
    base: float = 0.0
    profile: Profile = "flat"
    coupling: float = 1.0
    noise: float = 0.0
    tscale: float = 1.0
    diurnal: float = 0.0
    rate_noise: float = 0.06
    inputs: tuple[str, ...] = ()
    k: float = 1.0
    lo: float | None = 0.0
    hi: float | None = None
    integer: bool = False
    range: tuple[float, float] | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    precision: int = 1
    cadence_s: float = 1.0
    headline: bool = False
    exc_p: float = 0.0
    exc_dir: int = 0
    basis_zh: str = ""
    basis_en: str = ""
    agg: Literal["mean", "first", "max"] = "mean"
    rate_of: str | None = None
    scope_zh: str = ""
    scope_en: str = ""
    source_zh: str = ""
    source_en: str = ""
    up_is_good: bool | None = None
    growth: float = 0.0
    ref_year: int = 0
    period: Period = ""


@dataclass(frozen=True)
class BrainSpec:
    """A brain: id, names and its metric specs (in display order)."""

    id: str
    zh: str
    en: str
    metrics: tuple[MetricSpec, ...]


def T(
    warn_low: float | None = None,
    warn_high: float | None = None,
    alarm_low: float | None = None,
    alarm_high: float | None = None,
) -> Thresholds:
    """Shorthand for :class:`Thresholds`."""
    return Thresholds(warn_low=warn_low, warn_high=warn_high, alarm_low=alarm_low, alarm_high=alarm_high)


PCT = ("%", "%")
RH = ("%RH", "%RH")
DEGC = ("°C", "°C")
YI = ("亿元", "100M CNY")

# --- magnitudes: every number comes from cockpit.central.figures, which cites the row of the
# figures table it was read in or names it a parameter (tests/test_figures.py checks the rows)
#: 规上工业增加值 2023: 2155亿 (figures §1) → per average day of 2023 (compounded by its +10.8 %).
CITY_IVA_PER_DAY = F.CITY_IVA_2023 / 365
CITY_IVA_GROWTH = F.CITY_IVA_GROWTH_2023
#: City industrial power load, parameter: 上虞's 63.19亿 kWh (2023, figures §2) scaled by
#: 上虞's share of city GDP (1318/7791) gives ≈373亿 kWh/yr ≈ 426万 kW on average.
CITY_POWER_LOAD_WAN_KW = F.CITY_POWER_LOAD_WAN_KW
#: The four 万亩千亿 platforms: >2000亿 output per year (2023-08, figures §1).
PLATFORMS_OUTPUT_PER_DAY = F.PLATFORMS_OUTPUT / 365
#: Connected enterprises online, parameter (柯桥 织造印染 brain alone connects >3000, §9).
CITY_FIRMS_ONLINE = F.CITY_FIRMS_ONLINE
#: Dyeing capacity 185亿米/yr (绍兴县 ≈2010, figures §3) in 万米 per day at 100 % run rate.
DYEING_CAPACITY_WANMI_PER_DAY = F.DYEING_CAPACITY_YI_M * 1e8 / 365 / 1e4
#: The largest mill: ~80万 m/day (永通, figures §3): no simulated mill has more capacity.
DYEING_TOP_MILL_WANMI = F.DYEING_TOP_MILL_M_PER_DAY / 1e4
#: Steam per 万米 of dyed cloth, parameter: 柯桥 ≈3.3M t steam/month (§3) over the output.
DYEING_STEAM_T_PER_WANMI = F.DYEING_STEAM_T_PER_WANMI
#: 中国轻纺城 turnover >3600亿 (2023, §4) per day; online 809.13亿 (2022, §4) per day.
TEXTILE_TURNOVER_PER_DAY = F.TEXTILE_TURNOVER_2023 / 365
TEXTILE_ONLINE_PER_DAY = F.TEXTILE_ONLINE_2022 / 365
#: 柯桥 textile exports >1000亿/yr (c. 2024, §2) per day.
TEXTILE_EXPORT_PER_DAY = F.KEQIAO_TEXTILE_EXPORT / 365
#: 柯桥 chemical fibre 251.73万吨 (2020, §3) in t per day.
TEXTILE_FIBRE_T_PER_DAY = F.TEXTILE_FIBRE_2020 * 1e4 / 365
#: 绍兴县 filament-fabric output 27.78亿米 (2011, §4) in 万米 per day at the base loom rate.
TEXTILE_FABRIC_WANMI_PER_DAY = F.TEXTILE_FABRIC_2011 * 1e8 / 365 / 1e4
TEXTILE_LOOM_RATE = F.TEXTILE_LOOM_RATE  # parameter: 柯桥 weaving run rates were not found (§10)
#: 黄酒: 规上 sales >36亿 (2023, §5) plus the small producers (parameter), 万元 per day of 2023;
#: exports 14,859.3 t (2018, §5) per day.
WINE_SALES_WAN_PER_DAY = (F.WINE_SALES_2023 + F.WINE_SMALL_SALES_YI) * 1e4 / 365
WINE_EXPORT_T_PER_DAY = F.WINE_EXPORT_T_2018 / 365
#: 古越龙山 cellar ≈11 million jars × 22–24 L (§5) ≈ 25万千升: one firm's stock, used as scale.
WINE_BASE_STOCK_KL = F.GUYUE_JARS * F.JAR_LITRES / 1000
#: IC: 芯联 8-inch 50,000 wafers/month (2021, §6); 长电绍兴 480,000 wafers/yr (§6);
#: IC platform output 1003.3亿 (2025, §6), grown at +18 % a year (parameter: 2025's rate).
IC_UTILIZATION = F.IC_UTILIZATION
IC_WAFER_STARTS_PER_DAY = F.IC_8IN_PER_MONTH * 12 / 365
IC_PACKAGING_PER_DAY = F.IC_PKG_PER_YEAR / 365
IC_OUTPUT_PER_DAY = F.IC_OUTPUT_2025 / 365
#: Biopharma platform 356亿 (2021, §7) per day; 365 biopharma firms (end-2023, §7).
PHARMA_OUTPUT_PER_DAY = F.PHARMA_PLATFORM_2021 / 365
PHARMA_FIRMS = int(F.PHARMA_FIRMS_2023)


#: 规上工业产值 / 规上工业增加值, parameter (city-wide 规上 gross output is not published, §10):
#: the districts panel shows 产值 as this multiple of the simulated value added.
CITY_OUTPUT_PER_IVA = F.CITY_OUTPUT_PER_IVA
#: Simulated enterprises per industry brain (cockpit.central.enterprises). Dyeing: 109 mills
#: after the consolidation (§3); IC: ~100 chain firms (§6); others: parameters.
DYEING_FIRMS_SIMULATED = int(F.DYEING_MILLS)
#: 轻纺城 turnover growth, parameter sized on 2025 H1 +10.04% (§4).
TEXTILE_TURNOVER_YOY = F.TEXTILE_GROWTH
#: Weaving resource use per 100 m of grey fabric: parameters (not published, §10).
TEXTILE_POWER_PER_100M = par("TEXTILE_POWER_PER_100M", 26.0, "weaving power per 100 m not published (§10)")
TEXTILE_WATER_PER_100M = par("TEXTILE_WATER_PER_100M", 0.35, "water-jet loom water per 100 m not published (§10)")
TEXTILE_GAS_PER_100M = par("TEXTILE_GAS_PER_100M", 1.6, "weaving gas per 100 m not published (§10)")
#: Orders in hand and grey-fabric stock: ~60 and ~20 days of fabric output (parameters).
TEXTILE_ORDERS_WANMI = round(TEXTILE_FABRIC_WANMI_PER_DAY * par("TEXTILE_ORDER_DAYS", 60, "orders in hand, days of output; not published"), -2)
TEXTILE_STOCK_WANMI = round(TEXTILE_FABRIC_WANMI_PER_DAY * par("TEXTILE_STOCK_DAYS", 20, "grey stock, days of output; not published"), -2)
#: Pharma R&D spend, parameter: 8 % of the 356亿 platform output (§7) per year.
PHARMA_RD_PER_DAY = F.PHARMA_PLATFORM_2021 * par("PHARMA_RD_SHARE", 0.08, "pharma R&D intensity not published") / 365
#: Drug registration approvals per year, parameter (86 consistency approvals by end-2023, §7).
PHARMA_APPROVALS_PER_DAY = par("PHARMA_APPROVALS_PER_YEAR", 24.0, "approvals per year not published; 86 by end-2023 (§7)") / 365

Pair = tuple[str, str]


def _m(mid: str, zh: str, en: str, unit: Pair, *, scope: Pair | None = None, source: Pair | None = None,
       **kw: object) -> MetricSpec:
    if scope is not None:
        kw["scope_zh"], kw["scope_en"] = scope
    if source is not None:
        kw["source_zh"], kw["source_en"] = source
    return MetricSpec(id=mid, zh=zh, en=en, unit_zh=unit[0], unit_en=unit[1], **kw)  # type: ignore[arg-type]


def _src(zh: str, en: str) -> Pair:
    """A source as the real platform would have it, marked simulated (every value here is)."""
    return (f"{zh} · 模拟", f"{en} · simulated")


# scopes (口径)
S_ABOVE = ("规上工业企业", "Industrial enterprises above designated size")
S_CITY_POWER = ("全市工业用电户", "Industrial power users, whole city")
S_CONNECTED = ("接入产业大脑的企业", "Enterprises connected to the industry brains")
S_BRAINS = ("各产业大脑（指标限值与企业限值）", "All industry brains (metric and enterprise limits)")
S_FOUR = ("印染、纺织、集成电路、医药产业大脑", "Dyeing, textile, IC and pharma brains")
S_PLATFORMS = ("四大万亩千亿平台", "The four 'ten-thousand-mu, hundred-billion' platforms")
S_DYE = ("接入产业大脑的印染企业（模拟109家）", "Dyeing mills on the industry brain (109 simulated)")
S_DYE_W = ("接入产业大脑的印染企业，按产量加权", "Dyeing mills on the brain, weighted by output")
S_DYE_OUT = ("印染企业纳管排放口", "Dyeing mills' discharge points to the sewer")
S_DYE_STEAM = ("印染集聚区集中供热", "Central steam supply of the dyeing park")
S_MARKET = ("中国轻纺城市场群", "China Textile City market group")
S_ONLINE = ("网上轻纺城", "China Textile City online")
S_TEX_EXPORT = ("柯桥纺织品出口企业", "Keqiao textile exporters")
S_FIBRE = ("化纤生产企业", "Chemical-fibre producers")
S_WEAVE = ("接入产业大脑的织造企业（模拟100家）", "Weaving firms on the industry brain (100 simulated)")
S_WEAVE_W = ("接入产业大脑的织造企业，按产量加权", "Weaving firms on the brain, weighted by output")
S_WINE = ("接入产业大脑的黄酒企业（模拟100家：规上11家、小微89家）",
          "Rice-wine firms on the industry brain (100 simulated: 11 above designated size, 89 small)")
S_WINE_ABOVE = ("规上黄酒企业", "Rice-wine producers above designated size")
S_WINE_EXPORT = ("黄酒出口企业", "Rice-wine exporters")
S_IC = ("集成电路产业链企业（模拟100家）", "IC chain enterprises (100 simulated)")
S_IC_FAB = ("晶圆制造企业", "Wafer fabs")
S_IC_PKG = ("先进封装企业", "Advanced-packaging plants")
S_IC_PLATFORM = ("集成电路万亩千亿平台", "IC 'hundred-billion' platform")
S_PHARMA = ("接入产业大脑的医药企业（模拟100家）", "Pharma firms on the industry brain (100 simulated)")
S_PHARMA_PLATFORM = ("高端生物医药万亩千亿平台", "High-end biopharma platform")
S_GMP = ("医药企业GMP洁净区", "GMP clean areas of pharma firms")
S_COLD = ("医药冷库", "Pharma cold stores")

# sources (where a real platform gets the figure)
R_REALTIME = _src("企业实时采集（每秒）", "Enterprise real-time feed (every second)")
R_METER = _src("企业计量表实时采集（每秒）", "Enterprise meters, real time (every second)")
R_ONLINE_MON = _src("在线监测（每秒）", "Online monitoring (every second)")
R_POWER = _src("电网用电采集（每秒）", "Grid metering (every second)")
R_FLASH = _src("统计快报（每日）", "Statistical flash report (daily)")
R_MONTHLY = _src("统计月报", "Monthly statistics")
R_MARKET = _src("市场交易系统（实时）", "Market trading system (real time)")
R_CUSTOMS = _src("海关与企业申报（每日）", "Customs and enterprise declarations (daily)")
R_ERP = _src("企业ERP对接（每小时）", "Enterprise ERP link (hourly)")
R_STATUS = ("企业生产状态（每小时变化），由企业表统计", "Enterprise production status (changes hourly), counted from the enterprise table")
R_PLATFORM = ("平台告警（实时）", "Platform alerts (real time)")
R_DERIVED = ("由各大脑开机率计算", "Computed from the brains' run rates")
R_REGULATOR = _src("药监注册审批数据", "Drug regulator's approvals")

CITY = BrainSpec(
    "city",
    "产业大脑",
    "City overview",
    (
        _m("city.iva_mtd", "规上工业增加值 本月累计", "Industrial value added, month to date", YI,
           kind="month", base=CITY_IVA_PER_DAY, profile="plant", precision=1, cadence_s=86_400, up_is_good=True,
           growth=CITY_IVA_GROWTH, ref_year=2023, period="day", scope=S_ABOVE, source=R_FLASH,
           basis_zh="模拟值；2023年规上工业增加值2155亿元（+10.8%），按年增10.8%复合至今；每日更新（截至前一日24时）",
           basis_en="Simulated; 215.5bn CNY in 2023 (+10.8 %), compounded at 10.8 % a year; updated daily (to the end of yesterday)"),
        _m("city.iva_growth", "规上工业增加值增速（上月同比）", "Industrial value added growth (last month, y/y)", PCT,
           kind="yoy", inputs=("city.iva_mtd",), lo=None, range=(-10.0, 30.0),
           thresholds=T(warn_low=5.0, alarm_low=0.0), precision=1, cadence_s=86_400, period="month",
           up_is_good=True, scope=S_ABOVE, source=R_MONTHLY,
           basis_zh="模拟值；由模拟增加值计算：上月合计比上年同月（每月更新）", basis_en="Simulated; computed from the simulated value added: last month against the same month a year before (monthly)"),
        _m("city.power_load", "工业用电负荷", "Industrial power load", ("万千瓦", "10 MW"),
           base=CITY_POWER_LOAD_WAN_KW, profile="grid", noise=8.0, range=(0.0, 800.0),
           thresholds=T(warn_high=600.0, alarm_high=680.0), precision=1, headline=True,
           scope=S_CITY_POWER, source=R_POWER,
           basis_zh="模拟值；参数（按上虞用电量与GDP占比推算）；负荷随班次与昼夜缓变，不做分钟级尖峰",
           basis_en="Simulated; parameter scaled from Shangyu's power use; moves with shifts and daytime, no minute spikes"),
        _m("city.power_today", "今日工业用电量", "Industrial power use today", ("万千瓦时", "10 MWh"),
           kind="today", inputs=("city.power_load",), k=1 / 3600, precision=1, scope=S_CITY_POWER, source=R_POWER,
           basis_zh="模拟值；由用电负荷积分", basis_en="Simulated; integral of the power load"),
        _m("city.online_firms", "在线企业数", "Enterprises online", ("家", "firms"),
           base=CITY_FIRMS_ONLINE, profile="day", coupling=0.2, noise=25.0, integer=True, precision=0, headline=True,
           up_is_good=True, scope=S_CONNECTED, source=_src("平台在线状态（每秒）", "Platform connection state (every second)"),
           basis_zh="模拟值；参数（柯桥织造印染产业大脑接入企业3000余家）", basis_en="Simulated; parameter (Keqiao dyeing brain connects >3000 firms)"),
        _m("city.alerts", "告警数", "Active alerts", ("条", "alerts"),
           kind="alert_count", integer=True, precision=0, agg="max", up_is_good=False, scope=S_BRAINS, source=R_PLATFORM,
           basis_zh="各产业大脑当前越限指标数与超限企业数", basis_en="Metrics of all brains past a limit, plus enterprises past a limit"),
        _m("city.run_rate_avg", "重点行业平均开机率", "Key industries, average run rate", PCT,
           kind="mean", inputs=("dyeing.run_rate", "textile.loom_rate", "ic.utilization", "pharma.line_rate"),
           range=(0.0, 100.0), thresholds=T(warn_low=55.0, alarm_low=45.0), precision=1, headline=True,
           up_is_good=True, scope=S_FOUR, source=R_DERIVED,
           basis_zh="印染、纺织、集成电路、医药开机率均值", basis_en="Mean run rate of dyeing, textile, IC and pharma"),
        _m("city.platforms_today", "万亩千亿平台今日产值", "Four major platforms, output today", YI,
           kind="today", base=PLATFORMS_OUTPUT_PER_DAY, profile="plant", precision=2, up_is_good=True,
           growth=par("PLATFORMS_GROWTH", 12.0, "growth of the four platforms together not published; IC +18 % (2025, §6)"),
           ref_year=2023, scope=S_PLATFORMS, source=R_REALTIME,
           basis_zh="模拟值；2023年四大平台年产值超2000亿元，按年增12%（参数）复合至今",
           basis_en="Simulated; >200bn CNY a year in 2023, compounded at 12 % a year (parameter)"),
    ),
)

DYEING = BrainSpec(
    "dyeing",
    "印染",
    "Printing & dyeing",
    (
        _m("dyeing.output_today", "今日产量", "Dyed cloth today", ("万米", "10k m"),
           kind="today", inputs=("dyeing.run_rate",), k=DYEING_CAPACITY_WANMI_PER_DAY / 86400 / 100, precision=1,
           growth=F.DYEING_OUTPUT_GROWTH, ref_year=2025, up_is_good=True, scope=S_DYE, source=R_REALTIME,
           basis_zh="模拟值；产能185亿米/年×开机率；各企业今日产量之和", basis_en="Simulated; capacity 18.5bn m/yr × run rate; the sum of the mills' output"),
        _m("dyeing.run_rate", "开机率", "Run rate", PCT,
           base=52.0, profile="plant", noise=2.0, range=(0.0, 100.0), thresholds=T(warn_low=40.0, alarm_low=35.0),
           precision=1, headline=True, exc_p=0.1, exc_dir=-1, up_is_good=True, scope=S_DYE, source=R_REALTIME,
           basis_zh="模拟值；2022年印染企业平均开机率43–57%", basis_en="Simulated; 2022 run rates were 43–57 %"),
        _m("dyeing.water_per_100m", "百米取水量", "Fresh water per 100 m", ("吨/百米", "t/100 m"),
           base=1.25, coupling=0.0, noise=0.05, range=(0.0, 2.5), thresholds=T(warn_high=1.45, alarm_high=1.6),
           precision=2, headline=True, exc_p=0.075, exc_dir=1, up_is_good=False, scope=S_DYE_W, source=R_METER,
           basis_zh="模拟值；规范条件限值1.6吨/百米", basis_en="Simulated; industry limit 1.6 t per 100 m"),
        _m("dyeing.energy_per_100m", "百米综合能耗", "Energy per 100 m", ("千克标煤/百米", "kgce/100 m"),
           base=24.5, coupling=0.0, noise=0.8, range=(0.0, 40.0), thresholds=T(warn_high=27.5, alarm_high=30.0),
           precision=1, exc_p=0.075, exc_dir=1, up_is_good=False, scope=S_DYE_W, source=R_METER,
           basis_zh="模拟值；规范条件限值30千克标煤/百米", basis_en="Simulated; industry limit 30 kgce per 100 m"),
        _m("dyeing.cod", "废水COD", "Effluent COD", ("mg/L", "mg/L"),
           base=135.0, coupling=0.0, noise=10.0, range=(0.0, 300.0), thresholds=T(warn_high=170.0, alarm_high=200.0),
           precision=0, headline=True, exc_p=0.075, exc_dir=1, up_is_good=False, scope=S_DYE_OUT, source=R_ONLINE_MON,
           basis_zh="模拟值；GB 4287-2012间接排放限值200 mg/L", basis_en="Simulated; GB 4287-2012 indirect limit 200 mg/L"),
        _m("dyeing.water_reuse", "中水回用率", "Water reuse rate", PCT,
           base=48.0, coupling=0.0, noise=1.5, range=(0.0, 100.0), thresholds=T(warn_low=43.0, alarm_low=40.0),
           precision=1, exc_p=0.05, exc_dir=-1, up_is_good=True, scope=S_DYE_W, source=R_METER,
           basis_zh="模拟值；规范条件要求≥40%", basis_en="Simulated; industry rule ≥40 %"),
        _m("dyeing.pass_rate", "产品合格率", "Product pass rate", PCT,
           base=97.8, coupling=0.0, noise=0.5, tscale=4, hi=100.0, range=(80.0, 100.0),
           thresholds=T(warn_low=96.0, alarm_low=95.0), precision=1, exc_p=0.05, exc_dir=-1, up_is_good=True,
           scope=S_DYE, source=_src("企业质检系统（每批次）", "Enterprise QC system (per lot)"),
           basis_zh="模拟值；规范条件要求≥95%", basis_en="Simulated; industry rule ≥95 %"),
        _m("dyeing.firms_running", "在产企业数", "Mills in production", ("家", "mills"),
           kind="firms_running", hi=float(DYEING_FIRMS_SIMULATED), integer=True, precision=0, up_is_good=True,
           scope=S_DYE, source=R_STATUS,
           basis_zh="模拟值；柯桥印染企业集聚后约109家，企业表中状态为在产的企业数",
           basis_en="Simulated; about 109 mills after consolidation; the mills of the enterprise table in production"),
        _m("dyeing.steam_today", "今日蒸汽用量", "Steam used today", ("吨", "t"),
           kind="today", inputs=("dyeing.run_rate",),
           k=DYEING_CAPACITY_WANMI_PER_DAY / 86400 / 100 * DYEING_STEAM_T_PER_WANMI, precision=0,
           scope=S_DYE_STEAM, source=R_METER,
           basis_zh="模拟值；柯桥工业蒸汽约330万吨/月", basis_en="Simulated; Keqiao steam about 3.3M t per month"),
        _m("dyeing.water_today", "今日取水量", "Fresh water today", ("万吨", "10k t"),
           kind="today", inputs=("dyeing.run_rate", "dyeing.water_per_100m"),
           k=DYEING_CAPACITY_WANMI_PER_DAY / 86400 / 100 * 0.01, precision=2, scope=S_DYE, source=R_METER,
           basis_zh="模拟值；产量×百米取水量", basis_en="Simulated; output × water per 100 m"),
        _m("dyeing.output_yoy", "产量同比（上月）", "Output, last month y/y", PCT,
           kind="yoy", inputs=("dyeing.output_today",), lo=None, range=(-30.0, 30.0), precision=1, cadence_s=86_400,
           period="month", up_is_good=True, scope=S_DYE, source=R_MONTHLY,
           basis_zh="模拟值；由模拟产量计算（上月比上年同月）；产能按年增2.1%（柯桥印染产量1–10月+2.1%）",
           basis_en="Simulated; computed from the simulated output (last month vs a year before); capacity grows 2.1 % a year"),
    ),
)

TEXTILE = BrainSpec(
    "textile",
    "纺织",
    "Textile",
    (
        _m("textile.turnover_today", "轻纺城今日成交额", "China Textile City turnover today", YI,
           kind="today", base=TEXTILE_TURNOVER_PER_DAY, profile="market", precision=2, up_is_good=True,
           growth=TEXTILE_TURNOVER_YOY, ref_year=2023, scope=S_MARKET, source=R_MARKET,
           basis_zh="模拟值；2023年成交额超3600亿元，按年增10%复合至今", basis_en="Simulated; >360bn CNY in 2023, compounded at 10 % a year"),
        _m("textile.online_turnover_today", "网上轻纺城今日成交额", "Online turnover today", YI,
           kind="today", base=TEXTILE_ONLINE_PER_DAY, profile="online", precision=2, up_is_good=True,
           scope=S_ONLINE, source=R_MARKET,
           basis_zh="模拟值；2022年网上成交809亿元", basis_en="Simulated; 80.9bn CNY online in 2022"),
        _m("textile.export_today", "今日纺织品出口额", "Textile exports today", YI,
           kind="today", base=TEXTILE_EXPORT_PER_DAY, profile="day", precision=2, up_is_good=True,
           scope=S_TEX_EXPORT, source=R_CUSTOMS,
           basis_zh="模拟值；柯桥纺织品出口超1000亿元/年", basis_en="Simulated; Keqiao exports >100bn CNY/yr"),
        _m("textile.fibre_today", "今日化纤产量", "Chemical fibre today", ("吨", "t"),
           kind="today", base=TEXTILE_FIBRE_T_PER_DAY, profile="plant", precision=0, up_is_good=True,
           scope=S_FIBRE, source=R_REALTIME,
           basis_zh="模拟值；2020年化纤产量251.73万吨", basis_en="Simulated; 2.52M t in 2020"),
        _m("textile.fabric_today", "今日坯布产量", "Grey fabric today", ("万米", "10k m"),
           kind="today", inputs=("textile.loom_rate",), k=TEXTILE_FABRIC_WANMI_PER_DAY / 86400 / TEXTILE_LOOM_RATE,
           precision=1, up_is_good=True, scope=S_WEAVE, source=R_REALTIME,
           basis_zh="模拟值；2011年化纤面料27.78亿米；各织造企业今日产量之和",
           basis_en="Simulated; 2.78bn m filament fabric in 2011; the sum of the weaving firms' output"),
        _m("textile.loom_rate", "织机开机率", "Loom run rate", PCT,
           base=TEXTILE_LOOM_RATE, profile="plant", noise=2.5, range=(0.0, 100.0),
           thresholds=T(warn_low=55.0, alarm_low=45.0), precision=1, headline=True, exc_p=0.1, exc_dir=-1,
           up_is_good=True, scope=S_WEAVE, source=R_REALTIME,
           basis_zh="模拟值；参数（柯桥织机开机率未公开）", basis_en="Simulated; parameter (not published)"),
        _m("textile.workshop_rh", "织造车间湿度", "Weaving room humidity", RH,
           base=72.0, coupling=0.0, noise=2.0, diurnal=-1.5, range=(0.0, 100.0),
           thresholds=T(warn_low=60.0, warn_high=82.0, alarm_low=55.0, alarm_high=88.0),
           precision=1, headline=True, exc_p=0.075, scope=S_WEAVE, source=R_ONLINE_MON,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("textile.workshop_temp", "织造车间温度", "Weaving room temperature", DEGC,
           base=27.0, coupling=0.0, noise=0.5, diurnal=1.5, range=(10.0, 40.0),
           thresholds=T(warn_high=32.0, alarm_high=35.0), precision=1, exc_p=0.05, exc_dir=1,
           scope=S_WEAVE, source=R_ONLINE_MON, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("textile.traders_online", "在线商户数", "Traders online", ("户", "traders"),
           base=30500.0, profile="market", noise=150.0, integer=True, precision=0, up_is_good=True,
           scope=S_MARKET, source=R_MARKET,
           basis_zh="模拟值；轻纺城经营户3万余户", basis_en="Simulated; 30,000+ traders"),
        _m("textile.orders", "在手订单", "Orders in hand", ("万米", "10k m"),
           base=TEXTILE_ORDERS_WANMI, coupling=0.0, noise=600.0, tscale=30, precision=0, cadence_s=3600,
           up_is_good=True, scope=S_WEAVE, source=R_ERP,
           basis_zh="模拟值；参数（约60天坯布产量）", basis_en="Simulated; parameter (about 60 days of output)"),
        _m("textile.stock", "坯布库存", "Grey fabric stock", ("万米", "10k m"),
           base=TEXTILE_STOCK_WANMI, coupling=0.0, noise=300.0, tscale=30, precision=0, cadence_s=3600,
           up_is_good=False, scope=S_WEAVE, source=R_ERP,
           basis_zh="模拟值；参数（约20天坯布产量）", basis_en="Simulated; parameter (about 20 days of output)"),
        _m("textile.power_per_100m", "百米耗电量", "Power per 100 m", ("千瓦时/百米", "kWh/100 m"),
           base=TEXTILE_POWER_PER_100M, coupling=0.0, noise=0.8, range=(0.0, 50.0), precision=1,
           up_is_good=False, scope=S_WEAVE_W, source=R_METER,
           basis_zh="模拟值；参数（织造单耗未公开）", basis_en="Simulated; parameter (not published)"),
        _m("textile.water_per_100m", "百米用水量", "Water per 100 m", ("吨/百米", "t/100 m"),
           base=TEXTILE_WATER_PER_100M, coupling=0.0, noise=0.02, range=(0.0, 1.0), precision=2,
           up_is_good=False, scope=S_WEAVE_W, source=R_METER,
           basis_zh="模拟值；参数（喷水织机用水，未公开）", basis_en="Simulated; parameter (water-jet looms, not published)"),
        _m("textile.gas_per_100m", "百米用气量", "Gas per 100 m", ("立方米/百米", "m³/100 m"),
           base=TEXTILE_GAS_PER_100M, coupling=0.0, noise=0.06, range=(0.0, 4.0), precision=2,
           up_is_good=False, scope=S_WEAVE_W, source=R_METER,
           basis_zh="模拟值；参数（未公开）", basis_en="Simulated; parameter (not published)"),
        _m("textile.turnover_yoy", "轻纺城成交额同比（上月）", "Market turnover, last month y/y", PCT,
           kind="yoy", inputs=("textile.turnover_today",), lo=None, range=(-30.0, 40.0),
           precision=1, cadence_s=86_400, period="month", up_is_good=True, scope=S_MARKET, source=R_MONTHLY,
           basis_zh="模拟值；由模拟成交额计算（上月比上年同月）；量级：2025年上半年同比+10.04%",
           basis_en="Simulated; computed from the simulated turnover (last month vs a year before); sized on +10.04 % in 2025 H1"),
    ),
)

WINE = BrainSpec(
    "wine",
    "黄酒",
    "Yellow rice wine",
    (
        _m("wine.ferment_temp", "发酵罐平均温度", "Fermentation tank temperature", DEGC,
           base=29.5, coupling=0.0, noise=0.8, diurnal=0.6, range=(0.0, 40.0),
           thresholds=T(warn_high=32.0, alarm_high=34.0), precision=1, headline=True, exc_p=0.1, exc_dir=1,
           scope=S_WINE, source=R_ONLINE_MON,
           basis_zh="模拟值；参数；前酵罐温度均值", basis_en="Simulated; parameter; mean of the primary fermentation tanks"),
        _m("wine.cellar_temp", "酒库温度", "Cellar temperature", DEGC,
           base=15.5, coupling=0.0, noise=0.4, diurnal=1.2, range=(0.0, 35.0),
           thresholds=T(warn_low=6.0, warn_high=19.0, alarm_low=5.0, alarm_high=20.0),
           precision=1, headline=True, exc_p=0.05, exc_dir=1, scope=S_WINE, source=R_ONLINE_MON,
           basis_zh="模拟值；贮存温度宜5–20°C", basis_en="Simulated; storage at 5–20 °C"),
        _m("wine.cellar_rh", "酒库湿度", "Cellar humidity", RH,
           base=75.0, coupling=0.0, noise=2.0, diurnal=-1.0, range=(0.0, 100.0),
           thresholds=T(warn_low=60.0, warn_high=88.0, alarm_low=55.0, alarm_high=92.0),
           precision=0, exc_p=0.04, scope=S_WINE, source=R_ONLINE_MON,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("wine.alcohol", "成品酒精度", "Alcohol by volume, finished wine", ("%vol", "%vol"),
           base=16.5, coupling=0.0, noise=0.3, tscale=10, range=(0.0, 25.0),
           thresholds=T(warn_low=14.5, alarm_low=14.0), precision=1, exc_p=0.025, exc_dir=-1,
           scope=S_WINE, source=_src("企业质检系统（每批次）", "Enterprise QC system (per lot)"),
           basis_zh="模拟值；黄酒酒精度多为14–20%vol", basis_en="Simulated; typically 14–20 %vol"),
        _m("wine.sales_today", "今日销售额", "Sales today", ("万元", "10k CNY"),
           kind="today", base=WINE_SALES_WAN_PER_DAY, profile="day", precision=1, up_is_good=True,
           growth=F.WINE_SALES_GROWTH, ref_year=2023, scope=S_WINE, source=R_REALTIME,
           basis_zh="模拟值；2023年规上黄酒企业销售超36亿元（11家）加小微企业3亿元（参数），按年增6%复合至今",
           basis_en="Simulated; 3.6bn CNY of the 11 large producers in 2023 plus 0.3bn of small ones (parameter), compounded at 6 % a year"),
        _m("wine.base_stock", "基酒库存", "Base wine stock", ("千升", "kL"),
           base=WINE_BASE_STOCK_KL, coupling=0.0, noise=400.0, tscale=30, precision=0, cadence_s=3600,
           scope=S_WINE, source=R_ERP,
           basis_zh="模拟值；参照古越龙山约1100万坛陈酒；各年份基酒之和", basis_en="Simulated; scaled on one cellar of ~11M jars; the sum of the vintages"),
        _m("wine.bottling_today", "今日灌装量", "Bottled today", ("千升", "kL"),
           kind="today", base=1500.0, profile="day", precision=1, up_is_good=True, scope=S_WINE, source=R_REALTIME,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("wine.export_today", "今日出口量", "Exports today", ("吨", "t"),
           kind="today", base=WINE_EXPORT_T_PER_DAY, profile="day", precision=1, up_is_good=True,
           scope=S_WINE_EXPORT, source=R_CUSTOMS,
           basis_zh="模拟值；2018年出口14859吨", basis_en="Simulated; 14,859 t exported in 2018"),
        _m("wine.sales_mtd", "销售额 本月累计", "Sales, month to date", ("万元", "10k CNY"),
           kind="month", rate_of="wine.sales_today", precision=1, cadence_s=5, up_is_good=True,
           scope=S_WINE, source=R_REALTIME,
           basis_zh="模拟值；本月各日销售额之和", basis_en="Simulated; the sum of this month's daily sales"),
        _m("wine.sales_yoy", "销售额同比（上月）", "Sales, last month y/y", PCT,
           kind="yoy", inputs=("wine.sales_today",), lo=None, range=(-20.0, 30.0), precision=1, cadence_s=86_400,
           period="month", up_is_good=True, scope=S_WINE, source=R_MONTHLY,
           basis_zh="模拟值；由模拟销售额计算（上月比上年同月）；量级：2024年1–8月营收同比+9.4%，2023年1–11月+4.6%",
           basis_en="Simulated; computed from the simulated sales (last month vs a year before); sized on +9.4 % (2024) and +4.6 % (2023)"),
    ),
)

IC = BrainSpec(
    "ic",
    "集成电路",
    "Integrated circuits",
    (
        _m("ic.wafer_starts_today", "今日晶圆投片", "Wafer starts today", ("片", "wafers"),
           kind="today", inputs=("ic.utilization",), k=IC_WAFER_STARTS_PER_DAY / 86400 / IC_UTILIZATION,
           integer=True, precision=0, up_is_good=True, scope=S_IC_FAB, source=R_REALTIME,
           basis_zh="模拟值；8英寸5万片/月", basis_en="Simulated; 50,000 8-inch wafers per month"),
        _m("ic.utilization", "产能利用率", "Capacity utilisation", PCT,
           base=IC_UTILIZATION, profile="fab", noise=1.5, range=(0.0, 100.0), hi=100.0,
           thresholds=T(warn_low=75.0, alarm_low=65.0), precision=1, headline=True, exc_p=0.075, exc_dir=-1,
           up_is_good=True, scope=S_IC, source=R_REALTIME,
           basis_zh="模拟值；参数；各企业按产能加权", basis_en="Simulated; parameter; enterprises weighted by capacity"),
        _m("ic.yield", "良率", "Yield", PCT,
           base=97.2, coupling=0.0, noise=0.35, tscale=5, hi=100.0, range=(85.0, 100.0),
           thresholds=T(warn_low=95.0, alarm_low=93.0), precision=2, headline=True, exc_p=0.075, exc_dir=-1,
           up_is_good=True, scope=S_IC_FAB, source=R_REALTIME,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.particles", "洁净室粒子数(≥0.5µm)", "Cleanroom particles (≥0.5 µm)", ("个/立方英尺", "per ft³"),
           base=35.0, coupling=0.0, noise=8.0, range=(0.0, 150.0), thresholds=T(warn_high=70.0, alarm_high=100.0),
           precision=0, exc_p=0.075, exc_dir=1, up_is_good=False, scope=S_IC_FAB, source=R_ONLINE_MON,
           basis_zh="模拟值；ISO 5级限值100个/立方英尺", basis_en="Simulated; ISO class 5 limit 100 per ft³"),
        _m("ic.cleanroom_temp", "洁净室温度", "Cleanroom temperature", DEGC,
           base=22.0, coupling=0.0, noise=0.12, range=(18.0, 26.0),
           thresholds=T(warn_low=21.3, warn_high=22.7, alarm_low=21.0, alarm_high=23.0),
           precision=2, exc_p=0.05, scope=S_IC_FAB, source=R_ONLINE_MON,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.cleanroom_rh", "洁净室湿度", "Cleanroom humidity", RH,
           base=45.0, coupling=0.0, noise=1.0, range=(30.0, 60.0),
           thresholds=T(warn_low=41.0, warn_high=49.0, alarm_low=39.0, alarm_high=51.0),
           precision=1, exc_p=0.05, scope=S_IC_FAB, source=R_ONLINE_MON,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.upw_resistivity", "超纯水电阻率", "Ultrapure water resistivity", ("MΩ·cm", "MΩ·cm"),
           base=18.12, coupling=0.0, noise=0.04, hi=18.2, range=(16.0, 18.5),
           thresholds=T(warn_low=17.8, alarm_low=17.5), precision=2, exc_p=0.05, exc_dir=-1, up_is_good=True,
           scope=S_IC_FAB, source=R_ONLINE_MON,
           basis_zh="模拟值；理论上限18.2 MΩ·cm", basis_en="Simulated; theoretical maximum 18.2 MΩ·cm"),
        _m("ic.wip", "在制品", "Work in progress", ("片", "wafers"),
           base=66000.0, coupling=0.0, noise=800.0, tscale=20, integer=True, precision=0,
           scope=S_IC_FAB, source=_src("制造执行系统MES（实时）", "Manufacturing execution system (real time)"),
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.packaging_today", "今日先进封装", "Advanced packaging today", ("片", "wafers"),
           kind="today", base=IC_PACKAGING_PER_DAY, profile="fab", integer=True, precision=0, up_is_good=True,
           scope=S_IC_PKG, source=R_REALTIME,
           basis_zh="模拟值；12英寸晶圆级封装48万片/年", basis_en="Simulated; 480,000 12-inch wafers/yr"),
        _m("ic.output_mtd", "集成电路产值 本月累计", "IC output, month to date", YI,
           kind="month", base=IC_OUTPUT_PER_DAY, profile="fab", precision=2, cadence_s=5, up_is_good=True,
           growth=F.IC_GROWTH, ref_year=2025, scope=S_IC_PLATFORM, source=R_REALTIME,
           basis_zh="模拟值；2025年平台产值1003.3亿元（+18%），按年增18%（参数）复合至今；各企业本月产值之和",
           basis_en="Simulated; 100.33bn CNY in 2025 (+18 %), compounded at 18 % a year (parameter); the sum of the enterprises' output"),
        _m("ic.output_ytd", "集成电路产值 本年累计", "IC output, year to date", YI,
           kind="year", rate_of="ic.output_mtd", precision=2, cadence_s=5, up_is_good=True,
           scope=S_IC_PLATFORM, source=R_REALTIME,
           basis_zh="模拟值；2025年平台产值1003.3亿元，首次突破千亿；本年各月之和",
           basis_en="Simulated; platform output 100.33bn CNY in 2025, first time above 100bn; the sum of this year's months"),
        _m("ic.output_yoy", "集成电路产值同比（上月）", "IC output, last month y/y", PCT,
           kind="yoy", inputs=("ic.output_mtd",), lo=None, range=(-20.0, 60.0), precision=1, cadence_s=86_400,
           period="month", up_is_good=True, scope=S_IC_PLATFORM, source=R_MONTHLY,
           basis_zh="模拟值；由模拟产值计算（上月比上年同月）；量级：2025年同比+18%",
           basis_en="Simulated; computed from the simulated output (last month vs a year before); sized on +18 % in 2025"),
    ),
)

PHARMA = BrainSpec(
    "pharma",
    "医药",
    "Pharmaceuticals",
    (
        _m("pharma.output_mtd", "生物医药产值 本月累计", "Biopharma output, month to date", YI,
           kind="month", base=PHARMA_OUTPUT_PER_DAY, profile="plant", precision=2, cadence_s=5, up_is_good=True,
           growth=F.PHARMA_GROWTH, ref_year=2021, scope=S_PHARMA_PLATFORM, source=R_REALTIME,
           basis_zh="模拟值；2021年平台产值356亿元，按年增12%（参数）复合至今；各企业本月产值之和",
           basis_en="Simulated; 35.6bn CNY in 2021, compounded at 12 % a year (parameter); the sum of the enterprises' output"),
        _m("pharma.line_rate", "产线开动率", "Line run rate", PCT,
           base=80.0, profile="plant", noise=2.5, range=(0.0, 100.0), thresholds=T(warn_low=62.0, alarm_low=52.0),
           precision=1, headline=True, exc_p=0.075, exc_dir=-1, up_is_good=True, scope=S_PHARMA, source=R_REALTIME,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.cleanroom_dp", "洁净区压差", "Cleanroom pressure difference", ("Pa", "Pa"),
           base=15.0, coupling=0.0, noise=0.8, range=(0.0, 30.0), thresholds=T(warn_low=11.5, alarm_low=10.0),
           precision=1, headline=True, exc_p=0.075, exc_dir=-1, up_is_good=True, scope=S_GMP, source=R_ONLINE_MON,
           basis_zh="模拟值；GMP要求不同级别洁净区压差≥10 Pa", basis_en="Simulated; GMP requires ≥10 Pa"),
        _m("pharma.cleanroom_temp", "洁净区温度", "Cleanroom temperature", DEGC,
           base=21.5, coupling=0.0, noise=0.3, diurnal=0.3, range=(15.0, 30.0),
           thresholds=T(warn_low=19.0, warn_high=24.5, alarm_low=18.0, alarm_high=26.0),
           precision=1, exc_p=0.04, scope=S_GMP, source=R_ONLINE_MON,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.cleanroom_rh", "洁净区湿度", "Cleanroom humidity", RH,
           base=52.0, coupling=0.0, noise=2.0, range=(30.0, 80.0),
           thresholds=T(warn_low=47.0, warn_high=62.0, alarm_low=45.0, alarm_high=65.0),
           precision=1, exc_p=0.04, scope=S_GMP, source=R_ONLINE_MON,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.cold_chain_temp", "冷库温度", "Cold store temperature", DEGC,
           base=5.0, coupling=0.0, noise=0.5, lo=None, range=(0.0, 12.0),
           thresholds=T(warn_low=2.5, warn_high=7.2, alarm_low=2.0, alarm_high=8.0),
           precision=1, headline=True, exc_p=0.075, exc_dir=1, scope=S_COLD, source=R_ONLINE_MON,
           basis_zh="模拟值；药品冷藏2–8°C", basis_en="Simulated; cold chain 2–8 °C"),
        _m("pharma.batch_pass_rate", "批次合格率", "Batch pass rate", PCT,
           base=99.3, coupling=0.0, noise=0.25, tscale=10, hi=100.0, range=(90.0, 100.0),
           thresholds=T(warn_low=98.5, alarm_low=97.5), precision=2, exc_p=0.04, exc_dir=-1, up_is_good=True,
           scope=S_PHARMA, source=_src("企业质量管理系统（每批次）", "Enterprise quality system (per batch)"),
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.batches_today", "今日放行批次", "Batches released today", ("批", "batches"),
           kind="today", base=180.0, profile="day", integer=True, precision=0, up_is_good=True,
           scope=S_PHARMA, source=_src("企业质量管理系统（每批次）", "Enterprise quality system (per batch)"),
           basis_zh="模拟值；参数；各企业今日放行批次之和", basis_en="Simulated; parameter; the sum of the enterprises' batches"),
        _m("pharma.firms_running", "在产企业数", "Firms in production", ("家", "firms"),
           kind="firms_running", hi=float(PHARMA_FIRMS), integer=True, precision=0, up_is_good=True,
           scope=S_PHARMA, source=R_STATUS,
           basis_zh="模拟值；企业表中状态为在产的企业数（2023年末全市生物医药企业365家）",
           basis_en="Simulated; the firms of the enterprise table in production (365 biopharma firms city-wide at end-2023)"),
        _m("pharma.api_today", "今日原料药产量", "API output today", ("吨", "t"),
           kind="today", base=95.0, profile="plant", precision=1, up_is_good=True, scope=S_PHARMA, source=R_REALTIME,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.output_yoy", "生物医药产值同比（上月）", "Biopharma output, last month y/y", PCT,
           kind="yoy", inputs=("pharma.output_mtd",), lo=None, range=(-20.0, 50.0), precision=1, cadence_s=86_400,
           period="month", up_is_good=True, scope=S_PHARMA_PLATFORM, source=R_MONTHLY,
           basis_zh="模拟值；由模拟产值计算（上月比上年同月）；年增12%为参数（2020年前三季度滨海新区医药产值同比+19.7%）",
           basis_en="Simulated; computed from the simulated output; 12 % a year is a parameter (Binhai +19.7 % in Q1–Q3 2020)"),
        _m("pharma.approvals_ytd", "药品注册批件 本年累计", "Drug approvals, year to date", ("件", "approvals"),
           kind="year", base=PHARMA_APPROVALS_PER_DAY, profile="day", integer=True, precision=0, cadence_s=86_400,
           period="day", up_is_good=True, scope=S_PHARMA, source=R_REGULATOR,
           basis_zh="模拟值；参数（截至2023年末一致性评价通过86个）",
           basis_en="Simulated; parameter (86 generic-consistency approvals by end-2023)"),
        _m("pharma.rd_ytd", "研发投入 本年累计", "R&D spend, year to date", YI,
           kind="year", base=PHARMA_RD_PER_DAY, profile="day", precision=2, cadence_s=86_400, period="month",
           up_is_good=True, scope=S_PHARMA, source=R_MONTHLY,
           basis_zh="模拟值；参数（研发强度8%×平台产值356亿元）",
           basis_en="Simulated; parameter (R&D intensity 8 % × 35.6bn CNY output)"),
    ),
)

# 要素消耗 · 亩均论英雄: a screen of panels only (cockpit.central.muni_panels), no live metric
MUNI = BrainSpec("muni", "亩均论英雄", "Per-mu ranking", ())

BRAINS: tuple[BrainSpec, ...] = (CITY, DYEING, TEXTILE, WINE, IC, PHARMA, MUNI)


def bench_brain(gauges: int = 12, lines: int = 8, kpis: int = 6) -> BrainSpec:
    """The opt-in ``bench`` brain for the rendering benchmark.

    ``bench.gNN`` gauges and ``bench.lNN`` headline lines range 0..100; ``bench.kNN`` number
    tiles sit around 10000 × (NN + 1). Everything moves every second; no thresholds, so
    the load is steady and predictable.
    """
    if not (0 <= gauges <= 99 and 0 <= lines <= 99 and 0 <= kpis <= 99):
        raise ValueError("bench sizes must be 0..99")
    ms: list[MetricSpec] = []
    for i in range(1, gauges + 1):
        ms.append(_m(f"bench.g{i:02d}", f"仪表{i:02d}", f"Gauge {i:02d}", PCT, base=50.0, coupling=0.0,
                     noise=30.0, tscale=0.3, range=(0.0, 100.0), precision=1))
    for i in range(1, lines + 1):
        ms.append(_m(f"bench.l{i:02d}", f"曲线{i:02d}", f"Line {i:02d}", PCT, base=50.0, coupling=0.0,
                     noise=35.0, tscale=0.3, range=(0.0, 100.0), precision=1, headline=True))
    for i in range(1, kpis + 1):
        base = 10000.0 * (i + 1)
        ms.append(_m(f"bench.k{i:02d}", f"指标{i:02d}", f"KPI {i:02d}", ("个", "units"), base=base,
                     coupling=0.0, noise=0.05 * base, tscale=0.3, precision=0))
    return BrainSpec("bench", "基准测试", "Benchmark", tuple(ms))
