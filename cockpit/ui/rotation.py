"""Playlist rotation of the wall: each tab for its dwell, alarms first, paused while someone works.

``Rotation`` is the logic and knows no Qt: it is given three callbacks — ``show(tab_id)``
(returns False when there is no such tab), ``current()`` (the tab on screen) and
``alarming()`` (the tabs whose brain has an active alarm) — and a clock ``now()`` in
seconds. The window calls :meth:`Rotation.tick` from a QTimer (every 200 ms); tests move
the clock instead of sleeping.

Rules (what the duty officer sees):

- the playlist is shown in order, each tab for its dwell (``--rotate 30``: every tab 30 s;
  ``--rotate city=60,dyeing,ic=20``: these tabs in this order), then from the top again;
- any mouse move, click, wheel or key on the window pauses the rotation
  (:meth:`pause`); it resumes by itself ``pause_resume_s`` (120 s) after the last touch,
  on the tab then on screen, which gets its full dwell;
- **alarm jump**: a brain that newly has an alarm is shown next and held
  ``alarm_hold_s`` (60 s) instead of its dwell. The jump waits until the tab on screen
  has been up ``alarm_min_dwell_s`` (5 s), so the wall never flickers through two screens
  in a second (two alarms arriving together, an alarm right after a manual switch).
  Several alarming brains queue, in playlist order; an alarm hold is never cut short by
  the next alarm. A queued brain whose alarm clears before its turn is dropped. A brain
  that stays alarming does not jump again; its episode ends when it has been clear for
  ``alarm_rearm_s`` (30 s), so an alarm flapping at its threshold jumps once, not every
  few seconds. While paused, alarms queue and jump when the rotation resumes (the wall
  is not taken away from an operator who is using it). If the alarming brain is already
  on screen, it is simply held. After the alarm holds the playlist continues with the tab
  after the one that was interrupted.
- :meth:`advance` / :meth:`back` switch at once and restart the dwell (``advance`` during
  an alarm hold goes to the next queued alarm, else back to the playlist);
- a tab shown by anything else (a click on a tab, an enterprise opened) is adopted: it
  gets a full dwell and the playlist continues after it;
- :meth:`state` / :meth:`restore` carry the position, pause and alarm episodes over a
  restart (times are stored relative, never as monotonic clock values).

``RotationBar`` is the thin progress line of the current dwell along the top or bottom
edge of the window: accent while playing, red during an alarm hold, amber with
"暂停 · 2:00 后继续" at its right end while paused.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from cockpit.parsing import DEFAULT_DWELL_S, MIN_DWELL_S, RotateSpec, parse_duration, parse_rotate
from cockpit.ui.text import tr
from widgets import theme

__all__ = ["DEFAULT_DWELL_S", "MIN_DWELL_S", "RotateSpec", "Rotation", "RotationBar", "alarming_tabs",
           "parse_duration", "parse_rotate"]

log = logging.getLogger(__name__)

STATE_VERSION = 1



def _tr(key: str, lang: str, **kw: object) -> str:
    """This module's texts, ``rotation_*`` in the one table (cockpit/ui/text.py)."""
    return tr(f"rotation_{key}", lang, **kw)


def alarming_tabs(window: Any) -> set[str]:
    """The ``alarming()`` callback for the main window: brains with an active "alarm"
    (not "warn") alert, from the window's UI models (``window.models``), among its tabs."""
    return window.models.alarming() & set(window.tabs_by_brain)


# ---- the rotation ----------------------------------------------------------------------


class Rotation:
    """Which tab the wall shows when; see the module docstring for the rules."""

    def __init__(
        self,
        show: Callable[[str], object],
        current: Callable[[], str | None],
        alarming: Callable[[], Iterable[str]],
        *,
        playlist: Sequence[str] = (),
        dwell_s: float = DEFAULT_DWELL_S,
        dwell: Mapping[str, float] | None = None,
        pause_resume_s: float = 120.0,
        alarm_hold_s: float = 60.0,
        alarm_min_dwell_s: float = 5.0,
        alarm_rearm_s: float = 30.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if dwell_s <= 0 or pause_resume_s <= 0 or alarm_hold_s <= 0:
            raise ValueError("dwell, pause and alarm hold times must be more than 0 s")
        self._show_cb = show
        self._current_cb = current
        self._alarming_cb = alarming
        self.now = now
        self.default_dwell_s = float(dwell_s)
        self.pause_resume_s = float(pause_resume_s)
        self.alarm_hold_s = float(alarm_hold_s)
        self.alarm_min_dwell_s = float(alarm_min_dwell_s)
        self.alarm_rearm_s = float(alarm_rearm_s)
        self._playlist: list[str] = []
        self._dwell: dict[str, float] = {}
        self._index = -1  # playlist position of the rotation (the tab shown, or interrupted)
        self._shown: str | None = None  # the tab the rotation put (or found) on screen
        self._since: float | None = None  # when it came on screen
        self._hold = self.default_dwell_s  # how long it stays
        self._on_alarm = False  # shown for an alarm (held alarm_hold_s)
        self._paused_until: float | None = None
        self._pause_reason = ""
        self._frozen = 0.0  # progress when paused
        self._queue: list[str] = []  # alarming brains waiting for their jump
        self._episodes: set[str] = set()  # brains whose alarm episode is going on
        self._clear_since: dict[str, float] = {}  # brain of an episode -> clear since
        self._return_to: str | None = None  # without a playlist: the tab an alarm interrupted
        self._restore_to: tuple[str, float] | None = None  # (tab, give up at) after restore()
        self._missing: set[str] = set()  # tabs show() refused (logged once)
        self.set_playlist(playlist, dwell)

    # ---- configuration -----------------------------------------------------------

    @property
    def playlist(self) -> list[str]:
        return list(self._playlist)

    def set_playlist(self, tab_ids: Sequence[str], dwell: Mapping[str, float] | None = None) -> None:
        """Tabs in rotation order (e.g. when the catalog's tabs are known); keeps the tab on
        screen and its dwell running. ``dwell``: per-tab seconds, others the default."""
        self._playlist = list(dict.fromkeys(tab_ids))
        if dwell is not None:
            bad = {k: v for k, v in dwell.items() if not v > 0}
            if bad:
                raise ValueError(f"dwell must be more than 0 s: {bad}")
            self._dwell = {k: float(v) for k, v in dwell.items()}
        self._missing.clear()
        self._index = self._playlist.index(self._shown) if self._shown in self._playlist else (
            min(self._index, len(self._playlist) - 1))

    def dwell_of(self, tab_id: str) -> float:
        return self._dwell.get(tab_id, self.default_dwell_s)

    # ---- what the bar and diagnostics read ------------------------------------------

    @property
    def shown(self) -> str | None:
        return self._shown

    @property
    def paused(self) -> bool:
        return self._paused_until is not None

    @property
    def pause_reason(self) -> str:
        return self._pause_reason

    @property
    def alarm_queue(self) -> list[str]:
        return list(self._queue)

    def mode(self) -> str:
        """"paused", "alarm" (an alarm hold), "playing", or "idle" (nothing to rotate)."""
        if self._paused_until is not None:
            return "paused"
        if self._on_alarm:
            return "alarm"
        return "playing" if self._playlist else "idle"

    def paused_remaining(self) -> float | None:
        """Seconds until the pause ends by itself (None: not paused)."""
        if self._paused_until is None:
            return None
        return max(0.0, self._paused_until - self.now())

    def progress(self) -> float:
        """0..1 of the current tab's dwell (frozen while paused; 0 when idle)."""
        if self._paused_until is not None:
            return self._frozen
        return self._progress_at(self.now())

    def _progress_at(self, t: float) -> float:
        if self._since is None or (not self._playlist and not self._on_alarm):
            return 0.0
        return min(1.0, max(0.0, (t - self._since) / self._hold))

    # ---- driving ---------------------------------------------------------------------

    def tick(self) -> None:
        """Call often (every 200 ms): auto-resume, alarm jumps, dwell ends."""
        t = self.now()
        self._update_alarms(t)
        if self._paused_until is not None:
            if t < self._paused_until:
                return
            self._resume(t)
        if self._restore_to is not None and self._try_restore(t):
            return
        cur = self._current_cb()
        if self._since is None or cur != self._shown:
            self._adopt(cur, t)
        if not self._playlist and not self._on_alarm and not self._queue:
            return
        assert self._since is not None
        up = t - self._since
        if up >= self._hold:
            if self._queue:
                self._jump_to_alarm(t)
            else:
                self._next(t)
        elif self._queue and not self._on_alarm and up >= self.alarm_min_dwell_s:
            self._jump_to_alarm(t)

    def pause(self, reason: str = "manual", for_s: float | None = None) -> None:
        """Hold the tab on screen; resumes by itself ``for_s`` (default ``pause_resume_s``)
        after the last call. Cheap: call it on every input event."""
        t = self.now()
        until = t + (self.pause_resume_s if for_s is None else for_s)
        if self._paused_until is None:
            self._frozen = self._progress_at(t)
            log.info("rotation paused (%s)", reason)
            self._paused_until = until
        else:
            self._paused_until = max(self._paused_until, until)
        self._pause_reason = reason

    def resume(self) -> None:
        if self._paused_until is not None:
            self._resume(self.now())

    def _resume(self, t: float) -> None:
        self._paused_until = None
        self._pause_reason = ""
        log.info("rotation resumed")
        cur = self._current_cb()
        # the tab on screen (perhaps chosen by the operator) gets a full dwell
        self._adopt(cur, t, keep_alarm=cur == self._shown and self._on_alarm)

    def advance(self) -> None:
        """Next now: the next queued alarm during an alarm hold, else the next playlist tab."""
        t = self.now()
        if self._queue:
            self._jump_to_alarm(t)
        else:
            self._next(t)
        self._frozen = 0.0

    def back(self) -> None:
        """Previous now: from an alarm hold back to the interrupted tab, else the previous one."""
        t = self.now()
        if not self._playlist:
            return
        if self._on_alarm and 0 <= self._index < len(self._playlist):
            self._show_from(self._index, -1, t, include_start=True)
        else:
            self._show_from(max(self._index, 0), -1, t)
        self._frozen = 0.0

    # ---- internals -------------------------------------------------------------------

    def _show(self, tab_id: str) -> bool:
        ok = self._show_cb(tab_id) is not False
        if not ok and tab_id not in self._missing:
            self._missing.add(tab_id)
            log.warning("rotation: no tab %r to show, skipped", tab_id)
        return ok

    def _adopt(self, cur: str | None, t: float, keep_alarm: bool = False) -> None:
        """The tab on screen becomes the rotation's, with a fresh dwell."""
        self._shown, self._since = cur, t
        self._on_alarm = keep_alarm
        self._hold = self.alarm_hold_s if keep_alarm else (self.dwell_of(cur) if cur else self.default_dwell_s)
        if cur in self._playlist:
            self._index = self._playlist.index(cur)
        if cur in self._queue:  # already on screen: held, no jump
            self._queue.remove(cur)
            self._on_alarm, self._hold = True, self.alarm_hold_s

    def _next(self, t: float) -> None:
        if self._playlist:
            self._show_from(self._index, +1, t)
            return
        # no playlist, only alarms jump: back to the tab the first alarm interrupted
        back = self._return_to
        self._return_to = None
        if self._on_alarm and back is not None and back != self._shown and self._show(back):
            self._shown = back
        self._on_alarm, self._since, self._hold = False, t, self.default_dwell_s

    def _show_from(self, index: int, step: int, t: float, include_start: bool = False) -> None:
        n = len(self._playlist)
        first = 0 if include_start else 1
        for k in range(first, first + n):
            i = (index + step * k) % n
            tab = self._playlist[i]
            if tab == self._shown and n > 1 and not include_start:
                continue  # just held for an alarm: not again at once
            if self._show(tab):
                self._index, self._shown, self._since = i, tab, t
                self._on_alarm, self._hold = False, self.dwell_of(tab)
                return
        # nothing in the playlist can be shown (tabs not built yet): try again next dwell
        self._since = t

    def _jump_to_alarm(self, t: float) -> None:
        while self._queue:
            tab = self._queue.pop(0)
            if self._show(tab):
                log.info("rotation: alarm on %s, shown for %.0f s", tab, self.alarm_hold_s)
                if not self._on_alarm:
                    self._return_to = self._shown
                self._shown, self._since = tab, t
                self._on_alarm, self._hold = True, self.alarm_hold_s
                return
        self._next(t)

    def _update_alarms(self, t: float) -> None:
        try:
            now_alarming = set(self._alarming_cb())
        except Exception:  # a window being rebuilt must not stop the rotation
            log.exception("rotation: alarming() failed")
            return
        order = {tab: i for i, tab in enumerate(self._playlist)}
        for tab in sorted(now_alarming - self._episodes, key=lambda b: (order.get(b, len(order)), b)):
            self._episodes.add(tab)
            if tab == self._shown and self._since is not None and self._paused_until is None:
                self._on_alarm, self._since, self._hold = True, t, self.alarm_hold_s  # held where it is
            elif tab not in self._queue:
                self._queue.append(tab)
        for tab in list(self._episodes):
            if tab in now_alarming:
                self._clear_since.pop(tab, None)
            elif t - self._clear_since.setdefault(tab, t) >= self.alarm_rearm_s:
                self._episodes.discard(tab)
                del self._clear_since[tab]
        self._queue = [tab for tab in self._queue if tab in now_alarming]

    def _try_restore(self, t: float) -> bool:
        assert self._restore_to is not None
        tab, give_up = self._restore_to
        if self._show(tab) or t >= give_up:
            self._restore_to = None
            return False  # the adoption in tick() takes the restored tab
        return True

    # ---- restart ---------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """JSON-able position, pause and alarm episodes (relative times only)."""
        t = self.now()
        if self._paused_until is not None:
            elapsed = self._frozen * self._hold
        else:
            elapsed = t - self._since if self._since is not None else 0.0
        return {
            "version": STATE_VERSION,
            "playlist": list(self._playlist),
            "index": self._index,
            "shown": self._shown,
            "elapsed_s": round(elapsed, 3),
            "alarm": self._on_alarm,
            "paused_for_s": round(self._paused_until - t, 3) if self._paused_until is not None else None,
            "pause_reason": self._pause_reason,
            "alarm_queue": list(self._queue),
            "alarm_episodes": sorted(self._episodes),
        }

    def restore(self, state: Mapping[str, Any]) -> bool:
        """Continue from :meth:`state` of an earlier run: the same tab with the rest of its
        dwell, the rest of a pause, alarm episodes that must not jump again. The configured
        playlist stays. The tab is shown on the next tick that can (tabs may not exist yet;
        tried for 60 s). False (and nothing changed) if the state does not fit."""
        try:
            if state.get("version") != STATE_VERSION:
                raise ValueError(f"version {state.get('version')!r}")
            shown = state.get("shown")
            elapsed = float(state.get("elapsed_s") or 0.0)
            paused_for = state.get("paused_for_s")
            paused_for = None if paused_for is None else float(paused_for)
            queue = [str(x) for x in state.get("alarm_queue") or []]
            episodes = {str(x) for x in state.get("alarm_episodes") or []}
            index = int(state.get("index", -1))
            alarm = bool(state.get("alarm"))
            if shown is not None and not isinstance(shown, str):
                raise ValueError(f"shown tab {shown!r}")
            if not (math.isfinite(elapsed) and elapsed >= 0):
                raise ValueError(f"elapsed {elapsed!r}")
        except (TypeError, ValueError, AttributeError) as exc:
            log.warning("rotation state not restored: %s", exc)
            return False
        t = self.now()
        if shown is None and 0 <= index < len(self._playlist):
            shown = self._playlist[index]
        self._queue, self._episodes = queue, episodes
        if shown is not None:
            self._shown = shown
            self._index = self._playlist.index(shown) if shown in self._playlist else index
            self._on_alarm = alarm
            self._hold = self.alarm_hold_s if alarm else self.dwell_of(shown)
            self._since = t - min(elapsed, self._hold)
            self._restore_to = (shown, t + 60.0)
        if paused_for is not None and paused_for > 0:
            self._paused_until = t + min(paused_for, self.pause_resume_s)
            self._pause_reason = str(state.get("pause_reason") or "restored")
            self._frozen = self._progress_at(t)
            if shown is not None:
                self._show(shown)
        return True


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
