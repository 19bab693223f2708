"""A plant's floor plan with its units (a digital twin's view): areas as dashed outlines,
units as boxes coloured by state with their name and meters.

Knows nothing of the cockpit: it is given areas and units in metres, the texts to show and
the colours' meanings. All text is plain text drawn with QPainter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets import theme
from widgets.state import DataState

__all__ = ["FloorArea", "FloorMeter", "FloorUnit", "PlantFloor"]


@dataclass(frozen=True)
class FloorArea:
    key: str
    name: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class FloorMeter:
    text: str  # e.g. "温度 130 °C"
    level: str = "ok"  # "ok", "warn", "alarm"


@dataclass(frozen=True)
class FloorUnit:
    key: str
    name: str
    x: float
    y: float
    w: float
    h: float
    state: str  # "running", "idle", "stopped", "fault", "cleaning"
    meters: tuple[FloorMeter, ...] = field(default_factory=tuple)
    round: bool = False  # a tank or vessel: drawn with round ends


def state_colour(state: str) -> str:
    """The colour of a state (read at use: themes switch)."""
    return {"running": theme.OK, "idle": theme.WARN, "fault": theme.ALARM, "cleaning": theme.ACCENT}.get(
        state, theme.NEUTRAL)


class PlantFloor(QWidget):
    """Areas and units on a floor of ``floor_w`` × ``floor_h`` metres, scaled to the widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._floor = (100.0, 60.0)
        self._areas: list[FloorArea] = []
        self._units: list[FloorUnit] = []
        self._labels: dict[str, str] = {}
        self._state = DataState.NO_DATA
        self._note = ""
        self._px = 14
        self.unit_rects: dict[str, QRectF] = {}  # where each unit was drawn (tests, hit tests)

    # ---- data ------------------------------------------------------------------------
    def set_plant(self, floor_w: float, floor_h: float, areas: list[FloorArea], units: list[FloorUnit]) -> None:
        self._floor = (max(1e-3, floor_w), max(1e-3, floor_h))
        self._areas, self._units = list(areas), list(units)
        self._state = DataState.LIVE if units else DataState.NO_DATA
        self.update()

    def set_state_labels(self, labels: dict[str, str]) -> None:
        """The legend's words per state, e.g. {"running": "运行", ...}."""
        self._labels = dict(labels)
        self.update()

    def set_state(self, state: DataState, note: str = "") -> None:
        self._state, self._note = state, note
        self.update()

    def state(self) -> DataState:
        return self._state

    def units(self) -> list[FloorUnit]:
        return list(self._units)

    def legend_texts(self) -> list[str]:
        counts = {s: sum(u.state == s for u in self._units) for s in self._labels}
        return [f"{self._labels[s]} {n}" for s, n in counts.items() if n]

    def text_px(self) -> int:
        return self._px

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(960, 540)

    # ---- painting --------------------------------------------------------------------
    def _floor_rect(self, legend_h: float) -> QRectF:
        fw, fh = self._floor
        avail = QRectF(8, 8, self.width() - 16, self.height() - 16 - legend_h)
        s = min(avail.width() / fw, avail.height() / fh)
        w, h = fw * s, fh * s
        return QRectF(avail.x() + (avail.width() - w) / 2, avail.y() + (avail.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        try:
            self._paint(p)
        finally:
            p.end()

    def _paint(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), QColor(theme.BACKGROUND))
        win = self.window()
        target = max(12, round((win.height() if win is not None else 1080) / 1080 * 16))
        dim = self._state in (DataState.STALE, DataState.OFFLINE)
        legend_h = target * 2.0
        floor = self._floor_rect(legend_h)
        scale = floor.width() / self._floor[0]
        # one text size for every unit: the largest that fits each unit's lines (not below 11 px)
        px = target
        while px > 11:
            fm = QFontMetrics(theme.pixel_font(px))
            if all(len(u.meters) + 1 <= (u.h * scale - 6) / (fm.height() * 1.05) for u in self._units):
                break
            px -= 1
        self._px = px
        font, bold = theme.pixel_font(px), theme.pixel_font(px, True)
        fm, fmb = QFontMetrics(font), QFontMetrics(bold)
        # the floor and its areas
        p.setPen(QPen(QColor(theme.EDGE), 2))
        p.setBrush(QColor(theme.PANEL))
        p.drawRect(floor)
        for a in self._areas:
            r = QRectF(floor.x() + a.x * scale, floor.y() + a.y * scale, a.w * scale, a.h * scale)
            pen = QPen(QColor(theme.TEXT_DIM), 1, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(r.adjusted(2, 2, -2, -2))
        # units
        self.unit_rects = {}
        for u in self._units:
            r = QRectF(floor.x() + u.x * scale, floor.y() + u.y * scale, u.w * scale, u.h * scale)
            self.unit_rects[u.key] = r
            colour = QColor(state_colour(u.state))
            fill = theme.blend(theme.PANEL, colour, 0.22 if not dim else 0.08)
            p.setPen(QPen(colour, 2))
            p.setBrush(fill)
            radius = min(r.width(), r.height()) * 0.22 if u.round else 4.0
            p.drawRoundedRect(r, radius, radius)
            pad = radius * 0.45 if u.round else 0.0
            inner = r.adjusted(5 + pad, 3 + pad * 0.6, -5 - pad, -3)
            y = inner.y()
            p.setFont(bold)
            p.setPen(QColor(theme.TEXT if not dim else theme.TEXT_DIM))
            p.drawText(QRectF(inner.x(), y, inner.width(), fmb.height()), Qt.AlignmentFlag.AlignLeft,
                       fmb.elidedText(u.name, Qt.TextElideMode.ElideRight, int(inner.width())))
            y += fmb.height() * 1.05
            p.setFont(font)
            for m in u.meters:
                if y + fm.height() > inner.bottom() + 1:
                    break
                c = {"warn": theme.WARN, "alarm": theme.ALARM}.get(m.level, theme.TEXT if not dim else theme.TEXT_DIM)
                p.setPen(QColor(c))
                p.drawText(QRectF(inner.x(), y, inner.width(), fm.height()), Qt.AlignmentFlag.AlignLeft,
                           fm.elidedText(m.text, Qt.TextElideMode.ElideRight, int(inner.width())))
                y += fm.height() * 1.05
        # area names, over the units' edges where they meet (drawn last: always readable)
        p.setFont(font)
        for a in self._areas:
            r = QRectF(floor.x() + a.x * scale, floor.y() + a.y * scale, a.w * scale, a.h * scale)
            label = fm.elidedText(a.name, Qt.TextElideMode.ElideRight, int(r.width() - 12))
            tw = fm.horizontalAdvance(label) + 8
            box = QRectF(r.x() + 6, r.bottom() - fm.height() - 6, tw, fm.height() + 2)
            p.fillRect(box, QColor(theme.BACKGROUND))
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        # legend: the states and how many units are in each; the data note at the right
        ly = self.height() - legend_h + 4
        x = 12.0
        lf = theme.pixel_font(target)
        lfm = QFontMetrics(lf)
        p.setFont(lf)
        counts = {s: sum(u.state == s for u in self._units) for s in self._labels}
        for s, n in counts.items():
            text = f"{self._labels[s]} {n}"
            p.fillRect(QRectF(x, ly + lfm.height() * 0.25, lfm.height() * 0.6, lfm.height() * 0.6),
                       QColor(state_colour(s)))
            x += lfm.height() * 0.8
            p.setPen(QColor(theme.TEXT))
            p.drawText(QRectF(x, ly, lfm.horizontalAdvance(text) + 4, lfm.height()), Qt.AlignmentFlag.AlignLeft, text)
            x += lfm.horizontalAdvance(text) + lfm.height()
        if self._note:
            p.setPen(QColor(theme.WARN if self._state != DataState.LIVE else theme.TEXT_DIM))
            note = lfm.elidedText(self._note, Qt.TextElideMode.ElideLeft, int(max(10, self.width() - x - 16)))
            p.drawText(QRectF(x, ly, self.width() - x - 12, lfm.height()), Qt.AlignmentFlag.AlignRight, note)
