"""A thousand walls on one server process: streaming clients against the reference server.

Starts ``python -m cockpit.central`` in its own process on a free loopback port, opens
``--clients`` event streams (every brain, as a wall's hub does) from one asyncio process,
and for ``--seconds`` measures:

* **missing events**: every client must receive the same event ids (deltas, alerts,
  panels; heartbeats aside) for each second of the measuring window — the window starts
  ``--settle`` seconds (default 5) after every client has its snapshots (the connection
  storm is measured by the first-snapshot figure) and ends a second before the run stops. Missing =
  sum over clients of the ids the others got and it did not; dropped = streams the server
  ended (a slow reader is dropped and would resume with ``Last-Event-ID``; here it is
  counted, not resumed);
* **push latency**: from the event's time (the second ``T`` in its id ``T-slot``) to its
  receipt, p50 / p99 / max over every delta received in the window, as two figures:
  the **observer's** (``--observers`` streams, 20 by default, in a process of their own
  beside the thousand: what a wall PC, which reads one stream, sees) and the **load
  process's** own (its thousand streams read by one Python thread: every tenth second
  carries the seven brains' ``panels`` events, about 186 KB per stream, so that thread
  reads 186 MB in that second and its own queue adds to the figure);
* **first-snapshot latency**: from opening the connection to having the last snapshot
  event of the first burst (one per brain), p50 / p99 / max;
* **/healthz latency** (the observer process): a probe on a fresh connection every 0.25 s
  during the whole run, p50 / p99 / max in the measuring window and, apart, while the
  clients connect;
* the server's CPU (% of one core), its peak RSS, and the load average before and after
  (the machine may be shared: read the figures with it).

Loopback only; bounded: at most 5,000 clients and 300 s. The client side raises its own
open-file limit (and needs it: one socket per client). Prints figures, asserts nothing.

    .venv/bin/python bench/bench_server_load.py --clients 1000 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_EV = re.compile(rb"event: (\w+)\nid: (\d+)-(\d+)\n")


def _pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proc_cpu_s(pid: int) -> float:
    parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def _proc_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Client:
    started: float = 0.0
    first_snapshots: float | None = None
    ids: set[tuple[int, int]] = field(default_factory=set)
    latencies: list[tuple[int, float]] = field(default_factory=list)
    ended: bool = False
    error: str | None = None


class StreamReader(asyncio.Protocol):
    """One event stream, read as cheaply as Python allows: the receipt time is taken when
    the bytes arrive, and only the events' two header lines are parsed (``bytes.find``
    jumps over the payloads), so that a thousand streams in one process measure the
    server more than themselves."""

    def __init__(self, c: Client, last_snap: int, done: asyncio.Future[None]) -> None:
        self.c, self.last_snap, self.done = c, last_snap, done
        self.tail = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        transport.write(b"GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        now_ms = time.time() * 1000
        buf = self.tail + data if self.tail else data
        c, pos = self.c, 0
        while True:
            i = buf.find(b"event: ", pos)
            if i < 0:
                pos = len(buf)
                break
            j = buf.find(b"\n\n", i)
            if j < 0:
                pos = i
                break
            m = _EV.match(buf, i, min(j + 2, i + 80))
            pos = j + 2
            if m is None:
                continue  # an event without an id (heartbeats have ids; change events do not)
            kind, t, slot = m.group(1), int(m.group(2)), int(m.group(3))
            if kind == b"heartbeat":
                continue
            if kind == b"snapshot":
                if slot == self.last_snap and c.first_snapshots is None:
                    c.first_snapshots = time.monotonic() - c.started
                continue
            c.ids.add((t, slot))
            if kind == b"delta":
                c.latencies.append((t, now_ms - t))
        self.tail = buf[pos:]

    def eof_received(self) -> bool | None:
        self.c.ended = True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None and self.c.error is None:
            self.c.error = str(exc)
        if not self.done.done():
            self.done.set_result(None)


async def run_client(port: int, brains: int, c: Client, stop: asyncio.Event, sem: asyncio.Semaphore) -> None:
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    async with sem:
        c.started = time.monotonic()
        try:
            transport, _ = await loop.create_connection(lambda: StreamReader(c, 4 * (brains - 1), done),
                                                        "127.0.0.1", port)
        except OSError as exc:
            c.error = f"connect: {exc}"
            return
    try:
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait([stopped, done], return_when=asyncio.FIRST_COMPLETED)  # type: ignore[type-var]
        stopped.cancel()
    finally:
        transport.close()


async def probe_healthz(port: int, stop: asyncio.Event, out: list[tuple[float, float]], failures: list[str]) -> None:
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head = await asyncio.wait_for(reader.read(4096), 10)
            writer.close()
            if not head.startswith(b"HTTP/1.1 200"):
                failures.append(head[:40].decode(errors="replace"))
            else:
                out.append((time.time() * 1000, (time.monotonic() - t0) * 1000))
        except (OSError, TimeoutError) as exc:
            failures.append(repr(exc))
        await asyncio.sleep(0.25)


async def observe(port: int, brains: int, streams: int, seconds: float) -> dict[str, object]:
    """The observer process: a few streams and the /healthz probe on a quiet event loop of
    their own, for ``seconds``; returns what they received (the parent picks its window)."""
    stop = asyncio.Event()
    clients = [Client() for _ in range(streams)]
    health: list[tuple[float, float]] = []
    fail: list[str] = []
    sem = asyncio.Semaphore(streams)
    tasks = [asyncio.ensure_future(run_client(port, brains, c, stop, sem)) for c in clients]
    probe = asyncio.ensure_future(probe_healthz(port, stop, health, fail))
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    probe.cancel()
    await asyncio.gather(probe, return_exceptions=True)
    return {"ids": [sorted(c.ids) for c in clients], "latencies": [c.latencies for c in clients],
            "errors": [c.error for c in clients], "ended": [c.ended for c in clients],
            "health": health, "health_failed": fail}


async def main_async(args: argparse.Namespace, port: int, pid: int) -> dict[str, object]:
    brains = args.brains
    stop = asyncio.Event()
    clients = [Client() for _ in range(args.clients)]
    sem = asyncio.Semaphore(args.connect_parallel)
    # the observer: a few streams and the /healthz probe in a process of their own (their
    # event loop is idle but for them), started first and ended with the run
    observer = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--observe", str(port), "--brains", str(brains), "--streams", str(args.observers),
        "--seconds", str(args.seconds), stdout=asyncio.subprocess.PIPE)
    t_start = time.monotonic()
    cpu0 = _proc_cpu_s(pid)
    me0 = time.process_time()
    tasks = [asyncio.ensure_future(run_client(port, brains, c, stop, sem)) for c in clients]
    # the window: from the first whole second after every client has its snapshots
    deadline = t_start + args.seconds
    while time.monotonic() < deadline and sum(c.first_snapshots is not None or c.error is not None or c.ended
                                              for c in clients) < len(clients):
        await asyncio.sleep(0.1)
    connected_after = time.monotonic() - t_start
    await asyncio.sleep(args.settle)  # the connection storm's backlog drains first
    w_start = (int(time.time()) + 1) * 1000
    await asyncio.sleep(max(0.0, deadline - time.monotonic()))
    w_end = (int(time.time()) - 1) * 1000
    cpu1 = _proc_cpu_s(pid)
    me1 = time.process_time()
    wall = time.monotonic() - t_start
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    out, _ = await observer.communicate()
    obs = json.loads(out)

    def window(ids: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        return {(t, s) for t, s in ids if w_start <= t <= w_end}

    union: set[tuple[int, int]] = set()
    for c in clients:
        union |= window(c.ids)
    missing = sum(len(union - window(c.ids)) for c in clients if c.error is None)
    obs_missing = sum(len(union - window(map(tuple, ids))) for ids, err in zip(obs["ids"], obs["errors"], strict=True) if err is None)

    def lat_in(lists: Iterable[Iterable[tuple[int, float]]], t0: int, t1: int) -> list[float]:
        return [ms for one in lists for (t, ms) in one if t0 <= t <= t1]

    lat = lat_in((c.latencies for c in clients), w_start, w_end)
    olat = lat_in(obs["latencies"], w_start, w_end)
    if os.environ.get("BENCH_PER_SECOND"):
        for t in range(w_start, w_end + 1, 1000):
            xs, ox = lat_in((c.latencies for c in clients), t, t), lat_in(obs["latencies"], t, t)
            print(f"  second {(t - w_start) // 1000:3d}: observers n={len(ox)} p50={_pct(ox, 50):.0f} "
                  f"max={max(ox, default=float('nan')):.0f} ms; load process n={len(xs)} p50={_pct(xs, 50):.0f} "
                  f"p99={_pct(xs, 99):.0f} ms")
    health = obs["health"]
    steady = [ms for at, ms in health if w_start <= at <= w_end + 1000]
    storm = [ms for at, ms in health if at < w_start]
    firsts = [c.first_snapshots * 1000 for c in clients if c.first_snapshots is not None]

    def trio(xs: list[float]) -> tuple[float, float, float]:
        return (_pct(xs, 50), _pct(xs, 99), max(xs) if xs else float("nan"))

    return {
        "clients": len(clients),
        "connected": sum(c.first_snapshots is not None for c in clients),
        "errors": sum(c.error is not None for c in clients),
        "ended_by_server": sum(c.ended for c in clients),
        "all_snapshots_after_s": connected_after,
        "window_s": max(0, (w_end - w_start) // 1000 + 1),
        "settle_s": args.settle,
        "events_per_client": len(union),
        "missing": missing,
        "observers": len(obs["ids"]),
        "observer_missing": obs_missing,
        "observer_trouble": sum(e is not None for e in obs["errors"]) + sum(obs["ended"]),
        "push_ms": trio(olat),
        "push_n": len(olat),
        "push_load_ms": trio(lat),
        "first_snapshot_ms": trio(firsts),
        "healthz_ms": trio(steady),
        "healthz_n": len(steady),
        "healthz_storm_ms": trio(storm),
        "healthz_storm_n": len(storm),
        "healthz_failed": len(obs["health_failed"]),
        "server_cpu_pct": 100 * (cpu1 - cpu0) / wall,
        "client_cpu_pct": 100 * (me1 - me0) / wall,
        "errors_sample": [c.error for c in clients if c.error][:3],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=1000, help="streaming clients (≤ 5000; default 1000)")
    p.add_argument("--seconds", type=float, default=30, help="run length (≤ 300; default 30)")
    p.add_argument("--settle", type=float, default=5.0,
                   help="seconds between every client having its snapshots and the measuring window (default 5)")
    p.add_argument("--connect-parallel", type=int, default=200, help="connections opened at once (default 200)")
    p.add_argument("--observers", type=int, default=20,
                   help="streams in the observer process, which measures push latency and /healthz (default 20)")
    p.add_argument("--observe", type=int, metavar="PORT", help=argparse.SUPPRESS)  # the observer process itself
    p.add_argument("--brains", type=int, help=argparse.SUPPRESS)
    p.add_argument("--streams", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.observe:
        json.dump(asyncio.run(observe(args.observe, args.brains, args.streams, args.seconds)), sys.stdout)
        return 0
    args.clients = max(1, min(args.clients, 5000))
    args.seconds = max(5.0, min(args.seconds, 300.0))
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = min(hard, args.clients + 256) if hard != resource.RLIM_INFINITY else args.clients + 256
        if soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    except (ImportError, ValueError, OSError) as exc:
        print(f"note: could not raise the open-file limit: {exc}", file=sys.stderr)

    sys.path.insert(0, str(ROOT))
    from cockpit.central.simulator import Simulator

    args.brains = len(Simulator(0).brain_ids)
    port = _free_port()
    load_before = os.getloadavg()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cockpit.central", "--port", str(port), "--log-level", "warning", "--db", "sqlite://"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        res = asyncio.run(main_async(args, port, proc.pid))
        rss = _proc_hwm_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    load_after = os.getloadavg()

    def trio(x: object) -> str:
        return " / ".join(f"{v:.0f}" for v in x)  # type: ignore[attr-defined]

    print(f"server load bench: {res['clients']} streaming clients × {args.brains} brains, {args.seconds:.0f} s, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print("| figure | value | target |")
    print("| --- | --- | --- |")
    print(f"| clients with snapshots / errors / ended by server | {res['connected']} / {res['errors']} / "
          f"{res['ended_by_server']} | all / 0 / 0 |")
    print(f"| all snapshots delivered after | {res['all_snapshots_after_s']:.1f} s | |")
    print(f"| measuring window (from {res['settle_s']:g} s after the last snapshots) | {res['window_s']} s, "
          f"{res['events_per_client']} events per client | |")
    print(f"| missing events | {res['missing']} | 0 |")
    print(f"| the observer's {res['observers']} streams: missing events, errors or ended | "
          f"{res['observer_missing']}, {res['observer_trouble']} | 0, 0 |")
    print(f"| push latency p50 / p99 / max, the observer's streams ({res['push_n']} deltas) | "
          f"{trio(res['push_ms'])} ms | p99 ≤ 200 ms |")
    print(f"| push latency p50 / p99 / max, as the load process reads its {res['clients']} streams | "
          f"{trio(res['push_load_ms'])} ms | |")
    print(f"| first snapshots p50 / p99 / max | {trio(res['first_snapshot_ms'])} ms | |")
    print(f"| /healthz in the window p50 / p99 / max ({res['healthz_n']} probes) | "
          f"{trio(res['healthz_ms'])} ms | ≤ 50 ms |")
    print(f"| /healthz while the clients connect p50 / p99 / max ({res['healthz_storm_n']} probes) | "
          f"{trio(res['healthz_storm_ms'])} ms | |")
    print(f"| /healthz probes failed (whole run) | {res['healthz_failed']} | 0 |")
    print(f"| server CPU, peak RSS | {res['server_cpu_pct']:.0f} % of a core, {rss:.0f} MB | |")
    print(f"| the load process's CPU | {res['client_cpu_pct']:.0f} % of a core | |")
    if res["errors_sample"]:
        print("errors (first 3):", res["errors_sample"])
    print(f"rerun: .venv/bin/python bench/bench_server_load.py --clients {res['clients']} --seconds {args.seconds:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
