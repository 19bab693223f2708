"""The time zone every widget shows times in (an axis, an alert's time).

A command center's screens show the platform's time, not the machine's: the application
sets the zone once (``set_zone``); until then the machine's own zone is used.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

_zone: tzinfo | None = None  # None: this machine's zone


def set_zone(tz: tzinfo | None) -> None:
    global _zone
    _zone = tz


def zone() -> tzinfo | None:
    return _zone


def at(ts_s: float) -> datetime:
    """An epoch-seconds time as an aware date and time in the zone."""
    t = datetime.fromtimestamp(ts_s, _zone)
    return t if t.tzinfo is not None else t.astimezone()


def fmt(ts_s: float, pattern: str) -> str:
    return at(ts_s).strftime(pattern)


def seconds_west(ts_s: float) -> int:
    """The zone's offset at ``ts_s`` in seconds west of UTC (pyqtgraph's ``utcOffset``)."""
    off = at(ts_s).utcoffset()
    return -int(off.total_seconds()) if off is not None else 0
