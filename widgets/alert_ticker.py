"""AlertTicker: the most recent alerts, newest first, rotating when they do not all fit.

Each row: local time (HH:MM:SS), a level dot (warn amber, alarm red), the source (e.g. the
brain's name) and the message. Shares the ranking board's carousel: a fixed title row, a
short scroll animation every few seconds when rows overflow, no repaint when idle. An
empty list shows a calm "无告警" (configurable), never a blank panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from widgets import clock, theme
from widgets._panel import elide, elide_lines
from widgets.scrolling_rows import ScrollingRows, state_color
from widgets.state import DataState

_ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
LEVELS = ("warn", "alarm")
NO_TIME = "--:--:--"


@dataclass(frozen=True)
class TickerItem:
    """One alert; a click reports ``link`` (or ``key`` when link is None)."""

    key: str
    ts_ms: int  # epoch milliseconds, shown in local time
    level: str  # "warn" | "alarm"
    source: str  # e.g. the brain's name
    text: str
    link: str | None = None


def local_time(ts_ms: int | float) -> str:
    """HH:MM:SS in local time of an epoch-milliseconds timestamp ("--:--:--" if impossible)."""
    try:
        t = float(ts_ms)
        if not math.isfinite(t):
            return NO_TIME
        return clock.fmt(t / 1000, "%H:%M:%S")
    except (OverflowError, OSError, ValueError, TypeError):
        return NO_TIME


@dataclass
class _Shown:
    time: str
    source: str
    text: str


class AlertTicker(ScrollingRows):
    """A list of recent alerts, newest first, that rotates when they do not all fit."""

    _DEFAULT_EMPTY = "无告警"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[TickerItem] = []
        self._level_words = {"warn": "预警", "alarm": "告警"}
        self._shown: list[_Shown] = []
        self._min_slots = 0
        self._stacked = False  # rows tall enough for time/source over the message (see _prepare)
        self._head_h = 0.0
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def set_alerts(self, items: list[TickerItem]) -> None:
        """Show these alerts, newest first (sorted here by time); keeps the scroll position."""
        ordered = sorted(items, key=_sort_key)
        if ordered == self._items:
            return
        self._items = ordered
        self._set_keys([it.key for it in ordered])
        self._fit_slots()
        self._prepare()
        self.update(self._view.toAlignedRect())

    def set_level_words(self, warn: str, alarm: str) -> None:
        """The levels' names in a row's tooltip ("预警"/"告警" by default; "warning"/"alarm")."""
        self._level_words = {"warn": str(warn), "alarm": str(alarm)}

    def set_min_slots(self, n: int) -> None:
        """With fewer alerts than rows fit, divide the list into ``max(n, alerts)`` rows (0:
        off): one or two alerts on a wall are shown in large type over the panel, not as a
        thin line at its top."""
        self._min_slots = max(0, int(n))
        self._fit_slots()

    def _fit_slots(self) -> None:
        n = len(self._items)
        want = max(self._min_slots, n) if self._min_slots and 0 < n < self._natural_fits else 0
        if want != self._fixed_rows:
            self.set_fixed_rows(want)

    def alerts(self) -> list[TickerItem]:
        """The alerts shown, newest first."""
        return list(self._items)

    def empty_text(self) -> str:
        """The text shown when there are no alerts."""
        return self._empty_text

    def row_texts(self, key: str) -> tuple[str, str, str]:
        """The texts laid out for an alert: time, source (elided), message (elided)."""
        self._sync_size()
        for i, it in enumerate(self._items):
            if it.key == key:
                s = self._shown[i]
                return s.time, s.source, s.text
        raise KeyError(key)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(900, 400)

    # ---- layout ---------------------------------------------------------------------

    def _scale_for(self, w: int, h: int) -> float:
        return min(float(w), 1.6 * h)  # narrow or short-and-wide panels: text stays readable, messages elide

    def _row_factor(self) -> float:
        return 0.088

    def _relayout(self) -> None:
        super()._relayout()
        if hasattr(self, "_min_slots"):
            self._fit_slots()

    def _min_row_px(self) -> float:
        # under a text floor (a wall), rows hold two lines: a message keeps which limit and by how much
        return 2.9 * theme.min_text_px()

    def _prepare(self) -> None:
        if not hasattr(self, "_items"):
            return
        rh = self._row_h
        v = self._view
        # rows taller than natural (few alerts on a wall): type up to half as large again, not more
        big = min(rh, 1.5 * self._natural_row_h)
        text_px = max(9, round(0.4 * big))
        time_px = max(8, round(0.34 * big))
        src_px = max(8, round(0.34 * big))
        one = QFontMetrics(theme.pixel_font(text_px))
        # a tall row stacks: time and source on a line, the message under them across the
        # whole width on as many lines as fit (which limit, by how much: never cut short)
        self._stacked = rh >= 3.3 * one.lineSpacing()
        two_px = min(text_px, round(rh / 2.9))  # two lines of this size fit a row
        wrap = False
        if not self._stacked and two_px >= max(9, theme.min_text_px()):
            if any(one.horizontalAdvance(it.text) > 0.55 * v.width() for it in self._items):
                text_px, wrap = two_px, True  # long messages: two smaller lines rather than "…"
        self._text_font = theme.pixel_font(text_px)
        self._time_font = theme.pixel_font(time_px)
        self._src_font = theme.pixel_font(src_px)
        tfm, sfm, xfm = (QFontMetrics(f) for f in (self._text_font, self._src_font, self._time_font))
        inset = max(3.0, 0.22 * big)
        gap = max(4.0, 0.3 * big)
        x0, x1 = v.left() + inset, v.right() - inset
        time_w = xfm.horizontalAdvance("00:00:00")
        dot = max(5.0, 0.26 * big)
        dot_x = x0 + time_w + gap
        src_x = dot_x + dot + gap * 0.7
        src_w = min(
            max((sfm.horizontalAdvance(it.source) for it in self._items if it.source), default=0),
            (x1 - src_x) if self._stacked else 0.24 * max(1.0, x1 - x0),
        )
        if self._stacked:
            head_h = max(xfm.height(), sfm.height()) * 1.25
            text_x, text_w = x0, max(0.0, x1 - x0)
            lines = max(1, int((rh - head_h - 0.2 * big) // tfm.lineSpacing()))
        else:
            head_h = 0.0
            text_x = src_x + (src_w + gap if src_w else 0)
            text_w = max(0.0, x1 - text_x)
            lines = 2 if wrap else 1
        self._head_h = head_h
        self._cols = (x0, time_w, dot_x, dot, src_x, src_w, text_x, text_w)
        self._shown = [
            _Shown(
                time=local_time(it.ts_ms),
                source=elide(sfm, it.source, src_w) if src_w else "",
                text=elide_lines(tfm, it.text, text_w, lines),
            )
            for it in self._items
        ]
        st = self._state
        self._c_text = state_color(theme.TEXT, st)
        self._c_time = state_color(theme.TEXT_DIM, st, 0.3)
        self._c_src = state_color(theme.NEUTRAL, st, 0.4)
        self._c_level = {
            lv: state_color(c, st, 0.5) for lv, c in (("warn", theme.WARN), ("alarm", theme.ALARM))
        }
        self._c_other = state_color(theme.TEXT_DIM, st, 0.3)
        self._c_zebra = theme.blend(theme.PANEL, theme.EDGE, 0.28)
        self._c_alarm_bg = theme.blend(theme.PANEL, theme.ALARM, 0.1 if st == DataState.LIVE else 0.04)
        self._fonts: tuple[QFont, QFont, QFont] = (self._time_font, self._src_font, self._text_font)

    # ---- painting -------------------------------------------------------------------

    def _paint_row(self, p: QPainter, index: int, r: QRectF) -> None:
        item, s = self._items[index], self._shown[index]
        x0, time_w, dot_x, dot, src_x, src_w, text_x, text_w = self._cols
        time_font, src_font, text_font = self._fonts
        level = item.level if item.level in LEVELS else ""
        if level == "alarm" and self._state != DataState.OFFLINE:
            p.fillRect(r, self._c_alarm_bg)
        elif index % 2 == 1:
            p.fillRect(r, self._c_zebra)
        if self._stacked:  # time and source on a line, the message under them
            top = r.top() + 0.1 * (r.height() - self._head_h) / 2
            r = QRectF(r.left(), top, r.width(), self._head_h)
            body = QRectF(text_x, r.bottom(), text_w + 1, self._row_h - (r.bottom() - top) - 0.1 * self._row_h)
        p.setFont(time_font)
        p.setPen(self._c_time)
        p.drawText(QRectF(x0, r.top(), time_w + 2, r.height()), _ALIGN_LEFT, s.time)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._c_level[level] if level else self._c_other)
        p.drawEllipse(QRectF(dot_x, r.center().y() - dot / 2, dot, dot))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if s.source:
            p.setFont(src_font)
            p.setPen(self._c_src)
            p.drawText(QRectF(src_x, r.top(), src_w + 1, r.height()), _ALIGN_LEFT, s.source)
        p.setFont(text_font)
        p.setPen(self._c_text)
        if self._stacked:
            p.drawText(body, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, s.text)
            return
        p.drawText(QRectF(text_x, r.top(), text_w + 1, r.height()), _ALIGN_LEFT, s.text)

    def _row_tip(self, index: int) -> str:
        item, s = self._items[index], self._shown[index]
        level = self._level_words.get(item.level, item.level)
        head = " · ".join(x for x in (s.time, level, item.source) if x)
        return f"{head}\n{item.text}"

    def _activation_id(self, index: int) -> str:
        item = self._items[index]
        return item.link if item.link is not None else item.key


def _sort_key(item: TickerItem) -> float:
    try:
        t = float(item.ts_ms)
    except (TypeError, ValueError):
        return math.inf
    return -t if math.isfinite(t) else math.inf


def _preview() -> None:
    import random
    import time

    from widgets._preview import run_preview

    msgs = [
        ("印染大脑", "alarm", "绍兴某某印染有限公司 COD 排放浓度超限 128 mg/L（限值 100）"),
        ("印染大脑", "warn", "柯桥区印染开机率跌破 60%"),
        ("纺织大脑", "warn", "越城某某纺织有限公司 用电负荷异常波动"),
        ("黄酒大脑", "alarm", "上虞某某酒业 发酵罐温度过高 38.5 ℃"),
        ("集成电路大脑", "warn", "诸暨某某半导体 良率下降 2.1 个百分点"),
        ("医药大脑", "warn", "新昌某某制药 冷库温度接近上限"),
        ("印染大脑", "alarm", "嵊州某某印染有限公司 在线监测数据中断超过 30 分钟，请立即核查现场设备"),
        ("城市总览", "warn", "全市工业用水量较昨日同期上升 12%"),
    ]
    now = int(time.time() * 1000)
    items = [
        TickerItem(f"a{i}", now - i * 97_000, lvl, src, txt, f"alert/{i}")
        for i, (src, lvl, txt) in enumerate(msgs)
    ]
    rng = random.Random(3)

    def make(state: DataState, note: str) -> AlertTicker:
        t = AlertTicker()
        t.set_title("实时告警")
        t.set_alerts(items)
        t.set_state(state, note)
        t.activated.connect(lambda k: print("activated", k))
        return t

    n = [len(items)]

    def tick(tickers: list) -> None:
        if rng.random() < 0.3:
            src, lvl, txt = rng.choice(msgs)
            items.append(TickerItem(f"a{n[0]}", int(time.time() * 1000), lvl, src, txt, f"alert/{n[0]}"))
            n[0] += 1
            tickers[0].set_alerts(items[-20:])

    run_preview("AlertTicker preview", make, tick, columns=2, size=(1800, 820))


if __name__ == "__main__":
    _preview()
