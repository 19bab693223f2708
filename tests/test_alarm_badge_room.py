"""The unacknowledged-alarm badge at the right end of the tab bar: beside the tabs, never over
one, with every tab title and the badge's text whole, in Chinese and English, on a 1080p and
a 4K wall (eight English tabs and the badge once left the last two tabs under it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from cockpit.api.schema import Alert, Names
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate
from cockpit.ui.alarm_badge import AlarmBadge
from cockpit.ui.main_window import MainWindow
from cockpit.ui.model import Models

NOW = 1_765_000_000_000
SIM = Simulator(seed=4)


def _alarm(i: int) -> Alert:
    return Alert(id=f"dyeing.cod:{NOW + i}", brain="dyeing", level="alarm",
                 message=Names(zh=f"COD 超标 {i}", en=f"COD over limit {i}"), ts=NOW + i)


def _in_window(win: MainWindow, widget, rect: QRect) -> QRect:  # noqa: ANN001
    return QRect(widget.mapTo(win, rect.topLeft()), rect.size())


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_badge_covers_no_tab_and_every_title_is_whole(qtbot, lang: str, size: tuple[int, int]) -> None:
    models = Models()
    win = MainWindow(lang, "test", animate=False, models=models)
    qtbot.addWidget(win)
    win.resize(*size)
    win.on_catalog(SIM.catalog(NOW))
    badge = AlarmBadge(win.tabs, models, lang, clock=lambda: 0.0)
    win.set_tab_corner(badge)
    win.show()
    snap = SIM.snapshot("dyeing", NOW).model_copy(update={"alerts": [_alarm(i) for i in range(12)]})
    models.on_update(BrainUpdate("dyeing", snap, NOW))
    models.flush()
    QApplication.processEvents()
    bar = win.tabs.tabBar()
    assert bar.count() == 8
    assert badge.isVisible() and badge.text() == ("未确认告警 12" if lang == "zh" else "12 unacknowledged alarms")
    where = _in_window(win, badge, badge.rect())
    bar_in_win = _in_window(win, bar, bar.rect())
    for i in range(bar.count()):
        tab = _in_window(win, bar, bar.tabRect(i))
        assert not tab.intersects(where), (bar.tabText(i), tab, where)
        assert bar_in_win.contains(tab), (bar.tabText(i), tab, bar_in_win)  # shown whole, not scrolled away
        assert bar.tabRect(i).width() >= bar.tabSizeHint(i).width(), bar.tabText(i)  # its title not cut
    assert bar.sizeHint().width() <= bar.width()  # no scroll buttons
    assert QRect(QPoint(0, 0), win.size()).contains(where)  # on the window
    hint = badge.sizeHint()
    assert badge.width() >= hint.width() and badge.height() >= hint.height(), (badge.size(), hint)
    text = QFontMetrics(badge.font()).boundingRect(badge.text())
    room = badge.contentsRect()  # inside the badge's border and padding
    assert text.width() <= room.width() and QFontMetrics(badge.font()).height() <= room.height(), (text, room)
    pad = badge.font().pixelSize() // 2  # the text clear of the painted border, both sides
    assert room.left() >= pad and badge.width() - room.right() >= pad, (room, badge.size())
    assert where.bottom() <= bar_in_win.bottom() + 1  # in the tab bar's row, not over the screen below



def test_no_light_rule_runs_across_the_empty_end_of_the_tab_bar(qtbot) -> None:
    """Between the last tab and the badge the tab bar is the window's background: the
    style's base line (a light rule over the badge) is not drawn."""
    from tests.pixels import pixels

    win = MainWindow("zh", "test", animate=False, models=Models())
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.on_catalog(SIM.catalog(NOW))
    win.show()
    QApplication.processEvents()
    bar = win.tabs.tabBar()
    last = _in_window(win, bar, bar.tabRect(bar.count() - 1))
    img = pixels(win.grab().toImage())
    empty = img[last.top():last.bottom() + 1, last.right() + 20:win.width() - 300]
    assert empty.size and int(empty.max()) < 120, int(empty.max())  # no near-white rule
