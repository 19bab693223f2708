"""Every magnitude the simulator uses, with where it comes from.

Each entry is either a **figure** — a value read in a row of the team's reference table
(``shared/data/shaoxing_figures.md``: its section number and the text of its "Figure"
cell, plus the number as it is written there) — or a named **parameter**: a knob with the
reason it is one (the table has no such number, §10 "not found"). The simulator's modules
take their magnitudes from here by name, so one place says what is published and what is
assumed; ``tests/test_figures.py`` checks that every cited row exists in the table and holds
the cited number. The table itself is not shipped (the server never needs it at run time).

Levels from an older year are compounded to the shown year with a growth rate
(:func:`compound`), so a level and its 同比 agree.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIGURES", "PARAMETERS", "Figure", "Parameter", "compound", "fig", "par"]


@dataclass(frozen=True)
class Figure:
    """A published value: ``section`` and ``row`` name the table row (the row's "Figure"
    cell starts with ``row``); ``text`` is the number as written in that row."""

    name: str
    value: float
    section: int
    row: str
    text: str
    year: int | None = None


@dataclass(frozen=True)
class Parameter:
    """A simulator knob, not a published number; ``why`` says why it is one."""

    name: str
    value: float
    why: str


FIGURES: dict[str, Figure] = {}
PARAMETERS: dict[str, Parameter] = {}


def fig(name: str, value: float, section: int, row: str, text: str | None = None, year: int | None = None) -> float:
    """Register a published figure and return its value."""
    if name in FIGURES or name in PARAMETERS:
        raise ValueError(f"magnitude {name} registered twice")
    FIGURES[name] = Figure(name, float(value), section, row, text if text is not None else f"{value:g}", year)
    return float(value)


def par(name: str, value: float, why: str) -> float:
    """Register a named parameter and return its value."""
    if name in FIGURES or name in PARAMETERS:
        raise ValueError(f"magnitude {name} registered twice")
    if not why.strip():
        raise ValueError(f"parameter {name} needs a reason")
    PARAMETERS[name] = Parameter(name, float(value), why)
    return float(value)


def compound(level: float, growth_pct: float, years: float) -> float:
    """``level`` grown by ``growth_pct`` a year for ``years`` years."""
    return level * (1.0 + growth_pct / 100.0) ** years


# --- §1 city -----------------------------------------------------------------------------
CITY_IVA_2023 = fig("CITY_IVA_2023", 2155, 1, "规上工业增加值", "2155 (+10.8%", 2023)
CITY_IVA_GROWTH_2023 = fig("CITY_IVA_GROWTH_2023", 10.8, 1, "规上工业增加值", "+10.8%", 2023)
PLATFORMS_OUTPUT = fig("PLATFORMS_OUTPUT", 2000, 1, "Four provincial \"万亩千亿\" platforms", ">2000亿", 2023)
THREE_PLUS_TWO_SHARE = fig("THREE_PLUS_TWO_SHARE", 70, 1, "Traditional industries (textile, chemicals",
                           "nearly 70%", 2020)
STRATEGIC_EMERGING_SHARE = fig("STRATEGIC_EMERGING_SHARE", 39.2, 1, "Share of 规上工业增加值", "39.2%", 2021)
IVA_H1_2023 = fig("IVA_H1_2023", 1069, 1, "Value added of industry above designated size", "1069 (+9.7%)", 2023)
# --- §2 districts ------------------------------------------------------------------------
SHANGYU_POWER_2023 = fig("SHANGYU_POWER_2023", 63.19, 2, "上虞 GDP / 规上工业增加值", "63.19亿 kWh", 2023)
SHANGYU_GDP_2023 = fig("SHANGYU_GDP_2023", 1317.72, 2, "上虞 GDP / 规上工业增加值", "1317.72", 2023)
SHANGYU_IVA_2023 = fig("SHANGYU_IVA_2023", 515.66, 2, "上虞 GDP / 规上工业增加值", "515.66 (+10.1%)", 2023)
CITY_GDP_2023 = fig("CITY_GDP_2023", 7791, 1, "GDP", "7791", 2023)
FLUORO_CHEM_OUTPUT = fig("FLUORO_CHEM_OUTPUT", 250, 2, "上虞 leading industries", ">250亿/yr", 2024)
FLUORO_CHEM_FIRMS = fig("FLUORO_CHEM_FIRMS", 30, 2, "上虞 leading industries", "30+ 规上 firms", 2024)
FLUORO_CHEM_GROWTH = fig("FLUORO_CHEM_GROWTH", 12.5, 2, "上虞 leading industries", ">12.5% growth", 2024)
HANGZHOU_BAY_MFG = fig("HANGZHOU_BAY_MFG", 1700, 2, "杭州湾上虞经开区", "~1700亿 manufacturing", 2022)
SHANGYU_MFG_SHARE_OF_PARK = fig("SHANGYU_MFG_SHARE_OF_PARK", 70, 2, "杭州湾上虞经开区", "70% of 上虞's manufacturing",
                                2022)
KEQIAO_TEXTILE_OUTPUT = fig("KEQIAO_TEXTILE_OUTPUT", 1270, 2, "柯桥 textile firms / output", "1270亿 output", 2024)
KEQIAO_TEXTILE_FIRMS = fig("KEQIAO_TEXTILE_FIRMS", 8000, 2, "柯桥 textile firms / output", "~8000 firms", 2024)
KEQIAO_TEXTILE_EXPORT = fig("KEQIAO_TEXTILE_EXPORT", 1000, 2, "柯桥 textile firms / output", "textile exports >1000亿",
                            2024)
# --- §3 dyeing ---------------------------------------------------------------------------
DYEING_CAPACITY_YI_M = fig("DYEING_CAPACITY_YI_M", 185, 3, "绍兴县 dyeing capacity vs output", "capacity 185亿米", 2010)
DYEING_MILLS = fig("DYEING_MILLS", 109, 3, "same, other counts", "212 → 109", 2022)
DYEING_RUN_RATE_2022 = fig("DYEING_RUN_RATE_2022", 56.82, 3, "Average run rate (开机率)", "56.82%", 2022)
DYEING_TOP_MILL_M_PER_DAY = fig("DYEING_TOP_MILL_M_PER_DAY", 800_000, 3, "Typical mill throughput",
                                "~800,000+ m/day", 2024)
DYEING_OUTPUT_GROWTH = fig("DYEING_OUTPUT_GROWTH", 2.1, 3, "柯桥 industrial steam supply", "Jan–Oct +2.1%", 2020)
DYEING_STEAM_SEP = fig("DYEING_STEAM_SEP", 3.2957, 3, "柯桥 industrial steam supply", "3.2957M t", 2020)
DYEING_OUTPUT_VALUE_JANFEB = fig("DYEING_OUTPUT_VALUE_JANFEB", 62.4, 3, "柯桥 dyeing output value", "62.4 (+5.6%)", 2024)
DYEING_WATER_LIMIT = fig("DYEING_WATER_LIMIT", 1.6, 3, "Industry rules 2017", "≤1.6 t per 100 m", 2017)
DYEING_ENERGY_LIMIT = fig("DYEING_ENERGY_LIMIT", 30, 3, "Industry rules 2017", "≤30 kg coal-equivalent per 100 m", 2017)
DYEING_REUSE_MIN = fig("DYEING_REUSE_MIN", 40, 3, "Industry rules 2017", "water reuse ≥40%", 2017)
DYEING_PASS_MIN = fig("DYEING_PASS_MIN", 95, 3, "Industry rules 2017", "pass rate ≥95%", 2017)
DYEING_COD_LIMIT = fig("DYEING_COD_LIMIT", 200, 3, "Effluent standard GB 4287-2012", "COD 80/200", 2012)
# --- §4 textiles -------------------------------------------------------------------------
TEXTILE_TURNOVER_2023 = fig("TEXTILE_TURNOVER_2023", 3600, 4, "轻纺城 transaction volume", "360 billion", 2023)
TEXTILE_ONLINE_2022 = fig("TEXTILE_ONLINE_2022", 809.13, 4, "轻纺城 market-group turnover", "online 809.13", 2022)
TEXTILE_ONLINE_GROWTH_2022 = fig("TEXTILE_ONLINE_GROWTH_2022", 15.31, 4, "轻纺城 market-group turnover", "+15.31%", 2022)
TEXTILE_TURNOVER_GROWTH_H1_2025 = fig("TEXTILE_TURNOVER_GROWTH_H1_2025", 10.04, 4, "轻纺城 turnover, H1",
                                      "2169.85 (+10.04%)", 2025)
TEXTILE_FIBRE_2020 = fig("TEXTILE_FIBRE_2020", 251.73, 3, "柯桥 chemical-fibre output", "251.73 (+20.2%)", 2020)
TEXTILE_FABRIC_2011 = fig("TEXTILE_FABRIC_2011", 27.78, 4, "Filament-fabric output (绍兴县)", "27.78", 2011)
TEXTILE_TRADERS = fig("TEXTILE_TRADERS", 30000, 4, "轻纺城 traders / products", "30,000+ traders", 2021)
# --- §5 rice wine ------------------------------------------------------------------------
WINE_ABOVE_FIRMS = fig("WINE_ABOVE_FIRMS", 11, 5, "规上 黄酒 producers in 绍兴", "11", 2024)
WINE_SALES_2023 = fig("WINE_SALES_2023", 36, 5, "Sales of 绍兴 规上 黄酒 firms", ">36亿 sales", 2023)
WINE_SALES_GROWTH_2024 = fig("WINE_SALES_GROWTH_2024", 9.4, 5, "Sales of 绍兴 规上 黄酒 firms", "+9.4%", 2024)
WINE_SALES_GROWTH_2023 = fig("WINE_SALES_GROWTH_2023", 4.6, 5, "Sales of 绍兴 规上 黄酒 firms", "29.13 (+4.6%)", 2023)
GUYUE_REVENUE_2024 = fig("GUYUE_REVENUE_2024", 19.36, 5, "古越龙山 (600059) revenue / net profit", "19.36 (+8.55%)", 2024)
GUYUE_REVENUE_2023 = fig("GUYUE_REVENUE_2023", 17.84, 5, "古越龙山 (600059) revenue / net profit", "17.84 (+10.11%)",
                         2023)
KUAIJISHAN_Q1Q3_2025 = fig("KUAIJISHAN_Q1Q3_2025", 12.12, 5, "古越龙山 vs 会稽山", "会稽山 12.12 (+14.12%)", 2025)
GUYUE_Q1Q3_2025 = fig("GUYUE_Q1Q3_2025", 11.86, 5, "古越龙山 vs 会稽山", "古越 11.86 (−8.1%)", 2025)
WINE_EXPORT_T_2018 = fig("WINE_EXPORT_T_2018", 14859.3, 5, "绍兴 黄酒 exports", "14,859.3 t", 2018)
GUYUE_JARS = fig("GUYUE_JARS", 11_000_000, 5, "Aged-wine stock (古越龙山 central cellar)", "~11 million jars")
JAR_LITRES = fig("JAR_LITRES", 23, 5, "Storage jars", "22–24 L")
JAR_LOSS_PCT = fig("JAR_LOSS_PCT", 0.75, 5, "Storage jars", "0.5–1.0% per year")
GUYUE_HAND_BREW_T = fig("GUYUE_HAND_BREW_T", 20_000, 5, "Aged-wine stock (古越龙山 central cellar)",
                        "about 20,000 t/yr")
STORE_LO_C = fig("STORE_LO_C", 5, 5, "Storage temperature (consumer guidance)", "5–20 °C")
STORE_HI_C = fig("STORE_HI_C", 20, 5, "Storage temperature (consumer guidance)", "5–20 °C")
# --- §6 IC -------------------------------------------------------------------------------
IC_OUTPUT_2021 = fig("IC_OUTPUT_2021", 400, 6, "绍兴 IC industry output", "broke 400亿", 2021)
IC_OUTPUT_2025 = fig("IC_OUTPUT_2025", 1003.3, 6, "IC \"万亩千亿\" platform output", "1003.3 (+18%)", 2025)
IC_GROWTH_2025 = fig("IC_GROWTH_2025", 18, 6, "IC \"万亩千亿\" platform output", "+18%", 2025)
IC_PLAN_2022 = fig("IC_PLAN_2022", 200, 6, "Plan targets (IC town plan, 2018)", "200亿 by end-2022")
IC_PLAN_2025 = fig("IC_PLAN_2025", 500, 6, "Plan targets (IC town plan, 2018)", "500亿 by 2025")
IC_8IN_PER_MONTH = fig("IC_8IN_PER_MONTH", 50_000, 6, "中芯绍兴 / 芯联集成 (688469)", "50,000 per month", 2021)
IC_PKG_PER_YEAR = fig("IC_PKG_PER_YEAR", 480_000, 6, "长电绍兴", "480,000", 2023)
IC_CHAIN_FIRMS = fig("IC_CHAIN_FIRMS", 100, 6, "Chain anchors / firm count", "~100 (2025)", 2025)
IC_SIC_REVENUE = fig("IC_SIC_REVENUE", 10, 6, "芯联集成 position", "SiC revenue >10亿", 2024)
# --- §7 pharma ---------------------------------------------------------------------------
PHARMA_PLATFORM_2021 = fig("PHARMA_PLATFORM_2021", 356, 7, "High-end biopharma platform", "356亿", 2021)
PHARMA_FIRMS_2023 = fig("PHARMA_FIRMS_2023", 365, 7, "绍兴 biopharma firms", "365", 2023)
PHARMA_BINHAI_GROWTH = fig("PHARMA_BINHAI_GROWTH", 19.7, 7, "滨海新区 pharma", "+19.7%", 2020)
PHARMA_CONSISTENCY = fig("PHARMA_CONSISTENCY", 86, 7, "绍兴 biopharma firms", "86 generic-consistency approvals", 2023)
ZHENDE_SALES_2020 = fig("ZHENDE_SALES_2020", 100, 7, "City pharma profile", "振德医疗 sales >100亿", 2020)
# --- §9 brains ---------------------------------------------------------------------------
KEQIAO_BRAIN_FIRMS = fig("KEQIAO_BRAIN_FIRMS", 3000, 9, "柯桥 weaving & dyeing industry brain", ">3000 firms")

# --- parameters --------------------------------------------------------------------------
CITY_OUTPUT_PER_IVA = par("CITY_OUTPUT_PER_IVA", 4.0,
                          "city-wide 规上工业总产值 is not published (§10); 产值 ≈ this multiple of 增加值")
CITY_POWER_LOAD_WAN_KW = par("CITY_POWER_LOAD_WAN_KW", 430.0,
                             "city power load not published; 上虞's 63.19亿 kWh (§2) scaled by its GDP share")
CITY_FIRMS_ONLINE = par("CITY_FIRMS_ONLINE", 3150.0, "connected firms not published; 柯桥's brain alone >3000 (§9)")
DYEING_TRUCK_M = par("DYEING_TRUCK_M", 40_000.0,
                     "metres of finished cloth per truck: a 9.6 m van holds ~400 rolls of ~100 m; not published")
DYEING_FEE_YUAN_PER_M = par("DYEING_FEE_YUAN_PER_M", 2.6, "processing fee per metre; not published")
DYEING_STEAM_T_PER_WANMI = par("DYEING_STEAM_T_PER_WANMI", 43.0,
                               "steam per 万米: 柯桥 ≈3.3M t/month (§3) over the simulated output")
TEXTILE_LOOM_RATE = par("TEXTILE_LOOM_RATE", 72.0, "柯桥 weaving run rates not found (§10)")
TEXTILE_TRUCK_M = par("TEXTILE_TRUCK_M", 30_000.0, "metres of grey fabric per truck; not published")
WINE_TRUCK_KL = par("WINE_TRUCK_KL", 12.0, "kL of bottled/boxed wine per truck; not published")
WINE_PRICE_WAN_PER_KL = par("WINE_PRICE_WAN_PER_KL", 1.6,
                            "ex-works value per kL (16元/L) to turn sales into volume; not published")
WINE_KUAIJI_SHARE = par("WINE_KUAIJI_SHARE", 0.34,
                        "会稽山-like share of 规上 sales: 2025 Q1–Q3 revenue on par with 古越 (§5); Shaoxing share not published")
WINE_TAPAI_SHARE = par("WINE_TAPAI_SHARE", 0.10, "塔牌-like share of 规上 sales: 塔牌's revenue is not in the table")
WINE_SMALL_FIRMS = par("WINE_SMALL_FIRMS", 89, "small producers below the 规上 line: count not published (§10)")
WINE_SMALL_SALES_YI = par("WINE_SMALL_SALES_YI", 3.0, "sales of all small producers together, 亿元/yr; not published")
WINE_SALES_GROWTH = par("WINE_SALES_GROWTH", 6.0,
                        "growth used to compound 2023 sales to the shown year: between +4.6% (2023) and +9.4% (2024), §5")
IC_TOP_REVENUE_YI = par("IC_TOP_REVENUE_YI", 65.0,
                        "largest IC firm's revenue: 芯联 SiC alone >10亿 (§6); its total revenue is not in the table")
IC_GROWTH = par("IC_GROWTH", 18.0, "2026 growth assumed equal to the published 2025 +18% (§6)")
IC_OUTPUT_2020 = par("IC_OUTPUT_2020", 300.0,
                     "the seed's own '2020年突破300亿' — not confirmed in any source read (§10); shown as a parameter")
IC_UTILIZATION = par("IC_UTILIZATION", 88.0, "fab utilisation not published")
PHARMA_GROWTH = par("PHARMA_GROWTH", 12.0, "pharma output growth not published for the city (§10)")
TEXTILE_GROWTH = par("TEXTILE_GROWTH", 10.0, "market turnover growth, sized on 2025 H1 +10.04% (§4)")
CHEM_OUTPUT_YI = par("CHEM_OUTPUT_YI", 1500.0,
                     "city 化工 output not published; 上虞 alone: ~1700亿 manufacturing in the 杭州湾 park (§2) "
                     "with fine and fluoro chemicals its leading industry")
CHEM_GROWTH = par("CHEM_GROWTH", 8.0, "city chemicals growth not published; 上虞 fluorochemicals >12.5% (§2)")
CHEM_FIRMS = par("CHEM_FIRMS", 180, "city 规上 chemical firms not published; 上虞 fluoro/fine: 30+ (§2)")
POWER_EXC_MINUTES = par("POWER_EXC_MINUTES", 90.0,
                        "a grid load moves over an hour or more, not minutes: excursions ramp over this many minutes")
