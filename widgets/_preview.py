"""Shared scaffolding of the widgets' ``python -m widgets.<name>`` previews: one window
showing a widget in each of its four states, the first one kept moving by a timer."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from widgets import theme
from widgets.state import DataState

LOOKS = [
    (DataState.LIVE, ""),
    (DataState.STALE, "数据过时 · 截至 14:32:05"),
    (DataState.OFFLINE, "离线 · 数据截至 14:32:05"),
    (DataState.NO_DATA, "等待数据"),
]


def run_preview(
    title: str,
    make: Callable[[DataState, str], QWidget],
    tick: Callable[[list[QWidget]], None],
    *,
    columns: int = 4,
    interval_ms: int = 1000,
    size: tuple[int, int] = (1600, 440),
) -> None:
    """Show ``make(state, note)`` for each look in a grid; call ``tick(widgets)`` on a timer."""
    app = QApplication(sys.argv)
    app.setFont(theme.ui_font())
    win = QWidget()
    win.setWindowTitle(title)
    win.setStyleSheet(f"background: {theme.BACKGROUND};")
    grid = QGridLayout(win)
    shown = []
    for i, (state, note) in enumerate(LOOKS):
        w = make(state, note)
        grid.addWidget(w, i // columns, i % columns)
        shown.append(w)
    timer = QTimer(win, interval=interval_ms)
    timer.timeout.connect(lambda: tick(shown))
    timer.start()
    win.resize(*size)
    win.show()
    sys.exit(app.exec())
