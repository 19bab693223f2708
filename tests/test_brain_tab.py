"""A brain's tab decides each widget's state from the reading's age and the link."""

from __future__ import annotations

import time

from cockpit.api.schema import Reading
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import HubStatus, LinkState
from cockpit.ui.brain_tab import BrainTab
from widgets.state import DataState

LIVE = HubStatus(LinkState.LIVE)
OFFLINE = HubStatus(LinkState.OFFLINE, "connection refused")


def _tab(qtbot):
    sim = Simulator(seed=3)
    brain = sim.brain("dyeing")
    tab = BrainTab(brain, "zh")
    qtbot.addWidget(tab)
    return sim, tab


def _aged(snap, age_ms: int):
    return snap.model_copy(update={"values": {k: r.model_copy(update={"ts": r.ts - age_ms})
                                              for k, r in snap.values.items()}})


def test_fresh_values_are_live_and_a_day_old_ones_stale(qtbot):
    sim, tab = _tab(qtbot)
    now = int(time.time() * 1000)
    tab.apply_snapshot(sim.snapshot("dyeing", now), now)
    tab.refresh_states(now, LIVE)
    assert {b.widget.state() for b in tab.bindings} == {DataState.LIVE}

    day_old = _aged(sim.snapshot("dyeing", now + 1000), 86_400_000)
    tab.apply_snapshot(day_old, now + 1000)
    tab.refresh_states(now + 1000, LIVE)
    # a monthly statistic released daily (cadence 1 day) is on time a day later; the rest is stale
    daily = [b for b in tab.bindings if getattr(getattr(b, "metric", None), "cadence_s", 0) >= 86_400]
    assert daily and {b.widget.state() for b in daily} == {DataState.LIVE}
    tab.bindings[:] = [b for b in tab.bindings if b not in daily]
    notes = {b.widget.note() for b in tab.bindings}
    assert {b.widget.state() for b in tab.bindings} == {DataState.STALE}
    yesterday = time.strftime("%m-%d", time.localtime((now - 86_400_000) / 1000))
    assert all(n.startswith(f"数据过时 · 截至 {yesterday} ") for n in notes), notes


def test_a_reading_that_stops_updating_goes_stale_while_the_link_is_live(qtbot):
    sim, tab = _tab(qtbot)
    now = int(time.time()) * 1000  # on a whole second, as the simulator's readings are
    tab.apply_snapshot(sim.snapshot("dyeing", now), now)
    m = tab.bindings[0].metric
    limit_ms = 3 * m.cadence_s * 1000 + 1000
    tab.refresh_states(now + int(limit_ms) - 100, LIVE)
    assert tab.bindings[0].widget.state() == DataState.LIVE
    tab.refresh_states(now + int(limit_ms) + 100, LIVE)  # no new snapshot: three updates missed
    assert tab.bindings[0].widget.state() == DataState.STALE


def test_offline_keeps_values_and_null_shows_a_dash(qtbot):
    sim, tab = _tab(qtbot)
    now = int(time.time() * 1000)
    snap = sim.snapshot("dyeing", now)
    first = tab.bindings[0].metric.id
    snap = snap.model_copy(update={"values": {**snap.values, first: Reading(value=None, ts=now)}})
    tab.apply_snapshot(snap, now)
    tab.refresh_states(now, OFFLINE)
    assert tab.bindings[0].widget.state() == DataState.NO_DATA
    assert tab.bindings[0].widget.value_text() == "—"
    others = tab.bindings[1:]
    assert {b.widget.state() for b in others} == {DataState.OFFLINE}
    assert all(b.widget.value() is not None for b in others)
