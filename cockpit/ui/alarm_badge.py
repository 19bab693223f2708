"""On the wall: unacknowledged alarms are conspicuous, and may sound.

:class:`AlarmBadge` shows at the top right while an alarm-level alert is not acknowledged
(on a window's tab widget: as its corner widget, at the right end of the tab bar, beside the
tabs and never over one; on another widget: over its top-right corner): "未确认告警 3" in the alarm colour, its background pulsing slowly
(one smooth swell every :data:`PULSE_PERIOD_S` s: far below the three flashes a second
that photosensitivity rules forbid, and no hard on/off). A click opens the journal. It
reads the UI models only; it hides when every alarm is acknowledged (here or at any
other desk: the states come from the API).

With ``alarm.sound`` on, a new unacknowledged alarm sounds once (``beep``; the system's
bell by default), never again for the same alarm.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from cockpit.ui.model import Models
from cockpit.ui.text import tr
from widgets import theme

PULSE_PERIOD_S = 2.0  # one swell every 2 s (0.5 Hz)
PULSE_STEP_MS = 100


class AlarmBadge(QLabel):
    """See the module docstring."""

    def __init__(self, host: QWidget, models: Models, lang: str, *, on_click: Callable[[], None] | None = None,
                 sound: bool = False, beep: Callable[[], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(host)
        self.host = host
        self.models = models
        self.lang = lang
        self.on_click = on_click
        self.sound = sound
        self._beep = beep
        self._clock = clock
        self._sounded: set[str] = set()
        self.count = 0
        self.level = 0.0  # the pulse now, 0…1
        self._px: int | None = None  # the font size the style was set for
        self._margins = (0, 0, 0, 0)  # around the painted badge (left, top, right, bottom)
        self.setObjectName("alarmBadge")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()
        # on a tab widget: its corner widget, laid out by it beside the tabs (MainWindow.set_tab_corner)
        self.corner = isinstance(host, QTabWidget)
        self._timer = QTimer(self, interval=PULSE_STEP_MS)
        self._timer.timeout.connect(self._pulse)
        models.alerts_changed.connect(self.refresh)
        host.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        open_alarms = self.models.unacknowledged()
        self.count = len(open_alarms)
        new = [a.id for _, a in open_alarms if a.id not in self._sounded]
        if new and self.sound:
            (self._beep or _system_beep)()
        self._sounded.update(new)
        if not self.count:
            self._timer.stop()
            self.hide()
            return
        self.setText(tr("unacked_badge", self.lang, n=self.count))
        self._pulse()  # the style (font size) first: the badge is sized for the text it draws
        self._place()
        self.show()
        self.raise_()
        if not self._timer.isActive():
            self._timer.start()

    def _pulse(self) -> None:
        """The next step of the swell: a repaint (the style is set only when the size changes)."""
        phase = (self._clock() % PULSE_PERIOD_S) / PULSE_PERIOD_S
        self.level = 0.5 - 0.5 * math.cos(2 * math.pi * phase)
        if self.corner:  # in the tab bar: the tabs' nominal size (bold), no more than the bar's height
            px, pad_v = max(14, round(self.host.window().height() / 1080 * 22)), 0
        else:
            px = max(14, round(self.host.height() / 1080 * 26))
            pad_v = px // 4
        if px != self._px:  # a new font size (first show, a resize): styled and sized again
            self._px = px
            if self.corner:  # clear of the window's edge and of the bar's top and bottom
                m = max(3, px // 4)
                self._margins = (0, m // 2, m, m // 2)
            left, top, right, bottom = self._margins
            # the background and border are painted (paintEvent); the style keeps their room
            # (the style's box is the label's contents margins: no setContentsMargins of ours)
            self.setStyleSheet(
                f"QLabel#alarmBadge {{ background: transparent; color: white; font-size: {px}px;"
                f" font-weight: bold; border: 2px solid transparent; border-radius: {px // 3}px;"
                f" padding: {pad_v}px {px // 2}px; margin: {top}px {right}px {bottom}px {left}px; }}")
            self._place()
        self.update()

    def background(self) -> QColor:
        """The pulsing background colour now (the alarm colour, more opaque at the swell's top)."""
        bg = QColor(theme.ALARM)
        bg.setAlphaF(0.35 + 0.6 * self.level)
        return bg

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        radius = (self._px or 14) // 3
        p.setPen(QPen(QColor(theme.ALARM), 2))
        p.setBrush(self.background())
        left, top, right, bottom = self._margins
        p.drawRoundedRect(QRectF(self.rect()).adjusted(left + 1, top + 1, -right - 1, -bottom - 1), radius, radius)
        p.end()
        super().paintEvent(event)  # the text

    def _place(self) -> None:
        if self.corner:  # the tab widget places it; a new text or size is a new size hint
            self.updateGeometry()
            return
        self.adjustSize()
        margin = max(8, round(self.host.height() / 1080 * 12))
        self.move(self.host.width() - self.width() - margin, margin)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.on_click is not None:
            self.on_click()
        event.accept()


def _system_beep() -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.beep()
