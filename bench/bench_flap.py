"""Memory after many reconnect cycles against a flapping server (accelerated).
Prints figures, asserts nothing.

    .venv/bin/python bench/bench_flap.py [--cycles 10000] [--seconds 180] [--mode stream|poll|both]

The Hub (no Qt, plain asyncio) with the real ApiClient and EventStream against the test
suite's FaultServer (tests/faultserver.py), run in a CHILD process so that the server's
threads, sockets and request log are not in the figures of this one:

* stream mode: ``/api/v1/stream`` answers every connection with a snapshot event per
  brain and then cuts the connection (``Behaviour.stream(..., then="cut")``): the hub
  goes live on the events, offline on the cut ("stream cut off"), and reconnects.
* poll mode: the server has no stream (404), so the hub polls the snapshots; the
  snapshot path alternates by request count between two requests closed without an
  answer (``Behaviour.close_immediately``) and two good answers, so both brains fail
  (offline, "connection failed") and then one answers (live) again.

A cycle is one offline → live transition of ``hub.status`` (counted by a status
subscriber); connection attempts (EventStream objects made, or snapshot requests
sent) are counted too. Accelerated: poll interval 1 ms, max backoff 2 ms, client
retries 0, connect timeout 0.5 s, and the hub's own pauses capped at the max backoff
(its fixed 0.2 s pause before reopening a stream that delivered events would
otherwise limit the rate to 5 cycles a second): ``cockpit.hub.hub.asyncio`` is
replaced by a proxy whose ``sleep`` is ``asyncio.sleep(min(delay, 2 ms))``. Logging of
the cockpit is set to ERROR (the hub logs every offline transition as a warning).

Printed at 0 (first live), 1,000, 5,000 and 10,000 cycles: RSS from /proc/self/statm
(before and after a full ``gc.collect()``), ``len(gc.get_objects())`` after it, and
tracemalloc's top 5 growth between 1,000 and 10,000 cycles (tracemalloc is started at
1,000 cycles, after that row was measured, keeping ``--tm-frames`` frames: one by default,
as more frames slow the cycles down 2-5x; later RSS rows are also shown without
tracemalloc's own memory). The whole run is bounded by ``--seconds`` (shared by the modes, a mode that
finishes early leaves its time to the next): when a mode ends before 10,000 cycles, the figures reached are printed and the growth is
extrapolated linearly, labelled as such.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import subprocess
import sys
import threading
import time
import tracemalloc
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PAGE = os.sysconf("SC_PAGE_SIZE")
CHECKPOINTS = (0, 1_000, 5_000, 10_000)


# ---- child: the flapping server -----------------------------------------------------------


def serve(mode: str) -> None:
    from faultserver import Behaviour, FaultServer

    class Flapping(FaultServer):
        """Snapshots alternate: two requests closed without an answer, two good ones."""

        def __init__(self) -> None:
            super().__init__()
            self._n = 0
            self._n_lock = threading.Lock()

        def behaviour_for(self, path: str) -> Behaviour:
            if path.endswith("/snapshot"):
                with self._n_lock:
                    self._n += 1
                    down = (self._n // 2) % 2 == 1
                if down:
                    return Behaviour.close_immediately()
            return super().behaviour_for(path)

    fs = Flapping() if mode == "poll" else FaultServer()
    fs.start()
    if mode == "stream":
        parts = []
        for i, brain in enumerate(("dyeing", "wine")):
            snap = fs.good.snapshot(brain).model_dump_json()
            parts.append(f"event: snapshot\nid: 1-{i}\ndata: {snap}\n\n".encode())
        fs.set("/api/v1/stream", Behaviour.stream([b"".join(parts)], then="cut"))

    def forget() -> None:  # the request log would grow without end
        while True:
            time.sleep(1)
            fs.clear_requests()

    threading.Thread(target=forget, daemon=True).start()
    print(f"PORT {fs.port}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    fs.stop()


# ---- parent: the hub ----------------------------------------------------------------------


def _short(filename: str) -> str:
    """site-packages/requests/adapters.py -> requests/adapters.py; ROOT/cockpit/x.py -> cockpit/x.py"""
    p = Path(filename)
    for anchor in ("site-packages", str(ROOT)):
        if anchor in filename:
            return filename.split(anchor, 1)[1].lstrip("/")
    return f"{p.parent.name}/{p.name}"


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def accelerate(hub_mod: types.ModuleType, cap_s: float) -> None:
    """The hub module sees an asyncio whose sleep never waits longer than cap_s."""
    real = asyncio

    class FastAsyncio(types.ModuleType):
        def __getattr__(self, name: str):
            return getattr(real, name)

    fast = FastAsyncio("asyncio_fast")

    def sleep(delay: float, result=None):
        return real.sleep(min(delay, cap_s), result)

    fast.sleep = sleep  # type: ignore[attr-defined]
    hub_mod.asyncio = fast  # type: ignore[attr-defined]


def run_mode(mode: str, target: int, seconds: float, poll_s: float, backoff_s: float, tm_frames: int) -> dict:
    import cockpit.hub.hub as hub_mod
    from cockpit.api.client import ApiClient, ClientConfig
    from cockpit.hub.hub import Hub, HubStatus, LinkState

    server = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve", mode],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert server.stdout is not None and server.stdin is not None
    line = server.stdout.readline()
    if not line.startswith("PORT "):
        raise RuntimeError(f"the fault server did not start: {line!r}")
    url = f"http://127.0.0.1:{int(line.split()[1])}"
    accelerate(hub_mod, backoff_s)
    counts = {"cycles": 0, "attempts": 0, "offline": 0}

    class CountingClient(ApiClient):
        def _request(self, path, headers=None, params=None):
            if path.endswith("/snapshot"):
                counts["attempts"] += 1  # one worker thread at a time per brain: close enough
            return super()._request(path, headers=headers, params=params)

    real_stream = hub_mod.EventStream

    class CountingStream(real_stream):  # type: ignore[misc,valid-type]
        def __init__(self, *a, **kw) -> None:
            counts["attempts"] += 1
            super().__init__(*a, **kw)

    hub_mod.EventStream = CountingStream  # type: ignore[misc]
    client = CountingClient(ClientConfig(url, connect_timeout_s=0.5, read_timeout_s=1.0, retries=0,
                                         backoff_s=backoff_s, max_backoff_s=backoff_s))
    executor = ThreadPoolExecutor(4, thread_name_prefix="flap-hub")
    rows: list[dict] = []
    top: list[str] = []
    last: dict[str, LinkState | None] = {"state": None}
    t_start = time.monotonic()

    def on_status(st: HubStatus) -> None:
        if st.state == LinkState.OFFLINE:
            counts["offline"] += 1
        if st.state == LinkState.LIVE and last["state"] == LinkState.OFFLINE:
            counts["cycles"] += 1
        last["state"] = st.state

    def measure(label: str) -> None:
        before = rss_mb()
        gc.collect()
        after = rss_mb()
        tm = tracemalloc.get_tracemalloc_memory() / 2**20 if tracemalloc.is_tracing() else 0.0
        rows.append({"label": label, "cycles": counts["cycles"], "attempts": counts["attempts"],
                     "t": time.monotonic() - t_start, "rss": before, "rss_gc": after, "tm": tm,
                     "objects": len(gc.get_objects())})

    async def main() -> None:
        hub = Hub(client, executor, poll_interval_s=poll_s, max_backoff_s=backoff_s, brains=["dyeing", "wine"],
                  use_stream=(mode == "stream"), heartbeat_timeout_s=2.0)
        hub.on_status(on_status)
        hub.start()
        deadline = time.monotonic() + 20
        while hub.status.state != LinkState.LIVE:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{mode}: never live ({hub.status.reason})")
            await asyncio.sleep(0.001)
        counts["cycles"] = 0
        nonlocal t_start
        t_start = time.monotonic()
        measure("0")
        snap1 = None
        pending = [c for c in CHECKPOINTS if c > 0 and c <= target]
        end_at = time.monotonic() + seconds
        try:
            while pending and time.monotonic() < end_at:
                await asyncio.sleep(0.005)
                if counts["cycles"] >= pending[0]:
                    measure(f"{pending.pop(0):,}")
                    if snap1 is None:
                        tracemalloc.start(tm_frames)
                        snap1 = tracemalloc.take_snapshot()
            if pending:
                measure(f"end ({seconds:.0f} s)")
            if snap1 is not None:
                snap2 = tracemalloc.take_snapshot()
                filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
                stats = snap2.filter_traces(filters).compare_to(snap1.filter_traces(filters), "traceback")
                for st in stats[:5]:
                    frames = [f"{_short(fr.filename)}:{fr.lineno}" for fr in st.traceback[-4:]]
                    top.append(f"{st.size_diff / 1024:+9.1f} KiB {st.count_diff:+7d} blocks  "
                               f"{' <- '.join(reversed(frames))}")
                tracemalloc.stop()
        finally:
            await asyncio.wait_for(hub.stop(), 10)

    try:
        asyncio.run(main())
    finally:
        client.close()
        executor.shutdown(wait=True)
        hub_mod.EventStream = real_stream  # type: ignore[misc]
        hub_mod.asyncio = asyncio  # type: ignore[attr-defined]
        server.stdin.close()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return {"rows": rows, "top": top, "counts": counts}


def report(mode: str, res: dict, target: int) -> None:
    rows = res["rows"]
    what = ("EventStream connections opened" if mode == "stream" else "snapshot requests sent")
    print(f"\n=== {mode} mode: a cycle = offline → live; attempts = {what}")
    print(f"   {'at cycles':>14} {'cycles':>7} {'attempts':>8} {'time s':>7} {'RSS MB':>8} {'after gc':>8} "
          f"{'- tracemalloc':>13} {'gc objects':>10}")
    for r in rows:
        print(f"   {r['label']:>14} {r['cycles']:7,} {r['attempts']:8,} {r['t']:7.1f} {r['rss']:8.1f} "
              f"{r['rss_gc']:8.1f} {r['rss_gc'] - r['tm']:13.1f} {r['objects']:10,}")
    done = rows[-1]
    if done["cycles"] < target and len(rows) >= 2 and done["cycles"] > rows[1]["cycles"]:
        base = rows[1] if rows[1]["cycles"] >= 1000 else rows[0]
        per_k = (done["rss_gc"] - done["tm"] - (base["rss_gc"] - base["tm"])) / (done["cycles"] - base["cycles"]) * 1000
        objs_k = (done["objects"] - base["objects"]) / (done["cycles"] - base["cycles"]) * 1000
        rate = done["cycles"] / done["t"]
        print(f"   EXTRAPOLATED (linear from {base['cycles']:,} to {done['cycles']:,} cycles): "
              f"{per_k:+.2f} MB and {objs_k:+,.0f} objects per 1,000 cycles → at {target:,} cycles about "
              f"{done['rss_gc'] - done['tm'] + per_k * (target - done['cycles']) / 1000:.1f} MB; "
              f"{target:,} cycles would take {target / rate:.0f} s at {rate:.0f} cycles/s")
    if res["top"]:
        first = next((r for r in rows if r["label"] == "1,000"), None)
        span = f"1,000 → {done['cycles']:,} cycles" if first else "run"
        print(f"   tracemalloc top 5 growth ({span}; size, blocks, where allocated):")
        for line in res["top"]:
            print(f"     {line}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cycles", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=180.0,
                    help="time limit for all modes (default 180); a mode that finishes early leaves its "
                         "time to the next")
    ap.add_argument("--mode", choices=("stream", "poll", "both"), default="both")
    ap.add_argument("--poll", type=float, default=0.001, help="hub poll interval, s (default 0.001)")
    ap.add_argument("--backoff", type=float, default=0.002, help="hub max backoff and pause cap, s (default 0.002)")
    ap.add_argument("--tm-frames", type=int, default=1,
                    help="frames tracemalloc keeps per allocation (default 1: more slows the run down a lot)")
    ap.add_argument("--serve", choices=("stream", "poll"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve)
        return
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("cockpit").setLevel(logging.ERROR)
    t_all = time.monotonic()
    print(f"flap bench: up to {args.cycles:,} cycles per mode, {args.seconds:.0f} s in all; poll {args.poll * 1000:g} ms, "
          f"max backoff {args.backoff * 1000:g} ms (hub pauses capped at it), client retries 0; "
          f"fault server in a child process")
    results = {}
    modes = ("stream", "poll") if args.mode == "both" else (args.mode,)
    for i, mode in enumerate(modes):
        left = args.seconds - (time.monotonic() - t_all)
        res = run_mode(mode, args.cycles, max(10.0, left / (len(modes) - i)), args.poll, args.backoff,
                       args.tm_frames)
        results[mode] = res
        report(mode, res, args.cycles)
        gc.collect()
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps(results, indent=1))
    print(f"\ntotal bench time {time.monotonic() - t_all:.0f} s")


if __name__ == "__main__":
    main()
