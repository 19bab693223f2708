"""The cache on its own thread, with an asyncio API for the hub and the UI.

SQLite calls block, so they never run on the event loop (which is the Qt UI thread under
qasync): one dedicated thread named "cockpit-cache" owns the store and does every call.

Live writes (``put_*``) return at once. They are queued in memory and written in ONE
transaction every ``flush_s`` or as soon as ``flush_rows`` points wait. The queue is
bounded: if the disk is too slow, the oldest queued points are dropped (counted in
``dropped_points``, with a notice) instead of growing memory for days (100,000 rows by
default: ~12 MB, ~28 min of 60 metrics at 1 Hz). Big writes that
must not be dropped (a backfill) use ``await write_points(...)``, which waits its turn.

Failures never escape to the loop. A write that fails because the disk is full, the file
became read-only or stays locked switches to an in-memory store (with a notice) and the
batch is written there; a damaged file is set aside and a new one started; a file deleted
while running is re-created. The last catalog and snapshots are carried over to the new
store, so a restart of the UI from the cache still finds them. Reads that fail return an
empty answer.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from cockpit.api.schema import Alert, Catalog, Snapshot
from cockpit.cache.store import CacheError, CacheStore, fallback_notice, set_aside
from cockpit.tasks import cancel_and_wait

log = logging.getLogger(__name__)

T = TypeVar("T")
Row = tuple[str, int, float | None]

THREAD_NAME = "cockpit-cache"
LOCK_RETRIES = 3  # a write still locked after this many busy timeouts goes to memory


def _name_thread() -> None:
    threading.current_thread().name = THREAD_NAME


class CacheWorker:
    """Owns the cache thread and the store; every public method is called on the loop."""

    def __init__(
        self,
        path: Path | None,
        *,
        flush_s: float = 0.5,
        flush_rows: int = 5000,
        max_queued_rows: int = 100_000,
        max_queued_alerts: int = 10_000,
        prune_every_s: float = 300.0,
        first_prune_s: float = 30.0,
        snapshot_every_s: float = 10.0,
        on_notice: Callable[[str], None] | None = None,
        **store_options: Any,
    ) -> None:
        self.path = path
        self.flush_s = flush_s
        self.flush_rows = flush_rows
        self.max_queued_rows = max_queued_rows
        self.max_queued_alerts = max_queued_alerts
        self.prune_every_s = prune_every_s
        self.first_prune_s = first_prune_s
        # a brain's snapshot (tens of KB with its panels) is rewritten at most this often by
        # the periodic flush: the points table keeps every reading anyway, the snapshot is
        # only what the next start paints first (6 brains × 35 KB × 2 flushes/s would be
        # 36 GB a day of writes on a wall's disk)
        self.snapshot_every_s = snapshot_every_s
        self._snapshot_written: dict[str, float] = {}
        self.on_notice = on_notice
        self._store_options = store_options
        self.notice = ""  # the latest notice (plain English), "" if none yet
        self.notice_kind = ""
        self.dropped_points = 0  # live points dropped because the disk could not keep up
        self.written_points = 0
        self.path_in_use: Path | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: deque[Row] = deque(maxlen=max_queued_rows)
        self._snapshots: dict[str, tuple[Snapshot, int]] = {}
        self._catalog: Catalog | None = None
        self._alerts: dict[str, Alert] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._flush_lock = asyncio.Lock()
        self._dropping = False
        self._closed = False
        self._shut = False  # the executor was shut down
        # owned by the cache thread only
        self._store: CacheStore | None = None
        self._seen_serial = 0
        self._last_catalog: Catalog | None = None
        self._last_snapshots: dict[str, tuple[Snapshot, int]] = {}

    # ---- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        """Start the thread and open the store on it (never fails: memory at worst)."""
        if self._executor is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=THREAD_NAME, initializer=_name_thread)
        await self._loop.run_in_executor(self._executor, self._t_open)
        self._task = self._loop.create_task(self._run(), name="cache-flush")

    async def close(self, timeout_s: float = 30.0) -> None:
        """Flush what is queued, close the store and join the thread."""
        if self._closed or self._executor is None:
            self._closed = True
            return
        self._closed = True
        await cancel_and_wait([self._task])
        self._task = None
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(self.flush(), timeout_s)
            await asyncio.wait_for(loop.run_in_executor(self._executor, self._t_close), timeout_s)
        except TimeoutError:
            log.error("cache: close timed out after %.0f s; queued data may be lost", timeout_s)
            self._shut = True
            self._executor.shutdown(wait=False, cancel_futures=True)
            return
        self._shut = True
        self._executor.shutdown(wait=True)  # the thread is idle now: joins at once

    # ---- writes (non-blocking) ------------------------------------------------------

    def put_points(self, rows: Iterable[Row]) -> None:
        """Queue points (metric id, ts ms, value or None) for the next batched write."""
        if self._closed:
            return
        q = self._queue
        rows = rows if isinstance(rows, list | tuple) else list(rows)
        over = len(q) + len(rows) - self.max_queued_rows
        q.extend(rows)  # the deque's maxlen drops the oldest
        if over > 0:
            self.dropped_points += over
            if not self._dropping:
                self._dropping = True
                self._notify("behind", "Cache writes cannot keep up with the disk; the oldest unsaved "
                                       "points are being dropped.")
        if len(q) >= self.flush_rows:
            self._wake.set()

    def put_snapshot(self, snapshot: Snapshot, received_ms: int) -> None:
        """Queue a brain's snapshot (only the newest per brain is kept in the queue)."""
        if not self._closed:
            self._snapshots[snapshot.brain] = (snapshot, received_ms)

    def put_catalog(self, catalog: Catalog) -> None:
        """Queue the catalog for the next write."""
        if not self._closed:
            self._catalog = catalog

    def put_alerts(self, alerts: Iterable[Alert]) -> None:
        """Queue alerts (by id: a newer copy replaces a queued one)."""
        if self._closed:
            return
        for a in alerts:
            self._alerts.pop(a.id, None)
            self._alerts[a.id] = a
        while len(self._alerts) > self.max_queued_alerts:
            del self._alerts[next(iter(self._alerts))]

    async def write_points(self, rows: Iterable[Row]) -> int:
        """Write points now, waiting for the disk (backfills: nothing is dropped)."""
        batch = list(rows)
        return await self._call(lambda st: st.add_points(batch), 0, retry=True)

    async def flush(self, throttle: bool = False) -> None:
        """Write everything queued now, in one transaction.

        ``throttle`` (the periodic flush): snapshots written less than ``snapshot_every_s``
        ago stay queued (the newest replaces them) instead of being rewritten."""
        async with self._flush_lock:
            if not (self._queue or self._snapshots or self._catalog or self._alerts):
                return
            points = list(self._queue)
            self._queue.clear()
            now = time.monotonic()
            due = {b: pair for b, pair in self._snapshots.items()
                   if not throttle or now - self._snapshot_written.get(b, -1e18) >= self.snapshot_every_s}
            for b in due:
                self._snapshot_written[b] = now
                del self._snapshots[b]
            snapshots = list(due.values())
            catalog, alerts = self._catalog, list(self._alerts.values())
            self._catalog, self._alerts = None, {}
            if not (points or snapshots or catalog or alerts):
                return
            n = await self._call(lambda st: self._t_write(st, points, catalog, snapshots, alerts), 0, retry=True)
            self.written_points += n
            if self._dropping and len(self._queue) < self.max_queued_rows // 2:
                self._dropping = False

    # ---- reads ----------------------------------------------------------------------

    async def load_catalog(self) -> Catalog | None:
        return await self._call(self._t_load_catalog, None)

    async def load_snapshots(self) -> dict[str, tuple[Snapshot, int]]:
        return await self._call(self._t_load_snapshots, {})

    async def points(self, metric: str, since_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """(ts seconds, values with NaN) for since_ms <= ts < until_ms; empty arrays on failure."""
        return await self._call(lambda st: st.points(metric, since_ms, until_ms), (np.empty(0), np.empty(0)))

    async def points_many(
        self, metrics: Iterable[str], since_ms: int, until_ms: int
    ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Several metrics' windows in one trip to the cache thread (a tab's charts)."""
        ids = list(metrics)
        return await self._call(lambda st: {m: st.points(m, since_ms, until_ms) for m in ids}, {})

    async def last_ts(self, metric: str) -> int | None:
        return await self._call(lambda st: st.last_ts(metric), None)

    async def gaps(self, metric: str, since_ms: int, until_ms: int, **kw: Any) -> list[tuple[int, int]]:
        """Holes to backfill (see ``CacheStore.gaps``); [] on failure."""
        return await self._call(lambda st: st.gaps(metric, since_ms, until_ms, **kw), [])

    async def save_document(self, kind: str, key: str, text: str, fetched_ms: int) -> None:
        """Keep an answer looked up on demand (chain, enterprise profile, batch) for offline use."""
        await self._call(lambda st: st.save_document(kind, key, text, fetched_ms), None)

    async def load_document(self, kind: str, key: str) -> tuple[str, int] | None:
        """(JSON text, fetched_ms) of a kept answer; None if none (or the cache failed)."""
        return await self._call(lambda st: st.load_document(kind, key), None)

    async def alerts(self, since_ms: int) -> list[Alert]:
        return await self._call(lambda st: st.alerts(since_ms), [])

    async def stats(self) -> dict[str, Any]:
        empty: dict[str, Any] = {}
        stats = await self._call(lambda st: st.stats(), empty)
        stats.update(dropped_points=self.dropped_points, queued_points=len(self._queue),
                     written_points=self.written_points)
        return stats

    async def prune(self, now_ms: int | None = None) -> dict[str, Any]:
        """One bounded prune step now (the worker also does this every ``prune_every_s``)."""
        when = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        return await self._call(lambda st: st.prune(when), {})

    # ---- loop side internals ------------------------------------------------------------

    async def _run(self) -> None:
        """Flush every flush_s (or when woken by a full batch); prune now and then."""
        loop = asyncio.get_running_loop()
        next_prune = loop.time() + self.first_prune_s
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self.flush_s)
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                await self.flush(throttle=True)
                if loop.time() >= next_prune:
                    report = await self.prune()
                    # a backlog (after a long stop): come back soon, not in five minutes
                    next_prune = loop.time() + (self.prune_every_s if report.get("done", True)
                                                else min(5.0, self.prune_every_s))
            except asyncio.CancelledError:
                raise
            except Exception:  # the flush loop must never die
                log.exception("cache flush failed")

    async def _call(self, fn: Callable[[CacheStore], T], default: T, retry: bool = False) -> T:
        if self._executor is None or self._loop is None:
            raise RuntimeError("CacheWorker.start() was not awaited")
        if self._shut:  # closed: answer like a failed read
            return default
        return await self._loop.run_in_executor(self._executor, self._t_guarded, fn, default, retry)

    def _notify(self, kind: str, text: str) -> None:
        self.notice_kind, self.notice = kind, text
        log.warning("cache: %s", text)
        if self.on_notice is not None:
            try:
                self.on_notice(text)
            except Exception:
                log.exception("cache notice callback failed")

    def _post_notice(self, kind: str, text: str) -> None:
        """From the cache thread: deliver a notice on the loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._notify, kind, text)
            except RuntimeError:  # loop closed meanwhile
                pass

    # ---- cache thread ------------------------------------------------------------------

    def _t_open(self) -> None:
        store = CacheStore.open(self.path, **self._store_options)
        self._t_install(store)

    def _t_install(self, store: CacheStore, post: bool = True) -> None:
        self._store = store
        self._seen_serial = 0 if post else store.notice_serial
        self.path_in_use = store.path_in_use
        self._t_check_notice()

    def _t_check_notice(self) -> None:
        st = self._store
        if st is not None and st.notice_serial != self._seen_serial:
            self._seen_serial = st.notice_serial
            self._post_notice(st.notice_kind, st.notice)

    def _t_close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _t_guarded(self, fn: Callable[[CacheStore], T], default: T, retry: bool) -> T:
        """Run fn on the store; on a cache failure, replace the store and (writes) retry once."""
        locked = 0
        for _ in range(LOCK_RETRIES + 1):
            store = self._store
            if store is None:
                return default
            try:
                if retry:
                    store.check_file()
                result = fn(store)
                self._t_check_notice()
                return result
            except CacheError as e:
                if e.kind == "locked" and locked + 1 < LOCK_RETRIES:
                    locked += 1
                    log.warning("cache: still locked by another program (%d)", locked)
                    continue
                self._t_recover(e)
                if not retry:
                    return default
            except Exception:
                log.exception("cache call failed")
                return default
        return default

    def _t_recover(self, err: CacheError) -> None:
        """Replace a failed store: a new file for a damaged/deleted one, memory otherwise."""
        old = self._store
        assert old is not None
        path = old.path_in_use
        old.close()
        new: CacheStore | None = None
        if path is not None and err.kind == "corrupt":
            try:
                aside = set_aside(path)
                text = (f"The cache file was damaged ({err.detail}); it was moved aside as {aside.name} "
                        "and a new one was started.")
                new = CacheStore.open(path, **self._store_options)
            except OSError:
                text = fallback_notice("corrupt", err.detail)
        elif path is not None and err.kind == "gone":
            text = "The cache file disappeared while running; a new one was started."
            new = CacheStore.open(path, **self._store_options)
        else:
            text = fallback_notice(err.kind, err.detail if err.kind == "io" else "")
        if new is None:
            new = CacheStore.open(None, **self._store_options)
        elif new.path_in_use is None:
            text = new.notice  # the file could not be started again: say why
        log.error("cache failure (%s); %s", err, text)
        self._t_install(new, post=False)
        self._post_notice(err.kind, text)
        try:  # carry over what a restart needs
            new.write(catalog=self._last_catalog, snapshots=list(self._last_snapshots.values()))
        except CacheError:
            log.exception("cache: cannot seed the replacement store")

    def _t_write(
        self,
        store: CacheStore,
        points: list[Row],
        catalog: Catalog | None,
        snapshots: list[tuple[Snapshot, int]],
        alerts: list[Alert],
    ) -> int:
        n = store.write(points, catalog, snapshots, alerts)
        if catalog is not None:
            self._last_catalog = catalog
        for snap, received in snapshots:
            self._last_snapshots[snap.brain] = (snap, received)
        return n

    def _t_load_catalog(self, store: CacheStore) -> Catalog | None:
        catalog = store.load_catalog()
        if catalog is not None and self._last_catalog is None:
            self._last_catalog = catalog
        return catalog

    def _t_load_snapshots(self, store: CacheStore) -> dict[str, tuple[Snapshot, int]]:
        snaps = store.load_snapshots()
        for brain, pair in snaps.items():
            self._last_snapshots.setdefault(brain, pair)
        return snaps


__all__ = ["CacheWorker", "THREAD_NAME"]
