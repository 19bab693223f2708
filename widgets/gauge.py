"""Gauge: a 270° arc gauge with warn/alarm bands, a big value with unit, title at the bottom.

The track, bands, scale ends, unit, title and state note are drawn once into a cached
pixmap; a value change repaints only the number and the part of the arc that moved. The
pixmap holds only the arc's bounds (where value changes repaint): the flat rest of the
panel is drawn directly on the rare full repaints.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, Panel, elide, fit_font, format_number
from widgets.state import DataState

_DASH_COLOR = QColor(theme.TEXT_DIM)


def _palette_changed() -> None:
    global _DASH_COLOR
    _DASH_COLOR = QColor(theme.TEXT_DIM)


theme.on_palette_change(_palette_changed)
START_DEG = 225.0  # the arc starts bottom-left (Qt angles: 0 = 3 o'clock, counter-clockwise)
SWEEP_DEG = 270.0  # and runs clockwise to bottom-right


class Gauge(Panel):
    """A QPainter arc gauge for one bounded value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._unit = ""
        self._lo = 0.0
        self._hi = 100.0
        self._warn_low: float | None = None
        self._warn_high: float | None = None
        self._alarm_low: float | None = None
        self._alarm_high: float | None = None
        self._precision = 1
        self._value: float | None = None
        self._text = DASH
        self._fonts: dict[str, QFont] = {}  # number font by text shape (digits → 0)
        self._pens: dict[tuple[DataState, str], tuple[QPen, QColor]] = {}
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        if what == "precision":
            self._update_text()
        self.invalidate()

    def set_range(self, lo: float, hi: float) -> None:
        """Set the scale; values outside it clamp the arc but show their true number."""
        lo, hi = float(lo), float(hi)
        if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
            raise ValueError(f"gauge range needs finite lo < hi, got {lo}, {hi}")
        if (lo, hi) != (self._lo, self._hi):
            self._lo, self._hi = lo, hi
            self.invalidate()

    def set_thresholds(
        self,
        warn_low: float | None = None,
        warn_high: float | None = None,
        alarm_low: float | None = None,
        alarm_high: float | None = None,
    ) -> None:
        """Set warn/alarm limits (None = no such limit); drawn as bands along the track."""
        self._warn_low, self._warn_high = warn_low, warn_high
        self._alarm_low, self._alarm_high = alarm_low, alarm_high
        self.invalidate()

    def set_value(self, value: float | None) -> None:
        """Show a value; None (or NaN) shows a dash, never a number."""
        if value is not None:
            value = float(value)
            if not math.isfinite(value):
                value = None
        if value == self._value:
            return
        old, old_level, old_text = self._value, self.level(), self._text
        self._value = value
        self._update_text()
        if self._state != DataState.NO_DATA:  # no data shows a dash whatever the value
            self._update_changed(old, old_level, old_text)

    def value(self) -> float | None:
        """The current value (None if there is none)."""
        return self._value

    def value_text(self) -> str:
        """The text drawn for the value: the formatted number, or a dash."""
        return self._shown_text()

    def level(self) -> str:
        """Where the value sits: "ok", "warn", "alarm", or "" without a value."""
        v = self._value
        if v is None:
            return ""
        if (self._alarm_high is not None and v >= self._alarm_high) or (
            self._alarm_low is not None and v <= self._alarm_low
        ):
            return "alarm"
        if (self._warn_high is not None and v >= self._warn_high) or (
            self._warn_low is not None and v <= self._warn_low
        ):
            return "warn"
        return "ok"

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(300, 300)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(140, 140)

    # ---- geometry -------------------------------------------------------------------

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        self._scale = min(w, h)
        pad = max(4.0, min(w, h) * 0.03)
        # composition: band outer edge 1.155 r above the centre, note bottom 1.21 r below
        r = max(8.0, min((w - 2 * pad) / 2.31, (h - 2 * pad) / 2.37))
        # under a text floor (a wall), title and note keep a line of that height each below the dial
        floor = theme.min_text_px()
        text_h = 0.41 * r
        if floor and text_h < 2.8 * floor:
            text_h = 2.8 * floor
            r = max(8.0, min((w - 2 * pad) / 2.31, (h - 2 * pad - text_h) / 1.96))
        cx = w / 2
        cy = (h - 1.96 * r - text_h) / 2 + 1.155 * r
        self._r, self._cx, self._cy = r, cx, cy
        self._tw = max(3.0, 0.14 * r)  # track width
        self._track_rect = QRectF(cx - r, cy - r, 2 * r, 2 * r)
        self._band_w = max(2.0, 0.05 * r)
        br = r + self._tw / 2 + 0.035 * r + self._band_w / 2
        self._band_rect = QRectF(cx - br, cy - br, 2 * br, 2 * br)
        inner = r - self._tw / 2
        self._num_rect = QRectF(cx - 0.88 * inner, cy - 0.34 * r, 1.76 * inner, 0.52 * r)
        self._num_px = max(8, round(0.40 * r))
        self._unit_rect = QRectF(cx - 0.8 * inner, cy + 0.18 * r, 1.6 * inner, 0.22 * r)
        self._label_px = max(7, round(0.115 * r))
        self._title_rect = QRectF(pad, cy + 0.80 * r, w - 2 * pad, text_h * 0.24 / 0.41)
        self._title_px = max(8, round(0.165 * r))
        self._note_rect = QRectF(pad, self._title_rect.bottom(), w - 2 * pad, text_h * 0.17 / 0.41)
        self._note_px = max(7, round(0.13 * r))
        self._unit_font = theme.pixel_font(max(7, round(0.15 * r)))
        self._fonts.clear()
        self._pens.clear()
        self._arc_bounds = self._arc_rect(0.0, 1.0)

    def _frac(self, v: float) -> float:
        return min(1.0, max(0.0, (v - self._lo) / (self._hi - self._lo)))

    def _arc_rect(self, f0: float, f1: float) -> QRect:
        """Pixel bounds of the value arc between two fractions of the sweep (for update())."""
        if f0 > f1:
            f0, f1 = f1, f0
        a_hi = START_DEG - SWEEP_DEG * f0  # larger angle
        a_lo = START_DEG - SWEEP_DEG * f1
        angles = [a_lo, a_hi] + [k * 90.0 for k in range(-1, 4) if a_lo < k * 90.0 < a_hi]
        ro = self._r + self._tw / 2 + 2
        ri = max(0.0, self._r - self._tw / 2 - 2)
        xs, ys = [], []
        for a in angles:
            c, s = math.cos(math.radians(a)), -math.sin(math.radians(a))
            for rad in (ro, ri):
                xs.append(self._cx + rad * c)
                ys.append(self._cy + rad * s)
        return (
            QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))
            .toAlignedRect()
            .adjusted(-2, -2, 2, 2)
        )

    # ---- values ---------------------------------------------------------------------

    def _shown_text(self) -> str:
        if self._value is None or self._state == DataState.NO_DATA:
            return DASH
        return self._text

    def _update_text(self) -> None:
        self._text = DASH if self._value is None else format_number(self._value, self._precision)

    def _number_font(self, text: str) -> QFont:
        shape = "".join("0" if ch.isdigit() else ch for ch in text)
        font = self._fonts.get(shape)
        if font is None:
            font = fit_font(self._num_px, shape, self._num_rect.width(), bold=True, figures=True)
            self._fonts[shape] = font
        return font

    def _update_changed(self, old: float | None, old_level: str, old_text: str) -> None:
        """Repaint the number and only the part of the arc that changed."""
        if self._text != old_text or self.level() != old_level:
            self.update(self._num_rect.toAlignedRect())
        f_old = 0.0 if old is None else self._frac(old)
        f_new = 0.0 if self._value is None else self._frac(self._value)
        if self.level() != old_level:
            self.update(self._arc_rect(0.0, max(f_old, f_new)))
        elif f_old != f_new:
            self.update(self._arc_rect(f_old, f_new))

    def _value_style(self) -> tuple[QPen, QColor]:
        """Arc pen and number colour for the current state and level (cached)."""
        key = (self._state, self.level())
        style = self._pens.get(key)
        if style is None:
            level = key[1] or "ok"
            arc = QColor({"ok": theme.OK, "warn": theme.WARN, "alarm": theme.ALARM}[level])
            num = QColor(theme.TEXT if level == "ok" else arc)
            if self._state == DataState.STALE:
                arc, num = theme.blend(arc, theme.PANEL, 0.55), theme.blend(num, theme.PANEL, 0.45)
            elif self._state == DataState.OFFLINE:
                arc, num = theme.blend(theme.OFFLINE_VALUE, theme.PANEL, 0.25), QColor(theme.OFFLINE_VALUE)
            pen = QPen(arc, self._tw, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
            style = (pen, num)
            self._pens[key] = style
        return style

    # ---- painting -------------------------------------------------------------------

    def _bands(self) -> list[tuple[float, float, str]]:
        """Warn/alarm segments of the scale, as (from, to, colour), clipped to the range."""
        lo, hi = self._lo, self._hi
        out = []
        al, wl, wh, ah = self._alarm_low, self._warn_low, self._warn_high, self._alarm_high
        if al is not None:
            out.append((lo, al, theme.ALARM))
        if wl is not None:
            out.append((al if al is not None else lo, wl, theme.WARN))
        if wh is not None:
            out.append((wh, ah if ah is not None else hi, theme.WARN))
        if ah is not None:
            out.append((ah, hi, theme.ALARM))
        clipped = []
        for a, b, c in out:
            a, b = max(lo, min(a, b)), min(hi, max(a, b))
            if b > a:
                clipped.append((a, b, c))
        return clipped

    def _paint_static(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self._needs(self._arc_bounds):
            track = QPen(QColor(theme.EDGE), self._tw, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
            p.setPen(track)
            p.drawArc(self._track_rect, round(START_DEG * 16), round(-SWEEP_DEG * 16))
        bw = self._band_w
        bands = self._bands() if self._needs(self._band_rect.adjusted(-bw, -bw, bw, bw)) else []
        dim_bands = self._state != DataState.LIVE
        for a, b, color in bands:
            c = theme.blend(color, theme.PANEL, 0.45) if dim_bands else QColor(color)
            f0, f1 = self._frac(a), self._frac(b)
            p.setPen(QPen(c, self._band_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            p.drawArc(
                self._band_rect, round((START_DEG - SWEEP_DEG * f0) * 16), round(-SWEEP_DEG * (f1 - f0) * 16)
            )
        # scale ends, just inside the two ends of the arc
        p.setFont(theme.pixel_font(self._label_px))
        p.setPen(QColor(theme.TEXT_DIM))
        r, cx, cy = self._r, self._cx, self._cy
        lw, lh = 0.5 * r, 0.18 * r
        for v, sx in ((self._lo, -1), (self._hi, 1)):
            px, py = cx + sx * 0.62 * r, cy + 0.55 * r
            box = QRectF(px - lw / 2, py - lh / 2, lw, lh)
            if self._needs(box):
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, _scale_label(v))
        if self._unit and self._needs(self._unit_rect):
            p.setFont(self._unit_font)
            fm = QFontMetrics(self._unit_font)
            p.drawText(
                self._unit_rect, Qt.AlignmentFlag.AlignCenter, elide(fm, self._unit, self._unit_rect.width())
            )
        if self._title and self._needs(self._title_rect):
            font = theme.pixel_font(self._title_px)
            p.setFont(font)
            p.setPen(QColor(theme.NEUTRAL))
            fm = QFontMetrics(font)
            p.drawText(
                self._title_rect,
                Qt.AlignmentFlag.AlignCenter,
                elide(fm, self._title, self._title_rect.width()),
            )
        if self._note and self._state != DataState.LIVE and self._needs(self._note_rect):
            font = theme.pixel_font(self._note_px)
            p.setFont(font)
            p.setPen(self._note_color())
            fm = QFontMetrics(font)
            p.drawText(
                self._note_rect, Qt.AlignmentFlag.AlignCenter, elide(fm, self._note, self._note_rect.width())
            )

    def _paint_dynamic(self, p: QPainter, rect: QRect) -> None:
        text = self._shown_text()
        if text == DASH:
            p.setPen(_DASH_COLOR)
            p.setFont(self._number_font(DASH))
            p.drawText(self._num_rect, Qt.AlignmentFlag.AlignCenter, DASH)
            return
        pen, num_color = self._value_style()
        assert self._value is not None
        f = self._frac(self._value)
        if f > 0 and rect.intersects(self._arc_bounds) and not self._inside_hole(rect):
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setPen(pen)
            p.drawArc(self._track_rect, round(START_DEG * 16), round(-SWEEP_DEG * f * 16))
        if rect.intersects(self._num_rect.toAlignedRect()):
            p.setPen(num_color)
            p.setFont(self._number_font(text))
            p.drawText(self._num_rect, Qt.AlignmentFlag.AlignCenter, text)

    def _inside_hole(self, rect: QRect) -> bool:
        """True if rect lies within the arc's inner circle (the arc needs no stroking there)."""
        ri = self._r - self._tw / 2 - 1
        dx = max(abs(rect.left() - self._cx), abs(rect.right() + 1 - self._cx))
        dy = max(abs(rect.top() - self._cy), abs(rect.bottom() + 1 - self._cy))
        return dx * dx + dy * dy < ri * ri

    def _state_changed(self) -> None:
        self._pens.clear()

    def _cache_rect(self) -> QRect:
        return self._arc_bounds  # holds every repaint of a value change (arc and number)


def _scale_label(v: float) -> str:
    """Compact scale-end label: 100, 2.5, 12k."""
    if abs(v) >= 10000:
        return format_number(v / 1000, 0) + "k"
    if v == int(v):
        return format_number(v, 0)
    return format_number(v, 1)


def _preview() -> None:
    from widgets._preview import run_preview

    def make(state: DataState, note: str) -> Gauge:
        g = Gauge()
        g.set_title("印染开机率")
        g.set_unit("%")
        g.set_range(0, 100)
        g.set_thresholds(warn_low=30, warn_high=80, alarm_low=15, alarm_high=92)
        g.set_value(72.4)
        g.set_state(state, note)
        return g

    t = [0]

    def tick(gauges: list) -> None:
        t[0] += 1
        gauges[0].set_value(55 + 45 * math.sin(t[0] / 10))

    run_preview("Gauge preview", make, tick, interval_ms=200)

if __name__ == "__main__":
    _preview()
