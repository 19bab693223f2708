"""Event-loop stalls while the cockpit backfills a 24-hour gap for every chart metric.
Prints figures, asserts nothing.

    .venv/bin/python bench/bench_backfill.py [--runs 3] [--server embedded|process|both]
                                             [--size 1920x1080] [--dir DIR]
    BENCH_LOG=INFO ...   shows the cockpit's log (one "backfilled N points" line per pass)

Each run starts the real cockpit in-process on a qasync loop (as tests/test_app_e2e.py's
``_run_app`` does) with an EMPTY cache file and the reference API either embedded
(uvicorn in a thread of this process, as ``cockpit`` without ``--api`` runs it: its
simulator computes the history in Python, on the same GIL) or in its own process
(``python -m cockpit.central``, as a real central API would be), so ``load_history``
backfills every brain: 24 h at the coarse step (18 s: 5,000 points per metric) plus the
last hour second by second, writes it to the cache and loads the charts from it.

Two probes run meanwhile on the GUI thread:

* asyncio: a task that sleeps 5 ms in a loop; each wake-up's overshoot is recorded;
* Qt: a 10 ms ``Qt.PreciseTimer``; each timeout's lateness against the previous one.

The backfill window runs from the first call of ``History.load`` (the catalog
arrived) until ``len(cockpit.history.done)`` is the number of brains. Reported per run: how long the backfill
took, and the longest / p99 / p50 overshoot of the wake-ups due inside that window (a
stall counts where it began), and the five longest stalls with their time into the window.
A backfill takes about half a second here: some 80 wake-ups, so p99 is the second longest.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cockpit.app import Cockpit, _import_before_qt, build_parser  # noqa: E402

_import_before_qt(embedded=True)  # the import order the app uses

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cockpit.central.simulator import Simulator  # noqa: E402

N_BRAINS = len(Simulator(0).brain_ids)  # every tab the embedded API serves

from cockpit.qtloop import SafeEventLoop  # noqa: E402

SLEEP_S = 0.005
TIMER_MS = 10


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def one_run(app: QApplication, cache: Path, size: str, api: str | None = None) -> dict:
    args = build_parser().parse_args(["--cache", str(cache), "--size", size] + (["--api", api] if api else []))
    cockpit = Cockpit(app, args)
    # (perf_counter when the wake-up was due, how late it came in s): a stall belongs to
    # the window it began in
    aio: list[tuple[float, float]] = []
    qt: list[tuple[float, float]] = []
    window: dict[str, float] = {}
    from cockpit.hub.history import History

    orig_load = History.load

    async def load_history(history: History) -> None:
        window.setdefault("start", time.perf_counter())
        await orig_load(history)
        if len(history.done) == N_BRAINS:
            window.setdefault("end", time.perf_counter())

    History.load = load_history  # type: ignore[method-assign]

    async def probe() -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(SLEEP_S)
            now = time.perf_counter()
            aio.append((t + SLEEP_S, now - t - SLEEP_S))  # (when it was due, how late)

    last = [time.perf_counter()]

    def on_timer() -> None:
        now = time.perf_counter()
        qt.append((last[0] + TIMER_MS / 1000, now - last[0] - TIMER_MS / 1000))
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TIMER_MS)
    timer.timeout.connect(on_timer)

    async def main() -> None:
        t0 = time.perf_counter()
        window["app_start"] = t0
        timer.start()
        last[0] = time.perf_counter()
        probe_task = asyncio.ensure_future(probe())
        app_task = asyncio.ensure_future(cockpit.run())
        try:
            deadline = time.monotonic() + 120
            while "end" not in window:
                if app_task.done():
                    app_task.result()
                    raise RuntimeError("the cockpit ended before the backfill was done")
                if time.monotonic() > deadline:
                    raise TimeoutError("backfill not done after 120 s")
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # the charts' last flush and paint
        finally:
            timer.stop()
            probe_task.cancel()
            cockpit.request_quit()
            await asyncio.wait_for(app_task, 30)
            cockpit.window.close()

    loop = SafeEventLoop(app, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(main())
    finally:
        History.load = orig_load  # type: ignore[method-assign]
        loop.close()
        asyncio.set_event_loop(None)
        gc.collect()  # finalize this run's Qt objects here, on the GUI thread
    return {"window": window, "aio": aio, "qt": qt, "cache_mb": cache.stat().st_size / 1e6}


class ServerProcess:
    """``python -m cockpit.central`` on a free loopback port (same seed as the embedded one)."""

    def __enter__(self) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-m", "cockpit.central", "--port", str(port),
                                      "--seed", "20261127", "--log-level", "warning"],
                                     cwd=Path(__file__).resolve().parents[1])
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the reference API process did not start") from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def summary(samples: list[tuple[float, float]], lo: float, hi: float) -> tuple[list[float], str]:
    xs = [o * 1000 for t, o in samples if lo <= t <= hi]
    if not xs:
        return xs, "no samples"
    return xs, (f"longest {max(xs):6.1f}  p99 {pct(xs, 99):6.1f}  p50 {pct(xs, 50):5.2f} ms  "
                f"({len(xs)} wake-ups, {sum(x > 50 for x in xs)} over 50 ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--server", choices=("embedded", "process", "both"), default="both",
                    help="the reference API in this process (as the app runs it), its own process, or both")
    ap.add_argument("--dir", type=Path, default=None, help="where to put the cache files (default: a temp dir)")
    args = ap.parse_args()
    logging.basicConfig(level=os.environ.get("BENCH_LOG", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = tempfile.TemporaryDirectory(prefix="bench-backfill-", dir=args.dir)
    t_all = time.perf_counter()
    print(f"backfill bench: {args.runs} runs per variant, window {args.size}, empty cache each run; probes: asyncio sleep {SLEEP_S * 1000:.0f} ms, QTimer {TIMER_MS} ms (precise)")
    variants = ["embedded", "process"] if args.server == "both" else [args.server]
    results = {}
    for variant in variants:
        print(f"\n=== API {'in this process (as cockpit without --api)' if variant == 'embedded' else 'in its own process (python -m cockpit.central, --api URL)'}")
        rows = []
        for i in range(args.runs):
            cache = Path(tmp.name) / f"cache-{variant}-{i}.sqlite"
            if variant == "embedded":
                r = one_run(app, cache, args.size)
            else:
                with ServerProcess() as url:
                    r = one_run(app, cache, args.size, url)
            w = r["window"]
            lo, hi = w["start"], w["end"]
            print(f"run {i + 1}: backfill of {N_BRAINS} brains took {hi - lo:.2f} s (catalog → history done; "
                  f"app start → done {hi - w['app_start']:.2f} s); cache file {r['cache_mb']:.1f} MB")
            xa, text = summary(r["aio"], lo, hi)
            print(f"   asyncio 5 ms sleep overshoot: {text}")
            xq, text_q = summary(r["qt"], lo, hi)
            print(f"   QTimer 10 ms lateness:        {text_q}")
            _, text_s = summary(r["aio"], w["app_start"], lo)
            print(f"   (before the backfill, app start → catalog, asyncio: {text_s})")
            top = sorted(((o, t) for t, o in r["aio"] if lo <= t <= hi), reverse=True)[:5]
            print("   5 longest asyncio stalls (ms, began at s into the backfill): "
                  + ", ".join(f"{o * 1000:.0f} @ {t - lo:.2f}" for o, t in top))
            rows.append((hi - lo, xa, xq))
        results[variant] = rows
    print("\nsummary (wake-ups due inside the backfill window; ms)")
    print(f"   {'API':9} {'run':>3} {'took s':>7} {'aio max':>8} {'aio p99':>8} {'aio p50':>8} "
          f"{'qt max':>8} {'qt p99':>8} {'qt p50':>8}")
    for variant, rows in results.items():
        for i, (took, xa, xq) in enumerate(rows, 1):
            print(f"   {variant:9} {i:>3} {took:7.2f} {max(xa):8.1f} {pct(xa, 99):8.1f} {pct(xa, 50):8.2f} "
                  f"{max(xq):8.1f} {pct(xq, 99):8.1f} {pct(xq, 50):8.2f}")
    for variant, rows in results.items():
        print(f"   backfill took, {variant} API: median {statistics.median(r[0] for r in rows):.2f} s")
    print(f"\ntotal bench time {time.perf_counter() - t_all:.0f} s")
    tmp.cleanup()


if __name__ == "__main__":
    main()
