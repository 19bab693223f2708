"""The "演示数据" watermark: simulated numbers must never pass for real ones.

Shown whenever the data come from the embedded simulator (``--demo``, or no ``--api``):
a faint diagonal repeat across the screen, on a child widget above the tabs that lets
every mouse event through, and an amber badge in the status bar (never over data). Drawn text only (plain,
never markup); the pattern is a cached pixmap so a repaint under it costs one blit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget

from widgets import theme

TEXT = {"zh": "演示数据 · 模拟数值，非真实统计", "en": "DEMO DATA · simulated, not real statistics"}
TILE = {"zh": "演示数据", "en": "DEMO DATA"}


class Watermark(QWidget):
    """Covers its parent; follows its size; transparent to the mouse."""

    def __init__(self, parent: QWidget, lang: str = "zh") -> None:
        super().__init__(parent)
        self.lang = lang
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setObjectName("watermark")
        self._tile: QPixmap | None = None
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.raise_()

    def badge_text(self) -> str:
        return TEXT["en" if self.lang == "en" else "zh"]

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
            parent = self.parentWidget()
            if parent is not None:
                if event.type() == QEvent.Type.Resize:
                    self.setGeometry(parent.rect())
                    self._tile = None
                self.raise_()
        return False

    def _make_tile(self) -> QPixmap:
        h = max(1, self.height())
        px = max(14, round(h / 1080 * 34))
        font = theme.pixel_font(px, True)
        text = TILE["en" if self.lang == "en" else "zh"]
        fm = QFontMetrics(font)
        w = fm.horizontalAdvance(text) + px * 6
        tile = QPixmap(w, px * 7)
        tile.fill(Qt.GlobalColor.transparent)
        p = QPainter(tile)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(font)
        p.setPen(QColor(255, 255, 255, 14))  # faint: the screen stays readable
        p.translate(tile.width() / 2, tile.height() / 2)
        p.rotate(-20)
        p.drawText(QRectF(-w / 2, -px, w, 2 * px), Qt.AlignmentFlag.AlignCenter, text)
        p.end()
        return tile

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if self._tile is None:
            self._tile = self._make_tile()
        p = QPainter(self)
        p.drawTiledPixmap(event.rect(), self._tile, event.rect().topLeft())
        p.end()
