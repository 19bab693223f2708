"""On-demand lookups (chain, enterprise, batch, search) work at a booth with no network:
what was looked up before comes from the cache, marked with why; a 404 stays a 404."""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from cockpit.api.client import ApiClient, ClientConfig
from cockpit.api.schema import Chain, EnterpriseProfile
from cockpit.cache import CacheWorker
from cockpit.central.runner import EmbeddedServer
from cockpit.central.simulator import Simulator
from cockpit.hub.hub import Hub
from cockpit.hub.lookups import Lookups


def _lookups(url: str, cache: CacheWorker) -> tuple[Lookups, ApiClient, ThreadPoolExecutor]:
    client = ApiClient(ClientConfig(url, retries=0, connect_timeout_s=1.0, read_timeout_s=2.0))
    pool = ThreadPoolExecutor(max_workers=2)
    return Lookups(Hub(client, pool), cache), client, pool


def test_answers_come_from_the_cache_when_the_api_is_gone(tmp_path):
    path = tmp_path / "cache.sqlite"
    seen: dict = {}

    async def online(url: str) -> None:
        cache = CacheWorker(path, flush_s=0.05)
        await cache.start()
        lookups, client, pool = _lookups(url, cache)
        chain = await lookups.chain("ic")
        found = await lookups.search("印染", "dyeing")
        code = found.value.items[0].code
        prof = await lookups.enterprise(code)
        batch_no = (await asyncio.get_running_loop().run_in_executor(pool, client.snapshot, "wine"))[0] \
            .panels["batches"].rows[0].key
        batch = await lookups.batch(batch_no)
        missing = await lookups.enterprise(code[:8] + "00000000" + code[16:17] + "0")
        seen.update(chain=chain, found=found, code=code, prof=prof, batch_no=batch_no, batch=batch,
                    missing=missing)
        client.close()
        pool.shutdown()
        await cache.close()

    async def offline() -> None:
        cache = CacheWorker(path, flush_s=0.05)
        await cache.start()
        lookups, client, pool = _lookups("http://127.0.0.1:9", cache)
        seen["off_chain"] = await lookups.chain("ic")
        seen["off_prof"] = await lookups.enterprise(seen["code"])
        seen["off_batch"] = await lookups.batch(seen["batch_no"])
        seen["off_unknown"] = await lookups.chain("pharma")  # never looked up: nothing to show
        client.close()
        pool.shutdown()
        await cache.close()

    with EmbeddedServer(Simulator(seed=8)) as srv:
        asyncio.run(online(srv.url))
    asyncio.run(offline())

    chain, prof = seen["chain"], seen["prof"]
    assert isinstance(chain.value, Chain) and chain.error == "" and not chain.cached
    assert isinstance(prof.value, EnterpriseProfile) and prof.value.code == seen["code"]
    assert seen["found"].value.total >= 50
    assert seen["batch"].value is not None and seen["batch"].value.batch_no == seen["batch_no"]
    # a code the API does not know: missing, not an error to retry
    assert seen["missing"].value is None
    # offline: the same answers, from the cache, with the reason and when they were fetched
    off = seen["off_chain"]
    assert off.cached and off.value == chain.value and off.fetched_ms == chain.fetched_ms
    assert "refused" in off.error or "connect" in off.error
    assert seen["off_prof"].cached and seen["off_prof"].value == prof.value
    assert seen["off_batch"].cached and seen["off_batch"].value == seen["batch"].value
    assert seen["off_unknown"].value is None and seen["off_unknown"].error
    with sqlite3.connect(path) as db:
        kinds = dict(db.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall())
    assert kinds == {"chain": 1, "enterprise": 1, "batch": 1, "search": 1}


def test_a_version_1_cache_without_the_documents_table_is_upgraded_not_set_aside(tmp_path):
    path = tmp_path / "old.sqlite"

    async def run(check: bool) -> None:
        cache = CacheWorker(path, flush_s=0.05)
        await cache.start()
        if check:
            assert cache.notice in (None, "")
            await cache.save_document("chain", "ic", '{"x": 1}', 5)
            assert await cache.load_document("chain", "ic") == ('{"x": 1}', 5)
        else:
            from cockpit.api.schema import Catalog

            cache.put_catalog(Catalog(ts=1_800_000_000_000, brains=[]))
            await cache.flush()
        await cache.close()

    asyncio.run(run(False))
    with sqlite3.connect(path) as db:  # as a cache written before the table existed
        db.execute("DROP TABLE documents")
    asyncio.run(run(True))
    assert not list(tmp_path.glob("*.corrupt-*"))
