"""The push stream (``GET /api/v1/stream``, server-sent events), end to end on loopback.

Server side: the reference server read by the real client. Client side: hand-written SSE
bytes served by the fault server (split at awkward places, cut, hanging).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests
from faultserver import Behaviour as B
from faultserver import FaultServer

from cockpit.api.client import ClientConfig, ContractError, HttpError, Unreachable
from cockpit.api.schema import ErrorBody, Heartbeat, Snapshot, StreamAlerts, StreamDelta
from cockpit.api.stream import EventStream, SseParser, StreamEvent, StreamUnavailable
from cockpit.central.runner import EmbeddedServer
from cockpit.central.server import create_app
from cockpit.central.simulator import Simulator
from cockpit.central.stream import SLOTS

TOKEN = "stream-t0k-for-tests"
BRAINS = ["dyeing", "wine"]
N = len(BRAINS)
SIM = Simulator(5)


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(create_app(SIM, TOKEN, heartbeat_s=0.5)) as srv:
        yield srv


@pytest.fixture(scope="module")
def fault() -> Iterator[FaultServer]:
    with FaultServer() as fs:
        yield fs


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def key(ev: StreamEvent) -> tuple[int, int]:
    assert ev.id is not None
    t, _, slot = ev.id.partition("-")
    return int(t), int(slot)


def collect(
    url: str,
    until: Callable[[list[StreamEvent]], bool],
    *,
    brains: list[str] | None = BRAINS,
    last_event_id: str | None = None,
    token: str | None = TOKEN,
    limit_s: float = 6.0,
) -> tuple[list[StreamEvent], EventStream]:
    """Events from a fresh connection until ``until(events)`` holds (or ``limit_s``)."""
    stream = EventStream(ClientConfig(url, token=token), brains, last_event_id, heartbeat_timeout_s=5)
    out: list[StreamEvent] = []
    deadline = time.monotonic() + limit_s
    with contextlib.closing(stream.events()) as events:
        for ev in events:
            out.append(ev)
            if until(out) or time.monotonic() > deadline:
                break
    stream.close()
    return out, stream


def kinds(events: list[StreamEvent]) -> list[str]:
    return [e.kind for e in events]


def deltas_by_brain(events: list[StreamEvent]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {b: [] for b in BRAINS}
    for e in events:
        if isinstance(e.payload, StreamDelta):
            out[e.payload.brain].append(e.payload.ts)
    return out


# ---- the reference server -------------------------------------------------------------


def test_fresh_stream_snapshots_then_deltas_alerts_heartbeats(server: EmbeddedServer) -> None:
    started = now_ms()
    def enough(evs: list[StreamEvent]) -> bool:  # two seconds of deltas and two heartbeats, however late
        return all(len(ts) >= 2 for ts in deltas_by_brain(evs).values()) and \
            sum(isinstance(e.payload, Heartbeat) for e in evs) >= 2

    events, stream = collect(server.url, enough)
    assert stream.retry_ms == 2000 and stream.rejected == 0
    # one snapshot per brain first, in request order, at one whole second
    snaps = [e.payload for e in events[:N]]
    assert kinds(events[:N]) == ["snapshot"] * N and [s.brain for s in snaps] == BRAINS
    assert isinstance(snaps[0], Snapshot)
    t_snap = snaps[0].ts
    assert t_snap % 1000 == 0 and abs(t_snap - started) < 2000
    for s in snaps:
        assert s == SIM.snapshot(s.brain, t_snap)
    assert "snapshot" not in kinds(events[N:])
    # deltas: the readings that differ from the previous second, as the simulator says
    first_delta = next(e.payload for e in events[N:] if isinstance(e.payload, StreamDelta))
    assert first_delta.ts == t_snap + 1000  # the deltas start at the next second
    prev = {b: SIM.snapshot(b, t_snap) for b in BRAINS}
    for e in events[N:]:
        if isinstance(e.payload, StreamDelta):
            d = e.payload
            now = SIM.snapshot(d.brain, d.ts)
            assert d.ts == prev[d.brain].ts + 1000  # contiguous seconds
            changed = {k: r for k, r in now.values.items() if prev[d.brain].values[k] != r}
            assert d.values == changed and d.values
            prev[d.brain] = now
        elif isinstance(e.payload, StreamAlerts):
            assert e.payload.alerts == SIM.snapshot(e.payload.brain, e.payload.ts).alerts
    assert [sorted(v)[:2] for v in deltas_by_brain(events).values()] == [[t_snap + 1000, t_snap + 2000]] * N
    # heartbeats (every 0.5 s here), ids strictly increasing as (second, slot)
    beats = [e.payload for e in events if isinstance(e.payload, Heartbeat)]
    assert len(beats) >= 2 and all(abs(b.ts - now_ms()) < 5000 for b in beats)
    ids = [key(e) for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert stream.last_event_id == events[-1].id


def test_raw_stream_head_and_first_bytes(server: EmbeddedServer) -> None:
    with requests.get(
        server.url + "/api/v1/stream", params={"brains": "wine"}, stream=True, timeout=5,
        headers={"Authorization": f"Bearer {TOKEN}"},
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        head = b""
        while head.count(b"\n\n") < 2:
            head += r.raw.read1(65536)
    assert head.startswith(b"retry: 2000\n\nevent: snapshot\nid: ")
    assert b'data: {"brain":"wine",' in head


def test_resume_sends_the_missed_seconds_then_live(server: EmbeddedServer) -> None:
    t = now_ms() // 1000 * 1000
    resumed = f"{t - 3000}-{SLOTS * N}"  # a heartbeat after second t-3 s: that second is complete
    connected = now_ms()

    def live(evs: list[StreamEvent]) -> bool:
        got = deltas_by_brain(evs)
        return all(ts and max(ts) > connected for ts in got.values())

    events, stream = collect(server.url, live, last_event_id=resumed)
    assert "snapshot" not in kinds(events) and stream.rejected == 0
    for brain, ts in deltas_by_brain(events).items():
        assert ts == list(range(t - 2000, ts[-1] + 1, 1000)), brain  # contiguous, no duplicates
        assert ts[-1] > connected  # then live
    for e in events:
        if isinstance(e.payload, StreamDelta):
            snap = SIM.snapshot(e.payload.brain, e.payload.ts)
            assert all(snap.values[k] == r for k, r in e.payload.values.items())
    ids = [key(e) for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and ids[0] > (t - 3000, SLOTS * N)


def test_resume_inside_a_second_sends_only_the_rest_of_it(server: EmbeddedServer) -> None:
    t = now_ms() // 1000 * 1000 - 2000
    if t % 10_000 == 0:  # not a second that starts a panel tick: brain 0's panels would come first
        t -= 1000
    # cut after the first brain's delta of second t
    events, _ = collect(server.url, lambda evs: len(evs) >= 3, last_event_id=f"{t}-1")
    first = events[0]
    assert first.kind == "delta" and first.id == f"{t}-{SLOTS + 1}"
    assert isinstance(first.payload, StreamDelta) and first.payload.brain == BRAINS[1]
    assert first.payload.ts == t
    # cut inside a snapshot burst at second t: the rest of the snapshots, then deltas
    events, _ = collect(server.url, lambda evs: evs[-1].kind == "delta", last_event_id=f"{t}-0")
    assert kinds(events)[0] == "snapshot" and events[0].id == f"{t}-{SLOTS}"
    assert events[0].payload == SIM.snapshot(BRAINS[1], t)
    assert "snapshot" not in kinds(events[1:])
    d = next(e.payload for e in events if isinstance(e.payload, StreamDelta))
    assert d.ts == t + 1000


@pytest.mark.parametrize(
    "last_id",
    ["stale", "future", "1795766138000", "x-1", "1795766138500-0", ""],
)
def test_unusable_last_event_id_gives_snapshots(server: EmbeddedServer, last_id: str) -> None:
    now = now_ms() // 1000 * 1000
    if last_id == "stale":
        last_id = f"{now - 10 * 60_000 - 5000}-{SLOTS * N}"
    elif last_id == "future":
        last_id = f"{now + 60_000}-0"
    events, stream = collect(server.url, lambda evs: len(evs) >= N, last_event_id=last_id)
    assert kinds(events) == ["snapshot"] * N
    assert all(abs(e.payload.ts - now) <= 2000 for e in events)


def test_all_brains_by_default(server: EmbeddedServer) -> None:
    events, _ = collect(server.url, lambda evs: len(evs) >= len(SIM.brain_ids), brains=None)
    assert kinds(events) == ["snapshot"] * len(SIM.brain_ids)
    assert [e.payload.brain for e in events] == SIM.brain_ids  # type: ignore[union-attr]


def test_unknown_brain_and_token(server: EmbeddedServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = requests.get(server.url + "/api/v1/stream?brains=dyeing,nope", headers=auth, timeout=5)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    err = ErrorBody.model_validate_json(r.content)
    assert err.error == "not_found" and "nope" in err.detail
    r = requests.get(server.url + "/api/v1/stream", timeout=5)
    assert r.status_code == 401 and ErrorBody.model_validate_json(r.content).error == "unauthorized"
    # the client's view of both
    with pytest.raises(StreamUnavailable) as exc:
        collect(server.url, lambda evs: True, brains=["nope"])
    assert exc.value.status == 404 and "nope" in str(exc.value)
    with pytest.raises(HttpError) as exc2:
        collect(server.url, lambda evs: True, token="wrong")
    assert exc2.value.status == 401 and not isinstance(exc2.value, StreamUnavailable)
    assert "wrong" not in str(exc2.value)


def test_stream_ends_when_the_client_goes_away() -> None:
    app = create_app(Simulator(1), heartbeat_s=0.2)
    hub = app.state.stream_hub
    with EmbeddedServer(app) as srv:
        with requests.get(srv.url + "/api/v1/stream?brains=wine", stream=True, timeout=5) as r:
            assert r.raw.read1(100)
            assert hub.open_streams == 1
        deadline = time.monotonic() + 3
        while hub.open_streams and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hub.open_streams == 0


def test_server_stop_ends_open_streams_promptly() -> None:
    srv = EmbeddedServer(Simulator(2)).start()
    stream = EventStream(ClientConfig(srv.url), ["city"], heartbeat_timeout_s=10)
    got: list[StreamEvent] = []
    outcome: list[BaseException | None] = []

    def reader() -> None:
        try:
            got.extend(stream.events())
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            outcome.append(exc)

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    deadline = time.monotonic() + 5
    while not got and time.monotonic() < deadline:
        time.sleep(0.02)
    assert got and got[0].kind == "snapshot"
    srv.stop()  # returns with a stream open (a hang here is caught by the test timeout)
    th.join(3)
    stream.close()
    assert not th.is_alive()
    assert outcome and (outcome[0] is None or isinstance(outcome[0], Unreachable)), outcome


# ---- the client against hand-written bytes ------------------------------------------------

TS = 1_764_000_000_000
HB = b'event: heartbeat\nid: %d-9\ndata: {"ts": %d}\n\n'


def fault_events(
    fs: FaultServer, behaviour: B, *, brains: list[str] | None = None, timeout_s: float = 2.0,
    last_event_id: str | None = None, token: str | None = None,
) -> tuple[list[StreamEvent], EventStream]:
    fs.set("/api/v1/stream", behaviour)
    stream = EventStream(ClientConfig(fs.base_url, token=token), brains, last_event_id, heartbeat_timeout_s=timeout_s)
    return list(stream.events()), stream


def test_client_parses_the_sse_format(fault: FaultServer) -> None:
    snap = Snapshot.model_validate(
        {"brain": "wine", "ts": TS, "values": {"wine.output": {"value": 1.5, "ts": TS}}}
    )
    parts = [
        b"\xef\xbb\xbfretry: 1500\r\n: a comment\r\n\r\n",
        b"event: snapshot\r\nid: %d-0\r\ndata: " % TS + snap.model_dump_json().encode() + b"\r",
        b"\n\r\n",  # CRLF split across chunks
        # multi-line data joined with LF; CR line ends; "data:" without the space
        b'event:delta\rid: %d-1\rdata: {"brain": "wine", "ts": %d,\rdata:"values": {}}\r\r' % (TS + 1000, TS + 1000),
        b"event: alerts\nid: %d-2\ndata: " % (TS + 1000),
        b'{"brain": "wine", "ts": %d, "alerts": []}\n\n' % (TS + 1000),
        b'event: delta\nid: %d-4\ndata: {"brain": "wine", "ts": %d, "values": {"wine.x": {"value": NaN, "ts": %d}}}\n\n'
        % (TS + 2000, TS + 2000, TS + 2000),  # invalid (NaN): that reading left out, named
        b'event: delta\nid: %d-5\ndata: {"brain": "wine", "ts": %d, "values": {"dyeing.x": {"value": 1, "ts": %d}}}\n\n'
        % (TS + 2000, TS + 2000, TS + 2000),  # a key of another brain: an unknown key, ignored
        b"event: future_kind\nid: %d-6\ndata: {}\n\n" % (TS + 2000),  # unknown type: ignored
        b"event: heartbeat\nid: %d-7\nbogus: field\n\n" % (TS + 2000),  # no data: not dispatched
        b'data: {"ts": %d}\nevent: heartbeat\n\n' % (TS + 3000),  # no id: keeps the last one
        b'event: delta\nid: %d-1\ndata: {"brain": "dyeing", "ts": %d, "values": {}}\n\n' % (TS + 4000, TS + 4000),
        HB % (TS + 5000, TS + 5000),
    ]
    events, stream = fault_events(fault, B.stream(parts, pause_s=0.01), brains=["wine"])
    assert kinds(events) == ["snapshot", "delta", "alerts", "delta", "delta", "heartbeat", "heartbeat"]
    assert events[0].payload == snap and events[0].id == f"{TS}-0"
    assert events[1].payload == StreamDelta(brain="wine", ts=TS + 1000, values={})
    assert events[2].payload == StreamAlerts(brain="wine", ts=TS + 1000, alerts=[])
    assert events[3].payload == StreamDelta(brain="wine", ts=TS + 2000, values={})
    assert [(p.part, p.kind) for p in events[3].problems] == [("metric:wine.x", "number")]
    assert events[4].payload == StreamDelta(brain="wine", ts=TS + 2000, values={}) and not events[4].problems
    assert events[5].payload == Heartbeat(ts=TS + 3000) and events[5].id == f"{TS + 2000}-7"
    assert events[6].id == f"{TS + 5000}-9"
    assert stream.rejected == 1  # a brain not asked for
    assert stream.ignored == 1
    assert stream.retry_ms == 1500 and stream.last_event_id == f"{TS + 5000}-9"
    req = fault.requests("/api/v1/stream")[-1]
    assert req.headers["accept"] == "text/event-stream" and "brains=wine" in req.query
    assert "last-event-id" not in req.headers and "authorization" not in req.headers


def test_parser_byte_by_byte_equals_whole() -> None:
    data = (
        b"\xef\xbb\xbf: hi\r\nid: a\r\nevent: e\r\ndata\r\ndata: x\r\n\r\n"
        b"data: y\r\rid\ndata:  two spaces\n\nretry: 12x\ndata: \xe6\xb8\xa9\n\n: tail"
    )
    whole = SseParser().feed(data)
    one = SseParser()
    split = [ev for i in range(len(data)) for ev in one.feed(data[i : i + 1])]
    assert whole == split
    assert [(e.type, e.data, e.last_event_id) for e in whole] == [
        ("e", "\nx", "a"),
        ("message", "y", "a"),
        ("message", " two spaces", ""),
        ("message", "温", ""),
    ]
    assert one.retry_ms is None and one.pending  # inside the unterminated ": tail" line
    assert one.feed(b"\n") == [] and not one.pending


def test_client_sends_token_and_last_event_id(fault: FaultServer) -> None:
    events, stream = fault_events(
        fault, B.stream([HB % (TS, TS)]), token="s3cret", last_event_id=f"{TS - 1000}-3"
    )
    req = fault.requests("/api/v1/stream")[-1]
    assert req.headers["authorization"] == "Bearer s3cret"
    assert req.headers["last-event-id"] == f"{TS - 1000}-3" and "brains" not in req.query
    assert stream.last_event_id == f"{TS}-9" and len(events) == 1


def test_client_hang_is_unreachable_after_the_heartbeat_timeout(fault: FaultServer) -> None:
    for behaviour in (B.stream([HB % (TS, TS)], then="hang"), B.hang()):
        with pytest.raises(Unreachable):  # the heartbeat timeout ended it (else the test timeout would)
            fault_events(fault, behaviour, timeout_s=0.4)


@pytest.mark.parametrize("chunked", [True, False])
def test_client_cut_mid_event_is_unreachable(fault: FaultServer, chunked: bool) -> None:
    parts = [HB % (TS, TS), b'event: heartbeat\ndata: {"ts": ']
    fault.set("/api/v1/stream", B.stream(parts, then="cut", chunked=chunked))
    stream = EventStream(ClientConfig(fault.base_url), None, heartbeat_timeout_s=2)
    got = []
    with pytest.raises(Unreachable, match="cut off"):
        for ev in stream.events():
            got.append(ev)
    assert len(got) == 1 and stream.last_event_id == f"{TS}-9"
    # a stream the server ends between events just ends
    events, _ = fault_events(fault, B.stream([HB % (TS, TS)], then="end", chunked=chunked))
    assert len(events) == 1


def test_client_close_from_another_thread(fault: FaultServer) -> None:
    for behaviour in (B.stream([HB % (TS, TS)], then="hang"), B.hang()):
        fault.set("/api/v1/stream", behaviour)
        stream = EventStream(ClientConfig(fault.base_url), None, heartbeat_timeout_s=30)
        timer = threading.Timer(0.3, stream.close)
        timer.start()
        list(stream.events())  # ends without an exception: closed (the heartbeat timeout is 30 s)
        timer.join()


def test_client_statuses_and_wrong_content(fault: FaultServer) -> None:
    for code in (404, 405, 501):
        with pytest.raises(StreamUnavailable) as exc:
            fault_events(fault, B.status(code, "no stream here"))
        assert exc.value.status == code
    with pytest.raises(HttpError) as exc2:
        fault_events(fault, B.status(503, "busy", retry_after=3))
    assert not isinstance(exc2.value, StreamUnavailable) and exc2.value.retry_after == 3
    with pytest.raises(ContractError, match="text/event-stream"):
        fault_events(fault, B.json({"brains": []}))
    fault.refuse()
    try:
        with pytest.raises(Unreachable, match="refused"):
            fault_events(fault, B.good())
    finally:
        fault.resume()


def test_client_refuses_an_event_over_4_mb(fault: FaultServer) -> None:
    big = b"data: " + b"x" * (4 * 2**20 + 10) + b"\n\n"
    with pytest.raises(ContractError, match="4 MB"):
        fault_events(fault, B.stream([HB % (TS, TS), big[: 2**20], big[2**20 :]]))
    with pytest.raises(ContractError, match="4 MB"):  # one endless line
        fault_events(fault, B.stream([b": " + b"y" * (4 * 2**20 + 10)]))


def test_clock_jumps_catch_up_or_resync() -> None:
    """The server's clock jumps 40 s (as after a stalled event loop): the missed seconds
    follow as deltas. It jumps 15 min (beyond the resume window): fresh snapshots."""
    clock = [1_790_000_000_000]
    app = create_app(Simulator(3), clock=lambda: clock[0], heartbeat_s=0.1)
    with EmbeddedServer(app) as srv:
        stream = EventStream(ClientConfig(srv.url), ["wine"], heartbeat_timeout_s=5)
        events: list[StreamEvent] = []
        with contextlib.closing(stream.events()) as it:
            for ev in it:
                events.append(ev)
                if ev.kind == "heartbeat" and len(events) == 2:
                    clock[0] += 40_000
                if isinstance(ev.payload, StreamDelta) and ev.payload.ts == 1_790_000_040_000:
                    clock[0] += 15 * 60_000
                if ev.kind == "snapshot" and len(events) > 1:
                    break
        stream.close()
    deltas = [e.payload.ts for e in events if isinstance(e.payload, StreamDelta)]
    assert deltas == list(range(1_790_000_001_000, 1_790_000_040_001, 1000))
    assert kinds(events)[0] == "snapshot" and events[-1].payload.ts == 1_790_000_940_000
