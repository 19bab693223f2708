"""The UI model under the screens: one store per brain, shared by every window, coalesced
to one repaint per frame, and what rotation, report and tickers read."""

from __future__ import annotations

import time

import numpy as np

from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate
from cockpit.ui.main_window import MainWindow
from cockpit.ui.model import Models
from cockpit.ui.rotation import alarming_tabs


def _windows(qtbot, n: int = 2):
    sim = Simulator(seed=4)
    now = int(time.time()) * 1000
    models = Models()
    wins = []
    for _ in range(n):
        w = MainWindow("zh", "test", animate=False, models=models)
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.on_catalog(sim.catalog(now))
        wins.append(w)
    return sim, now, models, wins


def _tile(win: MainWindow, brain: str, metric: str):
    return next(b.widget for b in win.tabs_by_brain[brain].bindings if b.metric.id == metric)


def test_every_window_shows_the_one_model_and_an_update_arrives_once_per_frame(qtbot):
    sim, now, models, (a, b) = _windows(qtbot)
    model = models.brain("dyeing")
    emitted: list = []
    model.changed.connect(emitted.append)
    for i in range(10):  # ten updates within one frame (the stream catching up)
        models.on_update(BrainUpdate("dyeing", sim.snapshot("dyeing", now + i * 1000), now + i * 1000))
    metric = next(m.id for m in sim.brain("dyeing").metrics if m.range is None)
    assert _tile(a, "dyeing", metric).value() is None  # nothing painted before the frame
    qtbot.waitUntil(lambda: bool(emitted), timeout=2000)
    qtbot.wait(50)
    assert len(emitted) == 1 and emitted[0].snapshot  # one signal for the ten updates
    want = sim.snapshot("dyeing", now + 9000).values[metric].value
    # both windows show the newest value, from the same model
    assert _tile(a, "dyeing", metric).value() == _tile(b, "dyeing", metric).value() == want
    # and no chart point was dropped by the coalescing: all ten seconds are drawn
    for win in (a, b):
        chart = win.tabs_by_brain["dyeing"].charts[0]
        ts, _ = chart.chart.series_data(chart.series)
        assert len(ts) == 10 and ts[0] == now / 1000 and ts[-1] == (now + 9000) / 1000


def test_history_goes_into_the_model_and_every_window_and_a_rebuilt_tab_draw_it(qtbot):
    sim, now, models, (a, b) = _windows(qtbot)
    ts = np.arange(now / 1000 - 3600, now / 1000, 10.0)
    mid = a.tabs_by_brain["dyeing"].charts[0].metric.id
    models.brain("dyeing").set_history({mid: (ts, np.full(ts.size, 42.0))})
    models.flush()
    for win in (a, b):
        c = win.tabs_by_brain["dyeing"].charts[0]
        assert c.chart.series_data(c.series)[0].size == ts.size
    a.set_lang("en")  # the tabs are rebuilt: they draw the model, nothing is read from old widgets
    c = a.tabs_by_brain["dyeing"].charts[0]
    got_ts, got_vals = c.chart.series_data(c.series)
    assert got_ts.size == ts.size and set(got_vals.tolist()) == {42.0}


def test_rotation_tickers_and_banner_read_the_models_not_the_tabs(qtbot):
    sim, now, models, (a, b) = _windows(qtbot)
    snap = sim.snapshot("dyeing", now)
    alarm = next((x for x in snap.alerts if x.level == "alarm"), None)
    if alarm is None:  # make one: an enterprise past a limit
        from cockpit.api.schema import Alert, Names

        alarm = Alert(id="t-1", brain="dyeing", level="alarm", message=Names(zh="超标", en="over"), ts=now)
    snap = snap.model_copy(update={"alerts": [alarm]})
    models.on_update(BrainUpdate("dyeing", snap, now))
    models.on_update(BrainUpdate("city", sim.snapshot("city", now).model_copy(update={"alerts": []}), now))
    models.flush()
    assert alarming_tabs(a) == alarming_tabs(b) == {"dyeing"}
    assert ("印染", alarm) in a.all_alerts()
    # a cached snapshot never replaces live data in the model
    old = sim.snapshot("dyeing", now - 60_000).model_copy(update={"alerts": []})
    models.on_update(BrainUpdate("dyeing", old, now - 60_000), cached=True)
    models.flush()
    assert models.brain("dyeing").snapshot is snap and alarming_tabs(a) == {"dyeing"}
