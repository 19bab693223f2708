"""``GET /api/v1/stream``: the reference server's server-sent-events push stream.

The stream is a pure function of the requested brains and of time, because the
:class:`Simulator` is: second ``T`` of the stream is, for each brain in request order, a
``delta`` with the readings that differ from second ``T − 1 s``, an ``alerts`` event
when the set of active alerts (ids and levels) differs, and a ``panels`` event with the
brain's panels whose cadence tick starts at ``T`` (each panel whole). That is what makes
resuming exact: any second of the last :data:`RESUME_WINDOW_MS` can be computed again.

Event ids are ``"<T>-<slot>"``: ``T`` the second (epoch ms UTC, a multiple of 1000) and
``slot`` the event's fixed place in that second — brain ``i`` (its position in the
requested list, of ``B``) has slot ``4i`` for its snapshot, ``4i+1`` for its delta,
``4i+2`` for its alerts and ``4i+3`` for its panels; heartbeats sent after second ``T``
take ``4B``, ``4B+1``, … So ids increase as (T, slot) pairs, slots may skip (nothing
changed), and the id of the last event received says exactly what the client has:

* ``T-n`` with ``n < 4B`` and ``n ≡ 0 (mod 4)``: it was cut inside a snapshot burst at
  ``T``; it gets the snapshots at ``T`` of the brains after ``n // 4``, then deltas;
* any other ``n``: the events of second ``T`` with a slot above ``n``, then deltas from
  ``T + 1 s``;
* ``T`` older than :data:`RESUME_WINDOW_MS`, in the future, not on a second, or an id
  that does not parse: full snapshots, as on a fresh connect.

Resuming assumes the same ``brains`` list as the stream the id came from.

A client that falls more than :data:`LAG_LIMIT_MS` behind real time and keeps falling
behind (it reads slower than the stream is written), or more than
:data:`RESUME_WINDOW_MS` behind for any reason (the clock jumped), gets fresh snapshots
at the current second instead of the backlog. Nothing is buffered per client beyond one second's
events: the generator waits for the transport to drain (ASGI backpressure).

:meth:`StreamHub.close` ends every open stream at once (the embedded server calls it when
it stops, so uvicorn's graceful shutdown does not wait for them).
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from cockpit.api.schema import Alert, Heartbeat, Reading, Snapshot, StreamAlerts, StreamDelta, StreamPanels
from cockpit.central.simulator import Simulator

__all__ = ["LAG_LIMIT_MS", "RESUME_WINDOW_MS", "RETRY_MS", "SLOTS", "StreamHub", "parse_event_id"]

log = logging.getLogger("cockpit.central.stream")

#: How far back a ``Last-Event-ID`` can resume from (older: full snapshots).
RESUME_WINDOW_MS = 10 * 60 * 1000
#: The reconnection delay the stream asks of clients (``retry:`` field).
RETRY_MS = 2000
#: A client this far behind (and falling further behind) is resynchronised with snapshots.
LAG_LIMIT_MS = 30_000
_CACHE_SIZE = 512  # (brain, second) states shared by every open stream (~3 kB each)
#: event slots per brain and second: snapshot, delta, alerts, panels
SLOTS = 4
_ID_RE = re.compile(r"^(\d{1,16})-(\d{1,9})$")


def parse_event_id(raw: str | None) -> tuple[int, int] | None:
    """``"<T>-<slot>"`` → (T, slot), or None when it is not an id of this server."""
    if not raw:
        return None
    m = _ID_RE.match(raw.strip())
    if m is None:
        return None
    t, slot = int(m.group(1)), int(m.group(2))
    return (t, slot) if t % 1000 == 0 else None


@dataclass(frozen=True)
class _State:
    readings: dict[str, Reading]
    alerts: list[Alert]
    alert_keys: frozenset[tuple[str, str]]


def _event(kind: str, event_id: str, data: str) -> bytes:
    # model_dump_json never writes a raw newline, so one data: line carries the payload
    return f"event: {kind}\nid: {event_id}\ndata: {data}\n\n".encode()


class StreamHub:
    """Makes the event streams of one app; every open stream shares its state cache."""

    def __init__(self, sim: Simulator, now_ms: Callable[[], int], heartbeat_s: float = 5.0) -> None:
        if not heartbeat_s > 0:
            raise ValueError(f"heartbeat_s must be positive, got {heartbeat_s}")
        self.sim = sim
        self.heartbeat_s = float(heartbeat_s)
        self._now = now_ms
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int], _State] = OrderedDict()
        self._open: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        # the alarm loop (cockpit.central.alarms): each stream sends `event: alarm` (no id) for
        # every record changed since it last looked; alarm_feed(since) -> (version, SSE bytes)
        self.alarm_version = 0
        self.alarm_feed: Callable[[int], tuple[int, bytes]] | None = None

    # ---- lifecycle -------------------------------------------------------------------

    @property
    def open_streams(self) -> int:
        with self._lock:
            return len(self._open)

    def close(self) -> None:
        """End every open stream promptly (thread-safe; streams opened later are served)."""
        with self._lock:
            wakes = list(self._open)
        for loop, wake in wakes:
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # its loop is already closed: nothing left to end
                pass

    # ---- one second of data ----------------------------------------------------------

    def _state(self, brain: str, t: int) -> _State:
        key = (brain, t)
        with self._lock:
            st = self._cache.get(key)
            if st is not None:
                self._cache.move_to_end(key)
                return st
        readings = self.sim.readings(brain, t)
        alerts = self.sim.alerts(brain, t, readings)
        st = _State(readings, alerts, frozenset((a.id, a.level) for a in alerts))
        with self._lock:
            self._cache[key] = st
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return st

    def _snapshots(self, brains: list[str], t: int, first: int = 0) -> bytes:
        out = []
        for i in range(first, len(brains)):
            st = self._state(brains[i], t)
            snap = Snapshot(brain=brains[i], ts=t, values=st.readings, alerts=st.alerts,
                            panels=self.sim.panels.at(brains[i], t))
            out.append(_event("snapshot", f"{t}-{SLOTS * i}", snap.model_dump_json()))
        return b"".join(out)

    def _second(self, brains: list[str], t: int, after_slot: int = -1) -> bytes:
        out = []
        for i, brain in enumerate(brains):
            cur, prev = self._state(brain, t), self._state(brain, t - 1000)
            base = SLOTS * i
            if base + 1 > after_slot:
                changed = {k: r for k, r in cur.readings.items() if prev.readings.get(k) != r}
                if changed:
                    delta = StreamDelta(brain=brain, ts=t, values=changed)
                    out.append(_event("delta", f"{t}-{base + 1}", delta.model_dump_json()))
            if base + 2 > after_slot and cur.alert_keys != prev.alert_keys:
                alerts = StreamAlerts(brain=brain, ts=t, alerts=cur.alerts)
                out.append(_event("alerts", f"{t}-{base + 2}", alerts.model_dump_json()))
            if base + 3 > after_slot:
                due = self.sim.panels.due(brain, t)
                if due:
                    panels = StreamPanels(brain=brain, ts=t, panels=due)
                    out.append(_event("panels", f"{t}-{base + 3}", panels.model_dump_json()))
        return b"".join(out)

    def resume_point(self, last_event_id: str | None, now: int) -> tuple[int, int] | None:
        """Where a ``Last-Event-ID`` resumes, or None for a fresh start (see the module doc)."""
        pos = parse_event_id(last_event_id)
        if pos is None:
            return None
        t, _slot = pos
        if t > now or now - t > RESUME_WINDOW_MS:
            return None
        return pos

    # ---- the stream ------------------------------------------------------------------

    async def stream(self, brains: list[str], last_event_id: str | None = None) -> AsyncIterator[bytes]:
        """The event stream for ``brains`` (all known), as chunks of SSE bytes."""
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()
        handle = (loop, wake)
        with self._lock:
            self._open.add(handle)
        n = len(brains)
        alarm_seen = self.alarm_version  # changes after the stream opened are sent
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            now = self._now()
            pos = self.resume_point(last_event_id, now)
            slot = -1
            if pos is None:
                last = now // 1000 * 1000
                yield await asyncio.to_thread(self._snapshots, brains, last)
            else:
                last, slot = pos
                if slot < SLOTS * n and slot % SLOTS == 0:
                    chunk = await asyncio.to_thread(self._snapshots, brains, last, slot // SLOTS + 1)
                else:
                    chunk = await asyncio.to_thread(self._second, brains, last, slot)
                if chunk:
                    yield chunk
            # heartbeats sent since second `last` (a resumed heartbeat id is not sent twice)
            beats = max(0, slot - SLOTS * n + 1)
            next_beat = loop.time() + self.heartbeat_s
            prev_lag: int | None = None
            while not wake.is_set():
                if self.alarm_feed is not None and self.alarm_version != alarm_seen:
                    alarm_seen, chunk = await asyncio.to_thread(self.alarm_feed, alarm_seen)
                    if chunk:
                        yield chunk
                now = self._now()
                due = last + 1000
                if now >= due:
                    lag = now - due
                    falling_behind = prev_lag is not None and lag > prev_lag
                    if lag > RESUME_WINDOW_MS or (lag > LAG_LIMIT_MS and falling_behind):
                        last = now // 1000 * 1000
                        log.info("stream client %d s behind: resynchronised with snapshots", lag // 1000)
                        chunk = await asyncio.to_thread(self._snapshots, brains, last)
                        prev_lag = None
                    else:
                        chunk = await asyncio.to_thread(self._second, brains, due)
                        last, prev_lag = due, lag
                    beats = 0
                    if chunk:
                        yield chunk
                if loop.time() >= next_beat:
                    beat = Heartbeat(ts=self._now())
                    yield _event("heartbeat", f"{last}-{SLOTS * n + beats}", beat.model_dump_json())
                    beats += 1
                    next_beat += self.heartbeat_s
                    if next_beat <= loop.time():  # the client read slowly: no burst of beats
                        next_beat = loop.time() + self.heartbeat_s
                until_second = (last + 1000 - self._now()) / 1000
                if until_second > 0:  # caught up: sleep to the next second or heartbeat
                    timeout = min(until_second, next_beat - loop.time())
                    if timeout > 0:
                        try:
                            await asyncio.wait_for(wake.wait(), timeout)
                        except TimeoutError:
                            pass
        finally:
            with self._lock:
                self._open.discard(handle)
