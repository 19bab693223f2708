"""History: the offline cache next to the hub — write-through, cache-first start, backfill.

- :func:`open_cache` makes the cache the settings ask for (``cache.path``,
  ``cache.retention_days``, ``cache.max_mb``), one file per data source.
- :meth:`History.store_update` writes every reading, snapshot and alert through to the
  cache (batched, off-thread).
- :meth:`History.paint_from_cache` paints a window from the cache before any network:
  the last catalog, values and 24 h of history.
- :meth:`History.load` fills each brain's trend charts with the last 24 h: it fetches
  only the holes the cache has (an outage, a first start), writes them to the cache, then
  shows the charts from the cache — continuous, no gap. One brain at a time, the shown
  tab first; started when the catalog arrives and again when the link comes back.

Qt-free: the windows are reached through the few methods listed in :class:`HistoryView`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any, Protocol

from cockpit import memory
from cockpit.api.client import ApiError
from cockpit.api.schema import Metric
from cockpit.cache.worker import CacheWorker
from cockpit.config import CacheConfig
from cockpit.hub.hub import BrainUpdate, Hub, HubStatus, LinkState, now_ms

log = logging.getLogger(__name__)

HISTORY_HOURS = 24
MAX_BACKFILL_POINTS = 5000  # per metric and request: a 24 h hole comes at 18 s steps
FINE_BACKFILL_S = 3600  # the last hour is filled at the metrics' own cadence
MB = 1024 * 1024  # cache.max_mb counts MiB, as the cache's own 256 MiB default


class HistoryTab(Protocol):
    def history_metrics(self) -> list[Metric]: ...

    def load_history(self, data: dict[str, Any]) -> None: ...

    def no_history(self) -> None: ...


class HistoryView(Protocol):
    """What history needs of a cockpit window."""

    @property
    def tabs_by_brain(self) -> dict[str, Any]: ...

    def current_brain(self) -> str | None: ...

    def current_tab(self) -> Any: ...

    def on_catalog(self, catalog: Any) -> None: ...

    def on_update(self, update: BrainUpdate, cached: bool = False) -> None: ...

    def refresh(self) -> None: ...


def open_cache(cfg: CacheConfig, source_key: str, on_notice: Callable[[str], None] | None = None) -> CacheWorker:
    """The cache the settings ask for (not started). ``source_key`` names the data source
    (the API address, or the embedded simulator and its seed): one file per source, so
    simulated data never shows up as a real API's history."""
    from cockpit.cache.files import cache_file

    path = cache_file(cfg.path, cfg.in_memory, source_key)
    return CacheWorker(path, on_notice=on_notice, retention_days=cfg.retention_days, max_bytes=cfg.max_mb * MB)


class History:
    """Write-through, cache-first painting and backfill for the windows of one hub."""

    def __init__(self, hub: Hub, cache: CacheWorker, windows: Callable[[], Sequence[HistoryView]],
                 spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task]) -> None:
        self.hub = hub
        self.cache = cache
        self.windows = windows  # every window (the first is the main one)
        self.spawn = spawn
        self.done: set[str] = set()  # brains whose 24 h are shown
        self._last_state: LinkState | None = None
        self._task: asyncio.Task | None = None

    def attach(self) -> None:
        """Subscribe to the hub: write-through, and (re)load history as the link allows."""
        self.hub.on_catalog(self.cache.put_catalog)
        self.hub.on_update(self.store_update)
        self.hub.on_catalog(lambda _c: self.start())
        self.hub.on_status(self.on_status)

    def store_update(self, update: BrainUpdate) -> None:
        """Write-through: every reading and the snapshot go to the cache (batched, off-thread)."""
        snap = update.snapshot
        self.cache.put_snapshot(snap, update.received_ms)
        self.cache.put_points((mid, r.ts, r.value) for mid, r in snap.values.items())
        if snap.alerts:
            self.cache.put_alerts(snap.alerts)

    def on_status(self, status: HubStatus) -> None:
        came_back = status.state == LinkState.LIVE and self._last_state == LinkState.OFFLINE
        self._last_state = status.state
        if came_back:  # fill the outage from /series so the charts have no hole
            self.done.clear()
        if status.state == LinkState.LIVE and self.hub.catalog is not None:
            if any(b.id not in self.done for b in self.hub.catalog.brains):
                self.start()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = self.spawn(self.load())

    async def paint_from_cache(self, window: HistoryView) -> None:
        """Start: the last known catalog, values and 24 h of history, before any network."""
        catalog = await self.cache.load_catalog()
        if catalog is None:
            return
        window.on_catalog(catalog)
        for brain, (snap, received) in (await self.cache.load_snapshots()).items():
            window.on_update(BrainUpdate(brain, snap, received), cached=True)
        window.refresh()
        until = now_ms()
        since = until - HISTORY_HOURS * 3600 * 1000
        tabs = sorted(window.tabs_by_brain.values(), key=lambda t: t is not window.current_tab())
        for tab in tabs:  # the shown tab first
            data = await self.cache.points_many([m.id for m in tab.history_metrics()], since, until)
            tab.load_history(data)
        log.info("painted from the cache (%d brains)", len(window.tabs_by_brain))

    async def load(self) -> None:
        """Fill each brain's trend charts with the last 24 h (see the module docstring)."""
        catalog, windows = self.hub.catalog, list(self.windows())
        if catalog is None or not windows:
            return
        main = windows[0]
        until = now_ms()
        since = until - HISTORY_HOURS * 3600 * 1000
        order = sorted(catalog.brains, key=lambda b: b.id != main.current_brain())
        for brain in order:
            tab = main.tabs_by_brain.get(brain.id)
            metrics = tab.history_metrics() if tab is not None else []
            if brain.id in self.done or not metrics:
                self.done.add(brain.id)
                continue
            try:
                await self._backfill(metrics, since, until)
                await self.cache.flush()
                data = await self.cache.points_many([m.id for m in metrics], since, now_ms())
                for w in windows:
                    t = w.tabs_by_brain.get(brain.id)
                    if t is not None:
                        t.load_history(data)
            except ApiError as exc:
                log.warning("history of %s not loaded: %s", brain.id, exc)
                if getattr(exc, "status", None) in (404, 501):  # the platform keeps no history
                    for w in windows:
                        t = w.tabs_by_brain.get(brain.id)
                        if t is not None:
                            t.no_history()  # the trends draw live points only
                    self.done.add(brain.id)
                    continue
                return  # retried when the link is live again
            self.done.add(brain.id)
        memory.release()  # the parsed payloads are gone: give their memory back

    async def _backfill(self, metrics: Iterable[Metric], since: int, until: int) -> None:
        """Fetch what the cache lacks and write it to the cache, in two passes.

        The whole window at a coarse step (a missing day costs one request of
        MAX_BACKFILL_POINTS per metric), then the last FINE_BACKFILL_S at the metrics'
        own cadence, so a recent outage is filled second by second.
        """
        metrics = list(metrics)
        cadence = max(1, round(min(m.cadence_s for m in metrics)))
        coarse = max(cadence, -(-(until - since) // (MAX_BACKFILL_POINTS * 1000)))
        fine_since = max(since, until - FINE_BACKFILL_S * 1000)
        for start, step in ((since, coarse), (fine_since, cadence)):
            holes: list[tuple[int, int]] = []
            for m in metrics:
                holes += await self.cache.gaps(m.id, start, until, cadence_ms=step * 1000)
            if not holes:
                continue
            lo, hi = min(h[0] for h in holes), max(h[1] for h in holes)
            lo -= lo % (step * 1000)
            resp = await self.hub.fetch_series([m.id for m in metrics], lo, min(hi + 1, until), step)
            rows = [(s.metric, ts, v) for s in resp.series for ts, v in s.points]
            await self.cache.write_points(rows)
            log.info("backfilled %d points of %s (%d s at %d s steps)", len(rows), metrics[0].brain,
                     (hi - lo) // 1000, step)
