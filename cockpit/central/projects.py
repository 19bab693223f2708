"""建链补链强链 on the chains: investment projects per link, targets to attract for each gap,
and the local supply share (本地配套率) of each link.

Published where the figures table has it (figures §6): the 中芯绍兴 project (nearly 60亿,
in production with 50,000 8-inch wafers a month since 2021) and phase 1 of the 滨海新区
12-inch line (180亿 of the 560亿 base, expected >90亿 a year at full capacity). Everything
else is simulated — which projects sit on a link, their stage, size and expected output,
and each link's 本地配套率 — from the named parameters below (the table has no project list
and no supply-share figure, §10), and every simulated project carries ``simulated=True``
so the screen can say so.

A pure function of the chain: the same chain gives the same projects (no random draw).
Gaps (weak and missing links) get the projects still being courted or just signed; strong
links the ones being built or producing — the pattern an investment office reports.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Mapping

from cockpit.api.schema import Chain, ChainProject, Names, ProjectStage
from cockpit.central import figures as F
from cockpit.central.chains import CHAINS, LinkPlan

__all__ = ["GAP_TARGETS", "enrich", "local_supply_pct", "projects_of", "targets_of"]

# --- published projects (figures §6) -------------------------------------------------------
SMEC_INVEST = F.fig("SMEC_INVEST", 60, 6, "中芯绍兴 / 芯联集成 (688469)", "nearly 60亿", 2019)
BINHAI_PHASE1_INVEST = F.fig("BINHAI_PHASE1_INVEST", 180, 6, "滨海新区 electronic-information base", "phase 1 180亿",
                             2023)
BINHAI_FULL_OUTPUT = F.fig("BINHAI_FULL_OUTPUT", 90, 6, "滨海新区 electronic-information base",
                           ">90亿/yr output at full capacity", 2023)

# --- parameters ------------------------------------------------------------------------------
PROJECT_INVEST_YI = F.par("PROJECT_INVEST_YI", 8.0,
                          "median investment of a simulated chain project, 亿元; no project list is published (§10)")
PROJECT_OUTPUT_PER_INVEST = F.par(
    "PROJECT_OUTPUT_PER_INVEST", 1.3,
    "expected annual output per 亿元 invested for a simulated project; the published 12-inch line gives "
    "90/180 = 0.5 for a fab, lighter links turn capital over faster; not published per link")
LOCAL_SUPPLY_STRONG = F.par("LOCAL_SUPPLY_STRONG", 55.0,
                            "本地配套率 (%) of a link with enough local firms; no supply-share figure is published (§10)")
LOCAL_SUPPLY_PER_FIRM = F.par("LOCAL_SUPPLY_PER_FIRM", 9.0,
                              "本地配套率 points a weak link gains per local firm (a thin link supplies little locally); "
                              "not published")
LOCAL_SUPPLY_ANCHOR = F.par("LOCAL_SUPPLY_ANCHOR", 80.0,
                            "本地配套率 (%) of a link with a local anchor producer (e.g. the 8-inch fab); not published")

STAGE_NAMES: dict[ProjectStage, tuple[str, str]] = {
    "attracting": ("招引", "courting"),
    "signed": ("签约", "signed"),
    "building": ("在建", "building"),
    "producing": ("投产", "producing"),
}

#: What an investment office would court for each link that can be a gap: kinds of firm, not
#: invented company names (the table names none, §10).
GAP_TARGETS: dict[str, tuple[tuple[str, str], ...]] = {
    "ic_eda": (("EDA工具企业区域研发中心", "a regional R&D centre of an EDA tool vendor"),
               ("IP核授权与设计服务企业", "IP-core licensing and design-service firms")),
    "ic_design_cis": (("图像传感器设计企业（配套豪威）", "image-sensor design firms (around OmniVision)"),),
    "ic_fab_12in": (("12英寸特色工艺产线二期", "phase 2 of the 12-inch specialty line"),),
    "ic_fab_mems": (("MEMS传感器设计与封测企业", "MEMS sensor design and packaging firms"),),
    "ic_pkg_advanced": (("晶圆级封装与Chiplet企业", "wafer-level packaging and chiplet firms"),),
    "ic_eq_front": (("刻蚀、薄膜沉积设备企业", "etch and deposition tool makers"),
                    ("量测检测设备企业", "metrology and inspection tool makers")),
    "ic_mat_wafer": (("12英寸硅片企业", "12-inch silicon-wafer makers"),),
    "ic_mat_resist": (("KrF/ArF光刻胶企业", "KrF/ArF photoresist makers"),
                      ("光刻胶树脂与光引发剂企业", "photoresist resin and photo-initiator makers")),
    "ic_mat_target": (("高纯金属溅射靶材企业", "high-purity sputtering-target makers"),),
    "ph_cgt": (("细胞与基因治疗CDMO", "cell & gene therapy CDMOs"),),
    "ph_dev_implant": (("心血管与骨科植介入器械企业", "cardiovascular and orthopaedic implant makers"),),
    "ph_dev_imaging": (("CT、MRI整机企业", "CT and MRI system makers"),
                       ("医学影像核心部件企业", "imaging core-component makers")),
    "ph_coldchain": (("医药冷链物流企业", "pharma cold-chain logistics firms"),),
    "ph_bio": (("抗体与疫苗生产企业", "antibody and vaccine producers"),),
}

_SUFFIXES = (("产业化项目", "industrialisation project"), ("扩产项目", "capacity expansion"),
             ("研发及生产基地", "R&D and production base"), ("二期项目", "phase 2"))
_DISTRICT_ZH = {"yuecheng": "越城", "keqiao": "柯桥", "shangyu": "上虞", "zhuji": "诸暨", "shengzhou": "嵊州",
                "xinchang": "新昌"}
_DISTRICT_EN = {"yuecheng": "Yuecheng", "keqiao": "Keqiao", "shangyu": "Shangyu", "zhuji": "Zhuji",
                "shengzhou": "Shengzhou", "xinchang": "Xinchang"}
_DAY_MS = 86_400_000


def _h(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


def local_supply_pct(plan: LinkPlan, firms: int, strength: str) -> float:
    """A link's 本地配套率 (%): none without local firms, more with each firm on a thin link,
    the strong level on a strong link, higher with a local anchor producer."""
    if firms == 0:
        return 0.0
    if plan.anchor_size > 0:
        return LOCAL_SUPPLY_ANCHOR
    if strength == "strong":
        return round(min(LOCAL_SUPPLY_STRONG + 2 * (firms - 4), 75.0), 1)
    return round(min(LOCAL_SUPPLY_PER_FIRM * firms + 5 * plan.size, LOCAL_SUPPLY_STRONG - 5), 1)


def targets_of(link_id: str, plan: LinkPlan) -> list[Names]:
    """What to attract for a gap on ``link_id``."""
    known = GAP_TARGETS.get(link_id)
    if known:
        return [Names(zh=zh, en=en) for zh, en in known]
    return [Names(zh=f"{plan.zh}骨干企业及其配套项目", en=f"leading {plan.en.lower()} firms and their suppliers")]


def _published(brain: str, day0: int) -> list[ChainProject]:
    if brain != "ic":
        return []
    return [
        ChainProject(id="ic_smec_8in", name=Names(zh="中芯绍兴MEMS和功率器件芯片制造项目",
                                                   en="SMEC Shaoxing MEMS & power-device fab"),
                     link="ic_fab_8in", stage="producing", investment=SMEC_INVEST, expected_output=None,
                     district="yuecheng", since=int(_dt.datetime(2021, 2, 1, tzinfo=_dt.UTC).timestamp() * 1000)),
        ChainProject(id="ic_binhai_12in_p1", name=Names(zh="滨海新区12英寸晶圆项目（一期）",
                                                         en="Binhai 12-inch wafer project, phase 1"),
                     link="ic_fab_12in", stage="building", investment=BINHAI_PHASE1_INVEST,
                     expected_output=BINHAI_FULL_OUTPUT, district="yuecheng",
                     since=int(_dt.datetime(2023, 7, 1, tzinfo=_dt.UTC).timestamp() * 1000)),
    ]


def projects_of(brain: str, strengths: Mapping[str, str], now_ms: int) -> list[ChainProject]:
    """The chain's projects: the published ones plus simulated ones per link (gaps: being
    courted or signed; strong links: building or producing)."""
    day0 = now_ms - now_ms % _DAY_MS
    out = _published(brain, day0)
    taken = {p.link for p in out}
    for st in CHAINS.get(brain, ()):
        for plan in st.links:
            s = strengths.get(plan.id, "missing")
            if plan.id in taken:
                continue
            h = _h(brain, plan.id)
            if s == "strong":
                n = 1 + h % 2
                stages: tuple[ProjectStage, ...] = ("producing", "building")
            else:
                n = 2 if s == "missing" else 1 + h % 2
                stages = ("attracting", "signed")
            district = plan.districts[0][0]
            for i in range(n):
                hi = _h(brain, plan.id, i)
                stage = stages[i % 2] if s != "strong" else stages[(h + i) % 2]
                invest = round(PROJECT_INVEST_YI * max(0.3, plan.size) * (0.4 + (hi % 1000) / 700), 1)
                # a link without a plant has nothing to expand: new-build names for courted and signed projects
                pool = _SUFFIXES if stage in ("building", "producing") and s == "strong" else _SUFFIXES[:1] + _SUFFIXES[2:3]
                zh_s, en_s = pool[(h + i) % len(pool)]
                out.append(ChainProject(
                    id=f"{plan.id}_p{i + 1}",
                    name=Names(zh=f"{_DISTRICT_ZH[district]}{plan.zh}{zh_s}",
                               en=f"{_DISTRICT_EN[district]} {plan.en.lower()} {en_s}"),
                    link=plan.id, stage=stage, investment=invest,
                    expected_output=round(invest * PROJECT_OUTPUT_PER_INVEST, 1),
                    district=district, since=day0 - (30 + hi % 600) * _DAY_MS, simulated=True))
    return out


def enrich(chain: Chain) -> Chain:
    """``chain`` with each link's 本地配套率, the chain's as a whole (the mean over its links),
    the targets to attract for each gap and the projects on its links."""
    plans = {ln.id: ln for st in CHAINS.get(chain.brain, ()) for ln in st.links}
    stages = []
    pcts: list[float] = []
    for st in chain.stages:
        links = []
        for ln in st.links:
            plan = plans.get(ln.id)
            pct = local_supply_pct(plan, ln.enterprises, ln.strength) if plan is not None else None
            if pct is not None:
                pcts.append(pct)
            links.append(ln.model_copy(update={"local_supply_pct": pct}))
        stages.append(st.model_copy(update={"links": links}))
    gaps = [g.model_copy(update={"targets": targets_of(g.link, plans[g.link])}) if g.link in plans else g
            for g in chain.gaps]
    strengths = {ln.id: ln.strength for st in chain.stages for ln in st.links}
    return chain.model_copy(update={
        "stages": stages, "gaps": gaps, "projects": projects_of(chain.brain, strengths, chain.ts),
        "local_supply_pct": round(sum(pcts) / len(pcts), 1) if pcts else None,
    })
