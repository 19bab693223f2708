"""A brain's snapshot is rewritten at most every snapshot_every_s by the periodic flush
(its panels make it tens of KB: every second would wear a wall's disk), and the newest
is always on disk after close."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from cockpit.cache import CacheWorker
from cockpit.central.simulator import Simulator


def test_snapshots_are_throttled_but_the_newest_is_kept_on_close(tmp_path):
    path = tmp_path / "c.sqlite"
    sim = Simulator(seed=4)
    t0 = int(time.time()) * 1000
    seen: dict = {}

    def stored() -> int:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT received_ms FROM snapshots WHERE brain = 'dyeing'").fetchone()
        return row[0] if row else -1

    async def run() -> None:
        w = CacheWorker(path, flush_s=0.02, snapshot_every_s=60)
        await w.start()
        for i in range(10):
            w.put_snapshot(sim.snapshot("dyeing", t0 + 1000 * i), t0 + i)
            await asyncio.sleep(0.05)  # more than two periodic flushes per snapshot
        seen["during"] = stored()
        await w.close()
        seen["after"] = stored()

    asyncio.run(run())
    assert seen["during"] == t0  # the first one written, the next nine held back
    assert seen["after"] == t0 + 9  # the newest written on close
