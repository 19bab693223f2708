"""Cancel asyncio tasks and wait until they have ended (Qt-free, usable from any layer).

A task that is only ``cancel()``-ed has not ended: its coroutine is still suspended, holding
everything it references, until the loop runs it once more. If the loop stops first the task
stays pending for good, and with it whatever it holds (a window, in a 24/7 wall that restarts
its window). So stopping a part means cancelling its task and awaiting the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable


async def cancel_and_wait(tasks: Iterable[asyncio.Future | None]) -> None:
    """Cancel each task that has not ended and wait until all have ended (None: skipped).

    A task ending in cancellation is what was asked; a task that failed with another
    exception re-raises it here (the first one), as ``await task`` would. A cancellation of
    the caller itself is not swallowed.
    """
    given = [t for t in tasks if t is not None]
    pending = [t for t in given if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        await asyncio.wait(pending)
    failure: BaseException | None = None
    for t in given:
        try:
            t.result()
        except asyncio.CancelledError:
            # taken out of the task: a cancelled task keeps the error it ended with, and
            # its traceback the frames and all they held (in the app: a backfill's frames
            # kept the history, the cache worker and the tabs alive after shutdown)
            pass
        except BaseException as exc:  # noqa: BLE001 - re-raised below, as ``await task`` would
            failure = failure or exc
    if failure is not None:
        raise failure
