"""The rotation's progress line (cockpit.ui.rotation.RotationBar), driven by the Qt-free
rotation on a fake clock (its decisions: tests/test_rotation_logic.py). No test sleeps."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QWidget

from cockpit.ui.rotation import RotationBar
from tests.pixels import near, pixels
from tests.test_rotation_logic import Wall
from widgets import theme

# ---- the progress line ------------------------------------------------------------------


class Screen(QWidget):
    def __init__(self, w: int, h: int) -> None:
        super().__init__()
        self.setStyleSheet("background: black;")
        self.setAutoFillBackground(True)
        self.resize(w, h)


class PaintRects(QObject):
    def __init__(self, widget) -> None:
        super().__init__()
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def make_bar(qtbot, size=(800, 1080), edge="bottom", **kw):
    wall = Wall()
    rot = wall.rotation(dwell_s=20, **kw)
    screen = Screen(*size)
    qtbot.addWidget(screen)
    bar = RotationBar(rot, screen, edge=edge, lang="zh", timer_ms=0)
    rot.tick()
    return wall, rot, screen, bar


def edge_rows(screen: QWidget, bar: RotationBar, edge="bottom") -> np.ndarray:
    img = pixels(screen.grab().toImage())
    n = bar.thickness()
    return img[-n:] if edge == "bottom" else img[:n]


@pytest.mark.parametrize("edge", ["bottom", "top"])
def test_the_line_shows_the_progress_of_the_dwell(qtbot, edge):
    wall, rot, screen, bar = make_bar(qtbot, edge=edge)
    assert bar.thickness() == 3
    wall.run(rot, 5)
    bar.sync()
    quarter = near(edge_rows(screen, bar, edge), theme.ACCENT).sum(axis=1)
    wall.run(rot, 10)
    bar.sync()
    three_quarters = near(edge_rows(screen, bar, edge), theme.ACCENT).sum(axis=1)
    assert list(quarter) == pytest.approx([200] * 3, abs=12)
    assert list(three_quarters) == pytest.approx([600] * 3, abs=12)
    # nothing of the line above it: a thin line, not a band
    img = pixels(screen.grab().toImage())
    rest = img[:-3] if edge == "bottom" else img[3:]
    assert near(rest, theme.ACCENT).sum() == 0


def test_the_line_is_thicker_on_a_4k_wall(qtbot):
    _wall, _rot, screen, bar = make_bar(qtbot, size=(1920, 2160))
    assert bar.thickness() == 6
    screen.resize(1920, 540)
    bar.sync()
    assert bar.thickness() == 2 and bar.geometry().bottom() == 539
    screen.show()
    qtbot.waitExposed(screen)
    screen.resize(1280, 720)  # shown: follows at once
    assert bar.thickness() == 2 and bar.geometry().bottom() == 719 and bar.width() == 1280


def test_paused_the_line_turns_amber_and_says_when_it_resumes(qtbot):
    wall, rot, screen, bar = make_bar(qtbot, pause_resume_s=120)
    wall.run(rot, 10)
    rot.pause("activity")
    bar.sync()
    img = pixels(screen.grab().toImage())
    line = img[-3:]
    assert near(line, theme.ACCENT).sum() == 0
    assert near(line, theme.WARN).sum(axis=1).tolist() == pytest.approx([400] * 3, abs=12)
    text_box = img[-60:-3, -300:]
    assert near(text_box, theme.WARN, tol=60).sum() > 30  # the words, amber, at the right end
    assert near(img[:-60], theme.WARN, tol=60).sum() == 0  # nowhere else
    assert bar._text == "暂停 · 2:00 后继续"
    wall.clock.t += 61
    bar.sync()
    assert bar._text == "暂停 · 0:59 后继续"
    wall.run(rot, 60)
    bar.sync()
    assert bar._text == "" and bar.height() == 3
    # resumed 1 s ago, on the same tab with a full dwell again: 1/20 of the line
    assert near(edge_rows(screen, bar), theme.ACCENT).sum(axis=1).tolist() == pytest.approx([40] * 3, abs=12)


def test_an_alarm_hold_is_drawn_red(qtbot):
    wall, rot, screen, bar = make_bar(qtbot, alarm_hold_s=60)
    wall.run(rot, 6)
    wall.alarms = {"wine"}
    wall.run(rot, 30.2)
    bar.sync()
    line = edge_rows(screen, bar)
    assert near(line, theme.ALARM).sum(axis=1).tolist() == pytest.approx([400] * 3, abs=12)


def test_the_line_repaints_only_the_pixels_that_changed(qtbot):
    wall, rot, screen, bar = make_bar(qtbot)
    screen.show()
    qtbot.waitExposed(screen)
    wall.run(rot, 5)
    bar.sync()
    qtbot.waitUntil(lambda: bar.paint_count > 0)
    qtbot.wait(20)
    paints = PaintRects(bar)
    wall.clock.t += 0.25  # one timer period: 0.25/20 of 800 px = 10 px
    rot.tick()
    bar.sync()
    bar.sync()  # nothing changed since: nothing to paint
    qtbot.waitUntil(lambda: bool(paints.rects))
    qtbot.wait(20)
    assert len(paints.rects) == 1
    r = paints.rects[0]
    assert r.height() == 3 and r.width() <= 12 and r.x() == pytest.approx(200, abs=3)
