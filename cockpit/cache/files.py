"""The cache file without SQLAlchemy: where it lives, whether it looks sound, and a
read-only look into it for a first frame.

:mod:`cockpit.cache.store` (SQLAlchemy) owns the file: it creates, repairs, writes and
prunes it. What a window needs before that store is opened — the last snapshot's values
and the charts' points — :class:`CachePeek` reads with the standard ``sqlite3`` module on a
read-only connection, so a start-up from the cache does not wait for SQLAlchemy and
pydantic to import (a quarter of the time to the first frame). Anything unexpected (no
file, a damaged or foreign one, another schema version, a snapshot that does not parse)
makes the look answer None: the caller then opens the store as usual.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

APP_NAME = "industry-brain-cockpit"
APPLICATION_ID = 0x49424331  # "IBC1": marks a file as ours (PRAGMA application_id)
SCHEMA_VERSION = 1

_SQLITE_MAGIC = b"SQLite format 3\x00"


def default_cache_path(key: str | None = None) -> Path:
    """Where the cache lives by platform convention.

    ``key`` (e.g. the API address) gives a separate file per data source, so a cockpit
    pointed at another API never mixes its history with this one.
    """
    import platformdirs

    base = platformdirs.user_cache_path(APP_NAME)
    if key is None:
        return base / "cache.sqlite"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return base / f"cache-{digest}.sqlite"


def cache_file(path: Path | None, in_memory: bool, source_key: str) -> Path | None:
    """The file of the cache the settings ask for (``cache.path``, or one file per data
    source in the user cache folder); None when the cache is in memory."""
    if in_memory:
        return None
    return path or default_cache_path(source_key)


def file_size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def inspect_file(path: Path) -> str | None:
    """Why ``path`` is certainly not a usable SQLite file (header checks), or None.

    Catches garbage and truncated files before SQLite reads them: a truncated file may
    otherwise open fine and fail later, in the middle of a run.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            return None
        with path.open("rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # unreadable: let SQLite report it (-> memory with its reason)
    if len(head) < 100 or not head.startswith(_SQLITE_MAGIC):
        return "not a database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "bad header"
    change_counter = head[24:28]
    n_pages = int.from_bytes(head[28:32], "big")
    valid_for = head[92:96]
    wal = file_size(path.with_name(path.name + "-wal"))
    if size % page_size and wal == 0:
        return "truncated"
    if valid_for == change_counter and n_pages * page_size > size and wal == 0:
        return f"truncated: {size} of {n_pages * page_size} bytes"
    return None


def read_points(db: sqlite3.Connection, mid: int, since_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
    """Points of the metric numbered ``mid`` with since_ms <= ts < until_ms, in time order,
    as (ts in epoch seconds, values with NaN for null) float64 arrays, the shape
    ``Series.arrays()`` gives and the charts take."""
    cur = db.execute("SELECT ts, value FROM points WHERE metric = ? AND ts >= ? AND ts < ? ORDER BY ts",
                     (mid, since_ms, until_ms))
    # in chunks: converting 86,400 rows at once would hold the GIL (and so the
    # UI thread) for ~15 ms; a chunk is ~1 ms
    parts = [np.array(chunk, dtype=float) for chunk in iter(lambda: cur.fetchmany(8192), [])]
    if not parts:
        return np.empty(0), np.empty(0)
    arr = parts[0] if len(parts) == 1 else np.concatenate(parts)  # None -> NaN
    return arr[:, 0] / 1000.0, np.ascontiguousarray(arr[:, 1])


def _number(v: Any) -> bool:
    return v is None or (isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v))


class CachePeek:
    """A read-only look into a cockpit cache file (plain ``sqlite3``; nothing is written).

    ``CachePeek.open(path)`` is None when there is nothing safe to read; every read
    answers None (or raises ``sqlite3.Error``) when the file is not as expected.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    @classmethod
    def open(cls, path: Path) -> CachePeek | None:
        """A look into ``path`` if it is an existing, sound cockpit cache of this schema version."""
        try:
            if not path.is_file() or file_size(path) == 0 or inspect_file(path) is not None:
                return None
            db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=0.5)
        except (OSError, ValueError, sqlite3.Error):
            return None
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error:
            db.close()
            return None
        if app_id != APPLICATION_ID or version != SCHEMA_VERSION:
            db.close()
            return None
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def snapshot_values(self, brain: str) -> dict[str, float | None] | None:
        """The cached snapshot of ``brain`` as {metric id: value}; None if there is none or
        its values are not as the contract writes them (numbers or null, with a time)."""
        row = self._db.execute("SELECT json FROM snapshots WHERE brain = ?", (brain,)).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            return None
        values = data.get("values") if isinstance(data, dict) and data.get("brain") == brain else None
        if not isinstance(values, dict):
            return None
        out: dict[str, float | None] = {}
        for mid, reading in values.items():
            if not isinstance(reading, dict) or not _number(reading.get("value")) \
                    or not isinstance(reading.get("ts"), int):
                return None
            v = reading["value"]
            out[mid] = None if v is None else float(v)
        return out

    def points(self, metric: str, since_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`cockpit.cache.store.CacheStore.points`."""
        row = self._db.execute("SELECT id FROM metrics WHERE name = ?", (metric,)).fetchone()
        if row is None:
            return np.empty(0), np.empty(0)
        return read_points(self._db, int(row[0]), since_ms, until_ms)


__all__ = [
    "APPLICATION_ID",
    "APP_NAME",
    "CachePeek",
    "SCHEMA_VERSION",
    "cache_file",
    "default_cache_path",
    "inspect_file",
    "read_points",
]
