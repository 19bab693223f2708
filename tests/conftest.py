import os

# Qt tests draw offscreen unless the caller chose a platform (make pytest sets it too).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import asyncio  # noqa: E402
import gc  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application with the cockpit's bundled font registered, as at start
    (the tests draw with the face the product ships, not whatever the machine has)."""
    from cockpit import fonts

    fonts.register()
    return qapp


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


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread():
    """Collect each test's windows here, on the GUI thread (every test: a window a test
    left in a reference cycle was once finalized in a later test, in the middle of its
    event processing, and crashed it).

    Left to the cyclic GC, a window can be finalized in whatever thread happens to
    allocate next — an HTTP worker or the server thread — and a QObject deleted outside
    its thread leaves its timers registered: the next timer event hits freed memory.
    """
    yield
    gc.collect()
