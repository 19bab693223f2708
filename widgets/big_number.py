"""BigNumber: a headline figure ("1,003.3 亿元"), huge, with a title above and 同比/环比 below.

When the value changes, the digits count from the old to the new value over ~600 ms (a
QVariantAnimation): only during that animation does the number repaint at frame rate, and
only its row. Setting the same value again repaints nothing. ``value_text()`` is the final
text; ``shown_text()`` the one drawn now.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QRect, QRectF, QSize, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._changes import change_parts, paint_changes
from widgets._panel import DASH, Panel, elide, fit_font, format_number, number_unit_fonts
from widgets.scrolling_rows import finite_or_none, state_color
from widgets.state import DataState

_CENTER = Qt.AlignmentFlag.AlignCenter
_DASH_COLOR = QColor(theme.TEXT_DIM)


def _palette_changed() -> None:
    global _DASH_COLOR
    _DASH_COLOR = QColor(theme.TEXT_DIM)


theme.on_palette_change(_palette_changed)


class BigNumber(Panel):
    """A headline figure with unit, title and period-over-period changes; animates value changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._unit = ""
        self._precision = 1
        self._value: float | None = None  # the target
        self._shown: float | None = None  # what is drawn now (between old and target while animating)
        self._changes: list[tuple[str, float | None]] = []
        self._change_precision = 1
        self._up_is_good: bool | None = None
        self._animated = True
        self._drawn = ""  # the number text last painted
        self._fonts: dict[str, tuple[QFont, QFont, QFontMetrics]] = {}
        self._anim_fonts: tuple[QFont, QFont, QFontMetrics] | None = None
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(600)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._on_frame)
        self._anim.finished.connect(self._on_done)
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        if what == "title":
            self.update(self._title_rect.toAlignedRect())
            return
        if what == "unit":
            self._fonts.clear()
        self.update(self._num_rect.toAlignedRect())

    def set_up_is_good(self, up_is_good: bool | None) -> None:
        """Whether a rise is good (True), bad (False) or neither (None); colours ▲/▼ via theme.change_color."""
        if up_is_good != self._up_is_good:
            self._up_is_good = up_is_good
            self.update(self._changes_rect.toAlignedRect())

    def set_animated(self, on: bool) -> None:
        """Count from the old to the new value on a change (default True); off: jump."""
        self._animated = bool(on)
        if not self._animated and self.is_animating():
            self._anim.stop()
            self._on_done()

    def set_value(self, value: float | None) -> None:
        """Show a value (None or NaN: a dash); a change counts up or down to it when animated."""
        v = finite_or_none(value)
        if v == self._value and not (v is None and self._value is not None):
            return
        start = self._shown
        self._value = v
        if self.is_animating():
            self._anim.stop()
        if (
            self._animated
            and v is not None
            and start is not None
            and self.isVisible()
            and self._state != DataState.NO_DATA
            and format_number(start, self._precision) != format_number(v, self._precision)
        ):
            a, b = self._fonts_for(self._text(start)), self._fonts_for(self._text(v))
            self._anim_fonts = a if a[0].pixelSize() <= b[0].pixelSize() else b
            self._anim.setStartValue(float(start))
            self._anim.setEndValue(float(v))
            self._anim.start()
            return
        self._anim_fonts = None
        self._shown = v
        self._repaint_number()

    def value(self) -> float | None:
        """The value set (the animation's target)."""
        return self._value

    def value_text(self) -> str:
        """The final text of the number: the formatted target value, or a dash."""
        if self._value is None or self._state == DataState.NO_DATA:
            return DASH
        return self._text(self._value)

    def shown_text(self) -> str:
        """The number text drawn now (an intermediate value while animating)."""
        if self._shown is None or self._state == DataState.NO_DATA:
            return DASH
        return self._text(self._shown)

    def is_animating(self) -> bool:
        """True while the number counts toward a new value."""
        return self._anim.state() == QVariantAnimation.State.Running

    def set_changes(self, changes: list[tuple[str, float | None]]) -> None:
        """Set the change line, e.g. [("同比", 18.0), ("环比", -1.2)] in percent (None: unknown)."""
        clean = [(str(label), finite_or_none(pct)) for label, pct in changes]
        if clean != self._changes:
            relayout = bool(clean) != bool(self._changes)  # the change line takes room or gives it back
            self._changes = clean
            if relayout:
                self._relayout()
                self.invalidate()
            else:
                self.update(self._changes_rect.toAlignedRect())

    def changes_text(self) -> str:
        """The change line drawn, e.g. "同比 ▲18.0%  环比 ▼1.2%" ("" with no data)."""
        return "  ".join(label + " " + value for label, value, _ in self._change_parts())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, 300)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(180, 100)

    # ---- values ---------------------------------------------------------------------

    def _text(self, v: float) -> str:
        return format_number(v, self._precision)

    def _repaint_number(self) -> None:
        if self.shown_text() != self._drawn:
            self.update(self._num_rect.toAlignedRect())

    def _on_frame(self, value: object) -> None:
        if not self.is_animating():
            return  # a value Qt reports on stop(): the caller has set what is shown
        self._shown = float(value)  # type: ignore[arg-type]
        self._repaint_number()

    def _on_done(self) -> None:
        self._shown = self._value
        self._anim_fonts = None
        self.update(self._num_rect.toAlignedRect())  # the final font may differ from the animation's

    def _change_parts(self) -> list[tuple[str, str, int]]:
        """(label, "▲18.0%", direction) per change; none without data."""
        if self._state == DataState.NO_DATA or self._value is None:
            return []
        return change_parts(self._changes, self._change_precision)

    # ---- geometry -------------------------------------------------------------------

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        # composition in units of s: title .18, number .56, changes .16, note .12 (+ margins)
        s = max(30.0, min(h / 1.18, w / 1.2))  # the number shrinks to its width by itself
        # under a text floor (a wall), each line of text keeps at least that height: the
        # number gives up what the lines need
        line = 1.3 * theme.min_text_px()

        # a change line only where one is drawn (none without data: the same look as never having had one)
        has_changes = bool(getattr(self, "_changes", None)) and self._state != DataState.NO_DATA

        def rows(s: float) -> tuple[float, float, float]:
            return max(0.2 * s, line), max(0.17 * s, line) if has_changes else 0.0, max(0.13 * s, line)

        while s > 30.0 and sum(rows(s)) + 0.65 * s > h - 0.05 * s:
            s *= 0.95
        title_h, changes_h, note_h = rows(s)
        total = title_h + 0.65 * s + changes_h + note_h
        self._scale = s
        pad = max(4.0, 0.06 * s)
        top = max(0.0, (h - total) / 2)
        inner = w - 2 * pad
        self._title_rect = QRectF(pad, top, inner, title_h)
        self._num_rect = QRectF(pad, top + title_h + 0.02 * s, inner, 0.56 * s)
        self._changes_rect = QRectF(pad, self._num_rect.bottom() + 0.02 * s, inner, changes_h)
        self._note_rect = QRectF(pad, self._changes_rect.bottom() + 0.01 * s, inner, note_h)
        self._title_font = theme.pixel_font(max(9, round(0.135 * s)))
        self._num_px = max(12, round(0.5 * s))
        self._unit_px = max(9, round(0.16 * s))
        self._unit_gap = 0.05 * s
        self._change_font = theme.pixel_font(max(9, round(0.12 * s)))
        self._note_font = theme.pixel_font(max(8, round(0.095 * s)))
        self._fonts.clear()
        self._anim_fonts = None

    def _fonts_for(self, text: str) -> tuple[QFont, QFont, QFontMetrics]:
        """Number and unit fonts so that number and unit fit the width (cached by text shape)."""
        shape = "".join("0" if ch.isdigit() else ch for ch in text)
        fonts = self._fonts.get(shape)
        if fonts is None:
            unit = self._unit if text != DASH else ""
            fonts = number_unit_fonts(shape, unit, self._num_rect.width(), self._num_px, self._unit_px,
                                      self._unit_gap, 0.93)
            self._fonts[shape] = fonts
        return fonts

    # ---- painting -------------------------------------------------------------------

    def _state_changed(self) -> None:
        if self._state == DataState.NO_DATA and self.is_animating():
            self._anim.stop()
            self._on_done()
        self._relayout()  # the change line shows or not

    def _cache_rect(self) -> QRect:
        return QRect()  # a fill, a frame and a few words: no pixmap

    def _paint_static(self, p: QPainter) -> None:
        if self._title and self._needs(self._title_rect):
            p.setFont(self._title_font)
            p.setPen(QColor(theme.NEUTRAL))
            font = fit_font(self._title_font.pixelSize(), self._title, self._title_rect.width())
            p.setFont(font)
            p.drawText(self._title_rect, _CENTER, elide(QFontMetrics(font), self._title, self._title_rect.width()))
        if self._note and self._state != DataState.LIVE and self._needs(self._note_rect):
            p.setFont(self._note_font)
            p.setPen(self._note_color())
            fm = QFontMetrics(self._note_font)
            p.drawText(self._note_rect, _CENTER, elide(fm, self._note, self._note_rect.width()))

    def _paint_dynamic(self, p: QPainter, rect: QRect) -> None:
        if rect.intersects(self._num_rect.toAlignedRect()):
            self._paint_number(p)
        if rect.intersects(self._changes_rect.toAlignedRect()):
            self._paint_changes(p)

    def _paint_number(self, p: QPainter) -> None:
        text = self.shown_text()
        self._drawn = text
        r = self._num_rect
        if text == DASH:
            nf, _, _ = self._fonts_for(DASH)
            p.setFont(nf)
            p.setPen(_DASH_COLOR)
            p.drawText(r, _CENTER, DASH)
            return
        nf, uf, fm = self._anim_fonts or self._fonts_for(text)
        st = self._state
        num_color = state_color(theme.TEXT, st)
        unit_color = state_color(theme.TEXT_DIM, st, 0.3)
        tw = fm.horizontalAdvance(text)
        uw = QFontMetrics(uf).horizontalAdvance(self._unit) if self._unit else 0
        total = tw + (self._unit_gap + uw if self._unit else 0)
        x = r.left() + (r.width() - total) / 2
        baseline = r.top() + (r.height() + fm.ascent() - fm.descent()) / 2
        p.setFont(nf)
        p.setPen(num_color)
        p.drawText(round(x), round(baseline), text)
        if self._unit:
            p.setFont(uf)
            p.setPen(unit_color)
            p.drawText(round(x + tw + self._unit_gap), round(baseline), self._unit)

    def _paint_changes(self, p: QPainter) -> None:
        paint_changes(p, self._changes_rect, self._change_parts(), self._change_font, self._state, self._up_is_good)


def _preview() -> None:
    import random

    from widgets._preview import run_preview

    def make(state: DataState, note: str) -> BigNumber:
        b = BigNumber()
        b.set_title("全市规上工业产值 · 本年累计")
        b.set_unit("亿元")
        b.set_precision(1)
        b.set_up_is_good(True)
        b.set_value(1003.3)
        b.set_changes([("同比", 18.0), ("环比", -1.2)])
        b.set_state(state, note)
        return b

    rng = random.Random(1)

    def tick(numbers: list) -> None:
        v = numbers[0].value() or 1000.0
        numbers[0].set_value(v + rng.uniform(-30, 40))
        numbers[0].set_changes([("同比", rng.uniform(-5, 25)), ("环比", rng.uniform(-3, 3))])

    run_preview("BigNumber preview", make, tick, columns=2, size=(1250, 650), interval_ms=2000)


if __name__ == "__main__":
    _preview()
