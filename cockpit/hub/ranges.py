"""Trend ranges: 今日 / 近7天 / 本月 / 本年, and the same period a year before (同比).

:func:`period` turns a range into the time span it covers in the platform's time zone
(today: local midnight to midnight; the last 7 days up to now; this month; this year), the
step the chart asks for, and the same span one calendar year earlier.

:class:`RangeLoader` gives a range's series from the offline cache first (what was fetched
last time, kept as a document per metric, range and period) and then from the API's
``/series``; each answer is written back to the cache. Time the platform does not keep
(``/series`` answers 400 "history starts at …" or 404) comes back as ``None``: shown as
missing, never invented.

Qt-free: the trend charts' controller (``cockpit.ui.trend_ranges``) calls it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from pydantic import ValidationError

from cockpit.api.client import ApiError, HttpError
from cockpit.api.schema import Series, SeriesResponse
from cockpit.cache.worker import CacheWorker

log = logging.getLogger(__name__)

LIVE = "24h"  # the rolling 24 hours, fed live (the charts' default)
RANGES = ("today", "7d", "month", "year")
DAY_S = 86_400
# each range's step: 今日 in 5 minutes, 近7天 hourly, 本月 and 本年 daily (a day's total for a
# day's running total); last year's period at hourly or coarser steps (the platform's rollups)
STEP_S = {"today": 300, "7d": 3600, "month": DAY_S, "year": DAY_S}
LAST_YEAR_STEP_S = {"today": 3600, "7d": 3600, "month": DAY_S, "year": DAY_S}
# how often a shown range is asked again (its newest bucket grows)
REFRESH_S = {"today": 60, "7d": 600, "month": 1800, "year": 3600}


@dataclass(frozen=True)
class Period:
    """The span a range shows (epoch ms; ``until`` may lie in the future: the rest of today,
    of the month, of the year is drawn empty), its step, and the same span a year before."""

    key: str
    since: int
    until: int
    step_s: int
    last_since: int
    last_until: int
    last_step_s: int

    @property
    def shift_ms(self) -> int:
        """What moves last year's points onto this period's axis."""
        return self.since - self.last_since


def _year_before(t: datetime) -> datetime:
    try:
        return t.replace(year=t.year - 1)
    except ValueError:  # 29 February
        return t.replace(year=t.year - 1, day=28)


def period(key: str, now_ms: int, tz: tzinfo | None) -> Period:
    """The span of range ``key`` (one of :data:`RANGES`) at ``now_ms`` in zone ``tz``."""
    now = datetime.fromtimestamp(now_ms / 1000, tz)
    if now.tzinfo is None:
        now = now.astimezone()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if key == "today":
        start, end = midnight, midnight + timedelta(days=1)
    elif key == "7d":
        start, end = now - timedelta(days=7), now
    elif key == "month":
        start = midnight.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
    elif key == "year":
        start = midnight.replace(month=1, day=1)
        end = start.replace(year=start.year + 1)
    else:
        raise ValueError(f"unknown trend range {key!r}")
    # aware datetimes in one zone add and replace in wall-clock time: summer time is kept right
    last_start, last_end = _year_before(start), _year_before(end)
    ms = lambda t: round(t.timestamp() * 1000)  # noqa: E731
    return Period(key, ms(start), ms(end), STEP_S[key], ms(last_start), ms(last_end), LAST_YEAR_STEP_S[key])


@dataclass(frozen=True)
class RangeData:
    """One metric's points of a range (epoch ms, value or None) and last year's, moved onto
    this period (None: the platform does not keep that time). ``cached``: from the offline
    cache (``fetched_ms`` says when); ``error``: why the API did not answer ("" when it did)."""

    points: list[tuple[int, float | None]] | None
    last_year: list[tuple[int, float | None]] | None
    fetched_ms: int | None = None
    cached: bool = False
    error: str = ""


Fetch = Callable[[list[str], int, int, int], Coroutine[Any, Any, SeriesResponse]]


class RangeLoader:
    """A range's series: the cache first, then the API (see the module docstring)."""

    def __init__(self, fetch: Fetch, cache: CacheWorker | None, now: Callable[[], int]) -> None:
        self.fetch = fetch
        self.cache = cache
        self.now = now

    @staticmethod
    def _key(metric: str, p: Period, last: bool) -> str:
        return f"{metric}|{p.key}|{p.last_since if last else p.since}|{p.last_step_s if last else p.step_s}"

    async def cached(self, metrics: list[str], p: Period) -> dict[str, RangeData]:
        """What the cache holds of this period (metrics it holds nothing of are left out)."""
        out: dict[str, RangeData] = {}
        if self.cache is None:
            return out
        for m in metrics:
            cur = await self._load(m, p, False)
            if cur is None:
                continue
            last = await self._load(m, p, True)
            out[m] = RangeData(cur[0], _moved(last[0], p) if last else None, cur[1], cached=True)
        return out

    async def _load(self, metric: str, p: Period, last: bool) -> tuple[list, int] | None:
        assert self.cache is not None
        doc = await self.cache.load_document("trend", self._key(metric, p, last))
        if doc is None:
            return None
        try:
            resp = SeriesResponse.model_validate_json(doc[0])
        except ValidationError:
            return None
        s = next((s for s in resp.series if s.metric == metric), None)
        return (list(s.points), doc[1]) if s is not None else None

    async def fetch_period(self, metrics: list[str], p: Period) -> dict[str, RangeData]:
        """This period and last year's from the API (written to the cache). Raises ApiError
        when this period cannot be had; last year's missing is None."""
        now = self.now()
        cur = await self._fetch(metrics, p.since, min(p.until, now), p.step_s)
        if cur is None:  # not kept: shown as missing, never invented
            return {m: RangeData(None, None, now) for m in metrics}
        last = await self._fetch(metrics, p.last_since, min(p.last_until, now), p.last_step_s)
        fetched = self.now()
        out: dict[str, RangeData] = {}
        for m in metrics:
            pts = cur.get(m)
            lpts = last.get(m) if last is not None else None
            out[m] = RangeData(pts, _moved(lpts, p) if lpts is not None else None, fetched)
        if self.cache is not None:
            for resp, lastp in ((cur, False), (last, True)):
                if resp is None:
                    continue
                for m, pts in resp.items():
                    doc = SeriesResponse(since=p.last_since if lastp else p.since, until=max(now, p.since + 1),
                                         step_s=p.last_step_s if lastp else p.step_s,
                                         series=[Series(metric=m, step_s=p.last_step_s if lastp else p.step_s,
                                                        points=pts)])
                    await self.cache.save_document("trend", self._key(m, p, lastp), doc.model_dump_json(), fetched)
        return out

    async def _fetch(self, metrics: list[str], since: int, until: int, step: int) -> dict[str, list] | None:
        if until <= since:
            return {m: [] for m in metrics}
        try:
            resp = await self.fetch(metrics, since, until, step)
        except HttpError as exc:
            if exc.status in (400, 404, 501):  # older than the platform keeps / keeps none
                log.info("series %s..%s at %d s not kept: %s", since, until, step, exc)
                return None
            raise
        return {s.metric: list(s.points) for s in resp.series}


def _moved(points: list[tuple[int, float | None]] | None, p: Period) -> list[tuple[int, float | None]] | None:
    """Last year's points onto this period's axis; None when it holds no value at all."""
    if points is None or not any(v is not None for _, v in points):
        return None
    return [(t + p.shift_ms, v) for t, v in points]


__all__ = ["LIVE", "RANGES", "ApiError", "Period", "RangeData", "RangeLoader", "period"]
