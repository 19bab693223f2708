"""Moments in the platform's time zone (``--at "YYYY-MM-DD HH:MM"``, the replay band). Qt-free:
the command line is parsed before Qt is imported."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

PLATFORM_TZ = "Asia/Shanghai"  # the platform's time zone where the API does not say


def parse_moment(text: str, tz: str = PLATFORM_TZ) -> int:
    """``"YYYY-MM-DD HH:MM"`` in the platform's time zone → epoch ms (ValueError if not)."""
    try:
        t = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValueError(f"--at {text!r}: give a moment as \"YYYY-MM-DD HH:MM\" (platform time)") from None
    return round(t.replace(tzinfo=ZoneInfo(tz)).timestamp() * 1000)


def moment_text(ms: int, tz: str = PLATFORM_TZ, fmt: str = "%m-%d %H:%M") -> str:
    """'12-06 09:00' in the platform's time zone."""
    return datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)).strftime(fmt)
