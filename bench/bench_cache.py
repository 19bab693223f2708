"""Offline cache benchmark: prints figures, asserts nothing.

    .venv/bin/python bench/bench_cache.py [--metrics 60] [--days 30] [--dir DIR]

1. Ingest: points per second through ``CacheStore.add_points`` (upsert, one transaction
   per batch) in batches of 1,000 and 10,000, 60 metrics interleaved as live data comes.
2. A simulated 30 days for 60 metrics at 1 Hz, built quickly: per-minute rows written
   directly for days 30..2 ago (what downsampling leaves), raw 1 Hz rows for the last
   day; then ``prune`` called until done, as the worker would, and one more hour of live
   data pushed across the raw_days line and pruned (steady-state downsampling).
3. Chart loads from that file: one metric's 24 h (86,400 raw points) and 7 days (raw day +
   6 days of minutes), directly and through the CacheWorker thread from asyncio.
4. File size after all that (after a WAL checkpoint), and bytes per row.
5. Page fill of minute rows made by real downsampling (delete + insert in the tree)
   versus rows appended directly, on a small separate file.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cockpit.cache.store import DAY_MS, DEFAULT_MAX_BYTES, HOUR_MS, MINUTE_MS, CacheStore  # noqa: E402
from cockpit.cache.worker import CacheWorker  # noqa: E402

NOW = 1_780_000_000_000 - 1_780_000_000_000 % MINUTE_MS


def names(n: int) -> list[str]:
    return [f"b{i // 10}.metric_{i:02d}" for i in range(n)]


def live_rows(metrics: list[str], t_from: int, t_to: int, step_ms: int, rng: np.random.Generator):
    """Rows in time order, all metrics at each tick (how live data arrives)."""
    ticks = np.arange(t_from, t_to, step_ms, dtype=np.int64)
    vals = np.round(rng.normal(100, 15, size=(len(ticks), len(metrics))), 2)
    for i, t in enumerate(ticks.tolist()):
        row = vals[i].tolist()
        yield from ((m, t, row[k]) for k, m in enumerate(metrics))


def ingest(store: CacheStore, rows, batch: int) -> tuple[int, float]:
    n = 0
    buf: list = []
    t0 = time.perf_counter()
    for r in rows:
        buf.append(r)
        if len(buf) == batch:
            n += store.add_points(buf)
            buf = []
    if buf:
        n += store.add_points(buf)
    return n, time.perf_counter() - t0


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def timed(fn, repeat: int = 5) -> tuple[float, float, object]:
    first_t = time.perf_counter()
    out = fn()
    first = time.perf_counter() - first_t
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return first, statistics.median(runs), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--metrics", type=int, default=60)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--dir", type=Path, default=None, help="where to put the files (default: a temp dir)")
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    metrics = names(args.metrics)
    tmp = tempfile.TemporaryDirectory(prefix="bench-cache-", dir=args.dir)
    folder = Path(tmp.name)
    t_all = time.perf_counter()
    print(f"cache bench: {len(metrics)} metrics, files in {folder}")

    # 1. ingest rate
    print("\n1. ingest (INSERT ... ON CONFLICT DO UPDATE, executemany, one transaction per batch)")
    for batch in (1_000, 10_000):
        st = CacheStore.open(folder / f"ingest-{batch}.sqlite")
        n, dt = ingest(st, live_rows(metrics, NOW - HOUR_MS, NOW - HOUR_MS + 20_000 * 1000, 1000, rng), batch)
        n2, dt2 = ingest(st, live_rows(metrics, NOW - HOUR_MS, NOW - HOUR_MS + 2_000 * 1000, 1000, rng), batch)
        print(f"   batch {batch:>6,}: {n:,} new points in {dt:.2f} s = {n / dt:,.0f} points/s; "
              f"re-sending {n2:,} existing points (upsert): {n2 / dt2:,.0f} points/s")
        st.close()

    # 2. simulated 30 days
    print(f"\n2. simulated {args.days} days at 1 Hz: per-minute rows written directly for days "
          f"{args.days}..2 ago, raw 1 Hz rows for the last day")
    path = folder / "cache.sqlite"
    st = CacheStore.open(path)
    start = NOW - args.days * DAY_MS
    raw_from = NOW - DAY_MS
    n_min, dt_min = ingest(st, live_rows(metrics, start, raw_from, MINUTE_MS, rng), 10_000)
    n_raw, dt_raw = ingest(st, live_rows(metrics, raw_from, NOW, 1000, rng), 10_000)
    print(f"   wrote {n_min:,} minute rows in {dt_min:.1f} s and {n_raw:,} raw rows in {dt_raw:.1f} s "
          f"({(n_min + n_raw) / (dt_min + dt_raw):,.0f} points/s)")
    calls, t0, longest = 0, time.perf_counter(), 0.0
    while True:
        t = time.perf_counter()
        rep = st.prune(NOW)
        longest = max(longest, time.perf_counter() - t)
        calls += 1
        if rep["done"]:
            break
    print(f"   first prune after the bulk load (every minute row checked once): {calls} calls, "
          f"{time.perf_counter() - t0:.2f} s in all, longest call {longest:.2f} s")
    # one more hour of live data; the oldest raw hour crosses the raw_days line
    now2 = NOW + HOUR_MS
    ingest(st, live_rows(metrics, NOW, now2, 1000, rng), 5_000)
    calls, t0, longest, merged = 0, time.perf_counter(), 0.0, 0
    while True:
        t = time.perf_counter()
        rep = st.prune(now2)
        longest = max(longest, time.perf_counter() - t)
        merged += rep["downsampled"]
        calls += 1
        if rep["done"]:
            break
    print(f"   steady state: +1 h live, prune downsampled {merged:,} raw rows (1 h x {len(metrics)} metrics) "
          f"in {calls} call(s), {time.perf_counter() - t0:.2f} s, longest {longest:.2f} s "
          f"(the worker prunes every 5 min: 1/12 of that)")
    t = time.perf_counter()
    rep = st.prune(now2)
    print(f"   prune with nothing to do: {(time.perf_counter() - t) * 1000:.1f} ms")

    # 3. chart loads
    print("\n3. chart loads (one metric)")
    m = metrics[len(metrics) // 2]
    first, med, out = timed(lambda: st.points(m, now2 - DAY_MS, now2))
    print(f"   24 h: {len(out[0]):,} points: first {first * 1000:.0f} ms, then median {med * 1000:.0f} ms")  # type: ignore[index]
    first, med, out = timed(lambda: st.points(m, now2 - 7 * DAY_MS, now2))
    print(f"   7 d:  {len(out[0]):,} points (raw day + minutes): first {first * 1000:.0f} ms, "  # type: ignore[index]
          f"then median {med * 1000:.0f} ms")
    first, med, out = timed(lambda: st.gaps(m, now2 - 7 * DAY_MS, now2, now_ms=now2))
    print(f"   gaps() over 7 d: {len(out)} gaps, median {med * 1000:.0f} ms")  # type: ignore[arg-type]
    t = time.perf_counter()
    stats = st.stats()
    dt_stats = time.perf_counter() - t
    st._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stats = st.stats()
    st.close()

    async def via_worker() -> tuple[float, float, float]:
        w = CacheWorker(path)
        await w.start()
        loop = asyncio.get_running_loop()
        stalls: list[float] = []

        async def ticker() -> None:  # how long the loop is held while the thread reads
            last = loop.time()
            while True:
                await asyncio.sleep(0.001)
                now = loop.time()
                stalls.append(now - last - 0.001)
                last = now

        tick = asyncio.create_task(ticker())
        t = time.perf_counter()
        await w.points(m, now2 - DAY_MS, now2)
        t24 = time.perf_counter() - t
        t = time.perf_counter()
        await w.points_many(metrics[:8], now2 - DAY_MS, now2)
        t8 = time.perf_counter() - t
        read_stall = max(stalls)
        stalls.clear()
        gen = live_rows(metrics, now2, now2 + 10 * 60_000, 1000, rng)
        batches = [[next(gen) for _ in range(5_000)] for _ in range(7)]
        stalls.clear()
        t = time.perf_counter()
        for batch in batches:  # 7 flushes of 5,000 live points, then a prune
            w.put_points(batch)
            await w.flush()
        await w.prune(now2 + 10 * 60_000)
        t_write = time.perf_counter() - t
        tick.cancel()
        await w.close()
        return t24, t8, read_stall, t_write, max(stalls)

    t24, t8, stall, t_write, write_stall = asyncio.run(via_worker())
    print(f"   through CacheWorker (asyncio): 24 h of one metric {t24 * 1000:.0f} ms, 8 metrics "
          f"{t8 * 1000:.0f} ms; longest event-loop stall meanwhile {stall * 1000:.1f} ms")
    print(f"   CacheWorker writing 7 x 5,000 queued points and pruning: {t_write:.2f} s; longest event-loop "
          f"stall meanwhile {write_stall * 1000:.1f} ms")

    # 4. size
    rows = stats["points"]
    print(f"\n4. size after the simulated {args.days} days + pruning: {mb(stats['file_bytes'])} file "
          f"({stats['file_bytes'] / 2**20:,.0f} MiB), {rows:,} rows, {stats['file_bytes'] / rows:.1f} bytes/row; "
          f"cap DEFAULT_MAX_BYTES = {DEFAULT_MAX_BYTES / 2**20:,.0f} MiB; stats() took {dt_stats:.2f} s")

    # 5. page fill of downsampled rows
    small = CacheStore.open(folder / "downsample.sqlite")
    ingest(small, live_rows(metrics, NOW - 3 * HOUR_MS, NOW, 1000, rng), 10_000)
    while not small.prune(NOW + 2 * DAY_MS)["done"]:
        pass
    s1 = small.stats()
    small.close()
    appended = CacheStore.open(folder / "appended.sqlite")
    ingest(appended, live_rows(metrics, NOW - 3 * HOUR_MS, NOW, MINUTE_MS, rng), 10_000)
    s2 = appended.stats()
    appended.close()
    print(f"\n5. minute rows: made by downsampling {s1['used_bytes'] / s1['points']:.1f} bytes/row, "
          f"appended directly {s2['used_bytes'] / s2['points']:.1f} bytes/row "
          f"({s1['points']:,} rows each)")
    print(f"\ntotal bench time {time.perf_counter() - t_all:.0f} s")
    tmp.cleanup()


if __name__ == "__main__":
    main()
