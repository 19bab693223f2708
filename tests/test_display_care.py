"""Display care: the pixel-shift orbit, the dim schedule over midnight, the overlay's darkness.

Driven by fake clocks: no test waits for minutes to pass."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from cockpit.ui.display_care import DimOverlay, DimSchedule, PixelShifter, orbit
from tests.pixels import pixels

# ---- pixel shift ------------------------------------------------------------------------


@pytest.mark.parametrize("amplitude", [1, 2, 3, 4, 6, 8])
def test_the_orbit_stays_within_bounds_moves_a_pixel_at_a_time_and_closes(amplitude):
    path = orbit(amplitude)
    assert len(set(path)) == len(path) >= 4
    assert all(abs(dx) <= amplitude and abs(dy) <= amplitude for dx, dy in path)
    assert {dx for dx, _ in path} == set(range(-amplitude, amplitude + 1))  # every column of the range
    for (x0, y0), (x1, y1) in zip(path, path[1:] + path[:1], strict=True):  # the last step leads back
        assert abs(x1 - x0) <= 1 and abs(y1 - y0) <= 1


class Clock:
    def __init__(self, t: float = 0.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def wall_window(qtbot, w=1920, h=1080):
    win = QMainWindow()
    central = QWidget()
    box = QVBoxLayout(central)
    box.setContentsMargins(0, 0, 0, 0)
    label = QLabel("产业大脑")
    box.addWidget(label)
    win.setCentralWidget(central)
    win.resize(w, h)
    qtbot.addWidget(win)
    return win, label


def where(win, label) -> tuple[int, int, int, int]:
    win.centralWidget().layout().activate()
    p = label.mapTo(win, QPoint(0, 0))
    return p.x(), p.y(), label.width(), label.height()


def test_the_content_moves_along_the_orbit_and_comes_back(qtbot):
    win, label = wall_window(qtbot)
    clock = Clock(0.0)
    shifter = PixelShifter(win, step_min=3, now=clock, timer=False)
    assert shifter.amplitude() == 4
    seen = []
    for step in range(len(orbit(4)) + 1):
        clock.t = step * 180 + 1
        shifter.tick()
        seen.append(where(win, label))
    xs, ys = [s[0] for s in seen], [s[1] for s in seen]
    assert min(xs) == 0 and max(xs) == 8 and min(ys) == 0 and max(ys) == 8  # ±4 px around the centre
    assert len({(x, y) for x, y, *_ in seen}) == len(orbit(4))  # a new place every step
    assert seen[-1] == seen[0]  # one orbit later: back where it started
    assert {(w, h) for *_, w, h in seen} == {seen[0][2:]}  # moved, never resized
    assert shifter.period_s() == len(orbit(4)) * 180
    clock.t += 60  # within a step: nothing moves
    shifter.tick()
    assert where(win, label) == seen[-1]
    shifter.stop()
    assert where(win, label)[:2] == (0, 0)


def test_the_shift_scales_with_the_window(qtbot):
    win, _label = wall_window(qtbot, 3840, 2160)
    assert PixelShifter(win, now=Clock(), timer=False).amplitude() == 8
    win.resize(1280, 720)
    shifter = PixelShifter(win, now=Clock(), timer=False)
    assert shifter.amplitude() == 3
    win.show()
    qtbot.waitExposed(win)
    win.resize(1920, 1080)  # follows a resize at once (kiosk mode going full screen)
    m = win.centralWidget().contentsMargins()
    assert (m.left() + m.right(), m.top() + m.bottom()) == (8, 8)


# ---- the schedule -----------------------------------------------------------------------


def at(hhmm: str, second: int = 0) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 11, 27, h, m, second)


def test_dim_levels_over_midnight_and_the_dimmest_overlap_wins():
    s = DimSchedule([{"from": "22:00", "to": "06:00", "level": 0.3},
                     {"from": "01:00", "to": "05:00", "level": 0},
                     {"from": "12:00", "to": "24:00", "level": 0.8}])
    assert s.level_at(at("11:59", 59)) == 1.0
    assert s.level_at(at("12:00")) == 0.8
    assert s.level_at(at("21:59", 59)) == 0.8
    assert s.level_at(at("22:00")) == 0.3
    assert s.level_at(at("23:59", 59)) == 0.3
    assert s.level_at(at("00:00")) == 0.3
    assert s.level_at(at("00:59", 59)) == 0.3
    assert s.level_at(at("01:00")) == 0.0
    assert s.level_at(at("04:59")) == 0.0
    assert s.level_at(at("05:00")) == 0.3
    assert s.level_at(at("05:59", 59)) == 0.3
    assert s.level_at(at("06:00")) == 1.0
    assert DimSchedule([]).level_at(at("03:00")) == 1.0
    assert not DimSchedule([])


@pytest.mark.parametrize("entry, words", [
    # the words of the one dim-schedule parser (cockpit.parsing), shared with the care.dim setting
    ({"from": "22:00", "to": "06:00"}, "level = missing is not 0 (blank) … 1 (full)"),
    ({"from": "22:00", "to": "06:00", "level": 0.3, "lvl": 1}, "unknown key lvl"),
    ({"from": "25:00", "to": "06:00", "level": 0.3}, 'from = "25:00" is not a time "HH:MM"'),
    ({"from": "24:00", "to": "06:00", "level": 0.3}, 'from = "24:00" is not a time "HH:MM"'),
    ({"from": "10pm", "to": "06:00", "level": 0.3}, 'from = "10pm" is not a time'),
    ({"from": 22, "to": "06:00", "level": 0.3}, 'from = 22 is not a time "HH:MM"'),
    ({"from": "22:00", "to": "22:00", "level": 0.3}, "same time"),
    ({"from": "22:00", "to": "06:00", "level": 1.5}, "level = 1.5 is not 0 (blank) … 1 (full)"),
    ({"from": "22:00", "to": "06:00", "level": "dim"}, "level = 'dim' is not 0"),
    ({"from": "22:00", "to": "06:00", "level": True}, "level = True is not 0"),
    ("22:00-06:00", "is not a table"),
])
def test_a_wrong_schedule_entry_is_named_with_what_is_wrong(entry, words):
    with pytest.raises(ValueError, match="dim schedule entry 2") as err:
        DimSchedule([{"from": "00:00", "to": "01:00", "level": 1}, entry])
    assert words in str(err.value)


# ---- the overlay ------------------------------------------------------------------------


class Now:
    def __init__(self, when: datetime) -> None:
        self.when = when

    def __call__(self) -> datetime:
        return self.when


def white_screen(qtbot, w=480, h=270):
    screen = QWidget()
    screen.setStyleSheet("background: white;")
    screen.setAutoFillBackground(True)
    screen.resize(w, h)
    qtbot.addWidget(screen)
    return screen


def brightness(widget) -> np.ndarray:
    return pixels(widget.grab().toImage()).max(axis=-1)


def test_the_overlay_darkens_the_window_by_the_level_of_the_hour(qtbot):
    screen = white_screen(qtbot)
    now = Now(at("21:00"))
    clock = Clock(0.0)
    sched = DimSchedule([{"from": "22:00", "to": "06:00", "level": 0.3}])
    overlay = DimOverlay(screen, sched, now=now, clock=clock, timer=False)
    assert overlay.isHidden() and overlay.opacity() == 0
    assert np.median(brightness(screen)) == 255
    now.when = at("22:00")
    overlay.refresh()
    assert overlay.opacity() == pytest.approx(0.7)
    assert np.median(brightness(screen)) == pytest.approx(0.3 * 255, abs=3)
    # someone touches the mouse: full brightness for a while, then dim again
    overlay.wake(120)
    assert np.median(brightness(screen)) == 255
    clock.t = 119
    overlay.refresh()
    assert overlay.level() == 1.0
    clock.t = 121
    overlay.refresh()
    assert np.median(brightness(screen)) == pytest.approx(0.3 * 255, abs=3)
    # a new schedule applies at once
    overlay.set_schedule(DimSchedule([{"from": "21:00", "to": "23:00", "level": 0.6}]))
    assert np.median(brightness(screen)) == pytest.approx(0.6 * 255, abs=3)
    now.when = at("06:00")
    overlay.set_schedule(sched)
    assert overlay.isHidden() and np.median(brightness(screen)) == 255


def test_blank_is_black_with_a_small_clock_that_moves(qtbot):
    screen = white_screen(qtbot, 960, 540)
    now = Now(at("03:12"))
    overlay = DimOverlay(screen, DimSchedule([{"from": "00:00", "to": "06:00", "level": 0}]), now=now,
                         timer=False)
    assert overlay.asleep_text() == "显示已休眠 · 03:12"
    img = brightness(screen)
    lit = np.argwhere(img > 20)
    assert len(lit) > 20 and img.mean() < 2  # black but for a few pixels of text
    box = overlay.text_rect()
    assert box.contains(QPoint(*lit[0][::-1])) and box.contains(QPoint(*lit[-1][::-1]))
    assert box.height() < 40 and box.width() < 300
    assert img.max() < 110  # dim grey, not white
    now.when = at("03:13")
    overlay.refresh()
    assert overlay.text_rect().topLeft() != box.topLeft()
    lit2 = np.argwhere(brightness(screen) > 20)
    assert overlay.text_rect().contains(QPoint(*lit2[0][::-1]))


def test_clicks_go_through_the_overlay(qtbot):
    screen = white_screen(qtbot)
    button = QPushButton("企业码", screen)
    button.setGeometry(10, 10, 200, 80)
    overlay = DimOverlay(screen, DimSchedule([{"from": "00:00", "to": "24:00", "level": 0.5}]), timer=False)
    screen.show()
    qtbot.waitExposed(screen)
    assert overlay.isVisible()
    with qtbot.waitSignal(button.clicked, timeout=1000):
        QTest.mouseClick(screen.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(50, 50))


def test_the_overlay_follows_the_window_size(qtbot):
    screen = white_screen(qtbot)
    overlay = DimOverlay(screen, DimSchedule([{"from": "00:00", "to": "24:00", "level": 0.5}]), timer=False)
    screen.show()
    qtbot.waitExposed(screen)
    screen.resize(800, 600)
    assert overlay.geometry() == screen.rect()
