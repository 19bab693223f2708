"""Display care for screens that run day and night: pixel shift, dimming and blanking.

- :class:`PixelShifter` moves the window's content a few pixels (±4 px at 1080p, scaled
  with the window height) along a slow closed orbit, one pixel step every few minutes, so
  tab titles, frames and labels that never change do not sit on the same pixels for
  months (burn-in of OLED and plasma walls, image retention of LCDs). The step is too
  small and too slow to be noticed from the room.
- :class:`DimSchedule` says how bright the wall should be at a local time, from entries
  like ``{from = "22:00", to = "06:00", level = 0.3}`` (level 1: full brightness,
  0: blank). A range may run over midnight; ``to = "24:00"`` is the end of the day; where
  ranges overlap the dimmest wins; outside every range the level is 1.
- :class:`DimOverlay` lays translucent black (opacity 1 − level) over the window,
  transparent to the mouse, checked once a minute (at the minute boundary) and at once
  when the schedule changes. Blank (level 0) is black with a small dim "显示已休眠 · 03:12"
  that moves every minute. :meth:`DimOverlay.wake` lifts it for a while when someone
  touches the mouse or keyboard.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QMainWindow, QWidget

from cockpit.parsing import DAY_MIN, DimRange, parse_dim_range
from cockpit.ui.text import tr

log = logging.getLogger(__name__)


SHIFT_PX_AT_1080 = 4


# ---- pixel shift ---------------------------------------------------------------------


def orbit(amplitude: int) -> list[tuple[int, int]]:
    """A closed path of pixel offsets on a circle of radius ``amplitude``, consecutive
    points one pixel apart at most in each axis (a step is never a visible jump)."""
    if amplitude <= 0:
        return [(0, 0)]
    n = 8 * amplitude
    points: list[tuple[int, int]] = []
    for k in range(n):
        a = 2 * math.pi * k / n
        p = (round(amplitude * math.cos(a)), round(amplitude * math.sin(a)))
        if not points or p != points[-1]:
            points.append(p)
    if len(points) > 1 and points[-1] == points[0]:
        points.pop()
    return points


class PixelShifter(QObject):
    """Moves the content of ``target`` (a QMainWindow: its central widget) by a few pixels
    along :func:`orbit`, one step every ``step_min`` minutes of the clock ``now`` (seconds;
    the position follows from the time, so it needs no saved state).

    The content is moved with contents margins: ``amplitude`` px are kept free on every
    side and the content sits off-centre by the offset. :meth:`tick` (its own timer every
    ``min(step, 30 s)``, and on a resize of the window; ``timer=False``: call it yourself)
    applies a new step;
    :meth:`stop` puts the content back.
    """

    def __init__(self, target: QWidget, *, step_min: float = 3.0, amplitude_px: int | None = None,
                 now: Callable[[], float] = time.time, timer: bool = True) -> None:
        if not step_min > 0:
            raise ValueError(f"pixel shift step must be more than 0 minutes, got {step_min!r}")
        super().__init__(target)
        self.target = target
        self.step_s = step_min * 60
        self.fixed_amplitude = amplitude_px
        self.now = now
        self._applied: tuple[int, int, int] | None = None  # (amplitude, dx, dy) on screen
        self._base: QMargins | None = None  # the content widget's own margins
        self._content: QWidget | None = None
        self._timer: QTimer | None = None
        if timer:
            self._timer = QTimer(self, interval=round(min(self.step_s, 30.0) * 1000))
            self._timer.timeout.connect(self.tick)
            self._timer.start()
        target.window().installEventFilter(self)  # a resize changes the amplitude
        self.tick()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize and obj is self.target.window():
            self.tick()
        return False

    def amplitude(self) -> int:
        if self.fixed_amplitude is not None:
            return max(0, self.fixed_amplitude)
        return max(1, round(SHIFT_PX_AT_1080 * self.target.window().height() / 1080))

    def offset(self) -> tuple[int, int]:
        """(dx, dy) the content should have now."""
        path = orbit(self.amplitude())
        return path[int(self.now() // self.step_s) % len(path)]

    def period_s(self) -> float:
        """Time of one full orbit."""
        return len(orbit(self.amplitude())) * self.step_s

    def content(self) -> QWidget | None:
        """The widget whose margins move: a main window's central widget, else the target."""
        if isinstance(self.target, QMainWindow):
            return self.target.centralWidget()
        return self.target

    def tick(self) -> None:
        content = self.content()
        if content is None:
            return
        if content is not self._content:  # first time, or the central widget was replaced
            self._content, self._base, self._applied = content, content.contentsMargins(), None
        a = self.amplitude()
        dx, dy = self.offset()
        if self._applied == (a, dx, dy):
            return
        self._applied = (a, dx, dy)
        assert self._base is not None
        b = self._base
        content.setContentsMargins(b.left() + a + dx, b.top() + a + dy, b.right() + a - dx, b.bottom() + a - dy)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._content is not None and self._base is not None:
            self._content.setContentsMargins(self._base)
        self._applied = None


# ---- the dim schedule -----------------------------------------------------------------


class DimSchedule:
    """Brightness by local time of day; see the module docstring. ``entries``: the
    ``care.dim`` setting's ``{from, to, level}`` tables or its parsed ranges
    (:func:`cockpit.parsing.parse_dim`, the one parser of the schedule)."""

    def __init__(self, entries: Iterable[Mapping[str, Any] | DimRange] = ()) -> None:
        self.ranges: list[DimRange] = []
        for i, entry in enumerate(entries, 1):
            if isinstance(entry, DimRange):
                self.ranges.append(entry)
                continue
            try:
                self.ranges.append(parse_dim_range(entry))
            except ValueError as exc:
                raise ValueError(f"dim schedule entry {i} ({entry!r}): {exc}") from None

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def level_at(self, when: datetime) -> float:
        """Brightness at this local time: the dimmest range covering it, else 1."""
        minute = when.hour * 60 + when.minute + when.second / 60
        return min((r.level for r in self.ranges if r.covers(minute)), default=1.0)


# ---- the overlay ------------------------------------------------------------------------


class DimOverlay(QWidget):
    """Translucent black over ``parent`` (opacity 1 − level); hidden at full brightness.

    ``now`` gives the local time (a datetime) for the schedule, ``clock`` seconds for
    :meth:`wake`. :meth:`refresh` re-reads the schedule; its own timer calls it at every
    minute boundary (``timer=False``: call it yourself).
    """

    def __init__(self, parent: QWidget, schedule: DimSchedule | None = None, *, lang: str = "zh",
                 now: Callable[[], datetime] = datetime.now, clock: Callable[[], float] = time.monotonic,
                 timer: bool = True) -> None:
        super().__init__(parent)
        self.schedule = schedule or DimSchedule()
        self.lang = lang
        self.now = now
        self.clock = clock
        self.paint_count = 0
        self._level = 1.0
        self._awake_until: float | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        parent.installEventFilter(self)
        self._timer: QTimer | None = None
        if timer:
            self._timer = QTimer(self, singleShot=True)
            self._timer.timeout.connect(self.refresh)
        self.hide()
        self.refresh()

    def set_schedule(self, schedule: DimSchedule) -> None:
        """A new schedule applies at once."""
        self.schedule = schedule
        self.refresh()

    def wake(self, for_s: float = 120.0) -> None:
        """Full brightness for ``for_s`` seconds (someone touched the mouse or keyboard).
        Cheap when not dimmed: call it on every input event."""
        self._awake_until = self.clock() + for_s
        if self._level < 1.0:
            self.refresh()
        if self._timer is not None and self.schedule:
            self._arm()

    def level(self) -> float:
        """The brightness shown now: 1 = full, 0 = blank."""
        return self._level

    def opacity(self) -> float:
        """Opacity of the black laid over the window (1 − level)."""
        return 1.0 - self._level

    def refresh(self) -> None:
        """Re-read the schedule (and the end of a wake) and show the level it gives."""
        level = self.schedule.level_at(self.now()) if self.schedule else 1.0
        if self._awake_until is not None:
            if self.clock() < self._awake_until:
                level = 1.0
            else:
                self._awake_until = None
        changed = level != self._level
        if changed:
            log.info("display brightness %d%%", round(level * 100))
        self._level = level
        # blank: opaque, so Qt does not paint the screens underneath at all
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, level <= 0.0)
        parent = self.parentWidget()
        if level >= 1.0:
            self.hide()
        else:
            if parent is not None and self.geometry() != parent.rect():
                self.setGeometry(parent.rect())
            if not self.isVisible():
                self.show()
                self.raise_()
            elif changed or level <= 0.0:  # blank: the clock line moves every minute
                self.update()
        if self._timer is not None and self.schedule:
            self._arm()

    def _arm(self) -> None:
        """Next refresh: at the next minute boundary, or the end of a wake if sooner."""
        assert self._timer is not None
        t = self.now()
        wait = 60.0 - (t.second + t.microsecond / 1e6) + 0.2
        if self._awake_until is not None:
            wait = min(wait, max(0.0, self._awake_until - self.clock()) + 0.05)
        self._timer.start(max(50, round(wait * 1000)))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        parent = self.parentWidget()
        if parent is not None and obj is parent and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(parent.rect())
        return False

    # ---- painting --------------------------------------------------------------------

    def asleep_text(self) -> str:
        return tr("care_asleep", self.lang, t=self.now().strftime("%H:%M"))

    def text_rect(self) -> QRect:
        """Where the "asleep" line goes this minute: a different place every minute."""
        fm = QFontMetrics(self._font())
        w, h = fm.horizontalAdvance(self.asleep_text()) + 8, fm.height() + 4
        t = self.now()
        rnd = random.Random(t.toordinal() * DAY_MIN + t.hour * 60 + t.minute)
        x = rnd.randint(0, max(0, self.width() - w))
        y = rnd.randint(0, max(0, self.height() - h))
        return QRect(x, y, w, h)

    def _font(self) -> QFont:
        f = QFont(self.font())
        f.setPixelSize(max(10, round(14 * self.height() / 1080)))
        return f

    def paintEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self.paint_count += 1
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, round(255 * self.opacity())))
        if self._level <= 0.0:
            p.setFont(self._font())
            p.setPen(QColor("#3a4a60"))  # dim: the line itself must not burn in
            p.drawText(self.text_rect(), Qt.AlignmentFlag.AlignCenter, self.asleep_text())
        p.end()
