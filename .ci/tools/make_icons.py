"""Render resources/icons/industry-brain-cockpit.svg to the PNG sizes desktops ask for
(``python .ci/tools/make_icons.py``; the PNGs are committed beside the SVG)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
NAME = "industry-brain-cockpit"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    svg = QSvgRenderer(str(ICONS / f"{NAME}.svg"))
    if not svg.isValid():
        print(f"{ICONS / NAME}.svg: not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        svg.render(p)
        p.end()
        out = ICONS / f"{NAME}-{size}.png"
        img.save(str(out))
        print(out.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
