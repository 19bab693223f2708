"""Digital twins (孪生同现) of the simulated dyeing mills and rice-wine breweries.

A twin is a floor plan with the plant's units, each with its state and meters, as of a
moment: a pure function of (seed, enterprise, time). It agrees with the enterprise's other
figures: a mill that is stopped has every machine stopped; the stenters' output today adds
up to the mill's output today and the effluent COD at the wastewater station is the mill's
COD (both from the dyeing screen's enterprise panel); a brewery's primary fermentation
tanks work only in the winter brewing season (立冬 → 立春) and rest, cleaned, outside it.

Machine counts, sizes, speeds and process temperatures are named parameters (the figures
table has no plant-level numbers); the limits are the screens' (effluent COD 200 mg/L,
GB 4287-2012 indirect discharge, figures §3; the fermentation tank limits of the wine
brain). Every twin says it is simulated.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

from cockpit.api.schema import Names
from cockpit.api.twin import Twin, TwinArea, TwinMeter, TwinState, TwinUnit
from cockpit.central import figures as F
from cockpit.central.seasons import local_date, season_of

if TYPE_CHECKING:
    from cockpit.central.enterprises import Enterprise
    from cockpit.central.simulator import Simulator

__all__ = ["TWIN_BRAINS", "twin"]

TWIN_BRAINS = ("dyeing", "wine")

JET_DYERS = int(F.par("TWIN_JET_DYERS", 12, "jet dyeing machines shown per mill; plant lists are not published"))
STENTERS = int(F.par("TWIN_STENTERS", 3, "stenters (定型机) shown per mill; not published"))
DYE_CYCLE_MIN = F.par("TWIN_DYE_CYCLE_MIN", 240, "minutes of one jet-dyeing batch (load, heat, hold, cool, rinse); "
                      "a typical polyester cycle, not published for Shaoxing")
DYE_HOLD_C = F.par("TWIN_DYE_HOLD_C", 130, "hold temperature of a polyester jet-dyeing batch, °C; process parameter")
STENTER_SPEED = F.par("TWIN_STENTER_M_MIN", 45, "stenter speed, m/min; process parameter")
STENTER_OVEN_C = F.par("TWIN_STENTER_OVEN_C", 190, "stenter oven temperature, °C; process parameter")
FERMENT_TANKS = int(F.par("TWIN_FERMENT_TANKS", 8, "primary fermentation tanks shown per brewery; not published"))
POST_TANKS = int(F.par("TWIN_POST_TANKS", 4, "post-fermentation tanks shown per brewery; not published"))
DECOCT_C = F.par("TWIN_DECOCT_C", 88, "煎酒 (pasteurising) temperature of rice wine, °C; process parameter")
COD_LIMIT = F.DYEING_COD_LIMIT
FERMENT_WARN, FERMENT_ALARM = 32.0, 34.0  # the wine brain's tank limits (wine.ferment_temp)

_SOURCE = Names(zh="模拟孪生：设备数量、工艺参数为参数；产量与COD取自该企业的模拟数据",
                en="Simulated twin: machine counts and process values are parameters; output and COD are the "
                   "enterprise's simulated figures")
_WINE_SOURCE = Names(zh="模拟孪生：设备数量、工艺参数为参数；前酵罐仅在冬酿季（立冬—立春）发酵",
                     en="Simulated twin: machine counts and process values are parameters; the tanks ferment only "
                        "in the winter brewing season")


def _u(*parts: object) -> float:
    d = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(d, "big") / 2**64


def _m(key: str, zh: str, en: str, value: float | None, unit: tuple[str, str] | None = None, precision: int = 1,
       level: str = "ok", text: tuple[str, str] | None = None) -> TwinMeter:
    return TwinMeter(key=key, name=Names(zh=zh, en=en),
                     value=None if value is None or not math.isfinite(value) else round(float(value), precision),
                     unit=Names(zh=unit[0], en=unit[1]) if unit else None, precision=precision,
                     text=Names(zh=text[0], en=text[1]) if text else None, level=level)  # type: ignore[arg-type]


def _state(e: Enterprise, status: str, unit: str, slot: int, fault_p: float = 0.03,
           idle_p: float = 0.12) -> TwinState:
    """A unit's state in a time slot: none run in a stopped plant; an idle plant runs a few."""
    if status == "stopped":
        return "stopped"
    u = _u(e.key, unit, slot)
    if u < fault_p:
        return "fault"
    if status == "idle":
        return "running" if u > 0.8 else "idle"
    return "idle" if u < fault_p + idle_p else "running"


def _dye_step(minute: float) -> tuple[tuple[str, str], float]:
    """The process step of a jet-dyeing batch and its liquor temperature, ``minute`` into it."""
    hold = DYE_HOLD_C
    if minute < 20:
        return ("进布注液", "loading"), 40.0
    if minute < 80:
        return ("升温", "heating"), 40.0 + (hold - 40.0) * (minute - 20) / 60
    if minute < 140:
        return ("保温染色", "dyeing at temperature"), hold
    if minute < 190:
        return ("降温", "cooling"), hold - (hold - 60.0) * (minute - 140) / 50
    return ("水洗出布", "rinsing and unloading"), 45.0


def _mill(sim: Simulator, e: Enterprise, t: int) -> Twin:
    status = sim.firms.status_of(e, t)
    vals = sim.panels.values("dyeing", t - t % 10_000)
    output_today = float(vals["output_today"][e.index])  # 万米
    cod = float(vals["cod"][e.index])
    slot = t // 3_600_000  # states hold for an hour
    areas = [
        TwinArea(id="pretreat", name=Names(zh="前处理车间", en="Pretreatment"), x=0, y=0, w=28, h=60),
        TwinArea(id="dyehouse", name=Names(zh="染色车间", en="Dye house"), x=28, y=0, w=56, h=60),
        TwinArea(id="finishing", name=Names(zh="定型后整理车间", en="Stentering & finishing"), x=84, y=0, w=36, h=40),
        TwinArea(id="wastewater", name=Names(zh="污水预处理站", en="Wastewater pretreatment"), x=84, y=40, w=36, h=20),
    ]
    units: list[TwinUnit] = []
    st = _state(e, status, "pretreat", slot)
    units.append(TwinUnit(id="pretreat_1", name=Names(zh="退浆煮漂联合机", en="Desize-scour-bleach range"),
                          kind="pretreat_range", x=3, y=8, w=22, h=44, state=st, meters=[
                              _m("speed", "车速", "Speed", 60.0 * (0.9 + 0.2 * _u(e.key, "pt", slot)) if st == "running"
                                 else 0.0, ("米/分", "m/min"), 0)]))
    for i in range(JET_DYERS):
        col, row = i % 4, i // 4
        st = _state(e, status, f"jet{i}", slot)
        offset = _u(e.key, "jet-phase", i) * DYE_CYCLE_MIN
        minute = ((t / 60_000) + offset) % DYE_CYCLE_MIN
        step, temp = _dye_step(minute)
        meters = [_m("temp", "温度", "Temperature", temp if st == "running" else 30.0, ("°C", "°C"), 0),
                  _m("step", "工序", "Step", None, text=step if st == "running" else ("—", "—")),
                  _m("progress", "批次进度", "Batch progress", 100 * minute / DYE_CYCLE_MIN if st == "running" else None,
                     ("%", "%"), 0)]
        units.append(TwinUnit(id=f"jet_{i + 1:02d}", name=Names(zh=f"{i + 1}号溢流染色机", en=f"Jet dyer {i + 1}"),
                              kind="jet_dyer", x=31 + col * 13, y=3 + row * 19, w=11, h=16, state=st, meters=meters))
    running = [i for i in range(STENTERS) if _state(e, status, f"stenter{i}", slot) == "running"]
    for i in range(STENTERS):
        st = _state(e, status, f"stenter{i}", slot)
        share = output_today / len(running) if i in running and running else 0.0
        units.append(TwinUnit(
            id=f"stenter_{i + 1}", name=Names(zh=f"{i + 1}号定型机", en=f"Stenter {i + 1}"), kind="stenter",
            x=87, y=3 + i * 12, w=30, h=10, state=st, meters=[
                _m("speed", "车速", "Speed", STENTER_SPEED if st == "running" else 0.0, ("米/分", "m/min"), 0),
                _m("oven", "烘箱温度", "Oven", STENTER_OVEN_C if st == "running" else 40.0, ("°C", "°C"), 0),
                _m("output_today", "今日产量", "Output today", share, ("万米", "10k m"), 2)]))
    cod_level = "alarm" if cod > COD_LIMIT else "warn" if cod > 0.9 * COD_LIMIT else "ok"
    units.append(TwinUnit(id="ww_1", name=Names(zh="调节池与预处理", en="Equalisation and pretreatment"),
                          kind="wastewater", x=87, y=43, w=30, h=14,
                          state="stopped" if status == "stopped" else "running", meters=[
                              _m("cod", "出水COD", "Effluent COD", cod, ("mg/L", "mg/L"), 0, cod_level),
                              _m("limit", "限值", "Limit", COD_LIMIT, ("mg/L", "mg/L"), 0)]))
    return Twin(code=e.code, name=e.name, brain=e.brain, kind="dyeing_mill", ts=t, floor_w=120, floor_h=60,
                areas=areas, units=units, simulated=True, source=_SOURCE)


def _brewery(sim: Simulator, e: Enterprise, t: int) -> Twin:
    status = sim.firms.status_of(e, t)
    d = local_date(t)
    s = season_of(d)
    in_season = s.start <= d < s.end
    slot = t // 3_600_000
    areas = [
        TwinArea(id="steaming", name=Names(zh="浸米蒸饭间", en="Rice soaking & steaming"), x=0, y=0, w=24, h=30),
        TwinArea(id="primary", name=Names(zh="前酵间", en="Primary fermentation"), x=24, y=0, w=52, h=30),
        TwinArea(id="press", name=Names(zh="压榨煎酒间", en="Pressing & pasteurising"), x=0, y=30, w=36, h=30),
        TwinArea(id="post", name=Names(zh="后酵间", en="Post-fermentation"), x=36, y=30, w=40, h=30),
        TwinArea(id="cellar", name=Names(zh="陈酿坛库", en="Jar cellar"), x=76, y=0, w=24, h=60),
    ]
    units: list[TwinUnit] = []
    brewing = in_season and status != "stopped"
    st: TwinState = _state(e, status, "steamer", slot) if brewing else ("stopped" if status == "stopped" else "idle")
    units.append(TwinUnit(id="steamer_1", name=Names(zh="蒸饭机", en="Rice steamer"), kind="steamer",
                          x=3, y=5, w=18, h=20, state=st, meters=[
                              _m("temp", "蒸汽温度", "Steam", 100.0 if st == "running" else None, ("°C", "°C"), 0)]))
    season_day = (d - s.start).days + 1 if in_season else None
    for i in range(FERMENT_TANKS):
        col, row = i % 4, i // 4
        if not brewing:
            units.append(TwinUnit(
                id=f"ferment_{i + 1:02d}", name=Names(zh=f"{i + 1}号前酵罐", en=f"Tank {i + 1}"), kind="ferment_tank",
                x=27 + col * 12.5, y=2 + row * 14, w=10, h=12, state="stopped" if status == "stopped" else "cleaning",
                meters=[_m("temp", "温度", "Temperature", None, ("°C", "°C"), 1),
                        _m("day", "发酵天数", "Day", None, ("天", "d"), 0)]))
            continue
        cycle_h = 144
        hours = ((t / 3_600_000) + _u(e.key, "tank", i) * cycle_h) % cycle_h
        if hours >= 120:  # emptied and cleaned for a day
            state: TwinState = "cleaning"
            temp = None
            day = None
        else:
            state = "fault" if _u(e.key, "tankfault", i, slot) < 0.02 else "running"
            day = int(hours // 24) + 1
            # heats up as the yeast works (main fermentation), then is cooled back (开耙)
            temp = 24.0 + 8.5 * math.sin(math.pi * min(hours, 96) / 110) + 1.2 * (_u(e.key, "t", i, slot) - 0.5)
        level = "alarm" if temp is not None and temp > FERMENT_ALARM else \
            "warn" if temp is not None and temp > FERMENT_WARN else "ok"
        units.append(TwinUnit(
            id=f"ferment_{i + 1:02d}", name=Names(zh=f"{i + 1}号前酵罐", en=f"Tank {i + 1}"), kind="ferment_tank",
            x=27 + col * 12.5, y=2 + row * 14, w=10, h=12, state=state,
            meters=[_m("temp", "温度", "Temperature", temp, ("°C", "°C"), 1, level),
                    _m("day", "发酵天数", "Day", day, ("天", "d"), 0)]))
    for i in range(2):
        st = _state(e, status, f"press{i}", slot) if brewing else ("stopped" if status == "stopped" else "idle")
        units.append(TwinUnit(id=f"press_{i + 1}", name=Names(zh=f"{i + 1}号板框压榨机", en=f"Press {i + 1}"),
                              kind="press", x=3 + i * 11, y=34, w=9, h=22, state=st, meters=[]))
    st = _state(e, status, "decoct", slot) if status != "stopped" else "stopped"
    units.append(TwinUnit(id="decoct_1", name=Names(zh="煎酒器", en="Pasteuriser"), kind="pasteuriser",
                          x=25, y=34, w=9, h=22, state=st, meters=[
                              _m("temp", "煎酒温度", "Temperature", DECOCT_C if st == "running" else None, ("°C", "°C"), 0)]))
    for i in range(POST_TANKS):
        st = "running" if status != "stopped" else "stopped"
        units.append(TwinUnit(
            id=f"post_{i + 1}", name=Names(zh=f"{i + 1}号后酵罐", en=f"Post tank {i + 1}"), kind="post_tank",
            x=39 + i * 9.2, y=34, w=8, h=22, state=st,  # type: ignore[arg-type]
            meters=[_m("temp", "温度", "Temperature", 13.0 + 3 * _u(e.key, "post", i, slot), ("°C", "°C"), 1)]))
    month = d.month
    cellar_t = 8.0 + 10.0 * (1 - math.cos(2 * math.pi * (month - 1) / 12)) / 2  # an unheated cellar: 8 → 18 °C
    units.append(TwinUnit(id="cellar_1", name=Names(zh="陈酿坛库", en="Jar cellar"), kind="cellar",
                          x=79, y=3, w=18, h=54, state="running" if status != "stopped" else "idle", meters=[
                              _m("temp", "库温", "Temperature", cellar_t, ("°C", "°C"), 1),
                              _m("season", "冬酿季", "Brewing season", season_day, ("天", "d"), 0,
                                 text=None if in_season else ("非酿造季", "out of season"))]))
    return Twin(code=e.code, name=e.name, brain=e.brain, kind="brewery", ts=t, floor_w=100, floor_h=60,
                areas=areas, units=units, simulated=True, source=_WINE_SOURCE)


def twin(sim: Simulator, code: str, t: int) -> Twin | None:
    """The twin of enterprise ``code`` at ``t``; None for an unknown code or a plant without one."""
    e = sim.firms.registry.get(code)
    if e is None or e.brain not in TWIN_BRAINS:
        return None
    return _mill(sim, e, t) if e.brain == "dyeing" else _brewery(sim, e, t)
