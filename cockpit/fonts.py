"""The bundled CJK face, registered with Qt at start.

``resources/fonts`` ships "Cockpit Sans SC", a subset of Noto Sans CJK SC (OFL; made by
``make font``, .ci/tools/make_font.py), Regular and Bold. Registered before the first font
is resolved, it is the first family of ``widgets.theme.font_families``: the screens and
the PDF export look the same on Debian, UOS/Kylin, Windows or a fresh container, whatever
fonts the machine has.

``resources/fonts/figures`` ships B612 (OFL; designed for the legibility of aircraft
cockpit screens), the figure face of numbers (``widgets.theme.figure_font``): digits that
stay distinct from across a room (no 1/7, 3/8, 0/8 confusion). Its licence is beside it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cockpit.resources import resources_dir

log = logging.getLogger(__name__)

FAMILY = "Cockpit Sans SC"
FIGURES = "B612"  # the figure face of numbers (resources/fonts/figures)

_registered: list[str] | None = None


def font_files() -> list[Path]:
    """The CJK UI face's files."""
    return sorted((resources_dir() / "fonts").glob("*.otf"))


def figure_files() -> list[Path]:
    """The figure face's files."""
    return sorted((resources_dir() / "fonts" / "figures").glob("*.otf"))


def register() -> list[str]:
    """Add the bundled faces to Qt's font database (once; needs a QGuiApplication).

    Returns the families added. A missing or unreadable file is logged and the machine's
    fonts are used instead."""
    global _registered
    if _registered is not None:
        return list(_registered)
    from PySide6.QtGui import QFontDatabase

    families: list[str] = []
    files = font_files()
    if not files:
        log.error("no bundled font in %s: the machine's fonts are used", resources_dir() / "fonts")
    for path in files + figure_files():
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid < 0:
            log.error("font %s not loaded: the machine's fonts are used", path)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(fid) if f not in families]
    _registered = families
    return list(families)


def registered_families() -> list[str]:
    return list(_registered or [])
