"""``event: panels`` of the push stream: sent when a panel's tick starts, resumable exactly.

The server's clock is driven by the test (it jumps ahead, the stream catches up second by
second), so panel ticks are crossed at once; the client is the real EventStream."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest
from faultserver import Behaviour as B
from faultserver import FaultServer

from cockpit.api.client import ClientConfig
from cockpit.api.schema import Heartbeat, Snapshot, StreamDelta, StreamPanels
from cockpit.api.stream import EventStream, StreamEvent
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.central.stream import SLOTS

SIM = Simulator(8)
BRAINS = ["dyeing", "wine"]
START = 1_795_586_407_500  # 2026-11-25 14:00:07.5 local: 2.5 s before a 10 s tick
JUMP_MS = 25_000


@pytest.fixture(scope="module")
def clocked() -> Iterator[tuple[EmbeddedServer, list[int]]]:
    clock = [START]
    with EmbeddedServer(create_app(SIM, clock=lambda: clock[0], heartbeat_s=0.05)) as srv:
        yield srv, clock


def read(url: str, until: Callable[[list[StreamEvent]], bool], last_event_id: str | None = None,
         on_event: Callable[[StreamEvent], None] | None = None) -> list[StreamEvent]:
    stream = EventStream(ClientConfig(url), BRAINS, last_event_id, heartbeat_timeout_s=5)
    out: list[StreamEvent] = []
    with contextlib.closing(stream.events()) as events:
        for ev in events:
            out.append(ev)
            if on_event is not None:
                on_event(ev)
            if until(out) or len(out) > 5000:
                break
    stream.close()
    assert stream.rejected == 0
    return out


def key(ev: StreamEvent) -> tuple[int, int]:
    t, _, slot = (ev.id or "").partition("-")
    return int(t), int(slot)


def last_second(events: list[StreamEvent]) -> int:
    return max((e.payload.ts for e in events if isinstance(e.payload, StreamDelta)), default=0)


@pytest.fixture(scope="module")
def recorded(clocked: tuple[EmbeddedServer, list[int]]) -> list[StreamEvent]:
    """A fresh stream: snapshots at 14:00:07, then (the clock jumps 25 s) every second to 14:00:32."""
    srv, clock = clocked
    end = (START + JUMP_MS) // 1000 * 1000

    def jump(ev: StreamEvent) -> None:
        if ev.kind == "heartbeat" and clock[0] == START:
            clock[0] = START + JUMP_MS

    events = read(srv.url, lambda evs: last_second(evs) == end and evs[-1].kind == "heartbeat", on_event=jump)
    return events


def test_snapshots_carry_every_panel(recorded: list[StreamEvent]) -> None:
    snaps = [e for e in recorded if e.kind == "snapshot"]
    assert [s.payload.brain for s in snaps] == BRAINS  # type: ignore[union-attr]
    for s in snaps:
        assert isinstance(s.payload, Snapshot)
        assert s.payload == SIM.snapshot(s.payload.brain, s.payload.ts)
        assert set(s.payload.panels) == set(SIM.panels.ids(s.payload.brain))
        assert s.id == f"{s.payload.ts}-{SLOTS * BRAINS.index(s.payload.brain)}"


def test_panels_events_at_each_tick_with_the_changed_panels_whole(recorded: list[StreamEvent]) -> None:
    panels = [e for e in recorded if e.kind == "panels"]
    seconds = sorted({e.payload.ts for e in panels})  # type: ignore[union-attr]
    assert seconds == [START // 10_000 * 10_000 + 10_000 * k for k in (1, 2, 3)]  # :10, :20, :30
    for e in panels:
        p = e.payload
        assert isinstance(p, StreamPanels)
        assert e.id == f"{p.ts}-{SLOTS * BRAINS.index(p.brain) + 3}"
        assert p.panels == SIM.panels.due(p.brain, p.ts)
        assert "enterprises" in p.panels and all(x.ts == p.ts for x in p.panels.values())
        if p.brain == "wine":
            assert set(p.panels) == {"enterprises", "tanks"}  # the 10 s panels; not the hourly ones
        # the panel is the one a snapshot of that second holds
        assert p.panels["enterprises"] == SIM.snapshot(p.brain, p.ts + 500).panels["enterprises"]
    # every second between them has deltas for both brains, no panels
    deltas = {(e.payload.brain, e.payload.ts) for e in recorded if isinstance(e.payload, StreamDelta)}
    first = min(t for _, t in deltas)
    assert deltas == {(b, t) for b in BRAINS for t in range(first, last_second(recorded) + 1, 1000)}
    ids = [key(e) for e in recorded]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def _tail_after(events: list[StreamEvent], cut: tuple[int, int]) -> list[tuple[str | None, str, object]]:
    return [(e.id, e.kind, e.payload) for e in events if key(e) > cut and e.kind not in ("heartbeat", "snapshot")]


@pytest.mark.parametrize("where", ["delta before panels", "panels", "heartbeat"])
def test_resume_replays_exactly_the_missed_events(clocked: tuple[EmbeddedServer, list[int]],
                                                  recorded: list[StreamEvent], where: str) -> None:
    srv, clock = clocked
    assert clock[0] == START + JUMP_MS  # the clock stands: a resumed stream replays, then waits
    tick = START // 10_000 * 10_000 + 20_000
    if where == "delta before panels":
        cut = next(e for e in recorded if e.kind == "delta" and key(e) == (tick, 1))
    elif where == "panels":
        cut = next(e for e in recorded if e.kind == "panels" and key(e) == (tick, SLOTS + 3))
    else:
        cut = next(e for e in recorded if e.kind == "heartbeat")
    end = last_second(recorded)
    got = read(srv.url, lambda evs: last_second(evs) == end and evs[-1].kind == "heartbeat",
               last_event_id=cut.id)
    assert "snapshot" not in [e.kind for e in got]
    replay = [(e.id, e.kind, e.payload) for e in got if e.kind != "heartbeat"]
    assert replay == _tail_after(recorded, key(cut))
    if where == "delta before panels":  # the rest of that second: brain 0's panels come first
        assert replay[0][0] == f"{tick}-3" or replay[0][1] == "alerts"
    assert all(isinstance(e.payload, Heartbeat) for e in got if e.kind == "heartbeat")


# ---- the client against hand-written bytes ------------------------------------------------


TS = 1_795_586_410_000


def test_client_parses_panels_events_and_skips_broken_ones() -> None:
    good = StreamPanels(brain="dyeing", ts=TS, panels=SIM.panels.due("dyeing", TS))
    data = good.model_dump_json()
    broken = data.replace('"enterprises":{"id":"enterprises"', '"enterprises":{"id":"other"', 1)
    assert broken != data
    parts = [
        f"event: panels\nid: {TS}-3\ndata: {data}\n\n".encode(),
        f"event: panels\nid: {TS}-7\ndata: {broken}\n\n".encode(),  # key differs from the panel's id
        f'event: heartbeat\nid: {TS}-8\ndata: {{"ts": {TS}}}\n\n'.encode(),
    ]
    with FaultServer() as fs:
        fs.set("/api/v1/stream", B.stream(parts))
        stream = EventStream(ClientConfig(fs.base_url), ["dyeing"], heartbeat_timeout_s=2)
        events = list(stream.events())
    assert [e.kind for e in events] == ["panels", "heartbeat"]
    assert events[0].payload == good and events[0].id == f"{TS}-3"
    assert stream.rejected == 1 and stream.last_event_id == f"{TS}-8"
