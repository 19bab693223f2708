"""cancel_and_wait: what stopping a part's task means (the one helper the hub, the alarm desk,
the fleet reporter, the cache and the app use)."""

from __future__ import annotations

import asyncio

import pytest

from cockpit.tasks import cancel_and_wait


def test_a_failure_other_than_cancelling_is_raised_as_await_would() -> None:
    async def fails() -> None:
        raise ValueError("broken")

    async def main() -> None:
        task = asyncio.get_running_loop().create_task(fails())
        await asyncio.sleep(0)
        await cancel_and_wait([task])

    with pytest.raises(ValueError, match="broken"):
        asyncio.run(main())


def test_the_callers_own_cancellation_is_not_swallowed() -> None:
    async def main() -> str:
        inner = asyncio.get_running_loop().create_task(asyncio.sleep(3600))
        outer = asyncio.get_running_loop().create_task(cancel_and_wait([inner]))
        await asyncio.sleep(0)
        outer.cancel()
        try:
            await outer
        except asyncio.CancelledError:
            return "cancelled"
        return "swallowed"

    assert asyncio.run(main()) == "cancelled"
