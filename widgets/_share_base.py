"""What both looks of the ShareChart share (widgets/share_chart.py): its data, the legend
rows, the series colours and the legend swatch. The donut lives in ``_share_donut``, the
stacked area in ``_share_area``."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from widgets import theme
from widgets._panel import Panel, format_number
from widgets.state import DataState

MODES = ("donut", "area")
_HOLE = 0.62  # inner radius of the ring, as a fraction of the outer
_MORE = "+{n}"  # the last legend row when not every part fits

# a legend row: name, value, percentage, its rectangle, the series' colour index (-1: "+N")
LegendRow = tuple[str, str, str, QRectF, int]

def _clean(value: float | None, what: str) -> float | None:
    """A finite, non-negative float, or None for unknown (None, NaN, ±inf)."""
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: not a number: {value!r}") from None
    if not math.isfinite(v):
        return None
    if v < 0:
        raise ValueError(f"{what}: a share cannot be negative, got {v}")
    return v


# offline, the series turn grey: alternating shades keep neighbours apart
_OFFLINE_SHADES = (0.0, 0.4, 0.2, 0.55, 0.1, 0.45, 0.28, 0.6)


def _series_color(i: int, state: DataState) -> QColor:
    """Series i's colour as shown in a state: full when live, dimmed when stale, grey offline."""
    c = QColor(theme.SERIES_COLORS[i % len(theme.SERIES_COLORS)])
    if state == DataState.STALE:
        return theme.blend(c, theme.PANEL, 0.45)
    if state == DataState.OFFLINE:
        return theme.blend(theme.OFFLINE_VALUE, theme.PANEL, _OFFLINE_SHADES[i % len(_OFFLINE_SHADES)])
    return c


def _text_color(state: DataState) -> QColor:
    if state == DataState.STALE:
        return theme.blend(theme.TEXT, theme.PANEL, 0.45)
    if state == DataState.OFFLINE:
        return QColor(theme.OFFLINE_VALUE)
    return QColor(theme.TEXT)


def _percent(v: float, digits: int = 1) -> str:
    return format_number(v, digits) + "%"


class ShareBase(Panel):
    """The data and the laid-out parts both looks read and write (declared for the type
    checker; ShareChart sets them)."""

    _mode: str
    _center_label: str
    _total_captions: tuple[str, str]
    _parts: list[tuple[str, float | None]]
    _x_labels: list[str]
    _series: list[tuple[str, list[float | None]]]
    _normalise: bool
    _pad: float
    _label_px: int
    _label_font: QFont
    _content: QRectF
    _ring: QRectF
    _plot: QRectF
    _legend_rect: QRectF
    _legend_rows: list[LegendRow]
    _legend_font: QFont
    _legend_cols: tuple[float, float, float]  # name, value, pct widths (donut)
    _x_shown: list[tuple[str, QRectF]]
    _y_ticks: list[tuple[str, float]]
    _end_labels: list[tuple[str, float, int]]

    def _no_data(self) -> bool:
        return self._state == DataState.NO_DATA

    def _series_color(self, i: int) -> QColor:
        return _series_color(i, self._state)

    def _series_text_color(self, i: int) -> QColor:
        if self._state == DataState.OFFLINE:
            return QColor(theme.OFFLINE_VALUE)
        return self._series_color(i)

    def _paint_swatch(self, p: QPainter, row: QRectF, i: int, hollow: bool) -> float:
        """A legend row's colour square (an outline for an unknown part); where its text starts."""
        sw = self._legend_font.pixelSize() * 0.75
        cy = row.center().y()
        sq = QRectF(row.left(), cy - sw / 2, sw, sw)
        if hollow:
            p.setPen(QPen(QColor(theme.TEXT_DIM), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(sq.adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            p.fillRect(sq, self._series_color(i))
        return sq.right()
