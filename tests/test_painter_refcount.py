"""Regression: PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call.

QPainter.setPen, drawArc, drawText... return None; 6.12.0 decrements None's refcount one
time too many, and after a few thousand paints CPython aborts ("none_dealloc"). Python
3.12+ has an immortal None and survives; pyproject pins PySide6 < 6.12 on 3.11. The
calls run in a child process so a crash fails this test with its message instead of
killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

CALLS = 200_000

CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

    app = QGuiApplication(sys.argv[:1])
    img = QImage(256, 256, QImage.Format.Format_ARGB32_Premultiplied)
    pen = QPen(QColor("#22d3a6"), 6)
    font = QFont()
    font.setPixelSize(18)
    box = QRectF(20, 20, 200, 200)
    total = int(sys.argv[1])
    before = sys.getrefcount(None)
    calls = 0
    while calls < total:
        p = QPainter(img)  # each iteration is one "paint"
        for _ in range(50):
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setFont(font)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.drawArc(box, 225 * 16, -135 * 16)
            p.drawLine(0, 0, 10, 10)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, "72.4")
            p.setOpacity(1.0)
            calls += 8
        p.end()
    drift = sys.getrefcount(None) - before
    print(f"ok calls={calls} none_refcount_drift={drift}", flush=True)
    # a leak of one reference per call shows long before the crash does
    sys.exit(0 if drift > -calls // 10 else 3)
    """
)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: this cannot fail there")
def test_painter_void_calls_survive() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", CHILD, str(CALLS)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    detail = f"exit {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-4000:]}"
    assert proc.returncode == 0, "QPainter void calls crashed or leaked None references:\n" + detail
    assert f"ok calls={CALLS}" in proc.stdout, detail
