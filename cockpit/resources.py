"""Where the data files of ``resources/`` are: beside the packages in a checkout,
under the bundle folder in a PyInstaller build."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def load_theme(name: str) -> str:
    """The QSS text of a theme; an empty style (Qt defaults) if the file is missing."""
    path = resources_dir() / "themes" / f"{name}.qss"
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        log.error("theme %s not loaded (%s): using Qt's default look", path, exc)
        return ""
