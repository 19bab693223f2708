"""Shared base of the painted widgets: data state, note, frame, cached static layer, tooltip.

A panel paints in two layers. The static layer (background, frame, title, scales, note)
is rendered once into a QPixmap and re-made only on resize, state or style change; every
paint blits the part of it that Qt asks for and then draws the dynamic layer (the value)
on top. Subclasses give the layers and say which rectangle a value change dirties.

Only the area a value change repaints needs the cache (a subclass names it, by default
the whole panel): the rest of the static layer is flat fills and a few words, drawn
directly on the rare full repaints: the pixmap is only as big as the area where it saves CPU.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QRegion,
)
from PySide6.QtWidgets import QToolTip, QWidget

from widgets import theme
from widgets.state import DataState

MINUS = "\u2212"  # a real minus sign: as wide as a digit, unlike "-"
DASH = "\u2014"  # shown instead of a number when there is none


def format_number(value: float, precision: int) -> str:
    """Thousands separators, fixed decimals, a true minus sign; never "-0"."""
    text = f"{value:,.{max(0, precision)}f}"
    if text.startswith("-"):
        text = MINUS + text[1:] if text.strip("-0.,") else text[1:]
    return text


def elide(fm: QFontMetrics, text: str, width: float) -> str:
    """Text cut with an ellipsis to fit width pixels."""
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, int(width)))


def elide_lines(fm: QFontMetrics, text: str, width: float, lines: int = 2) -> str:
    """Text broken onto at most ``lines`` lines of ``width`` pixels ("\n" between them):
    at a space near the end of a line, or anywhere (Chinese text breaks between any two
    characters); only the last line is cut with "…" if the text is still longer."""
    out: list[str] = []
    rest = text
    while len(out) < lines - 1 and fm.horizontalAdvance(rest) > width:
        fit = 0
        for i in range(1, len(rest) + 1):
            if fm.horizontalAdvance(rest[:i]) > width:
                break
            fit = i
        if fit == 0:
            break
        space = rest.rfind(" ", 0, fit + 1)
        cut, skip = (space, 1) if space > fit * 0.6 else (fit, 0)
        out.append(rest[:cut])
        rest = rest[cut + skip:].lstrip()
    out.append(elide(fm, rest, width))
    return "\n".join(out)


def fit_font(base_px: int, text: str, width: float, bold: bool = False, min_px: int = 8,
             figures: bool = False) -> QFont:
    """The largest pixel font not bigger than base_px in which text fits width (``figures``:
    in the figure face of numbers)."""
    make = theme.figure_font if figures else theme.pixel_font
    font = make(base_px, bold)
    w = QFontMetrics(font).horizontalAdvance(text)
    if w <= width or base_px <= min_px:
        return font
    px = max(min_px, int(base_px * width / max(w, 1)))
    font = make(px, bold)
    while px > min_px and QFontMetrics(font).horizontalAdvance(text) > width:
        px -= 1
        font = make(px, bold)
    return font


def number_unit_fonts(shape: str, unit: str, avail: float, num_px: int, unit_px: int, gap: float,
                      step: float = 0.92) -> tuple[QFont, QFont, QFontMetrics]:
    """Bold number and unit fonts, shrunk together by ``step`` until the number's shape
    (its digits as "0") and the unit fit ``avail`` pixels: (number font, unit font, its metrics)."""
    while True:
        nf, uf = theme.figure_font(num_px, True), theme.pixel_font(unit_px)
        need = QFontMetrics(nf).horizontalAdvance(shape)
        if unit:
            need += round(gap) + QFontMetrics(uf).horizontalAdvance(unit)
        if need <= avail or num_px <= 8:
            return nf, uf, QFontMetrics(nf)
        num_px = max(8, int(num_px * step))
        unit_px = max(7, int(unit_px * step))


ELLIPSIS = "\u2026"

# what a panel draws, as :meth:`Panel.drawn_texts` reports it: the text, its pixel size, the
# rectangle it is laid out in or covers (widget coordinates: the box given to drawText grown
# to the text, or the text's own extent when drawn at a point) and whether it was cut with "…"
DrawnText = tuple[str, int, QRectF, bool]


def _flag_int(flags: object) -> int:
    return int(getattr(flags, "value", flags))  # type: ignore[call-overload]


class TextRecorder(QPainter):
    """A painter that also notes every text drawn through it (for :meth:`Panel.drawn_texts`:
    a legibility check reads what a panel shows at which size, whatever the panel)."""

    def __init__(self, device: object, out: list[DrawnText], origin: QPoint | None = None) -> None:
        super().__init__(device)  # type: ignore[call-overload]
        self._out = out
        self._origin = QPointF(origin) if origin is not None else QPointF()  # device (0, 0) in the widget

    def drawText(self, *args: object) -> object:  # type: ignore[override]  # noqa: N802 (Qt override)
        result = super().drawText(*args)  # type: ignore[call-overload]
        try:
            self._note(args)
        except (TypeError, ValueError, IndexError):  # an overload not recognised: not noted
            pass
        return result

    def _note(self, args: tuple) -> None:
        text = next((a for a in args if isinstance(a, str)), None)
        if not text or not text.strip():
            return
        font = self.font()
        px = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 96 / 72)
        fm = QFontMetricsF(font)
        first = args[0]
        if isinstance(first, (QRect, QRectF)):
            box = QRectF(first)
            flags = _flag_int(args[1]) if len(args) > 2 and not isinstance(args[1], str) else 0
            # the box laid out in (where the text could wrap), grown to the text if it spills
            rect = box.united(fm.boundingRect(box, flags, text)) if box.isValid() else fm.boundingRect(box, flags, text)
        elif isinstance(first, (QPoint, QPointF)):
            pt = QPointF(first)
            rect = QRectF(pt.x(), pt.y() - fm.ascent(), fm.horizontalAdvance(text), fm.height())
        elif len(args) >= 6:
            box = QRectF(*(float(a) for a in args[:4]))  # type: ignore[arg-type]
            rect = box.united(fm.boundingRect(box, _flag_int(args[4]), text))
        else:
            x, y = float(args[0]), float(args[1])  # type: ignore[arg-type]
            rect = QRectF(x, y - fm.ascent(), fm.horizontalAdvance(text), fm.height())
        self._out.append((text, px, self.transform().mapRect(rect).translated(self._origin), ELLIPSIS in text))


class Panel(QWidget):
    """A widget with a data state, a static cached layer and a dynamic value layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # we paint every pixel: Qt needs not paint the parent below us first
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._state = DataState.LIVE
        self._note = ""
        self._static: QPixmap | None = None
        self._static_at = QRect()  # the area the pixmap holds
        # while the static layer is drawn: the area drawn, and the cached area left out
        self._static_pass: tuple[QRect, QRect] = (QRect(), QRect())
        self._paints = 0
        self._scale = 1.0  # min(width, height)-like size the subclass lays out with
        self._title = ""
        self._unit = ""
        self._precision = 0
        self._texts: list[DrawnText] | None = None  # while drawn_texts() renders: what was drawn

    # ---- title, unit, precision: the setters every panel shares ----------------------

    def set_title(self, title: str) -> None:
        """Set the title (plain text)."""
        title = str(title or "")
        if title != self._title:
            self._title = title
            self._text_changed("title")

    def set_unit(self, unit: str) -> None:
        """Set the unit of the values shown (plain text)."""
        unit = str(unit or "")
        if unit != self._unit:
            self._unit = unit
            self._text_changed("unit")

    def set_precision(self, digits: int) -> None:
        """Set the number of decimals of the values shown."""
        digits = max(0, int(digits))
        if digits != self._precision:
            self._precision = digits
            self._text_changed("precision")

    def _text_changed(self, what: str) -> None:
        """After ``set_title``/``set_unit``/``set_precision`` changed ``what``: repaint. A
        panel that lays out or caches by these texts overrides it."""
        self.invalidate()

    # ---- public state API -----------------------------------------------------------

    @property
    def paint_count(self) -> int:
        """Paint events this widget has handled (a benchmark checks updates reached the screen)."""
        return self._paints

    def set_state(self, state: DataState, note: str = "") -> None:
        """Set the data state and its plain-text note (shown when not live, and in the tooltip)."""
        state = DataState(state)
        note = str(note or "")
        if state == self._state and note == self._note:
            return
        self._state = state
        self._note = note
        self._state_changed()
        self.invalidate()

    def state(self) -> DataState:
        """The current data state."""
        return self._state

    def note(self) -> str:
        """The note given with the current state."""
        return self._note

    def tooltip_text(self) -> str:
        """The tooltip shown: the caller's toolTip() and the state note, as plain text."""
        parts = [self.toolTip()] if self.toolTip() else []
        if self._note:
            parts.append(self._note)
        return "\n".join(parts)

    def restyle(self) -> None:
        """The palette changed (``theme.use_palette``): re-make everything drawn with it."""
        self._relayout()
        self.invalidate()

    def drawn_texts(self) -> list[DrawnText]:
        """Every text the panel draws at its current size and data: (text, pixel size,
        rectangle in widget coordinates, cut with an ellipsis). Renders the panel once
        off screen; for checks (legibility, overlap), not for painting."""
        self._texts = []
        self._static = None
        try:
            img = QImage(max(1, self.width()), max(1, self.height()), QImage.Format.Format_ARGB32_Premultiplied)
            self.render(img)
            return list(self._texts)
        finally:
            self._texts = None
            self._static = None

    def _painter(self, device: object, origin: QPoint | None = None) -> QPainter:
        """The painter every paint of the panel uses (a recording one in drawn_texts());
        ``origin``: where the device's (0, 0) lies in the widget (a cached layer's corner)."""
        if self._texts is not None:
            return TextRecorder(device, self._texts, origin)
        return QPainter(device)  # type: ignore[call-overload]

    def invalidate(self) -> None:
        """Re-make the static layer and repaint everything (after a style change)."""
        self._static = None
        self.update()

    # ---- for subclasses -------------------------------------------------------------

    def _state_changed(self) -> None:
        """Hook: the state or note changed (before the repaint)."""

    def _relayout(self) -> None:
        """Hook: compute geometry, fonts and pens for the current size."""

    def _paint_static(self, p: QPainter) -> None:
        """Hook: draw the static layer (called with the frame already drawn; see _needs)."""

    def _cache_rect(self) -> QRect:
        """Hook: the part of the static layer kept in a pixmap; default: all of it.

        Name the area value changes repaint: what lies outside is drawn directly whenever
        Qt repaints it. An empty rect: no pixmap at all (for a panel whose own paints are
        rare, e.g. one covered by a child widget that updates by itself).
        """
        return self.rect()

    def _needs(self, r: QRectF | QRect) -> bool:
        """In _paint_static: whether a part within r shows in the area being drawn now.

        Lets a subclass skip costly parts that are clipped away or come from the cache.
        """
        area, cached = self._static_pass
        rr = r.toAlignedRect() if isinstance(r, QRectF) else r
        return rr.intersects(area) and not cached.contains(rr)

    def _paint_dynamic(self, p: QPainter, rect: QRect) -> None:
        """Hook: draw the value layer; rect is the area being repainted."""

    def _live(self) -> bool:
        return self._state == DataState.LIVE

    def _frame_width(self) -> int:
        return max(1, round(self._scale / 220))

    def _paint_frame(self, p: QPainter) -> None:
        """Panel fill, border coloured by state and corner marks."""
        w, h = self.width(), self.height()
        p.fillRect(0, 0, w, h, QColor(theme.PANEL))
        bw = self._frame_width()
        state = self._state
        edge = QColor(theme.STATE_EDGE[state])
        if state in (DataState.STALE, DataState.OFFLINE):
            bw *= 2
        # solid lines as filled rectangles (the same pixels as a non-antialiased pen, at a
        # fraction of the cost: a tile draws its frame on every value change)
        if state == DataState.NO_DATA:
            pen = QPen(edge, bw, Qt.PenStyle.DashLine)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            half = bw / 2
            p.drawRect(QRectF(half, half, w - bw, h - bw))
        else:
            p.fillRect(0, 0, w, bw, edge)
            p.fillRect(0, h - bw, w, bw, edge)
            p.fillRect(0, bw, bw, h - 2 * bw, edge)
            p.fillRect(w - bw, bw, bw, h - 2 * bw, edge)
        # corner marks, the command-center "bracket" look; they carry the state colour
        mark = {
            DataState.LIVE: theme.ACCENT,
            DataState.STALE: theme.WARN,
            DataState.OFFLINE: theme.OFFLINE_EDGE,
            DataState.NO_DATA: None,
        }[state]
        if mark is None:
            return
        mw = max(2, round(self._scale / 90))
        m = max(6.0, min(w, h) * 0.07)
        color = QColor(mark)
        arm = mw / 2 + m  # from the panel edge to the end of a mark's arm
        if mw > m:  # a tiny panel: arms shorter than thick, not two plain rectangles
            p.setPen(
                QPen(color, mw, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap, Qt.PenJoinStyle.MiterJoin)
            )
            o = mw / 2
            for cx, cy, sx, sy in (
                (o, o, 1, 1),
                (w - o, o, -1, 1),
                (o, h - o, 1, -1),
                (w - o, h - o, -1, -1),
            ):
                p.drawPolyline([QPointF(cx + sx * m, cy), QPointF(cx, cy), QPointF(cx, cy + sy * m)])
            return
        for x0, y0, sx, sy in ((0, 0, 1, 1), (w, 0, -1, 1), (0, h, 1, -1), (w, h, -1, -1)):
            p.fillRect(QRectF(x0, y0, sx * arm, sy * mw).normalized(), color)
            p.fillRect(QRectF(x0, y0, sx * mw, sy * arm).normalized(), color)

    def _note_color(self) -> QColor:
        return QColor(theme.STATE_NOTE[self._state])

    def _paint_title_row(self, p: QPainter, r: QRectF, title: str, title_font: QFont, note_font: QFont,
                         pad: float, note_share_untitled: float = 0.6) -> None:
        """The header row: the title at the left; the state note at the right when not
        live (at most 60 % of the row), the title elided to the room the note leaves."""
        note_w = 0.0
        if self._note and not self._live():
            fm = QFontMetrics(note_font)
            note = elide(fm, self._note, r.width() * (0.6 if title else note_share_untitled))
            note_w = fm.horizontalAdvance(note) + pad
            p.setFont(note_font)
            p.setPen(self._note_color())
            p.drawText(r, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, note)
        if title:
            p.setFont(title_font)
            p.setPen(QColor(theme.NEUTRAL))
            p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       elide(QFontMetrics(title_font), title, r.width() - note_w))

    # ---- Qt -------------------------------------------------------------------------

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(120, 80)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._relayout()
        self._static = None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._relayout()
            self.invalidate()

    def tooltip_at(self, pos: QPoint) -> str:
        """The tooltip at a point of the widget (plain text, "" for none): the one tooltip
        hook. The default is :meth:`tooltip_text`; a panel with items (bars, rows, boxes)
        overrides it."""
        return self.tooltip_text()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                # escaped: the note and title are data, shown literally
                tip = "<p style='white-space:pre'>" + html.escape(text).replace("\n", "<br/>") + "</p>"
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _ensure_static(self, area: QRect) -> QPixmap:
        dpr = self.devicePixelRatioF()
        pm = self._static
        if pm is None or pm.devicePixelRatio() != dpr or self._static_at != area:
            pm = QPixmap(area.size() * dpr)
            pm.setDevicePixelRatio(dpr)
            p = self._painter(pm, area.topLeft())
            p.translate(-area.topLeft())
            self._static_pass = (QRect(area), QRect())
            self._paint_frame(p)
            self._paint_static(p)
            p.end()
            self._static = pm
            self._static_at = QRect(area)
        return pm

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        self._paints += 1
        rect = event.rect()
        cache = self._cache_rect().intersected(self.rect())
        p = self._painter(self)
        if not cache.contains(rect):
            # the static layer around the cached area: drawn directly
            p.save()
            if rect.intersects(cache):
                p.setClipRegion(QRegion(rect).subtracted(QRegion(cache)))
            self._static_pass = (rect, cache)
            self._paint_frame(p)
            self._paint_static(p)
            p.restore()
        inner = rect.intersected(cache)
        if not inner.isEmpty():
            pm = self._ensure_static(cache)
            dpr = pm.devicePixelRatio()
            src = QRectF(
                (inner.x() - cache.x()) * dpr,
                (inner.y() - cache.y()) * dpr,
                inner.width() * dpr,
                inner.height() * dpr,
            )
            p.drawPixmap(QRectF(inner), pm, src)
        self._paint_dynamic(p, rect)
        p.end()


class ClickableItems:
    """Mixin (before Panel in the bases) for a panel whose drawn items can be clicked and
    hovered: a click emits the class's ``activated`` signal with the item's key, hovering
    shows its tooltip as escaped plain text and a pointing hand. The subclass gives
    ``_item_at(pos)`` and ``_item_tooltip(key)``, and calls ``setMouseTracking(True)``."""

    _pressed: str | None = None

    def _item_at(self, pos: QPointF) -> str | None:
        raise NotImplementedError

    def _item_tooltip(self, key: str) -> str:
        return ""

    def tooltip_at(self, pos: QPoint) -> str:
        key = self._item_at(QPointF(pos))
        if key is not None:
            return self._item_tooltip(key)
        return super().tooltip_at(pos)  # type: ignore[misc, no-any-return]

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = self._item_at(event.position())
        super().mousePressEvent(event)  # type: ignore[misc]

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        pressed, self._pressed = self._pressed, None
        if event.button() == Qt.MouseButton.LeftButton and pressed is not None:
            if self._item_at(event.position()) == pressed:
                self.activated.emit(pressed)  # type: ignore[attr-defined]
        super().mouseReleaseEvent(event)  # type: ignore[misc]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        over = self._item_at(event.position()) is not None
        shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor
        if self.cursor().shape() != shape:  # type: ignore[attr-defined]
            self.setCursor(shape)  # type: ignore[attr-defined]
        super().mouseMoveEvent(event)  # type: ignore[misc]
