"""Share chart, chain map, district tile map and progress-to-target, judged by what they draw."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QRectF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from tests.pixels import grab, near, show
from widgets import theme
from widgets.chain_map import LABELS_EN, ChainLink, ChainMap, ChainStage
from widgets.district_map import Area, DistrictTileMap, shaoxing_areas
from widgets.progress_target import ProgressToTarget
from widgets.share_chart import ShareChart
from widgets.state import DataState

LOOKS = [
    (DataState.LIVE, ""),
    (DataState.STALE, "数据过时 · 截至 14:32:05"),
    (DataState.OFFLINE, "离线 · 数据截至 14:32:05"),
    (DataState.NO_DATA, "等待数据"),
]
S0, S1, S2 = theme.SERIES_COLORS[:3]
PARTS = [("化学药", 55), ("中药", 26), ("生物药", 9), ("原料药", 41), ("医疗器械", 215)]
YEARS = [str(y) for y in range(2015, 2027)]


def crop(img: np.ndarray, r: QRectF, inset: float = 0.0) -> np.ndarray:
    r = r.adjusted(inset, inset, -inset, -inset)
    return img[
        max(0, int(r.top())) : int(math.ceil(r.bottom())), max(0, int(r.left())) : int(math.ceil(r.right()))
    ]


def luminance(c: np.ndarray) -> float:
    return float(0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2])


def paint_at(widget, size) -> None:
    """Lay out and paint at a size, zero included (an empty grab has no pixels to read)."""
    widget.resize(*size)
    pm = widget.grab()
    assert pm.isNull() == (size[0] * size[1] == 0)


def assert_pairwise_different(images: list[np.ndarray]) -> None:
    for (i, a), (j, b) in itertools.combinations(enumerate(images), 2):
        assert not np.array_equal(a, b), f"state {LOOKS[i][0]} looks like {LOOKS[j][0]}"


def assert_disjoint(rects: list[QRectF]) -> None:
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b), f"{a} overlaps {b}"


# ---- share chart: donut ---------------------------------------------------------------


def make_donut(qtbot, parts=PARTS) -> ShareChart:
    c = ShareChart()
    qtbot.addWidget(c)
    c.set_title("医药企业类型构成")
    c.set_unit("家")
    c.set_parts(parts)
    return c


def test_donut_segment_area_follows_value(qtbot):
    c = make_donut(qtbot, [("甲", 100), ("乙", 200)])
    img = grab(c, (700, 420))
    ring = crop(img, c.ring_rect())
    a, b = near(ring, S0).sum(), near(ring, S1).sum()
    assert a > 2000
    assert b / a == pytest.approx(2.0, rel=0.06)
    assert c.center_text() == "300"
    assert c.legend_texts() == [("甲", "100", "33.3%"), ("乙", "200", "66.7%")]


def test_donut_unknown_part_is_a_dash_not_a_segment(qtbot):
    c = make_donut(qtbot, [("甲", 100), ("乙", None), ("丙", float("nan")), ("丁", 100)])
    img = grab(c, (700, 420))
    assert c.legend_texts() == [
        ("甲", "100", "50.0%"),
        ("乙", "—", "—"),
        ("丙", "—", "—"),
        ("丁", "100", "50.0%"),
    ]
    assert near(img, S1).sum() == 0 and near(img, S2).sum() == 0  # no segment, a hollow swatch
    ring = crop(img, c.ring_rect())
    assert near(ring, S0).sum() == pytest.approx(near(ring, theme.SERIES_COLORS[3]).sum(), rel=0.05)
    assert c.center_text() == "200"  # the known parts; an unknown one is not a zero
    assert c.center_caption() == "已知合计"
    c.set_total_captions("Total", "Known total")
    assert c.center_caption() == "Known total"


def test_donut_legend_beside_when_wide_below_when_tall_never_over_ring(qtbot):
    long = "医疗器械与高端医用耗材及体外诊断试剂生产企业"
    c = make_donut(qtbot, [(long, 215)] + PARTS[:4])
    grab(c, (700, 400))
    ring, legend = c.ring_rect(), c.legend_rect()
    assert legend.left() >= ring.right() and not legend.intersects(ring)
    name = c.legend_texts()[0][0]
    assert name != long and name.endswith("…")
    grab(c, (320, 620))
    ring, legend = c.ring_rect(), c.legend_rect()
    assert legend.top() >= ring.bottom() and not legend.intersects(ring)
    assert ring.width() > 200
    assert QRectF(0, 0, 320, 620).contains(legend)


def test_donut_crowded_legend_rows_fit(qtbot):
    parts = [(f"类别{i}", i + 1) for i in range(40)]
    c = make_donut(qtbot, parts)
    grab(c, (420, 260))
    rows = c.legend_texts()
    assert rows[-1][0].startswith("+")  # "+N" for the parts that do not fit
    assert len(rows) < 40 and not c.legend_rect().intersects(c.ring_rect())


# ---- share chart: stacked area --------------------------------------------------------


def make_area(qtbot, series, labels=None) -> ShareChart:
    c = ShareChart()
    qtbot.addWidget(c)
    c.set_mode("area")
    c.set_title("三缸 / 三片 产值占比")
    c.set_x_labels(labels if labels is not None else [str(2020 + i) for i in range(len(series[0][1]))])
    c.set_series(series)
    return c


def test_area_normalises_each_x_to_100(qtbot):
    c = make_area(qtbot, [("三缸", [10.0, 20, 30, 40]), ("三片", [30.0, 60, 90, 120])])
    img = crop(grab(c, (700, 420)), c.plot_rect(), 2)
    a, b = near(img, S0).sum(), near(img, S1).sum()
    assert a > 3000 and b / a == pytest.approx(3.0, rel=0.06)
    assert [row[1:] for row in c.legend_texts()] == [("", "25%"), ("", "75%")]
    c.set_normalise(False)
    c.set_series([("三缸", [10.0] * 4), ("三片", [30.0] * 4)])  # already shares: 40 % filled
    img = crop(grab(c, (700, 420)), c.plot_rect(), 2)
    filled = near(img, S0).sum() + near(img, S1).sum()
    assert filled / img[..., 0].size == pytest.approx(0.4, abs=0.03)


def test_area_unknown_value_is_a_gap_not_zero(qtbot):
    gap = make_area(qtbot, [("甲", [50.0, 50, None, 50, 50]), ("乙", [50.0] * 5)])
    zero = make_area(qtbot, [("甲", [50.0, 50, 0, 50, 50]), ("乙", [50.0] * 5)])
    ig, iz = grab(gap, (700, 420)), grab(zero, (700, 420))
    p = gap.plot_rect()
    x2 = int(p.left() + p.width() / 2)  # the third of five x
    col_g = ig[int(p.top()) + 2 : int(p.bottom()) - 2, x2 - 3 : x2 + 4]
    col_z = iz[int(p.top()) + 2 : int(p.bottom()) - 2, x2 - 3 : x2 + 4]
    assert near(col_g, S0).sum() + near(col_g, S1).sum() == 0
    assert near(col_z, S1).sum() > 0.9 * col_z[..., 0].size  # zero: 乙 is 100 % there
    assert gap.shares()[0][2] is None and zero.shares()[0][2] == 0.0


def test_area_y_axis_and_latest_share_at_right_edge(qtbot):
    modern = [31.0, 33.5, 35.2, 37.9, 40.1, 42.6, 45.3, 47.8, 50.2, 52.9, 55.1, 57.4]
    c = make_area(qtbot, [("三缸", [100 - m for m in modern]), ("三片", modern)], YEARS)
    c.set_precision(1)
    img = grab(c, (700, 420))
    assert c.y_label_texts() == ["0%", "25%", "50%", "75%", "100%"]
    assert [r[2] for r in c.legend_texts()] == ["42.6%", "57.4%"]
    # the end labels are drawn right of the plot, in the series colours
    right = img[:, int(c.plot_rect().right()) + 3 :]
    assert near(right, S0, 40).sum() > 30 and near(right, S1, 40).sum() > 30


def test_area_x_labels_skip_when_crowded(qtbot):
    labels = [f"{y}年" for y in range(1990, 2027)]
    c = make_area(qtbot, [("甲", [1.0] * len(labels)), ("乙", [2.0] * len(labels))], labels)
    grab(c, (420, 300))
    shown = c.x_label_texts()
    assert 2 <= len(shown) < len(labels)
    assert shown[-1][0] == "2026年"  # the latest is always labelled
    assert_disjoint([r for _, r in shown])
    grab(c, (1400, 840))
    assert len(c.x_label_texts()) > len(shown)


def test_share_chart_input_checks(qtbot):
    c = ShareChart()
    qtbot.addWidget(c)
    c.set_x_labels(["2024", "2025", "2026"])
    with pytest.raises(ValueError, match="2 values but there are 3 x labels"):
        c.set_series([("甲", [1.0, 2.0])])
    with pytest.raises(ValueError, match="negative"):
        c.set_parts([("甲", -1)])
    with pytest.raises(ValueError, match="mode"):
        c.set_mode("pie")
    c.set_series([("甲", [1.0, 2.0, 3.0])])
    c.set_x_labels(["2025", "2026"])  # another axis: the old series are dropped
    assert c.shares() == []


@pytest.mark.parametrize("mode", ["donut", "area"])
def test_share_chart_states_and_no_data(qtbot, mode):
    def make(scale: float) -> ShareChart:
        if mode == "donut":
            return make_donut(qtbot, [(n, v * scale) for n, v in PARTS])
        return make_area(qtbot, [("三缸", [60.0, 55, 50]), ("三片", [40.0, 45, 50 * scale])])

    images = []
    for state, note in LOOKS:
        c = make(1.0)
        c.set_state(state, note)
        images.append(grab(c, (600, 380)))
    assert_pairwise_different(images)
    other = make(2.0)
    other.set_state(*LOOKS[3])
    assert np.array_equal(images[3], grab(other, (600, 380)))  # no data: no number of the data
    if mode == "donut":
        assert other.center_text() == "—" and all(r[1:] == ("—", "—") for r in other.legend_texts())
    # not live: no segment or band in the live colours
    for img in images[1:]:
        assert near(img, S0, 6).sum() == 0


def test_share_chart_odd_input_does_not_crash(qtbot):
    for mode in ("donut", "area"):
        c = ShareChart()
        qtbot.addWidget(c)
        c.set_mode(mode)
        for size in ((0, 0), (1, 1), (50, 30), (700, 420)):
            paint_at(c, size)
        c.set_parts([])
        c.set_parts([("零", 0), ("也零", 0.0)])
        c.set_x_labels([])
        c.set_series([])
        c.set_x_labels(["2026"])
        c.set_series([("甲", [float("inf")]), ("乙", [None])])
        grab(c, (300, 200))
        c.set_series([("甲", [1.0]), ("乙", [3.0])])
        grab(c, (300, 200))
    assert c.shares() == [[25.0], [75.0]]


# ---- chain map ------------------------------------------------------------------------


def chain(strength: str = "missing", n_design: int = 2, detail: str = "") -> list[ChainStage]:
    return [
        ChainStage(
            "design", "设计", [ChainLink(f"d{i}", f"芯片设计{i}", "weak", 12) for i in range(n_design)]
        ),
        ChainStage(
            "fab",
            "制造",
            [ChainLink("litho", "光刻", strength, 0, detail), ChainLink("foundry", "晶圆制造", "strong", 6)],
        ),
        ChainStage("pkg", "封装测试", [ChainLink("pkg", "先进封装", "strong", 11)]),
    ]


def make_chain(qtbot, stages) -> ChainMap:
    m = ChainMap()
    qtbot.addWidget(m)
    m.set_title("集成电路产业链")
    m.set_stages(stages)
    return m


def test_chain_missing_link_is_alarm_strong_is_ok(qtbot):
    missing = make_chain(qtbot, chain("missing"))
    img = grab(missing, (800, 420))
    box = crop(img, missing.link_rects()["litho"])
    assert near(box, theme.ALARM, 20).sum() > 150
    assert near(box, theme.OK, 20).sum() == 0
    assert missing.link_texts()["litho"] == ("光刻", "0家", "缺")
    strong = make_chain(qtbot, chain("strong"))
    img = grab(strong, (800, 420))
    box = crop(img, strong.link_rects()["litho"])
    assert near(box, theme.OK, 20).sum() > 0.5 * box[..., 0].size  # filled
    assert near(box, theme.ALARM, 40).sum() == 0
    weak = make_chain(qtbot, chain("weak"))
    box = crop(grab(weak, (800, 420)), weak.link_rects()["litho"])
    assert near(box, theme.WARN, 20).sum() > 150 and near(box, theme.OK, 20).sum() == 0


def test_chain_click_emits_key(qtbot):
    m = show(qtbot, make_chain(qtbot, chain()), (800, 420))
    r = m.link_rects()["foundry"]
    with qtbot.waitSignal(m.activated, timeout=1000) as sig:
        qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=r.center().toPoint())
    assert sig.args == ["foundry"]
    hits = []
    m.activated.connect(hits.append)
    qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))  # not on a link
    assert hits == []


def test_chain_many_links_never_overlap(qtbot):
    stages = chain(n_design=40)
    m = make_chain(qtbot, stages)
    grab(m, (600, 360))
    rects = list(m.link_rects().values())
    assert_disjoint(rects)
    assert all(QRectF(0, 0, 600, 360).contains(r) for r in rects)
    assert m.overflow()["design"] == 40 - sum(k.startswith("d") for k in m.link_rects())
    grab(m, (900, 1400))  # more room: more of them drawn
    assert m.overflow().get("design", 0) < 40 - 20
    assert_disjoint(list(m.link_rects().values()))


def test_chain_long_names_elide_and_scale(qtbot):
    long = "高端光刻机及其核心零部件国产化配套环节"
    stages = [ChainStage("s", "设备", [ChainLink("x", long, "missing", None)])] + chain()
    m = make_chain(qtbot, stages)
    grab(m, (500, 300))
    name = m.link_texts()["x"][0]
    assert name != long and name.endswith("…")
    small = m.link_rects()["x"]
    grab(m, (1000, 600))
    big = m.link_rects()["x"]
    assert big.width() == pytest.approx(2 * small.width(), rel=0.05)
    assert m.link_texts()["x"][1] == "—"  # an unknown count is a dash


def test_chain_tooltip_is_escaped_plain_text(qtbot):
    m = show(qtbot, make_chain(qtbot, chain(detail="<b>依赖进口</b> & 招引重点")), (800, 420))
    assert m.link_tooltip("litho") == "制造 · 光刻\n缺 · 0家\n<b>依赖进口</b> & 招引重点"
    pos = m.link_rects()["litho"].center().toPoint()
    QApplication.sendEvent(m, QHelpEvent(QEvent.Type.ToolTip, pos, m.mapToGlobal(pos)))
    assert "&lt;b&gt;依赖进口&lt;/b&gt; &amp; 招引重点" in QToolTip.text()
    QToolTip.hideText()


def test_chain_strength_words_localised(qtbot):
    m = make_chain(qtbot, chain())
    grab(m, (800, 420))
    assert m.legend_texts() == ["强 2", "弱 2", "缺 1"]
    zh = grab(m, (800, 420))
    m.set_strength_labels(LABELS_EN)
    m.set_count_unit(" firms")
    en = grab(m, (800, 420))
    assert m.legend_texts() == ["strong 2", "weak 2", "missing 1"]
    assert m.link_texts()["foundry"] == ("晶圆制造", "6 firms", "strong")
    assert not np.array_equal(zh, en)
    with pytest.raises(ValueError):
        m.set_strength_labels({"absent": "x"})


def test_chain_states_and_no_data(qtbot):
    images = []
    for state, note in LOOKS:
        m = make_chain(qtbot, chain())
        m.set_state(state, note)
        images.append(grab(m, (800, 420)))
    assert_pairwise_different(images)
    for img in images[2:]:  # offline and no data: no strength colours at all
        assert near(img, theme.ALARM, 20).sum() == 0 and near(img, theme.OK, 20).sum() == 0
    other = make_chain(
        qtbot,
        [
            ChainStage(s.key, s.name, [ChainLink(k.key, k.name, "strong", 99) for k in s.links])
            for s in chain()
        ],
    )
    other.set_state(*LOOKS[3])
    assert np.array_equal(images[3], grab(other, (800, 420)))  # no counts, no strengths
    assert all(t[1:] == ("", "") for t in other.link_texts().values())


def test_chain_input_checks_and_odd_input(qtbot):
    m = make_chain(qtbot, [])
    for size in ((0, 0), (1, 1), (60, 40), (800, 420)):
        paint_at(m, size)
    with pytest.raises(ValueError, match="strength"):
        m.set_stages([ChainStage("a", "A", [ChainLink("x", "X", "medium", 1)])])
    with pytest.raises(ValueError, match="duplicate link key"):
        m.set_stages([ChainStage("a", "A", [ChainLink("x", "X", "weak", 1), ChainLink("x", "Y", "weak", 1)])])
    with pytest.raises(ValueError, match="negative"):
        m.set_stages([ChainStage("a", "A", [ChainLink("x", "X", "weak", -3)])])
    m.set_stages([ChainStage("a", "", []), ChainStage("b", "B", [ChainLink("x", "", "weak", float("nan"))])])
    grab(m, (300, 200))
    assert m.link_texts()["x"][1] == "—"


# ---- district tile map ----------------------------------------------------------------

OUTPUT = {
    "keqiao": 2716.4,
    "yuecheng": 1608.2,
    "shangyu": 2145.9,
    "zhuji": 2893.7,
    "shengzhou": 912.5,
    "xinchang": 688.1,
}


def make_map(qtbot, values=OUTPUT) -> DistrictTileMap:
    m = DistrictTileMap()
    qtbot.addWidget(m)
    m.set_title("各区县 规上工业产值")
    m.set_metric_name("产值")
    m.set_unit("亿元")
    m.set_precision(1)
    m.set_areas(shaoxing_areas(dict(values)))
    return m


def tile_fill(img: np.ndarray, r: QRectF) -> np.ndarray:
    """The tile's fill: the most common colour inside it (the text is a minority)."""
    px = crop(img, r, 6).reshape(-1, 3)
    colors, counts = np.unique(px, axis=0, return_counts=True)
    return colors[counts.argmax()]


def test_district_largest_value_is_brightest(qtbot):
    m = make_map(qtbot)
    img = grab(m, (700, 450))
    rects = m.tile_rects()
    lum = {k: luminance(tile_fill(img, r)) for k, r in rects.items()}
    order = sorted(OUTPUT, key=OUTPUT.get)
    assert [lum[k] for k in order] == sorted(lum.values())  # brighter with the value
    assert max(lum, key=lum.get) == "zhuji"
    assert m.tile_texts()["zhuji"][:2] == ("诸暨市", "2,893.7")
    assert m.legend_texts() == ["产值", "688.1", "2,893.7 亿元"]


def test_district_layout_follows_cells(qtbot):
    m = make_map(qtbot)
    grab(m, (700, 450))
    r = m.tile_rects()
    assert r["keqiao"].center().x() < r["yuecheng"].center().x() < r["shangyu"].center().x()
    assert r["keqiao"].center().y() < r["zhuji"].center().y()
    assert_disjoint(list(r.values()))


def test_district_unknown_is_hatched_grey_with_dash(qtbot):
    m = make_map(qtbot, {**OUTPUT, "shengzhou": None})
    img = grab(m, (700, 450))
    r = m.tile_rects()["shengzhou"]
    assert m.tile_texts()["shengzhou"][1] == "—" and m.tile_colors()["shengzhou"] is None
    tile = crop(img, r, 8)
    colors = np.unique(tile.reshape(-1, 3), axis=0)
    assert len(colors) >= 2  # hatching, not a flat fill
    fill = tile_fill(img, r)
    assert abs(int(fill[0]) - int(fill[2])) < 25  # grey, not on the blue scale
    assert "无数据" in m.legend_texts()
    # the scale is over the known values: the lowest known is the dimmest coloured tile
    assert m.legend_texts()[1] == "688.1"
    m.set_missing_caption("No data")  # in the UI's language
    grab(m, (700, 450))
    assert "No data" in m.legend_texts() and "无数据" not in m.legend_texts()


def test_district_click_emits_key(qtbot):
    m = show(qtbot, make_map(qtbot), (700, 450))
    with qtbot.waitSignal(m.activated, timeout=1000) as sig:
        qtbot.mouseClick(m, Qt.MouseButton.LeftButton, pos=m.tile_rects()["xinchang"].center().toPoint())
    assert sig.args == ["xinchang"]
    assert m.area_tooltip("xinchang") == "新昌县\n产值: 688.1 亿元"


def test_district_names_render_as_glyphs(qtbot):
    def names_ink(name: str) -> np.ndarray:
        m = DistrictTileMap()
        qtbot.addWidget(m)
        m.set_areas([Area("a", name, 0, 0, None)])
        return grab(m, (400, 300))

    real, missing = names_ink("越城区"), names_ink("\ue000\ue001\ue002")
    assert not np.array_equal(real, missing)


def test_district_states_and_no_data(qtbot):
    images = []
    for state, note in LOOKS:
        m = make_map(qtbot)
        m.set_state(state, note)
        images.append(grab(m, (700, 450)))
    assert_pairwise_different(images)
    other = make_map(qtbot, {k: v * 3 for k, v in OUTPUT.items()})
    other.set_state(*LOOKS[3])
    assert np.array_equal(images[3], grab(other, (700, 450)))
    assert all(t[1] == "—" for t in other.tile_texts().values())


def test_district_input_checks_and_odd_input(qtbot):
    m = make_map(qtbot)
    with pytest.raises(ValueError, match="share the cell"):
        m.set_areas([Area("a", "A", 0, 0, 1.0), Area("b", "B", 0, 0, 2.0)])
    with pytest.raises(ValueError, match="col"):
        m.set_areas([Area("a", "A", -1, 0, 1.0)])
    with pytest.raises(ValueError, match="duplicate"):
        m.set_areas([Area("a", "A", 0, 0, 1.0), Area("a", "B", 1, 0, 2.0)])
    m.set_areas([Area("a", "很长很长很长很长很长的区县名称", 0, 0, float("nan")), Area("b", "", 5, 4, -3.5)])
    for size in ((0, 0), (1, 1), (60, 40), (700, 450)):
        paint_at(m, size)
    assert m.tile_texts()["b"][1] == "−3.5"
    m.set_areas([Area("a", "A", 0, 0, 5.0), Area("b", "B", 1, 0, 5.0)])  # all equal: no division by zero
    grab(m, (300, 200))
    m.set_areas([])
    grab(m, (300, 200))


# ---- progress to target ---------------------------------------------------------------


def make_progress(qtbot, value, target=1000.0, path=None) -> ProgressToTarget:
    w = ProgressToTarget()
    qtbot.addWidget(w)
    w.set_title("集成电路产业集群规模")
    w.set_unit("亿元")
    w.set_precision(1)
    w.set_target(target, "千亿目标")
    if path is not None:
        w.set_path(path)
    w.set_value(value)
    return w


def bar_row(img: np.ndarray, w: ProgressToTarget) -> np.ndarray:
    b = w.bar_rect()
    y = int(b.center().y())
    return img[y - 1 : y + 2, :]


def test_progress_fill_follows_value_over_target(qtbot):
    low, high = make_progress(qtbot, 250), make_progress(qtbot, 750)
    il, ih = grab(low, (700, 300)), grab(high, (700, 300))
    a, b = near(bar_row(il, low), theme.ACCENT).sum(), near(bar_row(ih, high), theme.ACCENT).sum()
    assert a > 200 and b / a == pytest.approx(3.0, rel=0.05)
    assert low.percent_text() == "25.0%" and high.percent_text() == "75.0%"
    bar = high.bar_rect()
    ys, xs = np.nonzero(near(bar_row(ih, high), theme.ACCENT))
    assert xs.min() <= bar.left() + 1 and xs.max() == pytest.approx(bar.left() + 0.75 * bar.width(), abs=2)


def test_progress_over_target_full_ok_bar_and_overflow_mark(qtbot):
    w = make_progress(qtbot, 1003.3)
    img = grab(w, (700, 300))
    assert w.percent_text() == "100.3%" and w.over_target()
    row = bar_row(img, w)
    bar = w.bar_rect()
    ok = near(row, theme.OK)
    assert ok[:, int(bar.left()) + 2 : int(bar.right()) - 3].all()  # full
    assert near(row, theme.ACCENT).sum() == 0
    assert ok[:, int(bar.right()) + 3 :].sum() > 6  # the overflow mark beyond the end
    exact = make_progress(qtbot, 1000)
    img = grab(exact, (700, 300))
    assert (
        not exact.over_target() and near(bar_row(img, exact)[:, int(bar.right()) + 3 :], theme.OK).sum() == 0
    )


def test_progress_without_target_shows_no_percentage(qtbot):
    w = make_progress(qtbot, 640.2, target=None)
    img = grab(w, (700, 300))
    assert w.percent_text() == "" and w.target_text() == ""
    bar = crop(img, w.bar_rect().adjusted(0, -4, 40, 4))
    assert near(bar, theme.ACCENT).sum() == 0 and near(bar, theme.OK).sum() == 0  # no fill
    assert w.value_text() == "640.2"
    with_target = grab(make_progress(qtbot, 640.2), (700, 300))
    right = slice(int(700 * 0.7), 690)
    v = w.value_rect()
    rows = slice(int(v.top()), int(v.bottom()))
    # no percentage at the right of the value row
    assert near(img[rows, right], theme.TEXT, 60).sum() == 0
    assert near(with_target[rows, right], theme.TEXT, 60).sum() > 50
    with pytest.raises(ValueError):
        w.set_target(0)


def test_progress_path_bars_follow_values(qtbot):
    path = [("2021", 400.0), ("2022", None), ("2023", 800.0)]
    w = make_progress(qtbot, 900, path=path)
    img = grab(w, (700, 450))
    bars = w.path_bars()
    assert [b[0] for b in bars] == ["2021", "2022", "2023"]
    r21, r22, r23 = (b[1] for b in bars)
    assert r22 is None
    assert r23.height() == pytest.approx(2 * r21.height(), rel=0.02)
    assert r23.height() > 40
    ink = crop(img, r23, 2)
    assert (ink != ink[0, 0]).sum() == 0 and luminance(ink[0, 0]) > luminance(np.array([15, 35, 66])) + 30


def test_progress_states_and_no_data(qtbot):
    path = [("2021", 400.0), ("2022", 560.0)]
    images = []
    for state, note in LOOKS:
        w = make_progress(qtbot, 1003.3, path=path)
        w.set_state(state, note)
        images.append(grab(w, (700, 450)))
    assert_pairwise_different(images)
    other = make_progress(qtbot, 512.0, path=[("2021", 100.0), ("2022", 200.0)])
    other.set_state(*LOOKS[3])
    assert np.array_equal(images[3], grab(other, (700, 450)))
    assert other.value_text() == "—" and other.percent_text() == ""


def test_progress_shows_its_change_at_the_header_right_in_its_colour(qtbot):
    w = make_progress(qtbot, 1003.3)
    w.set_up_is_good(True)
    plain = grab(w, (700, 300))
    w.set_changes([("同比", 18.0)])
    img = grab(w, (700, 300))
    assert w.changes_text() == "同比 ▲18.0%"
    header = QRectF(350, 0, 350, w.value_rect().top())  # the right half of the band above the value row
    band = crop(img, header)
    assert near(band, theme.change_color(1, True).name(), 40).sum() > 20  # the green ▲18.0%
    assert near(crop(plain, header), theme.OK, 40).sum() == 0
    w.set_changes([("同比", -3.0)])
    img = grab(w, (700, 300))
    band = crop(img, header)
    assert w.changes_text() == "同比 ▼3.0%" and near(band, theme.ALARM, 40).sum() > 20
    w.set_state(DataState.STALE, "数据过时")  # not live: the note takes that place
    assert w.changes_text() == ""
    w.set_state(DataState.LIVE, "")
    w.set_changes([("同比", None)])
    assert w.changes_text() == "同比 —"


def test_progress_captions_follow_the_language(qtbot):
    w = make_progress(qtbot, 512.0)
    w.set_target(1000.0, "")
    assert w.target_text() == "目标 1,000.0 亿元"
    w.set_captions("Done", "Target")
    assert w.target_text() == "Target 1,000.0 亿元"


def test_progress_odd_input_does_not_crash(qtbot):
    w = make_progress(qtbot, float("nan"), path=[])
    assert w.value_text() == "—" and w.percent_text() == ""
    for size in ((0, 0), (1, 1), (60, 40), (700, 450)):
        paint_at(w, size)
    w.set_value(-50)
    w.set_path([("很长很长的标签" * 3, -10.0), ("x", None), ("y", float("inf"))])
    grab(w, (300, 300))
    assert w.fill_rect().width() == 0 and w.percent_text() == "−5.0%"
    with pytest.raises(ValueError):
        w.set_path([("a", 1.0, 2.0)])


def test_progress_repaints_only_on_change(qtbot):
    w = show(qtbot, make_progress(qtbot, 500), (700, 300))
    qtbot.wait(20)
    before = w.paint_count
    w.set_value(500)
    w.set_target(1000.0, "千亿目标")
    qtbot.wait(30)
    assert w.paint_count == before
    w.set_value(600)
    qtbot.waitUntil(lambda: w.paint_count > before)
