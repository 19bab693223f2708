"""The enterprise code (企业码) profile of a simulated enterprise, live at request time.

Five sections — production, operation, logistics, finance, credit — and the policy
benefits the enterprise qualifies for. The production figures are the enterprise's row of
its brain's ``enterprises`` panel at the current tick (the same numbers a screen shows);
the rest are simulator parameters sized on the brain (an annual revenue per brain shared
by size weight), labelled simulated. The benefits are rules evaluated on those figures,
each with the sentence that says why; the thresholds of local rules are parameters
("模拟规则"), the national ones (15 % tax for high-tech firms, the 100 % R&D super
deduction) are as published in law.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cockpit.api.schema import EnterpriseProfile, Names, PolicyBenefit, ProfileField, ProfileSection
from cockpit.central import figures as F
from cockpit.central import metrics as M
from cockpit.central.enterprises import Enterprise
from cockpit.central.firms import TICK_S
from cockpit.central.panels import COLUMNS
from cockpit.central.seasons import TZ, local_date

if TYPE_CHECKING:
    from cockpit.central.simulator import Simulator

__all__ = ["profile"]


@dataclass(frozen=True)
class _Scale:
    revenue_yi: float  # the brain's revenue per year, 亿元 (parameter sized on the figures)
    employees: float  # the brain's employees in all (parameter)
    shipments: float  # shipments per day, the brain in all (parameter)
    export: tuple[float, float]  # export share range, %
    high_tech: float  # chance of being a certified high-tech enterprise
    rnd: tuple[float, float]  # R&D spend, share of revenue
    margin: tuple[float, float]  # profit margin
    inventory: tuple[float, float]  # inventory days


_SCALE: dict[str, _Scale] = {
    # dyeing: capacity 185亿米 × 52 % run rate × 2.6 元/m processing fee (fee: parameter)
    "dyeing": _Scale(185 * 0.52 * 2.6, 40_000, 6000, (30, 80), 0.15, (0.01, 0.03), (0.04, 0.09), (10, 30)),
    # textile: 27.78亿米 grey fabric × 6.5 元/m (price: parameter)
    "textile": _Scale(27.78 * 6.5, 60_000, 8000, (10, 70), 0.2, (0.01, 0.03), (0.03, 0.08), (20, 60)),
    "wine": _Scale(36.0, 12_000, 1500, (0, 15), 0.1, (0.01, 0.025), (0.08, 0.2), (90, 400)),
    "ic": _Scale(1003.3, 45_000, 900, (5, 40), 0.7, (0.08, 0.15), (0.05, 0.15), (30, 90)),
    "pharma": _Scale(356.0, 50_000, 1200, (10, 60), 0.6, (0.06, 0.12), (0.08, 0.18), (40, 120)),
}
DYEING_FEE_YUAN_PER_M = F.DYEING_FEE_YUAN_PER_M
TEXTILE_PRICE_YUAN_PER_M = 6.5
TECH_SUBSIDY_MIN = 500.0  # 万元 of technical-upgrade investment, parameter
TECH_SUBSIDY_RATE = 0.10
TECH_SUBSIDY_CAP = 500.0


def _f(key: str, zh: str, en: str, value: float | None, unit: tuple[str, str] | None = None, precision: int = 1,
       ts: int | None = None, text: tuple[str, str] | None = None) -> ProfileField:
    if value is not None:
        value = round(value, precision) if math.isfinite(value) else None
    return ProfileField(key=key, name=Names(zh=zh, en=en), value=value,
                        unit=Names(zh=unit[0], en=unit[1]) if unit else None, precision=precision,
                        text=Names(zh=text[0], en=text[1]) if text else None, ts=ts)


def _between(lo_hi: tuple[float, float], u: float) -> float:
    return lo_hi[0] + (lo_hi[1] - lo_hi[0]) * u


def _year_fraction(t_ms: int) -> float:
    d = local_date(t_ms)
    jan1 = dt.datetime(d.year, 1, 1, tzinfo=TZ).timestamp() * 1000
    nxt = dt.datetime(d.year + 1, 1, 1, tzinfo=TZ).timestamp() * 1000
    return (t_ms - jan1) / (nxt - jan1)


def profile(sim: Simulator, e: Enterprise, now_ms: int) -> EnterpriseProfile:
    t = now_ms // (TICK_S * 1000) * TICK_S * 1000
    firms = sim.firms
    sc = _SCALE[e.brain]
    vals = {k: float(v[e.index]) for k, v in sim.panels.values(e.brain, t).items()}
    cols = {c.key: c for c in COLUMNS[e.brain]}
    status = firms.status_of(e, t)
    yf = _year_fraction(t)
    day = local_date(t)
    annual = sc.revenue_yi * 1e4 * e.weight * (0.9 + 0.2 * e.u(40))  # 万元 a year

    # ---- production: the panel's row, plus capacity
    prod: list[ProfileField] = []
    for key, c in cols.items():
        prod.append(_f(key, c.name.zh, c.name.en, vals[key], (c.unit.zh, c.unit.en), c.precision, t))
    if e.brain == "dyeing":
        prod.append(_f("capacity", "日产能", "Capacity per day", M.DYEING_CAPACITY_WANMI_PER_DAY * e.weight, M_WANMI, 1))
    elif e.brain == "textile":
        cap = M.TEXTILE_FABRIC_WANMI_PER_DAY / M.TEXTILE_LOOM_RATE * 100 * e.weight
        prod.append(_f("capacity", "日产能", "Capacity per day", cap, M_WANMI, 1))
    elif e.brain == "pharma":
        rate = float(firms.rates("pharma.line_rate", t)[e.index])
        prod.append(_f("line_rate", "产线开动率", "Line run rate", rate, ("%", "%"), 1, t))

    # ---- operation
    if e.brain == "dyeing":
        revenue = float(firms.month_of("dyeing.output_today", t)[e.index]) * DYEING_FEE_YUAN_PER_M
    elif e.brain == "textile":
        revenue = float(firms.month_of("textile.fabric_today", t)[e.index]) * TEXTILE_PRICE_YUAN_PER_M
    elif e.brain == "wine":
        revenue = vals["sales_mtd"]
    else:
        revenue = vals["output_mtd"] * 0.96
    employees = round(sc.employees * e.weight * (0.85 + 0.3 * e.u(41)) + 20 + 60 * e.u(42))
    if e.brain in ("dyeing",):
        orders, orders_unit = M.DYEING_CAPACITY_WANMI_PER_DAY * e.weight * (15 + 20 * e.u(43)), M_WANMI
    elif e.brain == "textile":
        orders, orders_unit = vals["orders"], M_WANMI
    else:
        orders, orders_unit = annual / 12 * (0.8 + 1.5 * e.u(43)), M_WANYUAN
    operation = [
        _f("revenue_mtd", "本月营业收入", "Revenue, month to date", revenue, M_WANYUAN, 0, t),
        _f("orders", "在手订单", "Orders in hand", orders, orders_unit, 0, t),
        _f("employees", "从业人员", "Employees", float(employees), ("人", "people"), 0),
    ]

    # ---- logistics
    day_frac = ((t / 1000 + 8 * 3600) % 86400) / 86400
    running = 0.0 if status == "stopped" else 1.0
    if e.brain in ("dyeing", "textile"):  # full trucks of what the firm made today
        per_truck = F.DYEING_TRUCK_M if e.brain == "dyeing" else F.TEXTILE_TRUCK_M
        shipments = math.floor(vals["output_today"] * 1e4 / per_truck)
    elif e.brain == "wine":  # today's sales as kL of wine, in full trucks
        sold_kl = float(firms.split("wine.sales_today", t, mode="sales")[e.index]) / F.WINE_PRICE_WAN_PER_KL
        shipments = math.floor(sold_kl / F.WINE_TRUCK_KL)
    else:
        shipments = math.floor(sc.shipments * e.weight * day_frac * running * (0.8 + 0.4 * e.u(44)))
    inventory = _between(sc.inventory, e.u(45)) * (0.9 + 0.2 * (0.5 + 0.5 * math.sin(day.toordinal() / 9 + e.u(46) * 6)))
    logistics = [
        _f("shipments_today", "今日发货", "Shipments today", float(shipments), ("车次", "trucks"), 0, t),
        _f("inventory_days", "库存周转天数", "Inventory days", round(inventory, 0), ("天", "days"), 0),
        _f("export_share", "出口占比", "Export share", round(_between(sc.export, e.u(47)), 1), ("%", "%"), 1),
    ]

    # ---- finance
    tax_rate = 0.03 + 0.04 * e.u(48)  # taxes paid / revenue
    tax_ytd = annual * tax_rate * yf
    debt = 35 + 40 * e.u(49) + 3 * math.sin(day.month + e.u(50) * 6)
    receivables = 30 + 90 * e.u(51)
    finance = [
        _f("tax_ytd", "本年实缴税金", "Taxes paid this year", round(tax_ytd, 0), M_WANYUAN, 0, t),
        _f("debt_ratio", "资产负债率", "Debt ratio", round(debt, 1), ("%", "%"), 1),
        _f("receivables_days", "应收账款周转天数", "Receivables days", round(receivables, 0), ("天", "days"), 0),
    ]

    # ---- credit
    over = firms.alerts_by_enterprise(e.brain, t).get(e.code, [])
    score = 100 - (debt - 35) * 0.8 - (receivables - 30) * 0.15 - 15 * len(over)
    rating = "AAA" if score >= 85 else "AA" if score >= 70 else "A" if score >= 55 else "BBB"
    if over:
        env = ("黄牌（超限排放/用能，整改中）", "Yellow (past a limit, being remedied)")
    elif e.u(52) < 0.6:
        env = ("绿牌（环保诚信）", "Green (environmentally compliant)")
    else:
        env = ("蓝牌（环保良好）", "Blue (good)")
    # 亩均论英雄: the enterprise's class in the month's evaluation (the same as the 亩均 screen's)
    from cockpit.central.muni_panels import firms_of

    mu = next((f for f in firms_of(sim.panels, t) if f.e.code == e.code), None)
    credit = [
        _f("rating", "信用等级", "Credit rating", None, text=(rating, rating)),
        _f("env_credit", "环保信用", "Environmental credit", None, text=env),
        _f("dishonest", "失信记录", "Dishonesty records", 0.0, ("条", "records"), 0, text=("无", "none")),
    ]
    if mu is not None:
        credit.append(_f("mu_class", "亩均效益评价", "Per-mu evaluation", mu.score, ("分", "points"), 1,
                         text=(f"{mu.cls}类（综合评分{mu.score:.1f}，亩均税收{mu.tax_per_mu:.2f}万元/亩）",
                               f"class {mu.cls} (score {mu.score:.1f}, tax {mu.tax_per_mu:.2f}万 CNY per mu)")))

    # ---- benefits: rules on the figures above
    benefits: list[PolicyBenefit] = []
    if mu is not None and mu.cls == "A":
        benefits.append(PolicyBenefit(
            id="mu_efficiency_a", name=Names(zh="亩均效益A类：用地用能要素优先保障",
                                             en="Per-mu efficiency class A: priority for land and energy"),
            basis=Names(zh=f"亩均税收{mu.tax_per_mu:.2f}万元/亩、亩均产值{mu.output_per_mu:.0f}万元/亩，"
                           f"本月亩均效益综合评分{mu.score:.1f}，评为A类（评价规则为模拟参数）",
                        en=f"tax {mu.tax_per_mu:.2f}万 and output {mu.output_per_mu:.0f}万 CNY per mu, this month's "
                           f"score {mu.score:.1f}: class A (the evaluation rules are simulated parameters)")))
    high_tech = e.u(54) < sc.high_tech
    margin = _between(sc.margin, e.u(55))
    rate = 0.15 if high_tech else 0.25
    if high_tech:
        since = max(e.founded + 2, 2016 + int(e.u(56) * 8))
        saved = annual * margin * 0.10 * yf
        benefits.append(PolicyBenefit(
            id="high_tech_tax", name=Names(zh="高新技术企业：减按15%税率征收企业所得税",
                                           en="High-tech enterprise: corporate income tax at 15 %"),
            basis=Names(zh=f"经认定为高新技术企业（{since}年起，模拟）；《企业所得税法》第二十八条；本年利润约"
                           f"{annual * margin * yf:.0f}万元，较25%税率少缴约{saved:.0f}万元",
                        en=f"certified high-tech enterprise (since {since}, simulated); Enterprise Income Tax Law art. 28; "
                           f"profit this year about {annual * margin * yf:.0f}万, about {saved:.0f}万 less tax than at 25 %"),
            amount=round(saved, 1)))
    invest = annual * (0.01 + 0.05 * e.u(57)) * yf
    if invest >= TECH_SUBSIDY_MIN:
        grant = min(invest * TECH_SUBSIDY_RATE, TECH_SUBSIDY_CAP)
        benefits.append(PolicyBenefit(
            id="tech_upgrade_grant", name=Names(zh=f"技术改造补助{grant:.0f}万元", en=f"Technical-upgrade grant of {grant:.0f}万 CNY"),
            basis=Names(zh=f"本年技术改造投入{invest:.0f}万元（≥{TECH_SUBSIDY_MIN:g}万元），按投入的10%补助，"
                           f"单户最高{TECH_SUBSIDY_CAP:g}万元（模拟规则）",
                        en=f"technical-upgrade investment {invest:.0f}万 this year (≥ {TECH_SUBSIDY_MIN:g}万), 10 % granted, "
                           f"at most {TECH_SUBSIDY_CAP:g}万 (simulated rule)"),
            amount=round(grant, 1)))
    rnd = annual * _between(sc.rnd, e.u(58)) * yf
    if rnd > 0:
        cut = rnd * 1.0 * rate
        benefits.append(PolicyBenefit(
            id="rnd_super_deduction", name=Names(zh="研发费用100%加计扣除", en="R&D expenses deducted at 200 %"),
            basis=Names(zh=f"本年研发费用{rnd:.0f}万元，按100%加计扣除（财政部 税务总局公告2023年第7号），"
                           f"按{rate * 100:.0f}%税率可少缴企业所得税约{cut:.0f}万元",
                        en=f"R&D expenses of {rnd:.0f}万 this year, an extra 100 % deducted (MOF/STA announcement 2023 "
                           f"no. 7): about {cut:.0f}万 less tax at {rate * 100:.0f} %"),
            amount=round(cut, 1)))

    sections = [
        ProfileSection(id="production", name=Names(zh="生产", en="Production"), fields=prod),
        ProfileSection(id="operation", name=Names(zh="经营", en="Operation"), fields=operation),
        ProfileSection(id="logistics", name=Names(zh="物流", en="Logistics"), fields=logistics),
        ProfileSection(id="finance", name=Names(zh="财务", en="Finance"), fields=finance),
        ProfileSection(id="credit", name=Names(zh="信用", en="Credit"), fields=credit),
    ]
    return EnterpriseProfile(code=e.code, name=e.name, brain=e.brain, district=e.district,
                             district_name=e.district_name, status=status, ts=t, chain_link=e.link,
                             sections=sections, benefits=benefits)


M_WANMI = ("万米", "10k m")
M_WANYUAN = ("万元", "10k CNY")
