"""Command line, wiring and the qasync event loop.

``cockpit`` with no API address starts the embedded reference central API on a free
loopback port and talks to it over real HTTP, exactly as it would to the real platform.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import linecache
import logging
import os
import re
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit import __version__, memory

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from cockpit.cache import CacheWorker
    from cockpit.central.runner import EmbeddedServer
    from cockpit.hub.hub import BrainUpdate, HubStatus
    from cockpit.ui.main_window import MainWindow

log = logging.getLogger("cockpit")

# --screenshot/--report wait at most this long for data (the environment may shorten it for tests)
READY_TIMEOUT_S = float(os.environ.get("COCKPIT_READY_TIMEOUT_S", "20"))
HISTORY_HOURS = 24
MAX_BACKFILL_POINTS = 5000  # per metric and request: a 24 h hole comes at 18 s steps
FINE_BACKFILL_S = 3600  # the last hour is filled at the metrics' own cadence


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{3,5})[xX×](\d{3,5})", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"size must look like 1920x1080, got {text!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if not (320 <= w <= 16384 and 240 <= h <= 16384):
        raise argparse.ArgumentTypeError(f"size {w}x{h} out of range (320x240 .. 16384x16384)")
    return w, h


def _moment(text: str) -> int:
    from cockpit.moments import parse_moment

    try:
        return parse_moment(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _api(text: str) -> str:
    from cockpit.api.client import validate_base_url

    try:
        return validate_base_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cockpit",
        description="Industry Brain Cockpit (产业大脑驾驶舱): live industry screens from a central API.",
    )
    p.add_argument("--api", type=_api, metavar="URL",
                   help="central API address, e.g. http://10.0.0.5:8765; "
                        "without it the embedded reference API and simulator start on loopback")
    p.add_argument("--demo", action="store_true",
                   help="fair-booth demo: the embedded simulator, with a '演示数据' watermark (always shown "
                        "when the data are simulated); cannot be combined with --api")
    p.add_argument("--kiosk", action="store_true",
                   help="video wall: full screen, no window frame, cursor hidden; leave with the exit chord "
                        "(kiosk.exit_chord, default Ctrl+Alt+Shift+Q) and the PIN if kiosk.pin is set")
    p.add_argument("--screen", type=int, metavar="N", default=0,
                   help="screen to open on (0: the primary; a wrong number is reported and the primary used)")
    p.add_argument("--rotate", metavar="SPEC",
                   help="rotate through the tabs: '30' (seconds each) or '20,city=60,dyeing,ic=45' "
                        "(a playlist with per-tab dwell); a brain with a new alarm is shown next and held")
    p.add_argument("--wall", type=Path, metavar="FILE",
                   help="several windows from one process, one per screen of a video wall, each with its own "
                        "rotation (a TOML file of [[window]] tables: screen, rotate, kiosk; see README)")
    p.add_argument("--tour", action="store_true",
                   help="guided auto-tour for a booth: shows each screen, highlights panels with captions, "
                        "opens a sample enterprise code and a batch check; loops, pauses while a visitor "
                        "uses it and resumes after a minute of quiet")
    p.add_argument("--token-env", metavar="VAR",
                   help="name of the environment variable holding the API bearer token")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="interface language (default zh)")
    p.add_argument("--tab", metavar="ID", help="brain tab to show first, e.g. dyeing ('enterprise': the enterprise-code tab)")
    p.add_argument("--enterprise", metavar="CODE",
                   help="open this enterprise's profile (18-character credit code) on the enterprise-code tab at start")
    p.add_argument("--batch", metavar="NO", help="look this rice-wine batch number up on the wine tab at start")
    p.add_argument("--at", type=_moment, metavar='"YYYY-MM-DD HH:MM"',
                   help="time travel: show every tab as it was at this moment (platform time); "
                        "with --screenshot, capture that moment")
    p.add_argument("--layouts", type=Path, metavar="DIR", action="append",
                   help="a folder of layout files (<brain>.toml) used before the user's and the shipped ones; "
                        "may be given more than once")
    p.add_argument("--theme", choices=("dark", "light", "high-contrast"), default="dark",
                   help="dark command-center (default), light office, or high contrast")
    p.add_argument("--colors", choices=("status", "market"), default="status",
                   help="colour of rises and falls: 'status' green = good, red = bad (default); "
                        "'market' red = up, green = down, as on Chinese finance screens")
    p.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1920x1080")
    p.add_argument("--screenshot", type=Path, metavar="FILE",
                   help="wait until every widget on the shown tab has data (at most 20 s), "
                        "save a PNG of the window and exit (non-zero if data never came)")
    p.add_argument("--report", type=Path, metavar="FILE",
                   help="write a JSON report (tabs, connection, per-brain data) and exit")
    p.add_argument("--cache", metavar="PATH",
                   help="offline cache file (SQLite), or 'memory' for none on disk; default: the "
                        "user cache folder, one file per data source")
    p.add_argument("--seed", type=int, default=20261127, help="simulator seed of the embedded API")
    p.add_argument("--poll", type=float, default=1.0, metavar="S",
                   help="snapshot poll interval in seconds, where the push stream is not used")
    p.add_argument("--no-stream", action="store_true",
                   help="do not use the push stream (for proxies that break server-sent events): poll")
    p.add_argument("--bench", type=Path, metavar="SPEC",
                   help="benchmark mode: show the peer-benchmark workload of SPEC (JSON) "
                        "fed by the embedded API, print BENCH_START/BENCH_END markers")
    p.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="config file (default: $COCKPIT_CONFIG or <user config folder>/config.toml; see docs/CONFIG.md)")
    p.add_argument("--print-config", action="store_true",
                   help="print every setting, its effective value and where it came from, and exit")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="set any config key for this run, e.g. --set rotation.dwell_s=30; may be repeated")
    p.add_argument("--version", action="version", version=f"cockpit {__version__}")
    return p


class Cockpit:
    """Owns the executor, client, hub, optional embedded server and the window."""

    def __init__(self, app, args: argparse.Namespace) -> None:
        self.app = app
        self.args = args
        self.exit_code = 0
        self.server: EmbeddedServer | None = None
        self.cache: CacheWorker | None = None
        self.main: MainWindow | None = None  # the cockpit window (None in --bench mode)
        self.window: QWidget  # the shown top-level window
        self.tasks: set[asyncio.Task] = set()
        self._history_done: set[str] = set()
        self._last_state: object = None
        self._quit = asyncio.Event()
        self._opened: dict[str, bool] = {}
        self.fleet: Any = None  # FleetReporter: heartbeats to the central API's /displays
        self.rotation: Any = None  # the first window's rotation
        self.rotations: list[Any] = []  # every window's
        self.windows: list[MainWindow] = []  # every cockpit window (--wall: one per screen)
        self.watchdog: Any = None
        self.shifter: Any = None
        self.restart = False  # the watchdog asked for a clean restart
        self.restored: dict | None = None  # what the previous process kept over a restart
        self.diagnostics: Any = None  # the F1 overlay
        self.models: Any = None  # cockpit.ui.model.Models: the data every window shows
        self.alarm_desk: Any = None  # cockpit.hub.alarms.AlarmDesk: the alarm loop's records and queue
        self.replay: Any = None  # cockpit.ui.replay.Replay: the time cursor (None in --bench)

    def request_quit(self) -> None:
        """End the main coroutine; the loop stops after shutdown (never app.quit() directly)."""
        self._quit.set()

    def spawn(self, coro) -> asyncio.Task:
        """Create a task and keep a strong reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def run(self) -> int:
        from cockpit.api.client import ApiClient, ClientConfig
        from cockpit.hub.hub import Hub
        from cockpit.ui.main_window import MainWindow
        from cockpit.ui.text import tr

        args = self.args
        self.app.aboutToQuit.connect(self._quit.set)
        self.app.setQuitOnLastWindowClosed(False)
        self.app.lastWindowClosed.connect(self.request_quit)
        bench_spec = json.loads(args.bench.read_text()) if args.bench else None
        url = args.api
        if url is None:
            url = self._start_embedded(bench_spec)
            api_label = f"{url} ({tr('embedded', args.lang)})"
        else:
            api_label = url
        token = None
        if args.token_env:
            token = os.environ.get(args.token_env)
            if token:
                from cockpit import logs

                logs.register_secret(token)
            if not token:
                log.warning("environment variable %s is empty or not set: connecting without a token",
                            args.token_env)
        if not bench_spec:  # the benchmark measures the display path only (see bench/README)
            from cockpit.cache import CacheWorker

            self.cache = CacheWorker(self._cache_path(), on_notice=self._on_cache_notice)
            await self.cache.start()
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cockpit-http")
        # a hanging server is offline within ~10 s: 4 s per read, one retry
        self.client = ApiClient(ClientConfig(url, token=token, retries=1, read_timeout_s=4.0))
        self.hub = Hub(self.client, self.executor, poll_interval_s=args.poll,
                       brains=["bench"] if bench_spec else None, use_stream=not args.no_stream)
        if bench_spec:
            from cockpit.ui.bench_view import BenchWindow

            self.window = BenchWindow(bench_spec, self.hub, self)
        else:
            from cockpit.resources import layout_dirs
            from cockpit.watchdog import load_restart_state

            if not (args.screenshot or args.report):
                self.restored = load_restart_state()
            initial = (self.restored or {}).get("tab") or args.tab
            from cockpit.ui.model import Models

            self.models = Models()  # one per brain, shared by every window
            main = self.main = MainWindow(args.lang, api_label, initial, layout_dirs=layout_dirs(args.layouts),
                                          animate=not (args.screenshot or args.report), demo=self.server is not None,
                                          models=self.models)
            self._wire_lookups(main)
            main.set_command("settings", self._open_settings)
            self.window = main
            self.hub.on_catalog(main.on_catalog)
            self.hub.on_update(self.models.on_update)
            self.hub.on_status(main.on_status)
            main.status_provider = lambda: self.hub.status
            self.hub.on_catalog(lambda _c: self._start_history())
            if args.tour:
                self.hub.on_status(lambda st: self._start_tour() if st.state.value == "live" else None)
            if args.enterprise or args.batch:
                self.hub.on_status(lambda st: self._open_at_start() if st.state.value == "live" else None)
            self.hub.on_status(self._on_status)
            if self.cache is not None:
                self.hub.on_catalog(self.cache.put_catalog)
                self.hub.on_update(self._store_update)
                if self.cache.notice:
                    main.show_cache_notice(self.cache.notice)
        if self.main is not None:
            self.windows = [self.main]
            wall = self._wall_windows()
            for _spec in wall[1:]:
                self.windows.append(self._extra_window(api_label))
        shown: list[QWidget] = [*self.windows] or [self.window]
        if args.size:
            for sw in shown:
                sw.resize(*args.size)
        elif not bench_spec:
            for sw in shown:
                sw.resize(1920, 1080)
        for w in self.windows[1:]:
            w.show()
        self.window.show()
        linecache.clearcache()  # sources PySide6's import hook read while Qt modules loaded
        if self.main is not None and self.cache is not None:
            await self.paint_from_cache(self.main, self.cache)
        self.hub.start()
        if self.main is not None:
            from cockpit.ui.alarm_wiring import start_alarm_loop

            await start_alarm_loop(self)
            from cockpit.ui.replay_wiring import start_replay

            start_replay(self)
            if getattr(args, "at", None) is not None:
                self.replay.go(args.at)
            self._start_office_and_fleet(self.main)
            if not (args.screenshot or args.report):
                wall = self._wall_windows()
                if wall:
                    for i, (w, spec) in enumerate(zip(self.windows, wall, strict=False)):
                        self._start_wall(w, spec.rotate, spec.kiosk, spec.screen, first=i == 0)
                else:
                    self._start_wall(self.main)
        if (args.screenshot or args.report) and not bench_spec:
            self.spawn(self.capture())
        try:
            await self._quit.wait()
        finally:
            await self.shutdown()
        return self.exit_code

    def _start_wall(self, main: MainWindow, rotate: str | None = None, kiosk: bool | None = None,
                    screen_index: int | None = None, first: bool = True) -> None:
        """The video wall: rotation with alarm jumps, display care, kiosk, watchdog.

        ``rotate``/``kiosk``/``screen_index``: a --wall window's own, instead of the settings';
        ``first``: the process's first window (the watchdog watches the process once)."""
        from PySide6.QtCore import QTimer

        from cockpit.ui.display_care import DimOverlay, DimSchedule, PixelShifter
        from cockpit.ui.kiosk import enter_kiosk, is_kiosk, kiosk_of, watch_activity
        from cockpit.ui.rotation import Rotation, RotationBar, alarming_tabs, parse_rotate
        from cockpit.watchdog import Watchdog, install

        lang = main.lang
        restored = (self.restored or {}) if first else {}
        rot = None
        if rotate is not None:
            spec = parse_rotate(rotate)
            dwell_s, dwell, wanted = spec.default_dwell_s, dict(spec.dwell), list(spec.playlist or [])
        else:
            dwell_s = float(self._setting("rotation.dwell_s", 0))
            dwell = dict(self._setting("rotation.dwell", {}))
            wanted = list(self._setting("rotation.tabs", []))
        if dwell_s > 0 and not getattr(self.args, "tour", False):  # the tour does its own rotating
            rot = Rotation(
                main.show_brain, main.current_brain, lambda: alarming_tabs(main),
                dwell_s=dwell_s, dwell=dwell,
                pause_resume_s=float(self._setting("rotation.pause_resume_s", 120)),
                alarm_hold_s=float(self._setting("rotation.alarm_hold_s", 60)))
            if first:
                self.rotation = rot
            self.rotations.append(rot)
            bar = RotationBar(rot, main, edge="bottom", lang=lang, timer_ms=0)

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
            if restored.get("rotation"):
                rot.restore(restored["rotation"])
            main.set_command("rotate_pause", lambda: rot.resume() if rot.paused else rot.pause("manual"))
            main.set_command("rotate_next", rot.advance)
        if self._setting("care.pixel_shift", False):
            self.shifter = PixelShifter(main)
        dim = self._setting("care.dim", [])
        overlay = DimOverlay(main, DimSchedule(dim), lang=lang) if dim else None

        def activity(_kind: str) -> None:
            if rot is not None:
                rot.pause("activity")
            if overlay is not None:
                overlay.wake()

        watch_activity(main, activity)
        screen = int(self._setting("display.screen", 0)) if screen_index is None else screen_index
        kiosk_kw = dict(exit_chord=self._setting("kiosk.exit_chord", "Ctrl+Alt+Shift+Q"),
                        pin=self._setting("kiosk.pin", "") or None, lang=lang)
        want_kiosk = (self._setting("display.kiosk", False) or self.args.kiosk) if kiosk is None else kiosk
        if want_kiosk:
            k = enter_kiosk(main, screen or None, **kiosk_kw)
            if k.screen_warning:
                log.warning("%s", k.screen_warning)

        def kiosk_command() -> None:
            if is_kiosk(main):
                kiosk = kiosk_of(main)
                if kiosk is not None:
                    kiosk.exit_requested()  # asks for the PIN when one is set
            else:
                enter_kiosk(main, screen or None, **kiosk_kw)

        main.set_command("kiosk", kiosk_command)
        if not first:
            return

        def restart(reason: str) -> None:
            log.warning("watchdog: restarting (%s), keeping the tab, rotation and cache", reason)
            self.restart = True
            self.request_quit()

        self.watchdog = dog = Watchdog(
            max_rss_mb=self._setting("watchdog.max_rss_mb", 0) or None,
            restart_at=self._setting("watchdog.restart_at", "") or None,
            state_provider=lambda: {"tab": main.current_brain(),
                                    "rotation": rot.state() if rot is not None else None,
                                    "kiosk": is_kiosk(main)},
            request_restart=restart)
        install(dog, main)

    def _wall_windows(self) -> list:
        """The --wall file's windows ([] without one, or when it is wrong: said, one window)."""
        if not self.args.wall:
            return []
        if getattr(self, "_wall", None) is None:
            from cockpit.wall import WallError, load_wall

            try:
                self._wall = load_wall(self.args.wall)
            except WallError as exc:
                log.error("wall file not used, one window instead: %s", exc)
                self._wall = []
                if self.main is not None:
                    self.main.show_cache_notice(str(exc))
        return self._wall

    def _extra_window(self, api_label: str) -> MainWindow:
        """Another window on the same hub and cache (--wall)."""
        from cockpit.resources import layout_dirs
        from cockpit.ui.main_window import MainWindow

        args = self.args
        win = MainWindow(args.lang, api_label, None, layout_dirs=layout_dirs(args.layouts),
                         animate=True, demo=self.server is not None, models=self.models)
        self._wire_lookups(win)
        self.hub.on_catalog(win.on_catalog)
        self.hub.on_status(win.on_status)
        win.status_provider = lambda: self.hub.status
        return win

    def _setting(self, key: str, default):
        settings = getattr(self.args, "settings", None)
        return settings[key] if settings is not None else default

    def _start_office_and_fleet(self, main: MainWindow) -> None:
        """F1 diagnostics, exports, and the fleet heartbeat to the central API."""
        from PySide6.QtWidgets import QApplication

        from cockpit.hub.fleet import FleetReporter, build_heartbeat, default_display_id
        from cockpit.ui.diagnostics import DiagnosticsOverlay

        self.diagnostics = diag = DiagnosticsOverlay(main, self._diag_rows, self.args.lang)
        main.set_command("diagnostics", lambda: None if diag.toggle() else None)
        main.lang_listeners.append(diag.set_lang)
        self.hub.on_update(lambda _u: diag.note_update())
        main.set_command("export_png", lambda: self._export("png"))
        main.set_command("export_pdf", lambda: self._export("pdf"))
        main.set_command("export_csv", lambda: self._export("csv"))
        screens = QApplication.screens()
        screen = main.screen()
        display_id = self._setting("fleet.display_id", "") or default_display_id(
            screens.index(screen) if screen in screens else 0)

        def collect():
            scr = main.screen()
            size = scr.size() if scr is not None else main.size()
            return build_heartbeat(display_id, shown_tab=main.current_brain(),
                                   received_ms={m.brain: m.received_ms for m in self.models},
                                   link=self.hub.status.state.value, screen=(size.width(), size.height()),
                                   period_s=float(self._setting("fleet.heartbeat_s", 60)))

        period = float(self._setting("fleet.heartbeat_s", 60))
        if period > 0:  # 0: the operator turned heartbeats off
            self.fleet = FleetReporter(self.client, self.executor, collect, period_s=period,
                                       on_latency=diag.note_latency)
            self.fleet.start()

    def _diag_rows(self) -> dict[str, str]:
        from cockpit.ui.text import clock, reason_text, tr

        lang = self.args.lang if self.main is None else self.main.lang
        st = self.hub.status
        link = tr(st.state.value, lang) + (f" · {reason_text(st.reason, lang)}" if st.reason else "")
        rows = {
            tr("diag_link", lang): link + (f" · {tr('mode_poll' if st.mode == 'poll' else 'mode_stream', lang)}"
                                             if st.state.value == "live" else ""),
            tr("diag_api", lang): self.client.config.base_url,
            tr("diag_last", lang): clock(st.last_update_ms),
        }
        cache = self.cache
        if cache is not None and cache.path_in_use is not None:
            try:
                stat = Path(cache.path_in_use).stat()
                rows[tr("diag_cache", lang)] = f"{stat.st_size / 1e6:.1f} MB · {clock(int(stat.st_mtime * 1000))}"
            except OSError as exc:
                rows[tr("diag_cache", lang)] = str(exc)
        elif cache is not None:
            rows[tr("diag_cache", lang)] = cache.notice or tr("diag_memory_cache", lang)
        if self.watchdog is not None:
            st_w = self.watchdog.status()
            ui, mem = st_w["ui"], st_w["memory"]
            text = tr("diag_stalls", lang, n=ui["stalls"])
            if mem["growing"]:
                text += " · " + tr("diag_growing", lang, mb=mem["growth_mb"], h=mem["growth_hours"])
            if st_w["restart"]["next"]:
                text += " · " + tr("diag_restart", lang, t=st_w["restart"]["next"][11:16])
            rows[tr("diag_watchdog", lang)] = text
        if self.rotation is not None:
            r = self.rotation
            rows[tr("diag_rotation", lang)] = (tr("diag_paused", lang) if r.paused else
                                               f"{r.mode()} · {round(100 * r.progress())}%")
        if self.fleet is not None:
            rows[tr("diag_fleet", lang)] = (clock(self.fleet.last_ok_ms) if self.fleet.last_error == ""
                                            else str(self.fleet.last_error)[:80])
        return rows

    def _export(self, kind: str) -> None:
        """File → export: the shown tab as PNG or PDF, its charts' data as CSV."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        from cockpit.ui.export import (
            ExportError,
            chart_rows,
            charts_in,
            choose_path,
            default_name,
            export_csv,
            export_pdf,
            export_png,
            series_rows,
        )
        from cockpit.ui.text import tr

        main = self.main
        if main is None:
            return
        lang = main.lang
        page = main.tabs.currentWidget()
        if page is None:
            return
        title = main.tabs.tabText(main.tabs.currentIndex())
        if kind == "csv" and not charts_in(page):
            main.statusBar().showMessage(tr("export_no_chart", lang), 8000)
            return
        source = self.client.config.base_url
        if self.server is not None:
            source += " · " + tr("embedded", lang) + " · " + ("演示数据" if lang == "zh" else "demo data")
        brain = getattr(page, "brain", None)
        received = self.models.brain(brain.id).received_ms if brain is not None else None
        if self.replay is not None and not self.replay.live:  # the past: the export says which moment
            from cockpit.moments import moment_text

            title = f"{title} · {tr('replay_band', lang, t=moment_text(self.replay.cursor_ms, fmt='%Y-%m-%d %H:%M'))}"
            received = self.replay.cursor_ms

        def write(path: Path) -> None:
            try:
                if kind == "png":
                    export_png(page, path, scale=2)
                elif kind == "pdf":
                    notes = page.provenance_notes() if hasattr(page, "provenance_notes") else []
                    export_pdf(page, path, f"{title} · {tr('app_title', lang)}", received, source, lang, notes=notes)
                elif brain is not None:  # the model's history of the metrics the tab charts
                    model = self.models.brain(brain.id)
                    named = [(f"{c.metric.name.pick(lang)} ({c.metric.unit.pick(lang)})",
                              *model.shown_series(c.metric.id))
                             for c in getattr(page, "charts", [])]
                    export_csv(path, *series_rows(named, lang))
                else:
                    export_csv(path, *chart_rows(charts_in(page), lang))
            except ExportError as exc:
                box = QMessageBox(QMessageBox.Icon.Warning, tr("export_failed", lang), str(exc), parent=main)
                box.setTextFormat(Qt.TextFormat.PlainText)
                box.open()
                return
            main.statusBar().showMessage(tr("export_done", lang, p=str(path)), 8000)

        choose_path(main, kind, Path.home() / default_name(title, kind), write, lang)

    def _open_settings(self) -> None:
        """The settings dialog on the config file; not modal to the loop (open(), not exec())."""
        from PySide6.QtCore import Qt

        from cockpit import settings as cfg
        from cockpit.ui.settings_dialog import SettingsDialog

        settings = getattr(self.args, "settings", None) or cfg.load({})
        dlg = SettingsDialog(settings, self.args.lang, parent=self.main)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()

    def _wire_lookups(self, main: MainWindow) -> None:
        """On-demand lookups (chain, enterprise, batch) for the window, answered by callback."""
        from cockpit.hub.lookups import Answer, Lookups

        lookups = Lookups(self.hub, self.cache)

        def run(make, cb, full: bool) -> None:
            # the coroutine is made inside the task: a task cancelled before it started
            # (at shutdown) leaves no coroutine never awaited
            async def go() -> None:
                ans: Answer = await make()
                try:
                    if full:
                        cb(ans.value, ans.error, ans.missing, ans.fetched_ms)
                    else:
                        cb(ans.value, ans.error)
                except RuntimeError as exc:  # the asking widget is gone (tabs rebuilt meanwhile)
                    log.debug("lookup answer dropped: %s", exc)

            self.spawn(go())

        main.services.fetch_chain = lambda brain, cb: run(lambda: lookups.chain(brain), cb, False)
        main.services.fetch_batch = lambda no, cb: run(lambda: lookups.batch(no), cb, True)
        main.services.search = lambda q, cb: run(lambda: lookups.search(q), cb, False)
        main.services.profile = lambda code, cb: run(lambda: lookups.enterprise(code), cb, True)

    def _start_embedded(self, bench_spec: dict | None) -> str:
        from cockpit.central.runner import EmbeddedServer
        from cockpit.central.server import create_app
        from cockpit.central.simulator import Simulator

        bench = None
        if bench_spec:
            bench = (bench_spec["gauges"], bench_spec["line_charts"], bench_spec["kpi_tiles"])
        sim = Simulator(seed=self.args.seed, bench=bench)
        self.server = EmbeddedServer(create_app(sim)).start()
        log.info("embedded central API on %s", self.server.url)
        return self.server.url

    def _on_status(self, status: HubStatus) -> None:
        from cockpit.hub.hub import LinkState

        came_back = status.state == LinkState.LIVE and self._last_state == LinkState.OFFLINE
        self._last_state = status.state
        if came_back:  # fill the outage from /series so the charts have no hole
            self._history_done.clear()
        if status.state == LinkState.LIVE and self.hub.catalog is not None:
            missing = [b.id for b in self.hub.catalog.brains if b.id not in self._history_done]
            if missing:
                self._start_history()

    def _start_history(self) -> None:
        if not any(t.get_name() == "history" for t in self.tasks):
            self.spawn(self.load_history()).set_name("history")

    def _cache_path(self) -> Path | None:
        from cockpit.cache import default_cache_path

        chosen = self.args.cache
        if chosen == "memory":
            return None
        if chosen:
            return Path(chosen).expanduser()
        # one file per data source: simulated data never shows up as a real API's history
        key = f"embedded-seed-{self.args.seed}" if self.args.api is None else self.args.api
        return default_cache_path(key)

    def _on_cache_notice(self, text: str) -> None:
        if self.main is not None:
            self.main.show_cache_notice(text)

    def _store_update(self, update: BrainUpdate) -> None:
        """Write-through: every reading and the snapshot go to the cache (batched, off-thread)."""
        assert self.cache is not None
        snap = update.snapshot
        self.cache.put_snapshot(snap, update.received_ms)
        self.cache.put_points((mid, r.ts, r.value) for mid, r in snap.values.items())
        if snap.alerts:
            self.cache.put_alerts(snap.alerts)

    async def paint_from_cache(self, main: MainWindow, cache: CacheWorker) -> None:
        """Start: the last known catalog, values and 24 h of history, before any network."""
        from cockpit.hub.hub import BrainUpdate, now_ms

        catalog = await cache.load_catalog()
        if catalog is None:
            return
        for w in self.windows or [main]:
            w.on_catalog(catalog)
        for brain, (snap, received) in (await cache.load_snapshots()).items():
            self.models.on_update(BrainUpdate(brain, snap, received), cached=True)
        self.models.flush()
        main.refresh()
        until = now_ms()
        since = until - HISTORY_HOURS * 3600 * 1000
        tabs = sorted(main.tabs_by_brain.values(), key=lambda t: t is not main.current_tab())
        for tab in tabs:  # the shown tab first
            data = await cache.points_many([m.id for m in tab.history_metrics()], since, until)
            self.models.brain(tab.brain.id).set_history(data)
        log.info("painted from the cache (%d brains)", len(main.tabs_by_brain))

    async def load_history(self) -> None:
        """Fill each brain's trend charts with the last 24 h.

        Fetch only the holes the cache has (an outage, a first start), write them to the
        cache, then show the charts from the cache — continuous, no gap. (``--cache memory``
        is an in-memory cache, so there always is one next to the main window.) One brain at
        a time, the shown tab first.
        """
        from cockpit.api.client import ApiError
        from cockpit.hub.hub import now_ms

        catalog, main, cache = self.hub.catalog, self.main, self.cache
        if catalog is None or main is None or cache is None:
            return
        until = now_ms()
        since = until - HISTORY_HOURS * 3600 * 1000
        order = sorted(catalog.brains, key=lambda b: b.id != main.current_brain())
        for brain in order:
            tab = main.tabs_by_brain.get(brain.id)
            metrics = tab.history_metrics() if tab is not None else []
            if brain.id in self._history_done or not metrics:
                self._history_done.add(brain.id)
                continue
            try:
                await self._backfill(metrics, since, until)
                await cache.flush()
                data = await cache.points_many([m.id for m in metrics], since, now_ms())
                self.models.brain(brain.id).set_history(data)
            except ApiError as exc:
                log.warning("history of %s not loaded: %s", brain.id, exc)
                return  # retried when the link is live again
            self._history_done.add(brain.id)
        memory.release()  # the parsed payloads are gone: give their memory back

    async def _backfill(self, metrics: list, since: int, until: int) -> None:
        """Fetch what the cache lacks and write it to the cache, in two passes.

        The whole window at a coarse step (a missing day costs one request of
        MAX_BACKFILL_POINTS per metric), then the last FINE_BACKFILL_S at the metrics'
        own cadence, so a recent outage is filled second by second.
        """
        assert self.cache is not None
        cadence = max(1, round(min(m.cadence_s for m in metrics)))
        coarse = max(cadence, -(-(until - since) // (MAX_BACKFILL_POINTS * 1000)))
        fine_since = max(since, until - FINE_BACKFILL_S * 1000)
        for start, step in ((since, coarse), (fine_since, cadence)):
            holes: list[tuple[int, int]] = []
            for m in metrics:
                holes += await self.cache.gaps(m.id, start, until, cadence_ms=step * 1000)
            if not holes:
                continue
            lo, hi = min(h[0] for h in holes), max(h[1] for h in holes)
            lo -= lo % (step * 1000)
            resp = await self.hub.fetch_series([m.id for m in metrics], lo, min(hi + 1, until), step)
            rows = [(s.metric, ts, v) for s in resp.series for ts, v in s.points]
            await self.cache.write_points(rows)
            log.info("backfilled %d points of %s (%d s at %d s steps)", len(rows), metrics[0].brain,
                     (hi - lo) // 1000, step)

    def _start_tour(self) -> None:
        from PySide6.QtCore import QTimer

        from cockpit.ui.tour import Tour

        if self.main is None or getattr(self, "tour", None) is not None:
            return
        self.tour = Tour(self.main, self.args.lang)
        QTimer.singleShot(1500, self.tour.start)  # the first data painted, then the first step

    def _batch_shown(self) -> bool:
        from cockpit.ui.batch_check import BatchCheck

        main = self.main
        tab = main.tabs_by_brain.get("wine") if main is not None else None
        views = tab.findChildren(BatchCheck) if tab is not None else []
        return any(v.batch is not None for v in views)

    def _open_at_start(self) -> None:
        """--enterprise / --batch: look them up once the tabs exist."""
        from cockpit.ui.batch_check import BatchCheck

        main = self.main
        if main is None:
            return
        if self.args.enterprise and main.enterprise_tab is not None and not self._opened.get("enterprise"):
            self._opened["enterprise"] = True
            main.open_enterprise(self.args.enterprise)
        tab = main.tabs_by_brain.get("wine")
        if self.args.batch and tab is not None and not self._opened.get("batch"):
            for view in tab.findChildren(BatchCheck):
                self._opened["batch"] = True
                view.entry.setText(self.args.batch)
                view.check()

    async def capture(self) -> None:
        """--screenshot / --report: wait for data on the shown tab, write, quit."""
        main = self.main
        assert main is not None
        from cockpit.hub.hub import LinkState

        deadline = time.monotonic() + READY_TIMEOUT_S
        ready = False
        while time.monotonic() < deadline:
            tab = main.current_tab()
            # the cache's values paint first: wait until the link is known (live data, or
            # offline with the cached values marked so), not the "connecting" moment between
            settled = self.hub.status.state != LinkState.CONNECTING and (
                tab is None or not self.models.brain(tab.brain.id).from_cache
                or self.hub.status.state == LinkState.OFFLINE)
            replayed = self.replay is None or self.replay.ready
            if (tab is not None and tab.widget_count() and tab.widgets_with_data() == tab.widget_count() and settled
                    and replayed):
                ready = not self.args.batch or self._batch_shown()
                if ready:
                    break
            ent = main.enterprise_tab
            if ent is not None and main.tabs.currentWidget() is ent and (
                    ent.profile is not None or (not self.args.enterprise and ent.isVisible())):
                ready = True
                break
            await asyncio.sleep(0.2)
        self.models.flush()
        main.refresh()
        # let the last updates paint (never processEvents() inside a coroutine: it runs
        # other tasks re-entrantly and qasync loses their wake-ups: a hang seen in tests)
        await asyncio.sleep(0.3)
        if not ready:
            tab = main.current_tab()
            why = self.hub.status.reason or "no data arrived"
            got = f"{tab.widgets_with_data()}/{tab.widget_count()} widgets have data" if tab else "no tab shown"
            print(f"cockpit: data not complete after {READY_TIMEOUT_S:.0f} s ({got}; {why})", file=sys.stderr)
            self.exit_code = 2
        if self.args.screenshot:
            self.args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            if not main.grab().save(str(self.args.screenshot)):
                print(f"cockpit: cannot write {self.args.screenshot}", file=sys.stderr)
                self.exit_code = 3
        if self.args.report:
            self.args.report.parent.mkdir(parents=True, exist_ok=True)
            self.args.report.write_text(json.dumps(self.report(), ensure_ascii=False, indent=1), "utf-8")
        self.request_quit()

    def report(self) -> dict:
        from cockpit.ui.text import clock

        main = self.main
        assert main is not None
        st = self.hub.status
        brains = {}
        for brain_id, tab in main.tabs_by_brain.items():
            model = self.models.brain(brain_id)
            brains[brain_id] = {
                "last_update_ms": model.received_ms,
                "last_update": clock(model.received_ms) if model.received_ms else None,
                "data_ts_ms": model.snapshot.ts if model.snapshot else None,
                "widgets": tab.widget_count(),
                "widgets_with_data": tab.widgets_with_data(),
            }
        tabs = [{"id": b, "title": main.tabs.tabText(main.tabs.indexOf(t))}
                for b, t in main.tabs_by_brain.items()]
        return {
            "version": __version__,
            "api": self.client.config.base_url,
            "embedded": self.server is not None,
            "tabs": tabs,
            "shown_tab": main.current_brain(),
            "connection": {"state": st.state.value, "mode": st.mode, "reason": st.reason,
                           "last_update_ms": st.last_update_ms, "errors": st.errors},
            "brains": brains,
        }

    async def shutdown(self) -> None:
        if self.watchdog is not None:
            self.watchdog.stop()
        for t in list(self.tasks):
            t.cancel()
        await self.hub.stop()
        if self.alarm_desk is not None:
            await self.alarm_desk.stop()
        if self.fleet is not None:
            await self.fleet.stop()
        # Wait for requests in flight: a worker finishing after the loop is gone would post
        # its result to a dead Qt object (a crash seen in tests). Closing the sessions first
        # cuts idle connections; a request in flight ends within its deadline.
        self.client.close()
        self.executor.shutdown(wait=True, cancel_futures=True)
        if self.cache is not None:
            await self.cache.close()  # flushes what is queued
        for w in self.windows[1:]:
            w.close()
        self.window.close()
        if self.server is not None:
            self.server.stop()


def _setup_fonts(app) -> None:
    from widgets.theme import ui_font

    app.setFont(ui_font(app.font().pointSizeF()))


def _import_before_qt(embedded: bool, cache: bool) -> None:
    """Import the Qt-free layers before PySide6.

    PySide6's import hook reads the source of every module imported after it (looking
    for ``from __feature__``) and leaves it in ``linecache``: about 15 MB for pydantic,
    requests, FastAPI and uvicorn. Imported first, they are not read.
    """
    import cockpit.api.client  # noqa: F401
    import cockpit.hub.hub  # noqa: F401

    if cache:  # not in --bench: it has no cache, no layouts and no lookups
        import cockpit.brains.layout  # noqa: F401
        import cockpit.cache  # noqa: F401
        import cockpit.hub.lookups  # noqa: F401

    if embedded:
        import cockpit.central.runner  # noqa: F401
        import cockpit.central.server  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    from cockpit import logs
    from cockpit import settings as cfg

    parser = build_parser()
    args = parser.parse_args(argv)
    given = cfg.given_options(parser, argv)  # only what was typed: the config file fills the rest
    settings = cfg.load(given, path=args.config)
    if args.print_config:
        sys.stdout.write(cfg.print_config(settings))
        return 0
    cfg.apply_to_args(settings, args)
    log_file = logs.setup_logging(settings["log.level"], settings.path_value("log.dir"),
                                  settings["log.max_bytes"], settings["log.backups"])
    for problem in settings.problems:  # a wrong value: said, and its default used
        log.warning("config: %s", problem.message)
    if log_file is not None:
        log.info("log file: %s", log_file)
    if args.bench and "api" in given:
        parser.error("--bench uses the embedded API; do not combine it with --api")
    if args.bench:
        args.api = None  # the benchmark always measures against the embedded API
    if args.demo and "api" in given:
        parser.error("--demo shows the embedded simulator's data; do not combine it with --api")
    if args.demo:
        args.api = None
    args.settings = settings
    _import_before_qt(embedded=args.api is None, cache=args.bench is None)
    from PySide6.QtWidgets import QApplication

    from cockpit import qtloop

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("industry-brain-cockpit")
    _setup_fonts(app)
    from widgets.theme import set_change_convention, use_palette

    set_change_convention(args.colors)
    use_palette(args.theme)
    from cockpit import i18n

    i18n.use(args.lang)
    cockpit = Cockpit(app, args)
    signal.signal(signal.SIGINT, lambda *_: cockpit.request_quit())
    signal.signal(signal.SIGTERM, lambda *_: cockpit.request_quit())
    try:
        code = qtloop.run(cockpit.run())
    except (asyncio.CancelledError, RuntimeError) as exc:  # the loop was stopped from outside
        log.info("event loop ended: %s", exc)
        code = cockpit.exit_code
    if cockpit.restart:  # the watchdog's clean restart: same command line, same cache
        from cockpit.watchdog import restart_command

        cmd = restart_command(sys.argv)
        logging.shutdown()
        os.execv(cmd[0], cmd)
    return code
