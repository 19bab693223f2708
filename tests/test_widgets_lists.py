"""The scrolling lists judged by what they draw: ranking board and alert ticker."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from tests.pixels import grab, near, pixels, show
from widgets import clock, theme
from widgets.alert_ticker import AlertTicker, TickerItem
from widgets.ranking_board import RankingBoard, RankRow
from widgets.state import DataState

LOOKS = [
    (DataState.LIVE, ""),
    (DataState.STALE, "数据过时 · 截至 14:32:05"),
    (DataState.OFFLINE, "离线 · 数据截至 14:32:05"),
    (DataState.NO_DATA, "等待数据"),
]
DISTRICTS = ["柯桥", "越城", "上虞", "诸暨", "嵊州", "新昌"]
T0 = 1_700_000_000_000  # epoch ms


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


def rank_rows(n: int, top: float = 1000.0, step: float = 37.5) -> list[RankRow]:
    return [
        RankRow(f"9133060{i:04d}", f"绍兴某某印染有限公司{i + 1}号厂", top - i * step, DISTRICTS[i % 6])
        for i in range(n)
    ]


def make_board(qtbot, rows: list[RankRow] | None = None) -> RankingBoard:
    b = RankingBoard()
    qtbot.addWidget(b)
    b.set_title("印染企业产值排行")
    b.set_unit("万元")
    b.set_precision(1)
    b.set_rows(rank_rows(5) if rows is None else rows)
    return b


def alerts(n: int) -> list[TickerItem]:
    levels = ["warn", "alarm"]
    return [
        TickerItem(
            f"a{i}", T0 - i * 60_000, levels[i % 2], "印染大脑", f"绍兴某某印染有限公司 告警 {i}", None
        )
        for i in range(n)
    ]


def make_ticker(qtbot, items: list[TickerItem] | None = None) -> AlertTicker:
    t = AlertTicker()
    qtbot.addWidget(t)
    t.set_title("实时告警")
    t.set_alerts(alerts(3) if items is None else items)
    return t


def region(img: np.ndarray, r: QRect) -> np.ndarray:
    return img[r.top() : r.bottom() + 1, r.left() : r.right() + 1]


def assert_pairwise_different(images: list[np.ndarray]) -> None:
    for (i, a), (j, b) in itertools.combinations(enumerate(images), 2):
        assert not np.array_equal(a, b), f"state {LOOKS[i][0]} looks like {LOOKS[j][0]}"


# ---- ranking board ------------------------------------------------------------------


def test_ranking_bar_follows_value(qtbot):
    rows = [RankRow("a", "绍兴甲印染有限公司", 100.0), RankRow("b", "绍兴乙印染有限公司", 25.0)]
    b = make_board(qtbot, rows)
    img = grab(b, (600, 500))
    ra, rb = b.row_rect("a"), b.row_rect("b")
    assert ra.height() > 20 and not ra.intersects(rb)
    # the bars are under the text, right of the badge: count accent there
    badge = ra.height()
    bar_a = near(region(img, ra.adjusted(badge + 4, 0, 0, 0)), theme.ACCENT, 20).sum()
    bar_b = near(region(img, rb.adjusted(badge + 4, 0, 0, 0)), theme.ACCENT, 20).sum()
    assert bar_b > 50
    assert 3.0 < bar_a / bar_b < 5.0


def test_ranking_texts_and_dash_for_unknown(qtbot):
    rows = [
        RankRow("a", "绍兴迎丰科技印染有限公司", 1003.26, "柯桥", "ok"),
        RankRow("b", "上虞华东印染有限公司", None, "上虞"),
        RankRow("c", "诸暨永兴染整有限公司", float("nan"), "诸暨"),
        RankRow("d", "嵊州丝绸印染有限公司", -3.0, "嵊州"),
    ]
    b = make_board(qtbot, rows)
    b.resize(600, 500)
    assert b.row_texts("a") == ("1", "绍兴迎丰科技印染有限公司", "柯桥", "1,003.3 万元")
    assert b.row_texts("b")[3] == "—"
    assert b.row_texts("c")[3] == "—"  # NaN is unknown, not a number
    assert b.row_texts("d")[3] == "−3.0 万元"
    assert b.rows()[2].value is None
    assert b.visible_rows() == ["a", "b", "c", "d"]


def test_ranking_long_name_elided_full_name_in_tooltip(qtbot, monkeypatch):
    long_name = "浙江绍兴柯桥滨海工业区某某纺织印染集团股份有限公司第二分公司<b>&"
    b = make_board(qtbot, [RankRow("x", long_name, 5.0, "柯桥")])
    b.resize(400, 300)
    shown = b.row_texts("x")[1]
    assert shown.endswith("…") and len(shown) < len(long_name)
    center = b.row_rect("x").center()
    tip = b.tooltip_at(center)
    assert long_name in tip and "5.0 万元" in tip
    # shown escaped: the markup characters appear literally
    shown = []
    monkeypatch.setattr(QToolTip, "showText", lambda pos, text, w=None: shown.append(text))
    QApplication.sendEvent(b, QHelpEvent(QEvent.Type.ToolTip, center, b.mapToGlobal(center)))
    assert len(shown) == 1 and "&lt;b&gt;&amp;" in shown[0] and "<b>" not in shown[0]


def test_ranking_top_three_badges(qtbot):
    rows = [RankRow(f"k{i}", f"企业{i}", None) for i in range(5)]  # no bars: only badges in accent
    b = make_board(qtbot, rows)
    img = grab(b, (600, 500))
    counts = []
    for i in range(5):
        r = b.row_rect(f"k{i}")
        counts.append(
            near(region(img, QRect(r.left(), r.top(), r.height(), r.height())), theme.ACCENT, 20).sum()
        )
    assert all(c > 100 for c in counts[:3]), counts
    assert counts[3] == counts[4] == 0, counts


def test_ranking_states_look_different_and_no_data_shows_no_rows(qtbot):
    images = []
    for state, note in LOOKS:
        b = make_board(qtbot)
        b.set_state(state, note)
        images.append(grab(b, (600, 500)))
    assert_pairwise_different(images)
    assert near(images[0], theme.ACCENT, 20).sum() > 1000
    for img in images[1:]:  # not live: nothing in the live accent
        assert near(img, theme.ACCENT, 8).sum() < 50
    had = make_board(qtbot)
    had.set_state(DataState.NO_DATA, "等待数据")
    never = make_board(qtbot, [])
    never.set_state(DataState.NO_DATA, "等待数据")
    assert had.visible_rows() == []
    assert np.array_equal(grab(had, (600, 500)), grab(never, (600, 500)))


def test_ranking_empty_list_shows_text(qtbot):
    b = make_board(qtbot, [])
    empty = grab(b, (600, 500))
    b.set_empty_text("本月暂无排行")
    other = grab(b, (600, 500))
    blank = make_board(qtbot, [])
    blank.set_empty_text("")
    nothing = grab(blank, (600, 500))
    assert not np.array_equal(empty, other)
    assert not np.array_equal(empty, nothing)
    assert near(region(empty, QRect(0, 80, 600, 300)), theme.TEXT_DIM, 40).sum() > 100


def test_ranking_scales_with_size(qtbot):
    b = make_board(qtbot, rank_rows(30))
    b.resize(600, 500)
    h1, fits1 = b.row_rect(b.visible_rows()[0]).height(), b.rows_fitting()
    b.resize(1200, 1000)
    h2, fits2 = b.row_rect(b.visible_rows()[0]).height(), b.rows_fitting()
    assert fits1 == fits2 >= 6
    assert h2 == pytest.approx(2 * h1, abs=2)


def test_ranking_auto_scroll_steps_and_wraps(qtbot):
    rows = rank_rows(20)
    b = make_board(qtbot, rows)
    b.set_scroll_interval(60)
    show(qtbot, b, (600, 500))
    fits = b.rows_fitting()
    assert 4 <= fits < 20
    qtbot.waitUntil(lambda: b.scroll_offset() >= 2, timeout=1500)
    b.set_auto_scroll(False)
    qtbot.waitUntil(lambda: not b.is_scrolling(), timeout=1000)
    off = b.scroll_offset()
    assert b.visible_rows() == [r.key for r in rows[off : off + fits]]
    # wraps round: after the last row comes the first
    while b.scroll_offset() != 19:
        b.advance(animated=False)
    assert b.visible_rows()[:3] == [rows[19].key, rows[0].key, rows[1].key]
    b.advance(animated=False)
    assert b.scroll_offset() == 0


def test_ranking_no_scroll_when_everything_fits(qtbot):
    b = make_board(qtbot, rank_rows(3))
    b.set_scroll_interval(30)
    show(qtbot, b, (600, 500))
    before = b.paint_count
    qtbot.wait(200)
    assert b.scroll_offset() == 0 and b.paint_count == before


def test_ranking_animates_then_stops_repainting(qtbot):
    b = make_board(qtbot, rank_rows(20))
    b.set_scroll_interval(5000)
    show(qtbot, b, (600, 500))
    fits = b.rows_fitting()
    qtbot.wait(150)
    idle = b.paint_count
    qtbot.wait(150)
    assert b.paint_count == idle  # idle: no repaint at all
    start_img = pixels(b.grab().toImage())
    spy = PaintRects(b)
    b.advance()
    assert b.is_scrolling()
    qtbot.wait(120)
    mid = len(b.visible_rows())
    mid_img = pixels(b.grab().toImage())
    qtbot.waitUntil(lambda: not b.is_scrolling(), timeout=1000)
    qtbot.wait(40)  # the final frame's paint
    spy.rects = [r for r in spy.rects if r != b.rect()]  # not the grab's
    frames = len(spy.rects)
    assert 5 <= frames <= 40  # a short animation at frame rate
    assert mid == fits + 1  # a row half out at the top, one half in at the bottom
    assert not np.array_equal(start_img, mid_img)
    assert b.scroll_offset() == 1
    # only the list area repaints, never the title row
    assert all(r.top() > 30 for r in spy.rects)
    spy.rects.clear()
    qtbot.wait(200)
    assert spy.rects == []


def test_ranking_live_update_keeps_offset(qtbot):
    rows = rank_rows(20)
    b = make_board(qtbot, rows)
    b.set_auto_scroll(False)
    show(qtbot, b, (600, 500))
    for _ in range(3):
        b.advance(animated=False)
    assert b.scroll_offset() == 3
    spy = PaintRects(b)
    new = list(reversed([RankRow(r.key, r.name, (r.value or 0) + 1, r.secondary) for r in rows]))
    b.set_rows(new)
    qtbot.waitUntil(lambda: len(spy.rects) > 0)
    assert b.scroll_offset() == 3
    assert b.visible_rows()[0] == new[3].key
    assert all(r.top() > 30 for r in spy.rects)  # the list repaints, not the whole panel
    spy.rects.clear()
    b.set_rows(list(new))  # the same rows again: nothing to repaint
    qtbot.wait(50)
    assert spy.rects == []
    # fewer rows than the offset, still overflowing: wraps into range; all fitting: back to top
    b.set_rows(new[:15])
    b.advance(animated=False)
    assert 0 <= b.scroll_offset() < 15
    b.set_rows(new[:2])
    assert b.scroll_offset() == 0 and b.visible_rows() == [new[0].key, new[1].key]


def test_ranking_click_emits_row_key(qtbot):
    rows = rank_rows(4)
    b = make_board(qtbot, rows)
    show(qtbot, b, (600, 500))
    pos = b.row_rect(rows[2].key).center()
    with qtbot.waitSignal(b.activated, timeout=1000) as sig:
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=pos)
    assert sig.args == [rows[2].key]
    # a click on the title row emits nothing
    with qtbot.assertNotEmitted(b.activated):
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=QPoint(100, 10))


def test_ranking_markers_in_theme_colours(qtbot):
    rows = [
        RankRow("a", "甲", None, marker="ok"),
        RankRow("b", "乙", None, marker="alarm"),
        RankRow("c", "丙", None, marker="no-such-colour"),
    ]
    b = make_board(qtbot, rows)
    img = grab(b, (600, 500))
    assert near(region(img, b.row_rect("a")), theme.OK, 20).sum() > 20
    assert near(region(img, b.row_rect("b")), theme.ALARM, 20).sum() > 20
    assert near(region(img, b.row_rect("a")), theme.ALARM, 20).sum() == 0


def test_ranking_odd_input_does_not_crash(qtbot):
    b = make_board(qtbot, [])
    for size in ((0, 0), (1, 1), (40, 20), (120, 80), (3840, 2160)):
        b.resize(*size)
        b.grab()
    b.set_rows([RankRow("only", "", float("inf"))])
    b.resize(300, 200)
    assert b.row_texts("only")[3] == "—"
    b.set_rows([RankRow(str(i), "名" * 200, float(i)) for i in range(300)])
    b.advance(animated=False)
    b.resize(0, 0)
    b.grab()
    b.resize(300, 200)
    assert len(b.visible_rows()) == b.rows_fitting()
    assert b.row_texts("299")[0] == "300"
    b.set_state(DataState.NO_DATA)
    b.advance()
    assert b.visible_rows() == [] and not b.is_scrolling()


# ---- alert ticker -------------------------------------------------------------------


def test_ticker_newest_first_in_local_time(qtbot):
    items = [
        TickerItem("old", T0, "warn", "纺织大脑", "越城某某纺织 用电负荷异常", None),
        TickerItem("new", T0 + 3_723_000, "alarm", "印染大脑", "柯桥某某印染 COD 超限", "alert/9"),
        TickerItem("mid", T0 + 60_000, "warn", "黄酒大脑", "上虞某某酒业 发酵罐温度偏高", None),
    ]
    t = make_ticker(qtbot, items)
    t.resize(900, 400)
    assert t.visible_rows() == ["new", "mid", "old"]
    want = clock.fmt((T0 + 3_723_000) / 1000, "%H:%M:%S")  # the zone the application set (else the machine's)
    assert t.row_texts("new") == (want, "印染大脑", "柯桥某某印染 COD 超限")


def test_ticker_tooltip_names_the_level_in_the_ui_language(qtbot):
    t = make_ticker(qtbot, [TickerItem("a", T0, "alarm", "Dyeing", "COD over its limit", None)])
    grab(t, (900, 400))
    centre = t.row_rect("a").center()
    assert "告警" in t.tooltip_at(centre)
    t.set_level_words("warning", "alarm")
    tip = t.tooltip_at(centre)
    assert "alarm · Dyeing" in tip and "告警" not in tip, tip


def test_ticker_level_dots(qtbot):
    t = make_ticker(
        qtbot,
        [
            TickerItem("w", T0 + 1000, "warn", "印染大脑", "开机率偏低", None),
            TickerItem("a", T0, "alarm", "印染大脑", "COD 超限", None),
        ],
    )
    img = grab(t, (900, 400))
    w, a = region(img, t.row_rect("w")), region(img, t.row_rect("a"))
    assert near(w, theme.WARN, 16).sum() > 30 and near(w, theme.ALARM, 16).sum() == 0
    assert near(a, theme.ALARM, 16).sum() > 30 and near(a, theme.WARN, 16).sum() == 0


def test_ticker_empty_shows_calm_text(qtbot):
    t = make_ticker(qtbot, [])
    assert t.empty_text() == "无告警"
    calm = grab(t, (900, 400))
    view = QRect(0, 70, 900, 250)
    assert near(region(calm, view), theme.TEXT_DIM, 40).sum() > 100  # not a blank panel
    t.set_empty_text("暂无告警信息")
    assert not np.array_equal(calm, grab(t, (900, 400)))
    nodata = make_ticker(qtbot, [])
    nodata.set_state(DataState.NO_DATA, "等待数据")
    assert not np.array_equal(calm, grab(nodata, (900, 400)))


def test_ticker_click_reports_link_or_key(qtbot):
    items = [
        TickerItem("k1", T0 + 1000, "alarm", "印染大脑", "COD 超限", "enterprise/91330600X"),
        TickerItem("k2", T0, "warn", "城市总览", "用水量上升", None),
    ]
    t = make_ticker(qtbot, items)
    show(qtbot, t, (900, 400))
    with qtbot.waitSignal(t.activated, timeout=1000) as sig:
        qtbot.mouseClick(t, Qt.MouseButton.LeftButton, pos=t.row_rect("k1").center())
    assert sig.args == ["enterprise/91330600X"]
    with qtbot.waitSignal(t.activated, timeout=1000) as sig:
        qtbot.mouseClick(t, Qt.MouseButton.LeftButton, pos=t.row_rect("k2").center())
    assert sig.args == ["k2"]


def test_ticker_rotates_and_keeps_offset_on_update(qtbot):
    items = alerts(25)
    t = make_ticker(qtbot, items)
    t.set_scroll_interval(60)
    show(qtbot, t, (900, 400))
    fits = t.rows_fitting()
    assert 4 <= fits < 25
    qtbot.waitUntil(lambda: t.scroll_offset() >= 1, timeout=1500)
    t.set_auto_scroll(False)
    qtbot.waitUntil(lambda: not t.is_scrolling(), timeout=1000)
    off = t.scroll_offset()
    newer = [TickerItem("fresh", T0 + 999_000, "alarm", "医药大脑", "冷库温度超限", None)] + items
    t.set_alerts(newer)
    assert t.scroll_offset() == off
    assert t.visible_rows()[0] == newer[off].key


def test_ticker_states_look_different(qtbot):
    images = []
    for state, note in LOOKS:
        t = make_ticker(qtbot)
        t.set_state(state, note)
        images.append(grab(t, (900, 400)))
    assert_pairwise_different(images)
    assert near(images[0], theme.ALARM, 16).sum() > 30
    assert near(images[3], theme.ALARM, 16).sum() == 0  # no data: no alert shown


def test_ticker_chinese_renders_glyphs_not_boxes(qtbot):
    def ink(text: str) -> np.ndarray:
        t = make_ticker(qtbot, [TickerItem("x", T0, "warn", "", text, None)])
        img = grab(t, (900, 400))
        return region(img, t.row_rect("x"))

    real = ink("印染开机率跌破六成")
    missing = ink("\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008")
    assert near(real, theme.TEXT, 60).sum() > 150
    assert not np.array_equal(real, missing)


def test_ticker_odd_input_does_not_crash(qtbot):
    t = make_ticker(
        qtbot,
        [
            TickerItem("big", 10**20, "alarm", "x" * 500, "<b>" * 300, None),
            TickerItem("neg", -5, "info", "", "", None),
        ],
    )
    for size in ((0, 0), (1, 1), (60, 30), (3840, 2160)):
        t.resize(*size)
        t.grab()
    t.resize(900, 400)
    assert t.row_texts("big")[0] == "--:--:--"
    assert t.row_texts("big")[2].endswith("…")
    assert t.visible_rows() == ["big", "neg"]


def test_ranking_scroll_frames_move_row_pixmaps_that_look_as_painted_rows(qtbot, monkeypatch):
    """A scroll step draws each row once and moves pixmaps in its frames (a 4K wall
    repainted every row in Python 60 times a second); a frame looks as one painted row by row."""
    b = make_board(qtbot, rank_rows(20))
    b.set_scroll_interval(60_000)
    show(qtbot, b, (900, 600))
    painted: list[int] = []
    real = b._paint_row

    def counting(p, index, r):
        painted.append(index)
        real(p, index, r)

    monkeypatch.setattr(b, "_paint_row", counting)
    b.advance()
    assert b.is_scrolling()
    b._frac = 0.37
    cached = pixels(b.grab().toImage())
    b._frac = 0.5
    again = pixels(b.grab().toImage())
    rows_drawn = len(set(painted))
    assert len(painted) == rows_drawn == b.rows_fitting() + 1  # each row drawn once for two frames
    assert not np.array_equal(cached, again)  # and the frames moved
    monkeypatch.setattr(b, "_row_look", lambda i: None)  # the rows painted directly
    b._frac = 0.37
    direct = pixels(b.grab().toImage())
    # the rows sit on whole pixels (painted, they sit on fractions): compare within 1 px up or down
    diff = np.min([np.abs(cached.astype(int) - np.roll(direct, dy, axis=0).astype(int)).max(axis=2)
                   for dy in (-1, 0, 1)], axis=0)
    assert (diff > 40).mean() < 0.02  # anti-aliased edges of the badges differ a little
    qtbot.waitUntil(lambda: not b.is_scrolling(), timeout=1000)
    assert b._row_pixmaps == {}  # given back after the step
