"""要素消耗 · 亩均论英雄 (#11 §1): 亩均税收 / 亩均产值 by enterprise, district and brain, energy
per 万元 of output, the A/B/C/D classes — from the simulator to the ``muni`` screen."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from cockpit.brains import layout as layouts
from cockpit.central import figures as F
from cockpit.central import muni as U
from cockpit.central.simulator import Simulator
from cockpit.resources import layout_dirs
from cockpit.ui.brain_tab import BrainTab
from widgets.bar_chart import BarChart
from widgets.ranking_board import RankingBoard

NOW = int(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC).timestamp() * 1000)
DAY = 86_400_000


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(0)


def test_classes_districts_and_brains_add_up(sim: Simulator) -> None:
    panels = sim.snapshot("muni", NOW).panels
    firms = sim.panels.firms
    total = sum(len(firms.enterprises(b)) for b in ("dyeing", "textile", "wine", "ic", "pharma"))
    classes = {r.key: r.values["firms"] for r in panels["muni_classes"].rows}
    assert list(classes) == ["A", "B", "C", "D"] and sum(classes.values()) == total
    for (key, _zh, _en), share in zip(U.CLASSES, U.CLASS_SHARES, strict=True):
        assert abs(classes[key] - share * total) <= 1.5, (key, classes[key])
    districts = panels["muni_districts"]
    assert sum(r.values["firms"] for r in districts.rows) == total
    assert sum(r.values["a_firms"] for r in districts.rows) == classes["A"]
    assert sum(r.values["d_firms"] for r in districts.rows) == classes["D"]
    brains = {r.key: r for r in panels["muni_brains"].rows}
    assert brains["city"].values["firms"] == total and brains["ic"].brain == "ic"
    # the city's figure lies between its brains' (an aggregate, not a sum or a made-up number)
    for col in ("tax_per_mu", "output_per_mu", "energy"):
        vals = [brains[b].values[col] for b in ("dyeing", "textile", "wine", "ic", "pharma")]
        assert min(vals) <= brains["city"].values[col] <= max(vals), col
    # dyeing's tax per mu sits at the published 柯桥 level (figures §3: 28.77万元/亩)
    assert brains["dyeing"].values["tax_per_mu"] == pytest.approx(F.FIGURES["DYEING_TAX_PER_MU"].value, rel=0.2)


def test_dyeing_energy_agrees_with_the_dyeing_screen(sim: Simulator) -> None:
    """吨标煤/万元 of a mill = its 百米综合能耗 (kgce/100 m) over the fee per 100 m, ×10."""
    start = int(dt.datetime(2026, 12, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
    energy_100m = sim.panels.values("dyeing", start)["energy_per_100m"]
    top = sim.snapshot("muni", NOW).panels["muni_energy"]
    mills = {e.code: e for e in sim.panels.firms.enterprises("dyeing")}
    checked = 0
    for r in top.rows:
        if r.code in mills:
            want = energy_100m[mills[r.code].index] / (F.DYEING_FEE_YUAN_PER_M * 100) * 10
            assert r.values["energy"] == pytest.approx(want, abs=0.001)
            checked += 1
    assert checked > 0
    assert [r.values["energy"] for r in top.rows] == sorted((r.values["energy"] for r in top.rows), reverse=True)


def test_figures_hold_for_the_month_and_move_with_the_next(sim: Simulator) -> None:
    a = sim.snapshot("muni", NOW).panels["muni_districts"]
    b = sim.snapshot("muni", NOW + 2 * DAY).panels["muni_districts"]
    assert [r.values for r in a.rows] == [r.values for r in b.rows]  # a monthly statistic does not tick
    c = sim.snapshot("muni", NOW + 40 * DAY).panels["muni_districts"]
    assert [r.values for r in a.rows] != [r.values for r in c.rows]
    assert a.cadence_s == 86_400 and "模拟" in (a.source.zh if a.source else "")


def test_magnitudes_are_cited_or_parameters() -> None:
    assert F.FIGURES["DYEING_TAX_PER_MU"].section == 3
    for name in ("MUNI_IC_TAX_PER_MU", "MUNI_A_SHARE", "MUNI_W_TAX", "MUNI_PHARMA_ENERGY"):
        assert name in F.PARAMETERS
    assert math.isclose(sum(U.CLASS_SHARES), 1.0)


def test_muni_screen_ranks_firms_and_districts(qtbot, sim: Simulator) -> None:  # noqa: ANN001
    cat = sim.catalog(NOW)
    brain = sim.brain("muni")
    assert brain is not None
    lay = layouts.load(brain, cat, layout_dirs())
    tab = BrainTab(brain, "zh", layout=lay)
    qtbot.addWidget(tab)
    tab.resize(1920, 1000)
    tab.show()
    snap = sim.snapshot("muni", NOW)
    tab.apply_snapshot(snap, NOW)
    top = tab.findChildren(RankingBoard)[0]  # in layout order: the 亩均税收 ranking first
    rows = top.rows()
    best = max(snap.panels["muni_firms"].rows, key=lambda r: r.values["tax_per_mu"] or 0)
    assert rows[0].name == best.name.zh and rows[0].value == best.values["tax_per_mu"]
    assert rows[0].secondary.startswith(best.group.zh + " · ")  # the class and the district, e.g. "A类 · 越城区"
    bars = tab.findChildren(BarChart)[0]  # the districts by 亩均税收
    cats = bars.category_labels()
    by_tax = sorted(snap.panels["muni_districts"].rows, key=lambda r: -(r.values["tax_per_mu"] or 0))
    assert cats == [r.name.zh for r in by_tax]
    # the monthly figures in tiles carry no "change since the last reading" (a dangling dash
    # before the second tick, a meaningless 10-second difference after it)
    from cockpit.hub.hub import HubStatus, LinkState
    from widgets.kpi_tile import KpiTile

    tab.apply_snapshot(sim.snapshot("muni", NOW + 3_600_000), NOW + 3_600_000)
    tab.refresh_states(NOW + 3_600_000, HubStatus(LinkState.LIVE))
    tiles = tab.findChildren(KpiTile)
    assert tiles and all(t.value_text() != "—" and t.delta_text() == "" for t in tiles), [
        (t.value_text(), t.delta_text()) for t in tiles]


def test_the_english_screen_leaves_no_chinese_word_in_the_donut(qtbot, sim: Simulator) -> None:  # noqa: ANN001
    from cockpit.hub.hub import HubStatus, LinkState
    from widgets.share_chart import ShareChart

    brain = sim.brain("muni")
    assert brain is not None
    tab = BrainTab(brain, "en", layout=layouts.load(brain, sim.catalog(NOW), layout_dirs()))
    qtbot.addWidget(tab)
    tab.apply_snapshot(sim.snapshot("muni", NOW), NOW)
    tab.refresh_states(NOW, HubStatus(LinkState.LIVE))
    donut = tab.findChildren(ShareChart)[0]
    assert donut.center_text().replace(",", "").isdigit() and donut.center_caption() == "Total"
