"""Offline cache: SQLite (through SQLAlchemy 2 Core) holding what the wall shows.

The cockpit must keep showing the last known data for days without a network, so it
keeps the catalog, the last snapshot of each brain, point history and alerts on disk.

Threading: every method blocks and must run on ONE dedicated thread (see
``cockpit.cache.worker.CacheWorker``), never on the UI thread.

Robustness: ``CacheStore.open`` never raises for a bad file. A file that is not a
database, is damaged, truncated or of a foreign/old schema is renamed aside
(``<name>.corrupt-<YYYYmmdd-HHMMSS>``) and a fresh one is created; a file locked by
another program for longer than ``busy_timeout_ms``, a folder that cannot be created, a
read-only file or a full disk make the store run from memory. ``notice`` then says why in
one short English sentence (``notice_kind`` is a stable code the UI can translate) and
``path_in_use`` says where the data lives (None: memory). Errors that happen later
(disk full mid-run...) are raised as ``CacheError`` with a ``kind``; the worker reacts.

Sharing: two cockpits on one machine may share the file. WAL mode lets readers run
beside a writer, every write transaction is ``BEGIN IMMEDIATE`` (waits up to
``busy_timeout_ms`` for the other writer instead of failing on a lock upgrade), points are
idempotent upserts, and pruning reads its progress inside its own write transaction.

Schema (``PRAGMA application_id`` = APPLICATION_ID, ``PRAGMA user_version`` = SCHEMA_VERSION)::

    meta      (key TEXT PK, value TEXT)                      created_ms, opened_ms
    metrics   (id INTEGER PK, name TEXT UNIQUE, ds_until INT) metric id -> small int;
              ds_until: points of this metric before it are already 1 per minute
    points    (metric INT, ts INT, value REAL NULL, PK (metric, ts)) WITHOUT ROWID
    catalog   (id INT PK = 1, ts INT, saved_ms INT, json TEXT)
    snapshots (brain TEXT PK, ts INT, received_ms INT, json TEXT)
    alerts    (id TEXT PK, ts INT (indexed), brain TEXT, json TEXT)
    documents (kind TEXT, key TEXT, fetched_ms INT, json TEXT, PK (kind, key))
              answers looked up on demand: chains, enterprise profiles, batches
              (added after version 1 shipped: created when missing, no version change)

Timestamps are epoch milliseconds UTC (the wire convention). ``points`` is keyed by a
small integer instead of the metric's text id: 1 byte instead of ~16 per row. Pruning
walks each metric's key range; no secondary index on ``ts`` is needed.

Default sizes: 30 days at 1 Hz for 60 metrics, the last day raw, older days 1 per minute::

    raw     60 metrics x 86,400 s            = 5,184,000 rows
    minute  60 metrics x 29 d x 1,440 min    = 2,505,600 rows
    total                                     = 7,689,600 rows
    x ~25 bytes per row (19-byte record + cell pointer + b-tree page fill; measured by
      bench/bench_cache.py: 192.8 MB for exactly these rows)  ~= 193 MB
    minute rows made by downsampling (delete + insert inside the tree) sit ~10 % looser
      than appended ones: ~ +8 MB                           ~= 200 MB

``DEFAULT_MAX_BYTES`` = 256 MiB (268 MB) leaves ~30 % headroom for page-fill variance,
alerts and snapshots (kilobytes), and raw points waiting to be downsampled (each hour of
backlog for 60 metrics is 216,000 rows ~= 5.4 MB). The WAL file is extra, kept below
``journal_size_limit`` (64 MiB) after each checkpoint.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import numpy as np
from pydantic import ValidationError
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    event,
    exc,
    select,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.pool import StaticPool

from cockpit.api.schema import Alert, Catalog, Snapshot
from cockpit.cache.files import (  # re-exported: the store's public names
    APPLICATION_ID,
    SCHEMA_VERSION,
    default_cache_path,
    read_points,
)
from cockpit.cache.files import file_size as _size
from cockpit.cache.files import inspect_file as _inspect_file
from cockpit.private import private_dir, private_file

log = logging.getLogger(__name__)

MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_BUSY_TIMEOUT_MS = 5000
DOWNSAMPLE_SPAN_MS = 6 * HOUR_MS  # one downsampling transaction covers at most this per metric
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
CACHE_KIB = 8192  # SQLite page cache per connection (bounded memory)

_md = MetaData()
t_meta = Table("meta", _md, Column("key", Text, primary_key=True), Column("value", Text, nullable=False))
t_metrics = Table(
    "metrics",
    _md,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("ds_until", Integer, nullable=False, server_default="0"),
)
t_points = Table(
    "points",
    _md,
    Column("metric", Integer, primary_key=True, autoincrement=False),
    Column("ts", Integer, primary_key=True, autoincrement=False),
    Column("value", Float, nullable=True),
    sqlite_with_rowid=False,
)
t_catalog = Table(
    "catalog",
    _md,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("ts", Integer, nullable=False),
    Column("saved_ms", Integer, nullable=False),
    Column("json", Text, nullable=False),
)
t_snapshots = Table(
    "snapshots",
    _md,
    Column("brain", Text, primary_key=True),
    Column("ts", Integer, nullable=False),
    Column("received_ms", Integer, nullable=False),
    Column("json", Text, nullable=False),
)
t_alerts = Table(
    "alerts",
    _md,
    Column("id", Text, primary_key=True),
    Column("ts", Integer, nullable=False),
    Column("brain", Text, nullable=False),
    Column("json", Text, nullable=False),
)
Index("alerts_ts", t_alerts.c.ts)
t_documents = Table(
    "documents",
    _md,
    Column("kind", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("fetched_ms", Integer, nullable=False),
    Column("json", Text, nullable=False),
)
_TABLES = frozenset(_md.tables)
_ADDED_TABLES = {"documents": t_documents}  # created in a version-1 file that lacks them
MAX_DOCUMENTS_PER_KIND = 500

_UPSERT_POINT = (
    "INSERT INTO points(metric, ts, value) VALUES (?, ?, ?) "
    "ON CONFLICT(metric, ts) DO UPDATE SET value = excluded.value"
)
# A backfilled point older than a metric's downsampling mark moves the mark back, so the
# next prune downsamples it too.
_REWIND = "UPDATE metrics SET ds_until = ? WHERE id = ? AND ds_until > ?"
# Delete up to :n oldest rows of one metric older than :cut (bounded work per call).
_DELETE_OLDEST = (
    "DELETE FROM points WHERE metric = :m AND ts < min(:cut, coalesce("
    "(SELECT ts FROM points WHERE metric = :m ORDER BY ts LIMIT 1 OFFSET :n), :cut))"
)


class CacheError(Exception):
    """A cache operation failed for a reason outside the program (disk, file, lock).

    ``kind`` is one of: "locked", "readonly", "full", "corrupt", "gone", "io", "newer".
    """

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


# SQLite primary result codes -> CacheError kinds
_KINDS = {5: "locked", 6: "locked", 8: "readonly", 23: "readonly", 13: "full", 11: "corrupt", 26: "corrupt",
          10: "io", 14: "io", 15: "io", 24: "io"}


def _os_kind(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "full"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "readonly"
    return "io"


def _classify(err: BaseException) -> CacheError | None:
    """Map a driver error to a CacheError; None for programming errors (re-raised)."""
    orig = err.orig if isinstance(err, exc.DBAPIError) else err
    if isinstance(orig, CacheError):
        return orig
    if isinstance(orig, OSError):
        return CacheError(_os_kind(orig), orig.strerror or str(orig))
    if not isinstance(orig, sqlite3.Error) or isinstance(orig, sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    msg = str(orig)
    if code is not None and (code & 0xFF) in _KINDS:
        return CacheError(_KINDS[code & 0xFF], msg)
    if "no such table" in msg or "no such column" in msg:
        return CacheError("corrupt", msg)  # someone changed the schema under us
    return None


@dataclass(frozen=True)
class StoreSettings:
    """Retention, downsampling and size limits of a store."""

    retention_days: float = 30.0
    max_bytes: int = DEFAULT_MAX_BYTES
    raw_days: float = 1.0
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS


_FALLBACK = {
    "locked": "The cache file is locked by another program",
    "readonly": "The cache file cannot be written (read-only)",
    "full": "The disk holding the cache is full",
    "io": "The cache file cannot be used",
    "corrupt": "The cache file is damaged and cannot be set aside",
    "newer": "The cache file was written by a newer version of the cockpit (left untouched)",
    "gone": "The cache file disappeared",
}
MEMORY_TAIL = "; running from memory, nothing is kept after exit."


def fallback_notice(kind: str, detail: str = "") -> str:
    """The sentence shown when the store runs from memory because of ``kind``."""
    head = _FALLBACK.get(kind, "The cache cannot be used")
    return f"{head} ({detail}){MEMORY_TAIL}" if detail else f"{head}{MEMORY_TAIL}"


class CacheStore:
    """The cache database. Blocking; one thread only. Open with ``CacheStore.open``."""

    def __init__(self, engine: Engine, conn: Connection, path: Path | None, settings: StoreSettings) -> None:
        self._engine = engine
        self._conn = conn
        self._db = cast(sqlite3.Connection, conn.connection.driver_connection)
        self.path_in_use = path
        self.settings = settings
        self.notice = ""
        self.notice_kind = ""
        self.notice_serial = 0  # bumped at each new notice, so a watcher sees repeats
        self.requested_path: Path | None = path
        self._ids: dict[str, int] = {}
        self._inode: tuple[int, int] | None = None
        if path is not None:
            st = path.stat()
            self._inode = (st.st_dev, st.st_ino)

    # ---- opening ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str | None,
        *,
        retention_days: float = 30.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        raw_days: float = 1.0,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> CacheStore:
        """Open (or create) the cache at ``path``; ``None`` = in memory. Never raises for bad files."""
        settings = StoreSettings(retention_days, max_bytes, raw_days, busy_timeout_ms)
        if path is None:
            return cls._memory(settings, "", "")
        path = Path(path).expanduser()
        try:
            private_dir(path.parent)  # the platform's data: this user's only (0700 / 0600)
        except OSError as e:
            kind = _os_kind(e)
            return cls._memory(settings, kind, fallback_notice(kind, f"cannot create {path.parent}: "
                                                                     f"{e.strerror or e}"), path)
        if path.exists() and not path.is_file():
            return cls._memory(settings, "io", fallback_notice("io", f"{path} is not a file"), path)
        notice, kind = "", ""
        for attempt in range(2):
            damage = _inspect_file(path)
            if damage is not None:
                # look again: another cockpit may have been finishing a checkpoint (file
                # still growing) just as its WAL went away
                time.sleep(0.05)
                damage = _inspect_file(path)
            if damage is not None:
                try:
                    aside = set_aside(path)
                except OSError as e:
                    return cls._memory(settings, "corrupt", fallback_notice("corrupt", f"{damage}; {e.strerror or e}"),
                                       path)
                kind = "corrupt"
                notice = (f"The cache file was damaged ({damage}); it was moved aside as {aside.name} "
                          "and a new one was started.")
                log.warning("cache: %s", notice)
            try:
                store = cls._connect(path, settings)
            except CacheError as e:
                if e.kind == "corrupt" and attempt == 0:
                    try:
                        aside = set_aside(path)
                    except OSError as oe:
                        return cls._memory(settings, "corrupt",
                                           fallback_notice("corrupt", f"{e.detail}; {oe.strerror or oe}"), path)
                    kind = "corrupt"
                    notice = (f"The cache file was damaged ({e.detail}); it was moved aside as {aside.name} "
                              "and a new one was started.")
                    log.warning("cache: %s", notice)
                    continue
                log.warning("cache %s unusable (%s): running from memory", path, e)
                return cls._memory(settings, e.kind, fallback_notice(e.kind, e.detail if e.kind == "io" else ""),
                                   path)
            if notice:
                store._set_notice(kind, notice)
            return store
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _memory(cls, settings: StoreSettings, kind: str, notice: str, requested: Path | None = None) -> CacheStore:
        engine, conn = _make_engine(None, settings.busy_timeout_ms)
        with conn.begin():
            _create_schema(conn)
        store = cls(engine, conn, None, settings)
        store.requested_path = requested
        if notice:
            store._set_notice(kind, notice)
        return store

    @classmethod
    def _connect(cls, path: Path, settings: StoreSettings) -> CacheStore:
        engine: Engine | None = None
        try:
            engine, conn = _make_engine(path, settings.busy_timeout_ms)
            conn.info["begin"] = "BEGIN IMMEDIATE"  # also probes that we can take the write lock
            with conn.begin():
                app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
                version = conn.exec_driver_sql("PRAGMA user_version").scalar()
                tables = set(conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
                if not tables and not app_id and not version:
                    _create_schema(conn)
                elif app_id == APPLICATION_ID and version == SCHEMA_VERSION:
                    for name in sorted(set(_ADDED_TABLES) - tables):
                        _ADDED_TABLES[name].create(conn)
                        tables.add(name)
                    if missing := _TABLES - tables:
                        raise CacheError("corrupt", f"missing tables {sorted(missing)}")
                elif app_id == APPLICATION_ID and isinstance(version, int) and version > SCHEMA_VERSION:
                    raise CacheError("newer", f"schema version {version}")
                elif app_id == APPLICATION_ID:
                    raise CacheError("corrupt", f"old schema version {version}")
                else:
                    raise CacheError("corrupt", "not a cockpit cache")
                # write probe: a read-only file or a full disk fails here, not later
                conn.execute(sqlite_insert(t_meta).values(key="opened_ms", value=str(_now_ms()))
                             .on_conflict_do_update(index_elements=["key"], set_={"value": str(_now_ms())}))
            # WAL only once the file is known to be ours (a foreign file is set aside as it was);
            # a no-op when it is WAL already, which it stays (the mode is stored in the file)
            raw = cast(sqlite3.Connection, conn.connection.driver_connection)
            mode = raw.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                log.warning("cache: journal mode %s, not WAL", mode)
            return cls(engine, conn, path, settings)
        except BaseException as e:
            if engine is not None:
                _dispose(engine)
            err = _classify(e)
            if err is None:
                raise
            raise err from e

    # ---- lifecycle ------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the WAL if we are the last user)."""
        try:
            self._conn.close()
        except Exception:  # closing a broken store must not fail
            log.debug("cache close", exc_info=True)
        _dispose(self._engine)

    def check_file(self) -> None:
        """Raise CacheError("gone") if the file was deleted or replaced while open."""
        if self.path_in_use is None or self._inode is None:
            return
        try:
            st = self.path_in_use.stat()
        except OSError as e:
            raise CacheError("gone", e.strerror or str(e)) from e
        if (st.st_dev, st.st_ino) != self._inode:
            raise CacheError("gone", "the file was replaced")

    def _set_notice(self, kind: str, text: str) -> None:
        self.notice_kind, self.notice = kind, text
        self.notice_serial += 1

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn driver errors from outside causes into CacheError; programming errors pass."""
        try:
            yield
        except BaseException as e:
            self._ids.clear()  # ids made in a rolled-back transaction are gone
            err = _classify(e)
            if err is None:
                raise
            raise err from e

    @contextmanager
    def _tx(self, write: bool) -> Iterator[Connection]:
        """A transaction: BEGIN IMMEDIATE for writes, deferred for reads; errors -> CacheError."""
        self._conn.info["begin"] = "BEGIN IMMEDIATE" if write else "BEGIN"
        with self._guard(), self._conn.begin():
            yield self._conn

    # ---- catalog and snapshots ------------------------------------------------------

    def save_catalog(self, catalog: Catalog, saved_ms: int | None = None) -> None:
        """Keep the brain catalog (the tabs are built from it at the next start)."""
        with self._tx(write=True) as conn:
            self._save_catalog(conn, catalog, saved_ms)

    def load_catalog(self) -> Catalog | None:
        """The cached catalog, validated; None if none or if it no longer fits the contract."""
        with self._tx(write=False) as conn:
            text = conn.execute(select(t_catalog.c.json).where(t_catalog.c.id == 1)).scalar()
        if text is None:
            return None
        try:
            return Catalog.model_validate_json(text)
        except ValidationError as e:
            log.warning("cached catalog rejected: %s", e)
            self._set_notice("invalid", "The cached brain catalog no longer fits the contract; it was ignored.")
            return None

    def save_snapshot(self, snapshot: Snapshot, received_ms: int) -> None:
        """Keep a brain's snapshot unless the cache already has a newer one."""
        with self._tx(write=True) as conn:
            self._save_snapshots(conn, [(snapshot, received_ms)])

    def load_snapshots(self) -> dict[str, tuple[Snapshot, int]]:
        """The last snapshot of each brain and when it was received; invalid ones skipped."""
        with self._tx(write=False) as conn:
            rows = conn.execute(select(t_snapshots.c.brain, t_snapshots.c.received_ms, t_snapshots.c.json)).all()
        out: dict[str, tuple[Snapshot, int]] = {}
        bad = []
        for brain, received, text in rows:
            try:
                out[brain] = (Snapshot.model_validate_json(text), received)
            except ValidationError:
                bad.append(brain)
        if bad:
            self._set_notice("invalid", f"Cached snapshots of {', '.join(bad)} no longer fit the contract; ignored.")
        return out

    # ---- documents: answers looked up on demand ---------------------------------------

    def save_document(self, kind: str, key: str, text: str, fetched_ms: int) -> None:
        """Keep an answer (a chain, a profile, a batch) as JSON; the newest 500 per kind stay."""
        with self._tx(write=True) as conn:
            conn.execute(sqlite_insert(t_documents).values(kind=kind, key=key, fetched_ms=fetched_ms, json=text)
                         .on_conflict_do_update(index_elements=["kind", "key"],
                                                set_={"fetched_ms": fetched_ms, "json": text}))
            conn.exec_driver_sql(
                "DELETE FROM documents WHERE kind = ? AND key NOT IN (SELECT key FROM documents WHERE kind = ? "
                "ORDER BY fetched_ms DESC LIMIT ?)", (kind, kind, MAX_DOCUMENTS_PER_KIND))

    def load_document(self, kind: str, key: str) -> tuple[str, int] | None:
        """(JSON text, fetched_ms) of a kept answer, or None."""
        with self._tx(write=False) as conn:
            row = conn.execute(select(t_documents.c.json, t_documents.c.fetched_ms)
                               .where(t_documents.c.kind == kind, t_documents.c.key == key)).first()
        return (row[0], row[1]) if row is not None else None

    # ---- points -------------------------------------------------------------------

    def add_points(self, rows: Iterable[tuple[str, int, float | None]]) -> int:
        """Upsert points (metric id, ts ms, value or None) in one transaction; returns the count.

        A point already there is overwritten (same key: last write wins), so duplicates and
        out-of-order points are harmless.
        """
        with self._tx(write=True) as conn:
            return self._add_points(conn, rows)

    def write(
        self,
        points: Iterable[tuple[str, int, float | None]] = (),
        catalog: Catalog | None = None,
        snapshots: Iterable[tuple[Snapshot, int]] = (),
        alerts: Iterable[Alert] = (),
    ) -> int:
        """Everything the worker queued, in ONE transaction; returns the number of points."""
        with self._tx(write=True) as conn:
            if catalog is not None:
                self._save_catalog(conn, catalog, None)
            self._save_snapshots(conn, snapshots)
            self._add_alerts(conn, alerts)
            return self._add_points(conn, points)

    def points(self, metric: str, since_ms: int, until_ms: int) -> tuple[np.ndarray, np.ndarray]:
        """Points with since_ms <= ts < until_ms, in time order.

        Returns (ts in epoch seconds, values with NaN for null) as float64 arrays, the
        shape ``Series.arrays()`` gives and the charts take.
        """
        with self._tx(write=False):
            mid = self._lookup_id(metric)
            if mid is None:
                return np.empty(0), np.empty(0)
            return read_points(self._db, mid, since_ms, until_ms)

    def last_ts(self, metric: str) -> int | None:
        """Timestamp (ms) of the newest point of ``metric``, None if there is none."""
        with self._tx(write=False):
            mid = self._lookup_id(metric)
            if mid is None:
                return None
            row = self._db.execute("SELECT max(ts) FROM points WHERE metric = ?", (mid,)).fetchone()
        return None if row is None else row[0]

    def gaps(
        self,
        metric: str,
        since_ms: int,
        until_ms: int,
        *,
        cadence_ms: int = 1000,
        k: float = 3.0,
        now_ms: int | None = None,
    ) -> list[tuple[int, int]]:
        """Holes in [since_ms, until_ms): stretches without a point for more than k x cadence.

        Each hole is (start, end): the last point before it (or since_ms) and the first
        point after it (or until_ms), so fetching series [start, end) fills exactly the hole
        (the two bounding points come again; upserts make that harmless). Data older than
        ``raw_days`` is kept at 1 per minute, so there the allowed spacing is
        max(k x cadence, k x 1 min).
        """
        if until_ms <= since_ms:
            return []
        now = _now_ms() if now_ms is None else now_ms
        raw_cut = now - int(self.settings.raw_days * DAY_MS)
        tol = max(1, int(k * cadence_ms))
        tol_old = max(tol, int(k * MINUTE_MS))
        with self._tx(write=False):
            mid = self._lookup_id(metric)
            if mid is None:
                return [(since_ms, until_ms)]
            first_last = self._db.execute(
                "SELECT min(ts), max(ts) FROM points WHERE metric = ? AND ts >= ? AND ts < ?",
                (mid, since_ms, until_ms)).fetchone()
            if first_last is None or first_last[0] is None:
                return [(since_ms, until_ms)]
            inner = self._db.execute(
                "SELECT prev, ts FROM (SELECT ts, lag(ts) OVER (ORDER BY ts) AS prev FROM points "
                "WHERE metric = ? AND ts >= ? AND ts < ?) "
                "WHERE ts - prev > CASE WHEN prev < ? THEN ? ELSE ? END",
                (mid, since_ms, until_ms, raw_cut, tol_old, tol)).fetchall()
        first, last = first_last
        out: list[tuple[int, int]] = []
        if first - since_ms > (tol_old if since_ms < raw_cut else tol):
            out.append((since_ms, first))
        out.extend((int(a), int(b)) for a, b in inner)
        if until_ms - last > (tol_old if last < raw_cut else tol):
            out.append((last, until_ms))
        return out

    # ---- alerts -------------------------------------------------------------------

    def add_alerts(self, alerts: Iterable[Alert]) -> None:
        """Upsert alerts by id (an active alert seen again replaces its older copy)."""
        with self._tx(write=True) as conn:
            self._add_alerts(conn, alerts)

    def alerts(self, since_ms: int) -> list[Alert]:
        """Alerts with ts >= since_ms, oldest first; rows that no longer validate are skipped."""
        with self._tx(write=False) as conn:
            texts = conn.execute(select(t_alerts.c.json).where(t_alerts.c.ts >= since_ms)
                                 .order_by(t_alerts.c.ts, t_alerts.c.id)).scalars().all()
        out = []
        for text in texts:
            try:
                out.append(Alert.model_validate_json(text))
            except ValidationError:
                log.warning("cached alert rejected: %.200s", text)
        return out

    # ---- maintenance --------------------------------------------------------------

    def prune(self, now_ms: int, *, budget_rows: int = 250_000) -> dict[str, Any]:
        """Retention, downsampling beyond ``raw_days``, then the size cap. Bounded work.

        Touches roughly ``budget_rows`` rows at most and returns what it did, with
        ``done`` False when work is left for the next call (a backlog after a long stop).
        Every step is idempotent and runs in short transactions, so another cockpit
        sharing the file can prune at the same time.
        """
        s = self.settings
        report: dict[str, Any] = {"expired": 0, "downsampled": 0, "dropped_for_size": 0, "vacuumed_pages": 0,
                                  "done": True}
        budget = budget_rows
        ids = self._all_ids()
        per_metric = max(1000, budget_rows // max(1, len(ids)))
        # 1. retention by age
        cutoff = now_ms - int(s.retention_days * DAY_MS)
        with self._tx(write=True) as conn:
            for mid in ids:
                n = self._db.execute(_DELETE_OLDEST, {"m": mid, "cut": cutoff, "n": per_metric}).rowcount
                report["expired"] += n
                if n >= per_metric:
                    report["done"] = False
            conn.execute(t_alerts.delete().where(t_alerts.c.ts < cutoff))
        budget -= report["expired"]
        # 2. beyond raw_days: one point per minute (the mean)
        raw_cut = _floor_minute(now_ms - int(s.raw_days * DAY_MS))
        for mid in ids:
            while budget > 0:
                scanned, merged, more = self._downsample_step(mid, raw_cut)
                budget -= max(1, scanned)
                report["downsampled"] += merged
                if not more:
                    break
            else:
                report["done"] = False
                break
        # 3. size cap: once over max_bytes, drop the oldest data down to 90 % of it
        used = self._used_bytes()
        if used > s.max_bytes:
            target = int(s.max_bytes * 0.9)
            cut = self._oldest_ts(ids)
            step = HOUR_MS
            for _ in range(64):
                if cut is None or used <= target or budget <= 0:
                    break
                cut += step
                with self._tx(write=True):
                    n = sum(self._db.execute(_DELETE_OLDEST, {"m": m, "cut": cut, "n": per_metric}).rowcount
                            for m in ids)
                report["dropped_for_size"] += n
                budget -= max(1, n)
                before, used = used, self._used_bytes()
                # next step: half of what the bytes freed by this one suggest, so that pages
                # only partly freed at the cut never make it drop more than needed
                freed = before - used
                step = (max(MINUTE_MS, int(0.5 * step * (used - target) / freed)) if freed > 0 else step * 2)
            if used > target:
                report["done"] = False
        # 4. give freed pages back to the disk if the file itself is over the cap
        report["vacuumed_pages"] = self._shrink(max_pages=4096)
        return report

    def _downsample_step(self, mid: int, raw_cut: int) -> tuple[int, int, bool]:
        """Downsample one span of one metric; returns (rows scanned, rows removed, more to do)."""
        with self._tx(write=True):
            db = self._db
            row = db.execute("SELECT ds_until FROM metrics WHERE id = ?", (mid,)).fetchone()
            if row is None:
                return 0, 0, False
            mark = row[0]
            if mark >= raw_cut:
                return 0, 0, False
            first = db.execute("SELECT min(ts) FROM points WHERE metric = ? AND ts >= ? AND ts < ?",
                               (mid, mark, raw_cut)).fetchone()[0]
            if first is None:
                db.execute("UPDATE metrics SET ds_until = ? WHERE id = ?", (raw_cut, mid))
                return 1, 0, False
            start = _floor_minute(first)
            end = min(raw_cut, start + DOWNSAMPLE_SPAN_MS)
            groups = db.execute(
                "SELECT (ts / 60000) * 60000 AS minute, avg(value), count(*), min(ts) FROM points "
                "WHERE metric = ? AND ts >= ? AND ts < ? GROUP BY minute",
                (mid, start, end)).fetchall()
            scanned = sum(g[2] for g in groups)
            merged = 0
            if any(g[2] != 1 or g[3] != g[0] for g in groups):
                db.execute("DELETE FROM points WHERE metric = ? AND ts >= ? AND ts < ?", (mid, start, end))
                db.executemany("INSERT INTO points(metric, ts, value) VALUES (?, ?, ?)",
                               [(mid, g[0], g[1]) for g in groups])
                merged = scanned - len(groups)
            db.execute("UPDATE metrics SET ds_until = ? WHERE id = ?", (end, mid))
            return scanned, merged, end < raw_cut

    def _shrink(self, max_pages: int) -> int:
        """Incremental vacuum of at most ``max_pages`` free pages when the file exceeds the cap."""
        page_size, page_count, free = self._page_stats()
        if free == 0 or page_size * page_count <= self.settings.max_bytes:
            return 0
        n = min(free, max_pages)
        # executescript steps the pragma to the end (execute() would free one page only);
        # it runs outside a transaction, as its own write.
        with self._guard():
            self._db.executescript(f"PRAGMA incremental_vacuum({int(n)});")
        return free - self._page_stats()[2]

    def stats(self) -> dict[str, Any]:
        """Diagnostics: rows, sizes, oldest/newest point. Counts the whole table (~0.1 s when full)."""
        page_size, page_count, free = self._page_stats()
        with self._tx(write=False):
            n_points = self._db.execute("SELECT count(*) FROM points").fetchone()[0]
            n_metrics, oldest, newest = self._db.execute(
                "SELECT count(*), min(lo), max(hi) FROM (SELECT "
                "(SELECT min(ts) FROM points WHERE metric = m.id) AS lo, "
                "(SELECT max(ts) FROM points WHERE metric = m.id) AS hi FROM metrics AS m)").fetchone()
            n_alerts = self._db.execute("SELECT count(*) FROM alerts").fetchone()[0]
            n_snaps = self._db.execute("SELECT count(*) FROM snapshots").fetchone()[0]
        file_bytes = wal_bytes = 0
        if self.path_in_use is not None:
            file_bytes = _size(self.path_in_use)
            wal_bytes = _size(self.path_in_use.with_name(self.path_in_use.name + "-wal"))
        return {
            "path": str(self.path_in_use) if self.path_in_use else None,
            "points": n_points,
            "metrics": n_metrics,
            "alerts": n_alerts,
            "snapshots": n_snaps,
            "oldest_ts": oldest,
            "newest_ts": newest,
            "file_bytes": file_bytes,
            "wal_bytes": wal_bytes,
            "used_bytes": (page_count - free) * page_size,
            "max_bytes": self.settings.max_bytes,
            "notice": self.notice,
        }

    # ---- internals ----------------------------------------------------------------

    def _add_points(self, conn: Connection, rows: Iterable[tuple[str, int, float | None]]) -> int:
        ids = self._ids
        batch: list[tuple[int, int, float | None]] = []
        append = batch.append
        oldest: dict[int, int] = {}
        for name, ts, value in rows:
            mid = ids.get(name)
            if mid is None:
                mid = self._make_id(name)
            append((mid, ts, value))
            if ts < oldest.get(mid, ts + 1):
                oldest[mid] = ts
        if batch:
            self._db.executemany(_UPSERT_POINT, batch)
            self._db.executemany(_REWIND, [(_floor_minute(ts), mid, ts) for mid, ts in oldest.items()])
        return len(batch)

    def _save_catalog(self, conn: Connection, catalog: Catalog, saved_ms: int | None) -> None:
        values = {"ts": catalog.ts, "saved_ms": saved_ms or _now_ms(), "json": catalog.model_dump_json()}
        conn.execute(sqlite_insert(t_catalog).values(id=1, **values)
                     .on_conflict_do_update(index_elements=["id"], set_=values))

    def _save_snapshots(self, conn: Connection, snapshots: Iterable[tuple[Snapshot, int]]) -> None:
        rows = [{"brain": s.brain, "ts": s.ts, "received_ms": r, "json": s.model_dump_json()} for s, r in snapshots]
        if not rows:
            return
        stmt = sqlite_insert(t_snapshots)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["brain"],
            set_={"ts": stmt.excluded.ts, "received_ms": stmt.excluded.received_ms, "json": stmt.excluded.json},
            where=stmt.excluded.ts >= t_snapshots.c.ts), rows)

    def _add_alerts(self, conn: Connection, alerts: Iterable[Alert]) -> None:
        rows = [{"id": a.id, "ts": a.ts, "brain": a.brain, "json": a.model_dump_json()} for a in alerts]
        if not rows:
            return
        stmt = sqlite_insert(t_alerts)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={"ts": stmt.excluded.ts, "brain": stmt.excluded.brain, "json": stmt.excluded.json}), rows)

    def _make_id(self, name: str) -> int:
        """The small integer of a metric id, created if new (inside a write transaction)."""
        self._db.execute("INSERT INTO metrics(name) VALUES (?) ON CONFLICT(name) DO NOTHING", (name,))
        mid = int(self._db.execute("SELECT id FROM metrics WHERE name = ?", (name,)).fetchone()[0])
        self._ids[name] = mid
        return mid

    def _lookup_id(self, name: str) -> int | None:
        mid = self._ids.get(name)
        if mid is None:
            row = self._db.execute("SELECT id FROM metrics WHERE name = ?", (name,)).fetchone()
            if row is None:
                return None
            mid = self._ids[name] = int(row[0])
        return mid

    def _all_ids(self) -> list[int]:
        with self._tx(write=False):
            return [r[0] for r in self._db.execute("SELECT id FROM metrics ORDER BY id").fetchall()]

    def _oldest_ts(self, ids: Sequence[int]) -> int | None:
        with self._tx(write=False):
            vals = [self._db.execute("SELECT min(ts) FROM points WHERE metric = ?", (m,)).fetchone()[0]
                    for m in ids]
        vals = [v for v in vals if v is not None]
        return min(vals) if vals else None

    def _page_stats(self) -> tuple[int, int, int]:
        with self._tx(write=False):
            page_size = self._db.execute("PRAGMA page_size").fetchone()[0]
            page_count = self._db.execute("PRAGMA page_count").fetchone()[0]
            free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
        return int(page_size), int(page_count), int(free)

    def _used_bytes(self) -> int:
        page_size, page_count, free = self._page_stats()
        return (page_count - free) * page_size


# ---- module helpers ----------------------------------------------------------------------


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _floor_minute(ts: int) -> int:
    return ts - ts % MINUTE_MS


def _make_engine(path: Path | None, busy_timeout_ms: int) -> tuple[Engine, Connection]:
    """An engine holding ONE connection, with our pragmas and explicit BEGIN control.

    The sqlite3 driver's own transaction handling is switched off (isolation_level None)
    and SQLAlchemy's "begin" emits BEGIN or BEGIN IMMEDIATE (the documented pysqlite recipe).
    """
    target = ":memory:" if path is None else str(path)

    def creator() -> sqlite3.Connection:
        if path is not None:
            try:  # created 0600; SQLite gives its -wal and -shm files the same mode
                private_file(path)
            except OSError:
                pass  # sqlite3 reports what is wrong with the file
        return sqlite3.connect(target, timeout=busy_timeout_ms / 1000, check_same_thread=False,
                               isolation_level=None)

    engine = create_engine("sqlite://", creator=creator, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA auto_vacuum = INCREMENTAL")  # only takes effect on a new, empty file
        cur.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}").fetchall()
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.info.get("begin", "BEGIN"))

    try:
        conn = engine.connect()
    except BaseException:
        _dispose(engine)
        raise
    return engine, conn


def _dispose(engine: Engine) -> None:
    try:
        engine.dispose()
    except Exception:
        log.debug("engine dispose", exc_info=True)


def _create_schema(conn: Connection) -> None:
    _md.create_all(conn)
    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    now = str(_now_ms())
    conn.execute(sqlite_insert(t_meta).values(key="created_ms", value=now).on_conflict_do_nothing())


def set_aside(path: Path) -> Path:
    """Rename a bad cache file (and its -wal/-shm) to ``<name>.corrupt-<YYYYmmdd-HHMMSS>``.

    The -wal must go too: left behind, SQLite would replay it into the new file.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            try:
                os.replace(side, aside.with_name(aside.name + suffix))
            except OSError:
                side.unlink(missing_ok=True)
    return aside


__all__ = [
    "CacheError",
    "CacheStore",
    "DEFAULT_MAX_BYTES",
    "StoreSettings",
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "default_cache_path",
    "fallback_notice",
    "set_aside",
]
