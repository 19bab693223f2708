"""``cockpit --bench``: the embedded stream at the spec's rate, shown updates counted on an
injected clock, and the real path (HTTP stream → hub → cache → widgets) with a cache file."""

from __future__ import annotations

import asyncio
import json

import pytest

from cockpit.api.schema import Reading, Snapshot
from cockpit.central.bench_stream import bench_events
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import BrainUpdate

SPEC = {"canvas": [1280, 1000], "gauges": 2, "line_charts": 1, "points_per_chart": 100, "kpi_tiles": 1,
        "rate_hz": 10, "duration_s": 2, "warmup_s": 1}


def _parse(chunks: list[bytes]) -> list[tuple[str, str, dict]]:
    out = []
    for block in b"".join(chunks).decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            out.append((fields["event"], fields["id"], json.loads(fields["data"])))
    return out


def _collect(rate_hz: float, times: list[int], max_ticks: int) -> tuple[list[tuple[str, str, dict]], list[float]]:
    """Run the stream on a fake clock: ``times`` are what now_ms returns, one per call."""
    sim = Simulator(0, bench=(2, 1, 1))
    clock = iter(times)
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)

    async def go() -> list[bytes]:
        return [c async for c in bench_events(sim, rate_hz, lambda: next(clock), sleep=sleep, max_ticks=max_ticks)]

    return _parse(asyncio.run(go())), slept


def test_the_bench_stream_sends_a_delta_every_tick_of_the_rate():
    t0 = 1_700_000_000_050
    # start, then per tick: the check (before the tick), the check after the sleep
    times = [t0] + [x for k in range(1, 6) for x in (t0 + 100 * k - 60, t0 + 100 * k - 50)]
    events, slept = _collect(10, times, 5)
    kinds = [e[0] for e in events]
    assert kinds == ["snapshot"] + ["delta"] * 5
    assert events[0][2]["ts"] == 1_700_000_000_000
    deltas = [e[2] for e in events[1:]]
    assert [d["ts"] for d in deltas] == [1_700_000_000_000 + 100 * k for k in range(1, 6)]
    # every bench metric in each delta, measured at the tick, and moving between ticks
    assert all(len(d["values"]) == 4 and {r["ts"] for r in d["values"].values()} == {d["ts"]} for d in deltas)
    lines = [d["values"]["bench.l01"]["value"] for d in deltas]
    assert len(set(lines)) > 1
    assert [e[1] for e in events[1:]] == [f"{d['ts']}-1" for d in deltas]
    assert slept == pytest.approx([0.01] * 5)


def test_a_reader_far_behind_skips_to_the_current_tick():
    t0 = 1_700_000_000_000
    times = [t0, t0 + 5_000, t0 + 5_050, t0 + 5_100]  # 5 s late at the first tick
    events, _ = _collect(10, times, 2)
    assert [e[2]["ts"] for e in events if e[0] == "delta"] == [t0 + 5_000, t0 + 5_100]
    assert [e[0] for e in events].count("heartbeat") == 1  # 5 s without one: due


def test_the_bench_stream_rejects_a_rate_of_zero():
    with pytest.raises(ValueError, match="rate_hz"):
        _collect(0, [0], 1)


class _Owner:
    def __init__(self) -> None:
        self.args = type("A", (), {"screenshot": None})()
        self.quit = False

    def spawn(self, coro):
        coro.close()

    def request_quit(self) -> None:
        self.quit = True


class _Hub:
    def on_catalog(self, cb) -> None:
        pass

    def on_update(self, cb) -> None:
        self.publish = cb


def _update(k: int) -> BrainUpdate:
    ts = 1_700_000_000_000 + 100 * k
    values = {"bench.k01": Reading(value=10000 + k, ts=ts), "bench.g01": Reading(value=10 + k, ts=ts),
              "bench.g02": Reading(value=20 + k, ts=ts), "bench.l01": Reading(value=30 + k, ts=ts)}
    return BrainUpdate("bench", Snapshot(brain="bench", ts=ts, values=values, alerts=[], panels={}), ts)


def test_bench_counts_only_updates_every_panel_painted_before_the_next(qapp, capsys):
    from cockpit.ui.bench_view import BenchWindow

    now = [0.0]
    hub, owner = _Hub(), _Owner()
    w = BenchWindow(dict(SPEC), hub, owner, clock=lambda: now[0])  # type: ignore[arg-type]
    w.judge_delay_ms = 0
    w._history_loaded = True  # no catalog in this test: the live phase starts at once
    w.show()

    def paint() -> None:
        for _ in range(5):
            qapp.processEvents()

    try:
        hub.publish(_update(0))  # warm-up: the clock starts here
        paint()
        now[0] = 1.0
        hub.publish(_update(1))  # the window opens: counted
        paint()
        now[0] = 1.1
        hub.publish(_update(2))  # update 1 was painted; update 2 will not be before 3
        now[0] = 1.2
        hub.publish(_update(3))
        paint()
        now[0] = 1.3
        hub.publish(_update(3))  # a repeat (same ts) is no update
        now[0] = 1.4
        hub.publish(_update(4))
        paint()
        now[0] = 3.0
        hub.publish(_update(5))  # the window is over: ends it, not counted
        paint()
        out = capsys.readouterr().out
        assert "BENCH_START window=1280x1000" in out
        end = next(line for line in out.splitlines() if line.startswith("BENCH_END"))
        fields = dict(kv.split("=") for kv in end.split()[1:])
        assert (fields["ticks"], fields["updates_rendered"], fields["expected"]) == ("4", "3", "20")
        assert w.tiles[0].value() == 10004  # the last update in the window is on screen
    finally:
        w.close()
        w.deleteLater()
        qapp.processEvents()


def test_bench_runs_the_real_path_at_the_rate_and_starts_from_its_cache(qloop, tmp_path, capsys):
    """Two runs on one cache file: the first writes the 10 Hz updates through to the cache,
    the second paints the cache's values before the network."""
    from PySide6.QtWidgets import QApplication

    from cockpit.app import Cockpit
    from cockpit.cache.store import CacheStore
    from tests.test_app_e2e import _until
    from tests.test_wall_app import _args

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({**SPEC, "duration_s": 0.5, "warmup_s": 0.2}))
    cache = tmp_path / "cache.sqlite"

    def run() -> Cockpit:
        args = _args("--bench", str(spec), "--cache", str(cache))
        args.api = None
        c = Cockpit(QApplication.instance(), args)

        async def main() -> None:
            task = asyncio.ensure_future(c.run())
            await _until(lambda: hasattr(c, "window") and getattr(c.window, "_ended", False), 20, "BENCH_END")
            await asyncio.wait_for(task, 10)  # it quits by itself after the report
            c.window.close()

        qloop.run_until_complete(main())
        return c

    first = run()
    out = capsys.readouterr().out
    assert "BENCH_END" in out and first.window.first_cached_frame_ms is None
    assert first.window.ticks > 0 and 0 <= first.window.rendered <= first.window.ticks
    st = CacheStore.open(cache)
    try:
        ts, _vals = st.points("bench.l01", 0, 2**62)
    finally:
        st.close()
    ms = {round(t * 1000) % 1000 for t in ts}
    assert len(ms) > 2  # 10 Hz updates reached the cache, not one a second

    second = run()
    assert second.window.first_cached_frame_ms is not None
    assert second.window.first_cached_frame_ms >= second.window.first_frame_ms
