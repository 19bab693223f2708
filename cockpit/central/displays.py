"""The display fleet of the reference server: the last heartbeat of every cockpit.

Each cockpit posts a :class:`~cockpit.api.schema.DisplayHeartbeat` every ``period_s``
(60 s by default); :class:`DisplayRegistry` keeps the last one per display in memory
(bounded: the display heard from least recently is dropped past ``max_displays``) and
derives each display's state when the list is asked for, from the server's clock:

* ``down``  — no heartbeat for ``DOWN_AFTER_BEATS`` periods (5, plus a quarter period of
  grace for jitter and the network: 315 s at 60 s);
* ``stale`` — no heartbeat for ``STALE_AFTER_BEATS`` periods (2, plus the grace: 135 s),
  or the display says its link to the data is offline, or a brain's data on it arrived
  more than ``data_stale_s`` ago (300 s by default), or the shown tab's brain has no data;
* ``ok``    — otherwise.

Ages are measured on the server's clock from when a heartbeat arrived, never from the
display's own ``ts`` (a display's clock may be wrong). Thread-safe: FastAPI runs plain
endpoints on a thread pool.

The heartbeats live in the :class:`~cockpit.central.state.StateStore` (SQLite in memory by
default; a file or PostgreSQL shared by several workers), so any worker lists every
display; each recorded heartbeat publishes a ``displays`` change event on the store's bus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cockpit.api.schema import DisplayHeartbeat, DisplayList, DisplayState, DisplayStatus
from cockpit.central.state import StateStore, displays_table

__all__ = ["DATA_STALE_S", "DOWN_AFTER_BEATS", "MAX_DISPLAYS", "STALE_AFTER_BEATS", "DisplayRegistry"]


def pg_insert(table: Any) -> Any:
    """PostgreSQL's INSERT (with ON CONFLICT), its dialect imported only when a PostgreSQL
    database is used: the embedded server's SQLite does not carry it (18 modules, 1.8 MB)."""
    from sqlalchemy.dialects.postgresql import insert

    return insert(table)

MAX_DISPLAYS = 1000
STALE_AFTER_BEATS = 2
DOWN_AFTER_BEATS = 5
GRACE_BEATS = 0.25  # a heartbeat may come a little late (jitter, a slow network)
DATA_STALE_S = 300.0  # a brain's data on a wall older than this makes the wall stale
MAX_REASONS = 6  # reasons listed per display (the rest are counted)


class DisplayRegistry:
    """The last heartbeat per display, and each display's state on request."""

    def __init__(
        self,
        clock: Callable[[], int],
        *,
        max_displays: int = MAX_DISPLAYS,
        data_stale_s: float = DATA_STALE_S,
        store: StateStore | None = None,
    ) -> None:
        if max_displays < 1:
            raise ValueError("max_displays must be at least 1")
        self.clock = clock
        self.max_displays = max_displays
        self.data_stale_s = data_stale_s
        self.store = store if store is not None else StateStore()

    def record(self, hb: DisplayHeartbeat) -> int:
        """Keep ``hb`` as its display's last heartbeat; returns when it arrived (epoch ms)."""
        received = self.clock()
        t = displays_table
        engine = self.store.engine
        with self.store.write_lock, engine.begin() as conn:
            heard = int(conn.execute(select(func.coalesce(func.max(t.c.heard), 0))).scalar_one()) + 1
            row = {"display_id": hb.display_id, "heartbeat": hb.model_dump_json(), "received_ms": received,
                   "heard": heard}
            ins = (pg_insert if engine.dialect.name == "postgresql" else sqlite_insert)(t).values(**row)
            conn.execute(ins.on_conflict_do_update(
                index_elements=[t.c.display_id],
                set_={"heartbeat": row["heartbeat"], "received_ms": received, "heard": heard},
            ))
            count = conn.execute(select(func.count()).select_from(t)).scalar_one()
            if count > self.max_displays:  # the ones heard from least recently go
                old = select(t.c.display_id).order_by(t.c.heard).limit(count - self.max_displays)
                conn.execute(delete(t).where(t.c.display_id.in_(old.scalar_subquery())))
            self.store.bus.publish("displays", {"display_id": hb.display_id, "received_ms": received}, conn)
        return received

    def __len__(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(displays_table)).scalar_one())

    def _rows(self, display_id: str | None = None) -> list[tuple[DisplayHeartbeat, int]]:
        t = displays_table
        q = select(t.c.heartbeat, t.c.received_ms).order_by(t.c.display_id)
        if display_id is not None:
            q = q.where(t.c.display_id == display_id)
        with self.store.engine.connect() as conn:
            rows = conn.execute(q).all()
        out = [(DisplayHeartbeat.model_validate_json(hb), int(rec)) for hb, rec in rows]
        return sorted(out, key=lambda e: e[0].display_id)  # code points, whatever the database's collation

    def status(self, display_id: str) -> DisplayStatus | None:
        rows = self._rows(display_id)
        return None if not rows else self._status(*rows[0], self.clock())

    def listing(self) -> DisplayList:
        """Every display, ordered by id, with its state as of now."""
        now = self.clock()
        return DisplayList(ts=now, displays=[self._status(hb, rec, now) for hb, rec in self._rows()])

    def _status(self, hb: DisplayHeartbeat, received: int, now: int) -> DisplayStatus:
        age_s = max(0, now - received) / 1000
        missed = int(age_s / hb.period_s - GRACE_BEATS) if age_s > 0 else 0
        reasons: list[str] = []
        state: DisplayState = "ok"
        if missed >= STALE_AFTER_BEATS:
            state = "down" if missed >= DOWN_AFTER_BEATS else "stale"
            reasons.append(f"no heartbeat for {age_s:.0f} s ({missed} missed)")
        if hb.link == "offline":
            reasons.append("display reports its data link offline")
        if hb.shown_tab is not None and hb.shown_tab in hb.data_age_s and hb.data_age_s[hb.shown_tab] is None:
            reasons.append(f"shown tab {hb.shown_tab!r} has no data")
        old = [(b, a) for b, a in hb.data_age_s.items() if a is not None and a > self.data_stale_s]
        for brain, age in sorted(old, key=lambda x: -x[1])[:MAX_REASONS]:
            reasons.append(f"{brain} data {age:.0f} s old")
        if len(old) > MAX_REASONS:
            reasons.append(f"{len(old) - MAX_REASONS} more brains with old data")
        if state == "ok" and reasons:
            state = "stale"
        return DisplayStatus(heartbeat=hb, received_ms=received, age_s=age_s, state=state, reasons=reasons)
