"""The change line of a value widget: "同比 ▲18.0%  环比 ▼1.2%" in percent.

Shared by :class:`~widgets.big_number.BigNumber` and
:class:`~widgets.progress_target.ProgressToTarget`: the same arrows, precision and colours
(▲/▼ coloured by whether a rise is good, via ``theme.change_color``; an unknown change is a
dim dash), and the same rule when the room is short (as many whole entries as fit).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from widgets import theme
from widgets._panel import DASH, format_number
from widgets.scrolling_rows import state_color
from widgets.state import DataState

UP = "\u25b2"  # ▲
DOWN = "\u25bc"  # ▼


def change_parts(changes: list[tuple[str, float | None]], precision: int = 1) -> list[tuple[str, str, int]]:
    """(label, "▲18.0%", direction) per change; direction 1 up, -1 down, 0 none or unknown."""
    out = []
    for label, pct in changes:
        if pct is None:
            out.append((label, DASH, 0))
            continue
        text = format_number(abs(pct), precision)
        direction = 0 if float(text.replace(",", "")) == 0 else (1 if pct > 0 else -1)
        arrow = UP if direction > 0 else DOWN if direction < 0 else ""
        out.append((label, f"{arrow}{text}%", direction))
    return out


def fitting_parts(parts: list[tuple[str, str, int]], fm: QFontMetrics, width: float) -> tuple[
        list[tuple[str, str, int]], float]:
    """As many whole entries as fit in ``width`` (at least one), and their drawn width."""
    space, sep = fm.horizontalAdvance(" "), fm.horizontalAdvance("  ") * 1.5
    widths = [fm.horizontalAdvance(a) + space + fm.horizontalAdvance(b) for a, b, _ in parts]
    total = sum(widths) + sep * (len(parts) - 1)
    while len(parts) > 1 and total > width:
        parts, widths = parts[:-1], widths[:-1]
        total = sum(widths) + sep * (len(parts) - 1)
    return parts, total


def paint_changes(p: QPainter, r: QRectF, parts: list[tuple[str, str, int]], font: QFont, state: DataState,
                  up_is_good: bool | None, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter) -> None:
    """Draw the entries that fit in ``r`` (centred, or at its left or right edge)."""
    if not parts:
        return
    fm = QFontMetrics(font)
    space, sep = fm.horizontalAdvance(" "), fm.horizontalAdvance("  ") * 1.5
    parts, total = fitting_parts(parts, fm, r.width())
    if align == Qt.AlignmentFlag.AlignRight:
        x = r.left() + max(0.0, r.width() - total)
    elif align == Qt.AlignmentFlag.AlignLeft:
        x = r.left()
    else:
        x = r.left() + max(0.0, (r.width() - total) / 2)
    label_color = state_color(theme.TEXT_DIM, state, 0.3)
    p.setFont(font)
    for label, value, direction in parts:
        lw = fm.horizontalAdvance(label)
        p.setPen(label_color)
        p.drawText(QRectF(x, r.top(), lw + 1, r.height()), Qt.AlignmentFlag.AlignVCenter, label)
        x += lw + space
        color = (QColor(theme.TEXT_DIM) if value == DASH
                 else state_color(theme.change_color(direction, up_is_good), state))
        vw = fm.horizontalAdvance(value)
        room = max(0.0, r.right() - x)
        p.setPen(color)
        p.drawText(QRectF(x, r.top(), min(vw + 1, room), r.height()), Qt.AlignmentFlag.AlignVCenter, value)
        x += vw + sep
