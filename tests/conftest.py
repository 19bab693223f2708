import os

# Qt tests draw offscreen unless the caller chose a platform (make pytest sets it too).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import asyncio  # noqa: E402
import gc  # noqa: E402

import pytest  # noqa: E402

from cockpit.qtimport import import_pyqtgraph  # noqa: E402

import_pyqtgraph()  # as the app imports it (cockpit.qtimport): the tests draw with the same pyqtgraph


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application with the cockpit's bundled font registered, as at start
    (the tests draw with the face the product ships, not whatever the machine has)."""
    from cockpit import fonts

    fonts.register()
    return qapp


@pytest.fixture(scope="session")
def _session_cache_home(tmp_path_factory):
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _own_user_folders(tmp_path_factory, _session_cache_home, monkeypatch):
    """Each test gets its own user folders (settings, the embedded API's database, restart
    state, logs): nothing leaks from one test to the next or into the real home folder. The
    cache folder is shared by the session (fontconfig keeps its font cache there)."""
    home = tmp_path_factory.mktemp("xdg")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_session_cache_home))


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
    # What survives a test (module fixtures, caches, imported modules) is kept out of later
    # collections: each test's collection then scans only what that test made. Without this
    # every collection walked the whole heap of an app that has imported Qt, pyqtgraph,
    # SQLAlchemy and the simulator: 0.5-1 s each, four per test, most of the suite's time.
    gc.freeze()


@pytest.fixture(autouse=True, scope="module")
def _full_collection_per_module():
    """Once per module, everything frozen by the tests is looked at again (a module fixture's
    windows and servers are collected here, on the GUI thread, after its teardown)."""
    yield
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _no_text_floor_after():
    """A window on the wall profile sets a minimum text height for every widget made after it
    (widgets.theme): each test starts without one."""
    yield
    import sys

    from widgets import theme

    theme.set_min_text_px(0)
    legibility = sys.modules.get("cockpit.ui.legibility")
    if legibility is not None:
        legibility._owner = None  # the next test's window sets the floor, not a closed one of this test


# ---- leak guards (as napari's): a test that leaves a running QTimer, a running QThread or a
# new top-level widget alive fails, naming it, instead of crashing some later test.


@pytest.fixture(autouse=True)
def _no_leaked_qt_objects(request, monkeypatch):
    """Fail a test that leaks a running QTimer or QThread or a top-level widget.

    Only where Qt is in use (a QApplication exists when the test starts, or the test asks for
    ``qapp``/``qtbot``/``qloop``). Timers and threads are tracked from their ``start()``;
    widgets by comparing the top-level widgets before and after, once the test's fixtures
    (qtbot closes its widgets) and a garbage collection have run. Mark a test
    ``@pytest.mark.leaks_qt("why")`` to allow it.
    """
    import sys

    wants_qt = bool({"qapp", "qtbot", "qloop"} & set(request.fixturenames))
    if "PySide6.QtWidgets" not in sys.modules and not wants_qt:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QEvent, QThread, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None and not wants_qt:
        yield
        return
    before = {_address(w) for w in QApplication.topLevelWidgets()} if app is not None else set()
    timers: list = []
    threads: list = []
    timer_start, thread_start = QTimer.start, QThread.start

    def start_timer(self, *args):  # noqa: ANN001, ANN002
        timers.append(self)
        return timer_start(self, *args)

    def start_thread(self, *args):  # noqa: ANN001, ANN002
        threads.append(self)
        return thread_start(self, *args)

    monkeypatch.setattr(QTimer, "start", start_timer)
    monkeypatch.setattr(QThread, "start", start_thread)
    yield
    monkeypatch.undo()
    if request.node.get_closest_marker("leaks_qt"):
        return
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()

    def alive(obj, check) -> bool:  # noqa: ANN001
        try:
            return bool(check(obj))
        except RuntimeError:  # its C++ object is gone
            return False

    problems = []
    running_timers = [t for t in timers if alive(t, QTimer.isActive)]
    if running_timers:
        problems.append(f"{len(running_timers)} QTimer(s) still running: "
                        + ", ".join(f"{t!r} (parent {_describe(t)})" for t in running_timers[:5]))
    running_threads = [t for t in threads if alive(t, QThread.isRunning)]
    if running_threads:
        problems.append(f"{len(running_threads)} QThread(s) still running: {running_threads[:5]!r}")
    app = QApplication.instance()
    if app is not None:
        leaked = [w for w in QApplication.topLevelWidgets()
                  if _address(w) not in before and alive(w, lambda x: x.isWindow()) and not _is_qt_internal(w)]
        if leaked:
            problems.append(f"{len(leaked)} top-level widget(s) left alive: "
                            + ", ".join(f"{type(w).__name__}({w.objectName()!r})" for w in leaked[:5]))
            for w in leaked:  # close them, so the next test starts clean
                w.close()
                w.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if problems:
        pytest.fail("leak guard: " + "; ".join(problems), pytrace=False)


def _address(w) -> int:  # noqa: ANN001
    """The C++ object's address (a Python wrapper's id changes between calls)."""
    import shiboken6

    return int(shiboken6.getCppPointer(w)[0])


def _describe(obj) -> str:  # noqa: ANN001
    try:
        parent = obj.parent()
    except RuntimeError:
        return "?"
    return type(parent).__name__ if parent is not None else "none"


def _is_qt_internal(w) -> bool:  # noqa: ANN001
    """Widgets Qt keeps for itself (menus' tear-offs, tooltips, the desktop)."""
    return type(w).__module__.startswith("PySide6") and type(w).__name__ in ("QTipLabel", "QMenu", "QWidget") \
        and not w.isVisible()
