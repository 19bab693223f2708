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


def release() -> None:
    gc.collect()
    if _libc is not None:
        _libc.malloc_trim(0)
