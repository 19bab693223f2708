"""The asyncio event loop on Qt's (qasync), with a crash-free wake-up from worker threads.

qasync hands a callback from a worker thread to the GUI thread by emitting a Qt signal
carrying Python objects (``call_soon_threadsafe``). Under PySide6 6.8+ a queued signal
with Python arguments emitted from a non-Qt thread can crash the process (PYSIDE-3124;
seen here once in a full test run: a segfault in qasync's receiving lambda while HTTP
worker threads finished requests). Every ``run_in_executor`` completion goes that way,
so a wall that polls and looks things up all day would be exposed thousands of times an
hour.

:class:`SafeEventLoop` wakes the GUI thread the way asyncio's own loops do instead: the
worker appends the callback to a deque and writes one byte to a socket pair; a
``QSocketNotifier`` (living on the GUI thread) fires, and the GUI thread drains the deque.
No Python object crosses threads through Qt.
"""

from __future__ import annotations

import asyncio
import collections
import socket
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import qasync
from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


class SafeEventLoop(qasync.QEventLoop):
    """qasync's loop with a socket-pair wake-up for ``call_soon_threadsafe``."""

    def __init__(self, app: QApplication | None = None, set_running_loop: bool = False,
                 already_running: bool = False) -> None:
        super().__init__(app, set_running_loop, already_running)
        self._ts_queue: collections.deque[tuple[Callable[..., Any], tuple[Any, ...], Any]] = collections.deque()
        self._ts_r, self._ts_w = socket.socketpair()
        self._ts_r.setblocking(False)
        self._ts_w.setblocking(False)
        self._ts_notifier = QSocketNotifier(self._ts_r.fileno(), QSocketNotifier.Type.Read)
        self._ts_notifier.activated.connect(self._drain_threadsafe)

    def call_soon_threadsafe(self, callback: Callable[..., Any], *args: Any, context: Any = None) -> None:  # type: ignore[override]
        """Run callback soon on the loop's thread; callable from any thread."""
        self._ts_queue.append((callback, args, context))  # deque.append is atomic
        try:
            self._ts_w.send(b"\0")
        except (BlockingIOError, InterruptedError):
            pass  # the socket buffer is full: a wake-up is pending anyway
        except OSError:
            pass  # closed: the loop is gone, nothing will run any more

    def _drain_threadsafe(self, *_: object) -> None:
        try:
            while self._ts_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            return
        while self._ts_queue:
            callback, args, context = self._ts_queue.popleft()
            self.call_soon(callback, *args, context=context)

    def close(self) -> None:
        if self.is_closed():
            return
        self._ts_notifier.setEnabled(False)
        super().close()
        self._ts_r.close()
        self._ts_w.close()


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a :class:`SafeEventLoop` of the running QApplication."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    with asyncio.Runner(loop_factory=lambda: SafeEventLoop(app)) as runner:
        return runner.run(coro)
