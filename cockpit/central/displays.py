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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from cockpit.api.schema import DisplayHeartbeat, DisplayList, DisplayState, DisplayStatus

__all__ = ["DATA_STALE_S", "DOWN_AFTER_BEATS", "MAX_DISPLAYS", "STALE_AFTER_BEATS", "DisplayRegistry"]

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
    ) -> None:
        if max_displays < 1:
            raise ValueError("max_displays must be at least 1")
        self.clock = clock
        self.max_displays = max_displays
        self.data_stale_s = data_stale_s
        self._lock = threading.Lock()
        # display id -> (last heartbeat, server time it arrived); least recently heard first
        self._last: OrderedDict[str, tuple[DisplayHeartbeat, int]] = OrderedDict()

    def record(self, hb: DisplayHeartbeat) -> int:
        """Keep ``hb`` as its display's last heartbeat; returns when it arrived (epoch ms)."""
        received = self.clock()
        with self._lock:
            self._last[hb.display_id] = (hb, received)
            self._last.move_to_end(hb.display_id)
            while len(self._last) > self.max_displays:
                self._last.popitem(last=False)
        return received

    def __len__(self) -> int:
        with self._lock:
            return len(self._last)

    def status(self, display_id: str) -> DisplayStatus | None:
        with self._lock:
            entry = self._last.get(display_id)
        return None if entry is None else self._status(*entry, self.clock())

    def listing(self) -> DisplayList:
        """Every display, ordered by id, with its state as of now."""
        now = self.clock()
        with self._lock:
            entries = sorted(self._last.values(), key=lambda e: e[0].display_id)
        return DisplayList(ts=now, displays=[self._status(hb, rec, now) for hb, rec in entries])

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
