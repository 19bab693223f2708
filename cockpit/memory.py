"""Give memory freed after start-up back to the operating system.

Start-up parses large payloads (catalog, 24 h of history per chart) whose freed memory
glibc keeps in its heaps; on a wall that runs for weeks that is resident memory for
nothing. ``release()`` runs a full garbage collection and ``malloc_trim(0)``; it is cheap
(milliseconds) and called once the first screens are filled.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys

log = logging.getLogger(__name__)

_libc = None
if sys.platform.startswith("linux"):
    try:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        _libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # another libc (musl): nothing to trim
        _libc = None


_collected = False


def release() -> None:
    """Once (after start-up): a full collection, which stalls the UI thread 45-65 ms;
    later calls (after each reconnect) skip it. Always: give freed heap memory back to
    the operating system. (``gc.freeze()`` would make later collections cheap, but it
    crashed a test run inside the garbage collector: not used.)"""
    global _collected
    if not _collected:
        gc.collect()
        _collected = True
    if _libc is not None:
        _libc.malloc_trim(0)
