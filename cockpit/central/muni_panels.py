"""The panels of the ``muni`` brain (要素消耗 · 亩均论英雄), built from :mod:`cockpit.central.muni`.

``muni_firms``: the 50 enterprises with the highest 亩均税收, with 亩均产值, energy per 万元 of
output, score and class (``group``: "A类" …, ``texts.brain`` its industry); ``muni_energy``
the 30 with the highest energy per 万元 (the same columns); ``muni_districts``: the six districts;
``muni_brains``: the city and each brain (``brain`` set: a click opens it); ``muni_classes``:
how many enterprises each class holds. Monthly statistics: one value per local month.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from cockpit.api.schema import Column, DataPanel, Names, Row
from cockpit.central import figures as F
from cockpit.central import industries as I
from cockpit.central import muni as U
from cockpit.central.places import DISTRICTS
from cockpit.central.seasons import TZ

if TYPE_CHECKING:
    from cockpit.central.panels import Panels

MU = ("万元/亩", "10k CNY/mu")
TCE = ("吨标煤/万元", "tce/10k CNY")
FIRMS = ("家", "firms")

CADENCE_S = 86_400  # published monthly; asked for daily, so a new month shows within a day
PANEL_IDS = ("muni_brains", "muni_districts", "muni_firms", "muni_energy", "muni_classes")
TOP_FIRMS = 50  # the ranking's length (a snapshot stays small: not every enterprise)
TOP_ENERGY = 30
COLUMNS: dict[str, tuple[str, ...]] = {
    "muni_brains": ("tax_per_mu", "output_per_mu", "energy", "firms"),
    "muni_districts": ("tax_per_mu", "output_per_mu", "energy", "firms", "a_firms", "d_firms"),
    "muni_firms": ("tax_per_mu", "output_per_mu", "energy", "score"),
    "muni_energy": ("tax_per_mu", "output_per_mu", "energy", "score"),
    "muni_classes": ("firms",),
}
TITLES: dict[str, Names] = {
    "muni_brains": Names(zh="全市与各产业大脑亩均效益、单位产值能耗", en="Land and energy efficiency, city and brains"),
    "muni_districts": Names(zh="区县亩均效益排名", en="Districts by tax per mu"),
    "muni_firms": Names(zh=f"企业亩均税收前{TOP_FIRMS}名（亩均论英雄）", en=f"Top {TOP_FIRMS} enterprises by tax per mu"),
    "muni_energy": Names(zh=f"单位产值能耗最高的{TOP_ENERGY}家企业", en=f"The {TOP_ENERGY} firms using most energy per output"),
    "muni_classes": Names(zh="亩均效益综合评价分类", en="Evaluation classes"),
}
_BRAIN_NAMES = {"dyeing": ("印染", "Dyeing"), "textile": ("纺织", "Textiles"), "wine": ("黄酒", "Rice wine"),
                "ic": ("集成电路", "IC"), "pharma": ("医药", "Pharma")}
_INDUSTRY = {"dyeing": I.DYEING, "textile": I.TEXTILE, "wine": I.WINE, "ic": I.ELECTRONICS, "pharma": I.PHARMA}
SCOPE = Names(zh="模拟样本企业（各产业大脑接入企业）；按月统计", en="Simulated sample enterprises of the brains; monthly")
SOURCE = Names(
    zh="模拟值：印染亩均税收按柯桥整治后28.77万元/亩（公开报道）；其余亩均水平、评分权重与分类比例为参数；"
       "印染能耗由百米综合能耗与加工费换算",
    en="Simulated: dyeing tax per mu 28.77 as published for 柯桥; other levels, score weights and class "
       "shares are parameters; dyeing energy from energy per 100 m and the fee")


def _c(key: str, zh: str, en: str, unit: tuple[str, str], precision: int, up: bool | None) -> Column:
    return Column(key=key, name=Names(zh=zh, en=en), unit=Names(zh=unit[0], en=unit[1]), precision=precision,
                  up_is_good=up)


_COLS = {
    "tax_per_mu": _c("tax_per_mu", "亩均税收", "Tax per mu", MU, 2, True),
    "output_per_mu": _c("output_per_mu", "亩均产值", "Output per mu", MU, 0, True),
    "energy": _c("energy", "单位产值能耗", "Energy per 10k CNY output", TCE, 3, False),
    "firms": _c("firms", "企业数", "Enterprises", FIRMS, 0, None),
    "a_firms": _c("a_firms", "A类企业", "A-class firms", FIRMS, 0, True),
    "d_firms": _c("d_firms", "D类企业", "D-class firms", FIRMS, 0, False),
    "score": _c("score", "综合评分", "Score", ("分", "points"), 1, True),
}


def _month(t: int) -> tuple[int, int]:
    d = dt.datetime.fromtimestamp(t / 1000, TZ)
    return d.year, d.year * 12 + d.month - 1


def firms_of(panels: Panels, t: int) -> list[U.FirmMuni]:
    """Every enterprise's 亩均 figures for the local month of ``t`` (memoised per month)."""
    year, month = _month(t)
    start = int(dt.datetime(year, month % 12 + 1, 1, tzinfo=TZ).timestamp() * 1000)

    def make() -> list[U.FirmMuni]:
        f = panels.firms
        firms = {b: f.enterprises(b) for b in _INDUSTRY}
        annual = {b: I.level(ind, year + 0.5) for b, ind in _INDUSTRY.items()}
        energy = panels.values("dyeing", start)["energy_per_100m"]
        return U.evaluate(firms, annual, energy, F.DYEING_FEE_YUAN_PER_M, month)

    return panels.firms.memo(("muni", month), make)  # type: ignore[no-any-return]


def _fin(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 3)


def _agg_values(items: list[U.FirmMuni]) -> dict[str, float | None]:
    a = U.aggregate(items)
    if a is None:
        return {"tax_per_mu": None, "output_per_mu": None, "energy": None, "firms": float(len(items))}
    out_mu, tax_mu, energy = a
    return {"tax_per_mu": _fin(round(tax_mu, 2)), "output_per_mu": _fin(round(out_mu, 1)), "energy": _fin(energy),
            "firms": float(len(items))}


def build(panels: Panels, pid: str, t: int) -> DataPanel:
    items = firms_of(panels, t)
    cls_names = {c[0]: Names(zh=c[1], en=c[2]) for c in U.CLASSES}
    short = {c[0]: Names(zh=f"{c[0]}类", en=f"class {c[0]}") for c in U.CLASSES}
    rows: list[Row] = []
    if pid == "muni_brains":
        rows.append(Row(key="city", name=Names(zh="全市", en="City"), values=_agg_values(items)))
        for b, (zh, en) in _BRAIN_NAMES.items():
            rows.append(Row(key=b, name=Names(zh=zh, en=en), brain=b,
                            values=_agg_values([f for f in items if f.e.brain == b])))
    elif pid == "muni_districts":
        for d in DISTRICTS:
            mine = [f for f in items if f.e.district == d.id]
            v = _agg_values(mine)
            v["a_firms"] = float(sum(f.cls == "A" for f in mine))
            v["d_firms"] = float(sum(f.cls == "D" for f in mine))
            rows.append(Row(key=d.id, name=Names(zh=d.zh, en=d.en), district=d.id, values=v))
    elif pid in ("muni_firms", "muni_energy"):
        if pid == "muni_firms":
            chosen = sorted(items, key=lambda f: -f.tax_per_mu)[:TOP_FIRMS]
        else:
            chosen = sorted((f for f in items if math.isfinite(f.energy)), key=lambda f: -f.energy)[:TOP_ENERGY]
        for f in chosen:
            e = f.e
            rows.append(Row(key=e.code, name=e.name, code=e.code, district=e.district, group=short[f.cls],
                            texts={"brain": Names(zh=_BRAIN_NAMES[e.brain][0], en=_BRAIN_NAMES[e.brain][1])},
                            values={"tax_per_mu": _fin(f.tax_per_mu), "output_per_mu": _fin(f.output_per_mu),
                                    "energy": _fin(f.energy), "score": _fin(f.score)}))
    elif pid == "muni_classes":
        for key, _zh, _en in U.CLASSES:
            rows.append(Row(key=key, name=cls_names[key], values={"firms": float(sum(f.cls == key for f in items))}))
    else:
        raise KeyError(pid)
    return DataPanel(id=pid, title=TITLES[pid], ts=t, columns=[_COLS[k] for k in COLUMNS[pid]], rows=rows,
                     scope=SCOPE, source=SOURCE, cadence_s=CADENCE_S)
