"""Offline cache: the store on real SQLite files, the worker on a plain asyncio loop.

No Qt. Bad files are made for real (garbage bytes, a truncated copy, a lock held by
another process, a parent folder that is a file), not mocked; the only stand-in is a
stalled write, to fill the worker's bounded queue.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from cockpit.api.schema import Alert, Brain, Catalog, Metric, Names, Reading, Snapshot
from cockpit.cache.store import (
    APPLICATION_ID,
    DAY_MS,
    MINUTE_MS,
    SCHEMA_VERSION,
    CacheStore,
    default_cache_path,
)
from cockpit.cache.worker import THREAD_NAME, CacheWorker

ROOT = Path(__file__).resolve().parents[1]
T0 = 1_780_000_020_000 - 1_780_000_020_000 % MINUTE_MS  # a minute boundary in 2026
N = Names(zh="名", en="name")


def catalog(ts: int = T0) -> Catalog:
    return Catalog(ts=ts, brains=[Brain(id="dyeing", name=N, metrics=[
        Metric(id="dyeing.run_rate", name=N, unit=N, range=(0, 100)),
        Metric(id="dyeing.output", name=N, unit=N, cadence_s=5),
    ])])


def snapshot(ts: int, value: float | None = 1.5, brain: str = "dyeing") -> Snapshot:
    alert = Alert(id=f"{brain}.run_rate:{ts}", brain=brain, metric=f"{brain}.run_rate", level="warn",
                  message=N, value=value, ts=ts)
    return Snapshot(brain=brain, ts=ts, values={f"{brain}.run_rate": Reading(value=value, ts=ts)}, alerts=[alert])


def rows_in_db(path: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(path) as c:
        return c.execute(sql, args).fetchall()


@pytest.fixture
def store(tmp_path: Path):
    s = CacheStore.open(tmp_path / "cache.sqlite")
    yield s
    s.close()


# ---- round trips -------------------------------------------------------------------------


def test_fresh_store_uses_wal_and_its_file(store: CacheStore, tmp_path: Path) -> None:
    assert store.path_in_use == tmp_path / "cache.sqlite"
    assert store.notice == ""
    db = store._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_default_path_is_the_user_cache_folder() -> None:
    p = default_cache_path()
    assert p.name == "cache.sqlite" and "industry-brain-cockpit" in str(p)
    assert default_cache_path("http://a") != default_cache_path("http://b")


def test_catalog_and_snapshots_round_trip(store: CacheStore) -> None:
    assert store.load_catalog() is None and store.load_snapshots() == {}
    cat = catalog()
    store.save_catalog(cat)
    assert store.load_catalog() == cat
    s1, s2 = snapshot(T0), snapshot(T0 + 1000, None)
    store.save_snapshot(s2, T0 + 1100)
    store.save_snapshot(s1, T0 + 1200)  # older, arriving late: must not replace the newer
    store.save_snapshot(snapshot(T0, brain="wine"), T0 + 5)
    snaps = store.load_snapshots()
    assert snaps["dyeing"] == (s2, T0 + 1100)
    assert snaps["dyeing"][0].values["dyeing.run_rate"].value is None
    assert snaps["wine"][0].brain == "wine"


def test_invalid_cached_catalog_is_ignored_with_notice(store: CacheStore) -> None:
    store.save_catalog(catalog())
    store._db.execute("UPDATE catalog SET json = ?", ('{"ts": 5, "brains": "nope"}',))
    assert store.load_catalog() is None
    assert store.notice_kind == "invalid" and "catalog" in store.notice


def test_points_round_trip_with_null(store: CacheStore) -> None:
    n = store.add_points([("a.x", T0, 1.0), ("a.x", T0 + 1000, None), ("a.x", T0 + 2000, 3.5),
                          ("a.y", T0, 7.0)])
    assert n == 4
    ts, v = store.points("a.x", T0, T0 + 3000)
    assert ts.dtype == np.float64 and v.dtype == np.float64
    assert ts.tolist() == [T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 2]
    assert v[0] == 1.0 and np.isnan(v[1]) and v[2] == 3.5
    assert store.last_ts("a.x") == T0 + 2000 and store.last_ts("nope.x") is None
    ts, v = store.points("nope.x", 0, T0)
    assert ts.size == 0 and v.size == 0


def test_duplicates_and_out_of_order_leave_one_row_per_key(store: CacheStore) -> None:
    store.add_points([("a.x", T0 + i * 1000, float(i)) for i in range(10)])
    # the same points again, reversed, one changed, plus a late older point
    store.add_points([("a.x", T0 + i * 1000, float(i)) for i in reversed(range(10))])
    store.add_points([("a.x", T0 + 5000, 55.0), ("a.x", T0 - 1000, -1.0), ("a.x", T0 + 5000, 56.0)])
    rows = rows_in_db(store.path_in_use, "SELECT ts, value FROM points ORDER BY ts")  # type: ignore[arg-type]
    assert len(rows) == 11
    assert len({ts for ts, _ in rows}) == 11
    assert dict(rows)[T0 + 5000] == 56.0  # same key in one batch: the last write wins
    ts, v = store.points("a.x", T0 - 1000, T0 + 10_000)
    assert np.all(np.diff(ts) > 0) and v[0] == -1.0


def test_points_window_is_since_inclusive_until_exclusive(store: CacheStore) -> None:
    store.add_points([("a.x", T0 + i * 1000, float(i)) for i in range(10)])
    ts, v = store.points("a.x", T0 + 2000, T0 + 5000)
    assert v.tolist() == [2.0, 3.0, 4.0]
    assert store.points("a.x", T0 + 2000, T0 + 2000)[0].size == 0
    assert store.points("a.x", T0 + 9000, T0 + 9001)[1].tolist() == [9.0]


def test_gaps_find_exactly_the_holes(store: CacheStore) -> None:
    now = T0 + 3600_000
    pts = [T0 + i * 1000 for i in range(0, 100)] + [T0 + i * 1000 for i in range(200, 300)]
    pts += [T0 + 301_000, T0 + 302_500]  # 1.5 s apart: within 3 x cadence, no gap
    store.add_points([("a.x", t, 1.0) for t in pts])
    gaps = store.gaps("a.x", T0 - 10_000, T0 + 400_000, cadence_ms=1000, now_ms=now)
    assert gaps == [(T0 - 10_000, T0), (T0 + 99_000, T0 + 200_000), (T0 + 302_500, T0 + 400_000)]
    assert store.gaps("a.x", T0, T0 + 99_500, now_ms=now) == []
    assert store.gaps("nope.x", T0, T0 + 5, now_ms=now) == [(T0, T0 + 5)]
    # a longer cadence tolerates the same hole
    assert (T0 + 99_000, T0 + 200_000) not in store.gaps("a.x", T0, T0 + 303_000, cadence_ms=60_000, now_ms=now)
    # beyond raw_days the data is 1 per minute: minute spacing is not a gap, 5 minutes is
    old = T0 - 3 * DAY_MS
    store.add_points([("a.old", old + i * MINUTE_MS, 1.0) for i in (0, 1, 2, 3, 8, 9)])
    assert store.gaps("a.old", old, old + 9 * MINUTE_MS + 1, now_ms=now) == [(old + 3 * MINUTE_MS,
                                                                              old + 8 * MINUTE_MS)]


def test_alerts_round_trip_upsert_and_since(store: CacheStore) -> None:
    a1 = Alert(id="x:1", brain="dyeing", level="warn", message=N, value=1.0, ts=T0)
    a2 = Alert(id="x:2", brain="dyeing", metric="dyeing.run_rate", level="alarm", message=N, ts=T0 + 5000)
    store.add_alerts([a1, a2])
    a1b = a1.model_copy(update={"level": "alarm", "ts": T0 + 1000})
    store.add_alerts([a1b])
    assert store.alerts(0) == [a1b, a2]
    assert store.alerts(T0 + 2000) == [a2]


def test_memory_store() -> None:
    s = CacheStore.open(None)
    assert s.path_in_use is None and s.notice == ""
    s.add_points([("a.x", T0, 1.0)])
    assert s.points("a.x", T0, T0 + 1)[1].tolist() == [1.0]
    assert s.stats()["points"] == 1
    s.close()


# ---- prune -------------------------------------------------------------------------------


def test_prune_retention_drops_old_points_and_alerts(tmp_path: Path) -> None:
    s = CacheStore.open(tmp_path / "c.sqlite", retention_days=2, raw_days=10)
    now = T0 + 10 * DAY_MS
    s.add_points([("a.x", now - d * DAY_MS, float(d)) for d in range(5)])
    s.add_alerts([Alert(id=f"a{d}", brain="a", level="warn", message=N, ts=now - d * DAY_MS) for d in range(5)])
    rep = s.prune(now)
    assert rep["expired"] == 2 and rep["done"]
    assert s.points("a.x", 0, now + 1)[1].tolist() == [2.0, 1.0, 0.0]
    assert [a.id for a in s.alerts(0)] == ["a2", "a1", "a0"]
    s.close()


def test_prune_downsamples_beyond_raw_days_to_minute_means_idempotently(store: CacheStore) -> None:
    now = T0 + 2 * DAY_MS
    old = T0  # two days old: beyond raw_days = 1
    raw = [("a.x", old + i * 1000 + 7, float(i)) for i in range(180)]  # three minutes at 1 Hz
    raw.append(("a.x", old + 190_000, None))  # a null in the 4th minute, alone
    recent = [("a.x", now - 10_000 + i * 1000, float(i)) for i in range(10)]
    store.add_points(raw + recent)
    rep = store.prune(now)
    assert rep["downsampled"] == 177 and rep["done"]
    ts, v = store.points("a.x", old, old + 5 * MINUTE_MS)
    assert (ts * 1000).astype(np.int64).tolist() == [old, old + MINUTE_MS, old + 2 * MINUTE_MS, old + 3 * MINUTE_MS]
    assert v[:3].tolist() == [29.5, 89.5, 149.5] and np.isnan(v[3])
    assert store.points("a.x", now - 10_000, now)[1].tolist() == [float(i) for i in range(10)]  # raw kept
    before = rows_in_db(store.path_in_use, "SELECT * FROM points ORDER BY ts")  # type: ignore[arg-type]
    assert store.prune(now)["downsampled"] == 0
    assert store.prune(now + 1000)["downsampled"] == 0
    assert rows_in_db(store.path_in_use, "SELECT * FROM points ORDER BY ts") == before  # type: ignore[arg-type]
    # a late (backfilled) raw point into an old, already downsampled minute is merged too
    store.add_points([("a.x", old + 30_500, 1000.0)])
    assert store.prune(now)["downsampled"] == 1
    ts, v = store.points("a.x", old, old + MINUTE_MS)
    assert ts.tolist() == [old / 1000] and v.tolist() == [(29.5 + 1000.0) / 2]


def test_prune_is_bounded_and_catches_up(store: CacheStore) -> None:
    now = T0 + 3 * DAY_MS
    store.add_points([(f"m.{k}", T0 + i * 1000, 1.0) for k in range(3) for i in range(7200)])  # 2 h, 3 metrics
    calls = 0
    while True:
        calls += 1
        rep = store.prune(now, budget_rows=5000)
        if rep["done"]:
            break
        assert calls < 50
    assert calls > 3
    assert store.stats()["points"] == 3 * 120
    assert store.prune(now)["downsampled"] == 0


def test_prune_enforces_the_size_cap_dropping_oldest(tmp_path: Path) -> None:
    cap = 400_000
    s = CacheStore.open(tmp_path / "c.sqlite", max_bytes=cap, raw_days=30)
    now = T0 + 2 * DAY_MS
    s.add_points([(f"m.{k}", T0 + i * 1000, float(i)) for k in range(4) for i in range(20_000)])  # ~2 MB
    assert s.stats()["used_bytes"] > cap
    for _ in range(20):
        rep = s.prune(now)
        if rep["done"]:
            break
    st = s.stats()
    assert 0.6 * cap < st["used_bytes"] <= cap  # down to ~90 % of the cap, not far below
    assert st["newest_ts"] == T0 + 19_999 * 1000  # the newest data is kept
    assert st["oldest_ts"] > T0  # the oldest went
    assert s.prune(now)["dropped_for_size"] == 0  # under the cap: nothing more to drop
    s._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert s.stats()["file_bytes"] <= cap  # freed pages were given back to the disk
    s.close()


# ---- bad files ---------------------------------------------------------------------------


def _asides(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


def test_garbage_file_is_set_aside_and_a_fresh_store_started(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    s = CacheStore.open(path)
    assert s.path_in_use == path
    assert s.notice_kind == "corrupt" and "moved aside" in s.notice
    aside = [p for p in _asides(path) if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    s.add_points([("a.x", T0, 1.0)])
    assert s.points("a.x", T0, T0 + 1)[1].tolist() == [1.0]
    s.close()


@pytest.mark.parametrize("cut", ["mid-page", "page-boundary"])
def test_truncated_database_is_set_aside(tmp_path: Path, cut: str) -> None:
    path = tmp_path / "cache.sqlite"
    s = CacheStore.open(path)
    s.save_catalog(catalog())
    s.add_points([(f"m.{k}", T0 + i * 1000, float(i)) for k in range(5) for i in range(5000)])
    s.close()  # last connection: the WAL is checkpointed into the file and removed
    assert not path.with_name(path.name + "-wal").exists()
    data = path.read_bytes()
    half = len(data) // 2 - (len(data) // 2) % 4096
    path.write_bytes(data[: half + 100] if cut == "mid-page" else data[:half])  # half-written
    s = CacheStore.open(path)
    assert s.notice_kind == "corrupt" and s.path_in_use == path
    assert s.load_catalog() is None and s.stats()["points"] == 0
    assert _asides(path)
    s.close()


def test_damaged_schema_page_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    CacheStore.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:200] = os.urandom(100)  # the schema b-tree header on page 1
    path.write_bytes(bytes(data))
    s = CacheStore.open(path)
    assert s.notice_kind == "corrupt" and s.path_in_use == path and _asides(path)
    s.add_points([("a.x", T0, 1.0)])
    s.close()


def test_foreign_database_is_set_aside_and_newer_one_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE other(x)")
    c.close()
    foreign = path.read_bytes()
    s = CacheStore.open(path)
    assert s.notice_kind == "corrupt" and s.path_in_use == path
    assert [p.read_bytes() for p in _asides(path)] == [foreign]  # set aside untouched
    s.close()
    newer = tmp_path / "newer.sqlite"
    CacheStore.open(newer).close()
    with sqlite3.connect(newer) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = newer.read_bytes()
    s = CacheStore.open(newer)
    assert s.path_in_use is None and s.notice_kind == "newer" and "memory" in s.notice
    assert newer.read_bytes() == before and not _asides(newer)
    s.close()


def test_unwritable_places_fall_back_to_memory(tmp_path: Path) -> None:
    """Works as root too: a parent that is a regular file cannot become a folder."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    s = CacheStore.open(blocker / "sub" / "cache.sqlite")
    assert s.path_in_use is None and "memory" in s.notice and s.notice_kind
    s.add_points([("a.x", T0, 1.0)])
    assert s.points("a.x", T0, T0 + 1)[1].tolist() == [1.0]
    s.close()
    folder = tmp_path / "dir.sqlite"
    folder.mkdir()
    s = CacheStore.open(folder)
    assert s.path_in_use is None and "memory" in s.notice
    s.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway; covered by the test above")
def test_read_only_file_falls_back_to_memory(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    CacheStore.open(path).close()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        s = CacheStore.open(path)
        assert s.path_in_use is None and s.notice_kind in {"readonly", "io"}
        s.close()
    finally:
        tmp_path.chmod(0o755)


LOCKER = textwrap.dedent("""
    import sqlite3, sys, time
    c = sqlite3.connect(sys.argv[1], isolation_level=None)
    c.execute("BEGIN EXCLUSIVE")
    c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('locker', '1')")
    print("locked", flush=True)
    time.sleep(60)
""")


def test_file_locked_by_another_process_falls_back_to_memory(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    CacheStore.open(path).close()
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        s = CacheStore.open(path, busy_timeout_ms=300)
        assert s.path_in_use is None and s.notice_kind == "locked" and "locked" in s.notice
        s.close()
    finally:
        proc.kill()
        proc.wait()
    s = CacheStore.open(path)  # lock gone: the file is used again, nothing was set aside
    assert s.path_in_use == path and s.notice == "" and not _asides(path)
    s.close()


SHARER = textwrap.dedent("""
    import sys
    from cockpit.cache.store import CacheStore
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    T0 = 1_780_000_020_000
    s = CacheStore.open(path, busy_timeout_ms=10_000)
    assert s.path_in_use is not None, s.notice
    print("ready", flush=True)
    sys.stdin.readline()  # both start writing together
    order = range(n) if who == "a" else range(n - 1, -1, -1)
    batch = []
    for i in order:
        batch.append(("shared.x", T0 + i * 1000, float(i)))
        batch.append((f"own.{who}", T0 + i * 1000, float(i)))
        if len(batch) >= 400:
            s.add_points(batch)
            batch = []
            ts, v = s.points("shared.x", T0, T0 + n * 1000)
            assert len(ts) == len(set(ts.tolist()))
            s.prune(T0 + n * 1000)
    s.add_points(batch)
    s.close()
    print("ok", flush=True)
""")


def test_two_processes_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    CacheStore.open(path).close()
    n = 8_000  # 20 interleaved batches of 400 per process (each also reads and prunes)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", SHARER, str(path), who, str(n)], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for who in "ab"]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        out, err = p.communicate("go\n", timeout=90)
        assert p.returncode == 0 and out.strip() == "ok", err
    s = CacheStore.open(path)
    for metric in ("shared.x", "own.a", "own.b"):
        ts, v = s.points(metric, 0, 2 * T0)
        assert len(ts) == n, metric
        assert v.tolist() == [float(i) for i in range(n)]
    assert s.stats()["points"] == 3 * n
    s.close()


# ---- worker ------------------------------------------------------------------------------


def test_worker_batches_writes_on_its_thread_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"

    async def main() -> None:
        w = CacheWorker(path, flush_s=0.05)
        await w.start()
        assert w.path_in_use == path and w.notice == ""
        w.put_catalog(catalog())
        w.put_snapshot(snapshot(T0), T0 + 10)
        w.put_alerts(snapshot(T0).alerts)
        for i in range(50):
            w.put_points([("a.x", T0 + i * 1000, float(i))])
        assert (await w.points("a.x", T0, T0 + 60_000))[0].size == 0  # still queued
        for _ in range(100):
            await asyncio.sleep(0.02)
            if w.written_points == 50:
                break
        ts, v = await w.points("a.x", T0, T0 + 60_000)
        assert v.tolist() == [float(i) for i in range(50)]
        many = await w.points_many(["a.x", "b.y"], T0, T0 + 2000)
        assert many["a.x"][1].tolist() == [0.0, 1.0] and many["b.y"][0].size == 0
        assert await w.load_catalog() == catalog()
        assert (await w.load_snapshots())["dyeing"][1] == T0 + 10
        assert len(await w.alerts(0)) == 1
        assert await w.last_ts("a.x") == T0 + 49_000
        assert await w.gaps("a.x", T0, T0 + 49_001) == []
        assert await w.write_points([("b.y", T0, 2.0)]) == 1  # awaited path (backfills)
        threads = await w._call(lambda st: threading.current_thread().name, "")
        assert threads == THREAD_NAME
        assert (await w.stats())["points"] == 51
        await w.close()

    asyncio.run(main())


def test_worker_flushes_early_when_a_batch_is_full(tmp_path: Path) -> None:
    async def main() -> None:
        w = CacheWorker(tmp_path / "c.sqlite", flush_s=30, flush_rows=1000)
        await w.start()
        w.put_points([("a.x", T0 + i, 1.0) for i in range(1000)])
        for _ in range(100):
            await asyncio.sleep(0.02)
            if w.written_points:
                break
        assert w.written_points == 1000  # did not wait 30 s
        await w.close()

    asyncio.run(main())


def test_worker_close_flushes_the_queue(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"

    async def main() -> None:
        w = CacheWorker(path, flush_s=60)
        await w.start()
        w.put_points([("a.x", T0 + i * 1000, float(i)) for i in range(300)])
        w.put_snapshot(snapshot(T0), T0)
        await w.close()
        w.put_points([("a.x", T0 - 1000, 0.0)])  # after close: ignored, no error
        assert (await w.points("a.x", 0, 2 * T0))[0].size == 0  # after close: empty answer

    asyncio.run(main())
    s = CacheStore.open(path)
    assert s.stats()["points"] == 300 and "dyeing" in s.load_snapshots()
    s.close()


def test_worker_queue_is_bounded_and_drops_oldest_under_a_stalled_disk(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    notices: list[str] = []

    async def main() -> None:
        w = CacheWorker(path, flush_s=0.01, flush_rows=100, max_queued_rows=1000, on_notice=notices.append)
        await w.start()
        release = threading.Event()
        entered = threading.Event()
        real_write = CacheStore.write

        def stalled(self: CacheStore, *a: object, **kw: object) -> int:
            entered.set()
            release.wait(10)
            return real_write(self, *a, **kw)  # type: ignore[arg-type]

        w._store.write = stalled.__get__(w._store)  # type: ignore[method-assign,union-attr]
        w.put_points([("a.x", T0 + i * 1000, float(i)) for i in range(100)])  # this batch stalls
        while not entered.is_set():
            await asyncio.sleep(0.01)
        for i in range(100, 5100):
            w.put_points([("a.x", T0 + i * 1000, float(i))])
        assert len(w._queue) == 1000
        assert w.dropped_points == 4000
        assert w.notice_kind == "behind" and notices
        release.set()
        await w.close()

    asyncio.run(main())
    s = CacheStore.open(path)
    ts, v = s.points("a.x", 0, 2 * T0)
    assert v.tolist() == [float(i) for i in range(100)] + [float(i) for i in range(4100, 5100)]
    s.close()


def test_worker_disk_full_mid_run_goes_to_memory_and_keeps_running(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    notices: list[str] = []

    async def main() -> None:
        w = CacheWorker(path, flush_s=0.01, on_notice=notices.append)
        await w.start()
        w.put_catalog(catalog())
        w.put_snapshot(snapshot(T0), T0)
        await w.flush()
        pages = await w._call(lambda st: st._db.execute("PRAGMA page_count").fetchone()[0], 0)
        # SQLite's own page limit gives the same SQLITE_FULL as a full disk
        await w._call(lambda st: st._db.execute(f"PRAGMA max_page_count = {pages + 2}").fetchall(), None)
        w.put_points([(f"m.{k}", T0 + i * 1000, float(i)) for k in range(10) for i in range(2000)])
        await w.flush()
        assert w.path_in_use is None and w.notice_kind == "full" and "memory" in w.notice
        assert notices and "full" in notices[-1]
        ts, v = await w.points("m.3", 0, 2 * T0)
        assert len(ts) == 2000  # the failed batch was written to memory
        assert await w.load_catalog() == catalog()  # carried over
        assert "dyeing" in await w.load_snapshots()
        w.put_points([("a.x", T0, 1.0)])
        await w.flush()
        assert (await w.points("a.x", T0, T0 + 1))[1].tolist() == [1.0]
        await w.close()

    asyncio.run(main())


def test_worker_file_locked_mid_run_retries_then_goes_to_memory(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"

    async def main() -> None:
        w = CacheWorker(path, flush_s=60, busy_timeout_ms=100)
        await w.start()
        w.put_catalog(catalog())
        await w.flush()
        proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(path)], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
            w.put_points([("a.x", T0, 1.0)])
            await w.flush()
        finally:
            proc.kill()
            proc.wait()
        assert w.path_in_use is None and w.notice_kind == "locked"
        assert (await w.points("a.x", T0, T0 + 1))[1].tolist() == [1.0]
        assert await w.load_catalog() == catalog()
        await w.close()

    asyncio.run(main())


def test_worker_file_deleted_mid_run_starts_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"

    async def main() -> None:
        w = CacheWorker(path, flush_s=0.01)
        await w.start()
        w.put_catalog(catalog())
        w.put_points([("a.x", T0, 1.0)])
        await w.flush()
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        w.put_points([("a.x", T0 + 1000, 2.0)])
        await w.flush()
        assert w.notice_kind == "gone" and w.path_in_use == path
        assert await w.load_catalog() == catalog()
        assert (await w.points("a.x", 0, 2 * T0))[1].tolist() == [2.0]
        await w.close()

    asyncio.run(main())
    assert path.exists()


def test_worker_corruption_found_mid_run_sets_the_file_aside(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"

    async def main() -> None:
        w = CacheWorker(path, flush_s=0.01)
        await w.start()
        w.put_points([(f"m.{k}", T0 + i * 1000, float(i)) for k in range(5) for i in range(5000)])
        await w.flush()
        await w._call(lambda st: st._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall(), None)
        # scribble over the middle of the file, where the points live
        size = path.stat().st_size
        with path.open("r+b") as f:
            f.seek(size // 2 - (size // 2) % 4096)
            f.write(os.urandom(8 * 4096))
        await w._call(lambda st: st._db.execute("PRAGMA cache_size = 0").fetchall(), None)
        for k in range(5):
            await w.points(f"m.{k}", 0, 2 * T0)
        assert w.notice_kind == "corrupt" and w.path_in_use == path
        w.put_points([("a.x", T0, 1.0)])
        await w.flush()
        assert (await w.points("a.x", T0, T0 + 1))[1].tolist() == [1.0]
        await w.close()

    asyncio.run(main())
    assert _asides(path)
