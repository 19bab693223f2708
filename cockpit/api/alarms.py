"""Wire contract v1, the alarm loop: an alarm's handling state and the actions that change it.

An alarm (an :class:`~cockpit.api.schema.Alert` of the snapshot, by its ``id``) goes
``new`` (新告警) → ``acknowledged`` (已确认: who, when) → ``assigned`` (处置中: a
department, a note) → ``closed`` (已办结: a result note). Actions:

* ``POST /api/v1/alerts/{alert_id}/ack``     body :class:`AlarmAction` (``note`` optional)
* ``POST /api/v1/alerts/{alert_id}/assign``  body :class:`AlarmAction` with ``department``
* ``POST /api/v1/alerts/{alert_id}/close``   body :class:`AlarmAction` with ``note`` (the result)

Each answers the alarm's :class:`AlarmRecord`. ``request_id`` makes an action idempotent:
the same id sent again (a retry after a lost answer, a queued action sent after an
outage) changes nothing and answers the record as it is. An action the state does not
allow (closing a closed alarm, assigning a new one) is ``409 conflict``.

``GET /api/v1/alarms?since_version=N`` answers :class:`AlarmList`: the records changed
after version ``N`` (every record without it) and the store's current version; the
stream sends ``event: alarm`` (an :class:`AlarmRecord`) on each change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cockpit.api.schema import ID_PATTERN, Alert, EpochMs, _Model

STATES = ("new", "acknowledged", "assigned", "closed")
AlarmStateName = Literal["new", "acknowledged", "assigned", "closed"]
ActionName = Literal["ack", "assign", "close"]
REQUEST_ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"

# which state each action leads to, and from which states it may be taken
NEXT_STATE: dict[str, str] = {"ack": "acknowledged", "assign": "assigned", "close": "closed"}
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "ack": ("new",),
    "assign": ("acknowledged", "assigned"),  # assigning again hands it to another department
    "close": ("acknowledged", "assigned"),
}


class AlarmAction(_Model):
    """The body of ``POST /api/v1/alerts/{alert_id}/ack|assign|close``."""

    request_id: str = Field(pattern=REQUEST_ID_PATTERN, description="idempotency key, unique per action")
    operator: str = Field(min_length=1, max_length=64, description="who acts (the cockpit's alarm.operator)")
    brain: str = Field(pattern=ID_PATTERN, description="the brain the alert belongs to")
    department: str | None = Field(default=None, min_length=1, max_length=64, description="assign: to whom")
    note: str | None = Field(default=None, max_length=500, description="assign: instructions; close: the result")
    alert: Alert | None = Field(default=None, description="the alert as the operator saw it (kept for the journal)")


class AlarmEvent(_Model):
    """One step of an alarm's history."""

    action: ActionName
    state: AlarmStateName  # the state it led to
    operator: str
    at: EpochMs
    department: str | None = None
    note: str | None = None
    request_id: str


class AlarmRecord(_Model):
    """An alarm's handling: its state, who did what when, and the history of its steps."""

    alert_id: str = Field(min_length=1, max_length=128)
    brain: str = Field(pattern=ID_PATTERN)
    state: AlarmStateName
    acknowledged_by: str | None = None
    acknowledged_at: EpochMs | None = None
    department: str | None = None
    note: str | None = None  # the assignment's note
    result: str | None = None  # the closing note
    updated_at: EpochMs
    version: int = Field(ge=1, description="the store's version when this record last changed")
    alert: Alert | None = None
    history: list[AlarmEvent] = Field(default_factory=list, max_length=1000)


class AlarmList(_Model):
    """``GET /api/v1/alarms``: records changed after ``since_version``, and the current version."""

    version: int = Field(ge=0)
    alarms: list[AlarmRecord] = Field(default_factory=list, max_length=10_000)
