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

Kind = Literal["level", "today", "month", "mean", "alert_count"]
Profile = Literal["flat", "plant", "fab", "day", "market", "online", "grid"]


@dataclass(frozen=True)
class MetricSpec:
    """How one metric is shown (catalog fields) and how its value is generated.

    kinds:
      * ``level``: an instantaneous value: ``base`` scaled by the activity ``profile``
        (``coupling`` 0..1), plus smooth noise (``noise`` units, periods × ``tscale``),
        a daily ``diurnal`` wave (peak 14:00 local) and rare excursions past thresholds.
      * ``today`` / ``month``: a running total since local midnight / the 1st of the month.
        Its rate is ``base`` per average day shaped by ``profile``, or, when ``inputs`` is
        set, ``k`` × the product of the input metrics' values (per second).
      * ``mean``: the mean of the ``inputs`` (a derived level).
      * ``alert_count``: the number of metrics of the industry brains past a threshold.
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

# --- magnitudes (see the figures file; "parameter" = not published, a knob) ----------------
#: 规上工业增加值 2023: 2155亿 (figures §1) → per average day.
CITY_IVA_PER_DAY = 2155.0 / 365
#: City industrial power load, parameter: 上虞's 63.19亿 kWh (2023, figures §2) scaled by
#: 上虞's share of city GDP (1318/7791) gives ≈373亿 kWh/yr ≈ 426万 kW on average.
CITY_POWER_LOAD_WAN_KW = 430.0
#: The four 万亩千亿 platforms: >2000亿 output per year (2023-08, figures §1).
PLATFORMS_OUTPUT_PER_DAY = 2000.0 / 365
#: Connected enterprises online, parameter (柯桥 织造印染 brain alone connects >3000, §9).
CITY_FIRMS_ONLINE = 3150.0
#: Dyeing capacity 185亿米/yr (绍兴县 ≈2010, figures §3) in 万米 per day at 100 % run rate.
DYEING_CAPACITY_WANMI_PER_DAY = 185e8 / 365 / 1e4
#: Steam per 万米 of dyed cloth, parameter: 柯桥 ≈3.3M t steam/month (§3) over ≈2500万米/day.
DYEING_STEAM_T_PER_WANMI = 43.0
#: 中国轻纺城 turnover >3600亿 (2023, §4) per day; online 809.13亿 (2022, §4) per day.
TEXTILE_TURNOVER_PER_DAY = 3600.0 / 365
TEXTILE_ONLINE_PER_DAY = 809.13 / 365
#: 柯桥 textile exports >1000亿/yr (c. 2024, §2) per day.
TEXTILE_EXPORT_PER_DAY = 1000.0 / 365
#: 柯桥 chemical fibre 251.73万吨 (2020, §3) in t per day.
TEXTILE_FIBRE_T_PER_DAY = 251.73e4 / 365
#: 绍兴县 filament-fabric output 27.78亿米 (2011, §4) in 万米 per day at the base loom rate.
TEXTILE_FABRIC_WANMI_PER_DAY = 27.78e8 / 365 / 1e4
TEXTILE_LOOM_RATE = 72.0  # parameter: 柯桥 weaving run rates were not found (§10)
#: 黄酒: 规上 sales >36亿 (2023, §5) in 万元 per day; exports 14,859.3 t (2018, §5) per day.
WINE_SALES_WAN_PER_DAY = 36e4 / 365
WINE_EXPORT_T_PER_DAY = 14859.3 / 365
#: 古越龙山 cellar ≈11 million jars × 22–24 L (§5) ≈ 25万千升: one firm's stock, used as scale.
WINE_BASE_STOCK_KL = 250_000.0
#: IC: 芯联 8-inch 50,000 wafers/month (2021, §6); 长电绍兴 480,000 wafers/yr (§6);
#: IC platform output 1003.3亿 (2025, §6).
IC_UTILIZATION = 88.0  # parameter
IC_WAFER_STARTS_PER_DAY = 50_000 * 12 / 365
IC_PACKAGING_PER_DAY = 480_000 / 365
IC_OUTPUT_PER_DAY = 1003.3 / 365
#: Biopharma platform 356亿 (2021, §7) per day; 365 biopharma firms (end-2023, §7).
PHARMA_OUTPUT_PER_DAY = 356.0 / 365
PHARMA_FIRMS = 365


def _m(mid: str, zh: str, en: str, unit: tuple[str, str], **kw: object) -> MetricSpec:
    return MetricSpec(id=mid, zh=zh, en=en, unit_zh=unit[0], unit_en=unit[1], **kw)  # type: ignore[arg-type]


CITY = BrainSpec(
    "city",
    "产业大脑",
    "City overview",
    (
        _m("city.iva_mtd", "规上工业增加值 本月累计", "Industrial value added, month to date", YI,
           kind="month", base=CITY_IVA_PER_DAY, profile="plant", precision=1, cadence_s=5,
           basis_zh="模拟值；量级：2023年规上工业增加值2155亿元", basis_en="Simulated; sized on 2023 value added of 215.5bn CNY"),
        _m("city.iva_growth", "规上工业增加值增速", "Industrial value added growth (y/y)", PCT,
           base=10.8, coupling=0.0, noise=0.6, tscale=20, lo=None, range=(-10.0, 30.0),
           thresholds=T(warn_low=5.0, alarm_low=0.0), precision=1, cadence_s=5, exc_p=0.02, exc_dir=-1,
           basis_zh="模拟值；量级：2023年增速10.8%", basis_en="Simulated; sized on +10.8 % in 2023"),
        _m("city.power_load", "工业用电负荷", "Industrial power load", ("万千瓦", "10 MW"),
           base=CITY_POWER_LOAD_WAN_KW, profile="grid", noise=8.0, range=(0.0, 800.0),
           thresholds=T(warn_high=600.0, alarm_high=680.0), precision=1, headline=True, exc_p=0.05, exc_dir=1,
           basis_zh="模拟值；参数（按上虞用电量与GDP占比推算）", basis_en="Simulated; parameter scaled from Shangyu's power use"),
        _m("city.power_today", "今日工业用电量", "Industrial power use today", ("万千瓦时", "10 MWh"),
           kind="today", inputs=("city.power_load",), k=1 / 3600, precision=1,
           basis_zh="模拟值；由用电负荷积分", basis_en="Simulated; integral of the power load"),
        _m("city.online_firms", "在线企业数", "Enterprises online", ("家", "firms"),
           base=CITY_FIRMS_ONLINE, profile="day", coupling=0.2, noise=25.0, integer=True, precision=0, headline=True,
           basis_zh="模拟值；参数（柯桥织造印染产业大脑接入企业3000余家）", basis_en="Simulated; parameter (Keqiao dyeing brain connects >3000 firms)"),
        _m("city.alerts", "告警数", "Active alerts", ("条", "alerts"),
           kind="alert_count", integer=True, precision=0, agg="max",
           basis_zh="各产业大脑当前越限指标数", basis_en="Metrics of all brains currently past a limit"),
        _m("city.run_rate_avg", "重点行业平均开机率", "Key industries, average run rate", PCT,
           kind="mean", inputs=("dyeing.run_rate", "textile.loom_rate", "ic.utilization", "pharma.line_rate"),
           range=(0.0, 100.0), thresholds=T(warn_low=55.0, alarm_low=45.0), precision=1, headline=True,
           basis_zh="印染、纺织、集成电路、医药开机率均值", basis_en="Mean run rate of dyeing, textile, IC and pharma"),
        _m("city.platforms_today", "万亩千亿平台今日产值", "Four major platforms, output today", YI,
           kind="today", base=PLATFORMS_OUTPUT_PER_DAY, profile="plant", precision=2,
           basis_zh="模拟值；量级：四大平台年产值超2000亿元", basis_en="Simulated; sized on >200bn CNY per year"),
    ),
)

DYEING = BrainSpec(
    "dyeing",
    "印染",
    "Printing & dyeing",
    (
        _m("dyeing.output_today", "今日产量", "Dyed cloth today", ("万米", "10k m"),
           kind="today", inputs=("dyeing.run_rate",), k=DYEING_CAPACITY_WANMI_PER_DAY / 86400 / 100, precision=1,
           basis_zh="模拟值；产能185亿米/年×开机率", basis_en="Simulated; capacity 18.5bn m/yr × run rate"),
        _m("dyeing.run_rate", "开机率", "Run rate", PCT,
           base=52.0, profile="plant", noise=2.0, range=(0.0, 100.0), thresholds=T(warn_low=40.0, alarm_low=35.0),
           precision=1, headline=True, exc_p=0.1, exc_dir=-1,
           basis_zh="模拟值；2022年印染企业平均开机率43–57%", basis_en="Simulated; 2022 run rates were 43–57 %"),
        _m("dyeing.water_per_100m", "百米取水量", "Fresh water per 100 m", ("吨/百米", "t/100 m"),
           base=1.25, coupling=0.0, noise=0.05, range=(0.0, 2.5), thresholds=T(warn_high=1.45, alarm_high=1.6),
           precision=2, headline=True, exc_p=0.075, exc_dir=1,
           basis_zh="模拟值；规范条件限值1.6吨/百米", basis_en="Simulated; industry limit 1.6 t per 100 m"),
        _m("dyeing.energy_per_100m", "百米综合能耗", "Energy per 100 m", ("千克标煤/百米", "kgce/100 m"),
           base=24.5, coupling=0.0, noise=0.8, range=(0.0, 40.0), thresholds=T(warn_high=27.5, alarm_high=30.0),
           precision=1, exc_p=0.075, exc_dir=1,
           basis_zh="模拟值；规范条件限值30千克标煤/百米", basis_en="Simulated; industry limit 30 kgce per 100 m"),
        _m("dyeing.cod", "废水COD", "Effluent COD", ("mg/L", "mg/L"),
           base=135.0, coupling=0.0, noise=10.0, range=(0.0, 300.0), thresholds=T(warn_high=170.0, alarm_high=200.0),
           precision=0, headline=True, exc_p=0.075, exc_dir=1,
           basis_zh="模拟值；GB 4287-2012间接排放限值200 mg/L", basis_en="Simulated; GB 4287-2012 indirect limit 200 mg/L"),
        _m("dyeing.water_reuse", "中水回用率", "Water reuse rate", PCT,
           base=48.0, coupling=0.0, noise=1.5, range=(0.0, 100.0), thresholds=T(warn_low=43.0, alarm_low=40.0),
           precision=1, exc_p=0.05, exc_dir=-1,
           basis_zh="模拟值；规范条件要求≥40%", basis_en="Simulated; industry rule ≥40 %"),
        _m("dyeing.pass_rate", "产品合格率", "Product pass rate", PCT,
           base=97.8, coupling=0.0, noise=0.5, tscale=4, hi=100.0, range=(80.0, 100.0),
           thresholds=T(warn_low=96.0, alarm_low=95.0), precision=1, exc_p=0.05, exc_dir=-1,
           basis_zh="模拟值；规范条件要求≥95%", basis_en="Simulated; industry rule ≥95 %"),
        _m("dyeing.firms_running", "在产企业数", "Mills in production", ("家", "mills"),
           base=104.0, profile="plant", coupling=0.5, noise=1.5, tscale=10, hi=109.0, integer=True, precision=0,
           basis_zh="模拟值；柯桥印染企业集聚后约109家", basis_en="Simulated; about 109 mills after consolidation"),
        _m("dyeing.steam_today", "今日蒸汽用量", "Steam used today", ("吨", "t"),
           kind="today", inputs=("dyeing.run_rate",),
           k=DYEING_CAPACITY_WANMI_PER_DAY / 86400 / 100 * DYEING_STEAM_T_PER_WANMI, precision=0,
           basis_zh="模拟值；柯桥工业蒸汽约330万吨/月", basis_en="Simulated; Keqiao steam about 3.3M t per month"),
        _m("dyeing.water_today", "今日取水量", "Fresh water today", ("万吨", "10k t"),
           kind="today", inputs=("dyeing.run_rate", "dyeing.water_per_100m"),
           k=DYEING_CAPACITY_WANMI_PER_DAY / 86400 / 100 * 0.01, precision=2,
           basis_zh="模拟值；产量×百米取水量", basis_en="Simulated; output × water per 100 m"),
    ),
)

TEXTILE = BrainSpec(
    "textile",
    "纺织",
    "Textile",
    (
        _m("textile.turnover_today", "轻纺城今日成交额", "China Textile City turnover today", YI,
           kind="today", base=TEXTILE_TURNOVER_PER_DAY, profile="market", precision=2,
           basis_zh="模拟值；2023年成交额超3600亿元", basis_en="Simulated; >360bn CNY in 2023"),
        _m("textile.online_turnover_today", "网上轻纺城今日成交额", "Online turnover today", YI,
           kind="today", base=TEXTILE_ONLINE_PER_DAY, profile="online", precision=2,
           basis_zh="模拟值；2022年网上成交809亿元", basis_en="Simulated; 80.9bn CNY online in 2022"),
        _m("textile.export_today", "今日纺织品出口额", "Textile exports today", YI,
           kind="today", base=TEXTILE_EXPORT_PER_DAY, profile="day", precision=2,
           basis_zh="模拟值；柯桥纺织品出口超1000亿元/年", basis_en="Simulated; Keqiao exports >100bn CNY/yr"),
        _m("textile.fibre_today", "今日化纤产量", "Chemical fibre today", ("吨", "t"),
           kind="today", base=TEXTILE_FIBRE_T_PER_DAY, profile="plant", precision=0,
           basis_zh="模拟值；2020年化纤产量251.73万吨", basis_en="Simulated; 2.52M t in 2020"),
        _m("textile.fabric_today", "今日坯布产量", "Grey fabric today", ("万米", "10k m"),
           kind="today", inputs=("textile.loom_rate",), k=TEXTILE_FABRIC_WANMI_PER_DAY / 86400 / TEXTILE_LOOM_RATE,
           precision=1, basis_zh="模拟值；2011年化纤面料27.78亿米", basis_en="Simulated; 2.78bn m filament fabric in 2011"),
        _m("textile.loom_rate", "织机开机率", "Loom run rate", PCT,
           base=TEXTILE_LOOM_RATE, profile="plant", noise=2.5, range=(0.0, 100.0),
           thresholds=T(warn_low=55.0, alarm_low=45.0), precision=1, headline=True, exc_p=0.1, exc_dir=-1,
           basis_zh="模拟值；参数（柯桥织机开机率未公开）", basis_en="Simulated; parameter (not published)"),
        _m("textile.workshop_rh", "织造车间湿度", "Weaving room humidity", RH,
           base=72.0, coupling=0.0, noise=2.0, diurnal=-1.5, range=(0.0, 100.0),
           thresholds=T(warn_low=60.0, warn_high=82.0, alarm_low=55.0, alarm_high=88.0),
           precision=1, headline=True, exc_p=0.075, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("textile.workshop_temp", "织造车间温度", "Weaving room temperature", DEGC,
           base=27.0, coupling=0.0, noise=0.5, diurnal=1.5, range=(10.0, 40.0),
           thresholds=T(warn_high=32.0, alarm_high=35.0), precision=1, exc_p=0.05, exc_dir=1,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("textile.traders_online", "在线商户数", "Traders online", ("户", "traders"),
           base=30500.0, profile="market", noise=150.0, integer=True, precision=0,
           basis_zh="模拟值；轻纺城经营户3万余户", basis_en="Simulated; 30,000+ traders"),
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
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("wine.cellar_temp", "酒库温度", "Cellar temperature", DEGC,
           base=15.5, coupling=0.0, noise=0.4, diurnal=1.2, range=(0.0, 35.0),
           thresholds=T(warn_low=6.0, warn_high=19.0, alarm_low=5.0, alarm_high=20.0),
           precision=1, headline=True, exc_p=0.05, exc_dir=1,
           basis_zh="模拟值；贮存温度宜5–20°C", basis_en="Simulated; storage at 5–20 °C"),
        _m("wine.cellar_rh", "酒库湿度", "Cellar humidity", RH,
           base=75.0, coupling=0.0, noise=2.0, diurnal=-1.0, range=(0.0, 100.0),
           thresholds=T(warn_low=60.0, warn_high=88.0, alarm_low=55.0, alarm_high=92.0),
           precision=0, exc_p=0.04, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("wine.alcohol", "成品酒精度", "Alcohol by volume, finished wine", ("%vol", "%vol"),
           base=16.5, coupling=0.0, noise=0.3, tscale=10, range=(0.0, 25.0),
           thresholds=T(warn_low=14.5, alarm_low=14.0), precision=1, exc_p=0.025, exc_dir=-1,
           basis_zh="模拟值；黄酒酒精度多为14–20%vol", basis_en="Simulated; typically 14–20 %vol"),
        _m("wine.sales_today", "今日销售额", "Sales today", ("万元", "10k CNY"),
           kind="today", base=WINE_SALES_WAN_PER_DAY, profile="day", precision=1,
           basis_zh="模拟值；2023年规上黄酒企业销售超36亿元", basis_en="Simulated; >3.6bn CNY sales in 2023"),
        _m("wine.base_stock", "基酒库存", "Base wine stock", ("千升", "kL"),
           base=WINE_BASE_STOCK_KL, coupling=0.0, noise=400.0, tscale=30, precision=0, cadence_s=5,
           basis_zh="模拟值；参照古越龙山约1100万坛陈酒", basis_en="Simulated; scaled on one cellar of ~11M jars"),
        _m("wine.bottling_today", "今日灌装量", "Bottled today", ("千升", "kL"),
           kind="today", base=1500.0, profile="day", precision=1,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("wine.export_today", "今日出口量", "Exports today", ("吨", "t"),
           kind="today", base=WINE_EXPORT_T_PER_DAY, profile="day", precision=1,
           basis_zh="模拟值；2018年出口14859吨", basis_en="Simulated; 14,859 t exported in 2018"),
    ),
)

IC = BrainSpec(
    "ic",
    "集成电路",
    "Integrated circuits",
    (
        _m("ic.wafer_starts_today", "今日晶圆投片", "Wafer starts today", ("片", "wafers"),
           kind="today", inputs=("ic.utilization",), k=IC_WAFER_STARTS_PER_DAY / 86400 / IC_UTILIZATION,
           integer=True, precision=0, basis_zh="模拟值；8英寸5万片/月", basis_en="Simulated; 50,000 8-inch wafers per month"),
        _m("ic.utilization", "产能利用率", "Capacity utilisation", PCT,
           base=IC_UTILIZATION, profile="fab", noise=1.5, range=(0.0, 100.0), hi=100.0,
           thresholds=T(warn_low=75.0, alarm_low=65.0), precision=1, headline=True, exc_p=0.075, exc_dir=-1,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.yield", "良率", "Yield", PCT,
           base=97.2, coupling=0.0, noise=0.35, tscale=5, hi=100.0, range=(85.0, 100.0),
           thresholds=T(warn_low=95.0, alarm_low=93.0), precision=2, headline=True, exc_p=0.075, exc_dir=-1,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.particles", "洁净室粒子数(≥0.5µm)", "Cleanroom particles (≥0.5 µm)", ("个/立方英尺", "per ft³"),
           base=35.0, coupling=0.0, noise=8.0, range=(0.0, 150.0), thresholds=T(warn_high=70.0, alarm_high=100.0),
           precision=0, exc_p=0.075, exc_dir=1,
           basis_zh="模拟值；ISO 5级限值100个/立方英尺", basis_en="Simulated; ISO class 5 limit 100 per ft³"),
        _m("ic.cleanroom_temp", "洁净室温度", "Cleanroom temperature", DEGC,
           base=22.0, coupling=0.0, noise=0.12, range=(18.0, 26.0),
           thresholds=T(warn_low=21.3, warn_high=22.7, alarm_low=21.0, alarm_high=23.0),
           precision=2, exc_p=0.05, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.cleanroom_rh", "洁净室湿度", "Cleanroom humidity", RH,
           base=45.0, coupling=0.0, noise=1.0, range=(30.0, 60.0),
           thresholds=T(warn_low=41.0, warn_high=49.0, alarm_low=39.0, alarm_high=51.0),
           precision=1, exc_p=0.05, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.upw_resistivity", "超纯水电阻率", "Ultrapure water resistivity", ("MΩ·cm", "MΩ·cm"),
           base=18.12, coupling=0.0, noise=0.04, hi=18.2, range=(16.0, 18.5),
           thresholds=T(warn_low=17.8, alarm_low=17.5), precision=2, exc_p=0.05, exc_dir=-1,
           basis_zh="模拟值；理论上限18.2 MΩ·cm", basis_en="Simulated; theoretical maximum 18.2 MΩ·cm"),
        _m("ic.wip", "在制品", "Work in progress", ("片", "wafers"),
           base=66000.0, coupling=0.0, noise=800.0, tscale=20, integer=True, precision=0,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("ic.packaging_today", "今日先进封装", "Advanced packaging today", ("片", "wafers"),
           kind="today", base=IC_PACKAGING_PER_DAY, profile="fab", integer=True, precision=0,
           basis_zh="模拟值；12英寸晶圆级封装48万片/年", basis_en="Simulated; 480,000 12-inch wafers/yr"),
        _m("ic.output_mtd", "集成电路产值 本月累计", "IC output, month to date", YI,
           kind="month", base=IC_OUTPUT_PER_DAY, profile="fab", precision=2, cadence_s=5,
           basis_zh="模拟值；2025年平台产值1003.3亿元", basis_en="Simulated; platform output 100.3bn CNY in 2025"),
    ),
)

PHARMA = BrainSpec(
    "pharma",
    "医药",
    "Pharmaceuticals",
    (
        _m("pharma.output_mtd", "生物医药产值 本月累计", "Biopharma output, month to date", YI,
           kind="month", base=PHARMA_OUTPUT_PER_DAY, profile="plant", precision=2, cadence_s=5,
           basis_zh="模拟值；2021年平台产值356亿元", basis_en="Simulated; 35.6bn CNY in 2021"),
        _m("pharma.line_rate", "产线开动率", "Line run rate", PCT,
           base=80.0, profile="plant", noise=2.5, range=(0.0, 100.0), thresholds=T(warn_low=62.0, alarm_low=52.0),
           precision=1, headline=True, exc_p=0.075, exc_dir=-1, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.cleanroom_dp", "洁净区压差", "Cleanroom pressure difference", ("Pa", "Pa"),
           base=15.0, coupling=0.0, noise=0.8, range=(0.0, 30.0), thresholds=T(warn_low=11.5, alarm_low=10.0),
           precision=1, headline=True, exc_p=0.075, exc_dir=-1,
           basis_zh="模拟值；GMP要求不同级别洁净区压差≥10 Pa", basis_en="Simulated; GMP requires ≥10 Pa"),
        _m("pharma.cleanroom_temp", "洁净区温度", "Cleanroom temperature", DEGC,
           base=21.5, coupling=0.0, noise=0.3, diurnal=0.3, range=(15.0, 30.0),
           thresholds=T(warn_low=19.0, warn_high=24.5, alarm_low=18.0, alarm_high=26.0),
           precision=1, exc_p=0.04, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.cleanroom_rh", "洁净区湿度", "Cleanroom humidity", RH,
           base=52.0, coupling=0.0, noise=2.0, range=(30.0, 80.0),
           thresholds=T(warn_low=47.0, warn_high=62.0, alarm_low=45.0, alarm_high=65.0),
           precision=1, exc_p=0.04, basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.cold_chain_temp", "冷库温度", "Cold store temperature", DEGC,
           base=5.0, coupling=0.0, noise=0.5, lo=None, range=(0.0, 12.0),
           thresholds=T(warn_low=2.5, warn_high=7.2, alarm_low=2.0, alarm_high=8.0),
           precision=1, headline=True, exc_p=0.075, exc_dir=1,
           basis_zh="模拟值；药品冷藏2–8°C", basis_en="Simulated; cold chain 2–8 °C"),
        _m("pharma.batch_pass_rate", "批次合格率", "Batch pass rate", PCT,
           base=99.3, coupling=0.0, noise=0.25, tscale=10, hi=100.0, range=(90.0, 100.0),
           thresholds=T(warn_low=98.5, alarm_low=97.5), precision=2, exc_p=0.04, exc_dir=-1,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.batches_today", "今日放行批次", "Batches released today", ("批", "batches"),
           kind="today", base=180.0, profile="day", integer=True, precision=0,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
        _m("pharma.firms_running", "在产企业数", "Firms in production", ("家", "firms"),
           base=330.0, profile="plant", coupling=0.6, noise=3.0, tscale=10, hi=float(PHARMA_FIRMS), integer=True,
           precision=0, basis_zh="模拟值；2023年末生物医药企业365家", basis_en="Simulated; 365 biopharma firms at end-2023"),
        _m("pharma.api_today", "今日原料药产量", "API output today", ("吨", "t"),
           kind="today", base=95.0, profile="plant", precision=1,
           basis_zh="模拟值；参数", basis_en="Simulated; parameter"),
    ),
)

BRAINS: tuple[BrainSpec, ...] = (CITY, DYEING, TEXTILE, WINE, IC, PHARMA)


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
