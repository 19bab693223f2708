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

**One serialization for every subscriber.** Each second's events for a list of brains
are serialized once, into bytes shared by every stream of that list (and by the
snapshot route); one ticker task per event loop and brain list publishes them to the
subscribers. Each subscriber has a bounded queue (:data:`QUEUE_MAX` items): a client that
reads too slowly to keep it from filling is dropped (its connection is cut, when the
server offers a way to) and resumes with ``Last-Event-ID``; it never slows the others.
A stream whose clock jumps ahead (a stalled loop) catches up second by second, or, more
than :data:`RESUME_WINDOW_MS` behind, gets fresh snapshots at the current second.

:meth:`StreamHub.close` ends every open stream at once (the embedded server calls it when
it stops, so uvicorn's graceful shutdown does not wait for them).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from cockpit.api.schema import Alert, Heartbeat, Reading, Snapshot, StreamAlerts, StreamDelta, StreamPanels
from cockpit.central.panels import CADENCE, tick_of
from cockpit.central.simulator import Simulator

__all__ = ["LAG_LIMIT_MS", "QUEUE_MAX", "RESUME_WINDOW_MS", "RETRY_MS", "SLOTS", "StreamHub", "parse_event_id"]

log = logging.getLogger("cockpit.central.stream")

#: How far back a ``Last-Event-ID`` can resume from (older: full snapshots).
RESUME_WINDOW_MS = 10 * 60 * 1000
#: The reconnection delay the stream asks of clients (``retry:`` field).
RETRY_MS = 2000
#: A client this far behind (and falling further behind) is resynchronised with snapshots.
LAG_LIMIT_MS = 30_000
_CACHE_SIZE = 512  # (brain, second) states shared by every open stream (~3 kB each)
_BYTES_SIZE = 256  # serialized chunks shared by every open stream
#: Items (one per second, plus change events) a subscriber may have waiting before it is dropped.
QUEUE_MAX = 16
_TICKER_GAP_S = 5  # a ticker further behind publishes only the current second
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


def _event(kind: str, event_id: str, data: str | bytes) -> bytes:
    # model_dump_json never writes a raw newline, so one data: line carries the payload
    raw = data if isinstance(data, bytes) else data.encode()
    return f"event: {kind}\nid: {event_id}\ndata: ".encode() + raw + b"\n\n"


#: a queued item: (kind "sec" | "change", second T, slot, the bytes to write, the same
#: bytes framed as one HTTP/1.1 chunk for a direct write)
_Item = tuple[str, int, int, bytes, bytes]


def _item(kind: str, t: int, slot: int, data: bytes) -> _Item:
    return (kind, t, slot, data, b"%x\r\n%b\r\n" % (len(data), data) if data else b"")


@dataclass(eq=False)
class _Sub:
    """One open stream: its queue of published items and how to end it."""

    loop: asyncio.AbstractEventLoop
    wake: asyncio.Event
    abort: Callable[[], None] | None
    queue_max: int
    topics: frozenset[str] = frozenset()
    queue: deque[_Item] = field(default_factory=deque)
    dropped: bool = False
    closed: bool = False
    #: live and caught up: the ticker writes each item's framed bytes straight to the
    #: connection (no task switch, no per-client framing); None: items go through the queue
    raw: Callable[[bytes], bool] | None = None
    last: int = 0  # the stream's position while `raw` (second, slot)
    slot: int = -1

    def push(self, item: _Item, hub: StreamHub) -> None:
        if self.dropped or self.closed:
            return
        if self.raw is not None and not self.queue:
            kind, t, islot, data, framed = item
            if kind == "change":
                if self.raw(framed):
                    return
            elif t <= self.last:
                return
            elif t == self.last + 1000:
                if not data or self.raw(framed):
                    self.last, self.slot = t, -1
                    return
            # a gap, or the connection's buffer is full: the stream's task takes over again
            self.raw = None
        if len(self.queue) >= self.queue_max:  # it reads too slowly: let it go, it resumes by id
            self.dropped = True
            self.queue.clear()
            hub.dropped += 1
            log.info("stream client %d items behind: dropped (it resumes with Last-Event-ID)", self.queue_max)
            if self.abort is not None:
                self.abort()
        else:
            self.queue.append(item)
        self.wake.set()

    def end(self) -> None:
        self.closed = True
        self.wake.set()


@dataclass(eq=False)
class _Channel:
    """The subscribers of one brain list on one event loop, and the ticker that feeds them."""

    brains: tuple[str, ...]
    subs: set[_Sub] = field(default_factory=set)
    task: asyncio.Task[None] | None = None
    prefetch: asyncio.Task[bytes] | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)


class StreamHub:
    """Makes the event streams of one app; every open stream shares its state and byte caches."""

    def __init__(self, sim: Simulator, now_ms: Callable[[], int], heartbeat_s: float = 5.0,
                 queue_max: int = QUEUE_MAX) -> None:
        if not heartbeat_s > 0:
            raise ValueError(f"heartbeat_s must be positive, got {heartbeat_s}")
        if queue_max < 2:
            raise ValueError(f"queue_max must be at least 2, got {queue_max}")
        self.sim = sim
        self.heartbeat_s = float(heartbeat_s)
        self.queue_max = queue_max
        self._now = now_ms
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int], _State] = OrderedDict()
        self._bytes: OrderedDict[Hashable, bytes] = OrderedDict()
        self._pending: dict[tuple[asyncio.AbstractEventLoop, Hashable], asyncio.Task[bytes]] = {}
        self._subs: set[_Sub] = set()
        self._channels: dict[tuple[asyncio.AbstractEventLoop, tuple[str, ...]], _Channel] = {}
        #: streams dropped for reading too slowly (since start)
        self.dropped = 0
        #: chunks serialized (each once, whatever the number of subscribers)
        self.serialized = 0

    # ---- lifecycle -------------------------------------------------------------------

    @property
    def open_streams(self) -> int:
        with self._lock:
            return len(self._subs)

    def close(self) -> None:
        """End every open stream promptly (thread-safe; streams opened later are served)."""
        with self._lock:
            subs = list(self._subs)
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub.end)
            except RuntimeError:  # its loop is already closed: nothing left to end
                pass

    def publish_change(self, topic: str, data: dict[str, Any]) -> None:
        """Send a change event (from the state store's bus) to the streams that asked for
        ``topic``: ``event: change`` without an id (it is not part of the replayable,
        deterministic stream; a client that missed it reloads the state). Thread-safe."""
        payload = json.dumps({"topic": topic, "data": data}, ensure_ascii=False, separators=(",", ":"))
        item = _item("change", 0, 0, b"event: change\ndata: " + payload.encode() + b"\n\n")
        with self._lock:
            subs = [s for s in self._subs if topic in s.topics]
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub.push, item, self)
            except RuntimeError:  # its loop is closed
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

    def _cached(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            got = self._bytes.get(key)
            if got is not None:
                self._bytes.move_to_end(key)
                return got
        got = make()
        with self._lock:
            self.serialized += 1
            self._bytes[key] = got
            while len(self._bytes) > _BYTES_SIZE:
                self._bytes.popitem(last=False)
        return got

    async def _shared(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """``make()``'s bytes for ``key``, made once in a worker thread however many ask at once."""
        with self._lock:
            got = self._bytes.get(key)
        if got is not None:
            return got
        loop = asyncio.get_running_loop()
        pkey = (loop, key)
        task = self._pending.get(pkey)
        if task is None:
            task = loop.create_task(asyncio.to_thread(self._cached, key, make))
            self._pending[pkey] = task
            task.add_done_callback(lambda _t: self._pending.pop(pkey, None))
        return await asyncio.shield(task)

    def snapshot_json(self, brain: str, t: int) -> bytes:
        """The brain's Snapshot at second ``t`` as JSON, serialized once (shared with the stream)."""

        def make() -> bytes:
            st = self._state(brain, t)
            snap = Snapshot(brain=brain, ts=t, values=st.readings, alerts=st.alerts, panels=self.sim.panels.at(brain, t))
            return snap.model_dump_json().encode()

        return self._cached(("snap", brain, t), make)

    def changed_at(self, brain: str, t: int) -> bool:
        """Whether anything a snapshot of ``brain`` shows changed at second ``t``."""
        cur, prev = self._state(brain, t), self._state(brain, t - 1000)
        return cur.readings != prev.readings or cur.alerts != prev.alerts or any(tick_of(t, c) == t for c in CADENCE.get(brain, {}).values())

    def version(self, brain: str, t: int, lookback_s: int = 60) -> int:
        """The last second ≤ ``t`` at which ``brain``'s snapshot changed (a version counter:
        equal versions mean equal snapshots, so a conditional GET is answered from it without
        building the body). Looks back ``lookback_s`` at most (then ``t``: a new version)."""
        for k in range(lookback_s):
            s = t - 1000 * k
            if self.changed_at(brain, s):
                return s
        return t

    def _snapshots(self, brains: tuple[str, ...], t: int, first: int = 0) -> bytes:
        return b"".join(
            _event("snapshot", f"{t}-{SLOTS * i}", self.snapshot_json(brains[i], t)) for i in range(first, len(brains))
        )

    def _second(self, brains: tuple[str, ...], t: int, after_slot: int = -1) -> bytes:
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

    async def _second_shared(self, brains: tuple[str, ...], t: int) -> bytes:
        return await self._shared(("sec", brains, t), lambda: self._second(brains, t))

    async def _snapshots_shared(self, brains: tuple[str, ...], t: int, first: int = 0) -> bytes:
        return await self._shared(("snaps", brains, t, first), lambda: self._snapshots(brains, t, first))

    def resume_point(self, last_event_id: str | None, now: int) -> tuple[int, int] | None:
        """Where a ``Last-Event-ID`` resumes, or None for a fresh start (see the module doc)."""
        pos = parse_event_id(last_event_id)
        if pos is None:
            return None
        t, _slot = pos
        if t > now or now - t > RESUME_WINDOW_MS:
            return None
        return pos

    # ---- the ticker: one per event loop and brain list --------------------------------

    def _channel(self, brains: tuple[str, ...]) -> _Channel:
        loop = asyncio.get_running_loop()
        ch = self._channels.get((loop, brains))
        if ch is None:
            ch = self._channels[(loop, brains)] = _Channel(brains)
        if ch.task is None or ch.task.done():
            ch.task = loop.create_task(self._tick(ch))
        return ch

    async def _tick(self, ch: _Channel) -> None:
        loop = asyncio.get_running_loop()
        brains = ch.brains
        last = self._now() // 1000 * 1000
        try:
            while ch.subs:
                now = self._now()
                target = now // 1000 * 1000
                if target > last:
                    first = last + 1000 if target - last <= _TICKER_GAP_S * 1000 else target
                    for t in range(first, target + 1, 1000):
                        chunk = await self._second_shared(brains, t)
                        item = _item("sec", t, -1, chunk)
                        for sub in list(ch.subs):
                            sub.push(item, self)
                    last = target
                    # make the next second's bytes now (the simulator is a function of time), so
                    # they go out on the second, not a computation later; sent only at that second
                    ch.prefetch = loop.create_task(self._second_shared(brains, last + 1000))
                # to the next second; at least every heartbeat period (a clock may be injected)
                timeout = min((last + 1000 - self._now()) / 1000, self.heartbeat_s)
                if timeout > 0 and ch.subs:
                    ch.wake.clear()
                    try:
                        await asyncio.wait_for(ch.wake.wait(), timeout)
                    except TimeoutError:
                        pass
        finally:
            if self._channels.get((loop, brains)) is ch and not ch.subs:
                del self._channels[(loop, brains)]

    # ---- the stream ------------------------------------------------------------------

    async def stream(
        self, brains: list[str], last_event_id: str | None = None, abort: Callable[[], None] | None = None,
        topics: frozenset[str] = frozenset(), raw_write: Callable[[bytes], bool] | None = None,
    ) -> AsyncIterator[bytes]:
        """The event stream for ``brains`` (all known), as chunks of SSE bytes.

        ``topics``: change topics to forward (see :meth:`publish_change`).
        ``raw_write(framed_chunk) -> bool`` writes to the connection directly (False: it cannot
        take more now); given, a caught-up stream is fed by the ticker without waking its task.
        ``abort`` cuts the connection (a stream dropped for reading too slowly may be stuck
        writing); without it a dropped stream ends at its next write.
        """
        loop = asyncio.get_running_loop()
        blist = tuple(brains)
        n = len(blist)
        sub = _Sub(loop, asyncio.Event(), abort, self.queue_max, topics)
        with self._lock:
            self._subs.add(sub)
        ch: _Channel | None = None
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            now = self._now()
            pos = self.resume_point(last_event_id, now)
            slot = -1
            if pos is None:
                last = now // 1000 * 1000
                yield await self._snapshots_shared(blist, last)
            else:
                last, slot = pos
                if slot < SLOTS * n and slot % SLOTS == 0:
                    chunk = await self._snapshots_shared(blist, last, slot // SLOTS + 1)
                else:
                    chunk = await asyncio.to_thread(self._second, blist, last, slot)
                if chunk:
                    yield chunk
            for tp in sorted(topics):  # the client knows this stream carries the topic: it need not poll it
                yield b"event: change\ndata: " + json.dumps(
                    {"topic": tp, "data": {"subscribed": True}}, separators=(",", ":")).encode() + b"\n\n"
            ch = self._channel(blist)
            ch.subs.add(sub)
            ch.wake.set()  # a ticker asleep until its next heartbeat looks at the clock now
            prev_lag: int | None = None
            next_beat = loop.time() + self.heartbeat_s
            while not sub.closed and not sub.dropped:
                # first what the clock says is due (a resumed stream, a late join, a clock jump)
                upto = self._now() // 1000 * 1000
                if sub.queue and sub.queue[0][0] == "sec":
                    upto = max(upto, sub.queue[0][1] - 1000)
                while last + 1000 <= upto and not (sub.closed or sub.dropped):
                    now = self._now()
                    lag = now - (last + 1000)
                    falling_behind = prev_lag is not None and lag > prev_lag
                    if lag > RESUME_WINDOW_MS or (lag > LAG_LIMIT_MS and falling_behind):
                        last = now // 1000 * 1000
                        log.info("stream client %d s behind: resynchronised with snapshots", lag // 1000)
                        yield await self._snapshots_shared(blist, last)
                        prev_lag = None
                    else:
                        chunk = await self._second_shared(blist, last + 1000)
                        last, prev_lag = last + 1000, lag
                        if chunk:
                            yield chunk
                    slot = -1
                sub.wake.clear()
                if sub.closed or sub.dropped:
                    break
                if not sub.queue:
                    if raw_write is not None:
                        sub.last, sub.slot, sub.raw = last, slot, raw_write
                    wait = next_beat - loop.time()
                    if wait > 0:
                        try:
                            await asyncio.wait_for(sub.wake.wait(), wait)
                        except TimeoutError:
                            pass
                    if sub.raw is not None or raw_write is not None:
                        sub.raw = None
                        last, slot = sub.last, sub.slot
                    if loop.time() >= next_beat and not (sub.closed or sub.dropped):
                        # this stream's own heartbeat: ids `<last>-<4B + k>`, after whatever it had
                        slot = max(slot + 1, SLOTS * n)
                        yield _event("heartbeat", f"{last}-{slot}", Heartbeat(ts=self._now()).model_dump_json())
                        next_beat += self.heartbeat_s
                        if next_beat <= loop.time():  # it read slowly: no burst of beats
                            next_beat = loop.time() + self.heartbeat_s
                    continue
                kind, t, _slot, data, _framed = sub.queue.popleft()
                if kind == "change":
                    yield data
                elif t == last + 1000:
                    last, slot = t, -1
                    if data:
                        yield data
        finally:
            with self._lock:
                self._subs.discard(sub)
            if ch is not None:
                ch.subs.discard(sub)
                ch.wake.set()
