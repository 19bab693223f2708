import os

# Qt tests draw offscreen unless the caller chose a platform (make pytest sets it too).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import asyncio  # noqa: E402
import gc  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def qloop(qapp):
    """A qasync event loop on the test QApplication (pytest-qt does not drive qasync).

    Written the way qasync's own tests do it: one loop per test, closed afterwards. The
    app's loop (SafeEventLoop: qasync with a socket-pair wake-up from worker threads).
    """
    from cockpit.qtloop import SafeEventLoop

    loop = SafeEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        gc.collect()  # finalize Qt objects of this test here, on the GUI thread


@pytest.fixture
def server():
    """The misbehaving loopback API of tests/faultserver.py, good until told otherwise
    (a test module may define its own ``server``, e.g. the reference server)."""
    from faultserver import FaultServer

    with FaultServer() as s:
        yield s
