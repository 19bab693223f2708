"""Wiring of time travel into the running cockpit (called once from ``app.Cockpit.run``):
the fetcher (past snapshots from the API, history from the cache then the API), one
:class:`~cockpit.ui.replay.Replay` on the shared models, a time bar in every window,
视图 → 时间回放… (Ctrl+T), and ``--at``."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

from cockpit.api.client import ApiClient, ApiError, HttpError
from cockpit.api.schema import Snapshot

log = logging.getLogger(__name__)

HISTORY_HOURS = 24


def fetch_past(client: ApiClient, brain: str, at_ms: int) -> Snapshot | None:
    """A brain's snapshot as of ``at_ms`` (blocking; a worker thread); None where the
    platform does not keep that moment (404)."""
    try:
        return client._get_model(f"/brains/{quote(brain, safe='')}/snapshot", Snapshot, params=[("at", at_ms)])
    except HttpError as exc:
        if exc.status == 404:
            return None
        raise


def start_replay(c: Any) -> Any:
    from cockpit.ui.replay import Replay, ReplayBar

    models = c.models
    loop = asyncio.get_running_loop()

    async def fetch(at: int, with_history: bool) -> dict:
        out: dict = {}
        for _ in range(200):  # --at at start: the catalog first (at most 20 s)
            if c.hub.catalog is not None and c.main is not None and c.main.tabs_by_brain:
                break
            await asyncio.sleep(0.1)
        brains = [b.id for b in c.hub.catalog.brains] if c.hub.catalog is not None else [m.brain for m in models]
        for brain in brains:
            try:
                snap = await loop.run_in_executor(c.executor, fetch_past, c.client, brain, at)
            except ApiError as exc:
                log.warning("past snapshot of %s at %d: %s", brain, at, exc)
                snap = None
            history = None
            if with_history and c.cache is not None and c.history is not None and c.main is not None:
                tab = c.main.tabs_by_brain.get(brain)
                metrics = tab.history_metrics() if tab is not None else []
                since = at - HISTORY_HOURS * 3_600_000
                if metrics:
                    try:  # the cache first; what it lacks from the API's /series
                        await c.history._backfill(metrics, since, at)
                        await c.cache.flush()
                    except ApiError as exc:
                        log.warning("history of %s before %d not loaded: %s", brain, at, exc)
                    history = await c.cache.points_many([m.id for m in metrics], since, at)
            out[brain] = (snap, history)
        return out

    replay = c.replay = Replay(models, fetch)
    for w in c.windows:
        w.replay = replay  # export and --screenshot ask it which moment is shown
        bar = ReplayBar(replay, w.lang, w.centralWidget())
        w.centralWidget().layout().insertWidget(0, bar)
        w.replay_bar = bar
        w.set_command("replay", bar.open)
    return replay
