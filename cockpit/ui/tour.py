"""The booth's guided auto-tour (``--tour``): it shows each screen, highlights one panel at
a time with a short caption, opens a sample enterprise code and a vintage batch check,
and loops. A visitor touching the mouse or keyboard pauses it; it picks up again after
a minute of quiet. Everything comes from the data already on screen, so it works with no
network (the embedded simulator, or the cache).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QWidget

from widgets import theme

IDLE_RESUME_MS = 60_000


@dataclass(frozen=True)
class Step:
    """One stop of the tour: a tab, the panel to highlight (by widget class name, the
    n-th of that class on the tab; None: the whole tab), a caption, how long, and an
    optional action run when the step starts (open an enterprise, check a batch)."""

    tab: str
    widget: str | None
    caption_zh: str
    caption_en: str
    dwell_s: float = 8.0
    index: int = 0
    action: str | None = None  # "open_enterprise" | "check_batch"


STEPS = [
    Step("city", "BigNumber", "全市规上工业增加值：本月累计与同比", "Industrial value added this month, with y/y", 7),
    Step("city", "DistrictTileMap", "六个区、县（市）：越城、柯桥、上虞、诸暨、嵊州、新昌",
         "The six districts and counties", 8),
    Step("city", "ShareChart", "从“三缸”到“三片”：黄酒、酱油、染缸 → 芯片、药片、布片",
         "From the 'three vats' to the 'three pieces'", 8),
    Step("dyeing", "RankingBoard", "印染企业实时产量排名：约百家企业的数字孪生",
         "Dyeing mills ranked live: a digital twin of about a hundred mills", 8),
    Step("dyeing", "RankingBoard", "用水强度排名：百米取水量对照行业限值 1.6 吨",
         "Water per 100 m against the 1.6 t industry limit", 7, index=1),
    Step("enterprise", None, "企业码：一码看尽生产、经营、物流、金融、信用",
         "The enterprise code: production, operation, logistics, finance, credit", 10, action="open_enterprise"),
    Step("wine", "BatchCheck", "年份酒核验：标注酒龄与贮存记录是否相符", "Vintage check: does the label match the records?",
         10, action="check_batch"),
    Step("ic", "ProgressToTarget", "集成电路产值迈向千亿集群目标", "IC output on its way to the 100bn target", 7),
    Step("ic", "ChainMap", "产业链：建链、补链、强链——红色虚线为待招引的缺失环节",
         "The chain: red dashed links are the gaps to attract investment for", 9),
    Step("pharma", "ShareChart", "生物医药企业类型分布", "Biopharma enterprises by type", 7),
]


class TourOverlay(QWidget):
    """Dims the window except the highlighted rectangle and shows the caption."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.hole = QRect()
        self.caption = ""
        self.setGeometry(parent.rect())
        self.hide()

    def show_step(self, hole: QRect, caption: str) -> None:
        self.hole, self.caption = QRect(hole), caption
        parent = self.parentWidget()
        self.setGeometry(parent.rect() if parent is not None else self.rect())
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        outside = QPainterPath()
        outside.addRect(QRectF(self.rect()))
        if not self.hole.isEmpty():
            inner = QPainterPath()
            inner.addRoundedRect(QRectF(self.hole).adjusted(-4, -4, 4, 4), 6, 6)
            outside = outside.subtracted(inner)
        p.fillPath(outside, QColor(0, 0, 0, 120))
        if not self.hole.isEmpty():
            pen_w = max(2, round(self.height() / 1080 * 4))
            p.setPen(QColor(theme.ACCENT))
            p.setBrush(Qt.BrushStyle.NoBrush)
            pen = p.pen()
            pen.setWidth(pen_w)
            p.setPen(pen)
            p.drawRoundedRect(QRectF(self.hole).adjusted(-4, -4, 4, 4), 6, 6)
        if self.caption:
            px = max(16, round(self.height() / 1080 * 30))
            font = theme.pixel_font(px, True)
            fm = QFontMetrics(font)
            w = min(self.width() - 2 * px, fm.horizontalAdvance(self.caption) + 2 * px)
            h = fm.height() + px
            # below the highlighted panel when there is room, else above it, else at the bottom
            y = self.hole.bottom() + px * 0.6 if self.hole.bottom() + px + h < self.height() else (
                self.hole.top() - h - px * 0.6 if self.hole.top() - h - px > 0 else self.height() - h - px)
            x = max(px, min(self.hole.center().x() - w / 2, self.width() - w - px)) if not self.hole.isEmpty() \
                else (self.width() - w) / 2
            box = QRectF(x, y, w, h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(theme.ACCENT))
            p.drawRoundedRect(box, px * 0.3, px * 0.3)
            p.setFont(font)
            p.setPen(QColor("#ffffff"))
            text = fm.elidedText(self.caption, Qt.TextElideMode.ElideRight, int(w - px))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        p.end()


class Tour(QObject):
    """Steps through STEPS on a timer, looping; paused by user input, resumed when idle."""

    def __init__(self, window: Any, lang: str = "zh", steps: list[Step] | None = None,
                 on_idle_resume: Callable[[], None] | None = None) -> None:
        super().__init__(window)
        self.win = window
        self.lang = lang
        self.steps = steps or STEPS
        self.index = -1
        self.paused = False
        self.overlay = TourOverlay(window.centralWidget())
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.step)
        self._idle = QTimer(self, singleShot=True, interval=IDLE_RESUME_MS)
        self._idle.timeout.connect(self.resume)
        self.on_idle_resume = on_idle_resume
        window.installEventFilter(self)
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        self.paused = False
        self.step()

    def stop(self) -> None:
        self._timer.stop()
        self._idle.stop()
        self.overlay.hide()
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:  # a stopped tour no longer wakes on input anywhere in the process
            app.removeEventFilter(self)

    def step(self) -> None:
        """Go to the next step (skipping steps whose tab or panel is not there)."""
        if self.paused:
            return
        for _ in range(len(self.steps)):
            self.index = (self.index + 1) % len(self.steps)
            if self._show(self.steps[self.index]):
                self._timer.start(round(self.steps[self.index].dwell_s * 1000))
                return
        self.overlay.hide()

    def caption(self) -> str:
        return self.overlay.caption if self.overlay.isVisible() else ""

    def _show(self, st: Step) -> bool:
        win = self.win
        if not win.show_brain(st.tab):
            return False
        page = win.tabs.currentWidget()
        target: QWidget | None = page
        if st.widget is not None:
            found = [w for w in page.findChildren(QWidget) if type(w).__name__ == st.widget]
            if len(found) <= st.index:
                return False
            target = found[st.index]
        if st.action == "open_enterprise":
            code = self._sample_enterprise()
            if code is None:
                return False
            win.open_enterprise(code)
        elif st.action == "check_batch" and target is not None:
            samples = getattr(target, "samples", None)
            if samples is None or samples.count() < 2:
                return False
            target.check(samples.itemText(1 + (self.index % (samples.count() - 1))))  # type: ignore[attr-defined]
        assert target is not None
        top_left = target.mapTo(win.centralWidget(), target.rect().topLeft())
        hole = QRect(top_left, target.size()) if target is not page else QRect()
        self.overlay.show_step(hole, st.caption_en if self.lang == "en" else st.caption_zh)
        return True

    def _sample_enterprise(self) -> str | None:
        from widgets.ranking_board import RankingBoard

        for tab in self.win.tabs_by_brain.values():
            for board in tab.findChildren(RankingBoard):
                rows = board.rows()
                if rows:
                    return rows[self.index % min(3, len(rows))].key
        return None

    # ---- a visitor takes over, the tour picks up after quiet --------------------------

    def pause(self) -> None:
        if not self.paused:
            self.paused = True
            self._timer.stop()
            self.overlay.hide()
        self._idle.start()

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            if self.on_idle_resume is not None:
                self.on_idle_resume()
            self.step()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.Wheel):
            self.pause()
        elif event.type() == QEvent.Type.Resize and obj is self.win and self.overlay.isVisible():
            win: Any = self.win
            self.overlay.setGeometry(win.centralWidget().rect())
        return False
