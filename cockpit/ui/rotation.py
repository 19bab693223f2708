"""Playlist rotation of the wall: each tab for its dwell, alarms first, paused while someone works.

The decisions are ``cockpit.rotation.Rotation`` (no Qt; re-exported here); this module
drives it (the window's QTimer calls ``tick``) and draws it (``RotationBar``).

The rules (playlist and dwell, pause on activity, alarm jumps, restart) are in
``cockpit.rotation``'s docstring; the window gives the rotation its callbacks (``show``,
``current``, ``alarming``: :func:`alarming_tabs`) and ticks it every 200 ms.

``RotationBar`` is the thin progress line of the current dwell along the top or bottom
edge of the window: accent while playing, red during an alarm hold, amber with
"暂停 · 2:00 后继续" at its right end while paused.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from cockpit.parsing import DEFAULT_DWELL_S, MIN_DWELL_S, RotateSpec, parse_duration, parse_rotate
from cockpit.rotation import STATE_VERSION, Rotation
from cockpit.ui.text import tr
from widgets import theme

__all__ = ["DEFAULT_DWELL_S", "MIN_DWELL_S", "STATE_VERSION", "RotateSpec", "Rotation", "RotationBar", "alarming_tabs",
           "parse_duration", "parse_rotate"]

def _tr(key: str, lang: str, **kw: object) -> str:
    """This module's texts, ``rotation_*`` in the one table (cockpit/ui/text.py)."""
    return tr(f"rotation_{key}", lang, **kw)


def alarming_tabs(window: Any) -> set[str]:
    """The ``alarming()`` callback for the main window: brains with an active "alarm"
    (not "warn") alert, from the window's UI models (``window.models``), among its tabs."""
    return window.models.alarming() & set(window.tabs_by_brain)


# ---- the progress line ---------------------------------------------------------------


class RotationBar(QWidget):
    """A thin line along the top or bottom edge of ``parent`` showing the dwell's progress.

    Overlays its parent (placed and resized with it, transparent to the mouse; raised
    once when made, so a DimOverlay made after it dims it too). About 3 px
    at 1080p (``3 * height / 1080``, at least 2). Accent while playing, red during an alarm
    hold, amber while paused with the time to resume as plain text at the right end.
    :meth:`sync` (its own timer, ``timer_ms``; 0: none, call it yourself) repaints only the
    pixels that changed.
    """

    def __init__(self, rotation: Rotation, parent: QWidget, *, edge: str = "bottom", lang: str = "zh",
                 timer_ms: int = 250) -> None:
        if edge not in ("top", "bottom"):
            raise ValueError(f"edge must be 'top' or 'bottom', got {edge!r}")
        super().__init__(parent)
        self.rotation = rotation
        self.edge = edge
        self.lang = lang
        self.paint_count = 0
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._fill = 0  # filled pixels of the line, as last painted
        self._mode = ""
        self._text = ""
        self._thickness = 3
        self._text_h = 0
        parent.installEventFilter(self)
        self._place()
        self.sync()
        self.show()
        self.raise_()
        self._timer: QTimer | None = None
        if timer_ms > 0:
            self._timer = QTimer(self, interval=timer_ms)
            self._timer.timeout.connect(self.sync)
            self._timer.start()

    # ---- geometry --------------------------------------------------------------------

    def thickness(self) -> int:
        return self._thickness

    def line_rect(self) -> QRect:
        """Where the line is drawn, in this widget's coordinates."""
        y = 0 if self.edge == "top" else self.height() - self._thickness
        return QRect(0, y, self.width(), self._thickness)

    def _text_rect(self) -> QRect:
        if not self._text:
            return QRect()
        fm = QFontMetrics(self._font())
        w = fm.horizontalAdvance(self._text) + 2 * self._pad()
        y = self._thickness if self.edge == "top" else 0
        return QRect(self.width() - w, y, w, self._text_h)

    def _pad(self) -> int:
        return max(4, self._thickness * 2)

    def _font(self) -> QFont:
        f = QFont(self.font())
        parent = self.parentWidget()
        h = parent.height() if parent is not None else 1080
        f.setPixelSize(max(11, round(15 * h / 1080)))
        return f

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self._thickness = max(2, round(3 * parent.height() / 1080))
        self._text_h = QFontMetrics(self._font()).height() + self._thickness if self._text else 0
        h = self._thickness + self._text_h
        y = 0 if self.edge == "top" else parent.height() - h
        self.setGeometry(0, y, parent.width(), h)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
            self._fill = self._fill_px()
            self.update()
        return False

    # ---- state -> pixels -------------------------------------------------------------

    def _fill_px(self) -> int:
        return round(self.rotation.progress() * self.width())

    def _color(self) -> QColor:
        mode = self._mode
        return theme.qcolor(theme.WARN if mode == "paused" else theme.ALARM if mode == "alarm" else theme.ACCENT)

    def sync(self) -> None:
        """Follow the rotation: repaint the changed span of the line, the text if it changed."""
        parent = self.parentWidget()
        if parent is not None and (parent.width() != self.width() or
                                   self._thickness != max(2, round(3 * parent.height() / 1080))):
            self._place()  # a resize this widget was not told of (the parent was hidden)
            self._fill = self._fill_px()
            self.update()
        mode = self.rotation.mode()
        left = self.rotation.paused_remaining()
        text = _tr("paused", self.lang, t=_mmss(left)) if left is not None else ""
        if bool(text) != bool(self._text):  # the text box appears or goes: new geometry
            self._text = text
            self._mode = mode
            self._place()
            self._fill = self._fill_px()
            self.update()
            return
        if text != self._text:
            self._text = text
            self.update(self._text_rect())
        fill = self._fill_px()
        line = self.line_rect()
        if mode != self._mode:
            self._mode = mode
            self._fill = fill
            self.update(line)
        elif fill != self._fill:
            lo, hi = sorted((fill, self._fill))
            self._fill = fill
            self.update(QRect(lo, line.y(), hi - lo, line.height()))

    def paintEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self.paint_count += 1
        p = QPainter(self)
        line = self.line_rect()
        if self._fill > 0 and self._mode != "idle":
            p.fillRect(QRect(0, line.y(), self._fill, line.height()), self._color())
        if self._text:
            box = self._text_rect()
            bg = theme.qcolor(theme.BACKGROUND)
            bg.setAlpha(210)
            p.fillRect(box, bg)
            p.setFont(self._font())
            p.setPen(theme.qcolor(theme.WARN))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, self._text)
        p.end()


def _mmss(seconds: float | None) -> str:
    s = max(0, math.ceil(seconds or 0))
    return f"{s // 60}:{s % 60:02d}"
