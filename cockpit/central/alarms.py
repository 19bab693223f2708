"""The reference server's alarm store: handling states that survive a restart.

SQLAlchemy Core on any Engine (a SQLite file by default; the tables are defined on
:data:`metadata`, so a shared store can create them in its own database). Every change
bumps a store-wide version; :meth:`AlarmStore.changed_since` answers what changed after a
version (``GET /api/v1/alarms?since_version=``) and listeners are told of each change
(the event stream sends them as ``event: alarm``).

Idempotent: an action whose ``request_id`` was applied before changes nothing and
answers the record as it is now.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)

from cockpit.api.alarms import ALLOWED_FROM, NEXT_STATE, AlarmAction, AlarmEvent, AlarmRecord

metadata = MetaData()

alarm_records = Table(
    "alarm_records", metadata,
    Column("alert_id", String(128), primary_key=True),
    Column("brain", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("acknowledged_by", String(64)),
    Column("acknowledged_at", Integer),
    Column("department", String(64)),
    Column("note", Text),
    Column("result", Text),
    Column("updated_at", Integer, nullable=False),
    Column("version", Integer, nullable=False, index=True),
    Column("alert_json", Text),
)

alarm_events = Table(
    "alarm_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(64), nullable=False, unique=True),
    Column("alert_id", String(128), nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("operator", String(64), nullable=False),
    Column("at", Integer, nullable=False),
    Column("department", String(64)),
    Column("note", Text),
)


class AlarmConflict(ValueError):
    """An action the alarm's state does not allow (the server answers 409)."""


def sqlite_engine(path: Path | str | None) -> Engine:
    """A SQLite engine on ``path`` (None: in memory, one connection shared by threads)."""
    if path is None:
        from sqlalchemy.pool import StaticPool

        eng = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        eng = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(eng, "connect")
    def _pragmas(conn, _record) -> None:  # noqa: ANN001 (DB-API connection)
        cur = conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return eng


class AlarmStore:
    """Alarm handling states on an Engine; see the module docstring."""

    def __init__(self, engine: Engine, now_ms: Callable[[], int]) -> None:
        self.engine = engine
        self._now = now_ms
        self._lock = threading.Lock()  # one writer at a time (SQLite; the version counter)
        self.listeners: list[Callable[[AlarmRecord], None]] = []
        metadata.create_all(engine)

    @property
    def version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(alarm_records.c.version), 0))).scalar_one())

    def apply(self, alert_id: str, action: str, body: AlarmAction) -> AlarmRecord:
        """Apply ``action`` (ack/assign/close) to an alarm; the record as it is afterwards.

        Raises :class:`AlarmConflict` where the state does not allow it, ValueError where
        the body lacks what the action needs (a department, a result note)."""
        if action not in NEXT_STATE:
            raise ValueError(f"unknown action {action!r}")
        if action == "assign" and not body.department:
            raise ValueError("assign needs a department")
        if action == "close" and not (body.note or "").strip():
            raise ValueError("close needs a note with the result")
        with self._lock, self.engine.begin() as conn:
            done = conn.execute(select(alarm_events.c.alert_id)
                                .where(alarm_events.c.request_id == body.request_id)).first()
            if done is not None:
                if done.alert_id != alert_id:
                    raise AlarmConflict(f"request_id {body.request_id} was used for another alarm")
                rec = self._load(conn, alert_id)
                assert rec is not None
                return rec
            row = conn.execute(select(alarm_records).where(alarm_records.c.alert_id == alert_id)).first()
            state = row.state if row is not None else "new"
            if state not in ALLOWED_FROM[action]:
                raise AlarmConflict(f"alarm {alert_id} is {state}: {action} is not possible")
            now = self._now()
            version = int(conn.execute(
                select(func.coalesce(func.max(alarm_records.c.version), 0))).scalar_one()) + 1
            new_state = NEXT_STATE[action]
            values: dict = {"state": new_state, "updated_at": now, "version": version}
            if action == "ack":
                values.update(acknowledged_by=body.operator, acknowledged_at=now)
            elif action == "assign":
                values.update(department=body.department, note=body.note)
            else:
                values.update(result=body.note)
            if row is None:
                conn.execute(insert(alarm_records).values(
                    alert_id=alert_id, brain=body.brain,
                    alert_json=body.alert.model_dump_json() if body.alert is not None else None, **values))
            else:
                if row.alert_json is None and body.alert is not None:
                    values["alert_json"] = body.alert.model_dump_json()
                conn.execute(update(alarm_records).where(alarm_records.c.alert_id == alert_id).values(**values))
            conn.execute(insert(alarm_events).values(
                request_id=body.request_id, alert_id=alert_id, action=action, state=new_state,
                operator=body.operator, at=now, department=body.department, note=body.note))
            rec = self._load(conn, alert_id)
        assert rec is not None
        for fn in list(self.listeners):
            fn(rec)
        return rec

    def get(self, alert_id: str) -> AlarmRecord | None:
        with self.engine.connect() as conn:
            return self._load(conn, alert_id)

    def changed_since(self, version: int = 0, limit: int = 10_000) -> tuple[int, list[AlarmRecord]]:
        """(current version, records whose version is above ``version``, oldest change first)."""
        with self.engine.connect() as conn:
            current = int(conn.execute(
                select(func.coalesce(func.max(alarm_records.c.version), 0))).scalar_one())
            ids = conn.execute(select(alarm_records.c.alert_id).where(alarm_records.c.version > version)
                               .order_by(alarm_records.c.version).limit(limit)).scalars().all()
            recs = [self._load(conn, i) for i in ids]
        return current, [r for r in recs if r is not None]

    @staticmethod
    def _load(conn, alert_id: str) -> AlarmRecord | None:  # noqa: ANN001 (Connection)
        row = conn.execute(select(alarm_records).where(alarm_records.c.alert_id == alert_id)).first()
        if row is None:
            return None
        events = conn.execute(select(alarm_events).where(alarm_events.c.alert_id == alert_id)
                              .order_by(alarm_events.c.seq)).all()
        return AlarmRecord(
            alert_id=row.alert_id, brain=row.brain, state=row.state,
            acknowledged_by=row.acknowledged_by, acknowledged_at=row.acknowledged_at,
            department=row.department, note=row.note, result=row.result,
            updated_at=row.updated_at, version=row.version,
            alert=json.loads(row.alert_json) if row.alert_json else None,
            history=[AlarmEvent(action=e.action, state=e.state, operator=e.operator, at=e.at,
                                department=e.department, note=e.note, request_id=e.request_id) for e in events],
        )
