"""The office desk: menus with a shortcut for every action, tabs by number, the
language switched at runtime keeping what the screen showed."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt

from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate
from cockpit.ui.main_window import MainWindow
from widgets import theme


@pytest.fixture
def window(qtbot):
    sim = Simulator(seed=2)
    now = int(time.time() * 1000)
    win = MainWindow("zh", "http://x (内置模拟接口)", animate=False)
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.on_catalog(sim.catalog(now))
    for b in ("dyeing", "city", "wine"):
        win.on_update(BrainUpdate(b, sim.snapshot(b, now), now))
    ts = np.arange(now / 1000 - 3600, now / 1000, 10.0)
    win.models.brain("dyeing").set_history({"dyeing.cod": (ts, np.full(ts.size, 150.0))})  # the shared model
    win.show_brain("dyeing")
    win.show()
    qtbot.waitExposed(win)
    yield win
    theme.use_palette("dark")


def _menu_titles(win) -> list[str]:
    return [a.text() for a in win.menuBar().actions()]


def test_menus_have_shortcuts_and_absent_features_have_no_dead_items(window):
    assert _menu_titles(window) == ["文件", "视图", "帮助"]
    acts = window.menu_actions
    assert acts["quit"].shortcut().toString() == "Ctrl+Q"
    assert acts["fullscreen"].shortcut().toString() == "F11"
    assert acts["next_tab"].shortcut().toString() == "Ctrl+PgDown"
    assert "export_pdf" not in acts  # not provided: not shown
    window.set_command("export_pdf", lambda: None)
    assert window.menu_actions["export_pdf"].shortcut().toString() == "Ctrl+P"
    assert window.menu_actions["export_pdf"].text() == "导出当前页为 PDF…"


def test_tabs_by_number_and_next_previous(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_brain() == "wine"
    window.menu_actions["next_tab"].trigger()
    assert window.current_brain() == "ic"
    window.menu_actions["prev_tab"].trigger()
    window.menu_actions["prev_tab"].trigger()
    assert window.current_brain() == "textile"


def test_theme_from_the_menu(window):
    window.menu_actions["theme_light"].trigger()
    assert theme.palette_name() == "light" and window.menu_actions["theme_light"].isChecked()


def test_language_switch_at_runtime_keeps_values_history_and_tab(window):
    tab = window.tabs_by_brain["dyeing"]
    before = {b.metric.id: b.widget.value() for b in tab.bindings}
    window.menu_actions["lang_en"].trigger()
    assert window.lang == "en" and window.current_brain() == "dyeing"
    # the API's "&" is escaped as "&&", so Qt draws "Printing & dyeing", not a mnemonic "Printing _dyeing"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "City overview", "Printing && dyeing", "Textile", "Yellow rice wine", "Integrated circuits",
        "Pharmaceuticals", "Per-mu ranking", "Enterprise code"]
    assert window.tab_title(1) == "Printing & dyeing"  # as read (exports, --report)
    assert _menu_titles(window) == ["File", "View", "Help"]
    tab = window.tabs_by_brain["dyeing"]
    assert {b.metric.id: b.widget.value() for b in tab.bindings} == before
    cod = next(c for c in tab.charts if c.metric.id == "dyeing.cod")
    assert cod.chart.series_data(cod.series)[0].size >= 360
    titles = {b.widget.objectName(): b.widget for b in tab.bindings}
    assert titles["dyeing.run_rate"].toolTip().startswith("Run rate")
    assert "embedded simulator" in window.api_label.text() and "API" in window.api_label.text()
    window.set_lang("zh")
    assert window.tabs.tabText(0) == "产业大脑"
    with pytest.raises(ValueError):
        window.set_lang("fr")


def test_two_windows_of_a_wall_each_take_their_own_shortcuts(window, qtbot):
    """A --wall runs several windows in one process: Ctrl+N in one switches that window only
    (application-wide shortcuts on every window made each key ambiguous: none fired)."""
    sim = Simulator(seed=2)
    now = int(time.time() * 1000)
    other = MainWindow("zh", "http://x (内置模拟接口)", animate=False, models=window.models)
    qtbot.addWidget(other)
    other.resize(800, 600)
    other.on_catalog(sim.catalog(now))
    other.show_brain("city")
    other.show()
    qtbot.waitExposed(other)
    other.activateWindow()
    qtbot.waitUntil(lambda: other.isActiveWindow())
    qtbot.keyClick(other, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert other.current_brain() == "ic" and window.current_brain() == "dyeing"
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_brain() == "wine" and other.current_brain() == "ic"
