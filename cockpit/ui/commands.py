"""The window's commands and services, wired by the app: File → export, the settings
dialog, the F1 diagnostics rows, the on-demand lookups, the booth tour and the
``--enterprise``/``--batch`` look-ups at start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from cockpit.settings import Settings
from cockpit.ui.text import clock, reason_text, tr

if TYPE_CHECKING:
    from cockpit.cache import CacheWorker
    from cockpit.hub.fleet import FleetReporter
    from cockpit.hub.hub import HubStatus
    from cockpit.hub.lookups import Lookups
    from cockpit.ui.main_window import MainWindow
    from cockpit.ui.rotation import Rotation
    from cockpit.ui.tour import Tour
    from cockpit.watchdog import Watchdog

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, None]], "asyncio.Task[Any]"]


def export_tab(main: MainWindow, kind: str, source: str) -> None:
    """File → export: the shown tab as PNG or PDF, its charts' data as CSV. ``source``:
    where the data come from, printed on the PDF."""
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

    lang = main.lang
    page = main.tabs.currentWidget()
    if page is None:
        return
    title = main.tab_title()
    drill = main.drill if main.drill.drilled else None
    if drill is not None:  # what is on screen: the drilled view (a district, an enterprise), titled by its breadcrumb
        page, title = drill, drill.breadcrumb_text()
    if kind == "csv" and not charts_in(page):
        main.statusBar().showMessage(tr("export_no_chart", lang), 8000)
        return
    brain = getattr(page, "brain", None)
    model = main.models.brain(brain.id) if brain is not None else None
    received = model.received_ms if model is not None else None
    if drill is not None:
        current = drill.current()
        received = current.data_ts() if current is not None else None
    replay = getattr(main, "replay", None)
    if replay is not None and not replay.live:  # the past: the export says which moment it shows
        from cockpit.moments import moment_text

        title = f"{title} · {tr('replay_band', lang, t=moment_text(replay.cursor_ms, fmt='%Y-%m-%d %H:%M'))}"
        received = replay.cursor_ms

    def write(path: Path) -> None:
        try:
            if kind == "png":
                export_png(page, path, scale=2)
            elif kind == "pdf":
                notes = page.provenance_notes() if hasattr(page, "provenance_notes") else []
                export_pdf(page, path, f"{title} · {tr('app_title', lang)}", received, source, lang, notes=notes)
            elif model is not None:  # each chart's series as it shows them (live, replayed or a chosen range)
                export_csv(path, *series_rows(chart_series(page, model, lang), lang))
            else:
                export_csv(path, *chart_rows(charts_in(page), lang))
        except ExportError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, tr("export_failed", lang), str(exc), parent=main)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.open()
            return
        main.statusBar().showMessage(tr("export_done", lang, p=str(path)), 8000)

    choose_path(main, kind, Path.home() / default_name(title, kind), write, lang)


def chart_series(page: Any, model: Any, lang: str) -> list[tuple[str, Any, Any]]:
    """(name, epoch seconds, values) of every metric a brain tab charts, as its chart shows it:
    the model's history (the live 24 hours, or the replayed ones) where the chart is live; the
    chosen range's points (今日, 近7天, 本月, 本年) where one is chosen, and last year's beside
    them where the chart draws those (once the export wrote the live 24 hours whatever the
    chart showed)."""
    named: list[tuple[str, Any, Any]] = []
    ranges = getattr(page, "ranges", [])
    for c in getattr(page, "charts", []):
        name = f"{c.metric.name.pick(lang)} ({c.metric.unit.pick(lang)})"
        if not c.ranged:
            named.append((name, *model.shown_series(c.metric.id)))
            continue
        named.append((name, *c.chart.series_data(c.series)))
        for r in ranges:
            if c in r.bindings:
                faint = r.faint[r.bindings.index(c)]
                if c.chart.series_visible(faint):
                    named.append((f"{name} · {tr('last_year_same_period', lang)}", *c.chart.series_data(faint)))
    return named


def export_source(base_url: str, embedded: bool, lang: str) -> str:
    """The data source as printed on an export."""
    if not embedded:
        return base_url
    return base_url + " · " + tr("embedded", lang) + " · " + ("演示数据" if lang == "zh" else "demo data")


def open_settings(main: MainWindow, settings: Settings) -> None:
    """The settings dialog on the config file; not modal to the loop (open(), not exec())."""
    from cockpit.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog(settings, main.lang, parent=main)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dlg.open()


def wire_lookups(main: MainWindow, lookups: Lookups, spawn: Spawn) -> None:
    """On-demand lookups (chain, enterprise, batch) for the window, answered by callback."""

    def run(make: Callable[[], Coroutine[Any, Any, Any]], cb: Callable[..., None], full: bool) -> None:
        # the coroutine is made inside the task: a task cancelled before it started
        # (at shutdown) leaves no coroutine never awaited
        async def go() -> None:
            from cockpit.ui.text import reason_short

            ans = await make()
            error = reason_short(ans.error, main.lang)[:200] if ans.error else ans.error  # short, UI language
            try:
                if full:
                    cb(ans.value, error, ans.missing, ans.fetched_ms)
                else:
                    cb(ans.value, error)
            except RuntimeError as exc:  # the asking widget is gone (tabs rebuilt meanwhile)
                log.debug("lookup answer dropped: %s", exc)

        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the app's loop has ended (a window that outlived run(), its timer): nothing to ask
            log.debug("lookup not asked: no running loop")
            return
        spawn(go())

    main.services.fetch_chain = lambda brain, cb: run(lambda: lookups.chain(brain), cb, False)
    main.services.fetch_batch = lambda no, cb: run(lambda: lookups.batch(no), cb, True)
    main.services.search = lambda q, cb: run(lambda: lookups.search(q), cb, False)
    main.services.profile = lambda code, cb: run(lambda: lookups.enterprise(code), cb, True)
    from cockpit.hub.hub import now_ms
    from cockpit.hub.ranges import RangeLoader
    from cockpit.ui.trend_ranges import make_load_range

    main.services.load_range = make_load_range(RangeLoader(lookups.hub.fetch_series, lookups.cache, now_ms),
                                               spawn, now_ms)
    main.services.twin = lambda code, cb: run(lambda: lookups.twin(code), cb, True)
    main.services.district = lambda d, cb: run(lambda: lookups.district(d), cb, True)
    main.services.cluster = lambda d, b, cb: run(lambda: lookups.district_cluster(d, b), cb, True)
    main.services.chain_link = lambda b, ln, cb: run(lambda: lookups.chain_link(b, ln), cb, True)


def diagnostics_rows(lang: str, status: HubStatus, base_url: str, cache: CacheWorker | None,
                     watchdog: Watchdog | None, rotation: Rotation | None,
                     fleet: FleetReporter | None) -> dict[str, str]:
    """The rows of the F1 overlay."""
    st = status
    link = tr(st.state.value, lang) + (f" · {reason_text(st.reason, lang)}" if st.reason else "")
    rows = {
        tr("diag_link", lang): link + (f" · {tr('mode_poll' if st.mode == 'poll' else 'mode_stream', lang)}"
                                         if st.state.value == "live" else ""),
        tr("diag_api", lang): base_url,
        tr("diag_last", lang): clock(st.last_update_ms),
    }
    if cache is not None and cache.path_in_use is not None:
        try:
            stat = Path(cache.path_in_use).stat()
            rows[tr("diag_cache", lang)] = f"{stat.st_size / 1e6:.1f} MB · {clock(int(stat.st_mtime * 1000))}"
        except OSError as exc:
            rows[tr("diag_cache", lang)] = str(exc)
    elif cache is not None:
        rows[tr("diag_cache", lang)] = cache.notice or tr("diag_memory_cache", lang)
    if watchdog is not None:
        st_w = watchdog.status()
        ui, mem = st_w["ui"], st_w["memory"]
        text = tr("diag_stalls", lang, n=ui["stalls"])
        if mem["growing"]:
            text += " · " + tr("diag_growing", lang, mb=mem["growth_mb"], h=mem["growth_hours"])
        if st_w["restart"]["next"]:
            text += " · " + tr("diag_restart", lang, t=st_w["restart"]["next"][11:16])
        rows[tr("diag_watchdog", lang)] = text
    if rotation is not None:
        r = rotation
        rows[tr("diag_rotation", lang)] = (tr("diag_paused", lang) if r.paused else
                                           f"{r.mode()} · {round(100 * r.progress())}%")
    if fleet is not None:
        rows[tr("diag_fleet", lang)] = (clock(fleet.last_ok_ms) if fleet.last_error == ""
                                        else str(fleet.last_error)[:80])
    return rows


def start_tour(main: MainWindow, lang: str) -> Tour:
    """The booth tour on ``main``, its first step once the first data are painted."""
    from cockpit.ui.tour import Tour

    tour = Tour(main, lang)
    QTimer.singleShot(1500, tour.start)
    return tour


class StartLookups:
    """``--enterprise`` / ``--batch``: looked up once, as soon as the tabs exist."""

    def __init__(self, main: MainWindow, enterprise: str | None, batch: str | None) -> None:
        self.main = main
        self.enterprise = enterprise
        self.batch = batch
        self._opened: set[str] = set()

    def open(self) -> None:
        from cockpit.ui.batch_check import BatchCheck

        main = self.main
        if self.enterprise and main.enterprise_tab is not None and "enterprise" not in self._opened:
            self._opened.add("enterprise")
            main.open_enterprise(self.enterprise)
        tab = main.tabs_by_brain.get("wine")
        if self.batch and tab is not None and "batch" not in self._opened:
            for view in tab.findChildren(BatchCheck):
                self._opened.add("batch")
                view.entry.setText(self.batch)
                view.check()

    def batch_shown(self) -> bool:
        """The batch asked for is on screen (always True without ``--batch``)."""
        from cockpit.ui.batch_check import BatchCheck

        if not self.batch:
            return True
        tab = self.main.tabs_by_brain.get("wine")
        views = tab.findChildren(BatchCheck) if tab is not None else []
        return any(v.batch is not None for v in views)
