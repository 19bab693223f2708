"""The contract every widget keeps (as Orange's shared widget tests): one class with the
checks, one subclass per widget saying how to make it and how to give it data.

- each data state (live, stale, offline, no data) looks different, with data;
- no number is drawn without data (every text the widget paints is recorded);
- a theme change restyles it (its pixels change);
- it has a minimum size and paints something at it.

A new widget gets its subclass here; ``test_every_widget_has_its_contract`` fails until it does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from pixels import pixels
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

import widgets
from widgets import theme
from widgets.state import DataState

SIZE = (480, 320)
STATES = (DataState.LIVE, DataState.STALE, DataState.OFFLINE, DataState.NO_DATA)


def shot(w: QWidget, size: tuple[int, int] = SIZE) -> np.ndarray:
    w.resize(*size)
    return pixels(w.grab().toImage())


def painted_texts(w: QWidget, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text ``w`` paints through QPainter.drawText (the widgets draw all their text so)."""
    seen: list[str] = []
    original = QPainter.drawText

    def record(self: QPainter, *args: object) -> object:
        seen.extend(a for a in args if isinstance(a, str))
        return original(self, *args)  # type: ignore[call-overload]

    with monkeypatch.context() as m:
        m.setattr(QPainter, "drawText", record)
        shot(w)
    return seen


class WidgetContract:
    """Subclass per widget: ``make`` returns it without data, ``feed`` gives it data."""

    widget_class: type
    title = "标题"  # no digits: a digit on screen is a number
    #: texts with digits the widget shows even without data (axis labels...)
    digits_without_data: Callable[[str], bool] = staticmethod(lambda _t: False)

    def make(self) -> QWidget:
        w = self.widget_class()
        w.set_title(self.title)
        return w

    def feed(self, w: QWidget) -> None:
        raise NotImplementedError

    @pytest.fixture
    def widget(self, qtbot) -> QWidget:
        w = self.make()
        qtbot.addWidget(w)
        return w

    def test_each_state_looks_different(self, widget):
        self.feed(widget)
        looks = []
        for state in STATES:
            widget.set_state(state, "")
            looks.append(shot(widget))
        for i in range(len(STATES)):
            for j in range(i + 1, len(STATES)):
                assert not np.array_equal(looks[i], looks[j]), f"{STATES[i].name} looks like {STATES[j].name}"

    def test_no_number_without_data(self, widget, monkeypatch):
        widget.set_state(DataState.NO_DATA, "")
        texts = painted_texts(widget, monkeypatch)
        numbers = [t for t in texts if re.search(r"\d", t) and not self.digits_without_data(t)]
        assert not numbers, f"{type(widget).__name__} shows {numbers} without data"

    def test_a_theme_change_restyles_it(self, widget):
        self.feed(widget)
        before = shot(widget)
        try:
            theme.use_palette("light")
            after = shot(widget)
        finally:
            theme.use_palette("dark")
        assert not np.array_equal(before, after)
        assert np.array_equal(shot(widget), before)  # and back

    def test_minimum_size(self, widget):
        self.feed(widget)
        hint = widget.minimumSizeHint()
        assert hint.width() > 0 and hint.height() > 0
        img = shot(widget, (hint.width(), hint.height()))
        assert len(np.unique(img.reshape(-1, 3), axis=0)) > 1  # something painted, not one flat colour


class TestKpiTile(WidgetContract):
    widget_class = widgets.KpiTile

    def feed(self, w):
        w.set_unit("万元")
        w.set_value(1234.5)


class TestGauge(WidgetContract):
    widget_class = widgets.Gauge
    digits_without_data = staticmethod(lambda t: t in ("0", "100"))  # the scale's ends, not a value

    def feed(self, w):
        w.set_range(0, 100)
        w.set_value(72.4)


class TestBigNumber(WidgetContract):
    widget_class = widgets.BigNumber

    def feed(self, w):
        w.set_unit("亿元")
        w.set_value(987.6)
        w.set_changes([("同比", 5.2)])


class TestProgressToTarget(WidgetContract):
    widget_class = widgets.ProgressToTarget

    def feed(self, w):
        w.set_unit("亿元")
        w.set_target(1000, "目标")
        w.set_value(640)


class TestBarChart(WidgetContract):
    widget_class = widgets.BarChart

    def feed(self, w):
        w.set_categories(["越城", "柯桥", "上虞"])
        w.set_values([12.0, 30.5, 22.1])


class TestShareChart(WidgetContract):
    widget_class = widgets.ShareChart

    def feed(self, w):
        w.set_parts([("印染", 40.0), ("纺织", 35.0), ("化纤", 25.0)])


class TestRankingBoard(WidgetContract):
    widget_class = widgets.RankingBoard

    def feed(self, w):
        w.set_rows([widgets.RankRow(f"k{i}", f"企业{'甲乙丙丁'[i]}", 100.0 - 10 * i) for i in range(4)])


class TestAlertTicker(WidgetContract):
    widget_class = widgets.AlertTicker

    def feed(self, w):
        w.set_alerts([widgets.TickerItem("a", 1_764_000_000_000, "alarm", "印染", "开机率过低")])


class TestDistrictTileMap(WidgetContract):
    widget_class = widgets.DistrictTileMap

    def feed(self, w):
        from widgets.district_map import shaoxing_areas

        w.set_areas(shaoxing_areas({"yuecheng": 12.0, "keqiao": 30.0}))


class TestChainMap(WidgetContract):
    widget_class = widgets.ChainMap

    def feed(self, w):
        from widgets.chain_map import sample_chain

        w.set_stages(sample_chain())


class TestQrCode(WidgetContract):
    widget_class = widgets.QrCode

    def feed(self, w):
        w.set_text("91330600MA2BCDEF1X")


class TestTrendChart(WidgetContract):
    widget_class = widgets.TrendChart
    # the empty axes' ticks (times of day, 0.2 … 0.8), not a value
    digits_without_data = staticmethod(lambda t: bool(re.fullmatch(r"\d\d[-:]\d\d|0\.\d", t)))

    def feed(self, w):
        i = w.add_series("产量")
        ts = np.arange(1_764_000_000, 1_764_000_600, 10, dtype=float)
        w.set_history(i, ts, 50 + 10 * np.sin(ts / 60))


def test_every_widget_has_its_contract():
    panels = {getattr(widgets, n) for n in widgets.__all__}
    panel_classes = {c for c in panels if isinstance(c, type) and issubclass(c, widgets.Panel)
                     and c not in (widgets.Panel, widgets.ScrollingRows)}
    covered = {c.widget_class for c in WidgetContract.__subclasses__()}
    assert panel_classes == covered, panel_classes ^ covered
