"""The UI model: one store per brain that every screen subscribes to.

A :class:`BrainModel` holds what the cockpit knows of one brain: the current snapshot
(when it arrived, whether it came from the offline cache, the last error), the history
of the metrics some view charts (loaded from the cache or the API, then extended by live
readings, kept to :data:`HISTORY_KEEP_S`), the alarms' handling states, and a time
cursor that is live (``None``) or a past moment (epoch ms).

:class:`Models` holds one model per brain and is shared by every window of the process
(``--wall``: all windows show the same models). Tabs, rotation, export, the report and
the alert tickers read the models, never a widget.

Updates are coalesced: a model collects what changed (``snapshot``, ``history``,
``alarms``, ``cursor``, ``error``) and emits :attr:`BrainModel.changed` at most once per
frame (:data:`FRAME_MS`), so a widget repaints at most once per frame however fast the
data come. Live readings that arrive between two frames are not lost: each metric keeps
its recent points and a view appends those newer than what it drew
(:meth:`BrainModel.points_after`).

Qt-side (a QObject with a signal and a timer) but data only: no widgets.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from cockpit.api.alarms import AlarmRecord
from cockpit.api.schema import Alert, Snapshot

log = logging.getLogger(__name__)

FRAME_MS = 16  # at most one change signal per model per frame (60 Hz)
HISTORY_KEEP_S = 26 * 3600  # live history kept per charted metric (the charts show 24 h)
_TAIL_MAX = 512  # live points gathered before they are merged into the arrays
MAX_SEEN_ALERTS = 10_000  # alerts the journal can list (every alert seen, newest kept)
STATE_OF_ACTION = {"ack": "acknowledged", "assign": "assigned", "close": "closed"}


@dataclass(frozen=True)
class Change:
    """What changed since the last signal (each flag: that part is new)."""

    snapshot: bool = False
    history: bool = False
    alarms: bool = False
    cursor: bool = False
    error: bool = False


class _Series:
    """One metric's history: arrays (epoch seconds, values; NaN gaps) plus a tail of live
    points not merged yet; bounded to HISTORY_KEEP_S behind the newest point."""

    __slots__ = ("ts", "vals", "tail_t", "tail_v")

    def __init__(self) -> None:
        self.ts = np.empty(0)
        self.vals = np.empty(0)
        self.tail_t: list[float] = []
        self.tail_v: list[float] = []

    def newest(self) -> float | None:
        if self.tail_t:
            return self.tail_t[-1]
        return float(self.ts[-1]) if len(self.ts) else None

    def replace(self, ts: np.ndarray, vals: np.ndarray) -> None:
        """Loaded history: it replaces the arrays; live points newer than it stay."""
        newest = float(ts[-1]) if len(ts) else float("-inf")
        keep = [(t, v) for t, v in zip(self.tail_t, self.tail_v, strict=True) if t > newest]
        old_ts, old_vals = self.ts, self.vals
        later = old_ts > newest
        self.ts = np.concatenate([np.asarray(ts, float), old_ts[later]])
        self.vals = np.concatenate([np.asarray(vals, float), old_vals[later]])
        self.tail_t = [t for t, _ in keep]
        self.tail_v = [v for _, v in keep]
        self._trim()

    def append(self, t: float, v: float) -> None:
        newest = self.newest()
        if newest is not None and t <= newest:
            return  # a duplicate or out of order: already there
        self.tail_t.append(t)
        self.tail_v.append(v)
        if len(self.tail_t) >= _TAIL_MAX:
            self._merge()

    def _merge(self) -> None:
        if self.tail_t:
            self.ts = np.concatenate([self.ts, np.asarray(self.tail_t, float)])
            self.vals = np.concatenate([self.vals, np.asarray(self.tail_v, float)])
            self.tail_t, self.tail_v = [], []
            self._trim()

    def _trim(self) -> None:
        if len(self.ts):
            start = int(np.searchsorted(self.ts, self.ts[-1] - HISTORY_KEEP_S))
            if start:
                self.ts, self.vals = self.ts[start:].copy(), self.vals[start:].copy()

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        self._merge()
        return self.ts, self.vals

    def after(self, t: float | None) -> list[tuple[float, float]]:
        """Points newer than ``t`` (epoch seconds; None: all of the tail)."""
        out: list[tuple[float, float]] = []
        if t is None:
            return list(zip(self.tail_t, self.tail_v, strict=True))
        if len(self.ts) and self.ts[-1] > t:
            i = int(np.searchsorted(self.ts, t, side="right"))
            out.extend(zip(self.ts[i:].tolist(), self.vals[i:].tolist(), strict=True))
        out.extend((a, b) for a, b in zip(self.tail_t, self.tail_v, strict=True) if a > t)
        return out


class BrainModel(QObject):
    """One brain: snapshot, history, alarm states, time cursor. See the module docstring."""

    changed = Signal(object)  # Change

    def __init__(self, brain: str, parent: QObject | None = None, *, frame_ms: int = FRAME_MS) -> None:
        super().__init__(parent)
        self.brain = brain
        self.snapshot: Snapshot | None = None
        self.received_ms: int | None = None
        self.from_cache = False
        self.error: str | None = None
        self.problems: dict = {}  # part -> Problem: what the last answer left out or blanked
        self.cursor_ms: int | None = None  # None: live; else the past moment shown
        # time travel: the snapshot and the charts' history as of the cursor (None/{}: the
        # platform does not keep that moment: shown as missing, never invented)
        self.past_snapshot: Snapshot | None = None
        self.past_history: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._series: dict[str, _Series] = {}
        self.alarms: dict[str, AlarmRecord] = {}  # alert id -> its handling (from the API)
        self.history_loaded: set[str] = set()
        self.history_absent = False  # the platform keeps no history (/series 404): live points only
        self._pending: dict[str, bool] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(frame_ms)
        self._timer.timeout.connect(self.flush)

    # ---- what views read -----------------------------------------------------------

    @property
    def live(self) -> bool:
        return self.cursor_ms is None

    @property
    def alerts(self) -> list[Alert]:
        return list(self.snapshot.alerts) if self.snapshot is not None else []

    def series(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """A metric's history (epoch seconds, values with NaN gaps); empty if none."""
        s = self._series.get(metric)
        return s.arrays() if s is not None else (np.empty(0), np.empty(0))

    def points_after(self, metric: str, ts_s: float | None) -> list[tuple[float, float]]:
        """Live points of a metric newer than ``ts_s`` (what a chart has not drawn yet)."""
        s = self._series.get(metric)
        return s.after(ts_s) if s is not None else []

    # ---- what the hub, the cache and the history loader write ---------------------

    def set_snapshot(self, snap: Snapshot, received_ms: int, cached: bool = False,
                     problems: dict | None = None) -> None:
        if cached and self.snapshot is not None and not self.from_cache:
            return  # the cache never replaces live data
        self.problems = dict(problems or {})
        before = self.alerts
        self.snapshot = snap
        self.received_ms = received_ms
        self.from_cache = cached
        for mid, r in snap.values.items():
            s = self._series.get(mid)
            if s is not None:
                s.append(r.ts / 1000, float("nan") if r.value is None else float(r.value))
        self._mark("snapshot")
        if snap.alerts != before:
            self._mark("alarms")

    def set_history(self, data: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """History of charted metrics (epoch seconds, NaN gaps), from the cache or the API."""
        for mid, (ts, vals) in data.items():
            self.history_loaded.add(mid)
            if not len(ts):
                continue
            self._series.setdefault(mid, _Series()).replace(np.asarray(ts, float), np.asarray(vals, float))
        self._mark("history")

    def mark_history_absent(self) -> None:
        """The platform keeps no history (its /series answers 404): the charts draw live points only."""
        self.history_absent = True
        self._mark("history")

    def track(self, metrics: Iterable[str]) -> None:
        """Keep the live history of these metrics (the ones some view charts)."""
        for mid in metrics:
            self._series.setdefault(mid, _Series())

    def set_error(self, error: str | None) -> None:
        if error != self.error:
            self.error = error
            self._mark("error")

    def set_alarms(self, records: dict[str, AlarmRecord]) -> None:
        if records != self.alarms:
            self.alarms = records
            self._mark("alarms")

    def set_cursor(self, at_ms: int | None) -> None:
        """Move the time cursor: None is live, else the past moment shown."""
        if at_ms != self.cursor_ms:
            self.cursor_ms = at_ms
            if at_ms is None:
                self.past_snapshot, self.past_history = None, {}
            self._mark("cursor")

    def set_past(self, at_ms: int, snap: Snapshot | None,
                 history: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> None:
        """What the brain was at ``at_ms`` (``snap`` None: not kept); ``history``: the charts'
        history up to it (None: keep what is loaded)."""
        self.cursor_ms = at_ms
        self.past_snapshot = snap
        if history is not None:
            self.past_history = history
            self._mark("history")
        self._mark("cursor")

    def shown_snapshot(self) -> Snapshot | None:
        """The snapshot views show: the live one, or the past one at the cursor."""
        return self.snapshot if self.cursor_ms is None else self.past_snapshot

    def shown_series(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        if self.cursor_ms is None:
            return self.series(metric)
        return self.past_history.get(metric, (np.empty(0), np.empty(0)))

    # ---- coalescing ----------------------------------------------------------------

    def _mark(self, what: str) -> None:
        self._pending[what] = True
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Emit what is pending now (the frame timer does this; tests and capture may too)."""
        self._timer.stop()
        if not self._pending:
            return
        change = Change(**self._pending)
        self._pending = {}
        self.changed.emit(change)


class Models(QObject):
    """One :class:`BrainModel` per brain, shared by every window of the process."""

    alerts_changed = Signal()  # some brain's alerts (or their handling) changed

    def __init__(self, parent: QObject | None = None, *, frame_ms: int = FRAME_MS) -> None:
        super().__init__(parent)
        self._frame_ms = frame_ms
        self._models: dict[str, BrainModel] = {}
        self.listeners: list[Callable[[str, Change], None]] = []
        # the alarm loop: what the API says of each alarm, and this desk's actions not sent yet
        self.records: dict[str, AlarmRecord] = {}
        self.pending: dict[str, list[Any]] = {}  # alert id -> hub.alarms.PendingAction, oldest first
        self.rejected: list[tuple[Any, str]] = []  # (action, why) the API refused
        self.seen_alerts: OrderedDict[str, Alert] = OrderedDict()  # every alert seen (the journal)

    def brain(self, brain_id: str) -> BrainModel:
        m = self._models.get(brain_id)
        if m is None:
            m = self._models[brain_id] = BrainModel(brain_id, self, frame_ms=self._frame_ms)
            m.changed.connect(lambda ch, b=brain_id: self._on_change(b, ch))
        return m

    def get(self, brain_id: str) -> BrainModel | None:
        return self._models.get(brain_id)

    def __iter__(self):
        return iter(list(self._models.values()))

    def _on_change(self, brain_id: str, change: Change) -> None:
        if change.alarms:
            self.alerts_changed.emit()
        for fn in list(self.listeners):
            fn(brain_id, change)

    # ---- hub and cache entry points -----------------------------------------------

    def on_update(self, update, cached: bool = False) -> None:
        """A hub BrainUpdate (or one painted from the cache, ``cached``)."""
        self.brain(update.brain).set_snapshot(update.snapshot, update.received_ms, cached,
                                              getattr(update, "problems", None))
        self.note_alerts(update.snapshot.alerts)

    def note_alerts(self, alerts: Iterable[Alert]) -> None:
        """Alerts seen (live, or from the cache's history): the journal lists them all."""
        for a in alerts:
            if a.id in self.seen_alerts:
                self.seen_alerts.move_to_end(a.id)
            self.seen_alerts[a.id] = a
        while len(self.seen_alerts) > MAX_SEEN_ALERTS:
            self.seen_alerts.popitem(last=False)

    def set_alarms(self, records: dict[str, AlarmRecord], pending: Iterable[Any] = (),
                   rejected: Iterable[tuple[Any, str]] = ()) -> None:
        """The alarm desk's records and queue (hub.alarms.AlarmDesk); every view is told."""
        self.records = dict(records)
        self.pending = {}
        for p in pending:
            self.pending.setdefault(p.alert_id, []).append(p)
        self.rejected = list(rejected)
        for rec in self.records.values():
            if rec.alert is not None and rec.alert.id not in self.seen_alerts:
                self.note_alerts([rec.alert])
        by_brain: dict[str, dict[str, AlarmRecord]] = {}
        for rec in self.records.values():
            by_brain.setdefault(rec.brain, {})[rec.alert_id] = rec
        for m in self:
            m.set_alarms(by_brain.get(m.brain, {}))
        self.alerts_changed.emit()

    def state_of(self, alert_id: str) -> tuple[str, bool]:
        """(state, pending): the state as this desk will have it, and whether an action of
        it is still waiting to be sent."""
        mine = self.pending.get(alert_id)
        if mine:
            return STATE_OF_ACTION[mine[-1].action], True
        rec = self.records.get(alert_id)
        return (rec.state if rec is not None else "new"), False

    def handled(self, alert: Alert) -> bool:
        """Someone acknowledged it (here, maybe not sent yet, or at another desk)."""
        return self.state_of(alert.id)[0] != "new"

    def on_status(self, status) -> None:
        for m in self:
            m.set_error(status.errors.get(m.brain))
        for b in status.errors:
            self.brain(b).set_error(status.errors[b])

    def flush(self) -> None:
        for m in self:
            m.flush()

    # ---- what rotation, report, tickers and export read -----------------------------

    def all_alerts(self) -> list[tuple[str, Alert]]:
        """(brain id, alert) for every brain's active alerts (at the time cursor)."""
        out: list[tuple[str, Alert]] = []
        for m in self:
            snap = m.shown_snapshot()
            out.extend((m.brain, a) for a in (snap.alerts if snap is not None else []))
        return out

    def alarming(self, seen: Callable[[Alert], bool] | None = None) -> set[str]:
        """Brains with an active "alarm" (not "warn") alert not yet ``seen`` (by default:
        not acknowledged: an acknowledged alarm counts as seen)."""
        seen = seen or self.handled
        return {m.brain for m in self for a in m.alerts if a.level == "alarm" and not seen(a)}

    def unacknowledged(self) -> list[tuple[str, Alert]]:
        """(brain, alert) of every active alarm-level alert nobody acknowledged yet."""
        return [(m.brain, a) for m in self for a in m.alerts if a.level == "alarm" and not self.handled(a)]

    def cursor(self) -> int | None:
        """The moment every view shows (None: live)."""
        return next((m.cursor_ms for m in self if m.cursor_ms is not None), None)

    def data_as_of(self) -> int | None:
        """When the newest data the models hold arrived."""
        return max((m.received_ms for m in self if m.received_ms is not None), default=None)

    def any_cached(self) -> bool:
        return any(m.from_cache for m in self)
