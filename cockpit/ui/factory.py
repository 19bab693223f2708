"""Widgets from layout panels: each ``widget = "…"`` kind made and bound to its data.

``build_panel(tab, spec)`` makes the widget of one checked :class:`PanelSpec` and
registers its binding with the tab (metric bindings in ``tab.bindings``, charts in
``tab.charts``, the rest in ``tab.others``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from cockpit.api.schema import Brain, Chain, DataPanel, Metric, Row, Snapshot
from cockpit.brains.layout import PanelSpec
from cockpit.ui import panels as pb
from cockpit.ui.panels import Bound, MetricBound, PanelBound, StateInput, TabContext, row_value
from cockpit.ui.projects_view import project_lines
from cockpit.ui.text import stamp, tr
from widgets.alert_ticker import AlertTicker, TickerItem
from widgets.bar_chart import BarChart
from widgets.big_number import BigNumber
from widgets.chain_map import ChainLink, ChainMap, ChainStage
from widgets.district_map import Area, DistrictTileMap
from widgets.progress_target import ProgressToTarget
from widgets.ranking_board import RankingBoard, RankRow
from widgets.share_chart import ShareChart
from widgets.state import DataState


class PanelHost(Protocol):
    """What a panel needs of the tab it is built on (:class:`cockpit.ui.brain_tab.BrainTab`
    is one; this module does not import it: the tab imports the factory, not the reverse)."""

    brain: Brain
    lang: str
    ctx: TabContext
    bindings: list[MetricBound]
    others: list[Bound]
    charts: list[Any]

    def make_tile(self, m: Metric, title: str | None = None) -> Any: ...

    def make_gauge(self, m: Metric, title: str | None = None) -> Any: ...

    def make_chart(self, metrics: list[Metric], title: str | None = None, hours: float = 24) -> Any: ...

    def describe(self, w: QWidget, m: Metric, title: str | None = None) -> None: ...

CHAIN_REFRESH_MS = 5 * 60 * 1000  # the chain changes slowly: asked again every 5 minutes
CHAIN_RETRY_MS = 30 * 1000


def build_panel(tab: PanelHost, spec: PanelSpec) -> QWidget:
    make = _MAKERS[spec.widget]
    return make(tab, spec)


def _metric(tab: PanelHost, metric_id: str) -> Metric:
    m = tab.brain.metric(metric_id)
    if m is None:  # a metric of another brain (the city shows some)
        raise KeyError(metric_id)
    return m


def _title(tab: PanelHost, spec: PanelSpec, default: str = "") -> str:
    return spec.title(tab.lang) or default


def _panel_title(tab: PanelHost, spec: PanelSpec, panel_id: str) -> str:
    t = spec.title(tab.lang)
    if t:
        return t
    info = next((p for p in tab.brain.panels if p.id == panel_id), None)
    return info.title.pick(tab.lang) if info is not None else panel_id


# ---- value widgets --------------------------------------------------------------------


def _gauge(tab: PanelHost, spec: PanelSpec) -> QWidget:
    return tab.make_gauge(_metric(tab, spec.opt("metric")), spec.title(tab.lang))


def _tile(tab: PanelHost, spec: PanelSpec) -> QWidget:
    if spec.opt("metric"):
        return tab.make_tile(_metric(tab, spec.opt("metric")), spec.title(tab.lang))
    from widgets.kpi_tile import KpiTile

    w = KpiTile()
    w.set_change_label(None)  # a statistic of the period: no "change since the last reading"
    _bind_panel_value(tab, spec, w)
    return w


def _big_number(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = BigNumber()
    w.set_animated(tab.ctx.animate)
    if spec.opt("metric"):
        m = _metric(tab, spec.opt("metric"))
        tab.describe(w, m, spec.title(tab.lang))
        w.set_up_is_good(m.up_is_good)
        extra: dict[str, Metric] = {}
        for ch in spec.opt("changes", []):
            label = ch.get("label", "")
            if isinstance(label, dict):
                label = label.get(tab.lang) or label.get("zh") or ""
            extra[str(label)] = _metric(tab, ch["metric"])
        if extra:
            w.set_changes([(label, None) for label in extra])
        tab.bindings.append(MetricBound(m, w, extra))
    else:
        _bind_panel_value(tab, spec, w)
    return w


def _bind_panel_value(tab: PanelHost, spec: PanelSpec, w: Any) -> None:
    """A tile or big number showing one cell of a panel (row × column)."""
    panel_id, column, row_key = spec.opt("panel"), spec.opt("column"), spec.opt("row")
    w.set_title(_panel_title(tab, spec, panel_id))

    def render(p: DataPanel) -> None:
        col = p.column(column) if column else p.columns[0]
        if col is None:
            w.set_value(None)
            return
        w.set_unit(col.unit.pick(tab.lang))
        w.set_precision(col.precision)
        if hasattr(w, "set_up_is_good"):
            w.set_up_is_good(col.up_is_good)
        row = next((r for r in p.rows if r.key == row_key), p.rows[0] if p.rows and not row_key else None)
        w.set_value(row_value(row, col.key) if row is not None else None)

    tab.others.append(PanelBound(w, panel_id, render, tab.lang, column))


def _progress(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = ProgressToTarget()
    lang = tab.lang
    w.set_captions(tr("done_rate", lang), tr("target", lang).capitalize())
    target_label = spec.opt("target_label", "")
    if isinstance(target_label, dict):
        target_label = target_label.get(lang) or target_label.get("zh") or ""
    if spec.opt("target") is not None:
        w.set_target(float(spec.opt("target")), str(target_label))
    path = spec.opt("path")
    panel_id = (path or {}).get("panel") or spec.opt("panel")

    def on_snapshot(snap: Snapshot) -> None:
        p = snap.panels.get(panel_id) if panel_id else None
        if p is None:
            return
        if path:
            w.set_path([(r.name.pick(lang), row_value(r, path["column"])) for r in p.rows])
        col = spec.opt("column") or (path or {}).get("column")
        if spec.opt("target") is None and col in p.targets:
            w.set_target(p.targets[col], str(target_label))

    if spec.opt("metric"):
        m = _metric(tab, spec.opt("metric"))
        tab.describe(w, m, spec.title(lang))
        w.set_up_is_good(m.up_is_good)  # the reading's 同比 goes to the header (MetricBound)
        tab.bindings.append(MetricBound(m, w, on_snapshot=on_snapshot, lang=lang))
    else:
        w.set_title(_panel_title(tab, spec, panel_id))

        def render(p: DataPanel) -> None:
            on_snapshot(Snapshot(brain=tab.brain.id, ts=p.ts, values={}, panels={p.id: p}))
            col = p.column(spec.opt("column"))
            if col is not None:
                w.set_unit(col.unit.pick(lang))
                w.set_precision(col.precision)
                last = next((row_value(r, col.key) for r in reversed(p.rows) if row_value(r, col.key) is not None), None)
                w.set_value(last)

        tab.others.append(PanelBound(w, panel_id, render, lang, spec.opt("column")))
    return w


def _trend(tab: PanelHost, spec: PanelSpec) -> QWidget:
    metrics = [_metric(tab, m) for m in spec.opt("metrics")]
    return tab.make_chart(metrics, spec.title(tab.lang), float(spec.opt("hours", 24)))


# ---- panel widgets --------------------------------------------------------------------


def _secondary(row: Any, what: str | None, p: DataPanel, lang: str) -> str:
    if what == "district":
        return pb.district_name(row.district, lang, row.district_name)
    if what == "status" and row.status:
        return tr(f"status_{row.status}", lang)
    if what == "group":  # e.g. the 亩均 class, with the row's district
        parts = [row.group.pick(lang) if row.group is not None else "",
                 pb.district_name(row.district, lang, row.district_name)]
        return " · ".join(x for x in parts if x)
    if what:
        col = p.column(what)
        v = row_value(row, what)
        if col is not None and v is not None:
            from widgets import format_number

            return f"{col.name.pick(lang)} {format_number(v, col.precision)}{col.unit.pick(lang)}"
    return ""


def _ranking(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = RankingBoard()
    lang = tab.lang
    panel_id, column = spec.opt("panel"), spec.opt("column")
    desc = spec.opt("order", "desc") == "desc"
    limit = spec.opt("limit")
    secondary = spec.opt("secondary", "district")
    w.set_empty_text(tr("no_rows", lang))

    def render(p: DataPanel) -> None:
        col = p.column(column)
        if col is None:
            w.set_rows([])
            return
        w.set_title(spec.title(lang) or f"{p.title.pick(lang)} · {col.name.pick(lang)}")
        w.set_unit(col.unit.pick(lang))
        w.set_precision(col.precision)
        known = [r for r in p.rows if row_value(r, column) is not None]
        known.sort(key=lambda r: row_value(r, column) or 0.0, reverse=desc)
        if limit:
            known = known[:limit]
        w.set_rows([
            RankRow(key=r.code or r.key, name=r.name.pick(lang), value=row_value(r, column),
                    secondary=_secondary(r, secondary, p, lang),
                    marker=pb.STATUS_MARK.get(r.status or ""))
            for r in known
        ])

    w.set_title(_panel_title(tab, spec, panel_id))
    if tab.ctx.open_enterprise is not None:
        w.activated.connect(tab.ctx.open_enterprise)
    tab.others.append(PanelBound(w, panel_id, render, lang, column))
    return w


def _bar_key(tab: PanelHost, r: Row) -> str:
    """What a click on a panel row's bar opens: its district (drill-down), its enterprise, its
    brain's tab ("kind:id"); "" when it names none of them or the cockpit cannot open it."""
    ctx = tab.ctx
    if r.district and ctx.open_district is not None:
        return f"district:{r.district}"
    if r.code and ctx.open_enterprise is not None:
        return f"enterprise:{r.code}"
    if r.brain and ctx.open_brain is not None:
        return f"brain:{r.brain}"
    return ""


def _open_bar(tab: PanelHost, key: str) -> None:
    kind, _, ident = key.partition(":")
    ctx = tab.ctx
    if kind == "district" and ctx.open_district is not None:
        ctx.open_district(ident)
    elif kind == "enterprise" and ctx.open_enterprise is not None:
        ctx.open_enterprise(ident)
    elif kind == "brain" and ctx.open_brain is not None:
        ctx.open_brain(ident)


def _bars(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = BarChart()
    w.activated.connect(lambda key: _open_bar(tab, key))
    lang = tab.lang
    w.set_unit_caption(tr("unit_caption", lang))
    w.set_orientation(spec.opt("orientation", "h"))
    if spec.opt("max_line") is not None:
        w.set_limit(float(spec.opt("max_line")), "")
    if spec.opt("metrics"):
        metrics = [_metric(tab, m) for m in spec.opt("metrics")]
        w.set_title(spec.title(lang) or "")
        w.set_unit(metrics[0].unit.pick(lang))
        w.set_precision(metrics[0].precision)
        w.set_categories([m.name.pick(lang) for m in metrics])
        w.setToolTip("\n\n".join(pb.metric_tooltip(m, lang) for m in metrics))
        tab.others.append(_MetricsBound(w, metrics, lambda vals: w.set_values(vals)))
        return w
    panel_id, column, compare = spec.opt("panel"), spec.opt("column"), spec.opt("compare")
    limit, order = spec.opt("limit"), spec.opt("order")

    def render(p: DataPanel) -> None:
        col = p.column(column) if column else p.columns[0]
        if col is None:
            return
        w.set_title(spec.title(lang) or p.title.pick(lang))
        w.set_unit(col.unit.pick(lang))
        w.set_precision(col.precision)
        rows = list(p.rows)
        if order in ("desc", "asc"):
            rows = [r for r in rows if row_value(r, col.key) is not None]
            rows.sort(key=lambda r: row_value(r, col.key) or 0.0, reverse=order == "desc")
        if limit:
            rows = rows[:limit]
        w.set_categories([r.name.pick(lang) for r in rows])
        w.set_keys([_bar_key(tab, r) for r in rows])
        w.set_values([row_value(r, col.key) for r in rows])
        if compare:
            ccol = p.column(compare)
            w.set_compare([row_value(r, compare) for r in rows], ccol.name.pick(lang) if ccol else compare)
        if col.key in p.targets and spec.opt("max_line") is None:
            w.set_limit(p.targets[col.key], tr("target", lang))

    w.set_title(_panel_title(tab, spec, panel_id))
    tab.others.append(PanelBound(w, panel_id, render, lang, column))
    return w


class _MetricsBound(Bound):
    """A widget showing several metrics at once (a bar per metric)."""

    def __init__(self, widget: Any, metrics: list[Metric], show: Callable[[list[float | None]], None]) -> None:
        self.widget = widget
        self.metrics = metrics
        self.show = show
        self.seen = False

    def apply(self, snap: Snapshot) -> None:
        vals = []
        for m in self.metrics:
            r = snap.values.get(m.id)
            vals.append(pb.finite(r.value) if r is not None else None)
        self.seen = self.seen or any(v is not None for v in vals)
        self.show(vals)

    def compute_state(self, si: StateInput) -> tuple[DataState, str]:
        states = [pb.reading_state(si.snapshot.values.get(m.id) if si.snapshot else None, m, si) for m in self.metrics]
        for want in (DataState.OFFLINE, DataState.STALE, DataState.LIVE):
            for s in states:
                if s[0] == want:
                    return s
        return states[0] if states else (DataState.NO_DATA, "")

    def has_data(self) -> bool:
        return self.seen


def _share(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = ShareChart()
    lang = tab.lang
    w.set_total_captions(tr("share_total", lang), tr("share_known_total", lang))
    panel_id = spec.opt("panel")
    mode = spec.opt("mode", "area" if spec.opt("columns") else "donut")
    w.set_mode(mode)

    def render(p: DataPanel) -> None:
        w.set_title(spec.title(lang) or p.title.pick(lang))
        if mode == "donut":
            col = p.column(spec.opt("column") or p.columns[0].key)
            if col is None:
                return
            w.set_unit(col.unit.pick(lang))
            w.set_precision(col.precision)
            w.set_parts([(r.name.pick(lang), row_value(r, col.key)) for r in p.rows])
        else:
            cols = [c for c in (p.column(k) for k in spec.opt("columns", [])) if c is not None]
            if not cols:
                return
            w.set_unit(cols[0].unit.pick(lang))
            w.set_precision(cols[0].precision)
            w.set_x_labels([r.name.pick(lang) for r in p.rows])
            w.set_series([(c.name.pick(lang), [row_value(r, c.key) for r in p.rows]) for c in cols])

    w.set_title(_panel_title(tab, spec, panel_id))
    tab.others.append(PanelBound(w, panel_id, render, lang, spec.opt("column")))
    return w


def _districts(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = DistrictTileMap()
    lang = tab.lang
    w.set_missing_caption(tr("no_data", lang))
    panel_id = spec.opt("panel")
    columns: list[str] = list(spec.opt("columns"))
    state = {"i": 0}
    bound = PanelBound(w, panel_id, lambda p: None, lang, columns[0])

    def render(p: DataPanel) -> None:
        key = columns[state["i"] % len(columns)]
        col = p.column(key)
        if col is None:
            return
        w.set_title(spec.title(lang) or p.title.pick(lang))
        w.set_metric_name(col.name.pick(lang))
        w.set_unit(col.unit.pick(lang))
        w.set_precision(col.precision)
        areas: list[Area] = []
        for r in p.rows:
            cell = pb.DISTRICT_CELLS.get(r.key)
            if cell is None:  # an area without a place on the schematic map goes below
                cell = (len(areas) % 3, 2 + len(areas) // 3)
            areas.append(Area(key=r.key, name=r.name.pick(lang), col=cell[0], row=cell[1],
                              value=row_value(r, key)))
        w.set_areas(areas)
        w.setToolTip(pb.panel_tooltip(p, lang, key))

    bound.render = render
    cycle_s = float(spec.opt("cycle_s", 15))
    if len(columns) > 1 and cycle_s > 0:
        from PySide6.QtCore import QTimer

        def step() -> None:
            state["i"] += 1
            if bound.panel is not None and w.isVisible():
                render(bound.panel)

        timer = QTimer(w, interval=round(cycle_s * 1000))
        timer.timeout.connect(step)
        timer.start()
        if tab.ctx.open_district is None:
            w.activated.connect(lambda _key: step())  # a click shows the next figure
    if tab.ctx.open_district is not None:
        w.activated.connect(tab.ctx.open_district)  # a click opens the district (drill-down)
    w.set_title(_panel_title(tab, spec, panel_id))
    tab.others.append(bound)
    return w


# ---- alerts ---------------------------------------------------------------------------


class _AlertsBound(Bound):
    widget: Any

    def __init__(self, tab: PanelHost, widget: AlertTicker, scope: str) -> None:
        self.tab = tab
        self.widget = widget
        self.scope = scope
        self.seen = False
        self.shown: list[str] | None = None

    def apply(self, snap: Snapshot) -> None:
        lang = self.tab.lang
        if self.scope == "all" and self.tab.ctx.all_alerts is not None:
            pairs = self.tab.ctx.all_alerts()
        else:
            pairs = [(self.tab.brain.name.pick(lang), a) for a in snap.alerts]
        pairs.sort(key=lambda x: x[1].ts, reverse=True)
        label = self.tab.ctx.alarm_label or (lambda _id: "")
        labels = {a.id: label(a.id) for _, a in pairs}
        ids = [f"{a.id}:{a.level}:{labels[a.id]}" for _, a in pairs]
        self.seen = True
        if ids == self.shown:
            return
        self.shown = ids
        self.widget.set_alerts([
            TickerItem(key=a.id, ts_ms=a.ts, level=a.level, source=src,
                       text=f"【{labels[a.id]}】{a.message.pick(lang)}" if labels[a.id] else a.message.pick(lang),
                       link=a.enterprise)
            for src, a in pairs
        ])

    def compute_state(self, si: StateInput) -> tuple[DataState, str]:
        if si.snapshot is None:
            return pb.state_for_ts(None, 0, si)
        return pb.state_for_ts(si.snapshot.ts, 30, si)

    def has_data(self) -> bool:
        return self.seen


def _alerts(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = AlertTicker()
    w.set_title(spec.title(tab.lang) or tr("recent_alerts", tab.lang))
    w.set_level_words(tr("level_warn", tab.lang), tr("level_alarm", tab.lang))
    w.set_empty_text(tr("no_alerts", tab.lang))
    if tab.ctx.open_enterprise is not None:
        def open_link(link: str) -> None:
            from cockpit.api import uscc

            if uscc.is_valid(link):
                tab.ctx.open_enterprise(link)  # type: ignore[misc]

        w.activated.connect(open_link)
    tab.others.append(_AlertsBound(tab, w, spec.opt("scope", "brain")))
    return w


# ---- the industry chain (fetched, not in the snapshot) ---------------------------------


class _ChainBound(Bound):
    widget: Any

    def __init__(self, tab: PanelHost, widget: Any, title: str | None) -> None:
        self.tab = tab
        self.widget = widget
        self.title = title
        self.chain: Chain | None = None
        self.error = ""
        self.asked_ms: int | None = None
        self.pending = False

    def apply(self, snap: Snapshot) -> None:
        self._maybe_fetch(snap.ts)

    def _maybe_fetch(self, now: int) -> None:
        fetch = self.tab.ctx.fetch_chain
        if fetch is None or self.pending:
            return
        due = CHAIN_RETRY_MS if self.chain is None or self.error else CHAIN_REFRESH_MS
        if self.asked_ms is not None and now - self.asked_ms < due:
            return
        self.asked_ms = now
        self.pending = True
        fetch(self.tab.brain.id, self.show)

    def show(self, chain: Chain | None, error: str) -> None:
        self.pending = False
        self.error = error
        if chain is None:
            return
        self.chain = chain
        lang = self.tab.lang
        self.widget.set_title(self.title or chain.title.pick(lang))
        gaps = {g.link: g.reason.pick(lang) for g in chain.gaps}
        targets = {g.link: "、".join(t.pick(lang) for t in g.targets) for g in chain.gaps}
        stages = []
        for st in chain.stages:
            links = []
            for ln in st.links:
                detail = [ln.name.pick(lang), tr("chain_count", lang, n=ln.enterprises)]
                if ln.output is not None:
                    detail.append(tr("chain_output", lang, v=f"{ln.output:,.1f}"))
                if ln.anchors:
                    detail.append(tr("chain_anchors", lang, a="、".join(a.pick(lang) for a in ln.anchors)))
                if ln.note is not None:
                    detail.append(ln.note.pick(lang))
                if ln.local_supply_pct is not None:
                    detail.append(tr("chain_local", lang, p=f"{ln.local_supply_pct:.1f}"))
                detail.extend(project_lines(chain, ln.id, lang))
                if ln.id in gaps:
                    detail.append(tr("chain_gap", lang, r=gaps[ln.id]))
                if targets.get(ln.id):
                    detail.append(tr("chain_targets", lang, t=targets[ln.id]))
                links.append(ChainLink(key=ln.id, name=ln.name.pick(lang), strength=ln.strength,
                                       count=ln.enterprises, detail="\n".join(detail)))
            stages.append(ChainStage(key=st.id, name=st.name.pick(lang), links=links))
        self.widget.set_stages(stages)
        if chain.source is not None:
            self.widget.setToolTip(tr("source", lang, t=chain.source.pick(lang)))

    def compute_state(self, si: StateInput) -> tuple[DataState, str]:
        if self.chain is None:
            return DataState.NO_DATA, self.error or tr("waiting", si.lang)
        if si.offline:
            return DataState.OFFLINE, tr("offline_note", si.lang, t=stamp(self.chain.ts))
        if self.error:
            return DataState.STALE, tr("stale_note", si.lang, t=stamp(self.chain.ts))
        return DataState.LIVE, ""

    def has_data(self) -> bool:
        return self.chain is not None


def _chain(tab: PanelHost, spec: PanelSpec) -> QWidget:
    w = ChainMap()
    if tab.lang == "en":
        w.set_strength_labels({"strong": "strong", "weak": "weak", "missing": "missing"})
        w.set_count_unit(" firms")
    if tab.ctx.open_link is not None:
        w.activated.connect(lambda link: tab.ctx.open_link(tab.brain.id, link))  # type: ignore[misc]
    tab.others.append(_ChainBound(tab, w, spec.title(tab.lang)))
    return w


class _ProjectsBound(_ChainBound):
    """The chain's projects and 本地配套率 (a ``projects`` panel): the chain, fetched like the map."""

    def show(self, chain: Chain | None, error: str) -> None:
        self.pending = False
        self.error = error
        if chain is None:
            return
        self.chain = chain
        self.widget.set_chain(chain)


def _projects(tab: PanelHost, spec: PanelSpec) -> QWidget:
    from cockpit.ui.projects_view import ProjectsView

    w = ProjectsView(tab.lang, spec.title(tab.lang) or "")
    tab.others.append(_ProjectsBound(tab, w, spec.title(tab.lang)))
    return w


def _batch_check(tab: PanelHost, spec: PanelSpec) -> QWidget:
    from cockpit.ui.batch_check import BatchCheck

    w = BatchCheck(tab.ctx, spec.title(tab.lang))
    tab.others.append(w.binding)
    return w


def _cards(tab: PanelHost, spec: PanelSpec) -> QWidget:
    from cockpit.ui.cards import CardsView

    panel_id = spec.opt("panel")
    w = CardsView(tab.lang, spec.opt("value"), spec.opt("change"), spec.opt("extra"), spec.opt("texts"),
                  int(spec.opt("per_row", 4)))
    w.open_brain = tab.ctx.open_brain
    w.open_enterprise = tab.ctx.open_enterprise

    def render(p: DataPanel) -> None:
        w.set_title(spec.title(tab.lang) or p.title.pick(tab.lang))
        w.set_panel(p)

    w.set_title(_panel_title(tab, spec, panel_id))
    tab.others.append(PanelBound(w, panel_id, render, tab.lang, spec.opt("value")))
    return w


_MAKERS: dict[str, Callable[[PanelHost, PanelSpec], QWidget]] = {
    "gauge": _gauge,
    "tile": _tile,
    "big_number": _big_number,
    "progress": _progress,
    "trend": _trend,
    "ranking": _ranking,
    "bars": _bars,
    "share": _share,
    "districts": _districts,
    "alerts": _alerts,
    "chain": _chain,
    "batch_check": _batch_check,
    "cards": _cards,
    "projects": _projects,
}
