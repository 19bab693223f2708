"""Bar chart and big number judged by what they draw."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QRect, QRectF

from tests.pixels import grab, near, pixels, show
from widgets import theme
from widgets.bar_chart import BarChart
from widgets.big_number import BigNumber
from widgets.state import DataState

LOOKS = [
    (DataState.LIVE, ""),
    (DataState.STALE, "数据过时 · 截至 14:32:05"),
    (DataState.OFFLINE, "离线 · 数据截至 14:32:05"),
    (DataState.NO_DATA, "等待数据"),
]
DISTRICTS = ["柯桥区", "越城区", "上虞区", "诸暨市", "嵊州市", "新昌县"]


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


def make_chart(qtbot, values, categories=None, orientation="v") -> BarChart:
    c = BarChart()
    qtbot.addWidget(c)
    c.set_title("各区县规上工业产值")
    c.set_unit("亿元")
    c.set_precision(1)
    c.set_orientation(orientation)
    c.set_categories(categories if categories is not None else DISTRICTS[: len(values)])
    c.set_values(values)
    return c


def make_big(qtbot, value=None, animated=False) -> BigNumber:
    b = BigNumber()
    qtbot.addWidget(b)
    b.set_animated(animated)
    b.set_title("全市规上工业产值 · 本年累计")
    b.set_unit("亿元")
    b.set_precision(1)
    b.set_up_is_good(True)
    b.set_value(value)
    return b


def columns(img: np.ndarray, r: QRectF) -> np.ndarray:
    """The image columns of a rectangle, over the full height."""
    return img[:, int(r.left()) : int(r.right()) + 1]


def rows_of(img: np.ndarray, r: QRectF) -> np.ndarray:
    return img[int(r.top()) : int(r.bottom()) + 1, :]


def assert_pairwise_different(images: list[np.ndarray]) -> None:
    for (i, a), (j, b) in itertools.combinations(enumerate(images), 2):
        assert not np.array_equal(a, b), f"state {LOOKS[i][0]} looks like {LOOKS[j][0]}"


def boxes_disjoint(rects: list[QRectF]) -> bool:
    shown = [r for r in rects if not r.isEmpty()]
    return not any(a.intersects(b) for a, b in itertools.combinations(shown, 2))


# ---- bar chart ----------------------------------------------------------------------


@pytest.mark.parametrize("orientation", ["v", "h"])
def test_bar_length_follows_value(qtbot, orientation):
    c = make_chart(qtbot, [80.0, 20.0], orientation=orientation)
    img = grab(c, (800, 450))
    a, b = c.bar_rect(0), c.bar_rect(1)
    part = columns if orientation == "v" else rows_of
    ink_a = near(part(img, a), theme.ACCENT, 16).sum()
    ink_b = near(part(img, b), theme.ACCENT, 16).sum()
    assert ink_b > 100
    assert 3.3 < ink_a / ink_b < 4.7
    if orientation == "v":
        assert a.height() == pytest.approx(4 * b.height(), rel=0.03) and a.bottom() == pytest.approx(
            b.bottom()
        )
    else:
        assert a.width() == pytest.approx(4 * b.width(), rel=0.03) and a.left() == pytest.approx(b.left())


def test_bar_value_labels_with_unit_and_dash_for_unknown(qtbot):
    c = make_chart(qtbot, [1003.26, None, float("nan"), 0.0, -12.5])
    c.resize(800, 450)
    assert c.value_labels() == ["1,003.3 亿元", "—", "—", "0.0 亿元", "−12.5 亿元"]
    assert not c.unit_in_header()
    assert c.bar_rect(1).isEmpty() and c.bar_rect(2).isEmpty()
    assert c.values()[2] is None


def test_bar_none_is_not_zero(qtbot):
    none = make_chart(qtbot, [50.0, None])
    zero = make_chart(qtbot, [50.0, 0.0])
    assert none.value_labels()[1] == "—" and zero.value_labels()[1] == "0.0 亿元"
    assert not np.array_equal(grab(none, (800, 450)), grab(zero, (800, 450)))


def test_bar_limit_turns_only_bars_beyond_it_alarm(qtbot):
    c = make_chart(qtbot, [50.0, 120.0, 90.0])
    c.set_limit(100.0, "排放限值")
    img = grab(c, (800, 450))
    alarm = [near(columns(img, c.bar_rect(i)), theme.ALARM, 16).sum() for i in range(3)]
    assert alarm[1] > 500
    assert alarm[0] == 0 and alarm[2] == 0
    # the limit line itself: dashed, across the plot, at 100
    plot = c.plot_rect()
    y = round(c.bar_rect(1).bottom() - c.bar_rect(1).height() * 100 / 120)
    line = near(img[y - 2 : y + 3, plot.left() : plot.right()], theme.WARN, 30).any(axis=0)
    assert 0.3 < line.mean() < 0.95
    c.set_limit(None)
    assert near(grab(c, (800, 450)), theme.ALARM, 16).sum() == 0


def test_bar_compare_series_thinner_and_dimmer(qtbot):
    c = make_chart(qtbot, [80.0, 60.0, 40.0])
    c.set_compare([70.0, 65.0, None], "去年同期")
    img = grab(c, (800, 450))
    main, comp = c.bar_rect(0), c.bar_rect(0, compare=True)
    assert 0 < comp.width() < main.width() * 0.7
    assert not main.intersects(comp)
    assert c.bar_rect(2, compare=True).isEmpty()
    comp_ink = near(columns(img, comp), theme.blend(theme.ACCENT, theme.PANEL, 0.55), 10).sum()
    assert comp_ink > 200
    assert near(columns(img, comp), theme.ACCENT, 10).sum() < 0.1 * comp_ink
    # the value label stays clear of the (taller) compare bar
    c.set_compare([70.0, 90.0, 10.0], "去年同期")
    c.resize(800, 450)
    labels = c.value_label_rects()
    bars = [c.bar_rect(i) for i in range(3)] + [c.bar_rect(i, True) for i in range(3)]
    assert all(not lab.intersects(b) for lab in labels for b in bars if not lab.isEmpty())


def test_bar_states_look_different_and_no_data_shows_no_number(qtbot):
    images = []
    for state, note in LOOKS:
        c = make_chart(qtbot, [80.0, 60.0, 40.0])
        c.set_limit(70, "目标")
        c.set_state(state, note)
        images.append(grab(c, (800, 450)))
    assert_pairwise_different(images)
    for img in images[1:]:  # not live: never the live bar colour
        assert near(img, theme.ACCENT, 8).sum() < 50
    had = make_chart(qtbot, [80.0, 60.0, 40.0])
    had.set_limit(70, "目标")
    had.set_state(DataState.NO_DATA, "等待数据")
    never = make_chart(qtbot, [None, None, None])
    never.set_limit(70, "目标")
    never.set_state(DataState.NO_DATA, "等待数据")
    assert all(not any(ch.isdigit() for ch in t) for t in had.value_labels())
    assert np.array_equal(grab(had, (800, 450)), grab(never, (800, 450)))


@pytest.mark.parametrize("orientation", ["v", "h"])
def test_bar_crowded_labels_never_overlap(qtbot, orientation):
    cats = [f"绍兴某某印染有限公司{i}号厂" for i in range(30)]
    c = make_chart(qtbot, [10.0 + 7 * (i % 9) for i in range(30)], cats, orientation)
    c.resize(600, 300)
    labels = c.category_labels()
    rects = c.category_label_rects()
    assert boxes_disjoint(rects)
    assert boxes_disjoint(c.value_label_rects())
    shown = [t for t in labels if t]
    assert len(shown) >= 5
    assert all(t == full or t.endswith("…") for t, full in zip(labels, cats, strict=True) if t)
    inside = QRectF(c.rect())
    assert all(inside.contains(r) for r in rects if not r.isEmpty())
    if orientation == "v":  # the unit does not fit each label: it moves to the header
        assert c.unit_in_header() and all("亿元" not in t for t in c.value_labels())


def test_bar_few_categories_full_labels(qtbot):
    c = make_chart(qtbot, [5.0, 4.0, 3.0, 2.0, 1.0, 0.5])
    c.resize(800, 450)
    assert c.category_labels() == DISTRICTS
    assert boxes_disjoint(c.category_label_rects())


def test_bar_scales_with_size(qtbot):
    c = make_chart(qtbot, [5.0, 4.0, 3.0])
    c.resize(800, 450)
    h1 = c.category_label_rects()[0].height()
    c.resize(1600, 900)
    h2 = c.category_label_rects()[0].height()
    assert h2 == pytest.approx(2 * h1, rel=0.1)


def test_bar_chinese_renders_glyphs_not_boxes(qtbot):
    def label_ink(name: str) -> np.ndarray:
        c = make_chart(qtbot, [5.0], [name])
        img = grab(c, (800, 450))
        r = c.category_label_rects()[0].toAlignedRect()
        return img[r.top() : r.bottom(), r.left() : r.right()]

    real = label_ink("柯桥区印染")
    missing = label_ink("\ue000\ue001\ue002\ue003\ue004")
    assert near(real, theme.TEXT_DIM, 50).sum() > 100
    assert real.shape != missing.shape or not np.array_equal(real, missing)


def test_bar_odd_input_does_not_crash(qtbot):
    c = BarChart()
    qtbot.addWidget(c)
    for size in ((0, 0), (1, 1), (50, 30), (3840, 2160)):
        c.resize(*size)
        c.grab()
    c.set_categories(["甲", "乙", "丙"])
    c.set_values([1.0])  # fewer values than categories: the rest unknown
    assert c.value_labels() == ["1", "—", "—"]
    c.set_values([None, None, None])
    c.set_compare([float("inf"), None])
    c.set_limit(float("nan"))
    c.grab()
    c.set_categories([])
    c.set_values([3.0, -2.0])  # values without names
    c.resize(300, 200)
    c.grab()
    assert c.category_labels() == ["", ""]
    c.set_orientation("h")
    c.set_categories(["名" * 300] * 200)
    c.set_values([float(i) for i in range(200)])
    c.grab()
    with pytest.raises(ValueError):
        c.set_orientation("x")


def test_bar_tooltip_plain_text(qtbot):
    c = make_chart(qtbot, [5.0, 4.0], ["<b>柯桥</b>", "越城"])
    c.set_compare([4.0, None], "去年同期")
    c.resize(800, 450)
    tip = c.tooltip_at(c.bar_rect(0).center())
    assert tip.splitlines() == ["<b>柯桥</b>", "5.0 亿元", "去年同期 4.0 亿元"]


# ---- big number ---------------------------------------------------------------------


def number_band(b: BigNumber, img: np.ndarray) -> np.ndarray:
    h = img.shape[0]
    return img[int(h * 0.22) : int(h * 0.72)]


def test_big_number_text_and_changes(qtbot):
    b = make_big(qtbot, 1003.26)
    b.set_changes([("同比", 18.0), ("环比", -1.2), ("定基", None), ("持平", 0.01)])
    assert b.value_text() == "1,003.3"
    assert b.changes_text() == "同比 ▲18.0%  环比 ▼1.2%  定基 —  持平 0.0%"
    b.set_value(float("nan"))
    assert b.value_text() == "—" and b.changes_text() == ""


def test_big_number_change_colours_follow_convention(qtbot):
    b = make_big(qtbot, 1003.3)
    b.set_changes([("同比", 18.0)])
    up = grab(b, (600, 300))
    b.set_changes([("同比", -18.0)])
    down = grab(b, (600, 300))
    assert near(up, theme.OK, 20).sum() > 40 and near(up, theme.ALARM, 20).sum() == 0
    assert near(down, theme.ALARM, 20).sum() > 40 and near(down, theme.OK, 20).sum() == 0
    theme.set_change_convention("market")
    try:
        b.set_changes([("同比", 18.0)])
        b.update()
        market_up = grab(b, (600, 300))
        assert near(market_up, theme.ALARM, 20).sum() > 40 and near(market_up, theme.OK, 20).sum() == 0
    finally:
        theme.set_change_convention("status")


def test_big_number_animates_to_new_value(qtbot):
    b = make_big(qtbot, 1000.0, animated=True)
    show(qtbot, b, (600, 300))
    final = make_big(qtbot, 2000.0)
    final_img = grab(final, (600, 300))
    b.set_value(2000.0)
    assert b.value_text() == "2,000.0"  # the target at once
    assert b.is_animating()
    qtbot.wait(150)
    mid_text = b.shown_text()
    mid_img = pixels(b.grab().toImage())
    assert mid_text not in ("1,000.0", "2,000.0")
    assert 1000.0 < float(mid_text.replace(",", "")) < 2000.0
    assert not np.array_equal(mid_img, final_img)
    qtbot.waitUntil(lambda: not b.is_animating(), timeout=1500)
    assert b.shown_text() == b.value_text() == "2,000.0"
    assert np.array_equal(pixels(b.grab().toImage()), final_img)


def test_big_number_repaints_only_while_animating(qtbot):
    b = make_big(qtbot, 1000.0, animated=True)
    b.set_changes([("同比", 3.0)])
    show(qtbot, b, (600, 300))
    spy = PaintRects(b)
    b.set_value(1500.0)
    qtbot.waitUntil(lambda: not b.is_animating(), timeout=1500)
    qtbot.wait(40)  # the final frame's paint
    frames = len(spy.rects)
    assert 8 <= frames <= 60  # ~600 ms at 30-60 fps
    num_h = 0.6 * b.height()
    assert all(r.height() < num_h for r in spy.rects)  # the number row only
    spy.rects.clear()
    qtbot.wait(150)
    assert spy.rects == []  # idle after the animation
    before = b.paint_count
    b.set_value(1500.0)  # the same value: nothing at all
    b.set_changes([("同比", 3.0)])
    b.set_state(DataState.LIVE)
    qtbot.wait(100)
    assert b.paint_count == before and not b.is_animating()


def test_big_number_not_animated_jumps(qtbot):
    b = make_big(qtbot, 1000.0, animated=False)
    show(qtbot, b, (600, 300))
    b.set_value(1234.5)
    assert not b.is_animating() and b.shown_text() == "1,234.5"
    b.set_animated(True)
    b.set_value(1300.0)
    assert b.is_animating()
    b.set_animated(False)  # stops at the target
    assert not b.is_animating() and b.shown_text() == "1,300.0"


def test_big_number_states_look_different_and_no_data_shows_dash(qtbot):
    images = []
    for state, note in LOOKS:
        b = make_big(qtbot, 1003.3)
        b.set_changes([("同比", 18.0), ("环比", -1.2)])
        b.set_state(state, note)
        images.append(grab(b, (600, 300)))
    assert_pairwise_different(images)
    had = make_big(qtbot, 1003.3)
    had.set_changes([("同比", 18.0)])
    had.set_state(DataState.NO_DATA, "等待数据")
    never = make_big(qtbot, None)
    never.set_state(DataState.NO_DATA, "等待数据")
    assert had.value_text() == "—" and had.changes_text() == ""
    assert np.array_equal(grab(had, (600, 300)), grab(never, (600, 300)))
    none = make_big(qtbot, 5.0)
    none.set_value(None)
    zero = make_big(qtbot, 0.0)
    assert none.value_text() == "—" and zero.value_text() == "0.0"
    assert not np.array_equal(grab(none, (600, 300)), grab(zero, (600, 300)))


def test_big_number_scales_with_size(qtbot):
    def ink_height(size) -> int:
        b = make_big(qtbot, 1003.3)
        img = grab(b, size)
        ys = np.nonzero(near(img, theme.TEXT, 30).any(axis=1))[0]
        return int(ys.max() - ys.min())

    small, big = ink_height((600, 300)), ink_height((1200, 600))
    assert small > 60
    assert big == pytest.approx(2 * small, rel=0.08)


def test_big_number_odd_input_does_not_crash(qtbot):
    b = make_big(qtbot, 1e300)
    for size in ((0, 0), (1, 1), (40, 20), (3840, 2160)):
        b.resize(*size)
        b.grab()
    b.set_value(-1e-9)
    assert b.value_text() == "0.0"
    b.set_changes([("很长很长的对比项名称" * 10, 1e12)] * 5)
    b.resize(300, 150)
    b.grab()


def test_bar_unit_in_the_header_is_named_in_the_ui_language(qtbot):
    cats = [f"绍兴某某印染有限公司{i}号厂" for i in range(30)]
    c = make_chart(qtbot, [10.0 + 7 * (i % 9) for i in range(30)], cats)
    c.resize(600, 300)
    assert c.unit_in_header() and "单位：亿元" in c.legend_texts()
    c.set_unit_caption("Unit: {unit}")
    assert "Unit: 亿元" in c.legend_texts() and not any("单位" in t for t in c.legend_texts())
    with pytest.raises(ValueError):
        c.set_unit_caption("Unit")
