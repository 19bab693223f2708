"""Kiosk mode for the video wall: full screen on a chosen screen, nothing to click away.

:func:`enter_kiosk` makes a window frameless, always on top and full screen on
``QGuiApplication.screens()[n]`` (a screen that does not exist is reported, with the
number of screens, and the primary one is used), hides its menu, tool and status bars,
and hides the mouse cursor (it appears while the mouse moves and hides again after
``cursor_idle_s``). While in kiosk mode:

- Escape, Alt+F4, Ctrl+F4, Alt+Tab, Alt+Space, the Windows/Super keys, F11, Ctrl+Q and
  Ctrl+W do nothing, and a close request from the window manager is refused (a close
  from the program itself, at shutdown, still works);
- a window that the window manager takes out of full screen is put back;
- the configured key chord (default Ctrl+Alt+Shift+Q) leaves — the only way out (the
  window's Quit and its kiosk command refuse while in kiosk mode); with a PIN set it opens a
  small PIN panel inside the window instead (not a modal dialog: the wall keeps
  updating behind it). A wrong PIN says so and how many tries are left; three wrong ones
  lock the panel for 60 s (it shows the countdown). Escape, or 30 s without typing,
  closes the panel.

:func:`leave_kiosk` puts back the window's flags, geometry, state, bars and cursor.
:func:`is_kiosk` tells the rest of the program not to open dialogs that wait for a click.

:func:`watch_activity` reports input on a window (mouse move or press, wheel, key,
touch) to callbacks, at most every 0.25 s — the rotation pauses on it, the dim overlay
wakes on it. It works with or without kiosk mode.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QKeyCombination, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent, QKeySequence, QScreen, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenuBar,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from cockpit.parsing import parse_chord as _parse_chord
from cockpit.ui.text import tr
from widgets import theme

log = logging.getLogger(__name__)

DEFAULT_EXIT_CHORD = "Ctrl+Alt+Shift+Q"
PIN_TRIES = 3
PIN_LOCK_S = 60.0
PIN_PANEL_IDLE_S = 30.0

_MODS = (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
         | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)



def _tr(key: str, lang: str, **kw: object) -> str:
    """This module's texts, ``kiosk_*`` in the one table (cockpit/ui/text.py)."""
    return tr(f"kiosk_{key}", lang, **kw)


# ---- configuration checks ------------------------------------------------------------


def parse_chord(text: str) -> QKeyCombination:
    """The exit chord as Qt's key combination, by the one rule of the ``kiosk.exit_chord``
    setting (:func:`cockpit.parsing.parse_chord`: at least two modifiers and a key, e.g.
    "Ctrl+Alt+Shift+Q"); ValueError saying what is wrong otherwise."""
    try:
        normal = _parse_chord(text)
    except ValueError as exc:
        raise ValueError(f"kiosk exit chord {text!r} {exc} (e.g. {DEFAULT_EXIT_CHORD})") from None
    seq = QKeySequence.fromString(normal, QKeySequence.SequenceFormat.PortableText)
    if seq.count() != 1 or seq[0].key() == Qt.Key.Key_unknown:  # type: ignore[index]
        raise ValueError(f"kiosk exit chord {text!r} is not a key chord (e.g. {DEFAULT_EXIT_CHORD})")
    combo: QKeyCombination = seq[0]  # type: ignore[index]
    return combo


def choose_screen(index: int | None) -> tuple[QScreen, str | None]:
    """``QGuiApplication.screens()[index]`` (None: the primary), or the primary screen and
    a message saying why when there is no such screen."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    if index is None:
        return primary, None
    if 0 <= index < len(screens):
        return screens[index], None
    n = len(screens)
    names = ", ".join(f"{i}: {s.name() or '?'} {s.geometry().width()}x{s.geometry().height()}"
                      for i, s in enumerate(screens))
    msg = (f"screen {index} does not exist: this machine has {n} screen{'s' if n != 1 else ''} ({names}); "
           f"using the primary screen")
    return primary, msg


def _pin_matches(entered: str, pin: str) -> bool:
    """``pin`` in plain text, or as ``sha256:<hex>`` so it need not be written in a config file."""
    if pin.startswith("sha256:"):
        digest = hashlib.sha256(entered.encode()).hexdigest()
        return hmac.compare_digest(digest, pin[7:].strip().lower())
    return hmac.compare_digest(entered.encode(), pin.encode())


# ---- user activity -------------------------------------------------------------------

_INPUT = {
    QEvent.Type.MouseMove: "mouse",
    QEvent.Type.MouseButtonPress: "mouse",
    QEvent.Type.MouseButtonDblClick: "mouse",
    QEvent.Type.Wheel: "mouse",
    QEvent.Type.KeyPress: "key",
    QEvent.Type.TouchBegin: "touch",
    QEvent.Type.TabletPress: "touch",
}


def _belongs(obj: QObject, window: QWidget) -> bool:
    if isinstance(obj, QWidget):
        return obj.window() is window
    if isinstance(obj, QWindow):
        return obj is window.windowHandle()
    return False


class ActivityFilter(QObject):
    """Reports input on one window to callbacks ``cb(kind)`` (kind "mouse", "key" or
    "touch"), at most once every ``min_interval_s``. A mouse that moves less than
    ``move_px`` (jitter, the synthetic moves some platforms send when the screen under a
    resting cursor changes) is not activity. One per window: use :func:`watch_activity`."""

    def __init__(self, window: QWidget, *, min_interval_s: float = 0.25, move_px: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.setObjectName("cockpit-activity")
        self.window = window
        self.min_interval_s = min_interval_s
        self.move_px = move_px
        self.clock = clock
        self.callbacks: list[Callable[[str], None]] = []
        self._last_report = -math.inf
        self._last_pos: QPointF | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def add(self, callback: Callable[[str], None]) -> None:
        if callback not in self.callbacks:
            self.callbacks.append(callback)

    def remove(self, callback: Callable[[str], None]) -> None:
        if callback in self.callbacks:
            self.callbacks.remove(callback)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = _INPUT.get(event.type())
        if kind is None or not self.callbacks or not _belongs(obj, self.window):
            return False
        if event.type() == QEvent.Type.MouseMove:
            pos = event.globalPosition()  # type: ignore[attr-defined]
            last, self._last_pos = self._last_pos, QPointF(pos)
            if last is None or (pos - last).manhattanLength() < self.move_px:
                if last is not None:
                    self._last_pos = last  # creeping by a pixel at a time still adds up
                return False
        t = self.clock()
        if t - self._last_report < self.min_interval_s:
            return False
        self._last_report = t
        for cb in list(self.callbacks):
            try:
                cb(kind)
            except Exception:
                log.exception("activity callback failed")
        return False


def watch_activity(window: QWidget, callback: Callable[[str], None]) -> ActivityFilter:
    """Call ``callback(kind)`` on input to ``window`` (see :class:`ActivityFilter`)."""
    filt = window.findChild(ActivityFilter, "cockpit-activity", Qt.FindChildOption.FindDirectChildrenOnly)
    if filt is None:
        filt = ActivityFilter(window)
    filt.add(callback)
    return filt


def unwatch_activity(window: QWidget, callback: Callable[[str], None]) -> None:
    filt = window.findChild(ActivityFilter, "cockpit-activity", Qt.FindChildOption.FindDirectChildrenOnly)
    if filt is not None:
        filt.remove(callback)


# ---- the PIN panel -------------------------------------------------------------------


class PinPanel(QFrame):
    """A small frameless panel in the middle of the window: title, PIN field, message."""

    def __init__(self, window: QWidget, lang: str, submit: Callable[[str], object]) -> None:
        super().__init__(window)
        self.setObjectName("kioskPin")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.lang = lang
        self.title = QLabel(_tr("pin_title", lang))
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(32)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(_tr("pin_hint", lang))
        for lab in (self.title, self.message):
            lab.setTextFormat(Qt.TextFormat.PlainText)
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.field)
        box.addWidget(self.message)
        self.field.returnPressed.connect(lambda: submit(self._take()))
        self.hide()

    def _take(self) -> str:
        text = self.field.text()
        self.field.clear()
        return text

    def say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {theme.ALARM if error else theme.TEXT_DIM};")

    def place(self) -> None:
        win = self.parentWidget()
        if win is None:
            return
        px = max(14, round(win.height() / 1080 * 24))
        self.setStyleSheet(
            f"#kioskPin {{ background: {theme.PANEL}; border: 2px solid {theme.ACCENT}; border-radius: {px // 2}px; }}"
            f"#kioskPin QLabel {{ font-size: {px}px; color: {theme.TEXT}; background: transparent; border: none; }}"
            f"#kioskPin QLineEdit {{ font-size: {round(px * 1.4)}px; padding: {px // 3}px; }}")
        w, h = px * 22, px * 9
        self.setGeometry((win.width() - w) // 2, (win.height() - h) // 2, w, h)

    def open(self) -> None:
        self.place()
        self.show()
        self.raise_()
        self.field.setFocus()


# ---- kiosk mode ----------------------------------------------------------------------


@dataclass
class _Saved:
    flags: Qt.WindowType
    geometry: Any  # QByteArray of saveGeometry()
    state: Qt.WindowState
    visible: bool
    bars: list[tuple[QWidget, bool]] = field(default_factory=list)


def _blocked(key: int, mods: Qt.KeyboardModifier) -> bool:
    """Keys that would take the wall away (close it, switch windows, leave full screen)."""
    k, alt, ctrl = Qt.Key, bool(mods & Qt.KeyboardModifier.AltModifier), bool(mods & Qt.KeyboardModifier.ControlModifier)
    if key in (k.Key_Escape, k.Key_F11, k.Key_Meta, k.Key_Super_L, k.Key_Super_R, k.Key_Menu):
        return True
    if key == k.Key_F4 and (alt or ctrl):
        return True
    if key in (k.Key_Tab, k.Key_Backtab) and (alt or mods & Qt.KeyboardModifier.MetaModifier):
        return True
    if key == k.Key_Space and alt:
        return True
    return key in (k.Key_Q, k.Key_W) and (mods & _MODS) == Qt.KeyboardModifier.ControlModifier


class Kiosk(QObject):
    """Kiosk mode of one window; made by :func:`enter_kiosk`."""

    def __init__(self, window: QWidget, screen_index: int | None = None, *,
                 exit_chord: str = DEFAULT_EXIT_CHORD, pin: str | None = None, lang: str = "zh",
                 cursor_idle_s: float | None = 5.0, now: Callable[[], float] = time.monotonic,
                 on_leave: Callable[[], None] | None = None) -> None:
        chord = parse_chord(exit_chord)  # before anything is made: a wrong chord changes nothing
        super().__init__(window)
        self.setObjectName("cockpit-kiosk")
        self.window = window
        self.screen_index = screen_index
        self.chord = chord
        self.chord_text = exit_chord
        self.pin = pin or None
        self.lang = lang
        self.cursor_idle_s = cursor_idle_s
        self.now = now
        self.on_leave = on_leave
        self.active = False
        self.screen_warning: str | None = None
        self.wrong_tries = 0
        self.locked_until: float | None = None
        self._saved: _Saved | None = None
        self._screen_name = ""
        self._cursor_hidden = False
        self._panel_input_at = 0.0
        self._cursor_timer = QTimer(self, singleShot=True)
        self._cursor_timer.timeout.connect(self._hide_cursor)
        self._panel_timer = QTimer(self, interval=1000)
        self._panel_timer.timeout.connect(self.refresh_panel)
        self.pin_panel: PinPanel | None = None

    # ---- entering and leaving --------------------------------------------------------

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        bars: list[tuple[QWidget, bool]] = []
        if isinstance(w, QMainWindow):
            for kind in (QMenuBar, QStatusBar, QToolBar):
                for bar in w.findChildren(kind, "", Qt.FindChildOption.FindDirectChildrenOnly):
                    bars.append((bar, bar.isVisible() or not bar.isHidden()))
        self._saved = _Saved(w.windowFlags(), w.saveGeometry(), w.windowState(), w.isVisible(), bars)
        screen, self.screen_warning = choose_screen(self.screen_index)
        if self.screen_warning:
            log.warning("kiosk: %s", self.screen_warning)
        self._screen_name = screen.name()
        w.setWindowFlags(w.windowFlags() | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self._place_on(screen)
        for bar, _ in bars:
            bar.hide()
        self.active = True
        self._hide_cursor()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        watch_activity(w, self._on_input)
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._on_screens_changed)
            app.screenRemoved.connect(self._on_screens_changed)
        log.info("kiosk mode on %s (leave with %s%s)", screen.name() or "the screen", self.chord_text,
                 " and the PIN" if self.pin else "")

    def _place_on(self, screen: QScreen) -> None:
        w = self.window
        handle = w.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
        w.setGeometry(screen.geometry())
        w.showFullScreen()
        w.raise_()
        w.activateWindow()  # the keyboard comes here: the chord must reach the window

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        w = self.window
        shown = w.isVisible()  # (entered before the first show(), or closed at shutdown)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        unwatch_activity(w, self._on_input)
        if isinstance(app, QGuiApplication):
            app.screenAdded.disconnect(self._on_screens_changed)
            app.screenRemoved.disconnect(self._on_screens_changed)
        self._panel_timer.stop()
        if self.pin_panel is not None:
            self.pin_panel.hide()
            self.pin_panel.deleteLater()
            self.pin_panel = None
        self._cursor_timer.stop()
        self._show_cursor()
        s = self._saved
        assert s is not None
        w.setWindowFlags(s.flags)
        w.setWindowState(s.state & ~Qt.WindowState.WindowFullScreen)
        w.restoreGeometry(s.geometry)
        for bar, visible in s.bars:
            bar.setVisible(visible)
        if shown:
            w.show()
        self.setParent(None)
        log.info("kiosk mode left")
        if self.on_leave is not None:
            self.on_leave()

    # ---- cursor ----------------------------------------------------------------------

    def _hide_cursor(self) -> None:
        if self.active and not self._cursor_hidden and self.window.isVisible():
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._cursor_hidden = True

    def _show_cursor(self) -> None:
        if self._cursor_hidden:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_hidden = False

    def cursor_hidden(self) -> bool:
        return self._cursor_hidden

    def _on_input(self, kind: str) -> None:
        if kind == "mouse" and self.cursor_idle_s is not None:
            self._show_cursor()
            self._cursor_timer.start(round(self.cursor_idle_s * 1000))
        if self.pin_panel is not None and self.pin_panel.isVisible():
            self._panel_input_at = self.now()

    # ---- keys, close, state ----------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        t = event.type()
        if t == QEvent.Type.Close:
            if obj is self.window and event.spontaneous():
                log.info("kiosk: close request refused (leave kiosk mode with %s)", self.chord_text)
                event.ignore()
                return True
            if obj is self.window:  # the program closes it (shutdown): give the cursor back
                self._cursor_timer.stop()
                self._show_cursor()
            return False
        if t == QEvent.Type.WindowStateChange:
            if obj is self.window and not self.window.isFullScreen():
                QTimer.singleShot(0, self._reassert)
            return False
        if t not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) or not _belongs(obj, self.window):
            return False
        assert isinstance(event, QKeyEvent)
        key, mods = event.key(), event.modifiers() & _MODS
        if key == self.chord.key() and mods == (self.chord.keyboardModifiers() & _MODS):
            event.accept()
            if t == QEvent.Type.KeyPress:
                self.exit_requested()
            return True
        if _blocked(key, mods):
            event.accept()
            if t == QEvent.Type.KeyPress and key == Qt.Key.Key_Escape:
                self.close_panel()
            return True
        return False

    def _reassert(self) -> None:
        if self.active and not self.window.isFullScreen():
            log.info("kiosk: back to full screen")
            self.window.showFullScreen()

    def _on_screens_changed(self, _screen: QScreen) -> None:
        """A screen came or went (a wall controller restarted, a cable): back on the chosen
        screen when it is there again, else on the primary one."""
        if not self.active:
            return
        chosen = next((s for s in QGuiApplication.screens() if s.name() == self._screen_name), None)
        target = chosen or QGuiApplication.primaryScreen()
        if target is not None and self.window.screen() is not target:
            log.info("kiosk: screens changed, full screen on %s", target.name())
            self._place_on(target)

    # ---- leaving: chord and PIN ------------------------------------------------------

    def exit_requested(self) -> None:
        """The chord was pressed: leave, or ask for the PIN."""
        if not self.pin:
            self.leave()
            return
        if self.pin_panel is None:
            self.pin_panel = PinPanel(self.window, self.lang, self.submit_pin)
        self._panel_input_at = self.now()
        self.pin_panel.open()
        self.refresh_panel()
        self._panel_timer.start()

    def close_panel(self) -> None:
        if self.pin_panel is not None and self.pin_panel.isVisible():
            self.pin_panel.hide()
            self._panel_timer.stop()

    def locked_for(self) -> float:
        """Seconds the PIN panel stays locked (0: not locked)."""
        if self.locked_until is None:
            return 0.0
        left = self.locked_until - self.now()
        if left <= 0:
            self.locked_until = None
            return 0.0
        return left

    def submit_pin(self, entered: str) -> bool:
        """Check a PIN: right → leave kiosk mode; wrong → say so; the third wrong → lock."""
        panel = self.pin_panel
        self._panel_input_at = self.now()
        if self.locked_for() > 0 or not self.pin:
            self.refresh_panel()
            return False
        if _pin_matches(entered, self.pin):
            self.wrong_tries = 0
            self.leave()
            return True
        self.wrong_tries += 1
        log.warning("kiosk: wrong PIN (%d of %d)", self.wrong_tries, PIN_TRIES)
        if self.wrong_tries >= PIN_TRIES:
            self.wrong_tries = 0
            self.locked_until = self.now() + PIN_LOCK_S
        elif panel is not None:
            panel.say(_tr("pin_wrong", self.lang, n=PIN_TRIES - self.wrong_tries), error=True)
        self.refresh_panel()
        return False

    def refresh_panel(self) -> None:
        """Once a second while the panel is open: the lock's countdown; close when idle."""
        panel = self.pin_panel
        if panel is None or not panel.isVisible():
            self._panel_timer.stop()
            return
        left = self.locked_for()
        if left > 0:  # stays up with its countdown while locked
            s = math.ceil(left)
            panel.say(_tr("pin_locked", self.lang, t=f"{s // 60}:{s % 60:02d}"), error=True)
            panel.field.setEnabled(False)
            return
        if not panel.field.isEnabled():  # the lock is over: another try
            self._panel_input_at = self.now()
            panel.field.setEnabled(True)
            panel.field.setFocus()
            panel.say(_tr("pin_hint", self.lang), error=False)
        if self.now() - self._panel_input_at > PIN_PANEL_IDLE_S:
            self.close_panel()


def kiosk_of(window: QWidget) -> Kiosk | None:
    k = window.findChild(Kiosk, "cockpit-kiosk", Qt.FindChildOption.FindDirectChildrenOnly)
    return k if k is not None and getattr(k, "active", False) else None


def is_kiosk(window: QWidget) -> bool:
    """True while ``window`` is in kiosk mode: open no dialog that waits for a click."""
    return kiosk_of(window) is not None


def enter_kiosk(window: QWidget, screen_index: int | None = None, *, exit_chord: str = DEFAULT_EXIT_CHORD,
                pin: str | None = None, lang: str = "zh", cursor_idle_s: float | None = 5.0,
                now: Callable[[], float] = time.monotonic,
                on_leave: Callable[[], None] | None = None) -> Kiosk:
    """Put ``window`` in kiosk mode (see the module docstring). ValueError for a wrong
    chord (before anything changes). ``cursor_idle_s``: the cursor shows while the mouse
    moves and hides this long after (None: always hidden). ``on_leave``: called after
    leaving (by the chord and PIN, or :func:`leave_kiosk`). Already in kiosk mode: the
    running one is returned."""
    running = kiosk_of(window)
    if running is not None:
        return running
    kiosk = Kiosk(window, screen_index, exit_chord=exit_chord, pin=pin, lang=lang, cursor_idle_s=cursor_idle_s,
                  now=now, on_leave=on_leave)
    kiosk.enter()
    return kiosk


def leave_kiosk(window: QWidget) -> bool:
    """Leave kiosk mode (False if it was not on): flags, geometry, bars and cursor as before."""
    kiosk = kiosk_of(window)
    if kiosk is None:
        return False
    kiosk.leave()
    return True
