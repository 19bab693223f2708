"""KpiTile: a title, a big number with unit, and the change since the previous value.

Frame and title are drawn directly (no cached pixmap: they are a fill, a border and a
few words); a value change repaints only the number row and the change row below it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._changes import DOWN, UP, change_parts
from widgets._panel import DASH, Panel, elide, fit_font, format_number, number_unit_fonts
from widgets.state import DataState

# colours by (convention, state, change direction, up_is_good): made once, not per paint
_COLORS: dict[tuple[str, DataState, int, bool | None], tuple[QColor, QColor, QColor]] = {}
_DASH_COLOR = QColor(theme.TEXT_DIM)


def _palette_changed() -> None:
    global _DASH_COLOR
    _DASH_COLOR = QColor(theme.TEXT_DIM)
    _COLORS.clear()


theme.on_palette_change(_palette_changed)



class KpiTile(Panel):
    """A number tile for one counter-like value (output, orders, energy...)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._unit = ""
        self._precision = 0
        self._value: float | None = None
        self._delta: float | None = None  # change from the previous value, at the shown precision
        self._up_is_good: bool | None = None
        self._change_label: str | None = ""  # what the change is against; None: no change line
        self._changes: list[tuple[str, float | None]] = []  # labelled 同比/环比 (%): replace the delta
        self._fonts: dict[str, tuple[QFont, QFont, QFontMetrics]] = {}  # number/unit fonts by text shape
        self._note_cache: tuple[str, int, str] = ("", -1, "")
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        if what == "unit":
            self._fonts.clear()
        self.invalidate()

    def set_change_label(self, label: str | None) -> None:
        """Name what the change line compares with (e.g. "较上次"), so it does not read as
        a 同比; None drops the change line."""
        if label != self._change_label:
            self._change_label = label
            self.invalidate()

    def set_changes(self, changes: list[tuple[str, float | None]]) -> None:
        """Labelled changes in percent, e.g. [("同比", 5.2), ("环比", -1.1)] (None: unknown):
        shown instead of the change from the previous value; [] goes back to that."""
        clean = []
        for label, pct in changes:
            v = None if pct is None else float(pct)
            clean.append((str(label), v if v is not None and math.isfinite(v) else None))
        if clean != self._changes:
            self._changes = clean
            self.update(self._dynamic_rect)

    def set_up_is_good(self, up_is_good: bool | None) -> None:
        """Whether a rise is good (True), bad (False) or neither (None, the default).

        Under the "status" colour convention (theme.set_change_convention) a good change
        is green and a bad one red; under "market" every rise is red, every fall green."""
        if up_is_good != self._up_is_good:
            self._up_is_good = up_is_good
            self.invalidate()

    def set_value(self, value: float | None) -> None:
        """Show a value and its change from the previous one; None (or NaN) shows a dash."""
        if value is not None:
            value = float(value)
            if not math.isfinite(value):
                value = None
        old, old_delta = self._value, self._delta
        if value is None or old is None:
            delta = None
        else:
            p = self._precision
            delta = round(round(value, p) - round(old, p), p) + 0.0  # + 0.0: no "-0"
        self._value, self._delta = value, delta
        if (value == old and delta == old_delta) or self._state == DataState.NO_DATA:
            return
        self.update(self._dynamic_rect)

    def value(self) -> float | None:
        """The current value (None if there is none)."""
        return self._value

    def value_text(self) -> str:
        """The text drawn for the value: the formatted number, or a dash."""
        if self._value is None or self._state == DataState.NO_DATA:
            return DASH
        return format_number(self._value, self._precision)

    def delta_text(self) -> str:
        """The change line drawn: "▲ +1.2", "▼ −0.4", "±0" (unchanged), "—" (no earlier value
        to compare with) or "" (no value)."""
        if self._value is None or self._state == DataState.NO_DATA:
            return ""
        if self._changes:  # "同比 ▲5.2%  环比 ▼1.1%"
            return "  ".join(f"{label} {value}" for label, value, _ in change_parts(self._changes))
        if self._change_label is None:
            return ""
        d = self._delta
        prefix = f"{self._change_label} " if self._change_label else ""
        if d is None:  # nothing to compare with yet
            return prefix + DASH
        if d == 0:  # unchanged: said so, not a dash that reads as "unknown"
            return prefix + "±0"
        sign = "+" if d > 0 else ""
        return f"{prefix}{UP if d > 0 else DOWN} {sign}{format_number(d, self._precision)}"

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(360, 150)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(160, 80)

    # ---- geometry -------------------------------------------------------------------

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        # the number shrinks to its width by itself: a narrow tile's text still fills its height
        s = max(20.0, min(h / 1.12, w / 1.2))
        self._scale = s
        pad = max(4.0, 0.08 * s)
        top = (h - 1.12 * s) / 2 + 0.08 * s
        self._pad = pad
        self._title_rect = QRectF(pad, top, w - 2 * pad, 0.2 * s)
        self._num_rect = QRectF(pad, top + 0.22 * s, w - 2 * pad, 0.5 * s)
        self._bottom_rect = QRectF(pad, top + 0.76 * s, w - 2 * pad, 0.2 * s)
        self._title_font = theme.pixel_font(max(8, round(0.15 * s)))
        self._num_px = max(10, round(0.42 * s))
        self._unit_px = max(7, round(0.17 * s))
        self._unit_gap = 0.04 * s
        self._small_font = theme.pixel_font(max(7, round(0.14 * s)))
        self._small_fm = QFontMetrics(self._small_font)
        # what a value change repaints: the number row and the change row, not the title
        dyn = QRectF(0, self._num_rect.top(), w, self._bottom_rect.bottom() - self._num_rect.top() + 2)
        self._dynamic_rect = dyn.toAlignedRect()
        self._fonts.clear()
        self._note_cache = ("", -1, "")

    def _fonts_for(self, text: str) -> tuple[QFont, QFont, QFontMetrics]:
        """Number and unit fonts so that number + unit fit the width (cached by text shape)."""
        shape = "".join("0" if ch.isdigit() else ch for ch in text)
        fonts = self._fonts.get(shape)
        if fonts is None:
            unit = self._unit if text != DASH else ""
            fonts = number_unit_fonts(shape, unit, self._num_rect.width(), self._num_px, self._unit_px,
                                      self._unit_gap, 0.92)
            self._fonts[shape] = fonts
        return fonts

    # ---- painting -------------------------------------------------------------------

    def _colors(self) -> tuple[QColor, QColor, QColor]:
        """Number, unit and change colours for the current state and change direction (cached)."""
        d = self._delta
        if self._changes:  # coloured by the first labelled change known
            d = next((pct for _, pct in self._changes if pct is not None), None)
        direction = 0 if d is None or d == 0 else (1 if d > 0 else -1)
        key = (theme.change_convention(), self._state, direction, self._up_is_good)
        colors = _COLORS.get(key)
        if colors is None:
            colors = _COLORS[key] = self._make_colors(*key[1:])
        return colors

    @staticmethod
    def _make_colors(
        state: DataState, direction: int, up_is_good: bool | None
    ) -> tuple[QColor, QColor, QColor]:
        delta = theme.change_color(direction, up_is_good)
        num, unit = QColor(theme.TEXT), QColor(theme.TEXT_DIM)
        if state == DataState.STALE:
            num, delta = theme.blend(num, theme.PANEL, 0.45), theme.blend(delta, theme.PANEL, 0.45)
            unit = theme.blend(unit, theme.PANEL, 0.3)
        elif state == DataState.OFFLINE:
            num = delta = QColor(theme.OFFLINE_VALUE)
            unit = theme.blend(theme.OFFLINE_VALUE, theme.PANEL, 0.3)
        return num, unit, delta

    def _cache_rect(self) -> QRect:
        # no pixmap: a value change repaints the number rows, where the static layer is
        # only the panel fill and the frame's sides, cheaper to draw than to keep
        return QRect()

    def _paint_static(self, p: QPainter) -> None:
        if self._title and self._needs(self._title_rect):
            p.setFont(self._title_font)
            p.setPen(QColor(theme.NEUTRAL))
            font = fit_font(self._title_font.pixelSize(), self._title, self._title_rect.width())
            p.setFont(font)
            text = elide(QFontMetrics(font), self._title, self._title_rect.width())
            p.drawText(self._title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_dynamic(self, p: QPainter, rect: QRect) -> None:
        if not rect.intersects(self._dynamic_rect):
            return
        text = self.value_text()
        num_color, unit_color, delta_color = self._colors()
        nf, uf, fm = self._fonts_for(text)
        r = self._num_rect
        baseline = r.top() + (r.height() + fm.ascent() - fm.descent()) / 2
        p.setFont(nf)
        if text == DASH:
            p.setPen(_DASH_COLOR)
            p.drawText(QRectF(r.left(), r.top(), r.width(), r.height()), Qt.AlignmentFlag.AlignVCenter, DASH)
        else:
            p.setPen(num_color)
            p.drawText(round(r.left()), round(baseline), text)
            if self._unit:
                x = r.left() + fm.horizontalAdvance(text) + self._unit_gap
                p.setFont(uf)
                p.setPen(unit_color)
                p.drawText(round(x), round(baseline), self._unit)
        b = self._bottom_rect
        delta = self.delta_text()
        p.setFont(self._small_font)
        note_w = 0.0
        if self._note and self._state != DataState.LIVE:
            # the note wins the row: without it a stale value would pass for a live one
            note, width, shown = self._note_cache
            if note != self._note or width != round(b.width()):
                shown = elide(self._small_fm, self._note, b.width())
                self._note_cache = (self._note, round(b.width()), shown)
            p.setPen(self._note_color())
            p.drawText(b, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            note_w = self._small_fm.horizontalAdvance(shown) + self._pad
        if delta and self._changes and self._small_fm.horizontalAdvance(delta) + note_w > b.width():
            delta = delta.split("  ")[0]  # no room for both: the 同比 alone, still labelled
        if delta and self._small_fm.horizontalAdvance(delta) + note_w <= b.width():
            p.setPen(delta_color)
            p.drawText(b, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, delta)


def _preview() -> None:
    from widgets._preview import run_preview

    def make(state: DataState, note: str) -> KpiTile:
        t = KpiTile()
        t.set_title("规上工业产值")
        t.set_unit("万元")
        t.set_precision(1)
        t.set_up_is_good(True)
        t.set_value(12345.6)
        t.set_value(12890.4)
        t.set_state(state, note)
        return t

    n = [0]

    def tick(tiles: list) -> None:
        n[0] += 1
        tiles[0].set_value(12000 + 900 * math.sin(n[0] / 3))

    run_preview("KpiTile preview", make, tick, columns=2, size=(1000, 420))

if __name__ == "__main__":
    _preview()
