"""A brain's snapshot as of a past moment (``GET /api/v1/brains/{id}/snapshot?at=``).

The simulator is a function of time, so the reference server answers any moment the
platform keeps (the last :data:`~cockpit.central.simulator.HISTORY_MS`, 8 days) exactly as
it answered at that moment: the same values, alerts and panels, every time it is asked
(a strong ETag; cacheable). A moment before that is not kept and answers ``404``
(``not_kept``), never an invented value; a moment in the future is ``400``.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.central.simulator import HISTORY_MS, Simulator

MAX_AGE_S = 86_400  # a past snapshot never changes: clients may keep it a day


class PastError(ValueError):
    """(status, error, detail) of a moment that cannot be answered."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def parse_at(text: str) -> int:
    """``at``: epoch milliseconds, or ISO 8601 with a UTC offset (``2026-12-06T09:00:00+08:00``)."""
    raw = text.strip()
    if raw.lstrip("-").isdigit():
        return int(raw)
    try:
        t = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise PastError(400, "bad_request", f"at: {raw[:40]!r} is neither epoch ms nor ISO 8601") from None
    if t.tzinfo is None:
        raise PastError(400, "bad_request", f"at: {raw[:40]!r} has no UTC offset (add +08:00 or Z)")
    return round(t.timestamp() * 1000)


def past_snapshot_json(sim: Simulator, brain: str, at_text: str, now_ms: int) -> tuple[str, int]:
    """(the Snapshot's JSON, the moment in ms) as of ``at_text``; :class:`PastError` otherwise."""
    at = parse_at(at_text)
    if at > now_ms:
        raise PastError(400, "bad_request", "at: a moment in the future has no snapshot yet")
    oldest = now_ms - HISTORY_MS
    if at < oldest:
        raise PastError(404, "not_kept", f"at: the platform keeps the last {HISTORY_MS // 86_400_000} days; "
                                         f"{at} is before {oldest}")
    return sim.snapshot(brain, at).model_dump_json(), at
