"""Playlist rotation of the wall: each tab for its dwell, alarms first, paused while someone works.

The decisions only, without Qt (import-linter keeps it so; tests run it on a fake clock,
without a screen). ``cockpit.ui.rotation`` drives it: a QTimer calls :meth:`Rotation.tick`,
the window's input pauses it, ``RotationBar`` draws its progress.

``Rotation`` is given three callbacks — ``show(tab_id)``
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
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from cockpit.parsing import DEFAULT_DWELL_S

__all__ = ["STATE_VERSION", "Rotation"]

log = logging.getLogger("cockpit.ui.rotation")  # the name its log lines always had

STATE_VERSION = 1


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
