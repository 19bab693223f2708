"""The reference server's shared state: a database through SQLAlchemy, and a change-event bus.

One process keeps what must be shared between workers (the fleet's displays today; alarm
states and benefit applications can join) in a real database, so several workers or hosts
behind a load balancer answer alike:

* **SQLite** by default: in memory for the embedded server (nothing written, fast to
  start), a file for the standalone one (``python -m cockpit.central``);
* **PostgreSQL** when a URL is given (``--db postgresql+psycopg://user@host/db``).

:class:`EventBus` carries change events between workers: with PostgreSQL through
``NOTIFY cockpit_changes`` (sent in the writing transaction, so delivered when it commits)
and a ``LISTEN`` thread per process; with SQLite within the process only (one worker).
Every process, the publishing one included, gets each event once, from the same path.

Plugging in more state (e.g. alarm states)::

    from cockpit.central.state import metadata
    alarms = Table("alarm_states", metadata, Column("alarm_id", String(128), primary_key=True), ...)

    # a module imported before create_app() defines its tables on `metadata`;
    # StateStore creates every table of `metadata` (store.create_all() again is harmless)
    store = app.state.store
    with store.engine.begin() as conn:
        conn.execute(...)
        store.bus.publish("alarms", {"alarm_id": "x", "state": "acked"}, conn)  # sent at commit
    store.bus.subscribe(lambda topic, data: ...)  # every worker hears it

The server forwards every bus event to the streams that asked for its topic
(``GET /api/v1/stream?changes=alarms``) as ``event: change`` (no id: see docs/API.md).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import QueuePool

__all__ = ["CHANNEL", "EventBus", "StateStore", "default_file_url", "displays_table", "metadata"]

log = logging.getLogger("cockpit.central.state")

#: every table of the shared state; other modules add theirs before the store is made
metadata = MetaData()

displays_table = Table(
    "displays",
    metadata,
    Column("display_id", String(64), primary_key=True),
    Column("heartbeat", Text, nullable=False),  # the DisplayHeartbeat as JSON
    Column("received_ms", BigInteger, nullable=False),
    Column("heard", BigInteger, nullable=False, index=True),  # order of arrival (least recent goes first)
)

#: the PostgreSQL NOTIFY channel of change events
CHANNEL = "cockpit_changes"
_MAX_PAYLOAD = 7900  # PostgreSQL's NOTIFY payload limit is 8000 bytes

Listener = Callable[[str, dict[str, Any]], None]


def default_file_url() -> str:
    """The standalone server's SQLite file (in the user's data folder)."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("industry-brain-cockpit", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{folder / 'central.sqlite'}"


class EventBus:
    """Change events shared by every worker of one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(topic, data)`` for every event (from a background thread with
        PostgreSQL); it must be quick and thread-safe."""
        with self._lock:
            self._listeners.append(listener)
        if self.postgres and self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="cockpit-central-listen", daemon=True)
            self._thread.start()
            self._ready.wait(10)

    def publish(self, topic: str, data: dict[str, Any], conn: Connection | None = None) -> None:
        """Send ``data`` (JSON-able) under ``topic`` to every worker. With ``conn`` (a
        connection in a transaction) it leaves when that transaction commits."""
        payload = json.dumps({"topic": topic, "data": data}, ensure_ascii=False, separators=(",", ":"))
        if len(payload.encode()) > _MAX_PAYLOAD:
            raise ValueError(f"change event of {len(payload)} bytes: at most {_MAX_PAYLOAD} (send a key, not the data)")
        if not self.postgres:
            self._deliver(payload)
            return
        stmt = text("SELECT pg_notify(:ch, :payload)")
        if conn is not None:
            conn.execute(stmt, {"ch": CHANNEL, "payload": payload})
        else:
            with self.engine.begin() as c:
                c.execute(stmt, {"ch": CHANNEL, "payload": payload})

    def _deliver(self, payload: str) -> None:
        try:
            msg = json.loads(payload)
            topic, data = str(msg["topic"]), dict(msg["data"])
        except (ValueError, KeyError, TypeError):
            log.warning("change event that is not ours ignored: %.80r", payload)
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(topic, data)
            except Exception:  # noqa: BLE001 - one listener's bug must not stop the others
                log.exception("change listener failed on %s", topic)

    def _listen(self) -> None:
        import psycopg  # the PostgreSQL driver (extra "server"); only with a postgresql URL

        url = self.engine.url.set(drivername="postgresql")
        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    backoff = 0.5
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self._deliver(note.payload)
            except Exception as exc:  # noqa: BLE001 - the database restarts: listen again
                self._ready.set()
                log.warning("LISTEN %s: %s; again in %.1f s", CHANNEL, exc, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3)


class StateStore:
    """The database of the shared state: ``engine``, ``metadata`` (every table) and ``bus``.

    ``url``: a SQLAlchemy URL (``sqlite:///file``, ``postgresql+psycopg://…``); None: SQLite
    in memory (one process).
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or "sqlite://"
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite":
            memory = parsed.database in (None, "", ":memory:")
            # In memory the database lives as long as its one DBAPI connection, so every thread
            # uses that one: a pool of one, lent to one thread at a time (the others wait for it)
            # until it comes back (after the pool's rollback-on-return). A StaticPool lent it to
            # every thread at once: a reader's statements or its rollback on return landed in a
            # writer's transaction on another thread, and the heartbeat was lost or its commit
            # failed with "cannot commit - no transaction is active".
            self.engine: Engine = create_engine(
                self.url,
                connect_args={"check_same_thread": False},
                **({"poolclass": QueuePool, "pool_size": 1, "max_overflow": 0, "pool_timeout": 30} if memory else {}),
            )

            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                if not memory:
                    cur.execute("PRAGMA journal_mode=WAL")  # workers reading while one writes
                cur.execute("PRAGMA busy_timeout=5000")
                cur.close()
        elif parsed.get_backend_name() == "postgresql":
            if parsed.drivername == "postgresql":  # the driver we ship for it
                parsed = parsed.set(drivername="postgresql+psycopg")
            self.engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
        else:
            raise ValueError(f"--db: SQLite or PostgreSQL URLs only, got {parsed.get_backend_name()!r}")
        self.metadata = metadata
        #: hold it around every write transaction (one writer at a time in this process)
        self.write_lock = threading.Lock()
        self.create_all()
        self.bus = EventBus(self.engine)

    @property
    def shared(self) -> bool:
        """True when other processes can share this state (a file or a server)."""
        return self.engine.url.database not in (None, "", ":memory:")

    def create_all(self) -> None:
        """Create the tables of :data:`metadata` that are missing (idempotent)."""
        self.metadata.create_all(self.engine, checkfirst=True)

    def describe(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.bus.close()
        self.engine.dispose()
