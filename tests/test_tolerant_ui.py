"""What a user sees of rejected parts, on the tab and in the status bar (no server needed)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication

from cockpit.api.schema import Brain, Catalog, Metric, Names, Reading, Snapshot
from cockpit.api.tolerant import Problem
from cockpit.hub.hub import BrainUpdate, HubStatus, LinkState
from cockpit.ui.brain_tab import BrainTab
from cockpit.ui.main_window import MainWindow
from cockpit.ui.text import problem_text, reason_short
from widgets.state import DataState

NOW = 1_796_000_000_000
BRAIN = Brain(id="paper", name=Names(zh="造纸", en="Paper"), metrics=[
    Metric(id="paper.output", name=Names(zh="产量", en="Output"), unit=Names(zh="吨", en="t"), headline=True),
    Metric(id="paper.rate", name=Names(zh="开机率", en="Rate"), unit=Names(zh="%", en="%"), range=(0, 100)),
])


def _snap(**values: float) -> Snapshot:
    return Snapshot(brain="paper", ts=NOW, values={f"paper.{k}": Reading(value=v, ts=NOW) for k, v in values.items()})


def test_a_trend_has_data_once_its_history_is_loaded_not_after_one_live_point(qapp):
    tab = BrainTab(BRAIN, "zh")
    try:
        tab.apply_snapshot(_snap(output=5.0, rate=50.0), NOW)
        assert tab.widget_count() == 3
        assert tab.widgets_with_data() == 2  # the tile and the gauge; the trend waits for its history
        tab.load_history({"paper.output": (np.array([NOW / 1000 - 60.0]), np.array([4.0]))})
        assert tab.widgets_with_data() == 3
    finally:
        tab.deleteLater()


def test_a_bad_reading_marks_its_metric_in_the_ui_language(qapp):
    for lang, want in (("zh", "数据异常：不是有效数字（value）"), ("en", "Data problem: not a valid number (value)")):
        tab = BrainTab(BRAIN, lang)
        try:
            tab.problems = {"metric:paper.rate": Problem("metric:paper.rate", "number", "value")}
            tab.apply_snapshot(_snap(output=5.0), NOW)
            tab.refresh_states(NOW + 500, HubStatus(LinkState.LIVE))
            gauge = next(b.widget for b in tab.bindings if b.metric.id == "paper.rate")
            tile = next(b.widget for b in tab.bindings if b.metric.id == "paper.output")
            assert (gauge.state(), gauge.note()) == (DataState.STALE, want)
            assert tile.state() == DataState.LIVE
        finally:
            tab.deleteLater()


def test_long_messages_never_widen_the_window(qapp):
    win = MainWindow("zh", "http://127.0.0.1:1")
    try:
        win.resize(1920, 1080)
        win.show()
        QApplication.processEvents()
        long = "Catalog does not fit the contract: " + "brains.0.metrics.0.name.zh: " + "x" * 3000
        win.on_status(HubStatus(LinkState.OFFLINE, long))
        QApplication.processEvents()
        assert win.width() == 1920
        assert "Catalog does not fit" not in win._placeholder.text()
        assert win._placeholder.text().startswith("中央接口已应答，但目录不符合接口规范")
        win.on_catalog(Catalog(ts=NOW, brains=[BRAIN]))
        problems = {"paper": {f"cell:mills/r{i}/output": Problem(f"cell:mills/r{i}/output" + "y" * 500, "number")
                              for i in range(50)}}
        win.on_status(HubStatus(LinkState.LIVE, "", errors={"paper": "z" * 5000}, problems=problems))
        win.on_update(BrainUpdate("paper", _snap(output=1.0, rate=2.0), NOW))
        QApplication.processEvents()
        assert win.width() == 1920
        assert len(win.error_label.text()) <= 240
    finally:
        win.close()
        win.deleteLater()


def test_no_raw_validation_text_on_screen():
    raw = "Chain does not fit the contract: gaps: List should have at most 100 items after validation, not 160"
    assert reason_short(raw, "zh") == "数据不符合接口规范（Chain gaps）"
    assert "should" not in reason_short(raw, "en")
    p = Problem("panel:districts", "empty", "columns.0.unit.zh", "String should have at least 1 character")
    assert problem_text(p, "zh") == "面板 districts：为空（columns.0.unit.zh）"
    assert problem_text(p, "en") == "panel districts: empty (columns.0.unit.zh)"
