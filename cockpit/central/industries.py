"""Shaoxing's industrial framework as the overview shows it: "3+2+4", the ten "双十双百"
clusters, and the "三缸 → 三片" shares — all from one set of industry levels, so the
screens agree with each other.

Every industry has an annual output (亿元) of a stated year and a growth rate; its level in
any year is that output compounded by the growth (:func:`level`). The city's 规上工业总产值
is the simulated 规上工业增加值 (2155亿 in 2023, +10.8 %, figures §1) times
:data:`~cockpit.central.figures.CITY_OUTPUT_PER_IVA` (a parameter: gross output is not
published, §10); a share is an industry's level over that total in the same year.

Where the figures table has the number it is cited; the rest are named parameters (the
table lists which are not found: city-wide 规上 output, pharma output, the names of the
"双十双百" clusters…). A row built from a parameter says so on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.central import figures as F
from cockpit.central.figures import par

__all__ = ["CLUSTERS", "FRAMEWORK", "Cluster", "Industry", "above_output", "level"]


@dataclass(frozen=True)
class Industry:
    """An industry: ``output`` 亿元 a year in ``year``, growing ``growth`` % a year.
    ``published``: the output is a figure of the table (else a parameter). ``brain``: the
    industry brain that opens from it, if any. ``metric``: the brain metric whose value is
    the 同比 shown (computed from the simulated levels), if any."""

    id: str
    zh: str
    en: str
    output: float
    year: int
    growth: float
    published: bool
    brain: str | None = None
    metric: str | None = None
    firms: float | None = None


def level(ind: Industry | Cluster, year: float) -> float:
    """Output of ``ind`` in ``year`` (亿元 a year)."""
    return F.compound(ind.output, ind.growth, year - ind.year)


def above_output(year: float) -> float:
    """The city's 规上工业总产值 in ``year``, 亿元 (parameter × simulated value added)."""
    return F.compound(F.CITY_IVA_2023 * F.CITY_OUTPUT_PER_IVA, F.CITY_IVA_GROWTH_2023, year - 2023)


# Sizes. Textile: 柯桥's 1270亿 (figures §2) includes its dyeing; dyeing: 62.4亿 in Jan–Feb 2024
# (§3) × 6. Chemicals, metals, pearls, equipment, new materials: parameters.
_DYEING_2024 = F.DYEING_OUTPUT_VALUE_JANFEB * 6
#: city-wide textiles: 柯桥's 1270亿 (published) plus 诸暨 socks and the rest (嵊州 ties, 越城…): parameters
_SOCKS = par("CL_SOCKS_OUTPUT", 600.0, "大唐 socks output not published (25 billion pairs, §2)")
_TEXTILE_OTHER = par("TEXTILE_OTHER_OUTPUT", 300.0, "textiles outside 柯桥 and 大唐 (嵊州 ties, 越城…) not published")
TEXTILE = Industry("textile", "纺织", "Textiles", F.KEQIAO_TEXTILE_OUTPUT + _SOCKS + _TEXTILE_OTHER, 2024,
                   F.TEXTILE_GROWTH, False,
                   brain="textile", metric="textile.turnover_yoy", firms=F.KEQIAO_TEXTILE_FIRMS)
CHEMICALS = Industry("chemicals", "化工", "Chemicals", F.CHEM_OUTPUT_YI, 2024, F.CHEM_GROWTH, False,
                     firms=F.CHEM_FIRMS)
METALS = Industry("metals", "金属加工", "Metal processing",
                  par("METALS_OUTPUT_YI", 1400.0, "city metal-processing output (诸暨 copper, §2) not published"), 2024,
                  par("METALS_GROWTH", 5.0, "metal-processing growth not published"), False,
                  firms=par("METALS_FIRMS", 420, "规上 metal-processing firms not published"))
WINE = Industry("wine", "黄酒", "Rice wine", F.WINE_SALES_2023, 2023, F.WINE_SALES_GROWTH, True, brain="wine",
                metric="wine.sales_yoy", firms=F.WINE_ABOVE_FIRMS)
PEARLS = Industry("pearls", "珍珠", "Pearls",
                  par("PEARLS_OUTPUT_YI", 150.0, "诸暨 pearl output not published (share of world output only, §2)"),
                  2024, par("PEARLS_GROWTH", 4.0, "pearl output growth not published"), False,
                  firms=par("PEARLS_FIRMS", 60, "规上 pearl firms not published"))
EQUIPMENT = Industry("equipment", "高端装备", "High-end equipment",
                     par("EQUIPMENT_OUTPUT_YI", 900.0, "city equipment output not published (新昌 bearings, 卧龙 "
                         "motors, 嵊州 kitchenware, §2)"), 2024,
                     par("EQUIPMENT_GROWTH", 9.0, "equipment growth not published; special equipment +30 % in 2023 H1 (§1)"),
                     False, firms=par("EQUIPMENT_FIRMS", 900, "规上 equipment firms not published"))
ELECTRONICS = Industry("electronics", "电子信息", "Electronic information", F.IC_OUTPUT_2025, 2025, F.IC_GROWTH, True,
                       brain="ic", metric="ic.output_yoy", firms=F.IC_CHAIN_FIRMS)
PHARMA = Industry("pharma", "现代医药", "Modern pharmaceuticals", F.PHARMA_PLATFORM_2021, 2021, F.PHARMA_GROWTH, True,
                  brain="pharma", metric="pharma.output_yoy", firms=F.PHARMA_FIRMS_2023)
MATERIALS = Industry("materials", "新材料", "New materials",
                     par("MATERIALS_OUTPUT_YI", 600.0, "new-materials output not published (advanced-polymer platform, §1)"),
                     2024, par("MATERIALS_GROWTH", 10.0, "new-materials growth not published"), False,
                     firms=par("MATERIALS_FIRMS", 300, "规上 new-materials firms not published"))
DYEING = Industry("dyeing", "印染", "Printing & dyeing", _DYEING_2024, 2024, F.DYEING_OUTPUT_GROWTH, True,
                  brain="dyeing", metric="dyeing.output_yoy", firms=F.DYEING_MILLS)
SOY = Industry("soy", "酱油酿造", "Soy sauce brewing",
               par("SOY_OUTPUT_YI", 8.0, "Shaoxing soy-sauce (酱缸) output not published"), 2024,
               par("SOY_GROWTH", 2.0, "soy-sauce growth not published"), False)

#: "3+2+4" (figures §1, 新华每日电讯 2020-12-20): (group id, zh, en, industries)
FRAMEWORK: tuple[tuple[str, str, str, tuple[Industry, ...]], ...] = (
    ("3", "3 · 传统优势产业", "3 · Traditional", (TEXTILE, CHEMICALS, METALS)),
    ("2", "2 · 历史经典产业", "2 · Classic", (WINE, PEARLS)),
    ("4", "4 · 新兴产业", "4 · Emerging", (EQUIPMENT, ELECTRONICS, PHARMA, MATERIALS)),
)

#: 三缸 (酒缸、酱缸、染缸) and 三片 (芯片、药片、布片). 布片 is textiles without dyeing (柯桥's
#: 1270亿 includes its dyeing; counting it twice would inflate both).
THREE_VATS = (WINE, SOY, DYEING)
THREE_PIECES = (ELECTRONICS, PHARMA)


def textile_without_dyeing(year: float) -> float:
    return max(level(TEXTILE, year) - level(DYEING, year), 0.0)


@dataclass(frozen=True)
class Cluster:
    """One of the ten "双十双百" clusters (2020, figures §8: 5 重点 + 5 优势; names not
    published). ``named``: the name is one the 市经信局 lists as a key cluster (§8, 2022);
    otherwise the name is a parameter and the screen says so."""

    id: str
    zh: str
    en: str
    kind: str  # "key" (重点) or "advantage" (优势)
    named: bool
    output: float
    year: int
    growth: float
    chain_zh: str
    chain_en: str
    key_firms: int  # of the "hundred" key enterprises
    firms: float
    brain: str | None = None
    metric: str | None = None


def _c(cid: str, zh: str, en: str, kind: str, named: bool, ind: Industry | None, chain: tuple[str, str],
       key_firms: int, output: float | None = None, growth: float | None = None, firms: float | None = None,
       year: int = 2024) -> Cluster:
    return Cluster(cid, zh, en, kind, named, ind.output if ind else float(output or 0.0), ind.year if ind else year,
                   ind.growth if ind else float(growth or 0.0), chain[0], chain[1], key_firms,
                   float(ind.firms if ind and ind.firms is not None else firms or 0.0),
                   ind.brain if ind else None, ind.metric if ind else None)


#: The five key clusters named by the 市经信局 (figures §8: modern textiles, green chemicals,
#: IC, modern pharma, new materials), five advantage clusters as parameters (district
#: industries of figures §2), and how many of the "hundred" key enterprises each has.
CLUSTERS: tuple[Cluster, ...] = (
    _c("modern_textiles", "现代纺织", "Modern textiles", "key", True, TEXTILE,
       ("化纤—织造—印染—服装家纺", "fibre – weaving – dyeing – apparel"), 18),
    _c("green_chemicals", "绿色化工", "Green chemicals", "key", True, CHEMICALS,
       ("基础化工—氟化工—精细化工—染料", "basic – fluoro – fine chemicals – dyes"), 14),
    _c("ic", "集成电路", "Integrated circuits", "key", True, ELECTRONICS,
       ("设计—制造—封测—装备材料", "design – fab – packaging – equipment"), 12),
    _c("modern_pharma", "现代医药", "Modern pharma", "key", True, PHARMA,
       ("原料药—制剂—生物药—医疗器械", "APIs – formulations – biologics – devices"), 12),
    _c("new_materials", "新材料", "New materials", "key", True, MATERIALS,
       ("高分子—金属新材料—电子化学品", "polymers – metal materials – electronic chemicals"), 10),
    _c("motors", "电机", "Motors", "advantage", False, None, ("硅钢—电机—驱动控制", "steel – motors – drives"), 8,
       par("CL_MOTORS_OUTPUT", 420.0, "cluster output not published (卧龙 motor brain, §9)"),
       par("CL_MOTORS_GROWTH", 7.0, "cluster growth not published"), par("CL_MOTORS_FIRMS", 260, "cluster firm count not published (§10)")),
    _c("bearings", "轴承与汽车零部件", "Bearings & auto parts", "advantage", False, None,
       ("钢材—轴承套圈—成品轴承—汽配", "steel – rings – bearings – auto parts"), 7,
       par("CL_BEARINGS_OUTPUT", 380.0, "cluster output not published (新昌 轴承之乡, §2)"),
       par("CL_BEARINGS_GROWTH", 6.0, "cluster growth not published"), par("CL_BEARINGS_FIRMS", 240, "cluster firm count not published (§10)")),
    _c("kitchenware", "厨具", "Kitchenware", "advantage", False, None,
       ("零部件—集成灶—厨电", "parts – integrated stoves – appliances"), 6, 150.0 * 1.0,
       par("CL_KITCHEN_GROWTH", 6.0, "cluster growth not published"), 500.0, 2021),
    _c("socks", "袜业", "Socks", "advantage", False, None, ("纱线—织袜—定型包装", "yarn – knitting – finishing"), 7,
       _SOCKS,
       par("CL_SOCKS_GROWTH", 4.0, "cluster growth not published"), 201.0, 2023),
    _c("copper", "铜加工", "Copper processing", "advantage", False, None,
       ("电解铜—铜材—铜管件", "cathode – copper products – fittings"), 6,
       par("CL_COPPER_OUTPUT", 700.0, "诸暨 copper output not published (§2)"),
       par("CL_COPPER_GROWTH", 5.0, "cluster growth not published"), par("CL_COPPER_FIRMS", 150, "cluster firm count not published (§10)")),
)
#: kitchenware: >150亿 and ~500 firms (嵊州, 2021, figures §2); socks: 201 规上 firms in 大唐 (2023, §2)
F.fig("KITCHEN_OUTPUT", 150, 2, "嵊州 leading industries", ">150亿", 2021)
F.fig("KITCHEN_FIRMS", 500, 2, "嵊州 leading industries", "~500 firms", 2021)
F.fig("SOCKS_FIRMS", 201, 2, "诸暨 leading industries", "201 规上 firms", 2023)
if sum(c.key_firms for c in CLUSTERS) != 100:  # pragma: no cover - a data error
    raise ValueError("the ten clusters must hold the hundred key enterprises")
