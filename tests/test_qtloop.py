"""The event loop's wake-up from worker threads: every callback runs, on the GUI thread,
in order per thread, under a storm of completions from several threads at once."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor


def test_callbacks_from_threads_all_run_on_the_loop_thread_in_order(qloop):
    main = threading.get_ident()
    got: list[tuple[int, int, int]] = []
    done = asyncio.Event()
    n_threads, per = 8, 2000

    def record(t: int, i: int) -> None:
        got.append((t, i, threading.get_ident()))
        if len(got) == n_threads * per:
            done.set()

    def worker(t: int) -> None:
        for i in range(per):
            qloop.call_soon_threadsafe(record, t, i)

    async def scenario() -> None:
        threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
        for th in threads:
            th.start()
        await asyncio.wait_for(done.wait(), 30)
        for th in threads:
            th.join()

    qloop.run_until_complete(scenario())
    assert len(got) == n_threads * per
    assert {tid for _, _, tid in got} == {main}
    for t in range(n_threads):
        assert [i for tt, i, _ in got if tt == t] == list(range(per))


def test_executor_results_reach_their_awaiters(qloop):
    pool = ThreadPoolExecutor(max_workers=4)

    async def scenario() -> list[int]:
        loop = asyncio.get_running_loop()
        return list(await asyncio.gather(*(loop.run_in_executor(pool, pow, i, 2) for i in range(3000))))

    try:
        assert qloop.run_until_complete(scenario()) == [i * i for i in range(3000)]
    finally:
        pool.shutdown()
