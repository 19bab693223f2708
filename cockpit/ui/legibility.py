"""Display profiles and the minimum text height (#11 §3): a wall read from across the room
versus a desk read from arm's length.

Widgets size their text from their own size; a small panel on a wall then draws 9 px
labels. The profile gives a floor that every widget text respects (``widgets.theme``'s
``set_min_text_px``), scaled with the window height: command-center practice keeps
secondary text at 14–16 px or more on a 1080p wall; a desk may go down to 12 px.

``display.profile``: ``wall``, ``desk`` or ``auto`` (a wall when the window is a kiosk,
rotates, is one of a --wall set or runs the fair-booth tour/demo; a desk otherwise).
"""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtWidgets import QWidget

from cockpit.ui.text import tr
from cockpit.ui.title_band import TitleBand
from widgets import AlertTicker, Panel, RankingBoard, theme

PROFILES = ("auto", "wall", "desk")
# the floor at a 1080-pixel-high window, scaled with the height (4K: twice)
MIN_TEXT_PX = {"wall": 15, "desk": 12}
# on a wall, a ranking shows its first rows only, in large type (the rest on a desk or a drill-down)
WALL_RANK_ROWS = 10
# on a wall, a few alerts fill their panel: each a row of its share of the panel, the message
# under its time and source on as many lines as it needs, never a thin line at the top
WALL_ALERT_SLOTS = 1

_owner: weakref.ref[QWidget] | None = None  # the window whose height sets the floor


def resolve(profile: str, *, kiosk: bool = False, rotating: bool = False, wall_file: bool = False,
            fair: bool = False) -> str:
    """The profile in force: ``wall`` or ``desk`` (``auto`` decided by how the app runs)."""
    if profile in ("wall", "desk"):
        return profile
    return "wall" if (kiosk or rotating or wall_file or fair) else "desk"


def min_text_px(profile: str, window_height: int) -> int:
    """The smallest text, in pixels, for a profile and a window height."""
    base = MIN_TEXT_PX.get(profile, MIN_TEXT_PX["desk"])
    return max(base, round(base * max(1, window_height) / 1080))


def apply_profile(window: QWidget, profile: str) -> bool:
    """The profile on a window: the text floor for its height (every panel laid out again
    when it changed) and, on a wall, rankings showing their top rows in large type.
    True when the floor changed."""
    rows = WALL_RANK_ROWS if profile == "wall" else 0
    lang = getattr(window, "lang", "zh")
    more = tr("rank_top", lang, n="{n}", total="{total}") if rows else ""
    for board in window.findChildren(RankingBoard):
        board.set_max_rows(rows, more)
    for ticker in window.findChildren(AlertTicker):
        ticker.set_min_slots(WALL_ALERT_SLOTS if profile == "wall" else 0)
    _show_band(window, profile == "wall")
    # the floor is one for the process (widgets.theme): the first window that sets it owns
    # it (a --wall set's windows share their main window's floor, not one each in turn)
    global _owner
    owner = _owner() if _owner is not None else None
    if owner is None or (owner is not window and not owner.isVisible()):  # none yet, or closed
        _owner = weakref.ref(window)
    elif owner is not window:
        return False
    if not theme.set_min_text_px(min_text_px(profile, window.height())):
        return False
    for w in window.findChildren(Panel):
        w.restyle()
    for view in window.findChildren(QWidget):
        restyle = getattr(view, "text_floor_changed", None)  # plain-label views (cards, enterprise code)
        if callable(restyle):
            restyle()
    return True


# ---- the title band of a wall screen ----------------------------------------------------------


def screen_info(window: Any) -> tuple[str, int | None]:
    """The screen a main window shows: its name, and when its data was produced (the brain's
    snapshot time, the enterprise profile's time; None before any data)."""
    tabs = window.tabs
    name = tabs.tabText(tabs.currentIndex()).replace("&&", "&")
    page = tabs.currentWidget()
    snap = getattr(page, "snapshot", None)
    if snap is not None:
        return name, int(snap.ts)
    profile = getattr(page, "profile", None)
    if profile is not None:
        return name, int(profile.ts)
    return name, None


def _show_band(window: Any, on: bool) -> None:
    band = getattr(window, "title_band", None)
    if on and band is None:
        band = window.title_band = TitleBand(getattr(window, "lang", "zh"), lambda: screen_info(window))
        window.centralWidget().layout().insertWidget(0, band)
    if band is not None:
        band.setVisible(on)
        band.restyle()


def refresh_band(window: Any, now_ms: int) -> None:
    """The window's 1 Hz tick: the band's clock, screen name and data time."""
    band = getattr(window, "title_band", None)
    if band is not None and band.isVisible():
        band.lang = getattr(window, "lang", band.lang)
        band.refresh(now_ms)
