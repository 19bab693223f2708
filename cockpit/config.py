"""The effective settings as one frozen, typed object: what the app passes on.

:func:`cockpit.settings.load` reads and checks every setting once (defaults ← file ←
environment ← command line); :func:`config_of` turns the checked values into a
:class:`Config` through each kind's ``typed`` (a window size is a ``(w, h)`` tuple, a time
``(h, m)``, a folder a ``Path``, the dim schedule its ranges). Nothing downstream parses,
checks or defaults a setting again: ``config.rotation.dwell_s`` is a float in range.

A field per row of :data:`cockpit.settings.SETTINGS` (a test keeps them in step). Qt-free.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cockpit.parsing import DimRange
from cockpit.settings import BY_CLI, SETTINGS, Settings, kind_of, load


@dataclass(frozen=True)
class ApiConfig:
    url: str = ""  # "": the embedded reference API
    token_env: str = ""
    poll_s: float = 1.0
    stream: bool = True
    seed: int = 20261127


@dataclass(frozen=True)
class DisplayConfig:
    lang: str = "zh"
    tab: str = ""
    size: tuple[int, int] | None = None
    colors: str = "status"
    layouts: tuple[Path, ...] = ()
    theme: str = "dark"
    screen: int = 0
    profile: str = "auto"
    kiosk: bool = False


@dataclass(frozen=True)
class KioskConfig:
    exit_chord: str = "Ctrl+Alt+Shift+Q"
    pin: str = ""


@dataclass(frozen=True)
class RotationConfig:
    dwell_s: float = 0.0  # 0: no rotation
    tabs: tuple[str, ...] = ()
    dwell: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    pause_resume_s: float = 120.0
    alarm_hold_s: float = 60.0
    drill_return_s: float = 90.0  # 0: a drilled view stays until Back


@dataclass(frozen=True)
class CareConfig:
    pixel_shift: bool = False
    dim: tuple[DimRange, ...] = ()


@dataclass(frozen=True)
class WatchdogConfig:
    restart_at: tuple[int, int] | None = None
    max_rss_mb: int = 0  # 0: off


@dataclass(frozen=True)
class FleetConfig:
    display_id: str = ""
    heartbeat_s: float = 60.0  # 0: off


@dataclass(frozen=True)
class AlarmConfig:
    operator: str = ""  # "": the login name
    sound: bool = False
    sync_s: float = 2.0


@dataclass(frozen=True)
class LogConfig:
    level: str = "INFO"
    dir: Path | None = None
    max_bytes: int = 5_000_000
    backups: int = 5


@dataclass(frozen=True)
class CacheConfig:
    path: Path | None = None  # None: the user cache folder
    retention_days: float = 30.0
    max_mb: int = 256

    @property
    def in_memory(self) -> bool:
        """``cache.path = "memory"``: no file."""
        return self.path is not None and str(self.path) == "memory"


@dataclass(frozen=True)
class Config:
    api: ApiConfig = field(default_factory=ApiConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    rotation: RotationConfig = field(default_factory=RotationConfig)
    care: CareConfig = field(default_factory=CareConfig)
    watchdog: WatchdogConfig = field(default_factory=WatchdogConfig)
    fleet: FleetConfig = field(default_factory=FleetConfig)
    alarm: AlarmConfig = field(default_factory=AlarmConfig)
    log: LogConfig = field(default_factory=LogConfig)
    cache: CacheConfig = field(default_factory=CacheConfig)
    settings: Settings | None = field(default=None, compare=False, repr=False)  # where each value came from

    def replace(self, key: str, value: Any) -> Config:
        """A copy with one setting (``"api.url"``) set to an already typed value."""
        section, name = key.split(".", 1)
        part = dataclasses.replace(getattr(self, section), **{name: value})
        return dataclasses.replace(self, **{section: part})


def config_of(settings: Settings) -> Config:
    """The checked settings as a :class:`Config`."""
    sections: dict[str, dict[str, Any]] = {}
    for s in SETTINGS:
        sections.setdefault(s.section, {})[s.name] = kind_of(s).typed(s, settings[s.key])
    parts = {sec: _SECTION_TYPES[sec](**values) for sec, values in sections.items()}
    return Config(**parts, settings=settings)


_SECTION_TYPES: dict[str, type] = {
    "api": ApiConfig, "display": DisplayConfig, "kiosk": KioskConfig, "rotation": RotationConfig,
    "care": CareConfig, "watchdog": WatchdogConfig, "fleet": FleetConfig, "alarm": AlarmConfig, "log": LogConfig,
    "cache": CacheConfig,
}


def defaults() -> Config:
    """Every setting at its default (no file, no environment)."""
    return config_of(_without_file({}))


def from_args(args: Any) -> Config:
    """The config of a parsed command line alone (no file, no environment): for a
    :class:`~cockpit.app.Cockpit` made without one, as tests do. A namespace that carries
    loaded ``settings`` (as :func:`cockpit.app.main` would have) uses those."""
    loaded = getattr(args, "settings", None)
    if isinstance(loaded, Settings):
        return config_of(loaded)
    cli = {dest: getattr(args, dest) for dest in BY_CLI if getattr(args, dest, None) is not None}
    for extra in ("rotate", "set"):
        if getattr(args, extra, None) is not None:
            cli[extra] = getattr(args, extra)
    return config_of(_without_file(cli))


def _without_file(cli: Mapping[str, Any]) -> Settings:
    return load(cli, env={}, path=_NO_FILE)


_NO_FILE = Path(os.devnull)
