"""The title band of a wall screen (#11 §1 "screen furniture"): the screen's name, the date
and time in the platform's time zone, and the data time — when the data shown was
produced — so no figure's freshness hides in a tooltip.

One band per window, above the tabs, shown on the wall profile (a desk has its window
title, tabs and status bar). ``refresh(now_ms)`` runs with the window's 1 Hz tick; the clock
is injected, so tests set the moment.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from cockpit.ui.text import local, tr
from widgets import theme

# (screen name, epoch ms the data shown was produced or None)
ScreenInfo = Callable[[], tuple[str, int | None]]

_STALE_MS = 15 * 60_000  # data older than this is said in the warning colour


class TitleBand(QWidget):
    """Screen name at the left; date and time, and the data time, at the right."""

    def __init__(self, lang: str, info: ScreenInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("titleBand")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.lang = lang
        self.info = info
        self.name = QLabel()
        self.name.setObjectName("bandName")
        self.clock = QLabel()
        self.clock.setObjectName("bandClock")
        self.data_time = QLabel()
        self.data_time.setObjectName("bandData")
        box = self._box = QHBoxLayout(self)
        box.addWidget(self.name, 1)
        box.addWidget(self.data_time)
        box.addWidget(self.clock)
        for lab in (self.name, self.clock, self.data_time):
            lab.setTextFormat(Qt.TextFormat.PlainText)  # a screen name comes from the API: plain text
            lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._key: tuple[object, ...] = ()
        self._stale = False

    def refresh(self, now_ms: int) -> None:
        """Show the current screen's name, the time now and the data's time."""
        name, data_ms = self.info()
        self.name.setText(name)
        self.clock.setText(local(now_ms).strftime("%Y-%m-%d %H:%M:%S"))
        if data_ms is None:
            self.data_time.setText(tr("band_data", self.lang, t="—"))
        else:
            t = local(data_ms)
            shown = t.strftime("%H:%M:%S") if t.date() == local(now_ms).date() else t.strftime("%Y-%m-%d %H:%M")
            self.data_time.setText(tr("band_data", self.lang, t=shown))
        stale = data_ms is not None and now_ms - data_ms > _STALE_MS
        if stale != self._stale:
            self._stale = stale
            self._key = ()
        self.restyle()

    def restyle(self) -> None:
        """Sizes from the window height (never under the profile's minimum) and the palette."""
        win = self.window()
        h = win.height() if win is not None else 1080
        px = max(theme.min_text_px(), round(h / 1080 * 18))
        key = (px, theme.palette_name(), self._stale)
        if key == self._key:
            return
        self._key = key
        data_colour = theme.WARN if self._stale else theme.TEXT_DIM
        pad = round(px * 0.35)
        self.setStyleSheet(
            f"#titleBand {{ background: {theme.PANEL}; border-bottom: {max(1, px // 9)}px solid {theme.ACCENT}; }}"
            f" #bandName {{ font-size: {round(px * 1.45)}px; font-weight: bold; color: {theme.TEXT}; }}"
            f" #bandClock {{ font-size: {px}px; color: {theme.TEXT}; }}"
            f" #bandData {{ font-size: {px}px; color: {data_colour}; }}"
        )
        self._box.setContentsMargins(round(px * 0.8), pad, round(px * 0.8), pad)
        self._box.setSpacing(round(px * 1.6))
