"""ScrollingRows: the shared base of the scrolling lists (the ranking board, the alert
ticker): header, row viewport, carousel, click and tooltip; a subclass lays out and paints
one row. Also the helpers the value widgets share: ``finite_or_none`` and ``state_color``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QEasingCurve,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, Panel, elide
from widgets.state import DataState

_ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter


def finite_or_none(value: float | None) -> float | None:
    """value as a float, or None for None, NaN, infinities and non-numbers."""
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def state_color(color: str | QColor, state: DataState, amount: float = 0.45) -> QColor:
    """A live colour as shown in a state: blended toward the panel when stale, grey offline."""
    if state == DataState.STALE:
        return theme.blend(color, theme.PANEL, amount)
    if state == DataState.OFFLINE:
        return theme.blend(theme.OFFLINE_VALUE, theme.PANEL, max(0.0, amount - 0.3))
    return theme.qcolor(color)


class ScrollingRows(Panel):
    """A panel with a fixed title row over a viewport of equal rows that auto-scrolls.

    Subclasses keep their rows' keys in ``_keys`` (via ``_set_keys``), lay rows out in
    ``_prepare`` and paint one in ``_paint_row``.
    """

    activated = Signal(str)  # a clicked row's id

    _DEFAULT_EMPTY = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._empty_text = self._DEFAULT_EMPTY
        self._keys: list[str] = []
        self._top = 0  # index of the row at the top of the viewport
        self._frac = 0.0  # 0..1 of a row scrolled past _top (during the animation)
        self._auto = True
        self._interval = 3000
        self._view = QRectF()
        self._row_h = 1.0
        self._fits = 1
        self._fixed_rows = 0  # > 0: the viewport holds exactly this many rows (set_fixed_rows)
        self._natural_fits = 1
        self._natural_row_h = 14.0
        self._live_note = ""  # said at the header's right while live (e.g. "top 10 of 48")
        self._press_key: str | None = None
        self._laid_size = QSize(-1, -1)
        self._header_cache: tuple[str, str, float, str, str] = ("", "", -1.0, "", "")
        self._step_timer = QTimer(self)
        self._step_timer.timeout.connect(self._on_step)
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._anim.valueChanged.connect(self._on_frame)
        self._anim.finished.connect(self._finish_step)
        # rows drawn once per scroll step and moved as pixmaps in its frames (see _paint_dynamic)
        self._row_pixmaps: dict[tuple, QPixmap] = {}

    # ---- public API -----------------------------------------------------------------

    def set_empty_text(self, text: str) -> None:
        """Set the calm text shown when there are no rows (plain text)."""
        text = str(text or "")
        if text != self._empty_text:
            self._empty_text = text
            if not self._keys:
                self.update(self._view.toAlignedRect())

    def set_fixed_rows(self, n: int) -> None:
        """Divide the viewport into exactly ``n`` rows (0: as many as the row height allows):
        fewer, taller rows in larger type, for a wall read from afar."""
        n = max(0, int(n))
        if n != self._fixed_rows:
            self._fixed_rows = n
            self._relayout()
            self.invalidate()

    def set_auto_scroll(self, on: bool) -> None:
        """Scroll by one row every interval when there are more rows than fit (default on)."""
        self._auto = bool(on)
        self._sync_timer()

    def auto_scroll(self) -> bool:
        """Whether auto-scrolling is on (it only moves when rows overflow)."""
        return self._auto

    def set_scroll_interval(self, ms: int) -> None:
        """Time between two scroll steps (default 3000 ms); each step animates for up to 300 ms."""
        ms = max(20, int(ms))
        if ms != self._interval:
            self._interval = ms
            if self._step_timer.isActive():
                self._step_timer.start(ms)

    def scroll_interval(self) -> int:
        """Time between two scroll steps, in ms."""
        return self._interval

    def scroll_offset(self) -> int:
        """Index of the row at the top of the viewport (0 when everything fits)."""
        return self._top

    def rows_fitting(self) -> int:
        """How many rows the viewport holds at the current size."""
        return self._fits

    def is_scrolling(self) -> bool:
        """True while a scroll step is animating."""
        return self._anim.state() == QVariantAnimation.State.Running

    def advance(self, animated: bool = True) -> None:
        """Scroll up by one row now (wrapping round); nothing when all rows fit."""
        if not self._overflows():
            return
        if self.is_scrolling():
            self._anim.stop()
            self._finish_step()
        duration = min(300, int(self._interval * 0.6))
        self._row_pixmaps.clear()
        if animated and duration >= 20 and self.isVisible():
            self._anim.setDuration(duration)
            self._anim.start()
        else:
            self._finish_step()

    def visible_rows(self) -> list[str]:
        """Keys of the rows drawn in the viewport now, top to bottom."""
        self._sync_size()
        return [self._keys[i] for i, _ in self._slots()]

    def row_rect(self, key: str) -> QRect:
        """Where a row is drawn now (clipped to the viewport, whole pixels); empty if not shown."""
        self._sync_size()
        for i, y in self._slots():
            if self._keys[i] == key:
                r = self._slot_rect(y).intersected(self._view)
                top, bottom = round(r.top()), round(r.bottom())
                return QRect(round(r.left()), top, round(r.width()), bottom - top)
        return QRect()

    def row_at(self, pos: QPoint | QPointF) -> str | None:
        """Key of the row under a point, or None."""
        self._sync_size()
        pt = QPointF(pos)
        if not self._view.contains(pt):
            return None
        for i, y in self._slots():
            if self._slot_rect(y).contains(pt):
                return self._keys[i]
        return None

    def tooltip_at(self, pos: QPoint | QPointF) -> str:
        """The plain-text tooltip shown at a point: the row's full text, the caller's tooltip, the note."""
        key = self.row_at(pos)
        parts = []
        if key is not None:
            tip = self._row_tip(self._keys.index(key))
            if tip:
                parts.append(tip)
        base = self.tooltip_text()
        if base:
            parts.append(base)
        return "\n".join(parts)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, 500)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, 120)

    # ---- for subclasses -------------------------------------------------------------

    def _scale_for(self, w: int, h: int) -> float:
        """The size the fonts and row height scale with."""
        return min(w, 1.25 * h)

    def _row_factor(self) -> float:
        """Row height as a fraction of the scale."""
        return 0.085

    def _min_row_px(self) -> float:
        """The smallest row height (a subclass whose rows wrap asks for room for two lines)."""
        return 0.0

    def _sync_size(self) -> None:
        """Lay out for the current size if a resize was not delivered yet (a hidden widget)."""
        if self._laid_size != self.size():
            self._relayout()

    def _prepare(self) -> None:
        """Lay the rows out for the current size, data and state (texts, columns, colours)."""

    def _paint_row(self, p: QPainter, index: int, r: QRectF) -> None:
        """Draw row index in r."""

    def _row_tip(self, index: int) -> str:
        """Plain tooltip text of a row."""
        return ""

    def _row_look(self, index: int) -> tuple | None:
        """Everything row ``index`` is drawn from (hashable), or None: not cached.

        While a scroll step animates, a row with a look is drawn once into a pixmap and
        the frames only move pixmaps (a 4K wall repaints every visible row at 60 fps)."""
        return None

    def _activation_id(self, index: int) -> str:
        """What a click on a row emits."""
        return self._keys[index]

    def _set_keys(self, keys: list[str]) -> None:
        """New rows: keep the scroll offset (clamped), stop scrolling if all rows now fit."""
        self._keys = keys
        n = len(keys)
        if not self._overflows():
            if self.is_scrolling():
                self._anim.stop()
            self._top, self._frac = 0, 0.0
        elif n:
            self._top %= n
        self._sync_timer()

    # ---- carousel -------------------------------------------------------------------

    def _overflows(self) -> bool:
        return len(self._keys) > self._fits and self._state != DataState.NO_DATA

    def _sync_timer(self) -> None:
        run = self._auto and self._overflows() and self.isVisible()
        if run and not self._step_timer.isActive():
            self._step_timer.start(self._interval)
        elif not run:
            self._step_timer.stop()
            if self.is_scrolling() and not self._overflows():
                self._anim.stop()
                self._frac = 0.0

    def _on_step(self) -> None:
        self.advance(True)

    def _on_frame(self, value: object) -> None:
        if self._anim.state() != QVariantAnimation.State.Running:
            return  # the last value Qt sends on stop(): _finish_step handles it
        self._frac = float(value)  # type: ignore[arg-type]
        self.update(self._view.toAlignedRect())

    def _finish_step(self) -> None:
        n = len(self._keys)
        self._top = (self._top + 1) % n if n > self._fits else 0
        self._frac = 0.0
        self._row_pixmaps.clear()
        self.update(self._view.toAlignedRect())

    def _slots(self) -> list[tuple[int, float]]:
        """(row index, top y) of each row drawn now."""
        n = len(self._keys)
        if n == 0 or self._state == DataState.NO_DATA or self._view.height() <= 0:
            return []
        v, rh = self._view, self._row_h
        if n <= self._fits:
            return [(i, v.top() + i * rh) for i in range(n)]
        out = []
        for i in range(self._fits + 1):
            y = v.top() + (i - self._frac) * rh
            if y >= v.bottom() - 0.5:
                break
            out.append(((self._top + i) % n, y))
        return out

    def _slot_rect(self, y: float) -> QRectF:
        return QRectF(self._view.left(), y, self._view.width(), self._row_h)

    # ---- geometry -------------------------------------------------------------------

    def _relayout(self) -> None:
        self._laid_size = self.size()
        w, h = max(1, self.width()), max(1, self.height())
        s = max(40.0, self._scale_for(w, h))
        self._scale = s
        pad = max(4.0, 0.028 * s)
        self._pad = pad
        self._title_px = max(10, round(0.042 * s))
        self._note_px = max(9, round(0.03 * s))
        self._title_font = theme.pixel_font(self._title_px)
        self._note_font = theme.pixel_font(self._note_px)
        header_h = round(self._title_px * 1.75)
        self._header_rect = QRectF(pad, pad * 0.4, w - 2 * pad, header_h)
        top = round(pad * 0.4 + header_h + pad * 0.35)
        view_h = max(0.0, h - top - pad * 0.8)
        base = max(14.0, self._min_row_px(), self._row_factor() * s)
        fits = max(1, int(view_h // base))
        self._natural_fits = fits  # rows of the natural height that fit (before set_fixed_rows)
        self._natural_row_h = view_h / fits if view_h >= base else base
        if self._fixed_rows:
            fits = self._fixed_rows
            base = min(base, view_h / fits) if view_h > 0 else base
        self._fits = fits
        self._row_h = view_h / fits if view_h >= base else base
        self._view = QRectF(pad * 0.6, top, max(0.0, w - 1.2 * pad), view_h)
        self._header_cache = ("", "", -1.0, "", "")
        self._empty_font = theme.pixel_font(max(10, round(self._row_h * 0.42)))
        self._dash_font = theme.pixel_font(max(12, round(self._row_h * 0.8)), True)
        self._set_keys(self._keys)  # resized: clamp the offset, start or stop the timer
        self._prepare()

    def _state_changed(self) -> None:
        self._sync_timer()
        self._prepare()

    # ---- painting -------------------------------------------------------------------

    def _cache_rect(self) -> QRect:
        # no pixmap: under the rows there is only the panel fill
        return QRect()

    def _header_texts(self) -> tuple[str, str]:
        """Title and note as drawn in the header (elided; cached per size and text)."""
        r = self._header_rect
        note = self._note if self._state != DataState.LIVE else self._live_note
        t, n, width, shown_t, shown_n = self._header_cache
        if (t, n, width) == (self._title, note, r.width()):
            return shown_t, shown_n
        nfm = QFontMetrics(self._note_font)
        tfm = QFontMetrics(self._title_font)
        shown_n = elide(nfm, note, r.width() * 0.55) if note else ""
        room = r.width() - (nfm.horizontalAdvance(shown_n) + self._pad if shown_n else 0)
        shown_t = elide(tfm, self._title, room)
        self._header_cache = (self._title, note, r.width(), shown_t, shown_n)
        return shown_t, shown_n

    def _paint_static(self, p: QPainter) -> None:
        r = self._header_rect
        if not self._needs(r.adjusted(0, 0, 0, 2)):
            return
        title, note = self._header_texts()
        if title:
            p.setFont(self._title_font)
            p.setPen(QColor(theme.NEUTRAL))
            p.drawText(r, _ALIGN_LEFT, title)
        if note:
            p.setFont(self._note_font)
            p.setPen(self._note_color())
            p.drawText(r, _ALIGN_RIGHT, note)
        line_y = round(r.bottom() + self._pad * 0.15)
        p.fillRect(QRectF(r.left(), line_y, r.width(), max(1, round(self._scale / 500))), QColor(theme.EDGE))

    def _paint_dynamic(self, p: QPainter, rect: QRect) -> None:
        v = self._view
        area = v.intersected(QRectF(rect))
        if area.isEmpty():
            return
        p.save()
        p.setClipRect(area)
        slots = self._slots()
        if not slots:
            self._paint_empty(p)
        moving = self.is_scrolling()
        for i, y in slots:
            r = self._slot_rect(y)
            if r.intersects(area):
                look = self._row_look(i) if moving else None
                if look is None:
                    self._paint_row(p, i, r)
                else:
                    p.drawPixmap(QPointF(r.left(), round(r.top())), self._row_pixmap(i, r, look))
        p.restore()

    def _row_pixmap(self, index: int, r: QRectF, look: tuple) -> QPixmap:
        dpr = self.devicePixelRatioF()
        key = (index, look, r.width(), r.height(), dpr, self._state)
        pm = self._row_pixmaps.get(key)
        if pm is None:
            pm = QPixmap(max(1, math.ceil(r.width() * dpr)), max(1, math.ceil(r.height() * dpr)))
            pm.setDevicePixelRatio(dpr)
            pm.fill(Qt.GlobalColor.transparent)
            q = QPainter(pm)
            q.translate(-r.left(), 0)
            self._paint_row(q, index, QRectF(r.left(), 0, r.width(), r.height()))
            q.end()
            self._row_pixmaps[key] = pm
        return pm

    def _paint_empty(self, p: QPainter) -> None:
        v = self._view
        box = QRectF(v.left(), v.top(), v.width(), min(v.height(), self._row_h * 3))
        if self._state == DataState.NO_DATA:
            p.setFont(self._dash_font)
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(box, _ALIGN_CENTER, DASH)
            return
        if self._empty_text:
            p.setFont(self._empty_font)
            color = QColor(theme.TEXT_DIM)
            if self._state == DataState.OFFLINE:
                color = QColor(theme.OFFLINE_VALUE)
            elif self._state == DataState.STALE:
                color = theme.blend(color, theme.PANEL, 0.35)
            p.setPen(color)
            # the calm "none" in the middle of the list's room, not a line at its top
            p.drawText(v, _ALIGN_CENTER, elide(QFontMetrics(self._empty_font), self._empty_text, v.width()))

    # ---- Qt -------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._sync_timer()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self._step_timer.stop()
        if self.is_scrolling():
            self._anim.stop()
            self._finish_step()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_key = self.row_at(event.position())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        key, self._press_key = self._press_key, None
        # the row pressed, even if it moved a little under the pointer meanwhile
        if (
            event.button() == Qt.MouseButton.LeftButton
            and key is not None
            and key in self._keys
            and self._view.contains(event.position())
        ):
            self.activated.emit(self._activation_id(self._keys.index(key)))
        super().mouseReleaseEvent(event)

