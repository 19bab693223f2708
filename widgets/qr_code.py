"""QrCode: a QR code of a text, painted module by module, with an optional caption below.

The encoding comes from segno (pure Python); the widget paints the module matrix itself
with QPainter: an integer number of device pixels per module (crisp edges, no scaling
blur), a quiet zone of 4 modules, dark modules on white: scanners need dark on light,
even on the dark wall theme. The symbol is centred; too small a widget to give each
module a whole pixel draws no code rather than an unreadable one.

The code is drawn in every state (the text it encodes does not go stale); the frame and
the note show the state. No data shows a dash and no code, as does an empty text.
"""

from __future__ import annotations

import math

import segno
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from widgets import theme
from widgets._panel import DASH, Panel, elide, fit_font
from widgets.state import DataState

QUIET = 4  # modules of white around the symbol (ISO/IEC 18004)
ERROR_LEVEL = "m"  # error correction M (15 %); segno raises it when that is free
_DARK = QColor("#000000")
_LIGHT = QColor("#ffffff")


def encode(text: str) -> list[list[bool]]:
    """The module matrix (True = dark) of a QR code of text, without the quiet zone."""
    try:
        qr = segno.make_qr(text, error=ERROR_LEVEL)
    except segno.DataOverflowError:
        raise ValueError(f"text too long for a QR code ({len(text.encode('utf-8'))} bytes)") from None
    return [[bool(v) for v in row] for row in qr.matrix]


class QrCode(Panel):
    """A QR code of a text (dark on white, whole-pixel modules) with a caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = ""
        self._text = ""
        self._caption = ""
        self._matrix: list[list[bool]] = []
        self._runs: list[tuple[int, int, int]] = []  # row, first column, length of dark runs
        self._relayout()

    # ---- public API -----------------------------------------------------------------

    def _text_changed(self, what: str) -> None:
        self._changed()

    def set_text(self, text: str) -> None:
        """The text to encode; "" shows a dash and no code. Too long a text: ValueError."""
        text = str(text)
        if text == self._text:
            return
        matrix = encode(text) if text else []
        self._text, self._matrix = text, matrix
        self._runs = []
        for y, row in enumerate(matrix):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    self._runs.append((y, start, x - start))
                else:
                    x += 1
        self._changed()

    def text(self) -> str:
        return self._text

    def set_caption(self, caption: str) -> None:
        """A line of text under the code (e.g. the 18-character code it encodes)."""
        if str(caption) != self._caption:
            self._caption = str(caption)
            self._changed()

    def caption(self) -> str:
        return self._caption

    def matrix(self) -> list[list[bool]]:
        """The module matrix drawn (True = dark), without the quiet zone; [] without a code."""
        return [list(r) for r in self._matrix]

    # ---- what is drawn (read-only, for tests and tools) -------------------------------

    def module_size(self) -> int:
        """Device pixels per module (0: no code drawn)."""
        return self._module_px if self._code_shown() else 0

    def code_rect(self) -> QRectF:
        """The symbol without the quiet zone, in widget coordinates (empty: no code drawn)."""
        if not self._code_shown():
            return QRectF()
        m = self._module_px / self._dpr
        return self._plate.adjusted(QUIET * m, QUIET * m, -QUIET * m, -QUIET * m)

    def plate_rect(self) -> QRectF:
        """The white square: the symbol and its quiet zone (empty: no code drawn)."""
        return QRectF(self._plate) if self._code_shown() else QRectF()

    def caption_rect(self) -> QRectF:
        return QRectF(self._caption_rect)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(300, 340)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(100, 100)

    # ---- layout ---------------------------------------------------------------------

    def _changed(self) -> None:
        self._relayout()
        self.invalidate()

    def _state_changed(self) -> None:
        self._relayout()

    def _code_shown(self) -> bool:
        return bool(self._matrix) and self._module_px > 0 and self._state != DataState.NO_DATA

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        s = max(40.0, float(min(w, h)))
        self._scale = s
        pad = max(4.0, 0.04 * s)
        self._pad = pad
        self._title_font = theme.pixel_font(max(9, round(0.07 * s)))
        self._note_font = theme.pixel_font(max(8, round(0.05 * s)))
        tfm = QFontMetrics(self._title_font)
        has_header = bool(self._title) or (bool(self._note) and not self._live())
        header_h = tfm.height() * 1.3 if has_header else 0.0
        self._header = QRectF(pad, pad * 0.8, max(0.0, w - 2 * pad), header_h)
        top = self._header.bottom() + (0.02 * s if has_header else 0.0)
        cap_h = 0.0
        self._caption_font = theme.pixel_font(max(8, round(0.065 * s)))
        if self._caption:
            self._caption_font = fit_font(max(8, round(0.065 * s)), self._caption, w - 2 * pad)
            cap_h = QFontMetrics(self._caption_font).height() * 1.4
        area = QRectF(pad, top, max(0.0, w - 2 * pad), max(0.0, h - pad - top - cap_h))
        self._area = area
        self._dpr = max(1.0, self.devicePixelRatioF())
        n = len(self._matrix)
        self._module_px = 0
        self._plate = QRectF()
        if n:
            side = min(area.width(), area.height()) * self._dpr
            self._module_px = max(0, math.floor(side / (n + 2 * QUIET)))
            plate = self._module_px * (n + 2 * QUIET) / self._dpr
            # centred, on whole device pixels: every module edge falls on a pixel edge
            x = round((area.center().x() - plate / 2) * self._dpr) / self._dpr
            y = round((area.center().y() - plate / 2) * self._dpr) / self._dpr
            self._plate = QRectF(x, y, plate, plate)
        cap_top = (self._plate.bottom() if self._code_shown() else area.bottom()) + 0.01 * s
        self._caption_rect = QRectF(pad, min(cap_top, h - pad - cap_h), max(0.0, w - 2 * pad), cap_h)

    # ---- painting -------------------------------------------------------------------

    def _paint_static(self, p: QPainter) -> None:
        self._paint_header(p)
        if self._code_shown():
            self._paint_code(p)
        else:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setFont(theme.pixel_font(max(10, round(self._scale * 0.16)), True))
            p.setPen(QColor(theme.TEXT_DIM))
            p.drawText(self._area, Qt.AlignmentFlag.AlignCenter, DASH)
        if self._caption and self._state != DataState.NO_DATA:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setFont(self._caption_font)
            color = QColor(theme.TEXT)
            if self._state == DataState.STALE:
                color = theme.blend(color, theme.PANEL, 0.45)
            elif self._state == DataState.OFFLINE:
                color = QColor(theme.OFFLINE_VALUE)
            p.setPen(color)
            fm = QFontMetrics(self._caption_font)
            p.drawText(
                self._caption_rect,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                elide(fm, self._caption, self._caption_rect.width()),
            )

    def _paint_header(self, p: QPainter) -> None:
        r = self._header
        if r.height() <= 0:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_title_row(p, QRectF(r), self._title, self._title_font, self._note_font, self._pad, note_share_untitled=1.0)

    def _paint_code(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        plate = self._plate
        p.fillRect(plate, _LIGHT)
        m = self._module_px / self._dpr
        x0 = plate.left() + QUIET * m
        y0 = plate.top() + QUIET * m
        for row, col, length in self._runs:  # one rectangle per horizontal run of dark modules
            p.fillRect(QRectF(x0 + col * m, y0 + row * m, length * m, m), _DARK)


def _preview() -> None:
    from widgets._preview import run_preview

    def make(state: DataState, note: str) -> QrCode:
        q = QrCode()
        q.set_title("企业码")
        q.set_text("91330600MA2BX7Q51Y")
        q.set_caption("91330600MA2BX7Q51Y")
        q.set_state(state, note)
        return q

    def tick(codes: list) -> None:
        pass

    run_preview("QrCode preview", make, tick, size=(1400, 420))


if __name__ == "__main__":
    _preview()
