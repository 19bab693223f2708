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

from PySide6.QtWidgets import QWidget

from widgets import AlertTicker, Panel, RankingBoard, theme

PROFILES = ("auto", "wall", "desk")
# the floor at a 1080-pixel-high window, scaled with the height (4K: twice)
MIN_TEXT_PX = {"wall": 15, "desk": 12}
# on a wall, a ranking shows its first rows only, in large type (the rest on a desk or a drill-down)
WALL_RANK_ROWS = 10
# on a wall, a few alerts fill their panel: each a row of its share of the panel, the message
# under its time and source on as many lines as it needs, never a thin line at the top
WALL_ALERT_SLOTS = 1


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
    for board in window.findChildren(RankingBoard):
        board.set_max_rows(rows)
    for ticker in window.findChildren(AlertTicker):
        ticker.set_min_slots(WALL_ALERT_SLOTS if profile == "wall" else 0)
    if not theme.set_min_text_px(min_text_px(profile, window.height())):
        return False
    for w in window.findChildren(Panel):
        w.restyle()
    for view in window.findChildren(QWidget):
        restyle = getattr(view, "text_floor_changed", None)  # plain-label views (cards, enterprise code)
        if callable(restyle):
            restyle()
    return True
