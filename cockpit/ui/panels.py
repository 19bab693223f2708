"""Bindings: one widget of a brain's tab and where its data comes from.

A binding takes what it shows from a snapshot (a metric's reading, a snapshot panel, the
alerts) or from the API on demand (the chain), and says which state its widget is in.
The tab (``cockpit.ui.brain_tab``) makes the bindings, from a layout file or
automatically, routes snapshots to them and refreshes their states once a second.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QWidget

from cockpit.api.schema import Alert, Chain, DataPanel, Metric, Names, Reading, Row, Snapshot
from cockpit.ui.text import problem_text, stamp, tr
from widgets.state import DataState

STALE_AFTER_CADENCES = 3  # a reading older than this many expected updates is stale

# Shaoxing's districts and counties: names for district ids an API sends (other ids show as sent)
DISTRICT_NAMES = {
    "yuecheng": ("越城区", "Yuecheng"),
    "keqiao": ("柯桥区", "Keqiao"),
    "shangyu": ("上虞区", "Shangyu"),
    "zhuji": ("诸暨市", "Zhuji"),
    "shengzhou": ("嵊州市", "Shengzhou"),
    "xinchang": ("新昌县", "Xinchang"),
}
# the schematic tile map: (column, row) of each district, roughly as on a map of Shaoxing
# (north row: 柯桥, 越城, 上虞 along the plain; south row: 诸暨, 嵊州, 新昌)
DISTRICT_CELLS = {
    "keqiao": (0, 0),
    "yuecheng": (1, 0),
    "shangyu": (2, 0),
    "zhuji": (0, 1),
    "shengzhou": (1, 1),
    "xinchang": (2, 1),
}
STATUS_MARK = {"running": "ok", "idle": "warn", "stopped": "alarm"}


def district_name(district_id: str | None, lang: str, sent: Names | None = None) -> str:
    """A district's name: the one the platform sent with the row, else the known Shaoxing
    name of the id, else the id."""
    if sent is not None:
        return sent.pick(lang)
    if not district_id:
        return ""
    names = DISTRICT_NAMES.get(district_id)
    return (names[1] if lang == "en" else names[0]) if names else district_id


def cadence_text(seconds: float, lang: str) -> str:
    """How often a figure is updated, as a person says it."""
    steps = [(1, "每秒", "every second"), (60, "每分钟", "every minute"), (3600, "每小时", "hourly"),
             (86_400, "每日", "daily"), (7 * 86_400, "每周", "weekly"), (31 * 86_400, "每月", "monthly")]
    for s, zh, en in steps:
        if abs(seconds - s) <= s * 0.1:
            return en if lang == "en" else zh
    if seconds < 60:
        return f"every {seconds:g} s" if lang == "en" else f"每{seconds:g}秒"
    if seconds < 3600:
        return f"every {seconds / 60:g} min" if lang == "en" else f"每{seconds / 60:g}分钟"
    return f"every {seconds / 3600:g} h" if lang == "en" else f"每{seconds / 3600:g}小时"


def provenance(lang: str, *, name: str, scope: Names | None, source: Names | None, cadence_s: float | None,
               description: Names | None = None, ident: str = "") -> str:
    """The hover text of a figure: what it is, its scope (口径), source and cadence."""
    lines = [f"{name} ({ident})" if ident else name]
    if scope is not None:
        lines.append(tr("scope", lang, t=scope.pick(lang)))
    if source is not None:
        lines.append(tr("source", lang, t=source.pick(lang)))
    if cadence_s is not None:
        lines.append(tr("cadence", lang, t=cadence_text(cadence_s, lang)))
    if description is not None:
        lines.append(description.pick(lang))
    return "\n".join(lines)


def metric_tooltip(m: Metric, lang: str) -> str:
    return provenance(lang, name=m.name.pick(lang), scope=m.scope, source=m.source, cadence_s=m.cadence_s,
                      description=m.description, ident=m.id)


def panel_tooltip(p: DataPanel, lang: str, column: str | None = None) -> str:
    name = p.title.pick(lang)
    col = p.column(column) if column else None
    if col is not None:
        name = f"{name} · {col.name.pick(lang)}"
    return provenance(lang, name=name, scope=p.scope, source=p.source, cadence_s=p.cadence_s, ident=p.id)


@dataclass
class TabContext:
    """What a tab's bindings may ask of the rest of the cockpit."""

    lang: str = "zh"
    animate: bool = True  # animated number changes (off for screenshots and tests)
    open_enterprise: Callable[[str], None] | None = None
    # every brain's active alerts, with the brain's name (for the city's alert ticker)
    all_alerts: Callable[[], list[tuple[str, Alert]]] | None = None
    # ask for the brain's chain; the answer (or an error text) comes back by callback
    fetch_chain: Callable[[str, Callable[[Chain | None, str], None]], None] | None = None
    fetch_batch: Callable[..., None] | None = None
    # an alert's handling in the alarm loop as a short label ("已确认", "处置中 · 待发送"), "" when new
    alarm_label: Callable[[str], str] | None = None
    open_brain: Callable[[str], object] | None = None  # show a brain's tab (a framework card's click)
    open_district: Callable[[str], None] | None = None  # drill into a district (a district tile's click)
    open_link: Callable[[str, str], None] | None = None  # drill into a chain link (brain, link)


@dataclass
class StateInput:
    """What a binding's state depends on besides its own data."""

    now_ms: int
    offline: bool
    from_cache: bool
    error: str | None
    snapshot: Snapshot | None
    received_ms: int | None
    lang: str
    # the parts of the brain's data left out or blanked (cockpit.api.tolerant.Problem by part)
    problems: dict[str, Any] = field(default_factory=dict)


def problem_state(si: StateInput, *parts: str, prefix: str | None = None) -> tuple[DataState, str] | None:
    """(STALE, "数据异常：…") when one of ``parts`` (or a part starting with ``prefix``) was
    left out of the data as broken; None when none was."""
    if not si.problems:
        return None
    for part in parts:
        p = si.problems.get(part)
        if p is not None:
            return DataState.STALE, tr("bad_part", si.lang, r=problem_text(p, si.lang, with_part=False))
    if prefix is not None:
        p = next((v for k, v in si.problems.items() if k.startswith(prefix)), None)
        if p is not None:
            return DataState.STALE, tr("bad_part", si.lang, r=problem_text(p, si.lang))
    return None


def state_for_ts(ts: int | None, limit_s: float, si: StateInput) -> tuple[DataState, str]:
    """The state of data measured at ts (None: no data) that is stale after limit_s."""
    lang = si.lang
    if ts is None:
        return DataState.NO_DATA, tr("no_data", lang) if si.offline else tr("waiting", lang)
    when = stamp(ts)
    if si.offline:
        return DataState.OFFLINE, tr("offline_note", lang, t=when)
    if si.from_cache:  # connecting: the cache's values until the API answers
        return DataState.STALE, tr("cached_note", lang, t=when)
    if si.error:
        return DataState.STALE, tr("bad_note", lang, t=when)
    if si.snapshot is None or si.received_ms is None:
        return DataState.LIVE, ""
    # age on the server's clock at snapshot time plus local time since receipt: immune
    # to a skew between the two clocks
    age_ms = (si.snapshot.ts - ts) + (si.now_ms - si.received_ms)
    if age_ms > limit_s * 1000:
        return DataState.STALE, tr("stale_note", lang, t=when)
    return DataState.LIVE, ""


def metric_limit_s(m: Metric) -> float:
    return m.stale_after_s if m.stale_after_s is not None else STALE_AFTER_CADENCES * m.cadence_s + 1


def reading_state(r: Reading | None, m: Metric, si: StateInput) -> tuple[DataState, str]:
    bad = problem_state(si, f"metric:{m.id}")
    if bad is not None:  # the platform sent a reading that breaks the contract: marked
        return bad
    if r is None or r.value is None:
        return DataState.NO_DATA, tr("no_data", si.lang)
    return state_for_ts(r.ts, metric_limit_s(m), si)


def finite(v: float | None) -> float | None:
    return v if v is not None and math.isfinite(v) else None


class Bound:
    """A widget and its data source; subclasses fill in apply/state/has_data."""

    widget: QWidget

    def apply(self, snap: Snapshot) -> None:
        """Show what the snapshot holds for this widget."""

    def compute_state(self, si: StateInput) -> tuple[DataState, str]:
        return DataState.LIVE, ""

    def has_data(self) -> bool:
        return True

    def set_state(self, state: tuple[DataState, str]) -> None:
        self.widget.set_state(*state)  # type: ignore[attr-defined]


@dataclass
class MetricBound(Bound):
    """A value widget (gauge, tile, big number, progress) showing one metric."""

    metric: Metric
    widget: Any
    extra: dict[str, Metric] = field(default_factory=dict)  # label -> metric of a 同比/环比 line
    on_snapshot: Callable[[Snapshot], None] | None = None
    state: tuple[DataState, str] | None = None
    reading_ts: int | None = None
    reading: Reading | None = None

    def apply(self, snap: Snapshot) -> None:
        r = snap.values.get(self.metric.id)
        if r is not None and r.ts != self.reading_ts:
            self.reading_ts = r.ts
            self.reading = r
            self.widget.set_value(r.value)
        if self.extra:
            changes = []
            for label, m in self.extra.items():
                er = snap.values.get(m.id)
                changes.append((label, finite(er.value) if er is not None else None))
            self.widget.set_changes(changes)
        if self.on_snapshot is not None:
            self.on_snapshot(snap)

    def compute_state(self, si: StateInput) -> tuple[DataState, str]:
        r = si.snapshot.values.get(self.metric.id) if si.snapshot else None
        return reading_state(r, self.metric, si)

    def has_data(self) -> bool:
        return self.widget.value() is not None


class PanelBound(Bound):
    """A widget fed by one snapshot panel through a render function."""

    def __init__(self, widget: Any, panel_id: str, render: Callable[[DataPanel], None],
                 lang: str, column: str | None = None) -> None:
        self.widget = widget
        self.panel_id = panel_id
        self.render = render
        self.lang = lang
        self.column = column
        self.panel: DataPanel | None = None
        self.shown_ts: int | None = None

    def apply(self, snap: Snapshot) -> None:
        p = snap.panels.get(self.panel_id)
        if p is None or (p.ts == self.shown_ts and p is self.panel):
            return
        if p.ts == self.shown_ts and p == self.panel:
            self.panel = p
            return
        self.panel, self.shown_ts = p, p.ts
        self.widget.setToolTip(panel_tooltip(p, self.lang, self.column))
        self.render(p)

    def blank(self) -> None:
        """The panel broke the contract: show nothing of it (its state says why)."""
        if self.panel is not None:
            self.render(self.panel.model_copy(update={"rows": [], "targets": {}}))
        self.panel, self.shown_ts = None, None

    def compute_state(self, si: StateInput) -> tuple[DataState, str]:
        bad = problem_state(si, f"panel:{self.panel_id}", prefix=f"cell:{self.panel_id}/")
        if bad is not None:
            return bad
        p = self.panel
        if p is None:
            return state_for_ts(None, 0, si)
        return state_for_ts(p.ts, STALE_AFTER_CADENCES * p.cadence_s + 1, si)

    def has_data(self) -> bool:
        return self.panel is not None


def row_value(row: Row, column: str) -> float | None:
    return finite(row.values.get(column))
