"""Offline cache: SQLite through SQLAlchemy, written on one dedicated thread.

``CacheStore`` is the blocking database (one thread only); ``CacheWorker`` owns that
thread and offers an asyncio API to the hub and the UI. :mod:`cockpit.cache.files` reads
a cache file without SQLAlchemy (a window's first frame); importing it does not import
the store: the names below are loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cockpit.cache.files import default_cache_path
    from cockpit.cache.store import DEFAULT_MAX_BYTES, CacheError, CacheStore
    from cockpit.cache.worker import CacheWorker

_WHERE = {"DEFAULT_MAX_BYTES": "store", "CacheError": "store", "CacheStore": "store",
          "CacheWorker": "worker", "default_cache_path": "files"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"cockpit.cache.{_WHERE[name]}"), name)


__all__ = ["DEFAULT_MAX_BYTES", "CacheError", "CacheStore", "CacheWorker", "default_cache_path"]
