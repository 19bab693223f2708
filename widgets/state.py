"""The data state every cockpit widget shows: live, stale, offline or no data."""

from __future__ import annotations

import enum


class DataState(enum.Enum):
    """How trustworthy the value on a widget is; each state is drawn visibly differently."""

    LIVE = "live"  # fresh data from a working link
    STALE = "stale"  # last known value, older than expected (amber)
    OFFLINE = "offline"  # last known value, the link is down (grey value, red-grey border)
    NO_DATA = "no_data"  # nothing to show: a dash, never a number
