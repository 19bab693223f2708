"""Every headline figure that has a 同比 or 环比 shows it, labelled; a tile's change since the
last reading never passes for one."""

from __future__ import annotations

import time

from cockpit.api.schema import Reading
from cockpit.brains import layout as layouts
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import HubStatus, LinkState
from cockpit.resources import resources_dir
from cockpit.ui.brain_tab import BrainTab
from cockpit.ui.panels import TabContext
from widgets.kpi_tile import KpiTile


def test_counters_carry_yoy_and_mom_and_tiles_show_them_labelled(qtbot):
    sim = Simulator(seed=3)
    now = int(time.time()) * 1000
    catalog = sim.catalog(now)
    lay = layouts.load(catalog.brain("ic"), catalog, [resources_dir() / "layouts"])
    tab = BrainTab(catalog.brain("ic"), "zh", layout=lay, ctx=TabContext(lang="zh", animate=False))
    qtbot.addWidget(tab)
    snap = sim.snapshot("ic", now)
    mtd = snap.values["ic.output_mtd"]
    assert mtd.yoy is not None and mtd.mom is not None  # the API carries them for running totals
    assert snap.values["ic.utilization"].yoy is None  # a level: no 同比 made up
    tab.apply_snapshot(snap, now)
    tab.refresh_states(now, HubStatus(LinkState.LIVE))
    tiles = {b.metric.id: b.widget for b in tab.bindings if isinstance(b.widget, KpiTile)}
    text = tiles["ic.output_mtd"].delta_text()
    arrow = "▲" if mtd.yoy > 0 else "▼"
    assert text.startswith(f"同比 {arrow}{abs(mtd.yoy):.1f}%") and "环比 " in text, text
    assert "较上次" not in text
    # the English labels
    en = BrainTab(catalog.brain("ic"), "en", layout=lay, ctx=TabContext(lang="en", animate=False))
    qtbot.addWidget(en)
    en.apply_snapshot(snap, now)
    en.refresh_states(now, HubStatus(LinkState.LIVE))
    tile = next(b.widget for b in en.bindings if b.metric.id == "ic.output_mtd")
    assert tile.delta_text().startswith("y/y ") and " m/m " in tile.delta_text()


def test_a_tile_without_a_yoy_names_what_its_change_compares_with(qtbot):
    t = KpiTile()
    qtbot.addWidget(t)
    t.set_change_label("较上次")
    t.set_value(10)
    t.set_value(11)
    assert t.delta_text() == "较上次 ▲ +1"
    t.set_changes([("同比", -1.14), ("环比", None)])
    assert t.delta_text() == "同比 ▼1.1%  环比 —"
    t.set_changes([])
    assert t.delta_text() == "较上次 ▲ +1"


def test_yoy_is_optional_on_the_wire():
    r = Reading.model_validate({"value": 1.0, "ts": 1_765_000_000_000})
    assert r.yoy is None and r.mom is None
    r = Reading.model_validate({"value": 1.0, "ts": 1_765_000_000_000, "yoy": 5.2, "mom": -1.1})
    assert (r.yoy, r.mom) == (5.2, -1.1)


def test_the_path_to_target_shows_its_yoy_and_its_words_in_each_language(qtbot):
    """The IC year-to-date output against its target carries the reading's 同比 (#11: an
    output path with a +18 % 同比 that was never shown); in English no Chinese word is left."""
    from widgets.chain_map import ChainMap
    from widgets.progress_target import ProgressToTarget

    sim = Simulator(seed=3)
    now = int(time.time()) * 1000
    catalog = sim.catalog(now)
    lay = layouts.load(catalog.brain("ic"), catalog, [resources_dir() / "layouts"])
    snap = sim.snapshot("ic", now)
    yoy = snap.values["ic.output_ytd"].yoy
    assert yoy is not None
    arrow = "▲" if yoy > 0 else "▼"
    shown = {}
    for lang in ("zh", "en"):
        tab = BrainTab(catalog.brain("ic"), lang, layout=lay, ctx=TabContext(lang=lang, animate=False))
        qtbot.addWidget(tab)
        tab.apply_snapshot(snap, now)
        chain_bound = next(b for b in tab.others if isinstance(b.widget, ChainMap))
        chain_bound.show(sim.chain("ic", now), "")  # as fetched from /chain
        tab.refresh_states(now, HubStatus(LinkState.LIVE))
        progress = tab.findChildren(ProgressToTarget)[0]
        tab.resize(3840, 2160)  # laid out and drawn as on a 4K wall
        tab.grab()
        counts = {count for _n, count, _word in chain_bound.widget.link_texts().values() if count}
        shown[lang] = (progress.changes_text(), progress.target_text(), counts)
    assert shown["zh"][0] == f"同比 {arrow}{abs(yoy):.1f}%"
    assert shown["en"][0] == f"y/y {arrow}{abs(yoy):.1f}%"
    assert any(c.endswith("家") for c in shown["zh"][2]), shown["zh"][2]
    assert not any("家" in c for c in shown["en"][2]), shown["en"][2]
