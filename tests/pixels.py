"""Shared helpers of the widget tests: images as arrays, colour masks, a shown widget."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage

from widgets import theme


def pixels(img: QImage) -> np.ndarray:
    """H×W×3 uint8 RGB array of an image."""
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    w, h = img.width(), img.height()
    a = np.frombuffer(img.constBits(), np.uint8).reshape(h, img.bytesPerLine() // 4, 4)[:, :w]
    return a[..., 2::-1].copy()  # BGRA (little endian) -> RGB


def near(arr: np.ndarray, color: str | QColor, tol: int = 12) -> np.ndarray:
    """Mask of pixels within tol of a colour."""
    c = theme.qcolor(color)
    ref = np.array([c.red(), c.green(), c.blue()], dtype=int)
    return np.all(np.abs(arr.astype(int) - ref) <= tol, axis=-1)


def grab(widget, size=(400, 400)) -> np.ndarray:
    widget.resize(*size)
    return pixels(widget.grab().toImage())


def show(qtbot, widget, size=(400, 400)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.paint_count > 0)  # the first full paint is done
    qtbot.wait(10)
    return widget
