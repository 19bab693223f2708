"""Widgets judged by their pixels: grab to an image at a fixed size, count colours."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, QRect
from PySide6.QtGui import QFontMetrics

from tests.pixels import grab, near, pixels, show
from widgets import theme
from widgets.gauge import Gauge
from widgets.kpi_tile import KpiTile
from widgets.state import DataState
from widgets.trend_chart import TrendChart

SERIES = "#b388ff"  # a colour no frame or mark uses

LOOKS = [
    (DataState.LIVE, ""),
    (DataState.STALE, "数据过时 · 截至 14:32:05"),
    (DataState.OFFLINE, "离线 · 数据截至 14:32:05"),
    (DataState.NO_DATA, "等待数据"),
]


# ---- helpers ----------------------------------------------------------------------


class PaintRects(QObject):
    """Records the rectangle of every paint event of a widget."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def make_gauge(qtbot, value=None, **thresholds) -> Gauge:
    g = Gauge()
    qtbot.addWidget(g)
    g.set_title("印染开机率")
    g.set_unit("%")
    g.set_range(0, 100)
    g.set_precision(1)
    if thresholds:
        g.set_thresholds(**thresholds)
    g.set_value(value)
    return g


def make_tile(qtbot, *values) -> KpiTile:
    t = KpiTile()
    qtbot.addWidget(t)
    t.set_title("规上工业产值")
    t.set_unit("万元")
    t.set_precision(1)
    for v in values:
        t.set_value(v)
    return t


def make_chart(qtbot, window=100.0) -> TrendChart:
    c = TrendChart()
    qtbot.addWidget(c)
    c.set_title("印染开机率")
    c.add_series("开机率", SERIES)
    c.set_window(window)
    c.set_y_range(0, 100)
    return c


def assert_pairwise_different(images: list[np.ndarray]) -> None:
    for (i, a), (j, b) in itertools.combinations(enumerate(images), 2):
        assert not np.array_equal(a, b), f"state {LOOKS[i][0]} looks like {LOOKS[j][0]}"


# ---- fonts ------------------------------------------------------------------------


def test_cjk_font_has_chinese_glyphs(qapp):
    font = theme.pixel_font(24)
    fm = QFontMetrics(font)
    assert fm.inFontUcs4(ord("印")), f"no 印 in {theme.cjk_family()}"
    assert all(fm.inFontUcs4(ord(ch)) for ch in "染开机率—▲▼−")


def test_chinese_title_renders_glyphs_not_boxes(qtbot):
    def title_ink(title: str) -> np.ndarray:
        g = make_gauge(qtbot, 50)
        g.set_title(title)
        img = grab(g)
        return img[int(400 * 0.80) :, :]  # the title band at the bottom

    real = title_ink("印染开机率")
    missing = title_ink("\ue000\ue001\ue002\ue003\ue004")  # private-use code points: no glyph anywhere
    assert near(real, theme.NEUTRAL, 60).sum() > 150  # ink
    assert not np.array_equal(real, missing)


# ---- gauge ------------------------------------------------------------------------


def test_gauge_arc_follows_value(qtbot):
    low = grab(make_gauge(qtbot, 10))
    high = grab(make_gauge(qtbot, 90))
    n_low, n_high = near(low, theme.OK).sum(), near(high, theme.OK).sum()
    assert n_low > 100
    assert n_high > 5 * n_low
    # 10 %: only the start of the arc (bottom-left); 90 %: reaches round to the right side
    ys, xs = np.nonzero(near(low, theme.OK))
    assert xs.max() < 200 and ys.min() > 150
    ys, xs = np.nonzero(near(high, theme.OK))
    assert (xs > 300).sum() > 100


def test_gauge_alarm_turns_arc_red(qtbot):
    th = dict(warn_high=70, alarm_high=85)
    ok = grab(make_gauge(qtbot, 60, **th))
    alarm = grab(make_gauge(qtbot, 95, **th))
    red_ok, red_alarm = near(ok, theme.ALARM).sum(), near(alarm, theme.ALARM).sum()
    assert red_alarm > 4 * red_ok  # only the thin alarm band is red at 60
    assert near(alarm, theme.OK).sum() == 0
    warn = grab(make_gauge(qtbot, 75, **th))
    assert near(warn, theme.WARN).sum() > near(ok, theme.WARN).sum() * 3


def test_gauge_out_of_range_clamps_arc_shows_true_number(qtbot):
    full = make_gauge(qtbot, 100)
    over = make_gauge(qtbot, 150)
    assert over.value_text() == "150.0"
    a, b = grab(full), grab(over)
    assert near(a, theme.OK).sum() == pytest.approx(near(b, theme.OK).sum(), rel=0.02)
    assert not np.array_equal(a, b)  # the number differs


def test_gauge_states_look_different(qtbot):
    images = []
    for state, note in LOOKS:
        g = make_gauge(qtbot, 72.4)
        g.set_state(state, note)
        images.append(grab(g))
    assert_pairwise_different(images)


def test_gauge_no_data_hides_previous_value(qtbot):
    had = make_gauge(qtbot, 72.4)
    had.set_state(DataState.NO_DATA, "等待数据")
    never = make_gauge(qtbot, None)
    never.set_state(DataState.NO_DATA, "等待数据")
    assert had.value_text() == "—"
    assert np.array_equal(grab(had), grab(never))


def test_gauge_none_is_not_zero(qtbot):
    none = make_gauge(qtbot, 50)
    none.set_value(None)
    zero = make_gauge(qtbot, 0)
    fresh = make_gauge(qtbot, None)
    assert none.value_text() == "—" and zero.value_text() == "0.0"
    assert not np.array_equal(grab(none), grab(zero))
    assert np.array_equal(grab(none), grab(fresh))


def test_gauge_value_change_repaints_only_the_changed_part(qtbot):
    g = show(qtbot, make_gauge(qtbot, 50))
    spy = PaintRects(g)
    before = g.paint_count
    g.set_value(52)
    qtbot.waitUntil(lambda: g.paint_count > before)
    area = sum(r.width() * r.height() for r in spy.rects)
    assert 0 < area < 0.6 * g.width() * g.height()
    # an unchanged value and an unchanged state cause no paint
    spy.rects.clear()
    g.set_value(52)
    g.set_state(DataState.LIVE)
    qtbot.wait(30)
    assert spy.rects == []


def test_gauge_note_in_tooltip(qtbot):
    g = make_gauge(qtbot, 50)
    g.setToolTip("印染开机率 (dyeing.rate)")
    g.set_state(DataState.OFFLINE, "离线 · 数据截至 14:32:05")
    assert g.tooltip_text() == "印染开机率 (dyeing.rate)\n离线 · 数据截至 14:32:05"
    assert g.state() == DataState.OFFLINE and g.note().startswith("离线")


# ---- KPI tile ---------------------------------------------------------------------


def bottom_row(img: np.ndarray) -> np.ndarray:
    return img[int(img.shape[0] * 0.62) :, :]


def test_tile_arrows_and_colours(qtbot):
    up = make_tile(qtbot, 100.0, 101.2)
    up.set_up_is_good(True)
    down = make_tile(qtbot, 100.0, 99.6)
    down.set_up_is_good(True)
    assert up.delta_text() == "▲ +1.2"
    assert down.delta_text() == "▼ −0.4"
    size = (420, 200)
    up_img, down_img = bottom_row(grab(up, size)), bottom_row(grab(down, size))
    assert near(up_img, theme.OK).sum() > 40 and near(up_img, theme.ALARM).sum() == 0
    assert near(down_img, theme.ALARM).sum() > 40 and near(down_img, theme.OK).sum() == 0
    # up is bad: the same rise turns red
    up.set_up_is_good(False)
    assert near(bottom_row(grab(up, size)), theme.ALARM).sum() > 40
    # neutral
    up.set_up_is_good(None)
    img = bottom_row(grab(up, size))
    assert near(img, theme.NEUTRAL).sum() > 40 and near(img, theme.OK).sum() == 0


def test_tile_arrow_glyph_pixels_differ(qtbot):
    """▲ and ▼ are drawn (not just reported): the two renders differ where the arrow is."""
    a, b = make_tile(qtbot, 100.0, 101.2), make_tile(qtbot, 102.4, 101.2)
    a.set_up_is_good(None)
    b.set_up_is_good(None)
    ia, ib = bottom_row(grab(a, (420, 200))), bottom_row(grab(b, (420, 200)))
    ink_a, ink_b = near(ia, theme.NEUTRAL, 40), near(ib, theme.NEUTRAL, 40)
    ya, _ = np.nonzero(ink_a[:, :40])
    yb, _ = np.nonzero(ink_b[:, :40])
    assert len(ya) > 20 and len(yb) > 20
    # ▲ has its wide part low, ▼ high: compare the ink's mean row in the arrow column
    assert ya.mean() != pytest.approx(yb.mean(), abs=0.5)


def test_tile_formatting(qtbot):
    t = make_tile(qtbot, 1234567.891)
    t.set_precision(2)
    assert t.value_text() == "1,234,567.89"
    t.set_value(-0.001)
    assert t.value_text() == "0.00"  # never "-0.00"
    t.set_value(-1234.5)
    assert t.value_text() == "−1,234.50"
    first = make_tile(qtbot, 5)
    assert first.delta_text() == "—"  # no previous value
    first.set_value(5)
    assert first.delta_text() == "±0"  # no change: said, not a dash that reads as "unknown"


def test_tile_states_look_different(qtbot):
    images = []
    for state, note in LOOKS:
        t = make_tile(qtbot, 12345.6, 12890.4)
        t.set_state(state, note)
        images.append(grab(t, (480, 220)))
    assert_pairwise_different(images)


def test_tile_no_data_hides_previous_value_and_none_is_not_zero(qtbot):
    had = make_tile(qtbot, 12345.6, 12890.4)
    had.set_state(DataState.NO_DATA, "等待数据")
    never = make_tile(qtbot)
    never.set_state(DataState.NO_DATA, "等待数据")
    assert np.array_equal(grab(had, (480, 220)), grab(never, (480, 220)))
    none = make_tile(qtbot, 3.0, None)
    zero = make_tile(qtbot, 0.0)
    assert none.value_text() == "—"
    assert not np.array_equal(grab(none, (480, 220)), grab(zero, (480, 220)))
    assert np.array_equal(grab(none, (480, 220)), grab(make_tile(qtbot), (480, 220)))


def test_tile_paint_count_after_update(qtbot):
    t = show(qtbot, make_tile(qtbot, 1.0), (480, 220))
    before = t.paint_count
    t.set_value(2.0)
    qtbot.waitUntil(lambda: t.paint_count > before)


# ---- trend chart ------------------------------------------------------------------


def chart_pixels(chart: TrendChart) -> np.ndarray:
    chart.flush()
    return pixels(chart.grab().toImage())


def chart_items(chart: TrendChart, kind: type) -> list:
    """The chart's scene items of one pyqtgraph type (view box, curves, threshold lines)."""
    return [i for i in chart.plot_widget().scene().items() if isinstance(i, kind)]


def x_pixel(chart: TrendChart, ts: float, value: float = 50.0) -> tuple[int, int]:
    """Where a data point lands in chart coordinates."""
    plot = chart.plot_widget()
    (vb,) = chart_items(chart, pg.ViewBox)
    scene = vb.mapViewToScene(QPointF(ts, value))
    view = plot.mapFromScene(scene)
    p = plot.viewport().mapTo(chart, view)
    return p.x(), p.y()


def in_plot(chart: TrendChart, img: np.ndarray) -> np.ndarray:
    """The part of a chart image inside the plot (below the header with its legend)."""
    g = chart.plot_widget().geometry()
    return img[g.top() : g.bottom() + 1, g.left() : g.right() + 1]


def test_chart_curve_drawn_in_series_colour(qtbot):
    c = show(qtbot, make_chart(qtbot), (600, 400))
    assert near(in_plot(c, chart_pixels(c)), SERIES, 20).sum() == 0
    for t in range(100):
        c.append(0, 1000.0 + t, 50 + 20 * math.sin(t / 10))
    img = in_plot(c, chart_pixels(c))
    assert near(img, SERIES, 20).sum() > 600


def test_chart_gap_leaves_no_curve(qtbot):
    c = show(qtbot, make_chart(qtbot), (600, 400))
    for t in range(100):
        c.append(0, 1000.0 + t, None if 40 <= t < 60 else 50.0)
    img = chart_pixels(c)
    ink = near(img, SERIES, 20)
    x_a, y50 = x_pixel(c, 1000 + 15)
    x_b, _ = x_pixel(c, 1000 + 30)
    x_gap0, _ = x_pixel(c, 1000 + 42)
    x_gap1, _ = x_pixel(c, 1000 + 57)
    rows = slice(y50 - 4, y50 + 5)
    assert ink[rows, x_a:x_b].sum() >= 0.9 * (x_b - x_a)  # line before the gap
    assert ink[rows, x_gap0:x_gap1].sum() == 0  # nothing inside it


def test_chart_ring_buffer_wraps_in_time_order(qtbot):
    c = TrendChart(capacity=10)
    qtbot.addWidget(c)
    i = c.add_series("s")
    for t in range(25):
        c.append(i, float(t), float(t) * 2)
    xs, ys = c.series_data(i)
    assert xs.tolist() == [float(t) for t in range(15, 25)]
    assert ys.tolist() == [2.0 * t for t in range(15, 25)]
    c.set_history(i, np.arange(30.0)[::-1], np.arange(30.0)[::-1])  # unsorted, more than capacity
    xs, ys = c.series_data(i)
    assert xs.tolist() == [float(t) for t in range(20, 30)]
    c.append(i, 10.0, 1.0)  # older than the newest point: ignored
    c.append(i, 29.0, -1.0)  # same time: replaces
    xs, ys = c.series_data(i)
    assert xs[-1] == 29.0 and ys[-1] == -1.0 and len(xs) == 10
    c.set_capacity(5)
    assert c.series_data(i)[0].tolist() == [25.0, 26.0, 27.0, 28.0, 29.0]


def test_chart_ring_buffer_curve_after_wrap(qtbot):
    c = TrendChart(capacity=50)
    c.add_series("s", SERIES)
    c.set_window(1000)
    c.set_y_range(0, 100)
    show(qtbot, c, (600, 400))
    for t in range(130):
        c.append(0, float(t), 80.0 if t < 100 else 20.0)
    img = chart_pixels(c)
    _, y80 = x_pixel(c, 100, 80)
    _, y20 = x_pixel(c, 100, 20)
    xl, _ = x_pixel(c, 85)
    xr, _ = x_pixel(c, 95)
    ink = near(img, SERIES, 20)
    assert ink[y80 - 3 : y80 + 4, xl:xr].sum() > 0  # t 80..99 kept
    x0, _ = x_pixel(c, 10)
    x1, _ = x_pixel(c, 70)
    _, y100 = x_pixel(c, 10, 100)
    _, y0 = x_pixel(c, 10, 0)
    assert ink[y100:y0, x0:x1].sum() == 0  # t < 80 fell out of the ring


def test_chart_rolling_window_drops_old_points(qtbot):
    c = show(qtbot, make_chart(qtbot, window=50), (600, 400))
    for t in range(200):
        c.append(0, t + 0.1, 90.0 if t < 100 else 10.0)
    img = chart_pixels(c)
    lo, hi = c.x_range()
    # the right edge is the newest point, rounded up to a step of 1/200 of the window
    assert 199.1 <= hi <= 199.1 + 50 / 200 and hi - lo == pytest.approx(50)
    _, y90 = x_pixel(c, 180, 90)
    _, y10 = x_pixel(c, 180, 10)
    ink = near(img, SERIES, 20)
    assert ink[y10 - 3 : y10 + 4].sum() > 300
    assert ink[y90 - 3 : y90 + 4].sum() == 0


def test_chart_states_look_different(qtbot):
    images = []
    for state, note in LOOKS:
        c = make_chart(qtbot)
        for t in range(100):
            c.append(0, 1000.0 + t, 70.0)
        c.set_state(state, note)
        c.resize(600, 400)
        images.append(chart_pixels(c))
    assert_pairwise_different(images)
    assert near(in_plot(c, images[0]), SERIES, 20).sum() > 600
    # not live: the curve is dimmed or grey, never in the live colour
    for img in images[1:]:
        assert near(in_plot(c, img), SERIES, 20).sum() == 0
    # no data: no curve at all along the row where it was
    x0, y70 = x_pixel(c, 1005, 70)
    x1, _ = x_pixel(c, 1095, 70)
    band = images[3][y70 - 3 : y70 + 4, x0:x1]
    assert near(band, theme.PANEL, 4).all()
    assert not near(images[2][y70 - 3 : y70 + 4, x0:x1], theme.PANEL, 4).all()


def test_chart_coalesces_appends_and_skips_hidden(qtbot):
    c = make_chart(qtbot)
    (item,) = chart_items(c, pg.PlotDataItem)
    calls = []
    real = item.setData
    item.setData = lambda *a, **k: (calls.append(1), real(*a, **k))
    c.resize(600, 400)
    for t in range(100):  # hidden: nothing handed to pyqtgraph
        c.append(0, float(t), 50.0)
    qtbot.wait(30)
    assert calls == []
    c.show()
    qtbot.waitExposed(c)
    qtbot.waitUntil(lambda: len(calls) == 1)
    for t in range(100, 200):
        c.append(0, float(t), 50.0)
    qtbot.waitUntil(lambda: len(calls) == 2)
    qtbot.wait(30)
    assert len(calls) == 2  # 100 appends, one setData


def test_chart_paint_count_after_update(qtbot):
    c = show(qtbot, make_chart(qtbot), (600, 400))
    qtbot.wait(20)
    before = c.paint_count
    c.append(0, 1000.0, 50.0)
    c.append(0, 1001.0, 55.0)
    qtbot.waitUntil(lambda: c.paint_count > before)


def test_chart_auto_y_range_follows_data(qtbot):
    c = make_chart(qtbot)
    c.set_y_range()  # auto
    for t in range(50):
        c.append(0, float(t), 1000.0 + t)
    c.flush()
    lo, hi = c.y_range()
    assert lo <= 1000.0 and hi >= 1049.0 and hi - lo < 200


def test_chart_threshold_label_is_plain_text(qtbot):
    c = make_chart(qtbot)
    c.add_threshold(80, "warn", "<b>{value}</b> 告警")
    (line,) = [i for i in chart_items(c, pg.InfiniteLine) if getattr(i, "label", None) is not None]
    assert line.label.toPlainText() == "<b>{value}</b> 告警"


TZ_CHILD = """
import time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from widgets.trend_chart import TrendChart
c = TrendChart()
c.add_series("s")
c.set_window(6 * 3600)
t0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC, 06:13:20 in Shanghai
for k in range(7):
    c.append(0, t0 + k * 3600, 1.0)
c.resize(800, 400)
c.flush()
c.grab()  # the axis measures its labels while painting
import pyqtgraph as pg
(ax,) = [i for i in c.plot_widget().scene().items() if isinstance(i, pg.DateAxisItem)]
lo, hi = c.x_range()
for spacing, values in ax.tickValues(lo, hi, 700):
    if spacing == 3600 and values:
        got = ax.tickStrings(values, 1.0, spacing)
        want = [time.strftime("%H:%M", time.localtime(v)) for v in values]
        utc = [time.strftime("%H:%M", time.gmtime(v)) for v in values]
        assert got == want != utc, (got, want, utc)
        print("ok", got)
        break
else:
    raise SystemExit("no hour ticks")
day = ax.tickStrings([t0], 1.0, 24 * 3600)
assert day == ["11-15"], day  # numeric local date, not "Wed 15"
"""


def test_chart_time_axis_is_local_time() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, TZ="Asia/Shanghai", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    proc = subprocess.run(
        [sys.executable, "-c", TZ_CHILD], capture_output=True, text=True, timeout=60, env=env, cwd=root
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stdout + proc.stderr


def test_tile_change_line_says_what_it_compares_with(qtbot) -> None:  # noqa: ANN001
    """#11: an unlabelled "▲ +1" reads like a 同比; the tile names the comparison or drops it."""
    from widgets.kpi_tile import KpiTile

    t = KpiTile()
    qtbot.addWidget(t)
    t.set_precision(0)
    t.set_value(10)
    t.set_value(11)
    assert t.delta_text() == "▲ +1"
    t.set_change_label("较上次")
    assert t.delta_text() == "较上次 ▲ +1"
    t.set_change_label(None)
    assert t.delta_text() == ""
