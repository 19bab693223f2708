"""Kiosk mode as the duty officer meets it: full screen, frameless, no cursor; stray keys and
close requests do nothing; the chord (and the PIN) leave; input is reported as activity.

Keys and mouse go through the window's QWindow, as a real keyboard's do."""

from __future__ import annotations

import logging

import pytest
from helpers import Clock as _Clock
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from cockpit.ui.kiosk import (
    enter_kiosk,
    is_kiosk,
    kiosk_of,
    leave_kiosk,
    parse_chord,
    watch_activity,
)

M = Qt.KeyboardModifier
CHORD = M.ControlModifier | M.AltModifier | M.ShiftModifier


def Clock(t: float = 100.0) -> _Clock:  # noqa: N802
    return _Clock(t)


@pytest.fixture
def window(qtbot):
    win = QMainWindow()
    central = QWidget()
    box = QVBoxLayout(central)
    win.search = QLineEdit()  # a field with the keyboard focus, as the enterprise search
    box.addWidget(QLabel("产业大脑"))
    box.addWidget(win.search)
    win.setCentralWidget(central)
    win.menuBar().addMenu("文件")
    win.statusBar().showMessage("在线")
    win.resize(640, 400)
    win.move(20, 30)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.search.setFocus()
    yield win
    leave_kiosk(win)


def press(win, key, mods=M.NoModifier) -> None:
    QTest.keyClick(win.windowHandle(), key, mods)


def blank_cursor() -> bool:
    c = QGuiApplication.overrideCursor()
    return c is not None and c.shape() == Qt.CursorShape.BlankCursor


def test_kiosk_is_full_screen_frameless_without_bars_or_cursor(qtbot, window):
    before = window.geometry()
    k = enter_kiosk(window, 0)
    qtbot.waitUntil(window.isFullScreen)
    assert is_kiosk(window) and k.screen_warning is None
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.geometry() == QGuiApplication.primaryScreen().geometry()
    assert window.menuBar().isHidden() and window.statusBar().isHidden()
    assert blank_cursor()
    assert leave_kiosk(window)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not is_kiosk(window)
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.geometry() == before
    assert not window.menuBar().isHidden() and not window.statusBar().isHidden()
    assert QGuiApplication.overrideCursor() is None
    assert not leave_kiosk(window)


def test_a_screen_that_does_not_exist_is_reported_and_the_primary_used(qtbot, window, caplog):
    n = len(QGuiApplication.screens())
    with caplog.at_level(logging.WARNING):
        k = enter_kiosk(window, 7)
    assert k.screen_warning is not None
    assert f"screen 7 does not exist: this machine has {n} screen" in k.screen_warning
    assert "primary" in caplog.text
    qtbot.waitUntil(window.isFullScreen)
    assert window.screen() is QGuiApplication.primaryScreen()


def test_stray_keys_and_close_requests_do_nothing(qtbot, window):
    enter_kiosk(window)
    qtbot.waitUntil(window.isFullScreen)
    window.search.setFocus()
    for key, mods in [(Qt.Key.Key_Escape, M.NoModifier), (Qt.Key.Key_F4, M.AltModifier),
                      (Qt.Key.Key_Tab, M.AltModifier), (Qt.Key.Key_F11, M.NoModifier),
                      (Qt.Key.Key_Q, M.ControlModifier), (Qt.Key.Key_W, M.ControlModifier),
                      (Qt.Key.Key_Space, M.AltModifier), (Qt.Key.Key_Super_L, M.NoModifier)]:
        press(window, key, mods)
    # what the window manager sends for Alt+F4 or the title bar's X
    ev = QCloseEvent()
    QApplication.sendEvent(window.windowHandle(), ev)
    qtbot.wait(20)
    assert not ev.isAccepted()
    assert window.isVisible() and window.isFullScreen() and is_kiosk(window)
    # typing still works (the search field)
    press(window, Qt.Key.Key_A)
    assert window.search.text() == "a"


def test_the_windows_own_shortcuts_for_quit_and_full_screen_do_nothing(qtbot, window):
    fired: list[str] = []
    for name, keys in (("quit", "Ctrl+Q"), ("fullscreen", "F11"), ("next tab", "Ctrl+PgDown")):
        act = QAction(name, window)
        act.setShortcut(QKeySequence(keys))
        act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        act.triggered.connect(lambda _=False, n=name: fired.append(n))
        window.addAction(act)
    press(window, Qt.Key.Key_Q, M.ControlModifier)
    assert fired == ["quit"]  # outside kiosk mode they work
    fired.clear()
    enter_kiosk(window)
    qtbot.waitUntil(window.isFullScreen)
    press(window, Qt.Key.Key_Q, M.ControlModifier)
    press(window, Qt.Key.Key_F11)
    press(window, Qt.Key.Key_PageDown, M.ControlModifier)
    assert fired == ["next tab"]  # looking around is fine, leaving is not
    assert window.isFullScreen() and is_kiosk(window)


def test_the_window_manager_cannot_take_it_out_of_full_screen(qtbot, window):
    enter_kiosk(window)
    qtbot.waitUntil(window.isFullScreen)
    window.showNormal()
    qtbot.waitUntil(window.isFullScreen)


def test_the_program_can_still_close_it_at_shutdown(qtbot, window):
    enter_kiosk(window)
    qtbot.waitUntil(window.isFullScreen)
    assert window.close()
    assert not window.isVisible()
    assert QGuiApplication.overrideCursor() is None  # the cursor is given back


def test_the_chord_leaves_even_with_the_focus_in_a_field(qtbot, window):
    left = []
    enter_kiosk(window, on_leave=lambda: left.append(True))
    qtbot.waitUntil(window.isFullScreen)
    window.search.setFocus()
    press(window, Qt.Key.Key_Q, CHORD)
    assert left == [True] and not is_kiosk(window)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.search.text() == ""  # the chord typed nothing


def test_a_configured_chord(qtbot, window):
    enter_kiosk(window, exit_chord="Ctrl+Alt+F12")
    press(window, Qt.Key.Key_Q, CHORD)
    assert is_kiosk(window)
    press(window, Qt.Key.Key_F12, M.ControlModifier | M.AltModifier)
    assert not is_kiosk(window)


@pytest.mark.parametrize("chord, words", [
    ("Ctrl+Alt+Foo", "is not a key chord"), ("", "is not a key chord"), ("Q", "is not a key chord"),
    ("Shift+Q", "fewer than two modifiers"), ("Ctrl+Q", "fewer than two modifiers"),
    ("Ctrl+A, Ctrl+B", "is not a key chord"),
])
def test_a_wrong_chord_says_what_is_wrong(qtbot, window, chord, words):
    with pytest.raises(ValueError, match=words) as err:
        enter_kiosk(window, exit_chord=chord)
    assert "Ctrl+Alt+Shift+Q" in str(err.value)
    assert not is_kiosk(window) and not window.isFullScreen()
    assert parse_chord("ctrl+alt+shift+q").key() == Qt.Key.Key_Q


def type_pin(qtbot, window, pin: str) -> None:
    for ch in pin:
        press(window, getattr(Qt.Key, f"Key_{ch}"))
    press(window, Qt.Key.Key_Return)


def test_with_a_pin_the_chord_asks_for_it_wrong_right_and_locked(qtbot, window):
    clock = Clock()
    k = enter_kiosk(window, pin="2468", now=clock)
    qtbot.waitUntil(window.isFullScreen)
    press(window, Qt.Key.Key_Q, CHORD)
    panel = k.pin_panel
    assert panel is not None and panel.isVisible() and is_kiosk(window)
    assert panel.parentWidget() is window and not panel.isWindow()  # inside the window, not a dialog
    assert window.focusWidget() is panel.field
    type_pin(qtbot, window, "1111")
    assert is_kiosk(window) and panel.message.text() == "PIN 不正确，还可尝试 2 次"
    type_pin(qtbot, window, "1234")
    assert panel.message.text() == "PIN 不正确，还可尝试 1 次"
    type_pin(qtbot, window, "9999")
    assert panel.message.text() == "PIN 错误次数过多，1:00 后再试"
    assert not panel.field.isEnabled()
    assert k.submit_pin("2468") is False and is_kiosk(window)  # locked: even the right PIN
    clock.t += 30
    k.refresh_panel()
    assert panel.message.text() == "PIN 错误次数过多，0:30 后再试"
    clock.t += 30.5
    k.refresh_panel()
    assert panel.field.isEnabled() and window.focusWidget() is panel.field
    type_pin(qtbot, window, "2468")
    assert not is_kiosk(window)
    qtbot.waitUntil(lambda: not window.isFullScreen())


def test_escape_closes_the_pin_panel_and_stays_in_kiosk_mode(qtbot, window):
    clock = Clock()
    k = enter_kiosk(window, pin="sha256:" + __import__("hashlib").sha256(b"2468").hexdigest(), now=clock)
    press(window, Qt.Key.Key_Q, CHORD)
    assert k.pin_panel is not None and k.pin_panel.isVisible()
    press(window, Qt.Key.Key_Escape)
    assert not k.pin_panel.isVisible() and is_kiosk(window) and window.isFullScreen()
    press(window, Qt.Key.Key_Q, CHORD)
    clock.t += 31  # nobody typed: the panel goes by itself
    k.refresh_panel()
    assert not k.pin_panel.isVisible()
    press(window, Qt.Key.Key_Q, CHORD)
    type_pin(qtbot, window, "2468")  # the hashed PIN
    assert not is_kiosk(window)


def test_the_cursor_shows_while_the_mouse_moves_and_hides_again(qtbot, window):
    k = enter_kiosk(window, cursor_idle_s=0.15)
    qtbot.waitUntil(window.isFullScreen)
    assert blank_cursor()
    QTest.mouseMove(window.windowHandle(), QPoint(100, 100))
    QTest.mouseMove(window.windowHandle(), QPoint(160, 140))
    assert not blank_cursor() and not k.cursor_hidden()
    qtbot.waitUntil(blank_cursor, timeout=1000)


def test_input_on_the_window_is_reported_as_activity(qtbot, window):
    seen: list[str] = []
    filt = watch_activity(window, seen.append)
    filt.min_interval_s = 0.0
    h = window.windowHandle()
    QTest.mouseMove(h, QPoint(100, 100))  # the first position: nothing to compare with
    QTest.mouseMove(h, QPoint(101, 101))  # jitter
    assert seen == []
    QTest.mouseMove(h, QPoint(140, 120))
    assert seen == ["mouse"]
    seen.clear()
    QTest.mouseClick(h, Qt.MouseButton.LeftButton, M.NoModifier, QPoint(140, 120))
    assert "mouse" in seen
    seen.clear()
    press(window, Qt.Key.Key_B)
    assert "key" in seen
    # other windows are not this window's activity
    seen.clear()
    other = QLineEdit()
    qtbot.addWidget(other)
    other.show()
    qtbot.waitExposed(other)
    QTest.keyClick(other.windowHandle(), Qt.Key.Key_C)
    assert seen == []
    assert watch_activity(window, seen.append) is filt  # one filter per window


def test_activity_reports_are_rate_limited(qtbot, window):
    seen: list[str] = []
    watch_activity(window, seen.append)
    for i in range(10):
        press(window, Qt.Key.Key_A)
        QTest.mouseMove(window.windowHandle(), QPoint(100 + 10 * i, 100))
    assert 1 <= len(seen) <= 2


def test_kiosk_entered_before_the_window_was_shown_leaves_it_shown(qtbot):
    win = QMainWindow()
    win.setCentralWidget(QLabel("产业大脑"))
    win.resize(640, 400)
    qtbot.addWidget(win)
    enter_kiosk(win)
    qtbot.waitUntil(win.isFullScreen)
    leave_kiosk(win)
    qtbot.waitUntil(lambda: win.isVisible() and not win.isFullScreen())
    assert win.size().width() == 640


def test_entering_twice_keeps_one_kiosk(qtbot, window):
    k = enter_kiosk(window)
    assert enter_kiosk(window) is k and kiosk_of(window) is k
    leave_kiosk(window)
    assert QGuiApplication.overrideCursor() is None


def test_in_the_cockpit_the_exit_chord_and_the_pin_are_the_only_way_out(qtbot):
    """The rule (docs/CONFIG.md [kiosk]): in kiosk mode the configured exit chord, then the
    PIN when one is set, is the only way out — not the window's Quit (Ctrl+Q), not its
    kiosk command (Ctrl+Shift+K), not Alt+F4 or Escape."""
    from cockpit.config import from_args
    from cockpit.ui.main_window import MainWindow
    from cockpit.ui.model import Models
    from cockpit.ui.wall_setup import start_wall
    from tests.test_wall_app import _args

    args = _args("--kiosk", "--set", "kiosk.pin=2468", "--set", "kiosk.exit_chord=Ctrl+Alt+F12",
                 "--set", "rotation.dwell_s=0", "--set", "care.pixel_shift=false")
    win = MainWindow("zh", "test", animate=False, models=Models())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    start_wall(win, from_args(args))
    qtbot.waitUntil(win.isFullScreen)
    for key, mods in ((Qt.Key.Key_Q, M.ControlModifier), (Qt.Key.Key_K, M.ControlModifier | M.ShiftModifier),
                      (Qt.Key.Key_F4, M.AltModifier), (Qt.Key.Key_Escape, M.NoModifier),
                      (Qt.Key.Key_Q, CHORD)):  # the default chord: not this wall's
        press(win, key, mods)
    win.menu_actions["quit"].trigger()  # however it is triggered
    qtbot.wait(20)
    k = kiosk_of(win)
    assert win.isVisible() and win.isFullScreen() and k is not None
    assert k.pin_panel is None or not k.pin_panel.isVisible()  # nothing asked for the PIN either
    press(win, Qt.Key.Key_F12, M.ControlModifier | M.AltModifier)  # the configured chord: the PIN
    assert k.pin_panel is not None and k.pin_panel.isVisible() and is_kiosk(win)
    type_pin(qtbot, win, "2468")
    assert not is_kiosk(win)
    qtbot.waitUntil(lambda: not win.isFullScreen())
    win.menu_actions["kiosk"].trigger()  # out of kiosk mode, Ctrl+Shift+K enters it again
    assert is_kiosk(win)
    leave_kiosk(win)
