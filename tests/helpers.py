"""Shared test helpers: a clock tests move by hand, and waiting for a condition.

``Clock`` stands in for ``time.monotonic`` / ``time.time`` wherever a module takes a
``clock=``/``now=``: a test moves it (``clock.t += 30``) instead of sleeping, so nothing
depends on how fast the machine is. ``until`` waits on the event loop for something that
happens over real I/O (a server answering, a thread finishing); its timeout is a guard
against a hang, never the thing asserted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class Clock:
    """A settable clock: ``clock()`` is ``clock.t``; ``sleep`` advances it without waiting."""

    def __init__(self, t: float = 1000.0) -> None:
        self.t = t
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s

    async def sleep(self, s: float) -> None:
        """An ``asyncio.sleep`` that moves this clock and yields once to the loop."""
        self.slept.append(s)
        self.t += max(0.0, s)
        await asyncio.sleep(0)


async def until(cond: Callable[[], object], what: str, timeout: float = 15.0, step: float = 0.05) -> None:
    """Wait on the loop until ``cond()`` is true; AssertionError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(step)
