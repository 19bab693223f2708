"""Setting a window up for the video wall: rotation with alarm jumps, display care, kiosk,
and (once per process) the watchdog — all from the typed :class:`~cockpit.config.Config`.

``start_wall`` is called for each window (``--wall``: one per screen, each with its own
rotate spec, kiosk flag and screen); ``start_watchdog`` for the first only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from cockpit.config import Config
from cockpit.parsing import format_hhmm, parse_rotate
from cockpit.ui.display_care import DimOverlay, DimSchedule, PixelShifter
from cockpit.ui.drill import attach_rotation
from cockpit.ui.kiosk import enter_kiosk, is_kiosk, kiosk_of, watch_activity
from cockpit.ui.rotation import Rotation, RotationBar, alarming_tabs
from cockpit.watchdog import Watchdog, install

if TYPE_CHECKING:
    from cockpit.ui.main_window import MainWindow

log = logging.getLogger(__name__)


@dataclass
class WallParts:
    """What ``start_wall`` set up on one window (None: not asked for)."""

    rotation: Rotation | None = None
    shifter: PixelShifter | None = None
    dim: DimOverlay | None = None


def start_wall(main: MainWindow, config: Config, *, rotate: str | None = None, kiosk: bool | None = None,
               screen_index: int | None = None, restored: dict[str, Any] | None = None,
               rotating: bool = True) -> WallParts:
    """The video wall on ``main``. ``rotate``/``kiosk``/``screen_index``: a ``--wall``
    window's own instead of the settings'; ``restored``: what the previous process kept
    over a watchdog restart; ``rotating`` False: the tour does its own rotating."""
    lang = main.lang
    restored = restored or {}
    parts = WallParts()
    if rotate is not None:
        spec = parse_rotate(rotate)
        dwell_s, dwell, wanted = spec.default_dwell_s, dict(spec.dwell), list(spec.playlist or [])
    else:
        rc = config.rotation
        dwell_s, dwell, wanted = rc.dwell_s, dict(rc.dwell), list(rc.tabs)
    rot = None
    if dwell_s > 0 and rotating:
        # a --wall window with its own playlist jumps only to alarms of the brains it shows
        # (another window of the wall has the others); a lone window, to any brain's
        keep = set(wanted) if rotate is not None else set()
        rot = parts.rotation = Rotation(
            main.show_brain, main.current_brain,
            lambda: alarming_tabs(main) & keep if keep else alarming_tabs(main), dwell_s=dwell_s, dwell=dwell,
            pause_resume_s=config.rotation.pause_resume_s, alarm_hold_s=config.rotation.alarm_hold_s)
        _drive_rotation(main, rot, wanted, restored.get("rotation"))
        attach_rotation(main, rot, config.rotation.drill_return_s)  # a drilled view holds it, then returns
    if config.care.pixel_shift:
        parts.shifter = PixelShifter(main)
    overlay = parts.dim = DimOverlay(main, DimSchedule(config.care.dim), lang=lang) if config.care.dim else None

    def activity(_kind: str) -> None:
        if rot is not None:
            rot.pause("activity")
        if overlay is not None:
            overlay.wake()

    watch_activity(main, activity)
    screen = config.display.screen if screen_index is None else screen_index
    kiosk_kw: dict[str, Any] = dict(exit_chord=config.kiosk.exit_chord, pin=config.kiosk.pin or None, lang=lang)
    if config.display.kiosk if kiosk is None else kiosk:
        k = enter_kiosk(main, screen or None, **kiosk_kw)
        if k.screen_warning:
            log.warning("%s", k.screen_warning)

    def kiosk_command() -> None:
        """Ctrl+Shift+K enters kiosk mode; it does not leave it: the exit chord (and the
        PIN) is the only way out (docs/CONFIG.md [kiosk])."""
        current = kiosk_of(main)
        if current is not None:
            log.info("kiosk: already on; leave with %s", current.chord_text)
            return
        enter_kiosk(main, screen or None, **kiosk_kw)

    main.set_command("kiosk", kiosk_command)
    return parts


def _drive_rotation(main: MainWindow, rot: Rotation, wanted: list[str], restored: dict[str, Any] | None) -> None:
    """Tick the rotation every 200 ms; its bar; its menu commands."""
    bar = RotationBar(rot, main, edge="bottom", lang=main.lang, timer_ms=0)
    started = [False]

    def rotate_tick() -> None:
        ids = wanted or list(main.tabs_by_brain)  # follows tab rebuilds
        if ids != rot.playlist:
            rot.set_playlist(ids)
        if not started[0]:  # a window starts on its own playlist, once its tabs exist
            present = [t for t in ids if t in main.tabs_by_brain]
            if present:
                started[0] = True
                if main.current_brain() not in ids:
                    main.show_brain(present[0])
        rot.tick()
        bar.sync()

    timer = QTimer(main, interval=200)
    timer.timeout.connect(rotate_tick)
    timer.start()
    if restored:
        rot.restore(restored)
    main.set_command("rotate_pause", lambda: rot.resume() if rot.paused else rot.pause("manual"))
    main.set_command("rotate_next", rot.advance)


def start_watchdog(main: MainWindow, config: Config, rotation: Rotation | None,
                   request_restart: Callable[[str], None]) -> Watchdog:
    """The process's watchdog (UI stalls, memory, the daily restart), keeping the tab,
    rotation position, kiosk and the charts' trend ranges over a restart."""
    at = config.watchdog.restart_at
    dog = Watchdog(
        max_rss_mb=config.watchdog.max_rss_mb or None,
        restart_at=format_hhmm(at) if at else None,
        state_provider=lambda: {"tab": main.current_brain(),
                                "rotation": rotation.state() if rotation is not None else None,
                                "kiosk": is_kiosk(main), "ranges": main.chart_ranges()},
        request_restart=request_restart)
    install(dog, main)
    return dog
