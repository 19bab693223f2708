"""The hub on the push stream: the real reference server (and the fault server for a
stream that hangs), the real client, a plain asyncio loop. What is asserted is what a
subscriber gets: snapshots that match the simulator, continuity across a cut, the link
state and how updates arrive."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

from faultserver import CATALOG_PATH, Behaviour, FaultServer
from helpers import until

from cockpit.api.client import ApiClient, ClientConfig
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate, Hub, HubStatus, LinkState

FAST = {"connect_timeout_s": 0.5, "read_timeout_s": 1.0, "retries": 0, "backoff_s": 0.01, "max_backoff_s": 0.05}


async def _until(pred, what: str, timeout: float) -> None:
    await until(pred, what, timeout, step=0.02)


def _run(url: str, scenario, *, heartbeat_timeout_s: float = 3.0) -> None:
    executor = ThreadPoolExecutor(4, thread_name_prefix="hub-stream-test")
    client = ApiClient(ClientConfig(url, **FAST))

    async def main() -> None:
        hub = Hub(client, executor, max_backoff_s=0.3, brains=["dyeing", "wine"],
                  heartbeat_timeout_s=heartbeat_timeout_s)
        updates: list[BrainUpdate] = []
        statuses: list[HubStatus] = []
        hub.on_update(updates.append)
        hub.on_status(statuses.append)
        hub.start()
        try:
            await scenario(hub, updates, statuses)
        finally:
            await asyncio.wait_for(hub.stop(), 5)

    try:
        asyncio.run(main())
    finally:
        client.close()
        executor.shutdown(wait=True)


def test_stream_updates_match_the_simulator_every_second():
    sim = Simulator(seed=5)
    with EmbeddedServer(create_app(sim, heartbeat_s=0.5)) as srv:
        async def scenario(hub: Hub, updates: list[BrainUpdate], statuses: list[HubStatus]) -> None:
            await _until(lambda: len({u.snapshot.ts for u in updates if u.brain == "dyeing"}) >= 4, "4 s of dyeing", 8)
            assert hub.status.state is LinkState.LIVE and hub.status.mode == "stream"
            for u in updates:
                expected = sim.snapshot(u.brain, u.snapshot.ts)
                for mid, reading in u.snapshot.values.items():
                    # merged from deltas: every reading as the simulator has it at its own ts
                    assert reading.value == sim.snapshot(u.brain, reading.ts).values[mid].value
                assert set(u.snapshot.values) == set(expected.values)
            seconds = sorted({u.snapshot.ts for u in updates if u.brain == "dyeing"})
            assert all(b - a == 1000 for a, b in zip(seconds, seconds[1:], strict=False)), seconds

        _run(srv.url, scenario)


def test_cut_stream_resumes_without_a_hole():
    sim = Simulator(seed=6)
    srv = EmbeddedServer(create_app(sim, heartbeat_s=0.5)).start()
    port = int(srv.url.rsplit(":", 1)[1])

    async def scenario(hub: Hub, updates: list[BrainUpdate], statuses: list[HubStatus]) -> None:
        nonlocal srv
        await _until(lambda: sum(u.brain == "wine" for u in updates) >= 2, "wine live", 8)
        srv.stop()
        await _until(lambda: hub.status.state is LinkState.OFFLINE, "offline after the cut", 8)
        kept = dict(hub.snapshots)
        await asyncio.sleep(2.5)
        assert hub.snapshots == kept, "snapshots changed while offline"
        srv = EmbeddedServer(create_app(sim, heartbeat_s=0.5), port=port).start()
        n = len(updates)
        await _until(lambda: hub.status.state is LinkState.LIVE and len(updates) > n + 4, "live again", 10)
        await asyncio.sleep(1.2)
        wine = sorted({u.snapshot.ts for u in updates if u.brain == "wine"})
        gaps = [(a, b) for a, b in zip(wine, wine[1:], strict=False) if b - a != 1000]
        assert not gaps, f"seconds missing after the resume: {gaps}"

    try:
        _run(srv.url, scenario)
    finally:
        srv.stop()


def test_stream_that_goes_silent_is_offline_after_the_heartbeat_timeout():
    with FaultServer() as fs:
        snap = fs.good.snapshot("dyeing").model_dump_json()
        wine = fs.good.snapshot("wine").model_dump_json()
        first = (f"event: snapshot\nid: 1-0\ndata: {snap}\n\n"
                 f"event: snapshot\nid: 1-3\ndata: {wine}\n\n").encode()
        fs.set("/api/v1/stream", Behaviour.stream([first], then="hang"))

        async def scenario(hub: Hub, updates: list[BrainUpdate], statuses: list[HubStatus]) -> None:
            await _until(lambda: hub.status.state is LinkState.LIVE, "live from the stream", 5)
            await _until(lambda: hub.status.state is LinkState.OFFLINE, "offline", 6)
            # offline because of the heartbeat timeout (not a read error): said with its length
            assert hub.status.reason == "stream silent for 1.5 s"
            assert [s.state for s in statuses][-2:] == [LinkState.LIVE, LinkState.OFFLINE]
            assert set(hub.snapshots) == {"dyeing", "wine"}  # the last values are kept

        _run(fs.base_url, scenario, heartbeat_timeout_s=1.5)


def test_server_without_a_stream_is_polled():
    with FaultServer() as fs:
        async def scenario(hub: Hub, updates: list[BrainUpdate], statuses: list[HubStatus]) -> None:
            await _until(lambda: {u.brain for u in updates} == {"dyeing", "wine"}, "snapshots by polling", 5)
            assert hub.status.mode == "poll" and hub.status.state is LinkState.LIVE
            assert fs.count("/api/v1/stream") == 1  # asked once, then no more
            assert json.loads(json.dumps(fs.count(CATALOG_PATH))) == 1

        _run(fs.base_url, scenario)


def _sse(kind: str, eid: str, payload) -> str:
    return f"event: {kind}\nid: {eid}\ndata: {payload.model_dump_json()}\n\n"


def test_duplicate_and_out_of_order_stream_events_change_nothing_wrong():
    from cockpit.api.schema import Reading, StreamDelta

    with FaultServer() as fs:
        snap = fs.good.snapshot("dyeing")
        wine = fs.good.snapshot("wine")
        mid = next(iter(snap.values))
        t = snap.values[mid].ts

        def delta(dt: int, value: float) -> StreamDelta:
            return StreamDelta(brain="dyeing", ts=snap.ts + dt, values={mid: Reading(value=value, ts=t + dt)})

        parts = [_sse("snapshot", "1-0", snap), _sse("snapshot", "1-3", wine),
                 _sse("delta", "2-1", delta(2000, 2.0)),
                 _sse("delta", "2-1", delta(2000, 2.0)),    # the same event twice
                 _sse("delta", "1-1", delta(1000, 1.0)),    # an older one after a newer one
                 _sse("snapshot", "0-0", snap.model_copy(update={"ts": snap.ts - 5000})),  # a stale snapshot
                 _sse("delta", "3-1", delta(3000, 3.0))]
        fs.set("/api/v1/stream", Behaviour.stream([p.encode() for p in parts], then="hang"))

        async def scenario(hub: Hub, updates: list[BrainUpdate], statuses: list[HubStatus]) -> None:
            await _until(lambda: hub.snapshots.get("dyeing") is not None
                         and hub.snapshots["dyeing"].values[mid].value == 3.0, "the newest delta", 5)
            shown = [u.snapshot.values[mid].value for u in updates if u.brain == "dyeing"]
            assert shown == [snap.values[mid].value, 2.0, 3.0], shown  # never back to 1.0, no repeat
            assert hub.snapshots["dyeing"].values[mid].ts == t + 3000

        _run(fs.base_url, scenario)


def test_timestamps_from_the_future_are_rejected_and_the_past_is_kept_as_is():
    day = 86_400_000
    with FaultServer() as fs:
        now = int(time.time() * 1000)

        def current(s):  # the fault server's snapshots, re-timed to now
            return s.model_copy(update={"ts": now, "values": {k: r.model_copy(update={"ts": now})
                                                               for k, r in s.values.items()}})

        snap = current(fs.good.snapshot("dyeing"))
        wine = current(fs.good.snapshot("wine"))
        future = snap.model_copy(update={"ts": snap.ts + day})
        mid = next(iter(snap.values))
        r = snap.values[mid]
        late_reading = snap.model_copy(update={"values": {**snap.values, mid: r.model_copy(update={"ts": snap.ts + day})}})
        past = snap.model_copy(update={"ts": snap.ts + 1000, "values": {
            k: r.model_copy(update={"ts": r.ts - day}) for k, r in snap.values.items()}})
        parts = [_sse("snapshot", "1-0", snap), _sse("snapshot", "1-3", wine),
                 _sse("snapshot", "2-0", future), _sse("snapshot", "3-0", late_reading),
                 _sse("snapshot", "4-0", past)]
        fs.set("/api/v1/stream", Behaviour.stream([p.encode() for p in parts], then="hang"))

        errors: list[str] = []

        async def scenario(hub: Hub, updates: list[BrainUpdate], statuses: list[HubStatus]) -> None:
            await _until(lambda: hub.snapshots.get("dyeing") == past, "the plausible past snapshot", 5)
            errors.extend(s.errors.get("dyeing", "") for s in statuses)
            assert any("min in the future" in e for e in errors), errors
            # a reading measured after its own snapshot: that metric left out and marked
            assert any(u.problems.get(f"metric:{mid}") and u.problems[f"metric:{mid}"].kind == "future"
                       for u in updates), [u.problems for u in updates]
            # nothing from the future was ever published; readings a day old are published
            # as they are (the screen marks them stale by their age)
            assert all(r.ts <= now + 1000 for u in updates for r in u.snapshot.values.values())
            assert "dyeing" not in hub.status.errors and hub.status.state is LinkState.LIVE

        _run(fs.base_url, scenario)
