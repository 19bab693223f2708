"""A thousand walls on one server (#14): each event serialized once for every subscriber,
conditional snapshots answered from a version counter, bounded per-client queues (a slow
reader is dropped and never slows the others). Clocks are injected: nothing here depends
on how fast the machine is."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import requests

from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.central.stream import StreamHub

SIM = Simulator(41)
T0 = 1_796_000_000_000
BRAINS = ["dyeing", "wine"]


def _raw_stream(port: int, brains: str) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET /api/v1/stream?brains={brains} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return s


def _read_until(s: socket.socket, marker: bytes, buf: bytearray) -> None:
    for _ in range(10_000):
        if marker in buf:
            return
        chunk = s.recv(65536)
        if not chunk:
            raise AssertionError("stream ended")
        buf += chunk
    raise AssertionError(f"no {marker!r}")


def _events(buf: bytes) -> dict[str, bytes]:
    """id -> the event's bytes (heartbeats left out: their ts is the time they were sent)."""
    out = {}
    for block in buf.split(b"\n\n"):
        lines = block.split(b"\n")
        ev = {ln.partition(b": ")[0]: ln.partition(b": ")[2] for ln in lines if b": " in ln}
        if b"id" in ev and ev.get(b"event") != b"heartbeat":
            out[ev[b"id"].decode()] = block
    return out


def test_twenty_streams_get_the_same_bytes_serialized_once() -> None:
    clock = [T0]
    app = create_app(SIM, clock=lambda: clock[0], heartbeat_s=0.05)
    hub: StreamHub = app.state.stream_hub
    with EmbeddedServer(app) as srv:
        socks = [_raw_stream(srv.port or 0, ",".join(BRAINS)) for _ in range(20)]
        bufs = [bytearray() for _ in socks]
        try:
            for s, b in zip(socks, bufs, strict=True):
                _read_until(s, f"id: {T0}-4\n".encode(), b)  # the second brain's snapshot
            before = hub.serialized
            for k in range(1, 6):
                clock[0] = T0 + 1000 * k
                for s, b in zip(socks, bufs, strict=True):
                    _read_until(s, f"id: {T0 + 1000 * k}-5\n".encode(), b)  # wine's delta of that second
            made = hub.serialized - before
        finally:
            for s in socks:
                s.close()
    evs = [_events(bytes(b)) for b in bufs]
    assert all(e == evs[0] for e in evs[1:])  # the same events, byte for byte
    assert len([i for i in evs[0] if i.endswith(("-1", "-5"))]) == 2 * 5  # both brains, 5 seconds
    # 5 seconds: one chunk each (and the shared snapshot states), not one per client
    assert made <= 5 + 2, made


def test_conditional_snapshot_answered_from_the_version_without_building_it() -> None:
    """A tag from one server (worker) is answered 304 by another that never built that
    snapshot: the version counter decides, no body is serialized."""
    clock = [T0 + 200]
    a = create_app(SIM, clock=lambda: clock[0])
    b = create_app(SIM, clock=lambda: clock[0])
    hub_b: StreamHub = b.state.stream_hub
    with EmbeddedServer(a) as srv_a, EmbeddedServer(b) as srv_b:
        r1 = requests.get(f"{srv_a.url}/api/v1/brains/wine/snapshot", timeout=10)
        tag = r1.headers["ETag"]
        clock[0] = T0 + 700  # the same second: the same version
        r2 = requests.get(f"{srv_b.url}/api/v1/brains/wine/snapshot", headers={"If-None-Match": tag}, timeout=10)
        assert r2.status_code == 304 and r2.headers["ETag"] == tag and r2.content == b""
        assert hub_b.serialized == 0  # no body was built for it
        r3 = requests.get(f"{srv_b.url}/api/v1/brains/wine/snapshot", timeout=10)
        assert r3.headers["ETag"] == tag and hub_b.serialized == 1
        assert r3.json() | {"ts": 0} == r1.json() | {"ts": 0}  # equal versions, equal snapshots
        assert r3.json()["ts"] == T0 + 700
        clock[0] = next(s for s in range(T0 + 1000, T0 + 600_000, 1000) if hub_b.changed_at("wine", s))
        r4 = requests.get(f"{srv_b.url}/api/v1/brains/wine/snapshot", headers={"If-None-Match": tag}, timeout=10)
        assert r4.status_code == 200 and r4.headers["ETag"] != tag


def test_two_servers_of_one_seed_agree_on_tags_and_event_ids() -> None:
    """What lets a client resume on another worker: same seed and time, same tags and ids."""
    clock = [T0 + 2500]
    tags, firsts = [], []
    for _ in range(2):
        with EmbeddedServer(create_app(Simulator(41), clock=lambda: clock[0], heartbeat_s=0.05)) as srv:
            tags.append(requests.get(srv.url + "/api/v1/brains/wine/snapshot", timeout=10).headers["ETag"])
            s = _raw_stream(srv.port or 0, "wine")
            buf = bytearray()
            try:
                _read_until(s, f"id: {T0 + 2000}-0\n".encode(), buf)
            finally:
                s.close()
            firsts.append(_events(bytes(buf)))
    assert tags[0] == tags[1]
    assert firsts[0] == firsts[1] and f"{T0 + 2000}-0" in firsts[0]


def test_slow_reader_is_dropped_and_never_slows_the_others() -> None:
    clock = [T0]
    hub = StreamHub(SIM, lambda: clock[0], heartbeat_s=0.05, queue_max=4)
    aborted: list[bool] = []

    async def main() -> tuple[list[int], int, bool]:
        fast = hub.stream(BRAINS)
        slow = hub.stream(BRAINS, abort=lambda: aborted.append(True))
        got: list[int] = []

        async def consume(gen: AsyncIterator[bytes]) -> None:
            async for chunk in gen:
                for block in chunk.split(b"\n\n"):
                    if block.startswith(b"event: delta") and b"-1\n" in block:  # dyeing's delta
                        got.append(int(block.split(b"id: ")[1].split(b"-")[0]))

        for _ in range(2):  # retry, snapshots: then it stops reading
            await slow.__anext__()
        slow_next = asyncio.ensure_future(slow.__anext__())
        reader = asyncio.ensure_future(consume(fast))
        for k in range(1, 21):
            await asyncio.sleep(0.01)
            clock[0] = T0 + 1000 * k
            for _ in range(200):  # let the fast one take that second
                await asyncio.sleep(0.005)
                if got and got[-1] == clock[0]:
                    break
        dropped_then = hub.dropped
        await asyncio.wait_for(slow_next, 5)  # it had one chunk; the next read ends it
        ended = False
        try:
            await asyncio.wait_for(slow.__anext__(), 5)
        except StopAsyncIteration:
            ended = True
        hub.close()
        await asyncio.wait_for(reader, 5)
        return got, dropped_then, ended

    got, dropped, ended = asyncio.run(main())
    assert got == [T0 + 1000 * k for k in range(1, 21)]  # the fast reader: every second, in time
    assert dropped == 1 and aborted == [True] and ended


def test_many_streams_stay_cheap_per_second() -> None:
    """200 subscribers of one brain list cost one serialization per second (the hub counts)."""
    clock = [T0]
    hub = StreamHub(SIM, lambda: clock[0], heartbeat_s=30)

    async def main() -> int:
        gens = [hub.stream(BRAINS) for _ in range(200)]
        counts = [0] * len(gens)

        async def consume(i: int) -> None:
            async for _ in gens[i]:
                counts[i] += 1

        tasks = [asyncio.ensure_future(consume(i)) for i in range(len(gens))]
        for _ in range(200):
            await asyncio.sleep(0.01)
            if hub.open_streams == 200 and all(c >= 2 for c in counts):
                break
        before = hub.serialized
        for k in range(1, 4):
            clock[0] = T0 + 1000 * k
            for _ in range(300):
                await asyncio.sleep(0.01)
                if all(c >= 2 + k for c in counts):
                    break
        made = hub.serialized - before
        hub.close()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
        assert all(c >= 5 for c in counts), counts
        return made

    start = time.monotonic()
    made = asyncio.run(main())
    assert made <= 3 + 1, made
    assert time.monotonic() - start < 120  # a bound against a hang, not a timing assertion
