"""The industry chains of the IC and pharma brains (建链补链强链): stages, links, plans.

Pure data plus :func:`build_chain`. Each link says how many simulated enterprises sit on
it, where they are registered and what they are called; the enterprise registry
(:mod:`cockpit.central.enterprises`) makes them, and :func:`build_chain` counts them
back, so a link's ``enterprises`` is always the number of enterprises the search finds
on it. The counts are simulator parameters (only the chain's ~100 firms in all and the
anchor firms are published, figures §6/§7). A link with no enterprise is ``missing``,
a thin one ``weak``: they are the 补链 (chain-filling) targets listed as gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cockpit.api.schema import Chain, ChainGap, ChainLink, ChainStage, Names, Strength

if TYPE_CHECKING:
    from cockpit.central.enterprises import Registry

Pair = tuple[str, str]


@dataclass(frozen=True)
class LinkPlan:
    """One link: names, simulated enterprise count, districts (id, share), name suffixes."""

    id: str
    zh: str
    en: str
    count: int
    districts: tuple[tuple[str, float], ...]
    suffixes: tuple[Pair, ...]
    size: float = 1.0  # weight multiplier of the link's enterprises
    anchor_size: float = 0.0  # > 0: the link's first enterprise is an anchor this many times larger
    anchors: tuple[Pair, ...] = ()  # published anchor firms (names only)
    note: Pair | None = None
    kind: str = ""  # pharma: the enterprise type (by_type panel)


@dataclass(frozen=True)
class StagePlan:
    id: str
    zh: str
    en: str
    links: tuple[LinkPlan, ...] = field(default_factory=tuple)


YC, KQ, SY, ZJ, SZ, XC = "yuecheng", "keqiao", "shangyu", "zhuji", "shengzhou", "xinchang"

IC_STAGES: tuple[StagePlan, ...] = (
    StagePlan("design", "设计", "Design", (
        LinkPlan("ic_design_digital", "数字芯片设计", "Digital IC design", 9, ((YC, 1.0),),
                 (("微电子", "Microelectronics"), ("芯片科技", "Chip Technology"))),
        LinkPlan("ic_design_cis", "图像传感器设计", "Image-sensor design", 3, ((YC, 1.0),),
                 (("光电科技", "Optoelectronic Technology"),), anchors=(("豪威", "OmniVision"),)),
        LinkPlan("ic_design_analog", "模拟与射频芯片设计", "Analog & RF design", 6, ((YC, 1.0),),
                 (("半导体", "Semiconductor"), ("集成电路设计", "IC Design"))),
        LinkPlan("ic_eda", "EDA工具与IP核", "EDA tools & IP cores", 0, ((YC, 1.0),), (("软件", "Software"),),
                 note=("本地暂无企业，设计环节依赖外地EDA与IP供应", "No local firm: designers rely on EDA and IP from elsewhere")),
    )),
    StagePlan("fab", "制造", "Wafer fabrication", (
        LinkPlan("ic_fab_8in", "8英寸晶圆制造", "8-inch wafer fabrication", 1, ((YC, 1.0),),
                 (("集成电路", "Integrated Circuit"),), size=3.0, anchor_size=40.0,
                 anchors=(("中芯绍兴（芯联集成）", "SMEC Shaoxing (United Nova Technology)"),),
                 note=("8英寸月产能5万片（2021年，公开报道）", "50,000 8-inch wafers per month (2021, published)")),
        LinkPlan("ic_fab_12in", "12英寸晶圆制造", "12-inch wafer fabrication", 1, ((YC, 1.0),),
                 (("半导体", "Semiconductor"),), size=0.4,
                 note=("滨海新区12英寸项目一期规划9万片/月（2023年公开报道），产能爬坡中",
                       "Binhai 12-inch project, phase 1 planned at 90,000 wafers/month (2023, published); ramping up")),
        LinkPlan("ic_fab_mems", "MEMS与特色工艺", "MEMS & specialty processes", 2, ((YC, 1.0),),
                 (("微系统", "Microsystems"),), size=2.0,
                 note=("芯联集成为国内最大MEMS代工厂（公开报道）", "United Nova is China's largest MEMS foundry (published)")),
        LinkPlan("ic_fab_power", "功率器件与SiC", "Power devices & SiC", 4, ((YC, 0.75), (SY, 0.25)),
                 (("功率半导体", "Power Semiconductor"),), size=2.0,
                 note=("芯联集成SiC收入超10亿元（2024年公开报道）", "United Nova SiC revenue above 1bn CNY (2024, published)")),
    )),
    StagePlan("packaging", "封装测试", "Packaging & test", (
        LinkPlan("ic_pkg_advanced", "先进封装（晶圆级）", "Advanced (wafer-level) packaging", 3, ((YC, 1.0),),
                 (("封装科技", "Packaging Technology"),), size=1.5, anchor_size=20.0,
                 anchors=(("长电绍兴", "JCET Shaoxing"),),
                 note=("12英寸晶圆级先进封装48万片/年（公开报道）", "480,000 12-inch wafer-level packages per year (published)")),
        LinkPlan("ic_pkg_traditional", "传统封装", "Conventional packaging", 5, ((YC, 0.6), (SY, 0.2), (KQ, 0.2)),
                 (("电子封装", "Electronic Packaging"),)),
        LinkPlan("ic_test", "芯片测试", "Chip testing", 4, ((YC, 1.0),), (("测试技术", "Test Technology"),)),
    )),
    StagePlan("equipment", "设备", "Equipment", (
        LinkPlan("ic_eq_front", "前道工艺设备", "Front-end process tools", 1, ((SY, 1.0),),
                 (("半导体装备", "Semiconductor Equipment"),), size=0.3,
                 note=("光刻、刻蚀、薄膜设备基本依赖外地供应", "Lithography, etch and deposition tools come mostly from elsewhere")),
        LinkPlan("ic_eq_back", "封测设备", "Back-end tools", 4, ((SY, 0.75), (YC, 0.25)),
                 (("智能装备", "Intelligent Equipment"),)),
        LinkPlan("ic_eq_parts", "设备零部件", "Tool components", 7, ((SY, 0.6), (XC, 0.2), (YC, 0.2)),
                 (("精密机械", "Precision Machinery"),)),
    )),
    StagePlan("materials", "材料", "Materials", (
        LinkPlan("ic_mat_wafer", "硅片", "Silicon wafers", 2, ((SY, 1.0),), (("硅材料", "Silicon Materials"),), size=0.3),
        LinkPlan("ic_mat_gas", "电子特气", "Electronic specialty gases", 4, ((SY, 1.0),),
                 (("特种气体", "Specialty Gases"),)),
        LinkPlan("ic_mat_resist", "光刻胶", "Photoresist", 0, ((SY, 1.0),), (("电子材料", "Electronic Materials"),),
                 note=("本地暂无企业，依赖外地与进口", "No local firm: supplied from elsewhere and imported")),
        LinkPlan("ic_mat_wetchem", "湿电子化学品", "Wet electronic chemicals", 5, ((SY, 1.0),),
                 (("电子化学品", "Electronic Chemicals"),),
                 note=("依托上虞精细化工基础", "Built on Shangyu's fine-chemicals base")),
        LinkPlan("ic_mat_target", "溅射靶材", "Sputtering targets", 1, ((SY, 1.0),), (("新材料", "New Materials"),),
                 size=0.3),
        LinkPlan("ic_mat_pkg", "封装材料", "Packaging materials", 4, ((SY, 0.5), (KQ, 0.5)),
                 (("电子材料", "Electronic Materials"),)),
    )),
    StagePlan("application", "应用", "Applications", (
        LinkPlan("ic_app_auto", "汽车电子", "Automotive electronics", 8, ((YC, 0.4), (XC, 0.3), (SY, 0.3)),
                 (("汽车电子", "Automotive Electronics"),)),
        LinkPlan("ic_app_industrial", "工业控制", "Industrial control", 7, ((SY, 0.4), (ZJ, 0.3), (YC, 0.3)),
                 (("自动化", "Automation"), ("电气", "Electric"))),
        LinkPlan("ic_app_consumer", "消费电子", "Consumer electronics", 8, ((YC, 0.4), (KQ, 0.3), (SZ, 0.3)),
                 (("电子", "Electronics"), ("智能科技", "Smart Technology"))),
        LinkPlan("ic_app_energy", "新能源与光伏", "New energy & PV", 6, ((SY, 0.5), (ZJ, 0.5)),
                 (("新能源", "New Energy"),)),
        LinkPlan("ic_app_comm", "通信设备", "Communications equipment", 5, ((YC, 0.6), (ZJ, 0.4)),
                 (("通信技术", "Communication Technology"),)),
    )),
)

PHARMA_STAGES: tuple[StagePlan, ...] = (
    StagePlan("rd", "研发", "R&D", (
        LinkPlan("ph_cro", "CRO/CDMO研发外包", "CRO & CDMO", 7, ((YC, 1.0),),
                 (("医药科技", "Pharmaceutical Technology"),), kind="rd"),
        LinkPlan("ph_innovative", "创新药研发", "Innovative drug R&D", 4, ((YC, 1.0),),
                 (("生物医药", "Biopharmaceutical"),), anchors=(("歌礼", "Ascletis"), ("德琪", "Antengene")), kind="rd"),
    )),
    StagePlan("api", "原料药", "APIs", (
        LinkPlan("ph_api", "化学原料药", "Chemical APIs", 22, ((SY, 0.4), (XC, 0.4), (YC, 0.2)),
                 (("药业", "Pharmaceutical"), ("化学制药", "Chemical Pharmaceutical")), anchor_size=30.0,
                 anchors=(("浙江医药", "Zhejiang Medicine"),), kind="api"),
    )),
    StagePlan("formulation", "制剂", "Formulations", (
        LinkPlan("ph_chem", "化学药制剂", "Chemical drug formulations", 17, ((YC, 0.45), (XC, 0.35), (KQ, 0.2)),
                 (("制药", "Pharmaceutical"),), kind="chem"),
        LinkPlan("ph_tcm", "中药", "Traditional Chinese medicine", 9, ((KQ, 0.4), (XC, 0.3), (YC, 0.3)),
                 (("中药", "Chinese Medicine"), ("中药饮片", "TCM Decoction Pieces")), kind="tcm"),
        LinkPlan("ph_bio", "生物药", "Biologics", 5, ((YC, 1.0),), (("生物制药", "Biopharmaceutical"),), kind="bio"),
        LinkPlan("ph_cgt", "细胞与基因治疗", "Cell & gene therapy", 1, ((YC, 1.0),),
                 (("生物技术", "Biotechnology"),), size=0.3, kind="bio"),
    )),
    StagePlan("devices", "医疗器械", "Medical devices", (
        LinkPlan("ph_dev_consumables", "医用耗材与敷料", "Medical consumables & dressings", 20, ((YC, 0.5), (KQ, 0.5)),
                 (("医疗用品", "Medical Supplies"), ("卫生材料", "Hygiene Materials")), anchor_size=30.0,
                 anchors=(("振德医疗", "Zhende Medical"),), kind="devices"),
        LinkPlan("ph_dev_ivd", "体外诊断", "In-vitro diagnostics", 6, ((YC, 0.7), (KQ, 0.3)),
                 (("诊断技术", "Diagnostics"),), kind="devices"),
        LinkPlan("ph_dev_implant", "植介入器械", "Implants & interventional devices", 2, ((YC, 1.0),),
                 (("医疗器械", "Medical Devices"),), size=0.3, kind="devices"),
        LinkPlan("ph_dev_imaging", "高端医学影像设备", "High-end medical imaging", 0, ((YC, 1.0),),
                 (("医疗设备", "Medical Equipment"),), kind="devices",
                 note=("本地暂无企业（CT、MRI等依赖外地）", "No local firm (CT, MRI come from elsewhere)")),
    )),
    StagePlan("distribution", "流通与冷链", "Distribution & cold chain", (
        LinkPlan("ph_distribution", "医药流通", "Pharma distribution", 5, ((YC, 0.6), (KQ, 0.4)),
                 (("医药", "Pharmaceutical Distribution"),), anchors=(("震元", "Zhenyuan"),), kind="distribution"),
        LinkPlan("ph_coldchain", "医药冷链物流", "Pharma cold-chain logistics", 2, ((YC, 1.0),),
                 (("冷链物流", "Cold-Chain Logistics"),), size=0.3, kind="distribution"),
    )),
)

CHAINS: dict[str, tuple[StagePlan, ...]] = {"ic": IC_STAGES, "pharma": PHARMA_STAGES}
TITLES: dict[str, Pair] = {
    "ic": ("绍兴集成电路产业链", "Shaoxing integrated-circuit chain"),
    "pharma": ("绍兴生物医药产业链", "Shaoxing biopharma chain"),
}
#: Annual output a chain's enterprises share (亿元): IC platform 1003.3 in 2025 (figures §6,
#: H); biopharma platform 356 in 2021 (figures §7, M).
ANNUAL_OUTPUT: dict[str, float] = {"ic": 1003.3, "pharma": 356.0}
SOURCES: dict[str, Pair] = {
    "ic": ("链上企业数与产值为模拟值（按2025年平台产值1003.3亿元分摊）；锚点企业名称据公开报道",
           "Enterprise counts and output simulated (sharing the 2025 platform output of 100.33bn CNY); "
           "anchor firms as published"),
    "pharma": ("链上企业数与产值为模拟值（按2021年平台产值356亿元分摊）；锚点企业名称据公开报道",
               "Enterprise counts and output simulated (sharing the 2021 platform output of 35.6bn CNY); "
               "anchor firms as published"),
}
#: A link is strong with at least this many enterprises, or with this share of the chain's
#: output on its own (an anchor firm); otherwise weak; with none, missing.
STRONG_MIN_FIRMS = 4
STRONG_MIN_SHARE = 0.05


def link_plans(brain: str) -> list[LinkPlan]:
    return [ln for st in CHAINS.get(brain, ()) for ln in st.links]


def strength(count: int, share: float) -> Strength:
    if count == 0:
        return "missing"
    if count >= STRONG_MIN_FIRMS or share >= STRONG_MIN_SHARE:
        return "strong"
    return "weak"


def _gap_reason(plan: LinkPlan, count: int, output: float, share: float) -> Names:
    if count == 0:
        return Names(zh=f"{plan.zh}：本地无企业，属缺失环节，建议招引补链",
                     en=f"{plan.en}: no local enterprise, a missing link to attract investment for")
    return Names(
        zh=f"{plan.zh}：仅{count}家企业，年产值约{output:.1f}亿元（占全链{share * 100:.1f}%），配套能力薄弱",
        en=f"{plan.en}: only {count} enterprise{'s' if count > 1 else ''}, about {output:.1f}亿 CNY a year "
           f"({share * 100:.1f} % of the chain), thin local supply",
    )


def build_chain(brain: str, registry: Registry, ts_ms: int) -> Chain:
    """The chain of ``brain`` (KeyError for a brain without one) from the registry's enterprises."""
    stages = CHAINS[brain]
    total = ANNUAL_OUTPUT[brain]
    firms = registry.of(brain)
    out_stages: list[ChainStage] = []
    gaps: list[ChainGap] = []
    for st in stages:
        links: list[ChainLink] = []
        for plan in st.links:
            members: Sequence = [e for e in firms if e.link == plan.id]
            share = sum(e.weight for e in members)
            output = round(total * share, 2)
            s = strength(len(members), share)
            links.append(ChainLink(
                id=plan.id,
                name=Names(zh=plan.zh, en=plan.en),
                strength=s,
                enterprises=len(members),
                output=output if members else None,
                anchors=[Names(zh=a[0], en=a[1]) for a in plan.anchors],
                note=Names(zh=plan.note[0], en=plan.note[1]) if plan.note else None,
            ))
            if s != "strong":
                gaps.append(ChainGap(link=plan.id, reason=_gap_reason(plan, len(members), output, share)))
        out_stages.append(ChainStage(id=st.id, name=Names(zh=st.zh, en=st.en), links=links))
    title, src = TITLES[brain], SOURCES[brain]
    return Chain(brain=brain, ts=ts_ms, title=Names(zh=title[0], en=title[1]), stages=out_stages, gaps=gaps,
                 source=Names(zh=src[0], en=src[1]))
