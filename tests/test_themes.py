"""Themes: dark (default), light office and high contrast, switched at runtime: every
painted widget and the window's style sheet take the new palette at once."""

from __future__ import annotations

import time

import pytest

from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate
from cockpit.resources import load_theme
from cockpit.ui.main_window import MainWindow
from tests.pixels import near, pixels
from widgets import theme
from widgets.gauge import Gauge
from widgets.ranking_board import RankingBoard
from widgets.trend_chart import TrendChart


@pytest.fixture
def window(qtbot):
    sim = Simulator(seed=2)
    now = int(time.time() * 1000)
    win = MainWindow("zh", "test", animate=False)
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.on_catalog(sim.catalog(now))
    for b in ("dyeing", "city"):
        win.on_update(BrainUpdate(b, sim.snapshot(b, now), now))
    win.show_brain("dyeing")
    win.show()
    qtbot.waitExposed(win)
    yield win
    theme.use_palette("dark")


def _share(img, color) -> float:
    return float(near(img, color, 6).mean())


@pytest.mark.parametrize("name", ["light", "high-contrast"])
def test_switching_the_theme_repaints_every_widget_in_the_new_palette(window, qtbot, name):
    tab = window.tabs_by_brain["dyeing"]
    widgets = [tab.findChildren(Gauge)[0], tab.findChildren(RankingBoard)[0], tab.findChildren(TrendChart)[0]]
    dark_panel = theme.PANEL
    before = [pixels(w.grab().toImage()) for w in widgets]
    assert all(_share(img, dark_panel) > 0.3 for img in before)

    window.set_theme(name)
    qtbot.wait(20)
    new_panel = theme.PALETTES[name]["PANEL"]
    after = [pixels(w.grab().toImage()) for w in widgets]
    for w, img in zip(widgets, after, strict=True):
        assert _share(img, new_panel) > 0.3, f"{type(w).__name__} not repainted in {name}"
        assert _share(img, dark_panel) < 0.01, f"{type(w).__name__} keeps dark fills"
    assert window.styleSheet() == load_theme(name) and window.theme == name

    window.set_theme("dark")
    qtbot.wait(20)
    assert _share(pixels(widgets[0].grab().toImage()), dark_panel) > 0.3


def test_an_unknown_theme_changes_nothing(window):
    with pytest.raises(ValueError, match="dark, light, high-contrast"):
        window.set_theme("blue")
    assert theme.palette_name() == "dark" and window.theme == "dark"


def test_every_theme_has_its_style_sheet():
    for name in theme.PALETTES:
        qss = load_theme(name)
        assert "QTabBar::tab" in qss and theme.PALETTES[name]["BACKGROUND"] in qss
