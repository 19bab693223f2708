"""The push stream of the ``bench`` brain at the benchmark's rate (``cockpit --bench``).

The reference server's stream (:mod:`cockpit.central.stream`) brings every brain up to date
once a second. The peer benchmark asks for 1 Hz and for 10 Hz; to measure the client at
10 Hz through its real path (HTTP, the SSE reader, the hub, the cache, the widgets), the
embedded server must push ten times a second. :class:`BenchRateApp` wraps the server's
ASGI app and answers exactly one request itself — ``GET /api/v1/stream?brains=bench`` —
with the same contract (``retry:``, one ``snapshot``, then a ``delta`` per tick with every
bench reading measured at that tick, ``heartbeat`` every ``heartbeat_s``); everything else
(catalog, snapshots, series, other brains' streams) goes to the wrapped app unchanged.

Ticks are multiples of ``1000 / rate_hz`` ms on the server's clock; the values are the
simulator's at that instant (the bench metrics move continuously). Event ids are
``<tick ms>-<n>``: a client resuming with one gets fresh snapshots (the bench has nothing
to catch up on). A reader slower than the rate is not buffered for: past one second
behind, the stream jumps to the current tick (those updates are lost, which the bench
counts, as the client never shows them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from cockpit.api.schema import API_PREFIX, Heartbeat, Reading, StreamDelta
from cockpit.central.simulator import Simulator
from cockpit.central.stream import RETRY_MS

__all__ = ["BenchRateApp", "bench_events"]

BRAIN = "bench"
MAX_LAG_MS = 1000  # a reader this far behind skips to the current tick


def _event(kind: str, event_id: str, data: str) -> bytes:
    return f"event: {kind}\nid: {event_id}\ndata: {data}\n\n".encode()


def _readings(sim: Simulator, ids: list[str], t: int) -> dict[str, Reading]:
    return {m: Reading(value=sim.value(m, t), ts=t) for m in ids}


async def bench_events(
    sim: Simulator,
    rate_hz: float,
    now_ms: Callable[[], int],
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    heartbeat_s: float = 5.0,
    closed: asyncio.Event | None = None,
    max_ticks: int | None = None,
) -> AsyncIterator[bytes]:
    """The bench brain's event stream: ``retry``, a snapshot, then one delta per tick.

    ``now_ms``/``sleep`` are injectable (tests run it on a fake clock); ``max_ticks``
    ends it after that many deltas; ``closed`` ends it when set."""
    if not rate_hz > 0:
        raise ValueError(f"rate_hz must be positive, got {rate_hz}")
    period = max(1, round(1000 / rate_hz))
    ids = [m.id for m in sim.brain(BRAIN).metrics]  # type: ignore[union-attr]
    yield f"retry: {RETRY_MS}\n\n".encode()
    now = now_ms()
    last = now // period * period
    snap = sim.snapshot(BRAIN, last).model_copy(update={"values": _readings(sim, ids, last)})
    yield _event("snapshot", f"{last}-0", snap.model_dump_json())
    next_beat = now + heartbeat_s * 1000
    beats = ticks = 0
    while not (closed is not None and closed.is_set()) and (max_ticks is None or ticks < max_ticks):
        now = now_ms()
        due = last + period
        if now < due:
            await sleep(min(due, next_beat) / 1000 - now / 1000)
            now = now_ms()
        if now >= due:
            if now - due > MAX_LAG_MS:  # far behind: the updates in between are never sent
                due = now // period * period
            delta = StreamDelta(brain=BRAIN, ts=due, values=_readings(sim, ids, due))
            yield _event("delta", f"{due}-1", delta.model_dump_json())
            last, beats = due, 0
            ticks += 1
        if now >= next_beat:
            yield _event("heartbeat", f"{last}-{4 + beats}", Heartbeat(ts=now).model_dump_json())
            beats += 1
            next_beat = max(next_beat + heartbeat_s * 1000, now)


class _ClosingHub:
    """``app.state.stream_hub`` stand-in: :class:`EmbeddedServer` closes both kinds of stream."""

    def __init__(self, inner: Any, closers: list[Callable[[], None]]) -> None:
        self._inner = inner
        self._closers = closers

    def close(self) -> None:
        for c in self._closers:
            c()
        if self._inner is not None:
            self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class BenchRateApp:
    """ASGI app: the bench brain's stream at ``rate_hz``, everything else from ``app``."""

    def __init__(self, app: Any, sim: Simulator, rate_hz: float, *, heartbeat_s: float = 5.0,
                 now_ms: Callable[[], int] | None = None) -> None:
        if sim.brain(BRAIN) is None:
            raise ValueError("the simulator has no bench brain")
        self.app = app
        self.sim = sim
        self.rate_hz = float(rate_hz)
        self.heartbeat_s = heartbeat_s
        self._now = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._open: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.state = app.state  # EmbeddedServer.stop() closes app.state.stream_hub: ours too
        self.state.stream_hub = _ClosingHub(getattr(app.state, "stream_hub", None), [self.close])

    def close(self) -> None:
        """End every open bench stream (thread-safe)."""
        for loop, ev in list(self._open):
            try:
                loop.call_soon_threadsafe(ev.set)
            except RuntimeError:
                pass

    def _is_bench_stream(self, scope: dict) -> bool:
        if scope.get("type") != "http" or scope.get("method") != "GET" or scope.get("path") != f"{API_PREFIX}/stream":
            return False
        brains = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("brains", [])
        return [b for raw in brains for b in raw.split(",") if b.strip()] == [BRAIN]

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if not self._is_bench_stream(scope):
            await self.app(scope, receive, send)
            return
        from starlette.responses import StreamingResponse

        closed = asyncio.Event()
        handle = (asyncio.get_running_loop(), closed)
        self._open.add(handle)
        try:
            events = bench_events(self.sim, self.rate_hz, self._now, heartbeat_s=self.heartbeat_s, closed=closed)
            resp = StreamingResponse(events, media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
            await resp(scope, receive, send)
        finally:
            self._open.discard(handle)
