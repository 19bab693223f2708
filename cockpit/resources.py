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


APP_NAME = "industry-brain-cockpit"


def user_config_dir() -> Path:
    """The user's config folder of the cockpit (platform convention)."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)


def layout_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Where layout files are looked for, first match wins: folders given on the command
    line, the user's ``<config>/layouts``, then the ones shipped in ``resources/layouts``."""
    return [*(extra or []), user_config_dir() / "layouts", resources_dir() / "layouts"]


def load_theme(name: str) -> str:
    """The QSS text of a theme; an empty style (Qt defaults) if the file is missing."""
    path = resources_dir() / "themes" / f"{name}.qss"
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        log.error("theme %s not loaded (%s): using Qt's default look", path, exc)
        return ""
