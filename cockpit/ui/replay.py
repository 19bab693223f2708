"""Time travel: "what did the wall show at 09:00".

:class:`Replay` moves the shared UI models' time cursor. Going to a moment fetches each
brain's snapshot as of it (``GET /api/v1/brains/{id}/snapshot?at=``; a moment the platform
does not keep comes back missing and every widget says so, nothing is invented) and the
charts' 24 hours up to it (from the offline cache first, the API's ``/series`` for what
the cache lacks). Play moves the cursor on at 1×, 10× or 60×; reaching now, or 回到实时,
returns to live.

While not live, a band in a colour no live state uses (violet) runs across the whole
window: "回放 · 12-06 09:00"; the time bar under it holds the controls (视图 → 时间回放…,
Ctrl+T, opens it while live). Exports made meanwhile name the moment.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QDateTime, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from cockpit.moments import PLATFORM_TZ, moment_text, parse_moment
from cockpit.ui.model import Models
from cockpit.ui.text import tr

log = logging.getLogger(__name__)

REPLAY_COLOR = "#8e44ec"  # violet: no live state (green, amber, red, blue) uses it
SPEEDS = (1, 10, 60)
HISTORY_RELOAD_MS = 5 * 60_000  # while playing, the charts' history is reloaded every 5 min of replayed time
# fetch(at_ms, with_history) -> {brain: (snapshot or None, history or None)}
Fetch = Callable[[int, bool], Awaitable[dict]]


class Replay(QObject):
    """The time cursor of the shared models: go to a moment, play, back to live."""

    changed = Signal()

    def __init__(self, models: Models, fetch: Fetch, *, now_ms: Callable[[], int] | None = None,
                 tz: str = PLATFORM_TZ, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.models = models
        self.fetch = fetch
        self.now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self.tz = tz
        self.cursor_ms: int | None = None  # None: live
        self.speed = 1
        self.playing = False
        self.ready = True  # the moment shown is loaded
        self.missing: list[str] = []  # brains whose moment the platform does not keep
        self._history_at: int | None = None
        self._busy = False
        self._tasks: set[asyncio.Task] = set()
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)

    @property
    def live(self) -> bool:
        return self.cursor_ms is None

    def go(self, at_ms: int) -> None:
        """Show every brain as it was at ``at_ms`` (a moment not in the past: live)."""
        if at_ms >= self.now_ms():
            self.back_to_live()
            return
        self.cursor_ms = int(at_ms)
        self.ready = False
        self._history_at = None
        self._load(self.cursor_ms, with_history=True)
        self.changed.emit()

    def play(self, speed: int | None = None) -> None:
        if speed is not None:
            if speed not in SPEEDS:
                raise ValueError(f"speed must be one of {SPEEDS}")
            self.speed = speed
        if self.cursor_ms is None:
            return
        self.playing = True
        self._timer.start()
        self.changed.emit()

    def pause(self) -> None:
        self.playing = False
        self._timer.stop()
        self.changed.emit()

    def back_to_live(self) -> None:
        self._timer.stop()
        self.playing = False
        self.cursor_ms = None
        self.ready = True
        self.missing = []
        for m in self.models:
            m.set_cursor(None)
        self.changed.emit()

    def step(self, seconds: float = 1.0) -> None:
        """Playback: the cursor moves ``speed`` × ``seconds`` on (what the 1 s timer does)."""
        if self.cursor_ms is None:
            return
        at = self.cursor_ms + round(self.speed * seconds * 1000)
        if at >= self.now_ms():
            self.back_to_live()
            return
        self.cursor_ms = at
        reload = self._history_at is None or abs(at - self._history_at) >= HISTORY_RELOAD_MS
        self._load(at, with_history=reload)
        self.changed.emit()

    def _tick(self) -> None:
        if not self._busy:  # a slow answer: skip a beat rather than pile requests up
            self.step()

    def _load(self, at: int, with_history: bool) -> None:
        async def go() -> None:
            self._busy = True
            try:
                got = await self.fetch(at, with_history)
            except Exception:  # noqa: BLE001 (a failed fetch must not end playback silently)
                log.exception("replay at %d not loaded", at)
                return
            finally:
                self._busy = False
            if self.cursor_ms != at:
                return  # the cursor moved on meanwhile
            if with_history:
                self._history_at = at
            self.missing = sorted(b for b, (snap, _h) in got.items() if snap is None)
            for brain, (snap, history) in got.items():
                self.models.brain(brain).set_past(at, snap, history)
            self.models.flush()
            self.ready = True
            self.changed.emit()

        task = asyncio.get_running_loop().create_task(go())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def label(self, lang: str) -> str:
        if self.cursor_ms is None:
            return ""
        text = tr("replay_band", lang, t=moment_text(self.cursor_ms, self.tz))
        if self.playing:
            text += f" · {self.speed}×"
        return text


class ReplayBar(QWidget):
    """The band ("回放 · 12-06 09:00") and the time controls, across the top of a window."""

    def __init__(self, replay: Replay, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.replay = replay
        self.lang = lang
        self.setObjectName("replayBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        self.band = QLabel()
        self.band.setTextFormat(Qt.TextFormat.PlainText)
        self.when = QDateTimeEdit()
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.go_button = QPushButton(tr("replay_go", lang))
        self.play_button = QPushButton(tr("replay_play", lang))
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s}×", s)
        self.live_button = QPushButton(tr("replay_live", lang))
        row.addWidget(self.band, 1)
        for w in (self.when, self.go_button, self.play_button, self.speed, self.live_button):
            row.addWidget(w)
        self.go_button.clicked.connect(self._go)
        self.play_button.clicked.connect(self._play)
        self.speed.currentIndexChanged.connect(lambda _i: self.replay.play(self.speed.currentData())
                                               if self.replay.playing else None)
        self.live_button.clicked.connect(self.replay.back_to_live)
        replay.changed.connect(self.sync)
        self.opened = False  # shown while live because someone asked for it (Ctrl+T)
        self.sync()

    def open(self) -> None:
        self.opened = True
        if self.replay.live:
            self._show_moment(self.replay.now_ms() - 3_600_000)
        self.sync()
        self.when.setFocus()

    def _show_moment(self, ms: int) -> None:
        """The edit shows the platform's wall time (not the machine's)."""
        text = moment_text(ms, self.replay.tz, "%Y-%m-%d %H:%M")
        self.when.setDateTime(QDateTime.fromString(text, "yyyy-MM-dd HH:mm"))

    def moment(self) -> int:
        return parse_moment(self.when.dateTime().toString("yyyy-MM-dd HH:mm"), self.replay.tz)

    def _go(self) -> None:
        self.replay.go(self.moment())

    def _play(self) -> None:
        if self.replay.playing:
            self.replay.pause()
        else:
            if self.replay.live:
                self._go()
            self.replay.play(self.speed.currentData())

    def sync(self) -> None:
        r, lang = self.replay, self.lang
        replaying = not r.live
        self.setVisible(replaying or self.opened)
        px = max(14, round((self.window().height() if self.window() else 1080) / 1080 * 22))
        color = REPLAY_COLOR if replaying else "transparent"
        self.setStyleSheet(f"QWidget#replayBar {{ background: {color}; }}"
                           f" QWidget#replayBar QLabel {{ color: white; font-size: {px}px; font-weight: bold; }}"
                           f" QWidget#replayBar QPushButton, QWidget#replayBar QComboBox,"
                           f" QWidget#replayBar QDateTimeEdit {{ font-size: {round(px * 0.75)}px; }}")
        if replaying:
            text = r.label(lang)
            if not r.ready:
                text += " · " + tr("replay_loading", lang)
            elif r.missing:
                text += " · " + tr("replay_missing", lang, n=len(r.missing))
            self.band.setText(text)
            if not self.when.hasFocus() and r.cursor_ms is not None:
                self._show_moment(r.cursor_ms)
        else:
            self.band.setText(tr("replay_hint", lang))
        self.play_button.setText(tr("replay_pause" if r.playing else "replay_play", lang))
        self.live_button.setEnabled(replaying)
