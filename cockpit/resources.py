"""Where the data files of ``resources/`` are.

The repository's ``resources/`` folder installs as the package ``cockpit_resources``
(setup.py), so one lookup, ``importlib.resources``, finds it in the wheel, the sdist, the
editable install of a checkout (where it is the checkout's folder itself); the
PyInstaller app (cockpit.spec) bundles the folder as ``cockpit_resources/`` of its bundle."""

from __future__ import annotations

import functools
import importlib.resources
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE = "cockpit_resources"


@functools.cache
def resources_dir() -> Path:
    """The folder of the shipped data files (a real folder: wheels install unzipped)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # the PyInstaller app
        return Path(bundle) / PACKAGE
    try:
        files = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:
        # a checkout run without installing (python main.py): the folder beside the packages
        return Path(__file__).resolve().parent.parent / "resources"
    if isinstance(files, Path):
        return files
    # a namespace package (a folder of that name on sys.path without its __init__.py)
    return Path(str(files.joinpath("layouts"))).parent


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
