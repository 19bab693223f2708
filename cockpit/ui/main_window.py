"""Main window: one tab per brain of the catalog, and a status bar with the link state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from cockpit.api.schema import Alert, Catalog
from cockpit.brains import layout as layouts
from cockpit.hub.hub import BrainUpdate, HubStatus, LinkState, now_ms
from cockpit.resources import layout_dirs, load_theme
from cockpit.ui import legibility, trend_ranges
from cockpit.ui.brain_tab import BrainTab
from cockpit.ui.drill import DrillView
from cockpit.ui.enterprise_tab import EnterpriseTab
from cockpit.ui.model import Models
from cockpit.ui.panels import TabContext
from cockpit.ui.text import (
    clock,
    plain_tip,
    problem_text,
    reason_short,
    reason_text,
    set_time_zone,
    stamp,
    tr,
)
from cockpit.ui.watermark import Watermark
from widgets import Panel, theme

log = logging.getLogger(__name__)



def state_color(state: LinkState) -> str:
    """The link state's colour in the current palette."""
    return {LinkState.CONNECTING: theme.WARN, LinkState.LIVE: theme.OK, LinkState.OFFLINE: theme.ALARM}[state]


@dataclass
class Services:
    """Lookups the app provides (each answers by callback on the UI thread); None: not available."""

    fetch_chain: Callable[..., None] | None = None
    fetch_batch: Callable[..., None] | None = None
    search: Callable[..., None] | None = None
    profile: Callable[..., None] | None = None
    load_range: Callable[..., None] | None = None  # trend ranges (cockpit.ui.trend_ranges)
    benefits: Any = None  # 企业码 benefit applications (cockpit.ui.benefits.BenefitService)
    twin: Callable[..., None] | None = None  # a plant's digital twin (the profile's "孪生视图")
    # drill-down views (cockpit.ui.drill): a district, an industry in a district, a chain link
    district: Callable[..., None] | None = None
    cluster: Callable[..., None] | None = None
    chain_link: Callable[..., None] | None = None



class MainWindow(QMainWindow):
    """Tabs built from the catalog; updates routed to the tab of their brain."""

    def __init__(self, lang: str = "zh", api_label: str = "", initial_tab: str | None = None, *,
                 layout_dirs: list[Path] | None = None, animate: bool = True, demo: bool = False,
                 models: Models | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.text_profile: str | None = None  # wall / desk: the minimum text height (set_text_profile)
        self.title_band: QWidget | None = None  # a wall screen's name, clock and data time (ui.title_band)
        # the data every screen shows (shared by all windows of a --wall); a window of its own otherwise
        self.models = models if models is not None else Models(self)
        self.models.alerts_changed.connect(self._alerts_changed)
        self.initial_tab = initial_tab
        # trend ranges to choose again once the tabs are built and ranges can be loaded
        # (kept over a watchdog restart, and over a catalog that rebuilds the tabs)
        self._wanted_ranges: dict[str, dict[str, str]] = {}
        self.layout_dirs = layout_dirs if layout_dirs is not None else _default_layout_dirs()
        self.animate = animate
        self.services = Services()
        self.layout_errors: dict[str, str] = {}  # brain -> why its layout file was not used
        self.tabs_by_brain: dict[str, BrainTab] = {}
        self.missing_tab: str | None = None  # the tab asked for that the platform does not have
        self.enterprise_tab: EnterpriseTab | None = None
        self.status = HubStatus(LinkState.CONNECTING)
        # where the 1 Hz refresh reads the latest status (its last-update time changes
        # with every answer, which is not worth a status event)
        self.status_provider: Callable[[], HubStatus] | None = None
        self.setWindowTitle(tr("app_title", lang))
        self.theme = theme.palette_name()
        self.setStyleSheet(load_theme(self.theme))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setDrawBase(False)  # no light rule across the empty end of the tab bar
        # full-width banner above the tabs while the screen shows cached or offline data
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.banner)
        box.addWidget(self.tabs, 1)
        self.drill = DrillView(self)  # drilled views, in place of the tabs while open
        box.addWidget(self.drill, 1)
        self.setCentralWidget(central)
        # simulated numbers must never pass for real ones
        self.watermark = Watermark(central, lang) if demo else None
        self._demo = demo
        self._brains: list | None = None  # the catalog's brains the tabs were built from
        self._catalog: Catalog | None = None
        self._placeholder = QLabel(tr("connecting", lang) + " …")
        self._placeholder.setObjectName("placeholder")
        self._placeholder.setTextFormat(Qt.TextFormat.PlainText)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs.addTab(self._placeholder, tr("connecting", lang))
        self.link_label = QLabel()
        self.error_label = QLabel()
        self.cache_label = QLabel()
        self.api_address = api_label
        self.api_label = QLabel(f"{tr('server', lang)} {api_label}")
        for lab in (self.link_label, self.error_label, self.cache_label, self.api_label):
            lab.setTextFormat(Qt.TextFormat.PlainText)
        for lab in (self.link_label, self.error_label, self.cache_label):
            # a long text (a platform's message) is cut, never widens the window
            lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            lab.setMinimumWidth(1)
        self._placeholder.setWordWrap(True)
        self.cache_label.setStyleSheet(f"color: {theme.WARN};")
        self.statusBar().addWidget(self.link_label, 1)
        self.statusBar().addWidget(self.error_label, 2)
        self.statusBar().addWidget(self.cache_label, 1)
        self.statusBar().addPermanentWidget(self.api_label)
        self.demo_label: QLabel | None = None
        if self._demo and self.watermark is not None:
            self.demo_label = QLabel(self.watermark.badge_text())
            self.demo_label.setObjectName("demoBadge")
            self.demo_label.setTextFormat(Qt.TextFormat.PlainText)
            self.statusBar().addPermanentWidget(self.demo_label)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        # commands the app provides (export, settings, diagnostics, rotation...): each gets a
        # menu item and a shortcut once it is there; absent ones are not shown
        self.commands: dict[str, Callable[[], None]] = {}
        self.lang_listeners: list[Callable[[str], None]] = []  # told when the language changes
        self.lang_listeners.append(self.drill.set_lang)
        self.menu_actions: dict[str, QAction] = {}
        self._build_menus()
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self.refresh)
        self._ticker.start()
        self._show_status()

    # ---- hub callbacks ---------------------------------------------------------

    def on_catalog(self, catalog: Catalog) -> None:
        """Build one tab per brain; rebuilt only when the brains changed (a catalog from
        the API that matches the cached one keeps the tabs and what they show)."""
        set_time_zone(catalog.time_zone)  # every time on screen in the platform's zone
        if catalog.brains == self._brains:
            return
        self._catalog = catalog
        self._brains = list(catalog.brains)
        current = self.current_brain() or self.initial_tab
        self._wanted_ranges.update(trend_ranges.chosen(self.tabs_by_brain))
        self.tabs.blockSignals(True)
        while self.tabs.count():
            w = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if w is not None and w is not self._placeholder:
                w.deleteLater()
        self.tabs_by_brain.clear()
        self.layout_errors.clear()
        ctx = TabContext(
            lang=self.lang,
            animate=self.animate,
            open_enterprise=self.drill.open_key,
            open_district=self.drill.open_district,
            open_link=self.drill.open_link,
            all_alerts=self.all_alerts,
            fetch_chain=lambda *a: self.services.fetch_chain(*a) if self.services.fetch_chain else None,
            fetch_batch=lambda *a: self.services.fetch_batch(*a) if self.services.fetch_batch else None,
            alarm_label=self.alarm_label,
            open_brain=self.show_brain,
            load_range=lambda *a: self.services.load_range(*a) if self.services.load_range else None,
        )
        for brain in catalog.brains:
            spec, error = None, None
            try:
                spec = layouts.load(brain, catalog, self.layout_dirs)
            except layouts.LayoutError as exc:
                error = f"{exc.path}: " + "; ".join(
                    (f"{tr('line', self.lang, n=p.line)} {p.message}" if p.line else p.message) for p in exc.problems[:3])
                log.error("layout of %s not used, automatic layout instead: %s", brain.id, exc)
                self.layout_errors[brain.id] = str(exc)
            try:
                tab = BrainTab(brain, self.lang, layout=spec, layout_error=error, ctx=ctx)
            except Exception as exc:  # a layout the checks passed but the widgets refused
                log.exception("layout of %s failed to build: automatic layout instead", brain.id)
                self.layout_errors[brain.id] = str(exc)
                tab = BrainTab(brain, self.lang, layout_error=f"{spec.path if spec else ''}: {exc}", ctx=ctx)
            tab.setObjectName("tabpage")
            tab.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            self.tabs_by_brain[brain.id] = tab
            self.tabs.addTab(tab, brain.name.pick(self.lang).replace("&", "&&"))  # API text: no mnemonic
            tab.bind_model(self.models.brain(brain.id))
        if not catalog.brains:
            self._placeholder.setText(tr("no_brains", self.lang))
            self.tabs.addTab(self._placeholder, "—")
        else:
            self.enterprise_tab = EnterpriseTab(
                self.lang,
                lambda *a: self.services.search(*a) if self.services.search else None,
                lambda *a: self.services.profile(*a) if self.services.profile else None,
            )
            self.enterprise_tab.brain_names = {b.id: b.name.pick(self.lang) for b in catalog.brains}
            self.enterprise_tab.benefits.service_of = lambda: self.services.benefits
            self.enterprise_tab.twin_fn = lambda *a: self.services.twin(*a) if self.services.twin else None
            self.enterprise_tab.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            self.tabs.addTab(self.enterprise_tab, tr("enterprise_tab", self.lang))
        self.tabs.blockSignals(False)
        self._apply_profile()
        if not self.show_brain(current) and current and current == self.initial_tab and catalog.brains:
            self.missing_tab = current  # --tab names a brain the platform lacks: say so
            self.statusBar().showMessage(tr("no_such_tab", self.lang, t=current[:40]), 60_000)
        self._rescale_tabbar()

    def on_update(self, update: BrainUpdate, cached: bool = False) -> None:
        """An update into the models (the app feeds the shared models itself; tests use this)."""
        self.models.on_update(update, cached)

    def _alerts_changed(self) -> None:
        """Some brain's alerts changed: tickers of every brain's alerts show them now."""
        for tab in self.tabs_by_brain.values():
            tab.other_alerts_changed()

    def show_cache_notice(self, text: str) -> None:
        """A problem with the offline cache (set aside, running from memory...)."""
        self.cache_label.setText(tr("cache_notice", self.lang, n=text)[:200])
        self.cache_label.setToolTip(plain_tip(text))

    def on_status(self, status: HubStatus) -> None:
        self.status = status
        if not self.tabs_by_brain:  # nothing to show yet: say why, large, in the middle
            self._show_placeholder()
        self.models.on_status(status)
        self._show_status()
        self.refresh()

    # ---- view ------------------------------------------------------------------

    # ---- menus and shortcuts ----------------------------------------------------------

    MENU: list[tuple[str, list]] = [
        # (menu key, [(command key, shortcut)]); "-" is a separator
        ("menu_file", [("export_png", "Ctrl+S"), ("export_pdf", "Ctrl+P"), ("export_csv", "Ctrl+Shift+S"), "-",
                       ("settings", "Ctrl+,"), "-", ("quit", "Ctrl+Q")]),
        ("menu_view", [("alarm_journal", "Ctrl+J"), ("replay", "Ctrl+T"), "-", ("next_tab", "Ctrl+PgDown"), ("prev_tab", "Ctrl+PgUp"), "-", ("fullscreen", "F11"),
                       ("kiosk", "Ctrl+Shift+K"), "-", ("rotate_pause", "Space"), ("rotate_next", "Ctrl+Right"),
                       "-", ("theme", None), ("lang", None)]),
        ("menu_help", [("diagnostics", "F1"), ("about", None)]),
    ]

    def set_command(self, key: str, fn: Callable[[], None]) -> None:
        """Provide a command (menu item + shortcut); the menus are rebuilt with it."""
        self.commands[key] = fn
        self._build_menus()

    def _builtin_commands(self) -> dict[str, Callable[[], None]]:
        return {
            "quit": self._quit,
            "next_tab": lambda: self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % max(1, self.tabs.count())),
            "prev_tab": lambda: self.tabs.setCurrentIndex((self.tabs.currentIndex() - 1) % max(1, self.tabs.count())),
            "fullscreen": lambda: self.showNormal() if self.isFullScreen() else self.showFullScreen(),
            "about": self._about,
        }

    def _build_menus(self) -> None:
        lang = self.lang
        bar = self.menuBar()
        bar.clear()
        for a in self.menu_actions.values():
            self.removeAction(a)
        self.menu_actions = {}
        commands = {**self._builtin_commands(), **self.commands}
        for menu_key, items in self.MENU:
            menu = bar.addMenu(tr(menu_key, lang))
            for item in items:
                if item == "-":
                    menu.addSeparator()
                    continue
                key, shortcut = item  # type: ignore[misc]
                if key == "theme":
                    sub = menu.addMenu(tr("cmd_theme", lang))
                    group = QActionGroup(sub)
                    for name in theme.PALETTES:
                        act = sub.addAction(tr(f"theme_{name}", lang))
                        act.setCheckable(True)
                        act.setChecked(name == self.theme)
                        act.triggered.connect(lambda _=False, n=name: self.set_theme(n))
                        group.addAction(act)
                        self.menu_actions[f"theme_{name}"] = act
                    continue
                if key == "lang":
                    sub = menu.addMenu(tr("cmd_lang", lang))
                    group = QActionGroup(sub)
                    for code, label in (("zh", "中文"), ("en", "English")):
                        act = sub.addAction(label)
                        act.setCheckable(True)
                        act.setChecked(code == lang)
                        act.triggered.connect(lambda _=False, c=code: self.set_lang(c))
                        group.addAction(act)
                        self.menu_actions[f"lang_{code}"] = act
                    continue
                fn = commands.get(key)
                if fn is None:
                    continue  # a feature this cockpit does not have (yet): no dead menu item
                act = menu.addAction(tr(f"cmd_{key}", lang))
                if shortcut:
                    act.setShortcut(QKeySequence(shortcut))
                    act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                act.triggered.connect(lambda _=False, f=fn: f())
                self.addAction(act)  # shortcuts work with the menu bar hidden (kiosk)
                self.menu_actions[key] = act
            if menu.isEmpty():
                bar.removeAction(menu.menuAction())
        # tabs by number: Ctrl+1 … Ctrl+9
        for i in range(9):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _=False, n=i: self.tabs.setCurrentIndex(n) if n < self.tabs.count() else None)
            self.addAction(act)
            self.menu_actions[f"tab_{i + 1}"] = act

    def _quit(self) -> None:
        """Quit (Ctrl+Q); refused in kiosk mode, where the exit chord (and the PIN) is the
        only way out (docs/CONFIG.md [kiosk])."""
        from cockpit.ui.kiosk import kiosk_of

        kiosk = kiosk_of(self)
        if kiosk is not None:
            log.info("kiosk: quit refused; leave kiosk mode with %s", kiosk.chord_text)
            return
        self.close()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from cockpit import __version__

        box = QMessageBox(self)
        box.setWindowTitle(tr("cmd_about", self.lang))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{tr('app_title', self.lang)} {__version__}\n{self.api_label.text()}")
        box.open()  # never blocks the loop

    def set_lang(self, lang: str) -> None:
        """Switch the interface language at runtime: the tabs are rebuilt in it and keep
        what they showed (values, states, chart history)."""
        if lang not in ("zh", "en"):
            raise ValueError(f"language must be zh or en, not {lang!r}")
        if lang == self.lang:
            return
        profile = self.enterprise_tab.profile.code if self.enterprise_tab and self.enterprise_tab.profile else None
        current = self.current_brain()
        old = self.lang
        from cockpit import i18n

        i18n.use(lang)  # the Qt translation file (English) installed or removed
        self.lang = lang
        self.setWindowTitle(tr("app_title", lang))
        self.api_label.setText(self.api_label.text().replace(tr("server", old), tr("server", lang), 1)
                               .replace(tr("embedded", old), tr("embedded", lang)))
        if self.watermark is not None:
            self.watermark.lang = lang
            self.watermark._tile = None
            self.watermark.update()
            if self.demo_label is not None:
                self.demo_label.setText(self.watermark.badge_text())
        if self._catalog is not None:
            self._brains = None
            self.initial_tab = current
            self.on_catalog(self._catalog)  # the new tabs show what the models hold
            self.show_brain(current)
            if profile and self.enterprise_tab is not None:
                self.enterprise_tab.open_code(profile)
        self._build_menus()
        for fn in self.lang_listeners:
            fn(lang)
        self.refresh()

    def set_theme(self, name: str) -> None:
        """Switch the palette at runtime: style sheet, every painted widget, the forms."""
        theme.use_palette(name)  # ValueError for an unknown name, before anything changed
        self.theme = name
        self.setStyleSheet(load_theme(name))
        for w in self.findChildren(Panel):
            w.restyle()
        if self.enterprise_tab is not None:
            self.enterprise_tab.restyle()
        self.drill.restyle()
        self.cache_label.setStyleSheet(f"color: {theme.WARN};")
        self._show_status()
        self._build_menus()

    def open_enterprise(self, code: str) -> None:
        """Show an enterprise's profile on the enterprise-code tab (a click on a ranking row, an alert)."""
        if self.enterprise_tab is None:
            return
        self.tabs.setCurrentWidget(self.enterprise_tab)
        self.enterprise_tab.open_code(code)

    def alarm_label(self, alert_id: str) -> str:
        """An alert's handling as the tickers show it: "" when new, else "已确认" (· 待发送)."""
        state, pending = self.models.state_of(alert_id)
        if state == "new":
            return ""
        return tr(f"state_{state}", self.lang) + (f" · {tr('aj_pending', self.lang)}" if pending else "")

    def all_alerts(self) -> list[tuple[str, Alert]]:
        """Every brain's active alerts with the brain's name (from the models)."""
        names = {b.id: b.name.pick(self.lang) for b in self._brains or []}
        return [(names.get(b, b), a) for b, a in self.models.all_alerts()]

    def show_brain(self, brain_id: str | None) -> bool:
        if brain_id == "enterprise" and self.enterprise_tab is not None:
            self.tabs.setCurrentWidget(self.enterprise_tab)
            return True
        if brain_id in self.tabs_by_brain:
            self.tabs.setCurrentWidget(self.tabs_by_brain[brain_id])
            return True
        return False

    def current_brain(self) -> str | None:
        w = self.tabs.currentWidget()
        if w is not None and w is self.enterprise_tab:
            return "enterprise"
        return w.brain.id if isinstance(w, BrainTab) else None

    def current_tab(self) -> BrainTab | None:
        w = self.tabs.currentWidget()
        return w if isinstance(w, BrainTab) else None

    def tab_title(self, index: int | None = None) -> str:
        """A tab's title as the user reads it (the current tab's by default): the tab bar
        shows an API name's '&' written as '&&' (no mnemonic); this is the text again."""
        i = self.tabs.currentIndex() if index is None else index
        return self.tabs.tabText(i).replace("&&", "&")

    def chart_ranges(self) -> dict[str, dict[str, str]]:
        """The trend ranges chosen on this window's charts (see :func:`trend_ranges.chosen`)."""
        return {**self._wanted_ranges, **trend_ranges.chosen(self.tabs_by_brain)}

    def restore_chart_ranges(self, wanted: object) -> None:
        """Choose :meth:`chart_ranges` of an earlier process again, as soon as the tabs are
        built and the ranges can be loaded."""
        self._wanted_ranges = trend_ranges.restore({}, wanted)

    def refresh(self) -> None:
        """1 Hz: re-derive states of the visible tab (ages grow without new data)."""
        if self._wanted_ranges and self.services.load_range is not None and self.tabs_by_brain:
            self._wanted_ranges = trend_ranges.restore(self.tabs_by_brain, self._wanted_ranges)
        if self.status_provider is not None:
            self.status = self.status_provider()
        tab = self.current_tab()
        if tab is not None:
            tab.refresh_states(now_ms(), self.status)
        legibility.refresh_band(self, now_ms())
        self._show_status()

    def _show_placeholder(self) -> None:
        s, lang = self.status, self.lang
        if s.state == LinkState.OFFLINE:
            answered = s.reason.startswith("Catalog does not fit the contract")  # it answered: not "cannot reach"
            lines = [tr("catalog_rejected" if answered else "cannot_reach", lang), self.api_address]
            if s.reason:
                lines.append(tr("reason", lang, r=reason_short(s.reason, lang)[:200]))
            lines.append(tr("retrying", lang))
            self._placeholder.setText("\n".join(lines))
            self.tabs.setTabText(self.tabs.indexOf(self._placeholder), tr("offline", lang))
        else:
            self._placeholder.setText(tr("connecting", lang) + " …")
            self.tabs.setTabText(self.tabs.indexOf(self._placeholder), tr("connecting", lang))

    def _on_tab_changed(self, _index: int) -> None:
        self.drill.tab_changed()  # another tab chosen (a shortcut, the rotation): the drill is left
        self.refresh()

    def _show_status(self) -> None:
        s, lang = self.status, self.lang
        parts = [f"● {tr(s.state.value, lang)}"]
        if s.state == LinkState.LIVE:
            parts.append(tr("mode_poll" if s.mode == "poll" else "mode_stream", lang))
            parts.append(tr("updated_at", lang, t=clock(s.last_update_ms)))
        elif s.state == LinkState.OFFLINE:
            if s.reason:
                parts.append(reason_text(s.reason, lang))
            parts.append(tr("data_as_of", lang, t=stamp(self._data_as_of())))
        self.link_label.setText(" · ".join(parts))
        # the link state and the time of the last update are read first: room for them (at most a
        # third of the window, so a long message still never widens it)
        fm = self.link_label.fontMetrics()
        self.link_label.setMinimumWidth(min(fm.horizontalAdvance(self.link_label.text()) * 6 // 5 + 2 * fm.height(),
                                            max(0, self.width() // 3)))
        self._show_banner()
        problems = [(b, p) for b, parts_ in sorted(s.problems.items()) for p in parts_.values()]
        # never a plain green "在线" over a part the platform's data blanked
        color = theme.WARN if s.state == LinkState.LIVE and (s.errors or problems) else state_color(s.state)
        self.link_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        text = ""
        if s.errors:
            names = ", ".join(self._brain_name(b) for b in sorted(s.errors))
            first = next(iter(s.errors.values()))
            text = f"{tr('bad_payload', lang)} ({names}): {reason_short(first, lang)}"
        elif problems:
            b, p = problems[0]
            text = f"{tr('bad_parts', lang, n=len(problems))} · {self._brain_name(b)} · {problem_text(p, lang)}"
        self.error_label.setText(text[:240])
        self.error_label.setToolTip(plain_tip(text[:2000]))
        if text:
            self.error_label.setStyleSheet(f"color: {theme.WARN};")

    def _brain_name(self, brain_id: str) -> str:
        tab = self.tabs_by_brain.get(brain_id)
        return tab.brain.name.pick(self.lang) if tab is not None else brain_id

    def _data_as_of(self) -> int | None:
        """When the newest data on screen arrived (live or from the cache)."""
        shown = self.models.data_as_of()
        return shown if shown is not None else self.status.last_update_ms

    def _show_banner(self) -> None:
        """Offline (or still connecting) while values are on screen: say it across the top."""
        s, lang = self.status, self.lang
        shown = self._data_as_of()
        cached = self.models.any_cached()
        if shown is not None and s.state == LinkState.OFFLINE:
            text = tr("banner_offline", lang, t=stamp(shown))
        elif shown is not None and cached and s.state == LinkState.CONNECTING:
            text = tr("banner_cached", lang, t=stamp(shown))
        else:
            self.banner.hide()
            return
        self.banner.setText(text)
        self.banner.setProperty("state", s.state.value)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Destroying the tab widget removes its tabs and emits currentChanged; a Python
        # slot of a window being finalized must not receive it (a crash seen in tests).
        if self._ticker.isActive():
            self.tabs.currentChanged.disconnect(self._on_tab_changed)
            self._ticker.stop()
        super().closeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._rescale_tabbar()
        self._apply_profile()

    def set_tab_corner(self, widget: QWidget) -> None:
        """Put ``widget`` (the unacknowledged-alarm badge) at the right end of the tab bar: the
        tab widget lays it out beside the tabs, never over one, and the tabs are fitted into
        what is left (:meth:`_fit_tabs`) whenever it shows, hides or changes size."""
        self.tabs.setCornerWidget(widget, Qt.Corner.TopRightCorner)
        widget.installEventFilter(self)
        self._fit_tabs()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (event.type() in (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Resize)
                and obj is self.tabs.cornerWidget(Qt.Corner.TopRightCorner)):
            self._fit_tabs()
        return super().eventFilter(obj, event)

    def _fit_tabs(self) -> None:
        """The tab titles at the scaled size, their padding and then their font made smaller
        only as far as needed for every tab to fit beside the corner widget (no scroll buttons,
        no cut titles): with eight English titles the alarm badge left too little room."""
        px = getattr(self, "_tab_px", None)
        if px is None:
            return
        bar = self.tabs.tabBar()
        corner = self.tabs.cornerWidget(Qt.Corner.TopRightCorner)
        room = self.tabs.width()
        if corner is not None and not corner.isHidden():
            room -= corner.sizeHint().width()
        sheet = ""
        for share in _TAB_FONT_SHARES:
            for pad in _TAB_PADDINGS_EM:
                sheet = f"QTabBar::tab {{ font-size: {max(12, round(px * share))}px; padding: 0.35em {pad}em; }}"
                if sheet != bar.styleSheet():
                    bar.setStyleSheet(sheet)
                if bar.sizeHint().width() <= room:
                    return

    def set_text_profile(self, profile: str | None) -> None:
        """``wall`` or ``desk``: the minimum text height (cockpit.ui.legibility); None: none."""
        self.text_profile = profile
        self._apply_profile()

    def _apply_profile(self) -> None:
        profile = getattr(self, "text_profile", None)
        if profile:
            legibility.apply_profile(self, profile)

    def _rescale_tabbar(self) -> None:
        """Tab titles and status bar scale with the window: readable on a 4K wall."""
        px = max(14, round(self.height() / 1080 * 22))
        small = max(12, round(px * 0.8))
        # style sheets override setFont(): the sizes go into the sheet itself
        self._tab_px = px
        self._fit_tabs()
        self.statusBar().setStyleSheet(f"QStatusBar, QStatusBar QLabel {{ font-size: {small}px; }}")
        self.menuBar().setStyleSheet(f"QMenuBar, QMenu {{ font-size: {small}px; }}")
        self._placeholder.setStyleSheet(f"font-size: {round(px * 1.5)}px;")
        self.banner.setStyleSheet(f"font-size: {round(px * 1.1)}px; padding: {round(px * 0.3)}px;")


# the tabs' side padding (em), then their font (share of the scaled size), tried in turn until
# every tab fits beside the corner widget (eight English titles and the alarm badge at 1920 px)
_TAB_PADDINGS_EM = (1.2, 1.0, 0.8, 0.65, 0.5)
_TAB_FONT_SHARES = (1.0, 0.94, 0.88, 0.82)


def _default_layout_dirs() -> list[Path]:
    return layout_dirs()
