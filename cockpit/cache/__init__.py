"""Offline cache: SQLite through SQLAlchemy, written on one dedicated thread.

``CacheStore`` is the blocking database (one thread only); ``CacheWorker`` owns that
thread and offers an asyncio API to the hub and the UI.
"""

from cockpit.cache.store import DEFAULT_MAX_BYTES, CacheError, CacheStore, default_cache_path
from cockpit.cache.worker import CacheWorker

__all__ = ["DEFAULT_MAX_BYTES", "CacheError", "CacheStore", "CacheWorker", "default_cache_path"]
